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
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::hearing::{
    ClaimStatus, HearingStatus, MAX_OBSERVATIONS, MAX_OPEN_CLAIMS, Outcome, may_add_observation,
    next_revision, overlaps, resolve_local_start,
};
use crate::domain::ids::new_id;
use crate::domain::{CountryCode, bounded_text, parse_timezone};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::policy::cases as case_policy;
use crate::policy::hearings::{self as policy, OwnClaim};
use crate::policy::{Seen, access};
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

fn is(claim: &roster_claim::Model, status: ClaimStatus) -> bool {
    claim.status == status.as_str()
}

/// Claims that hold a place or wait for one, in queue order.
fn active(claims: &[roster_claim::Model]) -> Vec<roster_claim::Model> {
    claims
        .iter()
        .filter(|c| !is(c, ClaimStatus::Suspended))
        .cloned()
        .collect()
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
    let claims = active(&policy::roster(&txn, &seen).await?);
    if to == HearingStatus::Scheduled {
        rebalance(&txn, now, &updated, &claims).await?;
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

/// Makes the confirmed set the first `observersNeeded` claims in queue order:
/// lowering the number moves the latest confirmed back to the waitlist (at
/// its front, in order); raising it, or a release, promotes from the front.
async fn rebalance(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    h: &hearing::Model,
    claims: &[roster_claim::Model],
) -> AppResult<()> {
    let needed = usize::try_from(h.observers_needed).unwrap_or(0);
    for (i, claim) in claims.iter().enumerate() {
        let should_confirm = i < needed;
        let confirmed = is(claim, ClaimStatus::Confirmed);
        if should_confirm == confirmed {
            continue;
        }
        let status = if should_confirm {
            ClaimStatus::Confirmed
        } else {
            ClaimStatus::Waitlisted
        };
        roster_claim::Entity::update_many()
            .col_expr(roster_claim::Column::Status, Expr::value(status.as_str()))
            .col_expr(
                roster_claim::Column::ConfirmedAt,
                Expr::value(should_confirm.then_some(now)),
            )
            .filter(roster_claim::Column::Id.eq(claim.id))
            .exec(db)
            .await?;
        let notice = if should_confirm {
            Notice::Promoted {
                hearing_id: h.id,
                claim_id: claim.id,
            }
        } else {
            Notice::Demoted {
                hearing_id: h.id,
                claim_id: claim.id,
            }
        };
        mail::enqueue(db, now, claim.user_id, &notice).await?;
    }
    Ok(())
}

/// A claim as the roster shows it: status and, when waitlisted, its position.
pub struct ClaimView {
    pub claim: roster_claim::Model,
    pub position: Option<i32>,
}

/// Positions 1..n of the waitlisted claims, in queue order.
pub fn with_positions(claims: Vec<roster_claim::Model>) -> Vec<ClaimView> {
    let mut next = 0;
    claims
        .into_iter()
        .map(|claim| {
            let position = is(&claim, ClaimStatus::Waitlisted).then(|| {
                next += 1;
                next
            });
            ClaimView { claim, position }
        })
        .collect()
}

/// A claim and the answer it gets: the claim, and the hearing as the
/// claimant sees it.
pub type Claimed = (ClaimView, Seen<hearing::Model>);

/// A claim waiting to be decided.
pub struct Claimant {
    pub viewer: Viewer,
}

/// Claims a place (or the end of the waitlist) on a hearing: decided under
/// the hearing lock together with the claims that wait for it
/// (`claim_queue`).
pub async fn claim(state: &AppState, viewer: &Viewer, hearing_id: Uuid) -> AppResult<Claimed> {
    let claimant = Claimant {
        viewer: viewer.clone(),
    };
    state.claims.submit(state, hearing_id, claimant).await
}

/// Whether `h` overlaps in time one of `others`.
fn overlaps_any(h: &hearing::Model, others: &[hearing::Model]) -> bool {
    others.iter().any(|o| {
        overlaps(
            o.starts_at,
            o.duration_minutes,
            h.starts_at,
            h.duration_minutes,
        )
    })
}

/// Whether the hearing takes claims at `now`.
fn open_for_claims(h: &hearing::Model, now: DateTime<Utc>) -> AppResult<()> {
    match HearingStatus::from_stored(&h.status) {
        Some(HearingStatus::Scheduled) => {}
        _ => {
            return Err(AppError::SlotUnavailable(
                "the hearing is not open for claims (postponed, held or cancelled)",
            ));
        }
    }
    if now >= h.claim_deadline.unwrap_or(h.starts_at) {
        return Err(AppError::SlotUnavailable("the claim deadline has passed"));
    }
    Ok(())
}

/// Decides `claimants` together (`decide_claims`); if their transaction
/// fails as a whole, each is decided alone, so that no claim's failure
/// becomes another's.
pub async fn decide_claims_or_singly(
    state: &AppState,
    hearing_id: Uuid,
    claimants: &[Claimant],
) -> Vec<AppResult<Claimed>> {
    match decide_claims(state, hearing_id, claimants).await {
        Ok(answers) => answers,
        Err(e) if claimants.len() == 1 => vec![Err(e)],
        // The database is down: one by one would only wait again per claim.
        Err(AppError::Unavailable { retry_after_secs }) => claimants
            .iter()
            .map(|_| Err(AppError::Unavailable { retry_after_secs }))
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, claims = claimants.len(), "a batch of claims failed; deciding them one by one");
            let mut answers = Vec::with_capacity(claimants.len());
            for c in claimants {
                let answer = decide_claims(state, hearing_id, std::slice::from_ref(c))
                    .await
                    .and_then(|mut a| a.pop().unwrap_or(Err(AppError::internal("no answer"))));
                answers.push(answer);
            }
            answers
        }
    }
}

