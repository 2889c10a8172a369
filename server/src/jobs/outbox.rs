//! Outbox delivery: the due messages sent one by one, each under a lease
//! taken by a single conditional `UPDATE` — so any number of replicas may run
//! it and a message is sent by one of them only. A failure is retried with
//! exponential backoff (1 s, 2 s, 4 s … 5 min) for as long as it takes: a
//! transient failure never loses a message. Only permanent ones (a bad
//! address) end as `DEAD`.
//!
//! Before rendering, delivery asks the policy, *as the recipient*, whether
//! they still see the hearing or report (consent withdrawn, share removed, country left
//! the coalition since the message was queued). A message that must not or
//! need not go any more is `DROPPED` with its `DropReason`, never sent.
//! Every notice is then re-checked against the current state (a promotion
//! for a claim still confirmed, a start time still the hearing's …), and a
//! message with a newer one on its topic (`Notice::topic`, per recipient) is
//! `SUPERSEDED`: retries come due in any order after an outage, yet what each
//! recipient gets last about a claim or a schedule is the truth.
//! Nothing lives only in memory: a restart picks up where the table says.
//!
//! Delivery is at least once at one boundary only: a process that dies
//! between the SMTP server's acceptance and the `SENT` update sends that one
//! message again when its lease has expired. A database that goes away at
//! that moment (a restart, a failover) does not: the update is retried
//! while the lease holds (`record_sent`). Nor does a sender held up past its
//! lease (the database stalling under it between lease and send): each lease
//! carries a token, and the message goes to the SMTP server only after a
//! conditional update has found that token still in place and renewed the
//! lease (`still_held`), so that the exchange (`SMTP_TIMEOUT`, bounded as a
//! whole) and the `SENT` mark fit in what is left of it.
//!
//! Drop reasons: `NOT_VISIBLE`, `RECIPIENT_INACTIVE`, `OVERTAKEN` (a promotion
//! for a claim no longer confirmed, a start time no longer the hearing's, a
//! postponement undone…), `SUPERSEDED`, `UNREADABLE`; apart from `DEAD`
//! (undeliverable). Each message keeps its `Message-ID` (`<outbox id@…>`).
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::reminders;
use crate::domain::hearing::{ClaimStatus, HearingStatus};
use crate::error::{AppError, AppResult};
use crate::mail::render::{render, render_report, render_statement};
use crate::mail::transport::{Mailer, SendError};
use crate::mail::{DropReason, Notice, Subject};
use crate::metrics::EmailOutcome;
use crate::policy::hearings as policy;
use crate::policy::reports as report_policy;
use crate::policy::statements as statement_policy;
use crate::state::AppState;
use crate::store::outbox::TopicStanding;
use crate::store::{hearing, outbox, roster_claim, user};

/// How long a sender owns a message it is sending (longer than the SMTP
/// timeout).
pub const LEASE: Duration = Duration::seconds(60);
/// From this many failed attempts on, each further failure is logged as an error.
pub const ALERT_AFTER_ATTEMPTS: i32 = 20;
/// The longest wait between two attempts.
pub const MAX_BACKOFF_SECS: i64 = 300;
/// How long a message waits while an older one on its topic is in flight.
const DEFER: Duration = Duration::seconds(1);
/// Messages looked at per round.
const BATCH: u64 = 100;

/// The wait after the `attempts`-th failed attempt: 1 s, 2 s, 4 s … 5 min.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    Duration::seconds((1_i64 << exponent).min(MAX_BACKOFF_SECS))
}

