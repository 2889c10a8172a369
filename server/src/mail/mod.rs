//! Email: what may be said (`Notice`, ids only, so defender data cannot be
//! passed in), the outbox it is queued in (same transaction as the change),
//! how a notice is rendered (`render`) and sent (`transport`). Sending the
//! outbox is periodic work, in `jobs/`.
//!
//! Floor: below `service` (which enqueues through it); nothing in `mail/`
//! imports `service`, `jobs`, `graphql` or `http`.
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppResult;
use crate::store::outbox;

pub mod render;
pub mod transport;

/// Why the worker chose not to send a message (outbox status `DROPPED`),
/// as opposed to failing to deliver it (`DEAD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// The stored payload cannot be read.
    Unreadable,
    /// The recipient was deleted or deactivated.
    RecipientInactive,
    /// The recipient no longer sees the object (consent withdrawn, share
    /// removed, country left a coalition): the policy said no at send time.
    NotVisible,
    /// The message no longer tells the truth: a reminder for a hearing that
    /// moved, closed or began; a promotion for a claim no longer confirmed, a
    /// demotion for one no longer waitlisted; a start time, postponement or
    /// cancellation that is no longer the hearing's.
    Overtaken,
    /// A newer message to the same recipient on the same topic exists (queued
    /// or sent): sending this one after it would tell an older state last.
    Superseded,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Unreadable => "UNREADABLE",
            DropReason::RecipientInactive => "RECIPIENT_INACTIVE",
            DropReason::NotVisible => "NOT_VISIBLE",
            DropReason::Overtaken => "OVERTAKEN",
            DropReason::Superseded => "SUPERSEDED",
        }
    }
}

/// Every email Accord sends. Variants hold ids only; the text is rendered at
/// send time from the court, city and local time — never the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Notice {
    /// 48 h or 2 h before a hearing, to a confirmed observer.
    Reminder {
        hearing_id: Uuid,
        claim_id: Uuid,
        hours_before: u32,
        starts_at: DateTime<Utc>,
    },
    /// A waitlisted claim became confirmed.
    Promoted { hearing_id: Uuid, claim_id: Uuid },
    /// A confirmed claim went back to the waitlist (fewer observers needed).
    Demoted { hearing_id: Uuid, claim_id: Uuid },
    /// The hearing moved; `starts_at` is the new start.
    Rescheduled {
        hearing_id: Uuid,
        starts_at: DateTime<Utc>,
    },
    /// The hearing was postponed (no new date yet).
    Postponed { hearing_id: Uuid, at: DateTime<Utc> },
    /// The hearing was cancelled.
    Cancelled { hearing_id: Uuid },
    /// To a recipient country's coordinators: a new attack report needs attention.
    ReportReceived { report_id: Uuid },
    /// To a recipient country's coordinators, once: nobody has acknowledged
    /// the report yet.
    ReportUnacknowledged { report_id: Uuid },
    /// To the submitting organization's liaisons: a country responded.
    ReportResponded { report_id: Uuid, country: String },
    /// To an invited country's signers: a statement awaits them.
    StatementInvited { statement_id: Uuid },
    /// To a country whose approval went stale: a new version exists.
    StatementApprovalStale { statement_id: Uuid, version: i32 },
    /// 24 h before the deadline, to countries that have not answered.
    StatementDeadline {
        statement_id: Uuid,
        deadline: DateTime<Utc>,
    },
    /// To every participating country: the text is final.
    StatementFinalized { statement_id: Uuid },
    /// To the owner country's custodians: a partner asks to see an identity.
    RevealRequested { reveal_id: Uuid },
    /// To the member who asked: the owner approved, denied or revoked.
    RevealDecided { reveal_id: Uuid, state: String },
    /// To a coordinator, on the weekday they chose: the upcoming hearings
    /// they see that lack observers, listed at send time as they see them.
    /// `on` is the local date it is for (one per week and recipient).
    CoverageDigest { on: chrono::NaiveDate },
    /// To a named colleague: a diplomat offers them their roster place.
    ClaimOffered { hearing_id: Uuid, offer_id: Uuid },
    /// An offer of a roster place was decided (`state`: ACCEPTED, to both
    /// parties, `taker` telling which; DECLINED, EXPIRED or CANCELLED, to
    /// the offerer).
    ClaimOfferDecided {
        hearing_id: Uuid,
        offer_id: Uuid,
        state: String,
        taker: bool,
    },
    /// To a person, about their own sign-in: `change` is
    /// `RECOVERY_CODE_USED` or `TOTP_REMOVED`, made at `at` (if it was not
    /// them, they know to act).
    SecurityChanged { change: String, at: DateTime<Utc> },
    /// To a person who asked for a new password (or whose admin forced
    /// one): a single-use link, its token minted when the message is sent.
    PasswordResetLink { reset_id: Uuid },
    /// To a person whose password was just set with a reset link.
    PasswordChanged { reset_id: Uuid },
    /// To the new address of an email change: a link that confirms it
    /// (its token minted when the message is sent).
    EmailChangeConfirm { change_id: Uuid },
    /// To the old address: a change was asked for (the new one masked).
    EmailChangeRequested { change_id: Uuid },
    /// To the old address: the account moved to the new one (masked).
    EmailChanged { change_id: Uuid },
}

