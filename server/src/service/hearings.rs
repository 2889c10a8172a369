//! Hearings: scheduling, updating, observing, the coverage overview. (The
//! roster's use cases are `service::roster`.)
//!
//! Each use case locks the hearing (or its case) through the policy, decides
//! with plain functions (`decide_update`, `may_observe`, the domain's
//! rules), writes through `store::hearing` / `store::observation*`, audits,
//! then notifies (outbox in the same transaction, live after commit).
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::hearing::{
    ClaimStatus, HearingStatus, MAX_OBSERVATIONS, may_add_observation, next_revision,
    resolve_local_start,
};
use crate::domain::ids::new_id;
use crate::domain::observation::{self as observation_rules, Content};
use crate::domain::{CountryCode, bounded_text, parse_timezone};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::msg;
use crate::policy::cases as case_policy;
use crate::policy::hearings as policy;
use crate::policy::{Seen, access};
use crate::service::roster;
use crate::state::AppState;
use crate::store::{hearing, observation, observation_revision, roster_claim};

pub const MAX_COURT: usize = 200;
pub const MAX_CITY: usize = 100;
pub const MAX_OBSERVERS: i32 = 50;
// One observation per observer: the cap on a hearing's observations is the
// most observers it can ask for.
const _: () = assert!(MAX_OBSERVERS as usize == MAX_OBSERVATIONS);
pub const MAX_DURATION_MINUTES: i32 = 24 * 60;

pub struct NewHearing {
    pub court: String,
    pub city: String,
    pub local_start: String,
    pub timezone: String,
    pub utc_offset: Option<String>,
    pub duration_minutes: i32,
    pub observers_needed: i32,
    pub claim_deadline: Option<DateTime<Utc>>,
}

fn check_duration(d: i32) -> AppResult<i32> {
    if (1..=MAX_DURATION_MINUTES).contains(&d) {
        Ok(d)
    } else {
        Err(AppError::bad_input(
            "durationMinutes",
            msg!("input-between", min = 1, max = MAX_DURATION_MINUTES),
        ))
    }
}

fn check_observers(n: i32) -> AppResult<i32> {
    if (0..=MAX_OBSERVERS).contains(&n) {
        Ok(n)
    } else {
        Err(AppError::bad_input(
            "observersNeeded",
            msg!("input-between", min = 0, max = MAX_OBSERVERS),
        ))
    }
}

fn check_deadline(
    deadline: Option<DateTime<Utc>>,
    starts_at: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    match deadline {
        Some(d) if d > starts_at => Err(AppError::bad_input(
            "claimDeadline",
            msg!("input-must-not-be-after-the"),
        )),
        other => Ok(other),
    }
}

pub async fn schedule(
    state: &AppState,
    viewer: &Viewer,
    case_id: Uuid,
    input: NewHearing,
) -> AppResult<Seen<hearing::Model>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let case = case_policy::lock(&txn, viewer, case_id).await?;
    policy::may_manage(viewer, case.level())?;
    let court = bounded_text("court", &input.court, MAX_COURT)?;
    let city = bounded_text("city", &input.city, MAX_CITY)?;
    let tz: Tz = parse_timezone("timezone", &input.timezone)?;
    let starts_at = resolve_local_start(&input.local_start, tz, input.utc_offset.as_deref())?;
    let duration = check_duration(input.duration_minutes)?;
    let observers = check_observers(input.observers_needed)?;
    let deadline = check_deadline(input.claim_deadline, starts_at)?;
    if !case.model().consent_trial {
        return Err(AppError::ConsentRequired(msg!(
            "consent-the-defender-has-not-consented-to-trial"
        )));
    }
    let row = hearing::Model {
        id: new_id(),
        case_id,
        court,
        city,
        starts_at,
        timezone: tz.name().to_owned(),
        duration_minutes: duration,
        status: HearingStatus::Scheduled.as_str().to_owned(),
        observers_needed: observers,
        claim_deadline: deadline,
        created_by: viewer.user_id,
        created_at: now,
        updated_at: now,
    };
    let created = hearing::insert(&txn, row).await?;
    access::rebuild_hearings(&txn, &[case_id]).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::HearingScheduled, ObjectType::Hearing)
            .object(created.id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    policy::find(&state.db, viewer, created.id).await
}

#[derive(Default)]
pub struct HearingChanges {
    pub court: Option<String>,
    pub city: Option<String>,
    pub local_start: Option<String>,
    pub timezone: Option<String>,
    pub utc_offset: Option<String>,
    pub duration_minutes: Option<i32>,
    pub observers_needed: Option<i32>,
    pub claim_deadline: Option<DateTime<Utc>>,
    pub status: Option<HearingStatus>,
}

/// Which status changes make sense. HELD and CANCELLED are final.
fn transition_allowed(from: HearingStatus, to: HearingStatus) -> bool {
    use HearingStatus::*;
    from == to
        || matches!(
            (from, to),
            (Scheduled, Postponed | Held | Cancelled) | (Postponed, Scheduled | Cancelled)
        )
}

pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: HearingChanges,
) -> AppResult<Seen<hearing::Model>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    policy::may_manage(viewer, seen.level())?;
    let current = seen.model();
    let (changed, from, to) = decide_update(current, changes, now)?;
    let moved = changed.starts_at != current.starts_at;
    let updated = hearing::update(&txn, current, changed).await?;
    if moved {
        // The calendar index holds the start.
        access::rebuild_hearings(&txn, &[updated.case_id]).await?;
    }
    // Suspended claimants no longer see the hearing: they hear nothing of it.
    let claims = roster::active(policy::roster(&txn, &seen).await?);
    if to == HearingStatus::Scheduled {
        roster::rebalance(&txn, now, &updated, &claims).await?;
    }
    if let Some(notice) = update_notice(&updated, from, to, moved, now) {
        for claim in &claims {
            mail::enqueue(&txn, now, claim.user_id, &notice).await?;
        }
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::HearingUpdated, ObjectType::Hearing)
            .object(id, viewer.country)
            .detail(format!("status={}", to.as_str())),
    )
    .await?;
    state.live.commit_announcing(txn, &state.db, &[id]).await?;
    policy::find(&state.db, viewer, id).await
}

/// The hearing as `changes` leave it, with its status before and after:
/// every field checked, the start resolved in the court's zone, and a
/// postponed hearing given a new start scheduled again (unless told
/// otherwise). No I/O.
fn decide_update(
    current: &hearing::Model,
    changes: HearingChanges,
    now: DateTime<Utc>,
) -> AppResult<(hearing::Model, HearingStatus, HearingStatus)> {
    let from = HearingStatus::from_stored(&current.status)
        .ok_or_else(|| AppError::internal("unknown stored hearing status"))?;
    let mut model = current.clone();
    if let Some(c) = &changes.court {
        model.court = bounded_text("court", c, MAX_COURT)?;
    }
    if let Some(c) = &changes.city {
        model.city = bounded_text("city", c, MAX_CITY)?;
    }
    if let Some((tz, starts_at)) = new_start(current, &changes)? {
        model.starts_at = starts_at;
        model.timezone = tz.name().to_owned();
    }
    let moved = model.starts_at != current.starts_at;
    if let Some(d) = changes.duration_minutes {
        model.duration_minutes = check_duration(d)?;
    }
    if let Some(deadline) = changes.claim_deadline {
        model.claim_deadline = check_deadline(Some(deadline), model.starts_at)?;
    } else if moved {
        model.claim_deadline =
            check_deadline(current.claim_deadline, model.starts_at).unwrap_or(None);
    }
    let rescheduled = from == HearingStatus::Postponed && moved;
    let to = changes.status.unwrap_or(if rescheduled {
        HearingStatus::Scheduled
    } else {
        from
    });
    if !transition_allowed(from, to) {
        return Err(AppError::Conflict(msg!(
            "conflict-hearing-status",
            from = from.as_str(),
            to = to.as_str()
        )));
    }
    model.status = to.as_str().to_owned();
    if let Some(n) = changes.observers_needed {
        model.observers_needed = check_observers(n)?;
    }
    model.updated_at = now;
    Ok((model, from, to))
}

/// The new zone and start when `changes` move either (the local time kept
/// when only the zone changes).
fn new_start(
    current: &hearing::Model,
    changes: &HearingChanges,
) -> AppResult<Option<(Tz, DateTime<Utc>)>> {
    let tz: Tz = match &changes.timezone {
        Some(t) => parse_timezone("timezone", t)?,
        None => current
            .timezone
            .parse()
            .map_err(|_| AppError::internal("unknown stored time zone"))?,
    };
    if changes.local_start.is_none() && changes.timezone.is_none() {
        return Ok(None);
    }
    let local = match &changes.local_start {
        Some(l) => l.clone(),
        None => crate::domain::hearing::local_start(current.starts_at, tz),
    };
    let starts_at = resolve_local_start(&local, tz, changes.utc_offset.as_deref())?;
    Ok(Some((tz, starts_at)))
}

/// What the roster is told of an update: a cancellation, a postponement,
/// or a new start; nothing else.
fn update_notice(
    h: &hearing::Model,
    from: HearingStatus,
    to: HearingStatus,
    moved: bool,
    now: DateTime<Utc>,
) -> Option<Notice> {
    let hearing_id = h.id;
    if to == HearingStatus::Cancelled && from != to {
        Some(Notice::Cancelled { hearing_id })
    } else if to == HearingStatus::Postponed && from != to {
        Some(Notice::Postponed {
            hearing_id,
            at: now,
        })
    } else if moved {
        Some(Notice::Rescheduled {
            hearing_id,
            starts_at: h.starts_at,
        })
    } else {
        None
    }
}

