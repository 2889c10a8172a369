//! Versions of a fairness assessment: immutable, inserted once.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fairness_assessment_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub number: i32,
    /// `A`, `B`, `C`, `D` or `F` (`domain::assessment::FairnessGrade`).
    pub grade: String,
    /// The standards applied, comma-separated stored names.
    pub standards: String,
    pub reasoning: String,
    /// The cited observations' ids, comma-separated (possibly empty).
    pub observation_ids: String,
    pub author_id: Uuid,
    pub author_country: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Inserts a version; the primary key refuses a second one of the same number.
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}
