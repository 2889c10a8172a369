//! Second factors: an authenticator app (TOTP, RFC 6238: SHA-1, six digits,
//! 30-second steps — what authenticator apps read), single-use recovery
//! codes, and the two-step sign-in that sits between a right password and an
//! opened session.
//!
//! The sign-in challenge: when `auth::sign_in` finds the password right and
//! the person has a factor (or a rule requires one), no session opens; a row
//! of `sign_in_challenges` does instead (its token's SHA-256, five minutes,
//! used at most once), and the client is answered `SECOND_FACTOR_REQUIRED`
//! with the token. The password is never kept: the member key it opened is
//! sealed under the challenge token, as a web session's is under its cookie,
//! and moved into the session the second step opens.
//!
//! The contract other second steps (security keys) build on:
//! `challenge_of` (whose challenge, which kind, until when),
//! `pass_second_step` (consumes the challenge once and opens the session
//! with the method that passed) and `second_step_failed` (counts toward the
//! lockout).
//!
//! The TOTP secret is stored sealed with the server's identity keys
//! (`ACCORD_IDENTITY_KEYS`, `crypto::KeyRing`), bound to its user by the
//! associated data; a database dump alone holds no secret.
use std::fmt::Write as _;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::auth::token::{hash_refresh_token, new_refresh_token};
use crate::crypto::sealed::{SecretKey, UnlockSecret};
use crate::domain::ids::new_id;
use crate::domain::{Role, SecondStep, SignInMethod, second_factor_needed, second_factor_required};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::msg;
use crate::service::auth::{
    self, NewSession, Opened, SessionKind, confirm_password, record_failure, user_country,
};
use crate::service::identity;
use crate::state::AppState;
use crate::store::{
    login_throttle, mission, recovery_code, security_key, sign_in_challenge, user, user_totp,
};

/// How long a sign-in challenge lives.
pub const CHALLENGE_SECS: i64 = 5 * 60;
/// Failed second steps (per person, within the sign-in lockout window)
/// before the second step is locked for that window.
pub const MAX_SECOND_STEP_FAILURES: i32 = 5;
/// Recovery codes handed out at once.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show beside the account.
const ISSUER: &str = "Accord";
/// Steps of 30 s; a code of the step before or after is accepted too.
const STEP_SECS: i64 = 30;
const DIGITS: u8 = 6;
/// Recovery code characters: no 0/o, 1/l/i to misread.
const CODE_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A challenge unknown, expired, used or killed by the lockout.
const BAD_CHALLENGE: AppError = AppError::Unauthenticated("invalid or expired sign-in challenge");

/// The ways a challenge can be passed (`extensions.methods`).
pub const METHOD_TOTP: &str = "TOTP";
pub const METHOD_RECOVERY_CODE: &str = "RECOVERY_CODE";
pub const METHOD_ENROL_TOTP: &str = "ENROL_TOTP";
/// A security key, on the web client (its script runs the ceremony).
pub const METHOD_SECURITY_KEY: &str = "SECURITY_KEY";

/// A live sign-in challenge, as `challenge_of` tells it.
#[derive(Clone, Debug)]
pub struct PendingChallenge {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: SessionKind,
    pub expires_at: DateTime<Utc>,
    /// The person has no factor yet and must enrol one (a rule requires it).
    pub must_enrol: bool,
}

/// A TOTP enrolment begun: the secret as text (typed by hand), the
/// `otpauth://` URI and the same as a QR code (SVG markup and an SVG data URL).
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

impl Enrolment {
    /// The QR code as a `data:` URL (for API clients; pages inline the SVG,
    /// which their `Content-Security-Policy` allows and a data URL it does not).
    pub fn qr_data_url(&self) -> String {
        format!(
            "data:image/svg+xml;base64,{}",
            STANDARD.encode(&self.qr_svg)
        )
    }
}

/// A person's second factors, as `me { secondFactor }` tells them.
pub struct Status {
    pub totp: bool,
    pub recovery_codes_left: u64,
    pub required: bool,
}

// ---------------------------------------------------------------------------
// Who must.

async fn mission_requires(db: &impl ConnectionTrait, u: &user::Model) -> AppResult<bool> {
    mission_rule(db, u.mission_id).await
}

