//! The cases a statement is about: written once, with the statement.
use sea_orm::entity::prelude::*;

/// A case a statement is about.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statement_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub statement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Links a new statement to its cases (none: no statement).
pub async fn insert_all(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
    case_ids: &[Uuid],
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    if case_ids.is_empty() {
        return Ok(());
    }
    Entity::insert_many(case_ids.iter().map(|c| ActiveModel {
        statement_id: Set(statement_id),
        case_id: Set(*c),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
