//! Recovery without a helpdesk: "forgot password" links, an admin's forced
//! reset, and changing one's email address.
//!
//! - **Forgot password** answers the same, in about the same time, whether
//!   or not an account has the address: the request only queues the address
//!   (`password_reset_requests`, one row per address, bounded in number);
//!   the periodic work (`jobs`) looks it up, applies the per-account limits
//!   and queues the link in the outbox. Nothing about the account is read on
//!   the request's path.
//! - A link's token is never stored: the outbox holds the reset's id, and
//!   the token is minted when the email is sent (`internal_account_mail`);
//!   the database keeps its SHA-256. A link works once, for
//!   `RESET_LINK_MINUTES`; a newer link voids the older ones.
//! - A reset ends every session, forgets the failed sign-ins counted against
//!   the address, and — sealed identity — deletes the member key (wrapped
//!   under the old password, it cannot be opened) and the country-key
//!   copies wrapped to it: the next sign-in makes a fresh member key and an
//!   admin grants access again. The reset page says so before it happens.
//! - An admin's forced reset voids the password at once (an unusable marker,
//!   never a password anybody knows), ends every session and sends a link.
//! - An email change is confirmed from the new address (a link valid
//!   `EMAIL_LINK_HOURS`) and told to the old one, which sees the new address
//!   masked (`mask_email`).
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Reading;
use crate::auth::Viewer;
use crate::auth::token::{hash_refresh_token, new_refresh_token};
use crate::domain::Role;
use crate::domain::input::{Email, Password};
use crate::error::{AppError, AppResult};
use crate::mail::render::{Rendered, render_account};
use crate::mail::{self, Notice};
use crate::msg;
use crate::service::auth::{
    clear_login_throttle, confirm_password, current_user, revoke_all_sessions, user_country,
};
use crate::service::directory::hash_password;
use crate::service::identity;
use crate::state::AppState;
use crate::store::{
    country_key, country_key_wrap, email_change, member_key, password_reset,
    password_reset_request, user,
};

/// How long a reset link works.
pub const RESET_LINK_MINUTES: i64 = 30;
/// How long an email-change confirmation link works.
pub const EMAIL_LINK_HOURS: i64 = 24;
/// At most one reset link per account in this many seconds…
pub const RESET_MIN_GAP_SECS: i64 = 120;
/// …and at most this many in an hour.
pub const RESETS_PER_HOUR: u64 = 3;
/// At most one email change asked per account in this many seconds.
pub const EMAIL_CHANGE_MIN_GAP_SECS: i64 = 120;
/// Forgot-password requests waiting at most; beyond, new ones are dropped
/// (still answered the same: a flood must not grow the table without end).
pub const MAX_PENDING_REQUESTS: u64 = 1_000;
/// Requests answered per round of the periodic work.
const REQUEST_BATCH: u64 = 100;

/// What a voided password's hash is replaced by: not a PHC string, so no
/// password verifies against it, and nobody (the admin included) knows one.
pub const VOIDED_PASSWORD: &str = "!voided: a reset link was sent";

/// The one refusal of a link that is unknown, used, voided or expired:
/// it never says which.
fn invalid_link() -> AppError {
    AppError::bad_input("token", msg!("input-link-no-longer-valid"))
}

// ---------------------------------------------------------------------------
// Forgot password.

/// Queues a forgot-password request. Answers `Ok(())` whether or not an
/// account has the address, doing the same work either way (a count and an
/// insert that ignores a duplicate): the lookup happens later, off the
/// request's path. Only a malformed address is refused.
pub async fn request_password_reset(state: &AppState, email: &str) -> AppResult<()> {
    let email = Email::parse("email", email)?;
    let now = state.clock.now();
    let pending = password_reset_request::Entity::find()
        .count(&state.db)
        .await?;
    if pending >= MAX_PENDING_REQUESTS {
        tracing::warn!(pending, "forgot-password queue full; request dropped");
        return Ok(());
    }
    password_reset_request::Entity::insert(password_reset_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.as_str().to_owned()),
        requested_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(password_reset_request::Column::Email)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&state.db)
    .await?;
    Ok(())
}

