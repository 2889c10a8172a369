//! `me`, `login`, `refreshToken`, `logout`, and `OneCredentialCheck`: at
//! most one `login` or `refreshToken` per request.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::{Context, Object, Request, Result, ResultExt, ServerResult};
use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::objects::{AuthPayload, Viewer};
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

/// Schema extension: puts a fresh `CredentialCheck` into every request (over
/// HTTP and every operation over the WebSocket), so that one request can ask
/// for one `login` or `refreshToken` only, aliases included. Without it one
/// request could run a password hash per alias, each with another email.
pub struct OneCredentialCheck;

impl ExtensionFactory for OneCredentialCheck {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OneCredentialCheck)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for OneCredentialCheck {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        next.run(ctx, request.data(CredentialCheck::default()))
            .await
    }
}

/// Whether this request has used its one `login` or `refreshToken`.
#[derive(Default)]
struct CredentialCheck(AtomicBool);

/// What a second `login` or `refreshToken` in one request answers:
/// `BAD_USER_INPUT` naming the field (not `RATE_LIMITED`: the same request
/// sent again would be refused again, so there is nothing to wait for).
const ONE_PER_REQUEST: &str = "only one login or refreshToken per request";

/// Takes the request's one credential check, or refuses before any work.
fn claim_credential_check(ctx: &Context<'_>, field: &str) -> Result<(), AppError> {
    let Some(check) = ctx.data_opt::<CredentialCheck>() else {
        // Fails closed if the schema was built without the extension.
        return Err(AppError::internal("OneCredentialCheck is not installed"));
    };
    if check.0.swap(true, Ordering::SeqCst) {
        return Err(AppError::bad_input(field, ONE_PER_REQUEST));
    }
    Ok(())
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