/// What a notice is about, which the worker checks the recipient still sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Hearing(Uuid),
    Report(Uuid),
    Statement(Uuid),
    Reveal(Uuid),
    /// The recipient's own view (a digest): nothing to re-check but who
    /// they are now and what they see.
    Digest,
    /// The recipient's own account: a security notice (nothing to
    /// re-check), a reset link or an email change (the link or change it
    /// names must still be open, `service::recovery`).
    Account,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Hearing(id) => write!(f, "hearing:{id}"),
            Subject::Report(id) => write!(f, "report:{id}"),
            Subject::Statement(id) => write!(f, "statement:{id}"),
            Subject::Reveal(id) => write!(f, "reveal:{id}"),
            Subject::Digest => write!(f, "digest"),
            Subject::Account => write!(f, "account"),
        }
    }
}

impl Notice {
    /// Every value `kind` returns.
    pub const KINDS: [&'static str; 24] = [
        "REMINDER",
        "PROMOTED",
        "DEMOTED",
        "RESCHEDULED",
        "POSTPONED",
        "CANCELLED",
        "REPORT_RECEIVED",
        "REPORT_UNACKNOWLEDGED",
        "REPORT_RESPONDED",
        "STATEMENT_INVITED",
        "STATEMENT_APPROVAL_STALE",
        "STATEMENT_DEADLINE",
        "STATEMENT_FINALIZED",
        "REVEAL_REQUESTED",
        "REVEAL_DECIDED",
        "COVERAGE_DIGEST",
        "CLAIM_OFFERED",
        "CLAIM_OFFER_DECIDED",
        "SECURITY_CHANGED",
        "PASSWORD_RESET_LINK",
        "PASSWORD_CHANGED",
        "EMAIL_CHANGE_CONFIRM",
        "EMAIL_CHANGE_REQUESTED",
        "EMAIL_CHANGED",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Reminder { .. } => "REMINDER",
            Notice::Promoted { .. } => "PROMOTED",
            Notice::Demoted { .. } => "DEMOTED",
            Notice::Rescheduled { .. } => "RESCHEDULED",
            Notice::Postponed { .. } => "POSTPONED",
            Notice::Cancelled { .. } => "CANCELLED",
            Notice::ReportReceived { .. } => "REPORT_RECEIVED",
            Notice::ReportUnacknowledged { .. } => "REPORT_UNACKNOWLEDGED",
            Notice::ReportResponded { .. } => "REPORT_RESPONDED",
            Notice::StatementInvited { .. } => "STATEMENT_INVITED",
            Notice::StatementApprovalStale { .. } => "STATEMENT_APPROVAL_STALE",
            Notice::StatementDeadline { .. } => "STATEMENT_DEADLINE",
            Notice::StatementFinalized { .. } => "STATEMENT_FINALIZED",
            Notice::RevealRequested { .. } => "REVEAL_REQUESTED",
            Notice::RevealDecided { .. } => "REVEAL_DECIDED",
            Notice::CoverageDigest { .. } => "COVERAGE_DIGEST",
            Notice::ClaimOffered { .. } => "CLAIM_OFFERED",
            Notice::ClaimOfferDecided { .. } => "CLAIM_OFFER_DECIDED",
            Notice::SecurityChanged { .. } => "SECURITY_CHANGED",
            Notice::PasswordResetLink { .. } => "PASSWORD_RESET_LINK",
            Notice::PasswordChanged { .. } => "PASSWORD_CHANGED",
            Notice::EmailChangeConfirm { .. } => "EMAIL_CHANGE_CONFIRM",
            Notice::EmailChangeRequested { .. } => "EMAIL_CHANGE_REQUESTED",
            Notice::EmailChanged { .. } => "EMAIL_CHANGED",
        }
    }

    pub fn subject(&self) -> Subject {
        match self {
            Notice::Reminder { hearing_id, .. }
            | Notice::Promoted { hearing_id, .. }
            | Notice::Demoted { hearing_id, .. }
            | Notice::Rescheduled { hearing_id, .. }
            | Notice::Postponed { hearing_id, .. }
            | Notice::Cancelled { hearing_id }
            | Notice::ClaimOffered { hearing_id, .. }
            | Notice::ClaimOfferDecided { hearing_id, .. } => Subject::Hearing(*hearing_id),
            Notice::ReportReceived { report_id }
            | Notice::ReportUnacknowledged { report_id }
            | Notice::ReportResponded { report_id, .. } => Subject::Report(*report_id),
            Notice::StatementInvited { statement_id }
            | Notice::StatementApprovalStale { statement_id, .. }
            | Notice::StatementDeadline { statement_id, .. }
            | Notice::StatementFinalized { statement_id } => Subject::Statement(*statement_id),
            Notice::RevealRequested { reveal_id } | Notice::RevealDecided { reveal_id, .. } => {
                Subject::Reveal(*reveal_id)
            }
            Notice::CoverageDigest { .. } => Subject::Digest,
            Notice::SecurityChanged { .. } => Subject::Account,
            Notice::PasswordResetLink { .. }
            | Notice::PasswordChanged { .. }
            | Notice::EmailChangeConfirm { .. }
            | Notice::EmailChangeRequested { .. }
            | Notice::EmailChanged { .. } => Subject::Account,
        }
    }

    /// The one fact a notice tells, where a newer notice replaces it: a
    /// claim's standing (promoted or demoted) or a hearing's schedule
    /// (rescheduled, postponed, cancelled). Per recipient and topic only the
    /// newest message may be sent last (see the worker). `None`: the notice
    /// is news of its own (a reminder, a report, a statement).
    pub fn topic(&self) -> Option<String> {
        match self {
            Notice::Promoted { claim_id, .. } | Notice::Demoted { claim_id, .. } => {
                Some(format!("claim:{claim_id}"))
            }
            Notice::Rescheduled { hearing_id, .. }
            | Notice::Postponed { hearing_id, .. }
            | Notice::Cancelled { hearing_id } => Some(format!("schedule:{hearing_id}")),
            _ => None,
        }
    }

    /// One message per recipient and event: enqueueing the same notice twice
    /// (a retried job, a second replica) stores it once.
    pub fn dedup_key(&self, recipient: Uuid) -> String {
        let event = match self {
            Notice::Reminder {
                claim_id,
                hours_before,
                starts_at,
                ..
            } => {
                format!("{claim_id}:{hours_before}h:{}", starts_at.timestamp())
            }
            Notice::Promoted { claim_id, .. } | Notice::Demoted { claim_id, .. } => {
                format!("{claim_id}:{}", Uuid::now_v7())
            }
            // Each move is news, even back to an earlier time.
            Notice::Rescheduled { starts_at, .. } => {
                format!("{}:{}", starts_at.timestamp_micros(), Uuid::now_v7())
            }
            Notice::Postponed { at, .. } => format!("{}", at.timestamp_micros()),
            Notice::Cancelled { .. }
            | Notice::ReportReceived { .. }
            | Notice::ReportUnacknowledged { .. } => String::new(),
            // Each response is news.
            Notice::ReportResponded { country, .. } => format!("{country}:{}", Uuid::now_v7()),
            Notice::StatementInvited { .. } | Notice::StatementFinalized { .. } => String::new(),
            Notice::StatementApprovalStale { version, .. } => version.to_string(),
            Notice::StatementDeadline { deadline, .. } => deadline.timestamp().to_string(),
            Notice::RevealRequested { .. } => String::new(),
            // Approval, then revocation: each is news.
            Notice::RevealDecided { state, .. } => state.clone(),
            Notice::CoverageDigest { on } => on.to_string(),
            Notice::ClaimOffered { offer_id, .. } => offer_id.to_string(),
            Notice::ClaimOfferDecided {
                offer_id,
                state,
                taker,
                ..
            } => format!("{offer_id}:{state}:{taker}"),
            Notice::SecurityChanged { change, at } => {
                format!("{change}:{}", at.timestamp_micros())
            }
            Notice::PasswordResetLink { reset_id } | Notice::PasswordChanged { reset_id } => {
                reset_id.to_string()
            }
            Notice::EmailChangeConfirm { change_id }
            | Notice::EmailChangeRequested { change_id }
            | Notice::EmailChanged { change_id } => change_id.to_string(),
        };
        let about = match self.subject() {
            Subject::Hearing(id)
            | Subject::Report(id)
            | Subject::Statement(id)
            | Subject::Reveal(id) => id,
            Subject::Digest | Subject::Account => recipient,
        };
        format!("{}:{about}:{recipient}:{event}", self.kind())
    }
}

