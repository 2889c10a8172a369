//! `me`, `login`, `refreshToken`, `logout`: at most one `login` or
//! `refreshToken` per request (`graphql::once`).
use async_graphql::{Context, Object, Result, ResultExt};
use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::objects::{AuthPayload, Viewer};
use crate::graphql::once::{self, Scarce};
use crate::service::auth as service;
use crate::state::AppState;

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in user, their mission, country and organization.
    async fn me(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let (state, viewer) = ctx.parts().extend()?;
        let user = service::current_user(state, viewer).await.extend()?;
        Ok(Viewer {
            user,
            who: viewer.clone(),
        })
    }
}

#[derive(Default)]
pub struct AuthMutation;

/// Takes the request's one `login` or `refreshToken` (`graphql::once`):
/// without it one request could run a password hash per alias, each with
/// another email.
fn claim_credential_check(ctx: &Context<'_>, field: &str) -> Result<(), AppError> {
    once::claim(ctx, Scarce::Credential, field)
}

async fn payload(state: &AppState, issued: service::Issued) -> Result<AuthPayload, AppError> {
    let who = service::authenticate(state, &issued.access_token).await?;
    let user = service::current_user(state, &who).await?;
    Ok(AuthPayload {
        access_token: issued.access_token,
        refresh_token: issued.refresh_token,
        expires_at: DateTime::<Utc>::from_timestamp(issued.expires_at, 0)
            .ok_or_else(|| AppError::internal("token expiry out of range"))?,
        viewer: Viewer { user, who },
    })
}

#[Object]
impl AuthMutation {
    /// Signs in. A wrong password, an unknown email and a deactivated account
    /// give the same error; repeated failures lock the email for a while.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        // One `login` or `refreshToken` per request (BAD_USER_INPUT after);
        // failures also count against the client address (README, configuration).
        claim_credential_check(ctx, "login").extend()?;
        let state = ctx.state().extend()?;
        let client = ctx.data_opt::<crate::http::ClientAddr>().map(|a| a.0);
        let issued = service::login(state, &email, &password, client)
            .await
            .extend()?;
        payload(state, issued).await.extend()
    }

    /// Exchanges a refresh token for a new access and refresh token. Each
    /// refresh token works once; presenting a used one ends the session.
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        claim_credential_check(ctx, "refreshToken").extend()?;
        let state = ctx.state().extend()?;
        let issued = service::refresh(state, &refresh_token).await.extend()?;
        payload(state, issued).await.extend()
    }

    /// Ends the current session: its access and refresh tokens stop working.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        service::logout(state, viewer).await.extend()?;
        Ok(true)
    }
}
