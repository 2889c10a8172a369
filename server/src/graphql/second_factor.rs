//! Two-step sign-in: `completeLogin` (the second step after `login`
//! answered `SECOND_FACTOR_REQUIRED`), the authenticator app's enrolment
//! (by a signed-in person, or by a sign-in challenge when a rule requires
//! one), recovery codes, and a mission admin's rule.
use async_graphql::{Context, Object, Result, ResultExt, SimpleObject};

use crate::error::AppError;
use crate::graphql::auth::{claim_credential_check, payload};
use crate::graphql::context::ContextExt;
use crate::graphql::objects::AuthPayload;
use crate::service::auth::Opened;
use crate::service::second_factor as service;
use crate::state::AppState;

/// A person's second factors.
#[derive(SimpleObject)]
pub struct SecondFactorStatus {
    /// Whether an authenticator app is on.
    pub totp: bool,
    /// Recovery codes not used yet (0 without an app).
    pub recovery_codes_left: i32,
    /// Whether a rule (their mission's, or the platform's for staff)
    /// requires them to sign in with a second factor.
    pub required: bool,
}

impl From<service::Status> for SecondFactorStatus {
    fn from(s: service::Status) -> Self {
        SecondFactorStatus {
            totp: s.totp,
            recovery_codes_left: i32::try_from(s.recovery_codes_left).unwrap_or(i32::MAX),
            required: s.required,
        }
    }
}

/// An enrolment begun: add the account to an authenticator app with the QR
/// code or the text secret, then confirm with its first code.
#[derive(SimpleObject)]
pub struct TotpEnrolment {
    /// The shared secret in base32, to type by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URI the QR code holds.
    pub otpauth_uri: String,
    /// The QR code, as an SVG `data:` URL.
    pub qr_code: String,
}

impl From<service::Enrolment> for TotpEnrolment {
    fn from(e: service::Enrolment) -> Self {
        TotpEnrolment {
            qr_code: e.qr_data_url(),
            secret: e.secret,
            otpauth_uri: e.uri,
        }
    }
}

/// An enrolment confirmed.
#[derive(SimpleObject)]
pub struct TotpConfirmation {
    /// Ten single-use recovery codes, shown this once (only their hashes are kept).
    pub recovery_codes: Vec<String>,
    /// When confirmed with a sign-in challenge: the session it opens.
    pub auth: Option<AuthPayload>,
}

async fn api_payload(state: &AppState, opened: Opened) -> Result<AuthPayload, AppError> {
    match opened {
        Opened::Api(issued) => payload(state, issued).await,
        Opened::Web(_) => Err(AppError::internal("an API challenge opened a web session")),
    }
}

#[derive(Default)]
pub struct SecondFactorMutation;

#[Object]
impl SecondFactorMutation {
    /// The second step of a sign-in: the `challenge` from `login`'s
    /// `SECOND_FACTOR_REQUIRED` and either a `code` from the authenticator
    /// app or a `recoveryCode`. A wrong, replayed or used code is
    /// `BAD_USER_INPUT`; the fifth failure locks the second step
    /// (`RATE_LIMITED`) and the challenge ends. A challenge lasts five
    /// minutes and works once.
    async fn complete_login(
        &self,
        ctx: &Context<'_>,
        challenge: String,
        code: Option<String>,
        recovery_code: Option<String>,
    ) -> Result<AuthPayload> {
        claim_credential_check(ctx, "completeLogin").extend()?;
        let state = ctx.state().extend()?;
        let opened =
            service::complete_login(state, &challenge, code.as_deref(), recovery_code.as_deref())
                .await
                .extend()?;
        api_payload(state, opened).await.extend()
    }

    /// Starts adding an authenticator app: as the signed-in person, or, with
    /// a sign-in `challenge` whose methods are `ENROL_TOTP`, as the person
    /// signing in. `CONFLICT` while an app is already on.
    async fn begin_totp_enrolment(
        &self,
        ctx: &Context<'_>,
        challenge: Option<String>,
    ) -> Result<TotpEnrolment> {
        let state = ctx.state().extend()?;
        let enrolment = match challenge {
            Some(token) => service::begin_enrolment_by_challenge(state, &token).await,
            None => service::begin_enrolment(state, ctx.viewer().extend()?).await,
        }
        .extend()?;
        Ok(enrolment.into())
    }

    /// Turns the app on with its first code (`BAD_USER_INPUT` when wrong)
    /// and answers ten recovery codes, shown this once. With a sign-in
    /// `challenge`, it also signs in (`auth`).
    async fn confirm_totp_enrolment(
        &self,
        ctx: &Context<'_>,
        code: String,
        challenge: Option<String>,
    ) -> Result<TotpConfirmation> {
        let state = ctx.state().extend()?;
        match challenge {
            Some(token) => {
                claim_credential_check(ctx, "confirmTotpEnrolment").extend()?;
                let (codes, opened) = service::confirm_enrolment_by_challenge(state, &token, &code)
                    .await
                    .extend()?;
                Ok(TotpConfirmation {
                    recovery_codes: codes,
                    auth: Some(api_payload(state, opened).await.extend()?),
                })
            }
            None => {
                let viewer = ctx.viewer().extend()?;
                let codes = service::confirm_enrolment(state, viewer, &code)
                    .await
                    .extend()?;
                Ok(TotpConfirmation {
                    recovery_codes: codes,
                    auth: None,
                })
            }
        }
    }

    /// Ten new recovery codes; the old ones stop working. The current
    /// password is checked under the sign-in throttle.
    async fn regenerate_recovery_codes(
        &self,
        ctx: &Context<'_>,
        current_password: String,
    ) -> Result<Vec<String>> {
        claim_credential_check(ctx, "regenerateRecoveryCodes").extend()?;
        let (state, viewer) = ctx.parts().extend()?;
        service::regenerate_recovery_codes(state, viewer, &current_password)
            .await
            .extend()
    }

    /// Turns the authenticator app off (its recovery codes too). `CONFLICT`
    /// while a rule requires a second factor of this person. They are told
    /// by email.
    async fn remove_totp(&self, ctx: &Context<'_>, current_password: String) -> Result<bool> {
        claim_credential_check(ctx, "removeTotp").extend()?;
        let (state, viewer) = ctx.parts().extend()?;
        service::remove_totp(state, viewer, &current_password)
            .await
            .extend()?;
        Ok(true)
    }

    /// Mission admins: require (or stop requiring) every person of the
    /// mission to sign in with a second factor. Whoever has none enrols at
    /// their next sign-in.
    async fn set_mission_second_factor_required(
        &self,
        ctx: &Context<'_>,
        required: bool,
    ) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        service::set_mission_required(state, viewer, required)
            .await
            .extend()
    }
}
