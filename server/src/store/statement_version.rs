//! Statement versions: immutable texts, inserted once and never changed.
use sea_orm::entity::prelude::*;

/// One immutable version of a statement's text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statement_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub statement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    pub body: String,
    pub content_hash: String,
    pub author_id: Uuid,
    pub author_country: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Inserts a new version; the primary key `(statement, number)` refuses a
/// second version of the same number (a racing revision).
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}