/// Whether `mission_id` (none: no mission) requires a second factor.
async fn mission_rule(db: &impl ConnectionTrait, mission_id: Option<Uuid>) -> AppResult<bool> {
    let Some(mission_id) = mission_id else {
        return Ok(false);
    };
    Ok(mission::Entity::find_by_id(mission_id)
        .one(db)
        .await?
        .is_some_and(|m| m.second_factor_required))
}

fn role_of(u: &user::Model) -> AppResult<Role> {
    u.role
        .parse::<Role>()
        .map_err(|_| AppError::internal("unknown stored role"))
}

async fn enrolled(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<bool> {
    Ok(user_totp::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|t| t.confirmed_at.is_some()))
}

/// Whether this person has a security key (WebAuthn, `security_keys`).
async fn has_security_key(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<bool> {
    Ok(security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}

/// Whether this person has any second factor: an authenticator app or a
/// security key. Either counts for the mission's and the platform's rules.
async fn has_a_factor(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<bool> {
    Ok(enrolled(db, user_id).await? || has_security_key(db, user_id).await?)
}

/// Whether this person has an authenticator app on (the code page offers
/// its code only then).
pub async fn has_totp(state: &AppState, user_id: Uuid) -> AppResult<bool> {
    enrolled(&state.db, user_id).await
}

/// The ways of a person who has a factor: the app's code and recovery
/// codes if the app is on, a security key if they have one (web only).
async fn proving_methods(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<&'static str>> {
    let mut methods = Vec::new();
    if enrolled(db, user_id).await? {
        methods.extend([METHOD_TOTP, METHOD_RECOVERY_CODE]);
    }
    if has_security_key(db, user_id).await? {
        methods.push(METHOD_SECURITY_KEY);
    }
    Ok(methods)
}

/// Whether a rule requires this person to have a second factor.
async fn required_for(
    state: &AppState,
    db: &impl ConnectionTrait,
    u: &user::Model,
) -> AppResult<bool> {
    Ok(second_factor_required(
        role_of(u)?,
        mission_requires(db, u).await?,
        state.config.second_factor_for_staff(),
    ))
}

/// The ways this person can pass a challenge (`extensions.methods`).
pub async fn methods_of(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<&'static str>> {
    if has_a_factor(db, user_id).await? {
        proving_methods(db, user_id).await
    } else {
        Ok(vec![METHOD_ENROL_TOTP])
    }
}

// ---------------------------------------------------------------------------
// The challenge.

/// Called by `auth::sign_in` inside its transaction, the password right: when
/// this person needs a second step, writes a challenge and returns the
/// refusal to answer (`SECOND_FACTOR_REQUIRED` with its token), else `None`.
pub(crate) async fn challenge_if_needed(
    state: &AppState,
    txn: &impl ConnectionTrait,
    u: &user::Model,
    kind: NewSession<'_>,
    member: Option<&SecretKey>,
) -> AppResult<Option<AppError>> {
    let step = second_factor_needed(
        role_of(u)?,
        mission_requires(txn, u).await?,
        state.config.second_factor_for_staff(),
        has_a_factor(txn, u.id).await?,
    );
    let methods = match step {
        SecondStep::None => return Ok(None),
        SecondStep::Prove => proving_methods(txn, u.id).await?,
        SecondStep::Enrol => vec![METHOD_ENROL_TOTP],
    };
    let now = state.clock.now();
    let id = new_id();
    let (token, hash) = new_refresh_token();
    let (kind, label) = match kind {
        NewSession::Api => (SessionKind::Api, None),
        NewSession::Web { browser } => (SessionKind::Web, Some(auth::browser_label(browser))),
    };
    sign_in_challenge::ActiveModel {
        id: Set(id),
        token_hash: Set(hash),
        user_id: Set(u.id),
        kind: Set(kind.as_str().to_owned()),
        client_label: Set(label),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(CHALLENGE_SECS)),
        failures: Set(0),
        used_at: Set(None),
        member_sealed: Set(member
            .map(|m| identity::seal_for_session(m, &UnlockSecret::from_cookie(&token), id))
            .transpose()?),
    }
    .insert(txn)
    .await?;
    Ok(Some(AppError::SecondFactorRequired {
        challenge: token,
        methods,
    }))
}

async fn live_challenge(
    state: &AppState,
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<sign_in_challenge::Model> {
    if token.is_empty() || token.len() > 128 {
        return Err(BAD_CHALLENGE);
    }
    sign_in_challenge::Entity::find()
        .filter(sign_in_challenge::Column::TokenHash.eq(hash_refresh_token(token)))
        .one(db)
        .await?
        .filter(|c| c.used_at.is_none() && c.expires_at > state.clock.now())
        .ok_or(BAD_CHALLENGE)
}

/// The live challenge behind `token`: whose, which kind of session it will
/// open, until when. `UNAUTHENTICATED` when unknown, expired or used.
pub async fn challenge_of(state: &AppState, token: &str) -> AppResult<PendingChallenge> {
    let c = live_challenge(state, &state.db, token).await?;
    let kind = if c.kind == SessionKind::Web.as_str() {
        SessionKind::Web
    } else {
        SessionKind::Api
    };
    Ok(PendingChallenge {
        id: c.id,
        user_id: c.user_id,
        kind,
        expires_at: c.expires_at,
        must_enrol: !has_a_factor(&state.db, c.user_id).await?,
    })
}

fn throttle_key(user_id: Uuid) -> String {
    format!("2fa:{user_id}")
}

/// Refused `RATE_LIMITED` while the person's second step is locked; the
/// challenge presented dies with it.
async fn refuse_if_locked(state: &AppState, c: &sign_in_challenge::Model) -> AppResult<()> {
    let now = state.clock.now();
    let until = login_throttle::Entity::find_by_id(throttle_key(c.user_id))
        .one(&state.db)
        .await?
        .and_then(|t| t.locked_until)
        .filter(|until| *until > now);
    if let Some(until) = until {
        kill(&state.db, c.id, now).await?;
        return Err(AppError::RateLimited {
            retry_after_secs: Ord::max((until - now).num_seconds(), 1),
        });
    }
    Ok(())
}

async fn kill(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    sign_in_challenge::Entity::update_many()
        .col_expr(sign_in_challenge::Column::UsedAt, Expr::value(now))
        .filter(sign_in_challenge::Column::Id.eq(id))
        .filter(sign_in_challenge::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Consumes the challenge behind `token` — exactly once, even against a
/// concurrent second step — and opens the session it was for, recording
/// `method` as how the person proved who they are. Audited.
pub async fn pass_second_step(
    state: &AppState,
    token: &str,
    method: SignInMethod,
) -> AppResult<Opened> {
    let c = live_challenge(state, &state.db, token).await?;
    refuse_if_locked(state, &c).await?;
    let txn = state.db.begin().await?;
    let opened = pass_in(state, &txn, &c, token, method).await?;
    txn.commit().await?;
    Ok(opened)
}

/// `pass_second_step` inside the caller's transaction (a code accepted and
/// the session opened commit together).
async fn pass_in(
    state: &AppState,
    txn: &impl ConnectionTrait,
    c: &sign_in_challenge::Model,
    token: &str,
    method: SignInMethod,
) -> AppResult<Opened> {
    let now = state.clock.now();
    let claimed = sign_in_challenge::Entity::update_many()
        .col_expr(sign_in_challenge::Column::UsedAt, Expr::value(now))
        .filter(sign_in_challenge::Column::Id.eq(c.id))
        .filter(sign_in_challenge::Column::UsedAt.is_null())
        .filter(Expr::col(sign_in_challenge::Column::ExpiresAt).gt(now))
        .exec(txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(BAD_CHALLENGE);
    }
    let u = user::Entity::find_by_id(c.user_id)
        .one(txn)
        .await?
        .filter(|u| u.active)
        .ok_or(BAD_CHALLENGE)?;
    let member = match &c.member_sealed {
        Some(sealed) => {
            match identity::open_for_session(sealed, &UnlockSecret::from_cookie(token), c.id) {
                Ok(key) => Some(key),
                Err(_) => {
                    tracing::error!(user = %u.id, "a challenge's member key did not open");
                    None
                }
            }
        }
        None => None,
    };
    let opened = if c.kind == SessionKind::Web.as_str() {
        Opened::Web(
            auth::open_labelled_web_session(
                state,
                txn,
                &u,
                c.client_label.clone().unwrap_or_else(|| "?|".to_owned()),
                method,
                member.as_ref(),
            )
            .await?,
        )
    } else {
        Opened::Api(auth::open_session(state, txn, &u, method, member.as_ref()).await?)
    };
    login_throttle::Entity::delete_by_id(throttle_key(u.id))
        .exec(txn)
        .await?;
    let country = user_country(txn, &u).await?;
    let actor = Actor {
        user_id: Some(u.id),
        country,
    };
    audit::append(
        txn,
        Event::new(actor, Action::SecondFactorPassed, ObjectType::User)
            .object(u.id, country)
            .detail(method.as_str()),
    )
    .await?;
    audit::append(
        txn,
        Event::new(actor, Action::LoginSucceeded, ObjectType::User).object(u.id, country),
    )
    .await?;
    Ok(opened)
}

/// Counts a failed second step made with `token` against its person (and
/// audits it). At the fifth within the lockout window the person's second
/// step is locked for that window, the challenge dies, and this answers
/// `RATE_LIMITED`; otherwise `Ok(())`, and the caller says what was wrong.
pub async fn second_step_failed(state: &AppState, token: &str) -> AppResult<()> {
    let Ok(c) = live_challenge(state, &state.db, token).await else {
        return Err(BAD_CHALLENGE);
    };
    failed(state, &c).await
}

async fn failed(state: &AppState, c: &sign_in_challenge::Model) -> AppResult<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    sign_in_challenge::Entity::update_many()
        .col_expr(
            sign_in_challenge::Column::Failures,
            Expr::col(sign_in_challenge::Column::Failures).add(1),
        )
        .filter(sign_in_challenge::Column::Id.eq(c.id))
        .exec(&txn)
        .await?;
    let locked = record_failure(
        &txn,
        &throttle_key(c.user_id),
        MAX_SECOND_STEP_FAILURES,
        state.config.login_lockout_secs,
    )
    .await?;
    let u = user::Entity::find_by_id(c.user_id).one(&txn).await?;
    let country = match &u {
        Some(u) => user_country(&txn, u).await?,
        None => None,
    };
    audit::append(
        &txn,
        Event::new(Actor::SYSTEM, Action::SecondFactorFailed, ObjectType::User)
            .object(c.user_id, country),
    )
    .await?;
    if locked {
        kill(&txn, c.id, now).await?;
        audit::append(
            &txn,
            Event::new(Actor::SYSTEM, Action::SecondFactorLocked, ObjectType::User)
                .object(c.user_id, country),
        )
        .await?;
    }
    txn.commit().await?;
    state.metrics.login_failure();
    if locked {
        tracing::warn!(user = %c.user_id, "too many failed second steps; locked");
        return Err(AppError::RateLimited {
            retry_after_secs: Ord::max(state.config.login_lockout_secs, 1),
        });
    }
    Ok(())
}

/// The second step with a code from the authenticator app or a recovery
/// code (exactly one). A wrong, replayed or used code is `BAD_USER_INPUT`
/// on its field and counts toward the lockout.
pub async fn complete_login(
    state: &AppState,
    token: &str,
    code: Option<&str>,
    recovery_code: Option<&str>,
) -> AppResult<Opened> {
    let c = live_challenge(state, &state.db, token).await?;
    refuse_if_locked(state, &c).await?;
    let code = code.map(str::trim).filter(|s| !s.is_empty());
    let recovery = recovery_code.map(str::trim).filter(|s| !s.is_empty());
    match (code, recovery) {
        (Some(code), None) => {
            let row = user_totp::Entity::find_by_id(c.user_id)
                .one(&state.db)
                .await?
                .filter(|t| t.confirmed_at.is_some())
                .ok_or_else(|| {
                    AppError::bad_input("code", msg!("input-second-factor-not-enrolled"))
                })?;
            let secret = open_secret(state, c.user_id, &row.secret_sealed)?;
            let Some(step) = accepted_step(&secret, code, state.clock.now(), row.last_step) else {
                failed(state, &c).await?;
                return Err(AppError::bad_input(
                    "code",
                    msg!("input-second-factor-code-wrong"),
                ));
            };
            let txn = state.db.begin().await?;
            if !take_step(&txn, c.user_id, step).await? {
                drop(txn);
                failed(state, &c).await?;
                return Err(AppError::bad_input(
                    "code",
                    msg!("input-second-factor-code-wrong"),
                ));
            }
            let opened = pass_in(state, &txn, &c, token, SignInMethod::PasswordTotp).await?;
            txn.commit().await?;
            Ok(opened)
        }
        (None, Some(recovery)) => {
            let txn = state.db.begin().await?;
            let now = state.clock.now();
            let used = recovery_code::Entity::update_many()
                .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
                .filter(recovery_code::Column::UserId.eq(c.user_id))
                .filter(recovery_code::Column::CodeHash.eq(recovery_hash(recovery)))
                .filter(recovery_code::Column::UsedAt.is_null())
                .exec(&txn)
                .await?;
            if used.rows_affected != 1 {
                drop(txn);
                failed(state, &c).await?;
                return Err(AppError::bad_input(
                    "recoveryCode",
                    msg!("input-second-factor-recovery-code-wrong"),
                ));
            }
            let opened =
                pass_in(state, &txn, &c, token, SignInMethod::PasswordRecoveryCode).await?;
            let u = user::Entity::find_by_id(c.user_id)
                .one(&txn)
                .await?
                .ok_or(BAD_CHALLENGE)?;
            let country = user_country(&txn, &u).await?;
            audit::append(
                &txn,
                Event::new(
                    Actor {
                        user_id: Some(u.id),
                        country,
                    },
                    Action::RecoveryCodeUsed,
                    ObjectType::User,
                )
                .object(u.id, country),
            )
            .await?;
            mail::enqueue(
                &txn,
                now,
                u.id,
                &Notice::SecurityChanged {
                    change: SECURITY_RECOVERY_CODE_USED.to_owned(),
                    at: now,
                },
            )
            .await?;
            txn.commit().await?;
            Ok(opened)
        }
        _ => Err(AppError::bad_input(
            "code",
            msg!("input-second-factor-code-or-recovery"),
        )),
    }
}

/// What a `SecurityChanged` notice tells.
pub const SECURITY_RECOVERY_CODE_USED: &str = "RECOVERY_CODE_USED";
pub const SECURITY_TOTP_REMOVED: &str = "TOTP_REMOVED";

// ---------------------------------------------------------------------------
// TOTP.

fn secret_context(user_id: Uuid) -> String {
    format!("accord totp v1|user:{user_id}")
}

fn open_secret(state: &AppState, user_id: Uuid, sealed: &str) -> AppResult<Vec<u8>> {
    let text = state.keys_identity.open(&secret_context(user_id), sealed)?;
    totp_rs::Secret::try_from_base32(&text)
        .ok()
        .map(|s| s.as_bytes().to_vec())
        .ok_or_else(|| AppError::internal("stored TOTP secret unreadable"))
}

fn totp_of(secret: Vec<u8>, account: &str) -> AppResult<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(1)
        .with_step_duration(STEP_SECS as u64)
        .with_secret(secret)
        .with_account_name(account.replace(':', "_"))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| AppError::internal(format!("TOTP: {e}")))
}

/// The time step `code` is right for — the current one or one either side —
/// if it is later than `last` (a code of an accepted step is a replay).
/// Compared in constant time.
fn accepted_step(secret: &[u8], code: &str, now: DateTime<Utc>, last: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp_of(secret.to_vec(), "").ok()?;
    let current = now.timestamp().div_euclid(STEP_SECS);
    let mut found = None;
    for step in [current - 1, current, current + 1] {
        let Ok(at) = u64::try_from(step * STEP_SECS) else {
            continue;
        };
        let expected = totp.generate(at).to_string();
        let same: bool = expected.as_bytes().ct_eq(code.as_bytes()).into();
        if same && last.is_none_or(|l| step > l) {
            found = Some(step);
        }
    }
    found
}

/// Records `step` as the last accepted, only if it is later than the one
/// recorded (so two concurrent uses of one code cannot both pass).
async fn take_step(txn: &impl ConnectionTrait, user_id: Uuid, step: i64) -> AppResult<bool> {
    let taken = user_totp::Entity::update_many()
        .col_expr(user_totp::Column::LastStep, Expr::value(step))
        .filter(user_totp::Column::UserId.eq(user_id))
        .filter(user_totp::Column::ConfirmedAt.is_not_null())
        .filter(
            user_totp::Column::LastStep
                .is_null()
                .or(user_totp::Column::LastStep.lt(step)),
        )
        .exec(txn)
        .await?;
    Ok(taken.rows_affected == 1)
}

fn qr_svg(text: &str) -> AppResult<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|_| AppError::internal("the otpauth URI does not fit a QR code"))?;
    let border = 4;
    let size = qr.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + border, y + border);
            }
        }
    }
    let full = size + 2 * border;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\"><rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// Starts (or starts again) an enrolment: a new secret, waiting for its
