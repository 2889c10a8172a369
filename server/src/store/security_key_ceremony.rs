use sea_orm::entity::prelude::*;

/// A WebAuthn ceremony in progress, held server-side and used once:
/// `REGISTER` bound to the web session that began it, `SIGN_IN` bound to
/// the second step's challenge (the SHA-256 of its token).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_key_ceremonies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `REGISTER` or `SIGN_IN`.
    pub purpose: String,
    pub bound_to: String,
    /// The name a key being registered will have.
    pub key_name: Option<String>,
    /// webauthn-rs's ceremony state, JSON (it holds the challenge).
    pub state: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