/// Whether another link may go to `user_id` now: none in the last
/// `RESET_MIN_GAP_SECS`, fewer than `RESETS_PER_HOUR` in the last hour.
async fn may_send_another(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let recent: Vec<DateTime<Utc>> = password_reset::Entity::find()
        .select_only()
        .column(password_reset::Column::CreatedAt)
        .filter(password_reset::Column::UserId.eq(user_id))
        .filter(password_reset::Column::CreatedAt.gt(now - Duration::hours(1)))
        .into_tuple()
        .all(db)
        .await?;
    let too_soon = recent
        .iter()
        .any(|at| *at > now - Duration::seconds(RESET_MIN_GAP_SECS));
    Ok(!too_soon && (recent.len() as u64) < RESETS_PER_HOUR)
}

/// A new reset link for `u` (voiding their open ones), queued in the outbox
/// in the caller's transaction. Returns its id.
async fn issue_reset(
    db: &impl ConnectionTrait,
    u: &user::Model,
    now: DateTime<Utc>,
    forced: bool,
) -> AppResult<Uuid> {
    void_open_resets(db, u.id, None, now).await?;
    let id = Uuid::now_v7();
    password_reset::Entity::insert(password_reset::ActiveModel {
        id: Set(id),
        user_id: Set(u.id),
        token_hash: Set(None),
        forced: Set(forced),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(RESET_LINK_MINUTES)),
        used_at: Set(None),
        voided_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    mail::enqueue(db, now, u.id, &Notice::PasswordResetLink { reset_id: id }).await?;
    Ok(id)
}

/// Voids `user_id`'s open links (but `except`).
async fn void_open_resets(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut update = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::VoidedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::UserId.eq(user_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::VoidedAt.is_null());
    if let Some(id) = except {
        update = update.filter(password_reset::Column::Id.ne(id));
    }
    update.exec(db).await?;
    Ok(())
}

/// Answers the queued forgot-password requests (periodic work, no viewer):
/// each is taken by deleting it (so one replica answers it), then, for an
/// active account within its limits, a link is queued and audited. An
/// address no account has leaves no trace. Returns the links queued.
pub async fn internal_answer_reset_requests(
    state: &AppState,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let due = password_reset_request::Entity::find()
        .order_by_asc(password_reset_request::Column::RequestedAt)
        .limit(REQUEST_BATCH)
        .all(&state.db)
        .await?;
    let mut queued = 0;
    for request in due {
        let txn = state.db.begin().await?;
        let taken = password_reset_request::Entity::delete_by_id(request.id)
            .exec(&txn)
            .await?;
        if taken.rows_affected != 1 {
            continue;
        }
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(request.email.as_str()))
            .one(&txn)
            .await?
            .filter(|u| u.active);
        if let Some(u) = found
            && may_send_another(&txn, u.id, now).await?
        {
            let reset_id = issue_reset(&txn, &u, now, false).await?;
            let country = user_country(&txn, &u).await?;
            audit::append(
                &txn,
                Event::new(
                    Actor::SYSTEM,
                    Action::PasswordResetRequested,
                    ObjectType::User,
                )
                .object(u.id, country)
                .detail(format!("reset={reset_id}")),
            )
            .await?;
            queued += 1;
        }
        txn.commit().await?;
    }
    Ok(queued)
}

/// The SHA-256 a link's token is stored as; a token no link could hold is
/// refused before any query.
fn link_hash(token: &str) -> AppResult<String> {
    if token.is_empty() || token.len() > 128 {
        return Err(invalid_link());
    }
    Ok(hash_refresh_token(token))
}

/// The reset a token names, if it is still open at `now`.
async fn open_reset(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<(password_reset::Model, user::Model)> {
    let reset = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(link_hash(token)?))
        .one(db)
        .await?
        .filter(|r| r.is_open(now))
        .ok_or_else(invalid_link)?;
    let u = user::Entity::find_by_id(reset.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(invalid_link)?;
    Ok((reset, u))
}

/// What the reset page tells before the person confirms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResetPreview {
    /// They hold copies of their country's key: identities they could open
    /// stay closed until an admin grants them access again.
    pub holds_identity_access: bool,
    /// They are the only member holding the current key (only the recovery
    /// key will open their country's identities until an admin re-grants).
    pub last_custodian: bool,
}