/// first code. Refused `CONFLICT` while an app is already on (remove it
/// first).
async fn begin_for(state: &AppState, u: &user::Model) -> AppResult<Enrolment> {
    if enrolled(&state.db, u.id).await? {
        return Err(AppError::Conflict(msg!("conflict-totp-already-on")));
    }
    let secret = totp_rs::Secret::generate();
    let text = secret.to_base32();
    let bytes = secret.as_bytes().to_vec();
    let totp = totp_of(bytes, &u.email)?;
    let uri = totp
        .to_url()
        .map_err(|e| AppError::internal(format!("TOTP URI: {e}")))?;
    let sealed = state.keys_identity.seal(&secret_context(u.id), &text)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    user_totp::Entity::delete_by_id(u.id).exec(&txn).await?;
    user_totp::ActiveModel {
        user_id: Set(u.id),
        secret_sealed: Set(sealed),
        created_at: Set(now),
        confirmed_at: Set(None),
        last_step: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Enrolment {
        qr_svg: qr_svg(&uri)?,
        secret: text,
        uri,
    })
}

/// Confirms the pending enrolment with a first code, inside `txn`: the app
/// is on, and ten new recovery codes are returned (shown once). `None` when
/// the code is wrong.
async fn confirm_in(
    state: &AppState,
    txn: &impl ConnectionTrait,
    u: &user::Model,
    code: &str,
) -> AppResult<Option<Vec<String>>> {
    let pending = user_totp::Entity::find_by_id(u.id)
        .one(txn)
        .await?
        .filter(|t| t.confirmed_at.is_none())
        .ok_or_else(|| AppError::Conflict(msg!("conflict-totp-no-enrolment")))?;
    let secret = open_secret(state, u.id, &pending.secret_sealed)?;
    let now = state.clock.now();
    let Some(step) = accepted_step(&secret, code, now, None) else {
        return Ok(None);
    };
    let confirmed = user_totp::Entity::update_many()
        .col_expr(user_totp::Column::ConfirmedAt, Expr::value(now))
        .col_expr(user_totp::Column::LastStep, Expr::value(step))
        .filter(user_totp::Column::UserId.eq(u.id))
        .filter(user_totp::Column::ConfirmedAt.is_null())
        .exec(txn)
        .await?;
    if confirmed.rows_affected != 1 {
        return Err(AppError::Conflict(msg!("conflict-totp-no-enrolment")));
    }
    let codes = replace_recovery_codes(txn, u.id, now).await?;
    let country = user_country(txn, u).await?;
    audit::append(
        txn,
        Event::new(
            Actor {
                user_id: Some(u.id),
                country,
            },
            Action::TotpEnrolled,
            ObjectType::User,
        )
        .object(u.id, country),
    )
    .await?;
    Ok(Some(codes))
}

