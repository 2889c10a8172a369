//! Offers of roster claims (hand-overs). An offer is seen only by those who
//! see its hearing (`policy::hearings`), and among them by its parties (the
//! offerer, the named colleague), by anyone who may claim when it is open
//! to all, and by the case owner's country, which sees its whole roster.
//! Nobody else learns one exists: an offer they may not see is `NOT_FOUND`
//! exactly like a missing id, and absent from every list.
//!
//! Names of the offerer and the colleague follow the observers' rule
//! (`hearings::may_see_observer`): their own country's people, and everyone
//! for the case owner's country.
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::Seen;
use super::hearings;
use crate::auth::Viewer;
use crate::domain::case::Visibility;
use crate::domain::handover::{MAX_OFFERS_SHOWN, MAX_OPEN_OFFERS_RECEIVED, OfferState};
use crate::domain::{CountryCode, Role, hearing::MAX_OPEN_CLAIMS};
use crate::error::{AppError, AppResult};
use crate::store::{case, case_access, claim_offer, hearing, hearing_access};

/// An offer and its hearing, as the viewer sees them (the offer's level is
/// the hearing's).
pub type Offered = (Seen<claim_offer::Model>, Seen<hearing::Model>);

/// Whether the viewer may take claims at all (the roles `may_claim` lets in).
fn claims(viewer: &Viewer) -> bool {
    matches!(viewer.role, Role::Diplomat | Role::Coordinator)
}

/// Whether a viewer at `level` on the hearing may see `offer`.
fn may_see(viewer: &Viewer, level: Visibility, offer: &claim_offer::Model) -> bool {
    level == Visibility::Owner
        || offer.offered_by == viewer.user_id
        || offer.offered_to == Some(viewer.user_id)
        || (offer.offered_to.is_none() && claims(viewer))
}

/// The same rule as a condition on offers of one hearing seen at `level`.
fn seen_by(viewer: &Viewer, level: Visibility) -> Condition {
    if level == Visibility::Owner {
        return Condition::all();
    }
    let mut any = Condition::any()
        .add(claim_offer::Column::OfferedBy.eq(viewer.user_id))
        .add(claim_offer::Column::OfferedTo.eq(viewer.user_id));
    if claims(viewer) {
        any = any.add(claim_offer::Column::OfferedTo.is_null());
    }
    any
}

fn at(offer: claim_offer::Model, hearing: &Seen<hearing::Model>) -> Seen<claim_offer::Model> {
    Seen::at(offer, hearing.level())
}

/// One offer, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(db: &impl ConnectionTrait, viewer: &Viewer, id: Uuid) -> AppResult<Offered> {
    let offer = claim_offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hearing = hearings::find(db, viewer, offer.hearing_id).await?;
    if !may_see(viewer, hearing.level(), &offer) {
        return Err(AppError::NotFound);
    }
    Ok((at(offer, &hearing), hearing))
}

/// For a step on an offer: asked first (an offer the viewer cannot see
/// stops here, before any lock), then its hearing locked as the viewer
/// (`hearings::lock`, which every roster change takes), then the offer read
/// again under that lock.
pub async fn lock(txn: &impl ConnectionTrait, viewer: &Viewer, id: Uuid) -> AppResult<Offered> {
    let (offer, _) = find(txn, viewer, id).await?;
    let hearing = hearings::lock(txn, viewer, offer.model().hearing_id).await?;
    let offer = claim_offer::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(viewer, hearing.level(), &offer) {
        return Err(AppError::NotFound);
    }
    Ok((at(offer, &hearing), hearing))
}

/// Open offers on a hearing the viewer sees, that the viewer may see,
/// newest first, at most `MAX_OFFERS_SHOWN`.
pub async fn open_on(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    hearing: &Seen<hearing::Model>,
) -> AppResult<Vec<Seen<claim_offer::Model>>> {
    Ok(claim_offer::Entity::find()
        .filter(claim_offer::Column::HearingId.eq(hearing.key().uuid()))
        .filter(claim_offer::Column::State.eq(OfferState::Open.as_str()))
        .filter(seen_by(viewer, hearing.level()))
        .order_by_desc(claim_offer::Column::CreatedAt)
        .order_by_desc(claim_offer::Column::Id)
        .limit(MAX_OFFERS_SHOWN)
        .all(db)
        .await?
        .into_iter()
        .map(|o| at(o, hearing))
        .collect())
}

