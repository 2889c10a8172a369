//! Roster claims: the entity, the viewer-less reads (`internal_*`) and the
//! only writes (insert, take up, move, suspend, delete). Who may claim, and
//! where a claim goes, is decided before (`policy::hearings`,
//! `domain::roster`); these functions only write what was decided, under the
//! hearing lock the caller holds.
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqlExpr;
use sea_orm::{ActiveValue::Set, Condition, QueryOrder, QuerySelect};

use crate::domain::CountryCode;
use crate::domain::hearing::{ClaimStatus, SuspendReason};

/// A diplomat's commitment to attend a hearing. `queue_seq` orders claims
/// within a hearing; a waitlisted claim's position is its rank among the
/// waitlisted, so positions never have gaps. A claim whose country lost
/// sight of the hearing is SUSPENDED with a reason: it holds no place and is
/// kept (the database requires the reason exactly when suspended).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roster_claims")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub user_id: Uuid,
    pub country: String,
    pub status: String,
    pub queue_seq: i64,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub suspended_reason: Option<String>,
    pub suspended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The stored status (`None` for an unknown one, which no rule counts).
    pub fn state(&self) -> Option<ClaimStatus> {
        ClaimStatus::from_stored(&self.status)
    }

    pub fn is(&self, status: ClaimStatus) -> bool {
        self.status == status.as_str()
    }
}

/// The confirmed claims among `claims`: the one in-memory count
/// (`domain::roster::confirmed`); `confirmed_count_sql` is its SQL twin.
pub fn confirmed_count(claims: &[Model]) -> usize {
    crate::domain::roster::confirmed(claims.iter().map(Model::state))
}

/// The SQL condition "this claim is confirmed", for counts in a query.
pub fn is_confirmed_sql() -> SqlExpr {
    use sea_orm::sea_query::ExprTrait;
    SqlExpr::col(Column::Status).eq(ClaimStatus::Confirmed.as_str())
}

/// A claim as the roster shows it: the row and, when waitlisted, its
/// 1-based position.
pub struct ClaimView {
    pub claim: Model,
    pub position: Option<i32>,
}

/// `claims` (active, in queue order) with their waitlist positions.
pub fn with_positions(claims: Vec<Model>) -> Vec<ClaimView> {
    let positions: Vec<Option<i32>> =
        crate::domain::roster::positions(claims.iter().map(Model::state)).collect();
    claims
        .into_iter()
        .zip(positions)
        .map(|(claim, position)| ClaimView { claim, position })
        .collect()
}

/// A decided claim, to be written.
pub struct NewClaim {
    pub user_id: Uuid,
    pub country: CountryCode,
    pub status: ClaimStatus,
    pub seq: i64,
}

impl NewClaim {
    fn confirmed_at(&self, now: DateTimeUtc) -> Option<DateTimeUtc> {
        (self.status == ClaimStatus::Confirmed).then_some(now)
    }
}

/// Inserts new claims on a hearing in one statement; returns the rows.
pub async fn insert_all(
    db: &impl ConnectionTrait,
    hearing_id: Uuid,
    now: DateTimeUtc,
    claims: &[&NewClaim],
) -> Result<Vec<Model>, DbErr> {
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    Entity::insert_many(claims.iter().map(|c| ActiveModel {
        id: Set(crate::domain::ids::new_id()),
        hearing_id: Set(hearing_id),
        user_id: Set(c.user_id),
        country: Set(c.country.to_string()),
        status: Set(c.status.as_str().to_owned()),
        queue_seq: Set(c.seq),
        created_at: Set(now),
        confirmed_at: Set(c.confirmed_at(now)),
        suspended_reason: Set(None),
        suspended_at: Set(None),
    }))
    .exec_with_returning(db)
    .await
}

