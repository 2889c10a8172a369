use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::Condition;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};

/// A coordinator's coverage digest: the day they chose (no row: the
/// default), and the local date of the last digest queued for them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "digest_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub day: String,
    pub last_queued_on: Option<NaiveDate>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(user_id).one(db).await
}

/// The settings of `users` (those without a row are absent).
pub async fn internal_of_users(
    db: &impl ConnectionTrait,
    users: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::UserId.is_in(users))
        .all(db)
        .await
}

/// Writes a user's choice of day (kept: when the last digest went).
pub async fn set_day(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    day: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::insert(ActiveModel {
        user_id: Set(user_id),
        day: Set(day.to_owned()),
        last_queued_on: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(Column::UserId)
            .update_columns([Column::Day, Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Takes the digest of local date `on` for `user_id`: true for exactly one
/// caller, however many replicas run the round (a conditional update).
pub async fn internal_take(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    default_day: &str,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Entity::insert(ActiveModel {
        user_id: Set(user_id),
        day: Set(default_day.to_owned()),
        last_queued_on: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(OnConflict::column(Column::UserId).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let taken = Entity::update_many()
        .col_expr(Column::LastQueuedOn, Expr::value(Some(on)))
        .filter(Column::UserId.eq(user_id))
        .filter(
            Condition::any()
                .add(Column::LastQueuedOn.is_null())
                .add(Column::LastQueuedOn.lt(on)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}