/// What one claim of a batch comes to, before anything is written.
struct Decided<'a> {
    claimant: &'a Claimant,
    /// The claimant's country (claims are a country's).
    country: CountryCode,
    seen: Seen<hearing::Model>,
    status: ClaimStatus,
    seq: i64,
    retake: bool,
    position: Option<i32>,
}

/// Decides `claimants` (claims on one hearing, in arrival order) in one
/// transaction: one lock, one sight check for all, the roster counted once,
/// the claims written, audited and announced together. Each claim gets its
/// own answer; one claim refused does not affect the others.
async fn decide_claims(
    state: &AppState,
    hearing_id: Uuid,
    claimants: &[Claimant],
) -> AppResult<Vec<AppResult<Claimed>>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let viewers: Vec<&Viewer> = claimants.iter().map(|c| &c.viewer).collect();
    let sights = policy::lock_for_each(&txn, &viewers, hearing_id).await?;
    let Some(any) = sights.iter().find_map(|s| s.as_ref().ok()) else {
        return Ok(refusals(sights));
    };
    let users: Vec<Uuid> = claimants.iter().map(|c| c.viewer.user_id).collect();
    let mut tally = policy::tally(&txn, any, &users).await?;
    let open_elsewhere = policy::open_hearings_of_each(&txn, &viewers, hearing_id).await?;
    let needed = u64::try_from(any.model().observers_needed).unwrap_or(0);
    // The case's consent: one answer for the whole batch.
    let open = policy::roster_is_open(&txn, any).await?;
    let mut answers: Vec<AppResult<Decided<'_>>> = Vec::with_capacity(claimants.len());
    for (claimant, sight) in claimants.iter().zip(sights) {
        let elsewhere = open_elsewhere
            .get(&claimant.viewer.user_id)
            .map_or(&[][..], Vec::as_slice);
        answers.push(decide_one(
            claimant, sight, open, elsewhere, now, needed, &mut tally,
        ));
    }
    let decided: Vec<&Decided<'_>> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    if decided.is_empty() {
        // Nothing to write: the transaction ends without a change.
        return Ok(refusals(answers));
    }
    let mut written = write_claims(&txn, hearing_id, &decided, now).await?;
    let events = decided
        .iter()
        .map(|d| {
            Event::new(
                &d.claimant.viewer,
                Action::RosterClaimed,
                ObjectType::Hearing,
            )
            .object(hearing_id, Some(d.country))
            .detail(format!("status={}", d.status.as_str()))
        })
        .collect();
    audit::append_all(&txn, events).await?;
    state
        .live
        .commit_announcing(txn, &state.db, &[hearing_id])
        .await?;
    Ok(answers
        .into_iter()
        .map(|a| {
            let d = a?;
            let claim = written
                .remove(&d.claimant.viewer.user_id)
                .ok_or_else(|| AppError::internal("a decided claim was not written"))?;
            Ok((
                ClaimView {
                    claim,
                    position: d.position,
                },
                d.seen,
            ))
        })
        .collect())
}

/// The answers of a batch in which every claim was refused.
fn refusals<T>(answers: Vec<AppResult<T>>) -> Vec<AppResult<Claimed>> {
    answers
        .into_iter()
        .map(|a| match a {
            Err(e) => Err(e),
            Ok(_) => Err(AppError::internal("a claim was decided but not written")),
        })
        .collect()
}

