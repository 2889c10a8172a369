//! The append-only audit trail. Every write (and, later, every identity read)
//! appends one event inside the same transaction as the change it records. Each
//! event stores the hash of the one before, so editing or deleting a row breaks
//! the chain at that row, which `verify` finds.
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::error::{AppError, AppResult};
use crate::store::{audit_event, audit_head};

/// What happened. Stored as its name, so renaming a variant breaks old chains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    LoginSucceeded,
    LoginFailed,
    LoginLocked,
    TokenRefreshed,
    RefreshTokenReused,
    LoggedOut,
    /// Every session of the user ended at their request.
    LoggedOutEverywhere,
    /// The user changed their own password (their other sessions ended).
    PasswordChanged,
    OperatorBootstrapped,
    MissionCreated,
    UserCreated,
    UserDeactivated,
    UserReactivated,
    OrganizationCreated,
    CoalitionCreated,
    CoalitionMemberAdded,
    CoalitionMemberRemoved,
    CaseCreated,
    CaseUpdated,
    ConsentRecorded,
    CaseShared,
    CaseUnshared,
    IdentityRead,
    IdentityKeysRotated,
    HearingScheduled,
    HearingUpdated,
    RosterClaimed,
    RosterReleased,
    /// A claim stopped holding a place: its country lost sight of the hearing.
    RosterClaimSuspended,
    ObservationSubmitted,
    /// An observer amended their observation (the earlier content is kept).
    ObservationAmended,
    CalendarTokenIssued,
    CalendarTokenRevoked,
    AttackReportSubmitted,
    AttackReportAcknowledged,
    AttackReportLinked,
    AttackReportClosed,
    /// Retention erased a report's description (its statistics stay).
    AttackReportDescriptionErased,
    StatementCreated,
    StatementRevised,
    StatementInvited,
    StatementUninvited,
    StatementApproved,
    StatementDeclined,
    StatementApprovalWithdrawn,
    StatementFinalized,
    StatementDelivered,
    StatementExported,
    StatementDeadlineReminded,
    /// A country's identity key was set up (or claimed from the key-ring migration).
    IdentityKeyCreated,
    /// A country's identity key was replaced by a new one.
    IdentityKeyRotated,
    /// An admin regained the country key with the recovery key.
    IdentityKeyRecovered,
    /// A retired country key was destroyed: nothing was sealed under it any more.
    IdentityKeyDestroyed,
    /// Identities were re-sealed from a retired key (or the server's key ring) to the current one.
    IdentitiesResealed,
    /// A member received a copy of their country's key.
    IdentityAccessGranted,
    /// A member's copies of their country's key were deleted.
    IdentityAccessRevoked,
    /// A partner country asked to see an identity.
    IdentityRevealRequested,
    /// The owner country approved a reveal, until its expiry.
    IdentityRevealApproved,
    /// The owner country denied a reveal.
    IdentityRevealDenied,
    /// An approved reveal was revoked before its expiry.
    IdentityRevealRevoked,
    /// A coordinator chose the day of their coverage digest (or off).
    CoverageDigestSet,
    /// An admin made one of their country's users an assessor.
    AssessorAppointed,
    /// An admin ended a user's assessor grant.
    AssessorDismissed,
    /// An assessor saved a new version of a trial's fairness assessment.
    FairnessAssessmentWritten,
    FairnessAssessmentShared,
    FairnessAssessmentUnshared,
    /// The text for publication was exported (consent to public advocacy held).
    FairnessAssessmentExported,
    /// A diplomat offered their roster claim (to a colleague, or openly).
    ClaimOffered,
    /// An offer was accepted: the claim moved to the taker with its place.
    ClaimOfferAccepted,
    /// The named colleague declined an offer.
    ClaimOfferDeclined,
    /// The offerer withdrew an offer.
    ClaimOfferWithdrawn,
    /// An offer passed its hearing's claim deadline untaken.
    ClaimOfferExpired,
    /// An offer was cancelled: its claim was suspended or released, or the
    /// colleague's country lost sight of the hearing.
    ClaimOfferCancelled,
    /// A person chose their language or time zone.
    PreferencesSet,
    SsoConfigured,
    SsoRemoved,
    SsoSignInSucceeded,
    SsoSignInFailed,
    SsoSubjectSet,
    /// A person turned on an authenticator app (two-step sign-in).
    TotpEnrolled,
    /// A person turned their authenticator app off.
    TotpRemoved,
    /// A person replaced their recovery codes.
    RecoveryCodesRegenerated,
    /// A sign-in's second step succeeded.
    SecondFactorPassed,
    /// A sign-in's second step failed (wrong or replayed code).
    SecondFactorFailed,
    /// Too many failed second steps: the person's second step is locked.
    SecondFactorLocked,
    /// A recovery code was used to sign in.
    RecoveryCodeUsed,
    /// A mission admin required (or stopped requiring) a second factor.
    MissionSecondFactorSet,
    /// Forgot password: a reset link was queued for an existing account
    /// (written by the background work, never for an unknown address).
    PasswordResetRequested,
    /// A reset link was used: the password was set and every session ended.
    PasswordResetCompleted,
    /// An admin (or the operator) voided a person's password and sent them
    /// a reset link.
    PasswordResetForced,
    /// A person asked to change their email address (a link went to the new one).
    EmailChangeRequested,
    /// The new address was confirmed and is now the account's.
    EmailChanged,
    /// A person registered a security key (WebAuthn) as a second factor.
    SecurityKeyAdded,
    /// A person removed one of their security keys.
    SecurityKeyRemoved,
    /// A security key's signature counter did not move forward (a cloned
    /// key?): the sign-in with it was refused.
    SecurityKeyCloneSuspected,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::LoginSucceeded => "LOGIN_SUCCEEDED",
            Action::LoginFailed => "LOGIN_FAILED",
            Action::LoginLocked => "LOGIN_LOCKED",
            Action::TokenRefreshed => "TOKEN_REFRESHED",
            Action::RefreshTokenReused => "REFRESH_TOKEN_REUSED",
            Action::LoggedOut => "LOGGED_OUT",
            Action::LoggedOutEverywhere => "LOGGED_OUT_EVERYWHERE",
            Action::PasswordChanged => "PASSWORD_CHANGED",
            Action::OperatorBootstrapped => "OPERATOR_BOOTSTRAPPED",
            Action::MissionCreated => "MISSION_CREATED",
            Action::UserCreated => "USER_CREATED",
            Action::UserDeactivated => "USER_DEACTIVATED",
            Action::UserReactivated => "USER_REACTIVATED",
            Action::OrganizationCreated => "ORGANIZATION_CREATED",
            Action::CoalitionCreated => "COALITION_CREATED",
            Action::CoalitionMemberAdded => "COALITION_MEMBER_ADDED",
            Action::CoalitionMemberRemoved => "COALITION_MEMBER_REMOVED",
            Action::CaseCreated => "CASE_CREATED",
            Action::CaseUpdated => "CASE_UPDATED",
            Action::ConsentRecorded => "CONSENT_RECORDED",
            Action::CaseShared => "CASE_SHARED",
            Action::CaseUnshared => "CASE_UNSHARED",
            Action::IdentityRead => "IDENTITY_READ",
            Action::IdentityKeysRotated => "IDENTITY_KEYS_ROTATED",
            Action::HearingScheduled => "HEARING_SCHEDULED",
            Action::HearingUpdated => "HEARING_UPDATED",
            Action::RosterClaimed => "ROSTER_CLAIMED",
            Action::RosterReleased => "ROSTER_RELEASED",
            Action::RosterClaimSuspended => "ROSTER_CLAIM_SUSPENDED",
            Action::ObservationSubmitted => "OBSERVATION_SUBMITTED",
            Action::ObservationAmended => "OBSERVATION_AMENDED",
            Action::CalendarTokenIssued => "CALENDAR_TOKEN_ISSUED",
            Action::CalendarTokenRevoked => "CALENDAR_TOKEN_REVOKED",
            Action::AttackReportSubmitted => "ATTACK_REPORT_SUBMITTED",
            Action::AttackReportAcknowledged => "ATTACK_REPORT_ACKNOWLEDGED",
            Action::AttackReportLinked => "ATTACK_REPORT_LINKED",
            Action::AttackReportClosed => "ATTACK_REPORT_CLOSED",
            Action::AttackReportDescriptionErased => "ATTACK_REPORT_DESCRIPTION_ERASED",
            Action::StatementCreated => "STATEMENT_CREATED",
            Action::StatementRevised => "STATEMENT_REVISED",
            Action::StatementInvited => "STATEMENT_INVITED",
            Action::StatementUninvited => "STATEMENT_UNINVITED",
            Action::StatementApproved => "STATEMENT_APPROVED",
            Action::StatementDeclined => "STATEMENT_DECLINED",
            Action::StatementApprovalWithdrawn => "STATEMENT_APPROVAL_WITHDRAWN",
            Action::StatementFinalized => "STATEMENT_FINALIZED",
            Action::StatementDelivered => "STATEMENT_DELIVERED",
            Action::StatementExported => "STATEMENT_EXPORTED",
            Action::StatementDeadlineReminded => "STATEMENT_DEADLINE_REMINDED",
            Action::IdentityKeyCreated => "IDENTITY_KEY_CREATED",
            Action::IdentityKeyRotated => "IDENTITY_KEY_ROTATED",
            Action::IdentityKeyRecovered => "IDENTITY_KEY_RECOVERED",
            Action::IdentityKeyDestroyed => "IDENTITY_KEY_DESTROYED",
            Action::IdentitiesResealed => "IDENTITIES_RESEALED",
            Action::IdentityAccessGranted => "IDENTITY_ACCESS_GRANTED",
            Action::IdentityAccessRevoked => "IDENTITY_ACCESS_REVOKED",
            Action::IdentityRevealRequested => "IDENTITY_REVEAL_REQUESTED",
            Action::IdentityRevealApproved => "IDENTITY_REVEAL_APPROVED",
            Action::IdentityRevealDenied => "IDENTITY_REVEAL_DENIED",
            Action::IdentityRevealRevoked => "IDENTITY_REVEAL_REVOKED",
            Action::CoverageDigestSet => "COVERAGE_DIGEST_SET",
            Action::AssessorAppointed => "ASSESSOR_APPOINTED",
            Action::AssessorDismissed => "ASSESSOR_DISMISSED",
            Action::FairnessAssessmentWritten => "FAIRNESS_ASSESSMENT_WRITTEN",
            Action::FairnessAssessmentShared => "FAIRNESS_ASSESSMENT_SHARED",
            Action::FairnessAssessmentUnshared => "FAIRNESS_ASSESSMENT_UNSHARED",
            Action::FairnessAssessmentExported => "FAIRNESS_ASSESSMENT_EXPORTED",
            Action::ClaimOffered => "CLAIM_OFFERED",
            Action::ClaimOfferAccepted => "CLAIM_OFFER_ACCEPTED",
            Action::ClaimOfferDeclined => "CLAIM_OFFER_DECLINED",
            Action::ClaimOfferWithdrawn => "CLAIM_OFFER_WITHDRAWN",
            Action::ClaimOfferExpired => "CLAIM_OFFER_EXPIRED",
            Action::ClaimOfferCancelled => "CLAIM_OFFER_CANCELLED",
            Action::PreferencesSet => "PREFERENCES_SET",
            Action::SsoConfigured => "SSO_CONFIGURED",
            Action::SsoRemoved => "SSO_REMOVED",
            Action::SsoSignInSucceeded => "SSO_SIGN_IN_SUCCEEDED",
            Action::SsoSignInFailed => "SSO_SIGN_IN_FAILED",
            Action::SsoSubjectSet => "SSO_SUBJECT_SET",
            Action::TotpEnrolled => "TOTP_ENROLLED",
            Action::TotpRemoved => "TOTP_REMOVED",
            Action::RecoveryCodesRegenerated => "RECOVERY_CODES_REGENERATED",
            Action::SecondFactorPassed => "SECOND_FACTOR_PASSED",
            Action::SecondFactorFailed => "SECOND_FACTOR_FAILED",
            Action::SecondFactorLocked => "SECOND_FACTOR_LOCKED",
            Action::RecoveryCodeUsed => "RECOVERY_CODE_USED",
            Action::MissionSecondFactorSet => "MISSION_SECOND_FACTOR_SET",
            Action::PasswordResetRequested => "PASSWORD_RESET_REQUESTED",
            Action::PasswordResetCompleted => "PASSWORD_RESET_COMPLETED",
            Action::PasswordResetForced => "PASSWORD_RESET_FORCED",
            Action::EmailChangeRequested => "EMAIL_CHANGE_REQUESTED",
            Action::EmailChanged => "EMAIL_CHANGED",
            Action::SecurityKeyAdded => "SECURITY_KEY_ADDED",
            Action::SecurityKeyRemoved => "SECURITY_KEY_REMOVED",
            Action::SecurityKeyCloneSuspected => "SECURITY_KEY_CLONE_SUSPECTED",
        }
    }
}

