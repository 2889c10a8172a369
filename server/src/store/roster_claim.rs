use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqlExpr;
use sea_orm::{Condition, QueryOrder, QuerySelect};

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
