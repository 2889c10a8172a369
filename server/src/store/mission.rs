use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "missions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub country: String,
    pub host_country: String,
    pub city: String,
    pub name: String,
    pub timezone: String,
    pub created_at: DateTimeUtc,
    /// Whether every person of the mission must sign in with a second
    /// factor (its admin's choice; `domain::second_factor_needed`).
    pub second_factor_required: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
