//! Plain rules and types: country codes, roles, validated text. Nothing here
//! knows about HTTP, GraphQL or the database, so every rule is unit-testable.
/// Declares a closed set of values stored by their SCREAMING_CASE names.
macro_rules! stored_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn from_stored(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

pub mod assessment;
pub mod case;
pub mod country;
pub mod digest;
pub mod handover;
pub mod hearing;
pub mod ids;
pub mod input;
pub mod observation;
pub mod reference;
pub mod report;
pub mod role;
pub mod roster;
pub mod sign_in;
pub mod statement;

pub use country::CountryCode;
pub use input::{Email, InputError, Password, bounded_text, parse_timezone};
pub use role::Role;
pub use sign_in::{SecondStep, SignInMethod, second_factor_needed, second_factor_required};
