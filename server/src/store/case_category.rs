use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_categories")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Makes `categories` the case's categories.
pub async fn replace(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    categories: &[crate::domain::case::CaseCategory],
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    Entity::delete_many()
        .filter(Column::CaseId.eq(case_id))
        .exec(db)
        .await?;
    Entity::insert_many(categories.iter().map(|c| ActiveModel {
        case_id: Set(case_id),
        category: Set(c.as_str().to_owned()),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
