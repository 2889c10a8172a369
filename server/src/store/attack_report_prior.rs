use sea_orm::entity::prelude::*;

/// A report naming an earlier report on the same defender.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attack_report_priors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub prior_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Inserts a new report's links to the submitter's earlier reports.
pub async fn insert_all(
    db: &impl ConnectionTrait,
    report_id: Uuid,
    priors: &[Uuid],
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    if priors.is_empty() {
        return Ok(());
    }
    Entity::insert_many(priors.iter().map(|p| ActiveModel {
        report_id: Set(report_id),
        prior_id: Set(*p),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