fn new_recovery_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            code.push('-');
        }
        code.push(char::from(
            CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())],
        ));
    }
    code
}

/// SHA-256 of a recovery code as typed: case, spaces and dashes aside.
fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

async fn replace_recovery_codes(
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    recovery_code::Entity::insert_many(codes.iter().map(|c| recovery_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        code_hash: Set(recovery_hash(c)),
        created_at: Set(now),
        used_at: Set(None),
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(codes)
}

async fn user_of(state: &AppState, viewer: &Viewer) -> AppResult<user::Model> {
    auth::current_user(state, viewer).await
}

/// The enrolment waiting for its first code, shown again (a page reloaded
/// after its POST): `None` when there is none.
async fn pending_for(state: &AppState, u: &user::Model) -> AppResult<Option<Enrolment>> {
    let Some(row) = user_totp::Entity::find_by_id(u.id)
        .one(&state.db)
        .await?
        .filter(|t| t.confirmed_at.is_none())
    else {
        return Ok(None);
    };
    let secret = open_secret(state, u.id, &row.secret_sealed)?;
    let totp = totp_of(secret, &u.email)?;
    let uri = totp
        .to_url()
        .map_err(|e| AppError::internal(format!("TOTP URI: {e}")))?;
    Ok(Some(Enrolment {
        qr_svg: qr_svg(&uri)?,
        secret: totp.secret().to_base32(),
        uri,
    }))
}

/// The signed-in person's enrolment waiting for its first code.
pub async fn pending_enrolment(state: &AppState, viewer: &Viewer) -> AppResult<Option<Enrolment>> {
    let u = user_of(state, viewer).await?;
    pending_for(state, &u).await
}

/// The enrolment waiting for its first code of the person a challenge is for.
pub async fn pending_enrolment_by_challenge(
    state: &AppState,
    token: &str,
) -> AppResult<Option<Enrolment>> {
    let c = live_challenge(state, &state.db, token).await?;
    let u = user::Entity::find_by_id(c.user_id)
        .one(&state.db)
        .await?
        .ok_or(BAD_CHALLENGE)?;
    pending_for(state, &u).await
}

/// `beginTotpEnrolment` for the signed-in person.
pub async fn begin_enrolment(state: &AppState, viewer: &Viewer) -> AppResult<Enrolment> {
    let u = user_of(state, viewer).await?;
    begin_for(state, &u).await
}

/// `confirmTotpEnrolment` for the signed-in person: the recovery codes.
pub async fn confirm_enrolment(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
) -> AppResult<Vec<String>> {
    let u = user_of(state, viewer).await?;
    let txn = state.db.begin().await?;
    match confirm_in(state, &txn, &u, code).await? {
        Some(codes) => {
            txn.commit().await?;
            Ok(codes)
        }
        None => Err(AppError::bad_input(
            "code",
            msg!("input-second-factor-code-wrong"),
        )),
    }
}

/// A person a rule requires to enrol, between password and session: begins
/// their enrolment on the strength of the challenge.
pub async fn begin_enrolment_by_challenge(state: &AppState, token: &str) -> AppResult<Enrolment> {
    let c = live_challenge(state, &state.db, token).await?;
    refuse_if_locked(state, &c).await?;
    let u = user::Entity::find_by_id(c.user_id)
        .one(&state.db)
        .await?
        .filter(|u| u.active)
        .ok_or(BAD_CHALLENGE)?;
    begin_for(state, &u).await
}

/// Confirms the enrolment begun with the challenge: the app is on and the
/// session opens (`PASSWORD_TOTP`), with the recovery codes to show once.
/// A wrong code counts toward the lockout.
pub async fn confirm_enrolment_by_challenge(
    state: &AppState,
    token: &str,
    code: &str,
) -> AppResult<(Vec<String>, Opened)> {
    let c = live_challenge(state, &state.db, token).await?;
    refuse_if_locked(state, &c).await?;
    let u = user::Entity::find_by_id(c.user_id)
        .one(&state.db)
        .await?
        .filter(|u| u.active)
        .ok_or(BAD_CHALLENGE)?;
    let txn = state.db.begin().await?;
    match confirm_in(state, &txn, &u, code).await? {
        Some(codes) => {
            let opened = pass_in(state, &txn, &c, token, SignInMethod::PasswordTotp).await?;
            txn.commit().await?;
            Ok((codes, opened))
        }
        None => {
            drop(txn);
            failed(state, &c).await?;
            Err(AppError::bad_input(
                "code",
                msg!("input-second-factor-code-wrong"),
            ))
        }
    }
}

fn wrong_password() -> AppError {
    AppError::bad_input(
        "currentPassword",
        msg!("input-is-not-your-current-password"),
    )
}

/// Ten new recovery codes (the old ones stop working), after the current
/// password. Refused `CONFLICT` without an app on.
pub async fn regenerate_recovery_codes(
    state: &AppState,
    viewer: &Viewer,
    password: &str,
) -> AppResult<Vec<String>> {
    let u = user_of(state, viewer).await?;
    if !confirm_password(state, &u, password).await? {
        return Err(wrong_password());
    }
    if !enrolled(&state.db, u.id).await? {
        return Err(AppError::Conflict(msg!("conflict-totp-not-on")));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let codes = replace_recovery_codes(&txn, u.id, now).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::RecoveryCodesRegenerated, ObjectType::User)
            .object(u.id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// Turns the app off (and its recovery codes), after the current password.
/// Refused `CONFLICT` while a rule requires a second factor of this person
/// (it is their only one). The person is told by email.
pub async fn remove_totp(state: &AppState, viewer: &Viewer, password: &str) -> AppResult<()> {
    let u = user_of(state, viewer).await?;
    if !confirm_password(state, &u, password).await? {
        return Err(wrong_password());
    }
    if !enrolled(&state.db, u.id).await? {
        return Err(AppError::Conflict(msg!("conflict-totp-not-on")));
    }
    if required_for(state, &state.db, &u).await? {
        return Err(AppError::Conflict(msg!("conflict-second-factor-required")));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    user_totp::Entity::delete_by_id(u.id).exec(&txn).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(u.id))
        .exec(&txn)
        .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::TotpRemoved, ObjectType::User).object(u.id, viewer.country),
    )
    .await?;
    mail::enqueue(
        &txn,
        now,
        u.id,
        &Notice::SecurityChanged {
            change: SECURITY_TOTP_REMOVED.to_owned(),
            at: now,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The person's second factors and whether a rule requires one.
pub async fn status(state: &AppState, viewer: &Viewer) -> AppResult<Status> {
    let u = user_of(state, viewer).await?;
    let totp = enrolled(&state.db, u.id).await?;
    let left = recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(u.id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(&state.db)
        .await?;
    Ok(Status {
        totp,
        recovery_codes_left: if totp { left } else { 0 },
        required: required_for(state, &state.db, &u).await?,
    })
}

/// A mission admin requires (or stops requiring) a second factor of every
/// person of their mission. Audited.
pub async fn set_mission_required(
    state: &AppState,
    viewer: &Viewer,
    required: bool,
) -> AppResult<bool> {
    let mission_id = rule_setter_mission(viewer).ok_or(AppError::Forbidden)?;
    let txn = state.db.begin().await?;
    mission::Entity::update_many()
        .col_expr(mission::Column::SecondFactorRequired, Expr::value(required))
        .filter(mission::Column::Id.eq(mission_id))
        .exec(&txn)
        .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::MissionSecondFactorSet, ObjectType::Mission)
            .object(mission_id, viewer.country)
            .detail(if required { "REQUIRED" } else { "OPTIONAL" }),
    )
    .await?;
    txn.commit().await?;
    Ok(required)
}

/// The mission whose rule `viewer` may set: their own, if they are its
/// admin.
fn rule_setter_mission(viewer: &Viewer) -> Option<Uuid> {
    match (viewer.role, viewer.mission_id) {
        (Role::Admin, Some(mission_id)) => Some(mission_id),
        _ => None,
    }
}

/// Whether the viewer's mission requires a second factor, for the admin
/// who may change it; `None` for everyone else.
pub async fn mission_rule_for_admin(state: &AppState, viewer: &Viewer) -> AppResult<Option<bool>> {
    match rule_setter_mission(viewer) {
        Some(mission_id) => Ok(Some(mission_rule(&state.db, Some(mission_id)).await?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_once_in_its_window() {
        let secret = b"12345678901234567890".to_vec();
        let totp = totp_of(secret.clone(), "").expect("totp");
        let now = DateTime::<Utc>::from_timestamp(59 * 30 + 7, 0).expect("time");
        let code = |step: i64| totp.generate((step * 30) as u64).to_string();
        assert_eq!(accepted_step(&secret, &code(59), now, None), Some(59));
        assert_eq!(accepted_step(&secret, &code(58), now, None), Some(58));
        assert_eq!(accepted_step(&secret, &code(60), now, None), Some(60));
        assert_eq!(accepted_step(&secret, &code(57), now, None), None);
        assert_eq!(accepted_step(&secret, &code(61), now, None), None);
        // Replays: a step at or before the last accepted one.
        assert_eq!(accepted_step(&secret, &code(59), now, Some(59)), None);
        assert_eq!(accepted_step(&secret, &code(58), now, Some(59)), None);
        assert_eq!(accepted_step(&secret, &code(60), now, Some(59)), Some(60));
        // Shapes.
        assert_eq!(accepted_step(&secret, "12345", now, None), None);
        assert_eq!(accepted_step(&secret, "abcdef", now, None), None);
        let spaced = format!("{} {}", &code(59)[..3], &code(59)[3..]);
        assert_eq!(accepted_step(&secret, &spaced, now, None), Some(59));
    }

    #[test]
    fn rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); six: 287082.
        let totp = totp_of(b"12345678901234567890".to_vec(), "").expect("totp");
        assert_eq!(totp.generate(59).to_string(), "287082");
    }

    #[test]
    fn recovery_codes_are_read_as_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(
            recovery_hash(&code),
            recovery_hash(&code.to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(&code), recovery_hash(&new_recovery_code()));
    }
}
