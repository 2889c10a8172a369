use sea_orm::entity::prelude::*;

/// The report access index: `reader` (a recipient country's code, or the
/// submitting organization's id) may read report `report_id`. Written with
/// the report, in its transaction; every report scope reads it by the
/// viewer's reader key, in (`submitted_at`, `report_id`) order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_access")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reader: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: Uuid,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::attack_report::Entity",
        from = "Column::ReportId",
        to = "super::attack_report::Column::Id"
    )]
    Report,
}

impl Related<super::attack_report::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Report.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
