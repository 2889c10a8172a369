use sea_orm::entity::prelude::*;

/// A diplomat's commitment to attend a hearing. `queue_seq` orders claims
/// within a hearing; a waitlisted claim's position is its rank among the
/// waitlisted, so positions never have gaps.
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