/// Sends the messages due at `now`, each under its lease, until `stopping`;
/// returns how many were sent.
pub async fn deliver_due(
    state: &AppState,
    mailer: &Mailer,
    now: DateTime<Utc>,
    stopping: &(dyn Fn() -> bool + Sync),
) -> AppResult<usize> {
    let db = &state.db;
    let due = outbox::Entity::find()
        .filter(outbox::Column::Status.eq("PENDING"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(unlocked(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut sent = 0;
    for message in due {
        if stopping() {
            break;
        }
        let now = state.clock.now();
        let Some(token) = lease(db, message.id, now).await? else {
            continue;
        };
        let outcome = attempt(state, mailer, &message, token, now).await?;
        if record(state, &message, outcome).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Records how an attempt went (settled, deferred or released for a retry)
/// and counts it; whether the message was sent.
async fn record(state: &AppState, message: &outbox::Model, outcome: Outcome) -> AppResult<bool> {
    let db = &state.db;
    let now = state.clock.now();
    let sent = matches!(outcome, Outcome::Sent { .. });
    match outcome {
        Outcome::Sent { held_until } => {
            record_sent(db, message, now, held_until).await?;
            state
                .metrics
                .email(kind_label(&message.kind), EmailOutcome::Sent);
        }
        Outcome::LeaseLost => {
            // Another sender has it now (or it was settled meanwhile): its
            // row is not this sender's to touch.
            tracing::warn!(outbox = %message.id, kind = %message.kind, "email not sent: its lease ran out before it could go; another sender has it");
        }
        Outcome::Deferred => {
            // Not an attempt: the message waits for its older sibling.
            released(message.id, message.attempts, now + DEFER)
                .exec(db)
                .await?;
        }
        Outcome::Dropped(why) => {
            tracing::info!(outbox = %message.id, kind = %message.kind, why = why.as_str(), "email dropped");
            settle(db, message.id, Settled::Dropped(why), message.attempts, now).await?;
            state.metrics.email(
                kind_label(&message.kind),
                EmailOutcome::Dropped(why.as_str()),
            );
        }
        Outcome::Failed(e) if !e.is_retryable() => {
            tracing::error!(outbox = %message.id, kind = %message.kind, class = e.class(), "email undeliverable; given up");
            settle(db, message.id, Settled::Dead, message.attempts + 1, now).await?;
            state
                .metrics
                .email(kind_label(&message.kind), EmailOutcome::Dead);
        }
        Outcome::Failed(e) => {
            let attempts = message.attempts + 1;
            let retry_at = now + backoff(attempts);
            if attempts >= ALERT_AFTER_ATTEMPTS {
                tracing::error!(outbox = %message.id, kind = %message.kind, attempts, class = e.class(), retry_at = %retry_at, "email still not sent; retrying");
            } else {
                tracing::warn!(outbox = %message.id, kind = %message.kind, attempts, class = e.class(), retry_at = %retry_at, "email not sent; will retry");
            }
            state
                .metrics
                .email(kind_label(&message.kind), EmailOutcome::Retried);
            released(message.id, attempts, retry_at).exec(db).await?;
        }
    }
    Ok(sent)
}

/// What a sender keeps of its lease for clock skew between replicas: it
/// stops trying to record a sent message this long before the lease ends.
const LEASE_MARGIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Marks `message` sent. The SMTP server has accepted it: if the mark is
/// lost, the lease runs out and the message goes again. So a failed mark
/// (the database restarting, failing over) is retried, with back-off, and
/// every try bounded, for as long as the lease renewed before the send
/// (`held_until`) holds, less `LEASE_MARGIN`.
async fn record_sent(
    db: &impl ConnectionTrait,
    message: &outbox::Model,
    now: DateTime<Utc>,
    held_until: std::time::Instant,
) -> AppResult<()> {
    let deadline = held_until.checked_sub(LEASE_MARGIN).unwrap_or(held_until);
    let mut pause = std::time::Duration::from_millis(250);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let marked = tokio::time::timeout(
            left,
            settle(db, message.id, Settled::Sent(now), message.attempts, now),
        )
        .await;
        let error = match marked {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(e)) => e,
            Err(_) => AppError::Unavailable {
                retry_after_secs: 1,
            },
        };
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left <= pause {
            tracing::error!(outbox = %message.id, kind = %message.kind, "email sent, but the database did not take the SENT mark while its lease held: it may be sent once more");
            return Err(error);
        }
        tracing::warn!(outbox = %message.id, error = %error, "email sent but not yet recorded; retrying");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_secs(2));
    }
}

/// The stored kind as a metrics label: one of the notice kinds, never the
/// stored text itself.
fn kind_label(kind: &str) -> &'static str {
    Notice::KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .unwrap_or("UNKNOWN")
}

/// The update that ends a sender's lease on message `id`, recording its
/// attempts and when it is next due (or ended).
fn released(id: Uuid, attempts: i32, at: DateTime<Utc>) -> sea_orm::UpdateMany<outbox::Entity> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(at))
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LeaseToken,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(outbox::Column::Id.eq(id))
}

/// No live lease on the message.
fn unlocked(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(outbox::Column::LockedUntil.is_null())
        .add(outbox::Column::LockedUntil.lt(now))
}

/// Takes the message for `LEASE`; its token, or `None` when another sender
/// has it, or it is no longer due.
pub async fn lease(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Option<Uuid>> {
    let token = Uuid::new_v4();
    let taken = outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, Expr::value(Some(now + LEASE)))
        .col_expr(outbox::Column::LeaseToken, Expr::value(Some(token)))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq("PENDING"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(unlocked(now))
        .exec(db)
        .await?;
    Ok((taken.rows_affected == 1).then_some(token))
}

/// Whether the lease `token` on message `id` is still the one in place,
/// renewed from `now` when it is. The last step before the SMTP server:
/// between lease and send the sender may have been held up past its lease,
/// and another sender may have taken the message (its token replaced this
/// one) or settled it (no longer `PENDING`).
pub async fn still_held(
    db: &impl ConnectionTrait,
    id: Uuid,
    token: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let renewed = outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, Expr::value(Some(now + LEASE)))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq("PENDING"))
        .filter(outbox::Column::LeaseToken.eq(token))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// How a message ended.
