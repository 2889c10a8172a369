//! Single sign-on with a mission's OpenID Connect provider: its admin's
//! registration (the client secret is write-only: never returned).
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt, SimpleObject};

use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::service::sso as service;
use crate::store::single_sign_on;

mirror_enum!(
    /// What ties a person signed in at the provider to their account.
    MatchClaim, "crate::domain::MatchClaim", "SingleSignOnMatchClaim" {
    /// The provider's `email`, with `email_verified` true, equals the
    /// account's email.
    Email,
    /// The provider's `sub` equals the subject the mission's admin recorded
    /// for the account (`setSingleSignOnSubject`).
    Subject,
});

/// A mission's single sign-on, as its admin sees it.
#[derive(SimpleObject)]
pub struct SingleSignOn {
    /// The provider's issuer URL.
    pub issuer: String,
    pub client_id: String,
    pub match_claim: MatchClaim,
    /// Password sign-in is refused for the mission's people (`SSO_REQUIRED`).
    pub sso_only: bool,
    /// The start URL to hand to the mission's people (the public sign-in
    /// page lists no mission).
    pub sign_in_url: String,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
}

impl SingleSignOn {
    pub fn of(config: &crate::config::Config, row: &single_sign_on::Model) -> SingleSignOn {
        SingleSignOn {
            issuer: row.issuer.clone(),
            client_id: row.client_id.clone(),
            match_claim: crate::domain::MatchClaim::from_stored(&row.match_claim)
                .unwrap_or(crate::domain::MatchClaim::Email)
                .into(),
            sso_only: row.sso_only,
            sign_in_url: service::sign_in_url(config, row),
            redirect_uri: service::redirect_uri(config),
        }
    }
}

#[derive(InputObject)]
pub struct SingleSignOnInput {
    /// https (plain http only to this machine, in development).
    pub issuer: String,
    pub client_id: String,
    /// Required the first time; left out later, the stored one is kept.
    /// Never returned.
    pub client_secret: Option<String>,
    pub match_claim: MatchClaim,
    #[graphql(default)]
    pub sso_only: bool,
}

#[derive(Default)]
pub struct SsoMutation;

#[Object]
impl SsoMutation {
    /// Registers or changes the viewer's mission's provider (mission admins
    /// only). The discovery document is fetched and checked first: an issuer
    /// that does not answer, names another issuer or points elsewhere is
    /// `BAD_USER_INPUT` (field `issuer`).
    async fn configure_single_sign_on(
        &self,
        ctx: &Context<'_>,
        input: SingleSignOnInput,
    ) -> Result<SingleSignOn> {
        let (state, viewer) = ctx.parts().extend()?;
        let row = service::configure(
            state,
            viewer,
            service::Registration {
                issuer: input.issuer,
                client_id: input.client_id,
                client_secret: input.client_secret,
                match_claim: input.match_claim.into(),
                sso_only: input.sso_only,
            },
        )
        .await
        .extend()?;
        Ok(SingleSignOn::of(&state.config, &row))
    }

    /// Removes the viewer's mission's provider; false if it had none.
    async fn remove_single_sign_on(&self, ctx: &Context<'_>) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        service::remove(state, viewer).await.extend()
    }

    /// Records (or with null clears) the subject a person of the admin's
    /// mission has at the provider (for `SUBJECT` matching).
    async fn set_single_sign_on_subject(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        subject: Option<String>,
    ) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        let user_id = ids::decode_input(Kind::User, "userId", &user_id).extend()?;
        service::set_subject(state, viewer, user_id, subject)
            .await
            .extend()?;
        Ok(true)
    }
}