/// The viewer's own open offers, made and received, on hearings they still
/// see, newest first. Short by construction: one open offer per claim
/// (`MAX_OPEN_CLAIMS` open claims) and `MAX_OPEN_OFFERS_RECEIVED` received.
pub async fn mine(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<Offered>> {
    let cap = MAX_OPEN_CLAIMS as u64 + MAX_OPEN_OFFERS_RECEIVED;
    let offers = claim_offer::Entity::find()
        .filter(claim_offer::Column::State.eq(OfferState::Open.as_str()))
        .filter(
            Condition::any()
                .add(claim_offer::Column::OfferedBy.eq(viewer.user_id))
                .add(claim_offer::Column::OfferedTo.eq(viewer.user_id)),
        )
        .order_by_desc(claim_offer::Column::CreatedAt)
        .order_by_desc(claim_offer::Column::Id)
        .limit(cap)
        .all(db)
        .await?;
    with_hearings(db, viewer, offers).await
}

/// Open offers to anyone, on hearings the viewer's country sees, made by
/// others: what the viewer may take (when they may claim), newest first, at
/// most `MAX_OFFERS_SHOWN`.
pub async fn open_to_take(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<Offered>> {
    use sea_orm::sea_query::Query;
    let Some(country) = super::cases::reader_country(viewer) else {
        return Ok(Vec::new());
    };
    if !claims(viewer) {
        return Ok(Vec::new());
    }
    let seen_hearings = Query::select()
        .column(hearing_access::Column::HearingId)
        .from(hearing_access::Entity)
        .and_where(hearing_access::Column::Country.eq(country.as_str()))
        .to_owned();
    let offers = claim_offer::Entity::find()
        .filter(claim_offer::Column::State.eq(OfferState::Open.as_str()))
        .filter(claim_offer::Column::OfferedTo.is_null())
        .filter(claim_offer::Column::OfferedBy.ne(viewer.user_id))
        .filter(claim_offer::Column::HearingId.in_subquery(seen_hearings))
        .order_by_desc(claim_offer::Column::CreatedAt)
        .order_by_desc(claim_offer::Column::Id)
        .limit(MAX_OFFERS_SHOWN)
        .all(db)
        .await?;
    with_hearings(db, viewer, offers).await
}

/// `offers` with their hearings as the viewer sees them (dropping any the
/// viewer does not see).
async fn with_hearings(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    offers: Vec<claim_offer::Model>,
) -> AppResult<Vec<Offered>> {
    let mut ids: Vec<Uuid> = offers.iter().map(|o| o.hearing_id).collect();
    ids.sort();
    ids.dedup();
    let rows = hearing::Entity::find()
        .filter(hearing::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let seen: HashMap<Uuid, Seen<hearing::Model>> = hearings::levels(db, viewer, rows)
        .await?
        .into_iter()
        .map(|h| (h.model().id, h))
        .collect();
    Ok(offers
        .into_iter()
        .filter_map(|o| {
            let h = seen.get(&o.hearing_id)?.clone();
            may_see(viewer, h.level(), &o).then(|| (at(o, &h), h))
        })
        .collect())
}

/// The open offer on a claim of a hearing the viewer sees (at most one, by
/// a unique key): for a new offer and for a release, under the hearing lock.
pub async fn open_of_claim(
    db: &impl ConnectionTrait,
    hearing: &Seen<hearing::Model>,
    claim_id: Uuid,
) -> AppResult<Option<claim_offer::Model>> {
    Ok(claim_offer::Entity::find()
        .filter(claim_offer::Column::HearingId.eq(hearing.key().uuid()))
        .filter(claim_offer::Column::ClaimId.eq(claim_id))
        .filter(claim_offer::Column::State.eq(OfferState::Open.as_str()))
        .one(db)
        .await?)
}

/// How many open offers are named to `user` (for the cap on new ones).
pub async fn open_received(db: &impl ConnectionTrait, user: Uuid) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(claim_offer::Entity::find()
        .filter(claim_offer::Column::OfferedTo.eq(user))
        .filter(claim_offer::Column::State.eq(OfferState::Open.as_str()))
        .count(db)
        .await?)
}

/// Whether the viewer may know who a party of the offer is: the offerer and
/// the named colleague are of the offer's country.
pub fn may_name_parties(viewer: &Viewer, offer: &Seen<claim_offer::Model>) -> bool {
    hearings::may_see_observer(viewer, offer.level(), &offer.model().offered_by_country)
}

/// Of open offers named to a colleague (with the colleague's country), those
/// whose colleague may no longer take them: their country no longer sees
/// the hearing, or consent to trial observation is gone. No viewer: the
/// reconciliation runs as the system, under the hearings' locks.
pub async fn internal_named_without_sight(
    db: &impl ConnectionTrait,
    hearings: &[hearing::Model],
    offers: &[(claim_offer::Model, Option<String>)],
) -> AppResult<Vec<Uuid>> {
    if offers.is_empty() {
        return Ok(Vec::new());
    }
    let case_of: HashMap<Uuid, Uuid> = hearings.iter().map(|h| (h.id, h.case_id)).collect();
    let case_ids: Vec<Uuid> = case_of.values().copied().collect();
    let open: HashMap<Uuid, bool> = case::Entity::find()
        .filter(case::Column::Id.is_in(case_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.consent_trial))
        .collect();
    let sight: Vec<(Uuid, String)> = case_access::Entity::find()
        .select_only()
        .column(case_access::Column::CaseId)
        .column(case_access::Column::Country)
        .filter(case_access::Column::CaseId.is_in(case_ids))
        .filter(case_access::Column::Hearings.eq(true))
        .filter(
            case_access::Column::Level
                .is_in([Visibility::Owner.as_str(), Visibility::Detail.as_str()]),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(offers
        .iter()
        .filter(|(offer, country)| {
            let Some(case_id) = case_of.get(&offer.hearing_id) else {
                return false;
            };
            let sees = country
                .as_deref()
                .and_then(|c| CountryCode::parse("country", c).ok())
                .is_some_and(|c| {
                    sight
                        .iter()
                        .any(|(id, sc)| id == case_id && sc == c.as_str())
                });
            !sees || !open.get(case_id).copied().unwrap_or(false)
        })
        .map(|(offer, _)| offer.id)
        .collect())
}
