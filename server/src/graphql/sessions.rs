//! A person's own sessions: where they are signed in, since when, how they
//! proved who they are, and ending one they do not recognise.
use async_graphql::{Context, Enum, ID, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::ids::Kind;
use crate::graphql::context::ContextExt;
use crate::graphql::ids;
use crate::service::account;
use crate::store::session;

/// Which way a session was opened.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A GraphQL `login` (access and refresh tokens).
    Api,
    /// A sign-in on the web pages (a cookie).
    Web,
}

/// How a session's person proved who they are.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    Password,
    PasswordTotp,
    PasswordRecoveryCode,
    PasswordSecurityKey,
    /// The mission's single sign-on (its ministry's identity provider).
    Sso,
}

impl From<crate::domain::SignInMethod> for SignInMethod {
    fn from(m: crate::domain::SignInMethod) -> Self {
        use crate::domain::SignInMethod as M;
        match m {
            M::Password => SignInMethod::Password,
            M::PasswordTotp => SignInMethod::PasswordTotp,
            M::PasswordRecoveryCode => SignInMethod::PasswordRecoveryCode,
            M::PasswordSecurityKey => SignInMethod::PasswordSecurityKey,
            M::SingleSignOn => SignInMethod::Sso,
        }
    }
}

/// One open session of the viewer's.
#[derive(SimpleObject)]
pub struct Session {
    pub id: ID,
    /// The session this request was made in.
    pub current: bool,
    pub kind: SessionKind,
    pub method: SignInMethod,
    /// Where it was opened, in the viewer's language ("Web: Firefox on
    /// Windows", "API token"); product names only, never the full
    /// `User-Agent`.
    pub device: String,
    pub opened_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Session {
    /// The row as `viewer` sees it (in their language; theirs is the
    /// session in use).
    pub fn of(s: &session::Model, viewer: &crate::auth::Viewer) -> Session {
        let lang = viewer.reading.mail_lang();
        let viewer_session = viewer.session_id;
        Session {
            id: ids::encode(Kind::Session, s.id),
            current: s.id == viewer_session,
            kind: if s.kind == crate::service::auth::SessionKind::Web.as_str() {
                SessionKind::Web
            } else {
                SessionKind::Api
            },
            method: crate::domain::SignInMethod::from_stored(&s.method)
                .unwrap_or(crate::domain::SignInMethod::Password)
                .into(),
            device: account::device_of(lang, s),
            opened_at: s.created_at,
            expires_at: s.expires_at,
        }
    }
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Ends one of the viewer's own sessions (its tokens or cookie stop
    /// working at once, its live streams close). Another person's session,
    /// an ended one or an unknown id is `NOT_FOUND`.
    async fn end_session(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        let session_id = ids::decode(Kind::Session, &id).extend()?;
        account::end_session(state, viewer, session_id)
            .await
            .extend()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_method_has_a_graphql_name() {
        for m in crate::domain::SignInMethod::ALL {
            let _: SignInMethod = (*m).into();
        }
    }
}
