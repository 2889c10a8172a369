//! `me`, `login`, `refreshToken`, `logout`: at most one `login` or
//! `refreshToken` per request (`graphql::once`); `only_signs_in` tells a
//! request that needs no viewer at all.
use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
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

/// Whether the operation a request runs selects nothing but `login` and
/// `refreshToken` (aliases allowed) at its root: a mutation that needs no
/// viewer. Such a request is run anonymous when its `Authorization` header
/// is bad or stale (a client that kept an expired token, GraphiQL after 15
/// minutes) instead of being refused 401: it is how one gets a good token.
/// Anything else — a fragment at the root, `__typename`, another field, a
/// document that does not parse or names no single operation — is `false`,
/// so the header keeps deciding (fail closed).
pub fn only_signs_in(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let operation = match (document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => {
            match ops.into_iter().find(|(n, _)| n.as_str() == name) {
                Some((_, op)) => op,
                None => return false,
            }
        }
        (DocumentOperations::Multiple(ops), None) => {
            let mut ops = ops.into_values();
            match (ops.next(), ops.next()) {
                (Some(op), None) => op,
                _ => return false,
            }
        }
    };
    let operation = operation.node;
    operation.ty == OperationType::Mutation
        && !operation.selection_set.node.items.is_empty()
        && operation.selection_set.node.items.iter().all(|item| {
            matches!(&item.node, Selection::Field(f)
            if matches!(
                f.node.name.node.as_str(),
                "login"
                    | "refreshToken"
                    | "completeLogin"
                    | "beginTotpEnrolment"
                    | "confirmTotpEnrolment"
            ))
        })
}

/// Takes the request's one `login` or `refreshToken` (`graphql::once`):
/// without it one request could run a password hash per alias, each with
/// another email.
pub(crate) fn claim_credential_check(ctx: &Context<'_>, field: &str) -> Result<(), AppError> {
    once::claim(ctx, Scarce::Credential, field)
}

pub(crate) async fn payload(
    state: &AppState,
    issued: service::Issued,
) -> Result<AuthPayload, AppError> {
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
        let client = ctx
            .data_opt::<crate::auth::request::ClientAddr>()
            .map(|a| a.0);
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

    /// Changes the viewer's own password. The current one is checked under
    /// the sign-in throttle (a wrong one counts as a failed login); every
    /// other session of theirs, web pages included, ends at once.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<bool> {
        claim_credential_check(ctx, "changePassword").extend()?;
        let (state, viewer) = ctx.parts().extend()?;
        crate::service::account::change_password(state, viewer, &current_password, &new_password)
            .await
            .extend()?;
        Ok(true)
    }

    /// Ends every session of the viewer — API logins and web pages, this
    /// one included.
    async fn logout_everywhere(&self, ctx: &Context<'_>) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        crate::service::account::sign_out_everywhere(state, viewer)
            .await
            .extend()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::only_signs_in;

    #[test]
    fn only_a_sign_in_needs_no_viewer() {
        for (query, name) in [
            (
                "mutation { login(email: \"a\", password: \"b\") { accessToken } }",
                None,
            ),
            (
                "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }",
                None,
            ),
            (
                "mutation { a: login(email: \"a\", password: \"b\") { accessToken } b: login(email: \"c\", password: \"d\") { accessToken } }",
                None,
            ),
            (
                "query Q { me { country } } mutation M { login(email: \"a\", password: \"b\") { accessToken } }",
                Some("M"),
            ),
            (
                "mutation M { login(email: \"a\", password: \"b\") { accessToken } }",
                None,
            ),
        ] {
            assert!(only_signs_in(query, name), "{query}");
        }
        for (query, name) in [
            ("{ me { country } }", None),
            ("query { login }", None),
            ("mutation { logout }", None),
            (
                "mutation { login(email: \"a\", password: \"b\") { accessToken } logout }",
                None,
            ),
            (
                "mutation { login(email: \"a\", password: \"b\") { accessToken } __typename }",
                None,
            ),
            (
                "mutation { ...F } fragment F on Mutation { login(email: \"a\", password: \"b\") { accessToken } }",
                None,
            ),
            (
                "mutation { ... on Mutation { login(email: \"a\", password: \"b\") { accessToken } } }",
                None,
            ),
            ("subscription { login }", None),
            (
                "query Q { me { country } } mutation M { login(email: \"a\", password: \"b\") { accessToken } }",
                Some("Q"),
            ),
            (
                "query Q { me { country } } mutation M { login(email: \"a\", password: \"b\") { accessToken } }",
                None,
            ),
            (
                "mutation M { login(email: \"a\", password: \"b\") { accessToken } }",
                Some("N"),
            ),
            ("mutation {", None),
            ("", None),
        ] {
            assert!(!only_signs_in(query, name), "{query} {name:?}");
        }
    }
}
