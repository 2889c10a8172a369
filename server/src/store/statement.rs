//! Statements: the entity, the worker's viewer-less read and the only writes
//! of a statement row (insert, new version, circulate, finalize, deliver,
//! deadline reminder). Who may do what is decided before (`policy::statements`,
//! `domain::statement`); these functions write what was decided, under the
//! statement lock the caller holds.
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

use crate::domain::statement::{DeliveryChannel, StatementStatus};

/// A joint statement or démarche. Read rows only through `policy::statements`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub host_country: String,
    pub lead_country: String,
    pub status: String,
    pub deadline: Option<DateTimeUtc>,
    pub current_version: i32,
    pub final_version: Option<i32>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finalized_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub delivery_channel: Option<String>,
    pub deadline_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Open statements whose deadline falls before `until` and whose reminder
/// has not gone out (the worker; no viewer).
pub async fn internal_deadline_due(
    db: &impl ConnectionTrait,
    now: DateTimeUtc,
    until: DateTimeUtc,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Status.is_in(["DRAFT", "CIRCULATING"]))
        .filter(Column::Deadline.gt(now))
        .filter(Column::Deadline.lte(until))
        .filter(Column::DeadlineRemindedAt.is_null())
        .all(db)
        .await
}

/// Inserts a new statement.
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Moves the current version from `current` to `next` (a revision).
pub async fn update_current_version(
    db: &impl ConnectionTrait,
    id: Uuid,
    current: i32,
    next: i32,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::CurrentVersion, Expr::value(next))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::CurrentVersion.eq(current))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a statement circulating (countries were invited).
pub async fn update_circulating(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::Status,
            Expr::value(StatementStatus::Circulating.as_str()),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Freezes a statement at `version`.
pub async fn update_final(
    db: &impl ConnectionTrait,
    id: Uuid,
    version: i32,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(StatementStatus::Final.as_str()))
        .col_expr(Column::FinalVersion, Expr::value(Some(version)))
        .col_expr(Column::FinalizedAt, Expr::value(Some(now)))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a final statement's delivery.
pub async fn update_delivered(
    db: &impl ConnectionTrait,
    id: Uuid,
    delivered_at: DateTimeUtc,
    channel: DeliveryChannel,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::Status,
            Expr::value(StatementStatus::Delivered.as_str()),
        )
        .col_expr(Column::DeliveredAt, Expr::value(Some(delivered_at)))
        .col_expr(Column::DeliveryChannel, Expr::value(Some(channel.as_str())))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims a statement's deadline reminder (the worker); whether this call
/// claimed it, so that two workers never both send it.
pub async fn claim_deadline_reminder(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTimeUtc,
) -> Result<bool, DbErr> {
    let claimed = Entity::update_many()
        .col_expr(Column::DeadlineRemindedAt, Expr::value(Some(now)))
        .filter(Column::Id.eq(id))
        .filter(Column::DeadlineRemindedAt.is_null())
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}
