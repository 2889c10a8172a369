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

/// Whether a claim is still confirmed, for the outbox worker's check that a
/// reminder still tells the truth.
pub async fn internal_is_confirmed(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(Entity::find_by_id(id)
        .select_only()
        .column(Column::Status)
        .into_tuple::<String>()
        .one(db)
        .await?
        .is_some_and(|s| s == "CONFIRMED"))
}
