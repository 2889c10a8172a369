use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

/// A session of a trial: an instant plus the court's IANA zone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub court: String,
    pub city: String,
    pub starts_at: DateTimeUtc,
    pub timezone: String,
    pub duration_minutes: i32,
    pub status: String,
    pub observers_needed: i32,
    pub claim_deadline: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Inserts a scheduled hearing.
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Writes a hearing's changed columns (read under the hearing lock).
pub async fn update(
    db: &impl ConnectionTrait,
    before: &Model,
    after: Model,
) -> Result<Model, DbErr> {
    super::update_row(db, before, after).await
}

/// Locks every hearing of `case_ids` (in id order, so that two such locks
/// never deadlock) when their visibility changes, and returns them: the
/// roster reconciliation acts for every country at once, with no viewer.
pub async fn internal_lock_of_cases(
    db: &impl ConnectionTrait,
    case_ids: &[Uuid],
) -> Result<Vec<Model>, DbErr> {
    if case_ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .filter(Column::CaseId.is_in(case_ids.iter().copied()))
        .order_by_asc(Column::Id)
        .lock_exclusive()
        .all(db)
        .await
}

/// Scheduled hearings starting in `(from, to]`, for the reminder sweep (no
/// viewer; each recipient is checked by the policy before anything is queued).
pub async fn internal_starting_between(
    db: &impl ConnectionTrait,
    from: DateTimeUtc,
    to: DateTimeUtc,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Status.eq("SCHEDULED"))
        .filter(Column::StartsAt.gt(from))
        .filter(Column::StartsAt.lte(to))
        .all(db)
        .await
}

crate::store::positional::by_position!(Model {
    id,
    case_id,
    court,
    city,
    starts_at,
    timezone,
    duration_minutes,
    status,
    observers_needed,
    claim_deadline,
    created_by,
    created_at,
    updated_at,
});
