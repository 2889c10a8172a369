//! Offers of roster claims (hand-overs): the entity, the viewer-less reads
//! the jobs round and the reconciliation need (`internal_*`), and the only
//! writes. Who sees an offer is `policy::offers`; what may be done with one
//! is `domain::handover`; these functions only write what was decided.
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr as SqlExpr, Query};
use sea_orm::{ActiveValue::Set, QueryOrder, QuerySelect};

use crate::domain::CountryCode;
use crate::domain::handover::OfferState;

/// A diplomat's offer of their claim: to a named colleague (`offered_to`)
/// or openly (NULL). Changes only while OPEN (the database checks every
/// state's columns; one OPEN offer per claim).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hearing_id: Uuid,
    /// NULL once the claim was released (the offer's history stays).
    pub claim_id: Option<Uuid>,
    pub offered_by: Uuid,
    pub offered_by_country: String,
    pub offered_to: Option<Uuid>,
    pub state: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub taken_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn state(&self) -> Option<OfferState> {
        OfferState::from_stored(&self.state)
    }

    /// The offer as `domain::handover` reads it.
    pub fn rules(&self) -> crate::domain::handover::Offer {
        crate::domain::handover::Offer {
            state: self.state(),
            offered_by: self.offered_by,
            offered_to: self.offered_to,
            expires_at: self.expires_at,
        }
    }
}

/// A decided offer, to be written.
pub struct NewOffer {
    pub hearing_id: Uuid,
    pub claim_id: Uuid,
    pub offered_by: Uuid,
    pub country: CountryCode,
    pub offered_to: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

/// Inserts an OPEN offer (the partial unique index refuses a second one on
/// the same claim).
pub async fn insert(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    new: NewOffer,
) -> Result<Model, DbErr> {
    ActiveModel {
        id: Set(crate::domain::ids::new_id()),
        hearing_id: Set(new.hearing_id),
        claim_id: Set(Some(new.claim_id)),
        offered_by: Set(new.offered_by),
        offered_by_country: Set(new.country.to_string()),
        offered_to: Set(new.offered_to),
        state: Set(OfferState::Open.as_str().to_owned()),
        created_at: Set(now),
        expires_at: Set(new.expires_at),
        decided_at: Set(None),
        taken_by: Set(None),
    }
    .insert(db)
    .await
}

/// Moves an OPEN offer to its final `state` (with the taker when
/// accepted). Only an offer still OPEN changes: returns whether this call
/// decided it, so two deciders can never both win.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    state: OfferState,
    now: DateTime<Utc>,
    taken_by: Option<Uuid>,
) -> Result<bool, DbErr> {
    let done = Entity::update_many()
        .col_expr(Column::State, SqlExpr::value(state.as_str()))
        .col_expr(Column::DecidedAt, SqlExpr::value(now))
        .col_expr(Column::TakenBy, SqlExpr::value(taken_by))
        .filter(Column::Id.eq(id))
        .filter(Column::State.eq(OfferState::Open.as_str()))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Open offers of `claim_ids` (claims suspended or released), for the
/// reconciliation, which cancels them with no viewer.
pub async fn internal_open_of_claims(
    db: &impl ConnectionTrait,
    claim_ids: &[Uuid],
) -> Result<Vec<Model>, DbErr> {
    if claim_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::ClaimId.is_in(claim_ids.iter().copied()))
        .filter(Column::State.eq(OfferState::Open.as_str()))
        .all(db)
        .await
}

/// Open offers named to a colleague on `hearing_ids`, with the colleague's
/// country: for the reconciliation's check that they still see the hearing.
pub async fn internal_open_named_of(
    db: &impl ConnectionTrait,
    hearing_ids: &[Uuid],
) -> Result<Vec<(Model, Option<String>)>, DbErr> {
    if hearing_ids.is_empty() {
        return Ok(Vec::new());
    }
    let offers = Entity::find()
        .filter(Column::HearingId.is_in(hearing_ids.iter().copied()))
        .filter(Column::State.eq(OfferState::Open.as_str()))
        .filter(Column::OfferedTo.is_not_null())
        .all(db)
        .await?;
    let to: Vec<Uuid> = offers.iter().filter_map(|o| o.offered_to).collect();
    let countries = internal_countries_of(db, &to).await?;
    Ok(offers
        .into_iter()
        .map(|o| {
            let country = o.offered_to.and_then(|u| countries.get(&u).cloned());
            (o, country)
        })
        .collect())
}

/// The country of each of `users` that has one (through their mission).
async fn internal_countries_of(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, DbErr> {
    use super::{mission, user};
    if users.is_empty() {
        return Ok(Default::default());
    }
    let missions: Vec<(Uuid, Option<Uuid>)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::MissionId)
        .filter(user::Column::Id.is_in(users.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = missions.iter().filter_map(|m| m.1).collect();
    let country: std::collections::HashMap<Uuid, String> = mission::Entity::find()
        .select_only()
        .column(mission::Column::Id)
        .column(mission::Column::Country)
        .filter(mission::Column::Id.is_in(ids))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(missions
        .into_iter()
        .filter_map(|(u, m)| Some((u, country.get(&m?)?.clone())))
        .collect())
}

/// Open offers whose hearing's claim deadline (or start) has passed, or
/// whose hearing no longer takes claims, oldest first, at most `limit`:
/// for the jobs round, which marks them EXPIRED. The hearing as it is now
/// decides (`expires_at` records the expiry when offered).
pub async fn internal_due_to_expire(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    use super::hearing;
    use sea_orm::sea_query::ExprTrait;
    // Correlated, so the database starts from the open offers (usually
    // none) and looks up each one's hearing by its key: an uncorrelated
    // `IN (SELECT …)` made SQLite scan every hearing on every round.
    let col = |c: hearing::Column| Expr::col((hearing::Entity, c));
    let past = Query::select()
        .expr(Expr::val(1))
        .from(hearing::Entity)
        .and_where(col(hearing::Column::Id).equals((Entity, Column::HearingId)))
        .cond_where(
            sea_orm::Condition::any()
                .add(col(hearing::Column::StartsAt).lte(now))
                .add(col(hearing::Column::ClaimDeadline).lte(now))
                .add(col(hearing::Column::Status).ne("SCHEDULED")),
        )
        .to_owned();
    Entity::find()
        .filter(Column::State.eq(OfferState::Open.as_str()))
        .filter(Expr::exists(past))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// An offer's state now (`None` once gone), for the email worker's check
/// that an offer still asks for an answer.
pub async fn internal_state(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<OfferState>, DbErr> {
    Ok(Entity::find_by_id(id)
        .select_only()
        .column(Column::State)
        .into_tuple::<String>()
        .one(db)
        .await?
        .as_deref()
        .and_then(OfferState::from_stored))
}
