use sea_orm::entity::prelude::*;

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
