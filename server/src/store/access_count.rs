use sea_orm::entity::prelude::*;

/// How many rows an access index holds for one reader (derived, like the
/// index): an unfiltered `totalCount` reads this one row instead of counting
/// the reader's rows. Adjusted by `policy::counts` in the transaction of
/// every change to the index.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub index_name: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub reader: String,
    pub visible: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
