use sea_orm::entity::prelude::*;

/// One perpetrator type of a report.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attack_report_perpetrators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub perpetrator_type: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Inserts a new report's perpetrator types.
pub async fn insert_all(
    db: &impl ConnectionTrait,
    report_id: Uuid,
    values: impl IntoIterator<Item = &'static str>,
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    Entity::insert_many(values.into_iter().map(|v| ActiveModel {
        report_id: Set(report_id),
        perpetrator_type: Set(v.to_owned()),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
