//! The roster's use cases: claim, release, the batch decision of waiting
//! claims, the reconciliation after a loss of sight, and the viewer's own
//! duty roster. The rules are `domain::roster`'s; the writes are
//! `store::roster_claim`'s.
//!
//! Invariant: every roster change runs in one transaction that first locks
//! the hearing row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises
//! all writes), so the confirmed count never exceeds `observersNeeded`,
//! whatever the concurrency. Notices go to the outbox in that transaction.
//!
//! Claims contend for one row lock, so they are group-committed
//! (`crate::batch`): the claims waiting for one hearing in this process are
//! decided together, in arrival order, in one transaction, each with its own
//! answer. Across processes the row lock still serialises the batches.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::batch::GroupError;
use crate::domain::CountryCode;
use crate::domain::hearing::{ClaimStatus, HearingStatus};
use crate::domain::roster::{self as rules, Queue, Refusal, Slot};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::msg;
use crate::policy::Seen;
use crate::policy::hearings::{self as policy, OwnClaim};
use crate::state::AppState;
use crate::store::hearing;
use crate::store::roster_claim::{self, ClaimView, NewClaim, with_positions};

/// A claim and the answer it gets: the claim, and the hearing as the
/// claimant sees it.
pub type Claimed = (ClaimView, Seen<hearing::Model>);

/// Claims a place (or the end of the waitlist) on a hearing: decided under
/// the hearing lock together with the claims that wait for it.
pub async fn claim(state: &AppState, viewer: &Viewer, hearing_id: Uuid) -> AppResult<Claimed> {
    let answer = state
        .claims
        .submit(hearing_id, viewer.clone(), || {
            let state = Arc::new(state.clone());
            move |hearing_id, viewers: Vec<Viewer>| {
                let state = Arc::clone(&state);
                async move { decide_claims_or_singly(&state, hearing_id, &viewers).await }
            }
        })
        .await;
    answer.map_err(|e| match e {
        GroupError::Poisoned => AppError::internal("claim queue poisoned"),
        GroupError::NoAnswer => AppError::internal("the claim's batch ended without an answer"),
    })?
}

