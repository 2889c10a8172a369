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

/// Inserts a new report's responses, one per recipient country, received.
pub async fn insert_received(
    db: &impl ConnectionTrait,
    report_id: Uuid,
    countries: &[crate::domain::CountryCode],
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::Set;
    let received = crate::domain::report::ResponseState::Received.as_str();
    Entity::insert_many(countries.iter().map(|country| ActiveModel {
        report_id: Set(report_id),
        country: Set(country.to_string()),
        state: Set(received.to_owned()),
        note: Set(None),
        case_id: Set(None),
        updated_at: Set(now),
        updated_by: Set(None),
        renotified_at: Set(None),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// A triage step on one country's response, decided by the caller.
pub struct Step<'a> {
    pub report_id: Uuid,
    pub country: &'a str,
    pub from: &'static str,
    pub to: &'static str,
    pub case_id: Option<Uuid>,
    /// The new note, sealed; `None` keeps the note.
    pub note_sealed: Option<String>,
    pub by: Uuid,
    pub at: DateTimeUtc,
}

/// Writes a triage step if the response is still in `from`; how many rows
/// changed (0: it changed meanwhile).
pub async fn update_state(db: &impl ConnectionTrait, step: Step<'_>) -> Result<u64, DbErr> {
    let mut update = Entity::update_many()
        .col_expr(Column::State, Expr::value(step.to))
        .col_expr(Column::CaseId, Expr::value(step.case_id))
        .col_expr(Column::UpdatedAt, Expr::value(step.at))
        .col_expr(Column::UpdatedBy, Expr::value(Some(step.by)));
    if let Some(sealed) = step.note_sealed {
        update = update.col_expr(Column::Note, Expr::value(sealed));
    }
    let changed = update
        .filter(Column::ReportId.eq(step.report_id))
        .filter(Column::Country.eq(step.country))
        .filter(Column::State.eq(step.from))
        .exec(db)
        .await?;
    Ok(changed.rows_affected)
}

/// Marks a still-received response re-notified, once; how many rows
/// changed (0: acknowledged or re-notified meanwhile).
pub async fn mark_renotified(
    db: &impl ConnectionTrait,
    report_id: Uuid,
    country: &str,
    now: DateTimeUtc,
) -> Result<u64, DbErr> {
    let received = crate::domain::report::ResponseState::Received.as_str();
    let claimed = Entity::update_many()
        .col_expr(Column::RenotifiedAt, Expr::value(Some(now)))
        .filter(Column::ReportId.eq(report_id))
        .filter(Column::Country.eq(country))
        .filter(Column::State.eq(received))
        .filter(Column::RenotifiedAt.is_null())
        .exec(db)
        .await?;
    Ok(claimed.rows_affected)
}

/// Replaces a response's sealed note (key rotation).
pub async fn update_note(
    db: &impl ConnectionTrait,
    report_id: Uuid,
    country: &str,
    sealed: String,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Note, Expr::value(Some(sealed)))
        .filter(Column::ReportId.eq(report_id))
        .filter(Column::Country.eq(country))
        .exec(db)
        .await?;
    Ok(())
}