/// One claim of a batch, against the tally of those before it.
fn decide_one<'a>(
    claimant: &'a Claimant,
    sight: AppResult<Seen<hearing::Model>>,
    roster_open: bool,
    elsewhere: &[hearing::Model],
    now: DateTime<Utc>,
    needed: u64,
    tally: &mut policy::RosterTally,
) -> AppResult<Decided<'a>> {
    let viewer = &claimant.viewer;
    let seen = sight?;
    policy::may_claim(viewer, &seen, roster_open)?;
    let country = viewer.country.ok_or(AppError::Forbidden)?;
    let h = seen.model();
    open_for_claims(h, now)?;
    let own = tally.own.get(&viewer.user_id).copied();
    if own == Some(OwnClaim::Holding) {
        return Err(AppError::Conflict(
            "you already hold a claim on this hearing".into(),
        ));
    }
    // A bounded duty roster: `myRoster` lists exactly these claims.
    if elsewhere.len() >= MAX_OPEN_CLAIMS {
        return Err(AppError::Conflict(format!(
            "you already hold claims on {MAX_OPEN_CLAIMS} open hearings; release one first"
        )));
    }
    // No two claims of one diplomat on hearings that overlap in time.
    if overlaps_any(h, elsewhere) {
        return Err(AppError::Conflict(
            "you already hold a claim on a hearing at an overlapping time".into(),
        ));
    }
    let status = if tally.confirmed < needed {
        tally.confirmed += 1;
        ClaimStatus::Confirmed
    } else {
        tally.waitlisted += 1;
        ClaimStatus::Waitlisted
    };
    let position = (status == ClaimStatus::Waitlisted)
        .then(|| i32::try_from(tally.waitlisted).unwrap_or(i32::MAX));
    // The end of the queue, behind suspended claims too (they keep their seq).
    tally.last_seq += 1;
    tally.own.insert(viewer.user_id, OwnClaim::Holding);
    Ok(Decided {
        claimant,
        country,
        seen,
        status,
        seq: tally.last_seq,
        retake: own == Some(OwnClaim::Suspended),
        position,
    })
}

/// Writes the decided claims: new ones in one statement, suspended ones
/// taken up again (sight came back) one by one. Returns them by claimant.
async fn write_claims(
    txn: &impl ConnectionTrait,
    hearing_id: Uuid,
    decided: &[&Decided<'_>],
    now: DateTime<Utc>,
) -> AppResult<std::collections::HashMap<Uuid, roster_claim::Model>> {
    let mut written = std::collections::HashMap::new();
    let confirmed_at = |d: &Decided<'_>| (d.status == ClaimStatus::Confirmed).then_some(now);
    let fresh: Vec<roster_claim::ActiveModel> = decided
        .iter()
        .filter(|d| !d.retake)
        .map(|d| roster_claim::ActiveModel {
            id: Set(new_id()),
            hearing_id: Set(hearing_id),
            user_id: Set(d.claimant.viewer.user_id),
            country: Set(d.country.to_string()),
            status: Set(d.status.as_str().to_owned()),
            queue_seq: Set(d.seq),
            created_at: Set(now),
            confirmed_at: Set(confirmed_at(d)),
            suspended_reason: Set(None),
            suspended_at: Set(None),
        })
        .collect();
    if !fresh.is_empty() {
        for m in roster_claim::Entity::insert_many(fresh)
            .exec_with_returning(txn)
            .await?
        {
            written.insert(m.user_id, m);
        }
    }
    for d in decided.iter().filter(|d| d.retake) {
        let taken_up = roster_claim::Entity::update_many()
            .col_expr(
                roster_claim::Column::Country,
                Expr::value(d.country.to_string()),
            )
            .col_expr(roster_claim::Column::Status, Expr::value(d.status.as_str()))
            .col_expr(roster_claim::Column::QueueSeq, Expr::value(d.seq))
            .col_expr(roster_claim::Column::CreatedAt, Expr::value(now))
            .col_expr(
                roster_claim::Column::ConfirmedAt,
                Expr::value(confirmed_at(d)),
            )
            .col_expr(
                roster_claim::Column::SuspendedReason,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                roster_claim::Column::SuspendedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(roster_claim::Column::HearingId.eq(hearing_id))
            .filter(roster_claim::Column::UserId.eq(d.claimant.viewer.user_id))
            .exec_with_returning(txn)
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("the suspended claim vanished under the lock"))?;
        written.insert(taken_up.user_id, taken_up);
    }
    Ok(written)
}

pub async fn release(
    state: &AppState,
    viewer: &Viewer,
    hearing_id: Uuid,
) -> AppResult<Seen<hearing::Model>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, hearing_id).await?;
    let claims = active(&policy::roster(&txn, &seen).await?);
    let Some(mine) = claims.iter().find(|c| c.user_id == viewer.user_id) else {
        return Err(AppError::bad_input(
            "hearingId",
            "you hold no claim on this hearing",
        ));
    };
    roster_claim::Entity::delete_by_id(mine.id)
        .exec(&txn)
        .await?;
    let rest: Vec<roster_claim::Model> =
        claims.iter().filter(|c| c.id != mine.id).cloned().collect();
    if seen.model().status == HearingStatus::Scheduled.as_str() {
        rebalance(&txn, now, seen.model(), &rest).await?;
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::RosterReleased, ObjectType::Hearing)
            .object(hearing_id, viewer.country),
    )
    .await?;
    state
        .live
        .commit_announcing(txn, &state.db, &[hearing_id])
        .await?;
    policy::find(&state.db, viewer, hearing_id).await
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
        .any(|c| c.user_id == viewer.user_id && is(&c, ClaimStatus::Confirmed));
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

