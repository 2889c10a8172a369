use sea_orm::entity::prelude::*;

/// A forgot-password (or forced) reset link. The token itself is never
/// stored: `token_hash` is its SHA-256, minted when the email is sent.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_resets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub token_hash: Option<String>,
    pub forced: bool,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub voided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Neither used, voided nor expired at `now`.
    pub fn is_open(&self, now: DateTimeUtc) -> bool {
        self.used_at.is_none() && self.voided_at.is_none() && self.expires_at > now
    }
}