/// Takes up again the claimant's suspended claim (sight came back) as the
/// decided new claim: same row, new place at the end of the queue.
pub async fn take_up(
    db: &impl ConnectionTrait,
    hearing_id: Uuid,
    now: DateTimeUtc,
    claim: &NewClaim,
) -> Result<Option<Model>, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::Country, SqlExpr::value(claim.country.to_string()))
        .col_expr(Column::Status, SqlExpr::value(claim.status.as_str()))
        .col_expr(Column::QueueSeq, SqlExpr::value(claim.seq))
        .col_expr(Column::CreatedAt, SqlExpr::value(now))
        .col_expr(Column::ConfirmedAt, SqlExpr::value(claim.confirmed_at(now)))
        .col_expr(
            Column::SuspendedReason,
            SqlExpr::value(Option::<String>::None),
        )
        .col_expr(
            Column::SuspendedAt,
            SqlExpr::value(Option::<DateTimeUtc>::None),
        )
        .filter(Column::HearingId.eq(hearing_id))
        .filter(Column::UserId.eq(claim.user_id))
        .exec_with_returning(db)
        .await?
        .pop())
}

/// Moves a claim to a confirmed place or back to the waitlist.
pub async fn update_place(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: ClaimStatus,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    let confirmed_at = (status == ClaimStatus::Confirmed).then_some(now);
    Entity::update_many()
        .col_expr(Column::Status, SqlExpr::value(status.as_str()))
        .col_expr(Column::ConfirmedAt, SqlExpr::value(confirmed_at))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Suspends a claim whose country lost sight of its hearing: kept, with
/// the reason, holding no place.
pub async fn update_suspended(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: SuspendReason,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::Status,
            SqlExpr::value(ClaimStatus::Suspended.as_str()),
        )
        .col_expr(Column::SuspendedReason, SqlExpr::value(reason.as_str()))
        .col_expr(Column::SuspendedAt, SqlExpr::value(now))
        .col_expr(
            Column::ConfirmedAt,
            SqlExpr::value(Option::<DateTimeUtc>::None),
        )
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Hands a claim over to `user_id` of `country` (an accepted offer): the
/// same row, so its status, queue number and confirmation stay. Only an
/// active claim moves; returns whether it did.
pub async fn hand_over(
    db: &impl ConnectionTrait,
    id: Uuid,
    user_id: Uuid,
    country: CountryCode,
) -> Result<bool, DbErr> {
    let done = Entity::update_many()
        .col_expr(Column::UserId, SqlExpr::value(user_id))
        .col_expr(Column::Country, SqlExpr::value(country.to_string()))
        .filter(Column::Id.eq(id))
        .filter(active())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Deletes a released claim.
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Claims that hold a place or wait for one (not suspended).
pub fn active() -> Condition {
    Condition::all().add(Column::Status.is_in(["CONFIRMED", "WAITLISTED"]))
}

/// The confirmed count of the `hearings` row in the enclosing query, for
/// coverage filters on a hearing scope.
pub fn confirmed_count_sql() -> SqlExpr {
    SqlExpr::cust(
        "(SELECT COUNT(*) FROM roster_claims rc WHERE rc.hearing_id = hearings.id AND rc.status = 'CONFIRMED')",
    )
}

/// Active claims on `hearing_ids`, in queue order: for the roster
/// reconciliation and the reminder sweep, which act with no viewer (each
/// claimant's country is then checked by the policy).
pub async fn internal_active_of(
    db: &impl ConnectionTrait,
    hearing_ids: &[Uuid],
) -> Result<Vec<Model>, DbErr> {
    if hearing_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::HearingId.is_in(hearing_ids.iter().copied()))
        .filter(active())
        .order_by_asc(Column::HearingId)
        .order_by_asc(Column::QueueSeq)
        .all(db)
        .await
}

/// A claim's status now (`None` once released), for the email worker's
/// check that a reminder, promotion or demotion still tells the truth.
pub async fn internal_status(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<crate::domain::hearing::ClaimStatus>, DbErr> {
    Ok(Entity::find_by_id(id)
        .select_only()
        .column(Column::Status)
        .into_tuple::<String>()
        .one(db)
        .await?
        .as_deref()
        .and_then(crate::domain::hearing::ClaimStatus::from_stored))
}

/// Whether `user_id` holds a place or waits for one on the hearing (for the
/// email worker: a schedule notice goes to the roster only).
pub async fn internal_is_on_roster(
    db: &impl ConnectionTrait,
    hearing_id: Uuid,
    user_id: Uuid,
) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::HearingId.eq(hearing_id))
        .filter(Column::UserId.eq(user_id))
        .filter(active())
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}
