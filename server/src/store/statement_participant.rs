use sea_orm::entity::prelude::*;

/// A country's part in a statement and its signature. Also the statement
/// access index: a country sees exactly the statements it has a row for
/// (primary key `(country, statement_id)`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statement_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub statement_id: Uuid,
    pub role: String,
    pub signature: String,
    pub signature_version: Option<i32>,
    pub decline_reason: Option<String>,
    pub signed_by: Option<Uuid>,
    pub signed_at: Option<DateTimeUtc>,
    pub invited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::statement::Entity",
        from = "Column::StatementId",
        to = "super::statement::Column::Id"
    )]
    Statement,
}

impl Related<super::statement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Statement.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