/// Reads a reset link without using it (a mail scanner may open it).
pub async fn reset_preview(state: &AppState, token: &str) -> AppResult<ResetPreview> {
    let (_, u) = open_reset(&state.db, token, state.clock.now()).await?;
    let copies = country_key_wrap::Entity::find()
        .filter(country_key_wrap::Column::UserId.eq(u.id))
        .count(&state.db)
        .await?;
    let mut last_custodian = false;
    if copies > 0
        && let Some(country) = user_country(&state.db, &u).await?
        && let Some(current) = country_key::current(&state.db, country.as_str()).await?
    {
        let members = country_key_wrap::members_of(&state.db, current.id).await?;
        last_custodian = members.len() == 1 && members[0].user_id == Some(u.id);
    }
    Ok(ResetPreview {
        holds_identity_access: copies > 0,
        last_custodian,
    })
}

/// Sets a new password with a reset link: the link is used, the person's
/// other links voided, every session of theirs ended, the failed sign-ins
/// against their address forgotten; their member key and country-key
/// copies are deleted (see the module). Audited; a notice goes to them.
pub async fn reset_password(state: &AppState, token: &str, new_password: &str) -> AppResult<()> {
    let new = Password::parse("newPassword", new_password)?;
    let now = state.clock.now();
    let (reset, u) = open_reset(&state.db, token, now).await?;
    let hash = hash_password(state, new).await?;
    let txn = state.db.begin().await?;
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::Id.eq(reset.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::VoidedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid_link());
    }
    void_open_resets(&txn, u.id, Some(reset.id), now).await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .filter(user::Column::Id.eq(u.id))
        .exec(&txn)
        .await?;
    let copies = identity::forget_member(&txn, u.id).await?;
    member_key::delete_of_user(&txn, u.id).await?;
    revoke_all_sessions(&txn, u.id).await?;
    clear_login_throttle(&txn, &u.email).await?;
    let country = user_country(&txn, &u).await?;
    audit::append(
        &txn,
        Event::new(
            Actor {
                user_id: Some(u.id),
                country,
            },
            Action::PasswordResetCompleted,
            ObjectType::User,
        )
        .object(u.id, country)
        .detail(format!(
            "forced={} key_copies_removed={copies}",
            reset.forced
        )),
    )
    .await?;
    mail::enqueue(
        &txn,
        now,
        u.id,
        &Notice::PasswordChanged { reset_id: reset.id },
    )
    .await?;
    txn.commit().await?;
    state.live.sessions_ended(&state.db, u.id).await;
    Ok(())
}

// ---------------------------------------------------------------------------
// Forced reset.

/// An admin (their own mission's people) or the operator (anyone) voids a
/// person's password: it stops working at once, every session ends, and a
/// reset link goes to them. Nobody learns or sets a password. Someone the
/// viewer does not see is `NOT_FOUND`; one's own account is refused.
pub async fn force_password_reset(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
) -> AppResult<()> {
    if !matches!(viewer.role, Role::Admin | Role::Operator) {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let visible = crate::policy::directory::users(viewer)
        .filter(user::Column::Id.eq(user_id))
        .count(&txn)
        .await?;
    if visible == 0 {
        return Err(AppError::NotFound);
    }
    let target = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.id == viewer.user_id {
        return Err(AppError::bad_input(
            "userId",
            msg!("input-you-cannot-change-your-own"),
        ));
    }
    let country = user_country(&txn, &target).await?;
    if viewer.role == Role::Admin && (country.is_none() || country != viewer.country) {
        return Err(AppError::NotFound);
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(VOIDED_PASSWORD))
        .filter(user::Column::Id.eq(target.id))
        .exec(&txn)
        .await?;
    revoke_all_sessions(&txn, target.id).await?;
    let reset_id = issue_reset(&txn, &target, now, true).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::PasswordResetForced, ObjectType::User)
            .object(target.id, country)
            .detail(format!("reset={reset_id}")),
    )
    .await?;
    txn.commit().await?;
    state.live.sessions_ended(&state.db, target.id).await;
    Ok(())
}

// ---------------------------------------------------------------------------
// Email change.

/// `n…@example.org`: the first character of the local part and the domain,
/// enough for the owner to recognise their new address, too little for
/// whoever reads the old mailbox to learn it.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}…@{domain}")
        }
        None => "…".to_owned(),
    }
}

