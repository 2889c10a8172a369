//! The one way resolvers read who is asking and the shared state.
use async_graphql::Context;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub trait ContextExt {
    /// The signed-in viewer, or `UNAUTHENTICATED`.
    fn viewer(&self) -> AppResult<&Viewer>;
    fn state(&self) -> AppResult<&AppState>;
    /// Both at once, for the common resolver.
    fn parts(&self) -> AppResult<(&AppState, &Viewer)> {
        Ok((self.state()?, self.viewer()?))
    }
}

impl ContextExt for Context<'_> {
    fn viewer(&self) -> AppResult<&Viewer> {
        self.data_opt::<Viewer>()
            .ok_or(AppError::Unauthenticated("sign in first"))
    }

    fn state(&self) -> AppResult<&AppState> {
        self.data_opt::<AppState>()
            .ok_or_else(|| AppError::internal("no state in the GraphQL context"))
    }
}
