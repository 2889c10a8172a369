use sea_orm::entity::prelude::*;

/// A country's private key wrapped for one holder: a member (to their
/// public key), the recovery key or a one-time claim code.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country_key_wraps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub key_id: Uuid,
    /// `MEMBER`, `RECOVERY` or `CLAIM`.
    pub holder: String,
    pub user_id: Option<Uuid>,
    pub wrapped: String,
    pub granted_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The wrap of `key_id` held by `user_id`, if they hold one.
pub async fn of_member(
    db: &impl ConnectionTrait,
    key_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::KeyId.eq(key_id))
        .filter(Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// The recovery or claim wrap of a key.
pub async fn of_holder(
    db: &impl ConnectionTrait,
    key_id: Uuid,
    holder: &str,
) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::KeyId.eq(key_id))
        .filter(Column::Holder.eq(holder))
        .one(db)
        .await
}

/// Every member wrap of a key (its custodians).
pub async fn members_of(db: &impl ConnectionTrait, key_id: Uuid) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::KeyId.eq(key_id))
        .filter(Column::Holder.eq("MEMBER"))
        .all(db)
        .await
}

pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Deletes a member's copies of the given keys; how many there were.
pub async fn delete_member(
    db: &impl ConnectionTrait,
    key_ids: &[Uuid],
    user_id: Uuid,
) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::KeyId.is_in(key_ids.iter().copied()))
        .filter(Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes every copy a user holds, of any country's key (deactivation,
/// an admin's password reset).
pub async fn delete_all_of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes a key's claim wrap once claimed.
pub async fn delete_holder(
    db: &impl ConnectionTrait,
    key_id: Uuid,
    holder: &str,
) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::KeyId.eq(key_id))
        .filter(Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}