enum Settled {
    Sent(DateTime<Utc>),
    /// Not sent, on purpose.
    Dropped(DropReason),
    /// Could not be delivered (a permanent failure).
    Dead,
}

/// Final state; the lease is released.
async fn settle(
    db: &impl ConnectionTrait,
    id: Uuid,
    end: Settled,
    attempts: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (status, sent_at, reason) = match end {
        Settled::Sent(at) => ("SENT", Some(at), None),
        Settled::Dropped(why) => ("DROPPED", None, Some(why.as_str())),
        Settled::Dead => ("DEAD", None, None),
    };
    released(id, attempts, now)
        .col_expr(outbox::Column::Status, Expr::value(status))
        .col_expr(outbox::Column::SentAt, Expr::value(sent_at))
        .col_expr(outbox::Column::DropReason, Expr::value(reason))
        .exec(db)
        .await?;
    Ok(())
}

enum Outcome {
    /// Accepted by the SMTP server, under a lease renewed just before, which
    /// holds until `held_until` on this process's clock.
    Sent {
        held_until: std::time::Instant,
    },
    /// Held up past its lease: another sender has the message now.
    LeaseLost,
    /// An older message on its topic is being sent elsewhere: try again soon.
    Deferred,
    /// Must not or need not be sent any more.
    Dropped(DropReason),
    Failed(SendError),
}

async fn attempt(
    state: &AppState,
    mailer: &Mailer,
    message: &outbox::Model,
    token: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let db = &state.db;
    let Ok(notice) = serde_json::from_str::<Notice>(&message.payload) else {
        tracing::error!(outbox = %message.id, "outbox payload unreadable");
        return Ok(Outcome::Dropped(DropReason::Unreadable));
    };
    match outbox::internal_topic_standing(db, message, now).await? {
        TopicStanding::Newest => {}
        TopicStanding::Superseded => return Ok(Outcome::Dropped(DropReason::Superseded)),
        TopicStanding::AfterOlderInFlight => return Ok(Outcome::Deferred),
    }
    let Some(recipient) = user::Entity::find_by_id(message.recipient_user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(Outcome::Dropped(DropReason::RecipientInactive));
    };
    // As the recipient: what they may no longer see is not sent to them,
    // and what is sent is in their language and on their clock.
    let viewer = crate::service::auth::viewer_for(state, &recipient).await?;
    // Account notices may go to another address than the account's (an
    // email change's new or old one).
    let mut address = recipient.email.clone();
    let email = match notice.subject() {
        Subject::Hearing(id) => {
            let hearing = match policy::find(db, &viewer, id).await {
                Ok(seen) => seen.into_model(),
                Err(AppError::NotFound) => return Ok(Outcome::Dropped(DropReason::NotVisible)),
                Err(e) => return Err(e),
            };
            if hearing_notice_overtaken(db, &notice, &hearing, recipient.id, now).await? {
                return Ok(Outcome::Dropped(DropReason::Overtaken));
            }
            render(&notice, &hearing, viewer.reading, &state.config.public_url)
        }
        Subject::Report(id) => {
            let report = match report_policy::find(db, &viewer, id).await {
                Ok(seen) => seen,
                Err(AppError::NotFound) => return Ok(Outcome::Dropped(DropReason::NotVisible)),
                Err(e) => return Err(e),
            };
            if matches!(notice, Notice::ReportUnacknowledged { .. })
                && crate::service::reports::acknowledged_by_viewer(db, &report).await?
            {
                return Ok(Outcome::Dropped(DropReason::Overtaken));
            }
            render_report(&notice, id, viewer.reading, &state.config.public_url)
        }
        Subject::Statement(id) => {
            let statement = match statement_policy::find(db, &viewer, id).await {
                Ok(seen) => seen,
                Err(AppError::NotFound) => return Ok(Outcome::Dropped(DropReason::NotVisible)),
                Err(e) => return Err(e),
            };
            if crate::service::statements::notice_overtaken(db, &viewer, &statement, &notice)
                .await?
            {
                return Ok(Outcome::Dropped(DropReason::Overtaken));
            }
            render_statement(&notice, id, viewer.reading, &state.config.public_url)
        }
        Subject::Reveal(id) => {
            let reveal = match crate::policy::reveals::find(db, &viewer, id).await {
                Ok(seen) => seen,
                Err(AppError::NotFound) => return Ok(Outcome::Dropped(DropReason::NotVisible)),
                Err(e) => return Err(e),
            };
            // A request already decided needs no custodian any more.
            if matches!(notice, Notice::RevealRequested { .. }) && reveal.model().state != "PENDING"
            {
                return Ok(Outcome::Dropped(DropReason::Overtaken));
            }
            crate::mail::render::render_reveal(&notice, viewer.reading, &state.config.public_url)
        }
        Subject::Digest => {
            if !crate::service::digest::still_wanted(state, &viewer).await? {
                return Ok(Outcome::Dropped(DropReason::Overtaken));
            }
            let (lines, total) = crate::service::digest::lines_for(state, &viewer).await?;
            crate::mail::render::render_digest(
                &lines,
                total,
                viewer.reading,
                &state.config.public_url,
            )
        }
        // A security notice tells what happened; nothing to re-check.
        Subject::Account if matches!(notice, Notice::SecurityChanged { .. }) => {
            crate::mail::render::render_security(&notice, viewer.reading, &state.config.public_url)
        }
        Subject::Account => {
            match crate::service::recovery::internal_account_mail(
                state,
                &notice,
                &recipient,
                viewer.reading,
                now,
            )
            .await?
            {
                Some((to, rendered)) => {
                    address = to;
                    rendered
                }
                None => return Ok(Outcome::Dropped(DropReason::Overtaken)),
            }
        }
    };
    let renewed_at = std::time::Instant::now();
    if !still_held(db, message.id, token, state.clock.now()).await? {
        return Ok(Outcome::LeaseLost);
    }
    let held_until = renewed_at + LEASE.to_std().unwrap_or_default();
    Ok(
        match mailer
            .send(message.id, recipient.id, &address, &notice, &email)
            .await
        {
            Ok(()) => Outcome::Sent { held_until },
            Err(e) => Outcome::Failed(e),
        },
    )
}

