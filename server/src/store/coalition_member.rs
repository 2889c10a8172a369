use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coalition_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub coalition_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