/// Decides `claimants` together (`decide_claims`); if their transaction
/// fails as a whole, each is decided alone, so that no claim's failure
/// becomes another's.
async fn decide_claims_or_singly(
    state: &AppState,
    hearing_id: Uuid,
    claimants: &[Viewer],
) -> Vec<AppResult<Claimed>> {
    let started = std::time::Instant::now();
    let decided = decide_claims(state, hearing_id, claimants).await;
    // Batch sizes and times say where a storm of claims spends its time.
    tracing::debug!(
        claims = claimants.len(),
        micros = started.elapsed().as_micros() as u64,
        "claim batch"
    );
    match decided {
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
    viewer: &'a Viewer,
    seen: Seen<hearing::Model>,
    claim: NewClaim,
    /// The claimant's suspended claim is taken up again (same row).
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
    claimants: &[Viewer],
) -> AppResult<Vec<AppResult<Claimed>>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let viewers: Vec<&Viewer> = claimants.iter().collect();
    let sights = policy::lock_for_each(&txn, &viewers, hearing_id).await?;
    let Some(any) = sights.iter().find_map(|s| s.as_ref().ok()) else {
        return Ok(refusals(sights));
    };
    let users: Vec<Uuid> = claimants.iter().map(|v| v.user_id).collect();
    let mut tally = policy::tally(&txn, any, &users).await?;
    let open_elsewhere = policy::open_hearings_of_each(&txn, &viewers, hearing_id).await?;
    // The case's consent: one answer for the whole batch.
    let open = policy::roster_is_open(&txn, any).await?;
    let mut queue = Queue {
        needed: u64::try_from(any.model().observers_needed).unwrap_or(0),
        confirmed: tally.confirmed,
        waitlisted: tally.waitlisted,
        last_seq: tally.last_seq,
    };
    let answers: Vec<AppResult<Decided<'_>>> = claimants
        .iter()
        .zip(sights)
        .map(|(viewer, sight)| {
            let elsewhere = open_elsewhere
                .get(&viewer.user_id)
                .map_or(&[][..], Vec::as_slice);
            decide_one(
                viewer,
                sight,
                open,
                elsewhere,
                now,
                &mut tally.own,
                &mut queue,
            )
        })
        .collect();
    let decided: Vec<&Decided<'_>> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    if decided.is_empty() {
        // Nothing to write: the transaction ends without a change.
        return Ok(refusals(answers));
    }
    let mut written = write_claims(&txn, hearing_id, &decided, now).await?;
    audit::append_all(
        &txn,
        decided.iter().map(|d| claimed(hearing_id, d)).collect(),
    )
    .await?;
    state
        .live
        .commit_announcing(txn, &state.db, &[hearing_id])
        .await?;
    Ok(answers
        .into_iter()
        .map(|a| answer(a?, &mut written))
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

/// A hearing as `domain::roster` reads it.
fn slot(h: &hearing::Model) -> Slot {
    Slot {
        status: HearingStatus::from_stored(&h.status),
        starts_at: h.starts_at,
        minutes: h.duration_minutes,
        deadline: h.claim_deadline,
    }
}

/// One claim of a batch, against the queue as the claims before it left it.
fn decide_one<'a>(
    viewer: &'a Viewer,
    sight: AppResult<Seen<hearing::Model>>,
    roster_open: bool,
    elsewhere: &[hearing::Model],
    now: DateTime<Utc>,
    own: &mut HashMap<Uuid, OwnClaim>,
    queue: &mut Queue,
) -> AppResult<Decided<'a>> {
    let seen = sight?;
    policy::may_claim(viewer, &seen, roster_open)?;
    let country = viewer.country.ok_or(AppError::Forbidden)?;
    let mine = own.get(&viewer.user_id).copied();
    let holding = mine == Some(OwnClaim::Holding);
    match rules::refusal(
        now,
        &slot(seen.model()),
        holding,
        elsewhere.iter().map(slot),
    ) {
        Some(Refusal::Closed(why)) => return Err(AppError::SlotUnavailable(why)),
        Some(Refusal::Conflict(why)) => return Err(AppError::Conflict(why)),
        None => {}
    }
    let placed = queue.place();
    own.insert(viewer.user_id, OwnClaim::Holding);
    Ok(Decided {
        viewer,
        seen,
        claim: NewClaim {
            user_id: viewer.user_id,
            country,
            status: placed.status,
            seq: placed.seq,
        },
        retake: mine == Some(OwnClaim::Suspended),
        position: placed.position,
    })
}

