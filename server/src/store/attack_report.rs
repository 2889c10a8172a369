use sea_orm::entity::prelude::*;

/// An attack report. `description_sealed` is sealed by `crypto::KeyRing`
/// (bound to the report id); only `service::reports` opens it. Read rows only
/// through `policy::reports`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attack_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub reference: String,
    pub organization_id: Option<Uuid>,
    pub submitted_by: Uuid,
    pub submission_key: Option<String>,
    pub request_hash: Option<String>,
    pub host_country: String,
    pub region: Option<String>,
    pub incident_date: Date,
    pub incident_time: Option<String>,
    pub timezone: Option<String>,
    pub incident_at: Option<DateTimeUtc>,
    pub description_sealed: Option<String>,
    pub description_erased_at: Option<DateTimeUtc>,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// When `user` submitted reports since `since`, oldest first (the rate
/// limit: a user counting their own submissions, no viewer scope needed).
pub async fn internal_submitted_since(
    db: &impl ConnectionTrait,
    user: Uuid,
    since: DateTimeUtc,
) -> Result<Vec<DateTimeUtc>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    Entity::find()
        .select_only()
        .column(Column::SubmittedAt)
        .filter(Column::SubmittedBy.eq(user))
        .filter(Column::SubmittedAt.gt(since))
        .order_by_asc(Column::SubmittedAt)
        .into_tuple::<DateTimeUtc>()
        .all(db)
        .await
}

/// Reports whose description retention must erase: still holding one, and
/// every response `NO_ACTION` since before `cutoff` (the worker; no viewer).
pub async fn internal_expired(
    db: &impl ConnectionTrait,
    cutoff: DateTimeUtc,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};

    use super::attack_report_response as response;
    let open_or_recent = Query::select()
        .expr(Expr::val(1))
        .from(response::Entity)
        .and_where(
            Expr::col((response::Entity, response::Column::ReportId)).equals((Entity, Column::Id)),
        )
        .cond_where(
            sea_orm::Condition::any()
                .add(Expr::col((response::Entity, response::Column::State)).ne("NO_ACTION"))
                .add(Expr::col((response::Entity, response::Column::UpdatedAt)).gte(cutoff)),
        )
        .to_owned();
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::DescriptionSealed.is_not_null())
        .filter(Expr::exists(open_or_recent).not())
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(db)
        .await
}

/// Every sealed description, for key rotation (no viewer).
pub async fn internal_sealed(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, String)>, DbErr> {
    use sea_orm::QuerySelect;
    Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::DescriptionSealed)
        .filter(Column::DescriptionSealed.is_not_null())
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await
}

/// Inserts a report unless the submitter already stored one under its
/// submission key; how many rows went in (0 or 1).
pub async fn insert_once(db: &impl ConnectionTrait, row: Model) -> Result<u64, DbErr> {
    use sea_orm::sea_query::OnConflict;
    Entity::insert(ActiveModel::from(row))
        .on_conflict(
            OnConflict::columns([Column::SubmittedBy, Column::SubmissionKey])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
}

/// Erases a report's description (retention), once; how many rows changed.
pub async fn erase_description(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTimeUtc,
) -> Result<u64, DbErr> {
    let erased = Entity::update_many()
        .col_expr(
            Column::DescriptionSealed,
            Expr::value(Option::<String>::None),
        )
        .col_expr(Column::DescriptionErasedAt, Expr::value(Some(now)))
        .filter(Column::Id.eq(id))
        .filter(Column::DescriptionSealed.is_not_null())
        .exec(db)
        .await?;
    Ok(erased.rows_affected)
}

/// Replaces a report's sealed description (key rotation).
pub async fn update_description(
    db: &impl ConnectionTrait,
    id: Uuid,
    sealed: String,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::DescriptionSealed, Expr::value(Some(sealed)))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
