//! Hand-overs of roster claims: offer a claim to a named colleague or
//! openly, accept, decline, withdraw; expiry in the jobs round; offers
//! cancelled when their claim is suspended or released.
//!
//! Every step runs in one transaction under the hearing's row lock (as
//! every roster change does), re-reads the offer under it, and decides it
//! with a conditional write (`store::claim_offer::decide` changes only an
//! OPEN offer): of any number of concurrent takers exactly one wins, the
//! others get `CONFLICT`. On acceptance the claim row itself moves to the
//! taker (`store::roster_claim::hand_over`): same status, queue number and
//! waitlist position; its country becomes the taker's. The taker passes the
//! same checks as a new claim: sight of the hearing, consent to trial
//! observation, the claim deadline and `domain::roster::refusal`'s clash
//! check.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::handover::{self as rules, MAX_OPEN_OFFERS_RECEIVED, OfferState};
use crate::domain::hearing::{ClaimStatus, HearingStatus};
use crate::domain::roster::{self as roster_rules, Refusal, Slot};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::msg;
use crate::policy::hearings as hearing_policy;
use crate::policy::offers::{self as policy, Offered};
use crate::state::AppState;
use crate::store::claim_offer::{self, NewOffer};
use crate::store::{hearing, roster_claim, user};

/// How many expired offers one jobs round marks at most (the rest next round).
const EXPIRE_BATCH: u64 = 200;

/// A hearing as `domain::roster` reads it.
fn slot(h: &hearing::Model) -> Slot {
    Slot {
        status: HearingStatus::from_stored(&h.status),
        starts_at: h.starts_at,
        minutes: h.duration_minutes,
        deadline: h.claim_deadline,
    }
}

fn event(actor: impl Into<Actor>, action: Action, offer: &claim_offer::Model) -> Event {
    Event::new(actor, action, ObjectType::Hearing)
        .object(
            offer.hearing_id,
            CountryCode::parse("country", &offer.offered_by_country).ok(),
        )
        .detail(format!(
            "offer={} claim={} to={}",
            offer.id,
            offer
                .claim_id
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            if offer.offered_to.is_some() {
                "named"
            } else {
                "open"
            }
        ))
}

fn decided(offer: &claim_offer::Model, state: OfferState, taker: bool) -> Notice {
    Notice::ClaimOfferDecided {
        hearing_id: offer.hearing_id,
        offer_id: offer.id,
        state: state.as_str().to_owned(),
        taker,
    }
}

fn refused(r: rules::Refusal) -> AppError {
    match r {
        rules::Refusal::NotYours => AppError::Forbidden,
        rules::Refusal::OwnOffer => {
            AppError::bad_input("id", msg!("input-you-cannot-take-your-own"))
        }
        rules::Refusal::Decided(s) => {
            AppError::Conflict(msg!("conflict-offer-not-open", state = s.as_str()))
        }
        rules::Refusal::Expired => AppError::SlotUnavailable(msg!("slot-the-offer-has-expired")),
    }
}

/// The named colleague as a viewer, read before the transaction (SQLite has
/// one connection). Anyone not an active diplomat or coordinator of the
/// offerer's own country is `NOT_FOUND`, exactly like a missing user: the
/// offerer learns nothing of other countries' people or sight.
async fn colleague(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<Viewer> {
    if id == viewer.user_id {
        return Err(AppError::bad_input(
            "toUserId",
            msg!("input-offer-your-place-to-someone"),
        ));
    }
    let u = user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)?;
    let them = crate::service::auth::viewer_for(state, &u).await?;
    let same_country = them.country.is_some() && them.country == viewer.country;
    if !same_country
        || !matches!(
            them.role,
            crate::domain::Role::Diplomat | crate::domain::Role::Coordinator
        )
    {
        return Err(AppError::NotFound);
    }
    Ok(them)
}