/// The kind of object an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectType {
    User,
    Session,
    Mission,
    Organization,
    Coalition,
    Case,
    Hearing,
    AttackReport,
    Statement,
    /// A country's identity key.
    IdentityKey,
    /// A request to reveal an identity.
    IdentityReveal,
    /// A trial's fairness assessment.
    FairnessAssessment,
}

impl ObjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::User => "USER",
            ObjectType::Session => "SESSION",
            ObjectType::Mission => "MISSION",
            ObjectType::Organization => "ORGANIZATION",
            ObjectType::Coalition => "COALITION",
            ObjectType::Case => "CASE",
            ObjectType::Hearing => "HEARING",
            ObjectType::AttackReport => "ATTACK_REPORT",
            ObjectType::Statement => "STATEMENT",
            ObjectType::IdentityKey => "IDENTITY_KEY",
            ObjectType::IdentityReveal => "IDENTITY_REVEAL",
            ObjectType::FairnessAssessment => "FAIRNESS_ASSESSMENT",
        }
    }
}

/// Who acted: a signed-in viewer, a user identified by login, or the system.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub country: Option<CountryCode>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor {
        user_id: None,
        country: None,
    };
}

impl From<&Viewer> for Actor {
    fn from(v: &Viewer) -> Self {
        Actor {
            user_id: Some(v.user_id),
            country: v.country,
        }
    }
}

