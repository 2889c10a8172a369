//! Scheduling hearings, the roster (claims, waitlist, promotion), observations.
//!
//! Every roster change runs in one transaction that first locks the hearing
//! row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises all writes),
//! so the confirmed count can never exceed `observersNeeded`, whatever the
//! concurrency. Notices go to the outbox in the same transaction.
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::hearing::{
    ClaimStatus, HearingStatus, MAX_OBSERVATIONS, Outcome, may_add_observation, next_revision,
    resolve_local_start,
};
use crate::domain::ids::new_id;
use crate::domain::{bounded_text, parse_timezone};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::policy::cases as case_policy;
use crate::policy::hearings as policy;
use crate::policy::{Seen, access};
use crate::service::roster;
use crate::state::AppState;
use crate::store::{hearing, observation, observation_revision, roster_claim};

pub const MAX_COURT: usize = 200;
pub const MAX_CITY: usize = 100;
pub const MAX_NOTES: usize = 4000;
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
            format!("must be between 1 and {MAX_DURATION_MINUTES}"),
        ))
    }
}

fn check_observers(n: i32) -> AppResult<i32> {
    if (0..=MAX_OBSERVERS).contains(&n) {
        Ok(n)
    } else {
        Err(AppError::bad_input(
            "observersNeeded",
            format!("must be between 0 and {MAX_OBSERVERS}"),
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
            "must not be after the start of the hearing",
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
        return Err(AppError::ConsentRequired(
            "the defender has not consented to trial observation",
        ));
    }
    let created = hearing::ActiveModel {
        id: Set(new_id()),
        case_id: Set(case_id),
        court: Set(court),
        city: Set(city),
        starts_at: Set(starts_at),
        timezone: Set(tz.name().to_owned()),
        duration_minutes: Set(duration),
        status: Set(HearingStatus::Scheduled.as_str().to_owned()),
        observers_needed: Set(observers),
        claim_deadline: Set(deadline),
        created_by: Set(viewer.user_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
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
    let current = seen.model().clone();
    let from = HearingStatus::from_stored(&current.status)
        .ok_or_else(|| AppError::internal("unknown stored hearing status"))?;
    let mut model: hearing::ActiveModel = current.clone().into();

    if let Some(c) = &changes.court {
        model.court = Set(bounded_text("court", c, MAX_COURT)?);
    }
    if let Some(c) = &changes.city {
        model.city = Set(bounded_text("city", c, MAX_CITY)?);
    }
    let tz: Tz = match &changes.timezone {
        Some(t) => parse_timezone("timezone", t)?,
        None => current
            .timezone
            .parse()
            .map_err(|_| AppError::internal("unknown stored time zone"))?,
    };
    let mut starts_at = current.starts_at;
    if changes.local_start.is_some() || changes.timezone.is_some() {
        let local = match &changes.local_start {
            Some(l) => l.clone(),
            None => crate::domain::hearing::local_start(current.starts_at, tz),
        };
        starts_at = resolve_local_start(&local, tz, changes.utc_offset.as_deref())?;
        model.starts_at = Set(starts_at);
        model.timezone = Set(tz.name().to_owned());
    }
    if let Some(d) = changes.duration_minutes {
        model.duration_minutes = Set(check_duration(d)?);
    }
    if let Some(deadline) = changes.claim_deadline {
        model.claim_deadline = Set(check_deadline(Some(deadline), starts_at)?);
    } else if starts_at != current.starts_at {
        model.claim_deadline =
            Set(check_deadline(current.claim_deadline, starts_at).unwrap_or(None));
    }
    let to = changes.status.unwrap_or(
        if from == HearingStatus::Postponed && starts_at != current.starts_at {
            HearingStatus::Scheduled
        } else {
            from
        },
    );
    if !transition_allowed(from, to) {
        return Err(AppError::Conflict(format!(
            "a {} hearing cannot become {}",
            from.as_str(),
            to.as_str()
        )));
    }
    model.status = Set(to.as_str().to_owned());
    let needed = match changes.observers_needed {
        Some(n) => check_observers(n)?,
        None => current.observers_needed,
    };
    model.observers_needed = Set(needed);
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    if updated.starts_at != current.starts_at {
        // The calendar index holds the start.
        access::rebuild_hearings(&txn, &[updated.case_id]).await?;
    }

    // Suspended claimants no longer see the hearing: they hear nothing of it.
    let claims = roster::active(policy::roster(&txn, &seen).await?);
    if to == HearingStatus::Scheduled {
        roster::rebalance(&txn, now, &updated, &claims).await?;
    }
    let everyone = claims.iter().map(|c| c.user_id);
    let notice = if to == HearingStatus::Cancelled && from != to {
        Some(Notice::Cancelled { hearing_id: id })
    } else if to == HearingStatus::Postponed && from != to {
        Some(Notice::Postponed {
            hearing_id: id,
            at: now,
        })
    } else if starts_at != current.starts_at {
        Some(Notice::Rescheduled {
            hearing_id: id,
            starts_at,
        })
    } else {
        None
    };
    if let Some(notice) = notice {
        for user in everyone {
            mail::enqueue(&txn, now, user, &notice).await?;
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

pub struct NewObservation {
    pub attended: bool,
    pub outcome: Outcome,
    pub public_access: Option<bool>,
    pub defendant_present: Option<bool>,
    pub access_to_counsel: Option<bool>,
    pub interpretation: Option<bool>,
    pub ill_treatment_alleged: Option<bool>,
    pub notes: Option<String>,
}

/// A confirmed observer reports, once the hearing has started. Recording a
/// refusal of access matters as much as attendance. The first submission
/// creates the observer's observation; a later one amends it (same id) and
/// keeps the content it replaces, dated, in its history — up to
/// `MAX_AMENDMENTS` times. Under the hearing lock, so two submissions at
/// once make one observation and one amendment (and the database's unique
/// key would turn a second insert into `CONFLICT`, never a duplicate).
pub async fn observe(
    state: &AppState,
    viewer: &Viewer,
    hearing_id: Uuid,
    input: NewObservation,
) -> AppResult<observation::Model> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, hearing_id).await?;
    let confirmed = policy::roster(&txn, &seen)
        .await?
        .into_iter()
        .any(|c| c.user_id == viewer.user_id && c.is(ClaimStatus::Confirmed));
    if !confirmed {
        return Err(AppError::Forbidden);
    }
    if seen.model().status == HearingStatus::Cancelled.as_str() {
        return Err(AppError::Conflict("the hearing was cancelled".into()));
    }
    if now < seen.model().starts_at {
        return Err(AppError::bad_input(
            "hearingId",
            "the hearing has not started yet",
        ));
    }
    if !input.attended && input.outcome != Outcome::AccessDenied {
        return Err(AppError::bad_input(
            "outcome",
            "must be ACCESS_DENIED when the observer did not attend",
        ));
    }
    let notes = match input.notes {
        Some(n) if !n.trim().is_empty() => Some(bounded_text("notes", &n, MAX_NOTES)?),
        _ => None,
    };
    let country = viewer.country.ok_or(AppError::Forbidden)?;
    let (written, event) = match policy::own_observation(&txn, viewer, &seen).await? {
        Some((current, amendments)) => {
            let revision = next_revision(amendments).map_err(AppError::Conflict)?;
            let written_at = current.amended_at.unwrap_or(current.submitted_at);
            // Never before the content it replaces (a clock stepped back).
            let amended_at = std::cmp::max(now, written_at);
            observation_revision::ActiveModel {
                observation_id: Set(current.id),
                revision: Set(revision),
                attended: Set(current.attended),
                outcome: Set(current.outcome.clone()),
                public_access: Set(current.public_access),
                defendant_present: Set(current.defendant_present),
                access_to_counsel: Set(current.access_to_counsel),
                interpretation: Set(current.interpretation),
                ill_treatment_alleged: Set(current.ill_treatment_alleged),
                notes: Set(current.notes.clone()),
                submitted_at: Set(written_at),
                amended_at: Set(amended_at),
            }
            .insert(&txn)
            .await?;
            let mut amended: observation::ActiveModel = current.into();
            amended.attended = Set(input.attended);
            amended.outcome = Set(input.outcome.as_str().to_owned());
            amended.public_access = Set(input.public_access);
            amended.defendant_present = Set(input.defendant_present);
            amended.access_to_counsel = Set(input.access_to_counsel);
            amended.interpretation = Set(input.interpretation);
            amended.ill_treatment_alleged = Set(input.ill_treatment_alleged);
            amended.notes = Set(notes);
            amended.amended_at = Set(Some(amended_at));
            let written = amended.update(&txn).await?;
            let event = Event::new(viewer, Action::ObservationAmended, ObjectType::Hearing)
                .object(hearing_id, Some(country))
                .detail(format!("observation={} revision={revision}", written.id));
            (written, event)
        }
        None => {
            may_add_observation(policy::observation_count(&txn, &seen).await?)
                .map_err(AppError::Conflict)?;
            let written = observation::ActiveModel {
                id: Set(new_id()),
                hearing_id: Set(hearing_id),
                observer_id: Set(viewer.user_id),
                country: Set(country.to_string()),
                attended: Set(input.attended),
                outcome: Set(input.outcome.as_str().to_owned()),
                public_access: Set(input.public_access),
                defendant_present: Set(input.defendant_present),
                access_to_counsel: Set(input.access_to_counsel),
                interpretation: Set(input.interpretation),
                ill_treatment_alleged: Set(input.ill_treatment_alleged),
                notes: Set(notes),
                submitted_at: Set(now),
                amended_at: Set(None),
            }
            .insert(&txn)
            .await
            .map_err(|e| {
                AppError::unique_or(
                    e,
                    AppError::Conflict(
                        "your observation was submitted meanwhile; submit again to amend it".into(),
                    ),
                )
            })?;
            let event = Event::new(viewer, Action::ObservationSubmitted, ObjectType::Hearing)
                .object(hearing_id, Some(country))
                .detail(format!("observation={}", written.id));
            (written, event)
        }
    };
    audit::append(&txn, event).await?;
    txn.commit().await?;
    Ok(written)
}

/// Upcoming scheduled hearings within `days` that lack observers.
pub async fn coverage_gaps(
    state: &AppState,
    viewer: &Viewer,
    days: i64,
) -> AppResult<Vec<Seen<hearing::Model>>> {
    policy::may_view_coverage(viewer)?;
    if !(1..=366).contains(&days) {
        return Err(AppError::bad_input("days", "must be between 1 and 366"));
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