/// Offers the viewer's claim on `hearing_id` to the colleague `to` (who
/// must see the hearing and be allowed to claim), or openly when `None`.
/// One open offer per claim; the hearing must still take claims.
pub async fn offer(
    state: &AppState,
    viewer: &Viewer,
    hearing_id: Uuid,
    to: Option<Uuid>,
) -> AppResult<Offered> {
    let taker = match to {
        Some(id) => Some(colleague(state, viewer, id).await?),
        None => None,
    };
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = hearing_policy::lock(&txn, viewer, hearing_id).await?;
    let roster = hearing_policy::roster(&txn, &seen).await?;
    let Some(claim) = roster
        .iter()
        .find(|c| c.user_id == viewer.user_id && !c.is(ClaimStatus::Suspended))
    else {
        return Err(AppError::bad_input(
            "hearingId",
            msg!("input-you-hold-no-claim-on"),
        ));
    };
    let open = hearing_policy::roster_is_open(&txn, &seen).await?;
    hearing_policy::may_claim(viewer, &seen, open)?;
    if let Some(Refusal::Closed(why)) =
        roster_rules::refusal(now, &slot(seen.model()), false, [].into_iter())
    {
        return Err(AppError::SlotUnavailable(why));
    }
    if let Some(taker) = &taker {
        // The colleague must see the hearing as themselves: else NOT_FOUND,
        // as for a missing colleague.
        let theirs = hearing_policy::find_for_each(&txn, &[taker], hearing_id)
            .await?
            .pop()
            .unwrap_or(Err(AppError::NotFound))?;
        hearing_policy::may_claim(taker, &theirs, open).map_err(|_| AppError::NotFound)?;
        if policy::open_received(&txn, taker.user_id).await? >= MAX_OPEN_OFFERS_RECEIVED {
            return Err(AppError::Conflict(msg!(
                "conflict-colleague-offers-waiting",
                max = MAX_OPEN_OFFERS_RECEIVED
            )));
        }
    }
    if policy::open_of_claim(&txn, &seen, claim.id)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(msg!(
            "conflict-your-place-is-already-on"
        )));
    }
    let country = CountryCode::parse("country", &claim.country).map_err(AppError::internal)?;
    let m = seen.model();
    let offer = claim_offer::insert(
        &txn,
        now,
        NewOffer {
            hearing_id,
            claim_id: claim.id,
            offered_by: viewer.user_id,
            country,
            offered_to: to,
            expires_at: rules::expiry(m.starts_at, m.claim_deadline),
        },
    )
    .await?;
    audit::append(&txn, event(viewer, Action::ClaimOffered, &offer)).await?;
    if let Some(to) = to {
        let notice = Notice::ClaimOffered {
            hearing_id,
            offer_id: offer.id,
        };
        mail::enqueue(&txn, now, to, &notice).await?;
    }
    state
        .live
        .commit_announcing(txn, &state.db, &[hearing_id])
        .await?;
    policy::find(&state.db, viewer, offer.id).await
}

/// Takes an offer: the claim moves to the viewer with its place, in the
/// transaction that decides the offer. An offer found expired is marked so
/// (and its offerer told) and refused `SLOT_UNAVAILABLE`.
pub async fn accept(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<Offered> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (offer, seen) = policy::lock(&txn, viewer, id).await?;
    let offer = offer.into_model();
    let h = seen.model().clone();
    let deadline = rules::expiry(h.starts_at, h.claim_deadline);
    let mut facts = offer.rules();
    // The hearing's deadline as it is now (it may have been rescheduled).
    facts.expires_at = deadline;
    match rules::may_take(&facts, viewer.user_id, now) {
        Ok(()) => {}
        Err(rules::Refusal::Expired) => {
            expire(&txn, now, &offer).await?;
            state
                .live
                .commit_announcing(txn, &state.db, &[h.id])
                .await?;
            return Err(refused(rules::Refusal::Expired));
        }
        Err(r) => return Err(refused(r)),
    }
    let open = hearing_policy::roster_is_open(&txn, &seen).await?;
    hearing_policy::may_claim(viewer, &seen, open)?;
    let country = viewer.country.ok_or(AppError::Forbidden)?;
    let roster = hearing_policy::roster(&txn, &seen).await?;
    let claim = roster
        .iter()
        .find(|c| Some(c.id) == offer.claim_id && c.user_id == offer.offered_by)
        .filter(|c| !c.is(ClaimStatus::Suspended))
        .ok_or_else(|| AppError::Conflict(msg!("conflict-the-offered-place-is-no")))?;
    // The clash check as for a new claim: any claim of the taker's on this
    // hearing (a suspended one too: one claim per person) refuses it.
    let holding = roster.iter().any(|c| c.user_id == viewer.user_id);
    let elsewhere = hearing_policy::open_hearings_of_each(&txn, &[viewer], h.id).await?;
    let elsewhere = elsewhere
        .get(&viewer.user_id)
        .map_or(&[][..], Vec::as_slice);
    match roster_rules::refusal(now, &slot(&h), holding, elsewhere.iter().map(slot)) {
        Some(Refusal::Closed(why)) => return Err(AppError::SlotUnavailable(why)),
        Some(Refusal::Conflict(why)) => return Err(AppError::Conflict(why)),
        None => {}
    }
    if !claim_offer::decide(
        &txn,
        offer.id,
        OfferState::Accepted,
        now,
        Some(viewer.user_id),
    )
    .await?
    {
        return Err(refused(rules::Refusal::Decided(OfferState::Accepted)));
    }
    if !roster_claim::hand_over(&txn, claim.id, viewer.user_id, country).await? {
        return Err(AppError::internal(
            "the offered claim vanished under the lock",
        ));
    }
    audit::append(
        &txn,
        event(viewer, Action::ClaimOfferAccepted, &offer).detail(format!(
            "offer={} claim={} status={} taker_country={country}",
            offer.id, claim.id, claim.status
        )),
    )
    .await?;
    let accepted = |taker| decided(&offer, OfferState::Accepted, taker);
    mail::enqueue(&txn, now, offer.offered_by, &accepted(false)).await?;
    mail::enqueue(&txn, now, viewer.user_id, &accepted(true)).await?;
    state
        .live
        .commit_announcing(txn, &state.db, &[h.id])
        .await?;
    policy::find(&state.db, viewer, id).await
}