/// One event to append. `detail` holds ids and enum values only — never
/// names, free text or defender data (it is copied to logs and backups).
pub struct Event {
    pub actor: Actor,
    pub action: Action,
    pub object_type: ObjectType,
    pub object_id: Option<String>,
    /// The country whose admins may read this event (besides the actor's).
    pub object_country: Option<CountryCode>,
    pub detail: Option<String>,
}

impl Event {
    pub fn new(actor: impl Into<Actor>, action: Action, object_type: ObjectType) -> Self {
        Self {
            actor: actor.into(),
            action,
            object_type,
            object_id: None,
            object_country: None,
            detail: None,
        }
    }

    pub fn object(mut self, id: impl ToString, country: Option<CountryCode>) -> Self {
        self.object_id = Some(id.to_string());
        self.object_country = country;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The hash of an event: SHA-256 over its fields and the previous hash, each
/// length-prefixed so that no two different events serialise alike.
fn event_hash(e: &audit_event::Model) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(&e.seq.to_string());
    field(
        &e.occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    );
    field(&e.actor_user_id.map(|u| u.to_string()).unwrap_or_default());
    field(e.actor_country.as_deref().unwrap_or(""));
    field(&e.action);
    field(&e.object_type);
    field(e.object_id.as_deref().unwrap_or(""));
    field(e.object_country.as_deref().unwrap_or(""));
    field(e.detail.as_deref().unwrap_or(""));
    field(&e.prev_hash);
    hex::encode(h.finalize())
}

/// Appends `event` to the chain. Call it inside the transaction of the change.
pub async fn append(db: &impl ConnectionTrait, event: Event) -> AppResult<()> {
    append_all(db, vec![event]).await
}

/// Appends `events`, in order, with the statements of one append (claims
/// decided together under one hearing lock are audited together).
pub async fn append_all(db: &impl ConnectionTrait, events: Vec<Event>) -> AppResult<()> {
    let Ok(n) = i64::try_from(events.len()) else {
        return Err(AppError::internal("too many audit events at once"));
    };
    if n == 0 {
        return Ok(());
    }
    // Claim the head first: the update takes the row lock (PostgreSQL) or the
    // write lock (SQLite), so concurrent appenders queue here.
    // One statement takes the lock, reserves the positions and reads the
    // hash to chain to.
    let head = audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(n),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("audit head row is missing"))?;
    let now: DateTime<Utc> = Utc::now().trunc_subsecs(6);
    let mut prev_hash = head.hash;
    let mut rows = Vec::with_capacity(events.len());
    for (seq, event) in (head.seq - n + 1..).zip(events) {
        let mut model = audit_event::Model {
            seq,
            occurred_at: now,
            actor_user_id: event.actor.user_id,
            actor_country: event.actor.country.map(|c| c.to_string()),
            action: event.action.as_str().to_owned(),
            object_type: event.object_type.as_str().to_owned(),
            object_id: event.object_id,
            object_country: event.object_country.map(|c| c.to_string()),
            detail: event.detail,
            prev_hash,
            hash: String::new(),
        };
        model.hash = event_hash(&model);
        prev_hash = model.hash.clone();
        rows.push(audit_event::ActiveModel {
            seq: Set(model.seq),
            occurred_at: Set(model.occurred_at),
            actor_user_id: Set(model.actor_user_id),
            actor_country: Set(model.actor_country),
            action: Set(model.action),
            object_type: Set(model.object_type),
            object_id: Set(model.object_id),
            object_country: Set(model.object_country),
            detail: Set(model.detail),
            prev_hash: Set(model.prev_hash),
            hash: Set(model.hash),
        });
    }
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(prev_hash))
        .filter(audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    audit_event::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The outcome of walking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact {
        events: u64,
    },
    /// The first event whose stored hash or back-link does not match.
    Broken {
        seq: i64,
        reason: &'static str,
    },
}

