//! The partner countries an owner shared a fairness assessment with.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fairness_assessment_shares")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    pub shared_by: Uuid,
    pub shared_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Shares with one more country; whether it was new (sharing twice is no change).
pub async fn insert_if_new(db: &impl ConnectionTrait, row: Model) -> Result<bool, DbErr> {
    use sea_orm::sea_query::OnConflict;
    let done = Entity::insert(ActiveModel::from(row))
        .on_conflict(
            OnConflict::columns([Column::AssessmentId, Column::Country])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(done > 0)
}

/// Stops sharing with `country`; whether there was a share to end.
pub async fn delete(
    db: &impl ConnectionTrait,
    assessment_id: Uuid,
    country: &str,
) -> Result<bool, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::AssessmentId.eq(assessment_id))
        .filter(Column::Country.eq(country))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