/// Asks to move the viewer's account to `new_email`, after checking their
/// password under the sign-in throttle: a confirmation link goes to the new
/// address, a notice to the current one. An address already taken is
/// refused only when confirmed (asking must not tell whose it is).
pub async fn request_email_change(
    state: &AppState,
    viewer: &Viewer,
    new_email: &str,
    current_password: &str,
) -> AppResult<()> {
    let new = Email::parse("newEmail", new_email)?;
    let me = current_user(state, viewer).await?;
    if new.as_str() == me.email {
        return Err(AppError::bad_input(
            "newEmail",
            msg!("input-is-already-your-email"),
        ));
    }
    if !confirm_password(state, &me, current_password).await? {
        return Err(AppError::bad_input(
            "currentPassword",
            msg!("input-is-not-your-current-password"),
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let last = email_change::Entity::find()
        .filter(email_change::Column::UserId.eq(me.id))
        .order_by_desc(email_change::Column::CreatedAt)
        .one(&txn)
        .await?;
    if let Some(last) = last {
        let next = last.created_at + Duration::seconds(EMAIL_CHANGE_MIN_GAP_SECS);
        if next > now {
            return Err(AppError::RateLimited {
                retry_after_secs: Ord::max((next - now).num_seconds(), 1),
            });
        }
    }
    email_change::Entity::update_many()
        .col_expr(email_change::Column::VoidedAt, Expr::value(Some(now)))
        .filter(email_change::Column::UserId.eq(me.id))
        .filter(email_change::Column::UsedAt.is_null())
        .filter(email_change::Column::VoidedAt.is_null())
        .exec(&txn)
        .await?;
    let id = Uuid::now_v7();
    email_change::Entity::insert(email_change::ActiveModel {
        id: Set(id),
        user_id: Set(me.id),
        old_email: Set(me.email.clone()),
        new_email: Set(new.as_str().to_owned()),
        token_hash: Set(None),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(EMAIL_LINK_HOURS)),
        used_at: Set(None),
        voided_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    mail::enqueue(
        &txn,
        now,
        me.id,
        &Notice::EmailChangeConfirm { change_id: id },
    )
    .await?;
    mail::enqueue(
        &txn,
        now,
        me.id,
        &Notice::EmailChangeRequested { change_id: id },
    )
    .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::EmailChangeRequested, ObjectType::User)
            .object(me.id, viewer.country)
            .detail(format!("change={id}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The email change a token names, if still open and its account still
/// has the address the change started from.
async fn open_change(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<(email_change::Model, user::Model)> {
    let change = email_change::Entity::find()
        .filter(email_change::Column::TokenHash.eq(link_hash(token)?))
        .one(db)
        .await?
        .filter(|c| c.is_open(now))
        .ok_or_else(invalid_link)?;
    let u = user::Entity::find_by_id(change.user_id)
        .one(db)
        .await?
        .filter(|u| u.active && u.email == change.old_email)
        .ok_or_else(invalid_link)?;
    Ok((change, u))
}

/// The new address a confirmation link would set (the page shows it
/// before the person confirms; reading it uses nothing).
pub async fn email_change_preview(state: &AppState, token: &str) -> AppResult<String> {
    let (change, _) = open_change(&state.db, token, state.clock.now()).await?;
    Ok(change.new_email)
}

/// Confirms an email change with the link sent to the new address: the
/// account takes the new address (`CONFLICT` if another account has it
/// now — the database's UNIQUE decides too), the old address is told.
pub async fn confirm_email_change(state: &AppState, token: &str) -> AppResult<()> {
    let now = state.clock.now();
    let (change, u) = open_change(&state.db, token, now).await?;
    let taken = || AppError::Conflict(msg!("conflict-email-address-taken"));
    let txn = state.db.begin().await?;
    let claimed = email_change::Entity::update_many()
        .col_expr(email_change::Column::UsedAt, Expr::value(Some(now)))
        .filter(email_change::Column::Id.eq(change.id))
        .filter(email_change::Column::UsedAt.is_null())
        .filter(email_change::Column::VoidedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid_link());
    }
    let other = user::Entity::find()
        .filter(user::Column::Email.eq(change.new_email.as_str()))
        .count(&txn)
        .await?;
    if other > 0 {
        return Err(taken());
    }
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(change.new_email.clone()))
        .filter(user::Column::Id.eq(u.id))
        .filter(user::Column::Email.eq(change.old_email.as_str()))
        .exec(&txn)
        .await;
    match updated {
        Ok(r) if r.rows_affected == 1 => {}
        Ok(_) => return Err(invalid_link()),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Err(taken());
        }
        Err(e) => return Err(e.into()),
    }
    let country = user_country(&txn, &u).await?;
    audit::append(
        &txn,
        Event::new(
            Actor {
                user_id: Some(u.id),
                country,
            },
            Action::EmailChanged,
            ObjectType::User,
        )
        .object(u.id, country)
        .detail(format!("change={}", change.id)),
    )
    .await?;
    mail::enqueue(
        &txn,
        now,
        u.id,
        &Notice::EmailChanged {
            change_id: change.id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Sending.

/// Where an account notice goes and what it says, at send time (the
/// outbox worker, no viewer): a link's token is minted now and only its
/// SHA-256 stored; a link no longer open, or a change not the recipient's,
/// is `None` (not sent). Reset links and "password changed" go to the
/// account's address; a confirmation to the new address; the change
/// notices to the old one.
pub async fn internal_account_mail(
    state: &AppState,
    notice: &Notice,
    recipient: &user::Model,
    reading: Reading,
    now: DateTime<Utc>,
) -> AppResult<Option<(String, Rendered)>> {
    let base = state.config.public_url.trim_end_matches('/');
    let db = &state.db;
    Ok(match notice {
        Notice::PasswordResetLink { reset_id } => {
            let Some(reset) = password_reset::Entity::find_by_id(*reset_id)
                .one(db)
                .await?
                .filter(|r| r.user_id == recipient.id && r.is_open(now))
            else {
                return Ok(None);
            };
            let (token, hash) = new_refresh_token();
            let minted = password_reset::Entity::update_many()
                .col_expr(password_reset::Column::TokenHash, Expr::value(Some(hash)))
                .filter(password_reset::Column::Id.eq(reset.id))
                .filter(password_reset::Column::UsedAt.is_null())
                .filter(password_reset::Column::VoidedAt.is_null())
                .exec(db)
                .await?;
            if minted.rows_affected != 1 {
                return Ok(None);
            }
            let link = format!("{base}/reset/{token}");
            Some((
                recipient.email.clone(),
                render_account(notice, reset.forced, &link, "", reading),
            ))
        }
        Notice::PasswordChanged { .. } => Some((
            recipient.email.clone(),
            render_account(notice, false, "", "", reading),
        )),
        Notice::EmailChangeConfirm { change_id }
        | Notice::EmailChangeRequested { change_id }
        | Notice::EmailChanged { change_id } => {
            let Some(change) = email_change::Entity::find_by_id(*change_id)
                .one(db)
                .await?
                .filter(|c| c.user_id == recipient.id)
            else {
                return Ok(None);
            };
            let masked = mask_email(&change.new_email);
            if !matches!(notice, Notice::EmailChangeConfirm { .. }) {
                return Ok(Some((
                    change.old_email.clone(),
                    render_account(notice, false, "", &masked, reading),
                )));
            }
            if !change.is_open(now) {
                return Ok(None);
            }
            let (token, hash) = new_refresh_token();
            let minted = email_change::Entity::update_many()
                .col_expr(email_change::Column::TokenHash, Expr::value(Some(hash)))
                .filter(email_change::Column::Id.eq(change.id))
                .filter(email_change::Column::UsedAt.is_null())
                .filter(email_change::Column::VoidedAt.is_null())
                .exec(db)
                .await?;
            if minted.rows_affected != 1 {
                return Ok(None);
            }
            let link = format!("{base}/account/email/{token}");
            Some((
                change.new_email.clone(),
                render_account(notice, false, &link, &masked, reading),
            ))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_address_is_masked_to_its_first_letter_and_domain() {
        assert_eq!(mask_email("nadia.k@mfa.example"), "n…@mfa.example");
        assert_eq!(mask_email("x@y.example"), "x…@y.example");
        assert_eq!(mask_email("no-at-sign"), "…");
    }

    #[test]
    fn the_voided_marker_is_no_password_hash() {
        let h = crate::auth::password::Hasher::new(1024, 1, 1).expect("params");
        assert!(!h.verify("!voided: a reset link was sent", Some(VOIDED_PASSWORD)));
        assert!(!h.verify("", Some(VOIDED_PASSWORD)));
    }
}
