//! Who is asking: the `Viewer`, password hashing, access and refresh tokens.
pub mod password;
pub mod token;
mod viewer;

pub use viewer::Viewer;
