use sea_orm::entity::prelude::*;

/// A user's HPKE key pair: the private half wrapped under a key derived
/// from their password (`kdf` holds the Argon2id parameters and salt).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub public_key: String,
    pub private_wrapped: String,
    pub kdf: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(user_id).one(db).await
}

pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Replaces a user's key pair (a password change re-wraps the same key;
/// an admin's reset writes a new one).
pub async fn replace(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    Entity::delete_by_id(row.user_id).exec(db).await?;
    super::insert_row(db, row).await
}

/// Deletes a user's member key (a password reset: the key was wrapped under
/// the old password and cannot be opened any more). Returns rows deleted.
pub async fn delete_of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    Ok(Entity::delete_by_id(user_id).exec(db).await?.rows_affected)
}