/// The viewer's own claims on open hearings they see, soonest first.
pub async fn my_roster(
    state: &AppState,
    viewer: &Viewer,
) -> AppResult<Vec<(ClaimView, Seen<hearing::Model>)>> {
    let db = &state.db;
    let mine = policy::my_open_claims(db, viewer).await?;
    let hearings = policy::visible(viewer)
        .filter(hearing::Column::Id.is_in(mine.iter().map(|c| c.hearing_id)))
        .order_by_asc(hearing::Column::StartsAt)
        .order_by_asc(hearing::Column::Id)
        .all(db)
        .await?;
    let seen = policy::levels(db, viewer, hearings).await?;
    let keys: Vec<_> = seen.iter().map(|h| h.key()).collect();
    let all_claims = active(&policy::claims_of(db, &keys).await?);
    let mut out = Vec::new();
    for h in seen {
        let views = with_positions(
            all_claims
                .iter()
                .filter(|c| c.hearing_id == h.model().id)
                .cloned()
                .collect(),
        );
        if let Some(view) = views
            .into_iter()
            .find(|v| v.claim.user_id == viewer.user_id)
        {
            out.push((view, h));
        }
    }
    Ok(out)
}

/// After a change that may take sight of hearings away from some countries
/// (consent, a share, coalition membership), in the transaction of that
/// change: locks the hearings of `case_ids`, suspends every claim whose
/// country no longer sees its hearing (kept, with the reason, audited, shown
/// to the owner country), and moves each waitlist up (promotion notices as
/// usual). Suspended claimants get no notice. Returns the hearings whose
/// watchers must re-check (announce them after commit).
pub async fn reconcile(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Viewer,
    case_ids: &[Uuid],
) -> AppResult<Vec<Uuid>> {
    let hearings = hearing::internal_lock_of_cases(txn, case_ids).await?;
    let ids: Vec<Uuid> = hearings.iter().map(|h| h.id).collect();
    let claims = roster_claim::internal_active_of(txn, &ids).await?;
    let lost = policy::internal_claims_without_sight(txn, &hearings, &claims).await?;
    for (claim_id, reason) in &lost {
        let Some(claim) = claims.iter().find(|c| c.id == *claim_id) else {
            continue;
        };
        roster_claim::Entity::update_many()
            .col_expr(
                roster_claim::Column::Status,
                Expr::value(ClaimStatus::Suspended.as_str()),
            )
            .col_expr(
                roster_claim::Column::SuspendedReason,
                Expr::value(reason.as_str()),
            )
            .col_expr(roster_claim::Column::SuspendedAt, Expr::value(now))
            .col_expr(
                roster_claim::Column::ConfirmedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(roster_claim::Column::Id.eq(claim.id))
            .exec(txn)
            .await?;
        audit::append(
            txn,
            Event::new(actor, Action::RosterClaimSuspended, ObjectType::Hearing)
                .object(
                    claim.hearing_id,
                    CountryCode::parse("country", &claim.country).ok(),
                )
                .detail(format!("claim={} reason={}", claim.id, reason.as_str())),
        )
        .await?;
    }
    for h in &hearings {
        let touched = lost
            .iter()
            .any(|(id, _)| claims.iter().any(|c| c.id == *id && c.hearing_id == h.id));
        if touched && h.status == HearingStatus::Scheduled.as_str() {
            let rest: Vec<roster_claim::Model> = claims
                .iter()
                .filter(|c| c.hearing_id == h.id && !lost.iter().any(|(id, _)| *id == c.id))
                .cloned()
                .collect();
            rebalance(txn, now, h, &rest).await?;
        }
    }
    Ok(ids)
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
