use sea_orm::entity::prelude::*;

/// The access index (derived): `country` sees case `case_id` at `level`, and
/// sees its hearings when `hearings`. Rewritten by `policy::access::rebuild`
/// in the transaction of every change that moves visibility; every scope
/// reads it by the viewer's country (primary key `(country, case_id)`).
/// `status`, `risk_level` and `host_country` are the case's own, copied so
/// that lists and counts narrowed by them are a range of the viewer's rows
/// (index `(country, status, case_id)`); a composite foreign key `ON UPDATE
/// CASCADE` keeps them equal to the case's in the database itself.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_access")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub level: String,
    pub hearings: bool,
    pub status: String,
    pub risk_level: String,
    pub host_country: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::case::Entity",
        from = "Column::CaseId",
        to = "super::case::Column::Id"
    )]
    Case,
}

impl Related<super::case::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Case.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
