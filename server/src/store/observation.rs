use sea_orm::entity::prelude::*;

use crate::domain::observation::Content;

/// What one observer reported of one hearing: one row per (hearing,
/// observer), unique in the database, holding the current content. An
/// amendment rewrites the row in place (same id) with the full corrected
/// content and its reason, and keeps the content it replaces as an
/// `observation_revision` (revision 1 is the original).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "observations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub observer_id: Uuid,
    pub country: String,
    /// The first submission.
    pub submitted_at: DateTimeUtc,
    /// When the current content was written, if it amends an earlier one.
    pub amended_at: Option<DateTimeUtc>,
    pub courtroom_access: String,
    pub access_note: Option<String>,
    pub public_access: String,
    pub press_access: String,
    /// `domain::observation::present_mask`.
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
    /// Why the current content amends the one before (NULL for the original).
    pub amendment_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

super::observation_content!(Model);

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

/// A first observation of `content`.
pub fn first(
    id: Uuid,
    hearing_id: Uuid,
    observer_id: Uuid,
    country: String,
    content: &Content,
    now: DateTimeUtc,
) -> Model {
    let mut row = Model {
        id,
        hearing_id,
        observer_id,
        country,
        submitted_at: now,
        amended_at: None,
        courtroom_access: String::new(),
        access_note: None,
        public_access: String::new(),
        press_access: String::new(),
        present: 0,
        counsel_access: String::new(),
        interpretation: None,
        duration_minutes: None,
        adjourned: false,
        adjournment_reason: None,
        outcome: String::new(),
        defendant_present: None,
        ill_treatment_alleged: None,
        notable_events: None,
        notes: None,
        amendment_reason: None,
    };
    row.set_content(content);
    row
}