/// Queues `notice` for `recipient` inside the caller's transaction.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    recipient: Uuid,
    notice: &Notice,
) -> AppResult<()> {
    let payload = serde_json::to_string(notice).map_err(crate::error::AppError::internal)?;
    outbox::Entity::insert(outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(notice.kind().to_owned()),
        recipient_user_id: Set(recipient),
        dedup_key: Set(notice.dedup_key(recipient)),
        payload: Set(payload),
        status: Set("PENDING".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        lease_token: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        drop_reason: Set(None),
        topic: Set(notice.topic()),
    })
    .on_conflict(
        OnConflict::column(outbox::Column::DedupKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One notice of every kind about `id` at `at`, in `Notice::KINDS` order
/// (tests of the kinds and of their rendering).
#[cfg(test)]
pub(crate) fn one_of_each_kind(id: Uuid, at: DateTime<Utc>) -> Vec<Notice> {
    vec![
        Notice::Reminder {
            hearing_id: id,
            claim_id: id,
            hours_before: 48,
            starts_at: at,
        },
        Notice::Promoted {
            hearing_id: id,
            claim_id: id,
        },
        Notice::Demoted {
            hearing_id: id,
            claim_id: id,
        },
        Notice::Rescheduled {
            hearing_id: id,
            starts_at: at,
        },
        Notice::Postponed { hearing_id: id, at },
        Notice::Cancelled { hearing_id: id },
        Notice::ReportReceived { report_id: id },
        Notice::ReportUnacknowledged { report_id: id },
        Notice::ReportResponded {
            report_id: id,
            country: "CA".into(),
        },
        Notice::StatementInvited { statement_id: id },
        Notice::StatementApprovalStale {
            statement_id: id,
            version: 2,
        },
        Notice::StatementDeadline {
            statement_id: id,
            deadline: at,
        },
        Notice::StatementFinalized { statement_id: id },
        Notice::RevealRequested { reveal_id: id },
        Notice::RevealDecided {
            reveal_id: id,
            state: "APPROVED".into(),
        },
        Notice::CoverageDigest {
            on: chrono::NaiveDate::MIN,
        },
        Notice::ClaimOffered {
            hearing_id: id,
            offer_id: id,
        },
        Notice::ClaimOfferDecided {
            hearing_id: id,
            offer_id: id,
            state: "ACCEPTED".into(),
            taker: true,
        },
        Notice::SecurityChanged {
            change: "RECOVERY_CODE_USED".into(),
            at,
        },
        Notice::PasswordResetLink { reset_id: id },
        Notice::PasswordChanged { reset_id: id },
        Notice::EmailChangeConfirm { change_id: id },
        Notice::EmailChangeRequested { change_id: id },
        Notice::EmailChanged { change_id: id },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_for_the_metrics() {
        let all = one_of_each_kind(Uuid::nil(), DateTime::<Utc>::MIN_UTC);
        let kinds: Vec<&str> = all.iter().map(Notice::kind).collect();
        assert_eq!(kinds, Notice::KINDS);
    }
}
