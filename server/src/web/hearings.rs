//! Pages of this area (being built; see web/mod.rs).
use axum::Router;

use super::Web;

/// Confirmations this area's changes end with (`page::done`).
pub const DONE: &[(&str, &str)] = &[];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
}
