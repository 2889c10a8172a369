use sea_orm::entity::prelude::*;

/// A joint statement or démarche. Read rows only through `policy::statements`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub host_country: String,
    pub lead_country: String,
    pub status: String,
    pub deadline: Option<DateTimeUtc>,
    pub current_version: i32,
    pub final_version: Option<i32>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finalized_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub delivery_channel: Option<String>,
    pub deadline_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Open statements whose deadline falls before `until` and whose reminder
/// has not gone out (the worker; no viewer).
pub async fn internal_deadline_due(
    db: &impl ConnectionTrait,
    now: DateTimeUtc,
    until: DateTimeUtc,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Status.is_in(["DRAFT", "CIRCULATING"]))
        .filter(Column::Deadline.gt(now))
        .filter(Column::Deadline.lte(until))
        .filter(Column::DeadlineRemindedAt.is_null())
        .all(db)
        .await
}
