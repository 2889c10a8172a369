//! Who is asking: the `Viewer`, password hashing, access and refresh tokens,
//! and what a request says about its sender (`request`). No I/O beyond the
//! blocking pool for hashing: checking a token against sessions is `service::auth`'s.
pub mod password;
pub mod request;
pub mod token;
mod viewer;

pub use viewer::{Reading, Viewer};