/// A confirmed observer reports, once the hearing has started: once. The
/// observation is then locked — a second submission is `CONFLICT` (correct
/// it with `amend_observation`, which keeps what was first recorded).
/// Recording a refusal of access matters as much as attendance. Under the
/// hearing lock, and the database's unique key turns a concurrent second
/// insert into `CONFLICT`, never a duplicate.
pub async fn observe(
    state: &AppState,
    viewer: &Viewer,
    hearing_id: Uuid,
    content: Content,
) -> AppResult<observation::Model> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, hearing_id).await?;
    let confirmed = policy::roster(&txn, &seen)
        .await?
        .into_iter()
        .any(|c| c.user_id == viewer.user_id && c.is(ClaimStatus::Confirmed));
    let country = may_observe(viewer, seen.model(), confirmed, now)?;
    let content = observation_rules::check(content)?;
    let already = || AppError::Conflict(msg!("conflict-you-already-submitted-your-observation"));
    if policy::own_observation(&txn, viewer, &seen)
        .await?
        .is_some()
    {
        return Err(already());
    }
    may_add_observation(policy::observation_count(&txn, &seen).await?)
        .map_err(AppError::Conflict)?;
    let row = observation::first(
        new_id(),
        hearing_id,
        viewer.user_id,
        country.to_string(),
        &content,
        now,
    );
    let written = observation::insert(&txn, row)
        .await
        .map_err(|e| AppError::unique_or(e, already()))?;
    let event = Event::new(viewer, Action::ObservationSubmitted, ObjectType::Hearing)
        .object(hearing_id, Some(country))
        .detail(format!("observation={}", written.id));
    audit::append(&txn, event).await?;
    txn.commit().await?;
    Ok(written)
}

/// Whether the viewer (`confirmed` on the roster or not) may report on `h`
/// at `now`; their country.
fn may_observe(
    viewer: &Viewer,
    h: &hearing::Model,
    confirmed: bool,
    now: DateTime<Utc>,
) -> AppResult<CountryCode> {
    if !confirmed {
        return Err(AppError::Forbidden);
    }
    if h.status == HearingStatus::Cancelled.as_str() {
        return Err(AppError::Conflict(msg!(
            "conflict-the-hearing-was-cancelled"
        )));
    }
    if now < h.starts_at {
        return Err(AppError::bad_input(
            "hearingId",
            msg!("input-the-hearing-has-not-started"),
        ));
    }
    viewer.country.ok_or(AppError::Forbidden)
}

/// The observer corrects their observation: `content` is the full corrected
/// content, `reason` why. The content it replaces is kept, dated, as the
/// next revision of its history (revision 1 stays the original), at most
/// `MAX_AMENDMENTS` times (then `CONFLICT`; the database holds the cap
/// too). Only the observer amends, and only while they see the hearing
/// (else `NOT_FOUND`, as for a missing id). Returns the hearing (as the
/// viewer sees it) and the amended observation.
pub async fn amend_observation(
    state: &AppState,
    viewer: &Viewer,
    observation_id: Uuid,
    content: Content,
    reason: &str,
) -> AppResult<(Seen<hearing::Model>, observation::Model)> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (seen, current, amendments) =
        policy::lock_own_observation(&txn, viewer, observation_id).await?;
    let country = viewer.country.ok_or(AppError::Forbidden)?;
    let content = observation_rules::check(content)?;
    let reason = observation_rules::check_reason(reason)?;
    let revision = next_revision(amendments).map_err(AppError::Conflict)?;
    let written_at = current.amended_at.unwrap_or(current.submitted_at);
    // Never before the content it replaces (a clock stepped back).
    let amended_at = std::cmp::max(now, written_at);
    observation_revision::insert_replaced(&txn, &current, revision, written_at, amended_at).await?;
    let mut amended = observation::Model {
        amended_at: Some(amended_at),
        amendment_reason: Some(reason),
        ..current.clone()
    };
    amended.set_content(&content);
    let written = observation::update(&txn, &current, amended).await?;
    let event = Event::new(viewer, Action::ObservationAmended, ObjectType::Hearing)
        .object(seen.model().id, Some(country))
        .detail(format!("observation={} revision={revision}", written.id));
    audit::append(&txn, event).await?;
    txn.commit().await?;
    Ok((seen, written))
}

/// Upcoming scheduled hearings within `days` that lack observers.
pub async fn coverage_gaps(
    state: &AppState,
    viewer: &Viewer,
    days: i64,
) -> AppResult<Vec<Seen<hearing::Model>>> {
    policy::may_view_coverage(viewer)?;
    if !(1..=366).contains(&days) {
        return Err(AppError::bad_input(
            "days",
            msg!("input-between", min = 1, max = 366),
        ));
    }
    let now = state.clock.now();
    let hearings = policy::visible(viewer)
        .filter(hearing::Column::Status.eq(HearingStatus::Scheduled.as_str()))
        .filter(hearing::Column::StartsAt.gt(now))
        .filter(hearing::Column::StartsAt.lte(now + Duration::days(days)))
        .filter(
            Expr::col((hearing::Entity, hearing::Column::ObserversNeeded))
                .gt(roster_claim::confirmed_count_sql()),
        )
        .order_by_asc(hearing::Column::StartsAt)
        .limit(500)
        .all(&state.db)
        .await?;
    policy::levels(&state.db, viewer, hearings).await
}
