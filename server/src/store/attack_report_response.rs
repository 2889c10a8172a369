use sea_orm::entity::prelude::*;

/// One recipient country's triage of a report: its state, the note the
/// submitting organization reads, and (when `LINKED`) the case.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attack_report_responses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    pub state: String,
    /// Sealed by `crypto::KeyRing` (bound to report and country); opened by
    /// `service::reports::response_note`.
    pub note: Option<String>,
    pub case_id: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub renotified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Responses still `RECEIVED`, never re-notified, on reports submitted
/// before `cutoff`: `(report, country)` (the worker; no viewer).
pub async fn internal_unacknowledged(
    db: &impl ConnectionTrait,
    cutoff: DateTimeUtc,
    limit: u64,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Query;

    use super::attack_report as report;
    Entity::find()
        .select_only()
        .column(Column::ReportId)
        .column(Column::Country)
        .filter(Column::State.eq("RECEIVED"))
        .filter(Column::RenotifiedAt.is_null())
        .filter(
            Column::ReportId.in_subquery(
                Query::select()
                    .column(report::Column::Id)
                    .from(report::Entity)
                    .and_where(report::Column::SubmittedAt.lte(cutoff))
                    .to_owned(),
            ),
        )
        .limit(limit)
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await
}

/// Every sealed note, for key rotation (no viewer): (report, country, note).
pub async fn internal_sealed_notes(
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    use sea_orm::QuerySelect;
    Entity::find()
        .select_only()
        .column(Column::ReportId)
        .column(Column::Country)
        .column(Column::Note)
        .filter(Column::Note.is_not_null())
        .into_tuple()
        .all(db)
        .await
}
