use sea_orm::entity::prelude::*;

/// A person's registered security key (a WebAuthn credential).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// The name its owner gave it ("Blue key").
    pub name: String,
    /// The credential id, base64url: one key only, across all people.
    pub credential_id: String,
    /// The credential as webauthn-rs keeps it (public key, counter), JSON.
    pub credential: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