/// Recomputes every hash in order and checks each back-link and the head.
/// The head is read first and the walk stops at it: events appended while
/// the walk runs (a live server) lie beyond it and are left for the next
/// check, instead of reading as "the newest events were removed".
pub async fn verify(db: &impl ConnectionTrait) -> AppResult<Verification> {
    const BATCH: u64 = 1000;
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("audit head row is missing"))?;
    let mut expected_prev = accord_migrations::m20261125_000003_audit::GENESIS_HASH.to_owned();
    let mut expected_seq = 1i64;
    let mut count = 0u64;
    while expected_seq <= head.seq {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .filter(audit_event::Column::Seq.lte(head.seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(BATCH)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            if e.seq != expected_seq {
                return Ok(Verification::Broken {
                    seq: expected_seq,
                    reason: "event is missing",
                });
            }
            if e.prev_hash != expected_prev {
                return Ok(Verification::Broken {
                    seq: e.seq,
                    reason: "link to the previous event does not match",
                });
            }
            if event_hash(e) != e.hash {
                return Ok(Verification::Broken {
                    seq: e.seq,
                    reason: "content does not match its hash",
                });
            }
            expected_prev = e.hash.clone();
            expected_seq += 1;
            count += 1;
        }
    }
    if head.seq != expected_seq - 1 || head.hash != expected_prev {
        return Ok(Verification::Broken {
            seq: expected_seq,
            reason: "the newest events were removed",
        });
    }
    Ok(Verification::Intact { events: count })
}

