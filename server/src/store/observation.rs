use sea_orm::entity::prelude::*;

/// What one observer reported of one hearing: one row per (hearing,
/// observer), unique in the database. An amendment rewrites the row in place
/// (same id) and keeps the content it replaces as an `observation_revision`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "observations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub observer_id: Uuid,
    pub country: String,
    pub attended: bool,
    pub outcome: String,
    pub public_access: Option<bool>,
    pub defendant_present: Option<bool>,
    pub access_to_counsel: Option<bool>,
    pub interpretation: Option<bool>,
    pub ill_treatment_alleged: Option<bool>,
    pub notes: Option<String>,
    /// The first submission.
    pub submitted_at: DateTimeUtc,
    /// When the current content was written, if it amends an earlier one.
    pub amended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Inserts an observer's first observation.
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Writes an amended observation's changed columns (under the hearing lock).
pub async fn update(
    db: &impl ConnectionTrait,
    before: &Model,
    after: Model,
) -> Result<Model, DbErr> {
    super::update_row(db, before, after).await
}
