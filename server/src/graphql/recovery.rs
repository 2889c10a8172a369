//! Recovery without a helpdesk (`service::recovery`): forgot password,
//! reset with a link, an admin's forced reset, and changing one's email
//! address. `requestPasswordReset`, `resetPassword` and `confirmEmailChange`
//! need no viewer (whoever holds the link, or knows the address); each takes
//! the request's one credential check (`graphql::once`), so one request
//! cannot queue a request or hash a password per alias.
use async_graphql::{Context, ID, Object, Result, ResultExt};

use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::once::{self, Scarce};
use crate::service::recovery as service;

#[derive(Default)]
pub struct RecoveryMutation;

#[Object]
impl RecoveryMutation {
    /// Forgot password: sends a single-use link, valid 30 minutes, to the
    /// account with this address. Answers `true` whether or not an account
    /// has it (and in about the same time): the look-up happens afterwards.
    /// Links to one account are limited (one per 2 minutes, 3 an hour);
    /// beyond, nothing is sent, and the answer is still `true`.
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> Result<bool> {
        once::claim(ctx, Scarce::Credential, "requestPasswordReset").extend()?;
        let state = ctx.state().extend()?;
        service::request_password_reset(state, &email)
            .await
            .extend()?;
        Ok(true)
    }

    /// Sets a new password with a reset link's token: every session of the
    /// account ends; identities the person could open stay closed until an
    /// admin grants them access again. An unknown, used or expired link is
    /// `BAD_USER_INPUT` on `token`, whichever it is.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> Result<bool> {
        once::claim(ctx, Scarce::Credential, "resetPassword").extend()?;
        let state = ctx.state().extend()?;
        service::reset_password(state, &token, &new_password)
            .await
            .extend()?;
        Ok(true)
    }

    /// An admin (their mission's people) or the operator (anyone): the
    /// person's password stops working at once, their sessions end, and a
    /// reset link is emailed to them. Nobody sees or sets a password.
    async fn force_password_reset(&self, ctx: &Context<'_>, user_id: ID) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::User, &user_id).extend()?;
        service::force_password_reset(state, viewer, id)
            .await
            .extend()?;
        Ok(true)
    }

    /// Asks to move the viewer's account to `newEmail` (the current
    /// password checked under the sign-in throttle): a confirmation link
    /// (24 hours, single use) goes to the new address, a notice to the
    /// current one.
    async fn request_email_change(
        &self,
        ctx: &Context<'_>,
        new_email: String,
        current_password: String,
    ) -> Result<bool> {
        once::claim(ctx, Scarce::Credential, "requestEmailChange").extend()?;
        let (state, viewer) = ctx.parts().extend()?;
        service::request_email_change(state, viewer, &new_email, &current_password)
            .await
            .extend()?;
        Ok(true)
    }

    /// Confirms an email change with the link's token: the account takes
    /// the new address (`CONFLICT` if another account has it now).
    async fn confirm_email_change(&self, ctx: &Context<'_>, token: String) -> Result<bool> {
        once::claim(ctx, Scarce::Credential, "confirmEmailChange").extend()?;
        let state = ctx.state().extend()?;
        service::confirm_email_change(state, &token)
            .await
            .extend()?;
        Ok(true)
    }
}