/// A hearing notice that no longer tells the truth is not sent: each says
/// something about the hearing or the recipient's claim that must still hold
/// at send time (the text is rendered from the hearing as it is now).
async fn hearing_notice_overtaken(
    db: &impl ConnectionTrait,
    notice: &Notice,
    hearing: &hearing::Model,
    recipient: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let status = HearingStatus::from_stored(&hearing.status);
    let open = matches!(
        status,
        Some(HearingStatus::Scheduled | HearingStatus::Postponed)
    );
    let claim_is = |claim_id: Uuid, wanted: ClaimStatus| async move {
        AppResult::Ok(roster_claim::internal_status(db, claim_id).await? == Some(wanted))
    };
    let on_roster = || roster_claim::internal_is_on_roster(db, hearing.id, recipient);
    Ok(match notice {
        Notice::Reminder { .. } => reminder_overtaken(db, notice, hearing, now).await?,
        Notice::Promoted { claim_id, .. } => {
            !open || !claim_is(*claim_id, ClaimStatus::Confirmed).await?
        }
        Notice::Demoted { claim_id, .. } => {
            !open || !claim_is(*claim_id, ClaimStatus::Waitlisted).await?
        }
        Notice::Rescheduled { starts_at, .. } => {
            status != Some(HearingStatus::Scheduled)
                || hearing.starts_at != *starts_at
                || !on_roster().await?
        }
        Notice::Postponed { .. } => {
            status != Some(HearingStatus::Postponed) || !on_roster().await?
        }
        Notice::Cancelled { .. } => status != Some(HearingStatus::Cancelled),
        // An offer already decided asks nothing of its colleague any more.
        Notice::ClaimOffered { offer_id, .. } => {
            crate::store::claim_offer::internal_state(db, *offer_id).await?
                != Some(crate::domain::handover::OfferState::Open)
        }
        _ => false,
    })
}

/// A reminder that no longer tells the truth is not sent: the hearing moved,
/// closed or began, the claim is no longer confirmed, or a narrower reminder
/// is due instead (a 48 h one delayed into the last 2 h).
async fn reminder_overtaken(
    db: &impl ConnectionTrait,
    notice: &Notice,
    hearing: &hearing::Model,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Notice::Reminder {
        claim_id,
        hours_before,
        starts_at,
        ..
    } = notice
    else {
        return Ok(false);
    };
    if hearing.status != "SCHEDULED" || hearing.starts_at != *starts_at {
        return Ok(true);
    }
    match reminders::due(hearing.starts_at, now) {
        Some(h) if h >= *hours_before => {}
        _ => return Ok(true),
    }
    Ok(roster_claim::internal_status(db, *claim_id).await? != Some(ClaimStatus::Confirmed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let secs: Vec<i64> = (1..=12).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(backoff(0).num_seconds(), 1);
        assert_eq!(backoff(ALERT_AFTER_ATTEMPTS).num_seconds(), 300);
    }
}
