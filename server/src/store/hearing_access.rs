use sea_orm::entity::prelude::*;

/// The calendar index (derived): `country` sees hearing `hearing_id`, which
/// starts at `starts_at`, at `level`. Written with `case_access` by
/// `policy::access`; primary key `(country, starts_at, hearing_id)`, so a
/// country's calendar page is one index range. `status` is the hearing's,
/// kept equal to it by a composite foreign key `ON UPDATE CASCADE`, so the
/// calendar narrowed by status is counted on the index alone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearing_access")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub starts_at: DateTimeUtc,
    #[sea_orm(primary_key, auto_increment = false)]
    pub hearing_id: Uuid,
    pub level: String,
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
