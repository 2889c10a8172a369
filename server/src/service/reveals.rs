//! Reveal by request: a partner country that sees a case at `DETAIL` asks
//! for its identity with a motivation; a custodian of the owner country
//! approves (re-sealing the identity to the **requesting country's** key,
//! until an expiry) or denies, with a motivation both sides read; the owner
//! may revoke an approval at any time. Every step is audited, and so is
//! every read through a reveal. Asking never tells whether an identity was
//! recorded: a request is taken the same either way.
use chrono::{DateTime, Duration, Utc};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::case::Visibility;
use crate::domain::ids::new_id;
use crate::domain::input::long_text;
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult, LockReason};
use crate::mail::{self, Notice};
use crate::msg;
use crate::policy::Seen;
use crate::policy::cases as case_policy;
use crate::policy::reveals::{self as policy, Side};
use crate::service::identity;
use crate::state::AppState;
use crate::store::{country_key, country_key_wrap, identity_reveal};

pub const MAX_MOTIVATION: usize = 2000;
/// The longest an approval may run: a reveal is for a purpose, not forever.
pub const MAX_REVEAL_DAYS: i64 = 90;

/// A reveal's state as people read it (an approval past its expiry is
/// `Expired`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevealState {
    Pending,
    Approved,
    Denied,
    Revoked,
    Expired,
}

impl RevealState {
    pub fn of(row: &identity_reveal::Model, now: DateTime<Utc>) -> Self {
        match row.state.as_str() {
            "PENDING" => RevealState::Pending,
            "APPROVED" if row.expires_at.is_some_and(|e| e <= now) => RevealState::Expired,
            "APPROVED" => RevealState::Approved,
            "DENIED" => RevealState::Denied,
            _ => RevealState::Revoked,
        }
    }
}

fn motivation(field: &str, raw: &str) -> AppResult<String> {
    // Prose: a reason may run over several lines.
    let text = long_text(field, raw, MAX_MOTIVATION)?;
    if text.trim().is_empty() {
        return Err(AppError::bad_input(field, msg!("input-must-say-why")));
    }
    Ok(text)
}

fn requester_role(viewer: &Viewer) -> AppResult<CountryCode> {
    match (viewer.role, viewer.country) {
        (Role::Diplomat | Role::Coordinator | Role::Admin, Some(c)) => Ok(c),
        _ => Err(AppError::Forbidden),
    }
}

/// Asks the owner country for a case's identity.
pub async fn request(
    state: &AppState,
    viewer: &Viewer,
    case_id: Uuid,
    why: &str,
) -> AppResult<Seen<identity_reveal::Model, Side>> {
    let country = requester_role(viewer)?;
    let why = motivation("motivation", why)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let case = case_policy::lock(&txn, viewer, case_id).await?;
    match case.level() {
        Visibility::Owner => {
            return Err(AppError::bad_input(
                "caseId",
                msg!("input-your-country-owns-this-case"),
            ));
        }
        Visibility::Detail => {}
        // A summary share does not reach identity; said as for a case
        // out of sight.
        _ => return Err(AppError::NotFound),
    }
    if country_key::current(&txn, country.as_str())
        .await?
        .is_none_or(|k| k.state != identity::KeyState::Active.as_str())
    {
        return Err(AppError::IdentityLocked(LockReason::NoCountryKey));
    }
    if policy::count_for_case(&txn, case_id).await? >= policy::MAX_PER_CASE {
        return Err(AppError::Conflict(msg!("conflict-this-case-has-had-too")));
    }
    let row = identity_reveal::Model {
        id: new_id(),
        case_id,
        owner_country: case.model().owner_country.clone(),
        requesting_country: country.as_str().to_owned(),
        requested_by: viewer.user_id,
        motivation: why,
        state: "PENDING".into(),
        created_at: now,
        decided_by: None,
        decided_at: None,
        decision_motivation: None,
        expires_at: None,
        revoked_by: None,
        revoked_at: None,
        key_id: None,
        legal_name_sealed: None,
        contact_sealed: None,
        location_sealed: None,
        notes_sealed: None,
    };
    let row = identity_reveal::insert(&txn, row).await.map_err(|e| {
        AppError::unique_or(
            e,
            AppError::Conflict(msg!("conflict-your-country-already-has-an-open")),
        )
    })?;
    audit::append(
        &txn,
        Event::new(
            viewer,
            Action::IdentityRevealRequested,
            ObjectType::IdentityReveal,
        )
        .object(row.id, Some(country))
        .detail(format!("case={case_id}")),
    )
    .await?;
    // The owner's custodians are told one waits (a link, nothing else).
    let owner = CountryCode::from_stored(&row.owner_country);
    if let Some(key) = country_key::current(&txn, owner.as_str()).await? {
        for wrap in country_key_wrap::members_of(&txn, key.id).await? {
            if let Some(custodian) = wrap.user_id {
                mail::enqueue(
                    &txn,
                    now,
                    custodian,
                    &Notice::RevealRequested { reveal_id: row.id },
                )
                .await?;
            }
        }
    }
    txn.commit().await?;
    policy::find(&state.db, viewer, row.id).await
}

