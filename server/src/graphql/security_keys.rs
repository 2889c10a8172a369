//! A person's security keys (WebAuthn second factor): listed on `me`,
//! removed with the current password. Registering one needs a browser's
//! WebAuthn, so it is done on the web client's account page only.
use async_graphql::{Context, ID, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::service::security_keys as service;
use crate::store::security_key;

/// One of the viewer's security keys.
#[derive(SimpleObject)]
pub struct SecurityKey {
    pub id: ID,
    /// The name its owner gave it.
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// When it last passed a sign-in's second step; null if never.
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<security_key::Model> for SecurityKey {
    fn from(k: security_key::Model) -> SecurityKey {
        SecurityKey {
            id: ids::encode(Kind::SecurityKey, k.id),
            name: k.name,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        }
    }
}

#[derive(Default)]
pub struct SecurityKeyMutation;

#[Object]
impl SecurityKeyMutation {
    /// Removes one of the viewer's security keys. The current password is
    /// checked under the sign-in throttle (a wrong one counts as a failed
    /// login: `BAD_USER_INPUT` on `currentPassword`); another person's key,
    /// or one already removed, is `NOT_FOUND`.
    async fn remove_security_key(
        &self,
        ctx: &Context<'_>,
        id: ID,
        current_password: String,
    ) -> Result<bool> {
        // One password check per request, however many aliases ask.
        crate::graphql::auth::claim_credential_check(ctx, "removeSecurityKey").extend()?;
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::SecurityKey, &id).extend()?;
        service::remove(state, viewer, id, &current_password)
            .await
            .extend()?;
        Ok(true)
    }
}