/// The named colleague declines; the offerer is told.
pub async fn decline(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<Offered> {
    close(state, viewer, id, OfferState::Declined).await
}

/// The offerer withdraws their offer (until it is decided).
pub async fn withdraw(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<Offered> {
    close(state, viewer, id, OfferState::Withdrawn).await
}

async fn close(state: &AppState, viewer: &Viewer, id: Uuid, to: OfferState) -> AppResult<Offered> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (offer, seen) = policy::lock(&txn, viewer, id).await?;
    let offer = offer.into_model();
    let (allowed, action) = match to {
        OfferState::Declined => (
            rules::may_decline(&offer.rules(), viewer.user_id, now),
            Action::ClaimOfferDeclined,
        ),
        _ => (
            rules::may_withdraw(&offer.rules(), viewer.user_id),
            Action::ClaimOfferWithdrawn,
        ),
    };
    allowed.map_err(refused)?;
    if !claim_offer::decide(&txn, offer.id, to, now, None).await? {
        return Err(refused(rules::Refusal::Decided(to)));
    }
    audit::append(&txn, event(viewer, action, &offer)).await?;
    if to == OfferState::Declined {
        mail::enqueue(&txn, now, offer.offered_by, &decided(&offer, to, false)).await?;
    }
    state
        .live
        .commit_announcing(txn, &state.db, &[seen.model().id])
        .await?;
    policy::find(&state.db, viewer, id).await
}

/// Marks an open offer EXPIRED (if still open), audited, its offerer told.
async fn expire(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    offer: &claim_offer::Model,
) -> AppResult<bool> {
    end(txn, now, offer, OfferState::Expired, Actor::SYSTEM).await
}

/// Ends an open offer as `state` (EXPIRED or CANCELLED) with no party's
/// step: audited, its offerer told. Returns whether it was still open.
async fn end(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    offer: &claim_offer::Model,
    state: OfferState,
    actor: Actor,
) -> AppResult<bool> {
    if !claim_offer::decide(txn, offer.id, state, now, None).await? {
        return Ok(false);
    }
    let action = if state == OfferState::Expired {
        Action::ClaimOfferExpired
    } else {
        Action::ClaimOfferCancelled
    };
    audit::append(txn, event(actor, action, offer)).await?;
    mail::enqueue(txn, now, offer.offered_by, &decided(offer, state, false)).await?;
    Ok(true)
}

/// The jobs round: marks EXPIRED the open offers whose hearing's claim
/// deadline passed (or that no longer takes claims), so lists are right and
/// offerers are told. Safe on several replicas (only an OPEN offer changes).
pub async fn internal_expire_due(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let txn = state.db.begin().await?;
    let due = claim_offer::internal_due_to_expire(&txn, now, EXPIRE_BATCH).await?;
    let mut hearings: Vec<Uuid> = Vec::new();
    for offer in &due {
        if expire(&txn, now, offer).await? {
            hearings.push(offer.hearing_id);
        }
    }
    hearings.sort();
    hearings.dedup();
    let n = hearings.len();
    state
        .live
        .commit_announcing(txn, &state.db, &hearings)
        .await?;
    Ok(n)
}

/// In the transaction of a release: cancels the open offer of the claim
/// being released (before it is deleted).
pub async fn cancel_for_claims(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Viewer,
    claim_ids: &[Uuid],
) -> AppResult<()> {
    for offer in claim_offer::internal_open_of_claims(txn, claim_ids).await? {
        end(txn, now, &offer, OfferState::Cancelled, actor.into()).await?;
    }
    Ok(())
}

/// In the reconciliation after a loss of sight (`service::roster::reconcile`,
/// under the hearings' locks): cancels the open offers of the claims it
/// suspended, and the offers named to a colleague whose country no longer
/// sees the hearing (or whose roster consent closed).
pub async fn internal_cancel_without_sight(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Viewer,
    hearings: &[hearing::Model],
    suspended: &[Uuid],
) -> AppResult<()> {
    cancel_for_claims(txn, now, actor, suspended).await?;
    let ids: Vec<Uuid> = hearings.iter().map(|h| h.id).collect();
    let named = claim_offer::internal_open_named_of(txn, &ids).await?;
    let lost = policy::internal_named_without_sight(txn, hearings, &named).await?;
    for (offer, _) in named.iter().filter(|(o, _)| lost.contains(&o.id)) {
        end(txn, now, offer, OfferState::Cancelled, actor.into()).await?;
    }
    Ok(())
}

/// Colleagues the viewer may name in an offer: active diplomats and
/// coordinators of their own country, by name (at most 200; the API takes
/// any of them by id).
pub async fn colleagues(state: &AppState, viewer: &Viewer) -> AppResult<Vec<user::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    if viewer.country.is_none() {
        return Ok(Vec::new());
    }
    Ok(crate::policy::directory::users(viewer)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in(["DIPLOMAT", "COORDINATOR"]))
        .filter(user::Column::Id.ne(viewer.user_id))
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .limit(200)
        .all(&state.db)
        .await?)
}
