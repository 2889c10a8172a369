use sea_orm::entity::prelude::*;

/// An earlier content of an observation, kept when its observer amended it
/// (`revision` 1 is the first submission). At most
/// `service::hearings::MAX_AMENDMENTS` per observation: the database holds
/// the cap too (CHECK on `revision`, unique with the observation).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "observation_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub observation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    pub attended: bool,
    pub outcome: String,
    pub public_access: Option<bool>,
    pub defendant_present: Option<bool>,
    pub access_to_counsel: Option<bool>,
    pub interpretation: Option<bool>,
    pub ill_treatment_alleged: Option<bool>,
    pub notes: Option<String>,
    /// When this content was written.
    pub submitted_at: DateTimeUtc,
    /// When the next content replaced it.
    pub amended_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Keeps `current`'s content, written at `written_at`, as its `revision`,
/// replaced at `amended_at`.
pub async fn insert_replaced(
    db: &impl ConnectionTrait,
    current: &super::observation::Model,
    revision: i32,
    written_at: DateTimeUtc,
    amended_at: DateTimeUtc,
) -> Result<Model, DbErr> {
    let row = Model {
        observation_id: current.id,
        revision,
        attended: current.attended,
        outcome: current.outcome.clone(),
        public_access: current.public_access,
        defendant_present: current.defendant_present,
        access_to_counsel: current.access_to_counsel,
        interpretation: current.interpretation,
        ill_treatment_alleged: current.ill_treatment_alleged,
        notes: current.notes.clone(),
        submitted_at: written_at,
        amended_at,
    };
    super::insert_row(db, row).await
}
