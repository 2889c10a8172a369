//! Assessor grants: a user a country's admin appointed to write fairness
//! assessments of that country's cases. Dismissal deletes the grant.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// The country whose cases the assessor may assess (the user's own).
    pub country: String,
    pub appointed_by: Uuid,
    pub appointed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Appoints; the primary key refuses a second grant for the same user.
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Dismisses; whether there was a grant to end.
pub async fn delete(db: &impl ConnectionTrait, user_id: Uuid) -> Result<bool, DbErr> {
    Ok(Entity::delete_by_id(user_id).exec(db).await?.rows_affected > 0)
}

/// Whether `user_id` is now an assessor of `country`.
pub async fn is_assessor_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    country: &str,
) -> Result<bool, DbErr> {
    Ok(Entity::find_by_id(user_id)
        .filter(Column::Country.eq(country))
        .one(db)
        .await?
        .is_some())
}

/// Which of `users` are assessors of `country` now (for a page of users),
/// in one statement.
pub async fn assessors_among(
    db: &impl ConnectionTrait,
    users: &[Uuid],
    country: &str,
) -> Result<Vec<Uuid>, DbErr> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::UserId.is_in(users.iter().copied()))
        .filter(Column::Country.eq(country))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.user_id)
        .collect())
}
