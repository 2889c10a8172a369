//! Plain rules and types: country codes, roles, validated text. Nothing here
//! knows about HTTP, GraphQL or the database, so every rule is unit-testable.
pub mod case;
pub mod country;
pub mod hearing;
pub mod input;
pub mod role;

pub use country::CountryCode;
pub use input::{Email, InputError, Password, bounded_text, parse_timezone};
pub use role::Role;
