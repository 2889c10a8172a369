use sea_orm::entity::prelude::*;

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
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