/// The owner's decision on a pending request.
pub struct Decision {
    pub approve: bool,
    pub motivation: String,
    /// To approve, exactly one of these: an expiry within
    /// `MAX_REVEAL_DAYS`, or a number of days (1 to `MAX_REVEAL_DAYS`).
    pub expires_at: Option<DateTime<Utc>>,
    pub valid_for_days: Option<i64>,
}

fn owner_side(reveal: &Seen<identity_reveal::Model, Side>) -> AppResult<()> {
    if reveal.level() == Side::Owner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn custodian_role(viewer: &Viewer) -> AppResult<()> {
    if matches!(
        viewer.role,
        Role::Admin | Role::Coordinator | Role::Diplomat
    ) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Approves or denies. Approval opens the identity in the approver's
/// unlocked session and seals it to the requesting country's current key.
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    decision: Decision,
) -> AppResult<Seen<identity_reveal::Model, Side>> {
    custodian_role(viewer)?;
    let why = motivation("motivation", &decision.motivation)?;
    let now = state.clock.now();
    let expires_at = if decision.approve {
        let at = match (decision.expires_at, decision.valid_for_days) {
            (Some(at), None) => at,
            (None, Some(days)) if (1..=MAX_REVEAL_DAYS).contains(&days) => {
                now + Duration::days(days)
            }
            (None, Some(_)) => {
                return Err(AppError::bad_input(
                    "validForDays",
                    msg!("input-from-to", min = 1, max = MAX_REVEAL_DAYS),
                ));
            }
            _ => {
                return Err(AppError::bad_input(
                    "expiresAt",
                    msg!("input-an-approval-needs-an-expiry"),
                ));
            }
        };
        if at <= now {
            return Err(AppError::bad_input(
                "expiresAt",
                msg!("input-in-the-future"),
            ));
        }
        if at > now + Duration::days(MAX_REVEAL_DAYS) {
            return Err(AppError::bad_input(
                "expiresAt",
                msg!("input-within-days", max = MAX_REVEAL_DAYS),
            ));
        }
        Some(at)
    } else {
        None
    };
    // Only a custodian of the owner country decides, approve or deny.
    let seen = policy::find(&state.db, viewer, id).await?;
    owner_side(&seen)?;
    let case = case_policy::find(&state.db, viewer, seen.model().case_id).await?;
    let requester = CountryCode::from_stored(&seen.model().requesting_country);
    let sealed = if decision.approve {
        if !policy::country_sees_detail(&state.db, requester, case.model()).await? {
            return Err(AppError::Conflict(msg!(
                "conflict-that-country-no-longer-sees"
            )));
        }
        Some(identity::seal_for_reveal(state, viewer, case.model(), id, requester).await?)
    } else {
        // A denial also needs the key: the decision is a custodian's.
        identity::open_case_identity(state, viewer, case.model()).await?;
        None
    };
    let txn = state.db.begin().await?;
    let locked = policy::lock(&txn, viewer, id).await?;
    owner_side(&locked)?;
    if locked.model().state != "PENDING" {
        return Err(AppError::Conflict(msg!(
            "conflict-this-request-was-already-decided"
        )));
    }
    let before = locked.into_model();
    let mut after = identity_reveal::Model {
        state: if decision.approve {
            "APPROVED"
        } else {
            "DENIED"
        }
        .into(),
        decided_by: Some(viewer.user_id),
        decided_at: Some(now),
        decision_motivation: Some(why),
        expires_at,
        ..before.clone()
    };
    if let Some(sealed) = sealed {
        after = sealed.into_reveal(after);
    }
    identity_reveal::update(&txn, &before, after).await?;
    let action = if decision.approve {
        Action::IdentityRevealApproved
    } else {
        Action::IdentityRevealDenied
    };
    let mut event =
        Event::new(viewer, action, ObjectType::IdentityReveal).object(id, viewer.country);
    if let Some(at) = expires_at {
        event = event.detail(format!(
            "to={} until={}",
            requester.as_str(),
            at.to_rfc3339()
        ));
    }
    audit::append(&txn, event).await?;
    tell_requester(
        &txn,
        now,
        &before,
        if decision.approve {
            "APPROVED"
        } else {
            "DENIED"
        },
    )
    .await?;
    txn.commit().await?;
    policy::find(&state.db, viewer, id).await
}

/// Ends an approval before its expiry: the sealed copy is wiped at once.
/// The owner's custodians revoke; the requesting country may give it up.
pub async fn revoke(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    why: &str,
) -> AppResult<Seen<identity_reveal::Model, Side>> {
    custodian_role(viewer)?;
    let why = motivation("motivation", why)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let locked = policy::lock(&txn, viewer, id).await?;
    if locked.level() == Side::Requester && viewer.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    if RevealState::of(locked.model(), now) != RevealState::Approved {
        return Err(AppError::Conflict(msg!(
            "conflict-only-a-running-approval-can"
        )));
    }
    let before = locked.into_model();
    let after = identity_reveal::Model {
        decision_motivation: Some(match &before.decision_motivation {
            Some(d) => format!("{d}\n\nRevoked: {why}"),
            None => format!("Revoked: {why}"),
        })
        .map(|t| t.chars().take(MAX_MOTIVATION).collect()),
        ..revoked(&before, viewer.user_id, now)
    };
    identity_reveal::update(&txn, &before, after).await?;
    audit::append(
        &txn,
        Event::new(
            viewer,
            Action::IdentityRevealRevoked,
            ObjectType::IdentityReveal,
        )
        .object(id, viewer.country),
    )
    .await?;
    tell_requester(&txn, now, &before, "REVOKED").await?;
    txn.commit().await?;
    policy::find(&state.db, viewer, id).await
}

/// After a change of who sees which case (an unshare, a withdrawn consent,
/// a country leaving a coalition): each running approval whose requesting
/// country no longer sees its case at `DETAIL` ends — revoked, its sealed
/// copy wiped, audited as the change's actor. Sharing again does not bring
/// it back; the partner asks anew.
pub(crate) async fn end_where_sight_lost(
    txn: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Viewer,
    case_ids: &[Uuid],
) -> AppResult<()> {
    for before in identity_reveal::internal_lock_approved_for_cases(txn, case_ids, now).await? {
        let requester = CountryCode::from_stored(&before.requesting_country);
        let case = crate::store::case::internal_lock_all(txn, &[before.case_id]).await?;
        let Some(case) = case.first() else { continue };
        if policy::country_sees_detail(txn, requester, case).await? {
            continue;
        }
        let id = before.id;
        identity_reveal::update(txn, &before, revoked(&before, actor.user_id, now)).await?;
        audit::append(
            txn,
            Event::new(
                actor,
                Action::IdentityRevealRevoked,
                ObjectType::IdentityReveal,
            )
            .object(id, actor.country)
            .detail("sight lost"),
        )
        .await?;
    }
    Ok(())
}

/// `before` revoked by `by` at `now`: its sealed copy wiped with it.
fn revoked(
    before: &identity_reveal::Model,
    by: Uuid,
    now: DateTime<Utc>,
) -> identity_reveal::Model {
    identity_reveal::Model {
        state: "REVOKED".into(),
        revoked_by: Some(by),
        revoked_at: Some(now),
        key_id: None,
        legal_name_sealed: None,
        contact_sealed: None,
        location_sealed: None,
        notes_sealed: None,
        ..before.clone()
    }
}

/// The member who asked hears that their request was answered.
async fn tell_requester(
    txn: &impl sea_orm::ConnectionTrait,
    now: DateTime<Utc>,
    reveal: &identity_reveal::Model,
    state: &str,
) -> AppResult<()> {
    mail::enqueue(
        txn,
        now,
        reveal.requested_by,
        &Notice::RevealDecided {
            reveal_id: reveal.id,
            state: state.to_owned(),
        },
    )
    .await
}

/// Wipes the sealed copies of expired approvals (the periodic jobs call
/// it): an expired reveal is refused at once and gone soon after.
pub async fn internal_wipe_expired(state: &AppState) -> AppResult<u64> {
    Ok(identity_reveal::internal_wipe_expired(&state.db, state.clock.now()).await?)
}