impl Action {
    /// Every action, in the order declared: the audit log page offers them
    /// as its filter, so nobody types an action's name. Keep it in step
    /// with the enum (the test below catches gaps and a wrong order).
    pub const ALL: &'static [Action] = &[
        Action::LoginSucceeded,
        Action::LoginFailed,
        Action::LoginLocked,
        Action::TokenRefreshed,
        Action::RefreshTokenReused,
        Action::LoggedOut,
        Action::LoggedOutEverywhere,
        Action::PasswordChanged,
        Action::OperatorBootstrapped,
        Action::MissionCreated,
        Action::UserCreated,
        Action::UserDeactivated,
        Action::UserReactivated,
        Action::OrganizationCreated,
        Action::CoalitionCreated,
        Action::CoalitionMemberAdded,
        Action::CoalitionMemberRemoved,
        Action::CaseCreated,
        Action::CaseUpdated,
        Action::ConsentRecorded,
        Action::CaseShared,
        Action::CaseUnshared,
        Action::IdentityRead,
        Action::IdentityKeysRotated,
        Action::HearingScheduled,
        Action::HearingUpdated,
        Action::RosterClaimed,
        Action::RosterReleased,
        Action::RosterClaimSuspended,
        Action::ObservationSubmitted,
        Action::ObservationAmended,
        Action::CalendarTokenIssued,
        Action::CalendarTokenRevoked,
        Action::AttackReportSubmitted,
        Action::AttackReportAcknowledged,
        Action::AttackReportLinked,
        Action::AttackReportClosed,
        Action::AttackReportDescriptionErased,
        Action::StatementCreated,
        Action::StatementRevised,
        Action::StatementInvited,
        Action::StatementUninvited,
        Action::StatementApproved,
        Action::StatementDeclined,
        Action::StatementApprovalWithdrawn,
        Action::StatementFinalized,
        Action::StatementDelivered,
        Action::StatementExported,
        Action::StatementDeadlineReminded,
        Action::IdentityKeyCreated,
        Action::IdentityKeyRotated,
        Action::IdentityKeyRecovered,
        Action::IdentityKeyDestroyed,
        Action::IdentitiesResealed,
        Action::IdentityAccessGranted,
        Action::IdentityAccessRevoked,
        Action::IdentityRevealRequested,
        Action::IdentityRevealApproved,
        Action::IdentityRevealDenied,
        Action::IdentityRevealRevoked,
        Action::CoverageDigestSet,
        Action::AssessorAppointed,
        Action::AssessorDismissed,
        Action::FairnessAssessmentWritten,
        Action::FairnessAssessmentShared,
        Action::FairnessAssessmentUnshared,
        Action::FairnessAssessmentExported,
        Action::ClaimOffered,
        Action::ClaimOfferAccepted,
        Action::ClaimOfferDeclined,
        Action::ClaimOfferWithdrawn,
        Action::ClaimOfferExpired,
        Action::ClaimOfferCancelled,
        Action::PreferencesSet,
        Action::SsoConfigured,
        Action::SsoRemoved,
        Action::SsoSignInSucceeded,
        Action::SsoSignInFailed,
        Action::SsoSubjectSet,
        Action::TotpEnrolled,
        Action::TotpRemoved,
        Action::RecoveryCodesRegenerated,
        Action::SecondFactorPassed,
        Action::SecondFactorFailed,
        Action::SecondFactorLocked,
        Action::RecoveryCodeUsed,
        Action::MissionSecondFactorSet,
        Action::PasswordResetRequested,
        Action::PasswordResetCompleted,
        Action::PasswordResetForced,
        Action::EmailChangeRequested,
        Action::EmailChanged,
        Action::SecurityKeyAdded,
        Action::SecurityKeyRemoved,
        Action::SecurityKeyCloneSuspected,
    ];
}

#[cfg(test)]
mod all_actions {
    use super::Action;

    #[test]
    fn all_lists_every_action_once_in_order() {
        for (i, a) in Action::ALL.iter().enumerate() {
            assert_eq!(*a as usize, i, "{} out of place", a.as_str());
        }
        // The last declared action closes the list (a variant added at the
        // end must be added here too).
        assert_eq!(
            Action::ALL.len(),
            Action::SecurityKeyCloneSuspected as usize + 1
        );
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len(), "each name once");
    }
}
