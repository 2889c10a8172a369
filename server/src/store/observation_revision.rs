use sea_orm::entity::prelude::*;

/// An earlier content of an observation, kept when its observer amended it
/// (`revision` 1 is the first submission, and the only one without an
/// `amendment_reason`). At most `domain::hearing::MAX_AMENDMENTS` per
/// observation: the database holds the cap too (CHECK on `revision`,
/// unique with the observation).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "observation_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub observation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    /// When this content was written.
    pub submitted_at: DateTimeUtc,
    /// When the next content replaced it.
    pub amended_at: DateTimeUtc,
    pub courtroom_access: String,
    pub access_note: Option<String>,
    pub public_access: String,
    pub press_access: String,
    pub present: i32,
    pub counsel_access: String,
    pub interpretation: Option<String>,
    pub duration_minutes: Option<i32>,
    pub adjourned: bool,
    pub adjournment_reason: Option<String>,
    pub outcome: String,
    pub defendant_present: Option<bool>,
    pub ill_treatment_alleged: Option<bool>,
    pub notable_events: Option<String>,
    pub notes: Option<String>,
    /// Why this content amended the one before (NULL for revision 1).
    pub amendment_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

super::observation_content!(Model);

/// Keeps `current`'s content, written at `written_at`, as its `revision`,
/// replaced at `amended_at`.
pub async fn insert_replaced(
    db: &impl ConnectionTrait,
    current: &super::observation::Model,
    revision: i32,
    written_at: DateTimeUtc,
    amended_at: DateTimeUtc,
) -> Result<Model, DbErr> {
    let c = current.clone();
    let row = Model {
        observation_id: c.id,
        revision,
        submitted_at: written_at,
        amended_at,
        courtroom_access: c.courtroom_access,
        access_note: c.access_note,
        public_access: c.public_access,
        press_access: c.press_access,
        present: c.present,
        counsel_access: c.counsel_access,
        interpretation: c.interpretation,
        duration_minutes: c.duration_minutes,
        adjourned: c.adjourned,
        adjournment_reason: c.adjournment_reason,
        outcome: c.outcome,
        defendant_present: c.defendant_present,
        ill_treatment_alleged: c.ill_treatment_alleged,
        notable_events: c.notable_events,
        notes: c.notes,
        amendment_reason: c.amendment_reason,
    };
    super::insert_row(db, row).await
}