/// Writes the decided claims: new ones in one statement, suspended ones
/// taken up again (sight came back) one by one. Returns them by claimant.
async fn write_claims(
    txn: &impl ConnectionTrait,
    hearing_id: Uuid,
    decided: &[&Decided<'_>],
    now: DateTime<Utc>,
) -> AppResult<HashMap<Uuid, roster_claim::Model>> {
    let fresh: Vec<&NewClaim> = decided
        .iter()
        .filter(|d| !d.retake)
        .map(|d| &d.claim)
        .collect();
    let mut written: HashMap<Uuid, roster_claim::Model> =
        roster_claim::insert_all(txn, hearing_id, now, &fresh)
            .await?
            .into_iter()
            .map(|m| (m.user_id, m))
            .collect();
    for d in decided.iter().filter(|d| d.retake) {
        let taken_up = roster_claim::take_up(txn, hearing_id, now, &d.claim)
            .await?
            .ok_or_else(|| AppError::internal("the suspended claim vanished under the lock"))?;
        written.insert(taken_up.user_id, taken_up);
    }
    Ok(written)
}

/// The audit event of a decided claim.
fn claimed(hearing_id: Uuid, d: &Decided<'_>) -> Event {
    Event::new(d.viewer, Action::RosterClaimed, ObjectType::Hearing)
        .object(hearing_id, Some(d.claim.country))
        .detail(format!("status={}", d.claim.status.as_str()))
}

/// A decided claim's answer: its written row, its position, the hearing.
fn answer(d: Decided<'_>, written: &mut HashMap<Uuid, roster_claim::Model>) -> AppResult<Claimed> {
    let claim = written
        .remove(&d.viewer.user_id)
        .ok_or_else(|| AppError::internal("a decided claim was not written"))?;
    let position = d.position;
    Ok((ClaimView { claim, position }, d.seen))
}

pub async fn release(
    state: &AppState,
    viewer: &Viewer,
    hearing_id: Uuid,
) -> AppResult<Seen<hearing::Model>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, hearing_id).await?;
    let mut claims = active(policy::roster(&txn, &seen).await?);
    let Some(mine) = claims.iter().position(|c| c.user_id == viewer.user_id) else {
        return Err(AppError::bad_input(
            "hearingId",
            msg!("input-you-hold-no-claim-on"),
        ));
    };
    let mine = claims.remove(mine);
    // Its open offer ends with it (its offerer is told).
    crate::service::handover::cancel_for_claims(&txn, now, viewer, &[mine.id]).await?;
    roster_claim::delete(&txn, mine.id).await?;
    if seen.model().status == HearingStatus::Scheduled.as_str() {
        rebalance(&txn, now, seen.model(), &claims).await?;
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

/// Claims that hold a place or wait for one, in queue order.
pub(super) fn active(mut claims: Vec<roster_claim::Model>) -> Vec<roster_claim::Model> {
    claims.retain(|c| !c.is(ClaimStatus::Suspended));
    claims
}

/// Makes the confirmed set the first `observersNeeded` of `claims` (active,
/// in queue order; `domain::roster::rebalance`), telling each moved claimant.
pub(super) async fn rebalance(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    h: &hearing::Model,
    claims: &[roster_claim::Model],
) -> AppResult<()> {
    let needed = usize::try_from(h.observers_needed).unwrap_or(0);
    let moves = rules::rebalance(claims.iter().map(is_confirmed), needed);
    for (claim, status) in moves.filter_map(|(i, s)| Some((claims.get(i)?, s))) {
        roster_claim::update_place(db, claim.id, status, now).await?;
        let (hearing_id, claim_id) = (h.id, claim.id);
        let notice = if status == ClaimStatus::Confirmed {
            Notice::Promoted {
                hearing_id,
                claim_id,
            }
        } else {
            Notice::Demoted {
                hearing_id,
                claim_id,
            }
        };
        mail::enqueue(db, now, claim.user_id, &notice).await?;
    }
    Ok(())
}

fn is_confirmed(c: &roster_claim::Model) -> bool {
    c.is(ClaimStatus::Confirmed)
}

/// A hearing's roster (as the viewer is shown it) in display order:
/// confirmed, then the waitlist in order, then the suspended claims.
pub fn in_display_order(claims: Vec<roster_claim::Model>) -> Vec<ClaimView> {
    let mut views = with_positions(claims);
    views.sort_by_key(|v| rules::display_key(v.claim.state(), v.position, v.claim.queue_seq));
    views
}

/// The viewer's own claims on open hearings they see, soonest first.
pub async fn my_roster(state: &AppState, viewer: &Viewer) -> AppResult<Vec<Claimed>> {
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
    let all_claims = active(policy::claims_of(db, &keys).await?);
    let mut out = Vec::new();
    for h in seen {
        let on_hearing = all_claims
            .iter()
            .filter(|c| c.hearing_id == h.model().id)
            .cloned()
            .collect();
        if let Some(view) = with_positions(on_hearing)
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
        roster_claim::update_suspended(txn, claim.id, *reason, now).await?;
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
    let suspended: Vec<Uuid> = lost.iter().map(|(id, _)| *id).collect();
    crate::service::handover::internal_cancel_without_sight(txn, now, actor, &hearings, &suspended)
        .await?;
    let is_lost = |c: &roster_claim::Model| lost.iter().any(|(id, _)| *id == c.id);
    for h in &hearings {
        let touched = claims.iter().any(|c| c.hearing_id == h.id && is_lost(c));
        if touched && h.status == HearingStatus::Scheduled.as_str() {
            let rest: Vec<roster_claim::Model> = claims
                .iter()
                .filter(|c| c.hearing_id == h.id && !is_lost(c))
                .cloned()
                .collect();
            rebalance(txn, now, h, &rest).await?;
        }
    }
    Ok(ids)
}
