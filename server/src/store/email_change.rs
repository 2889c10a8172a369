use sea_orm::entity::prelude::*;

/// A person's request to move their account to a new email address,
/// confirmed by a link sent to the new one (`token_hash`: the SHA-256 of
/// the link's token, minted when it is sent).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub old_email: String,
    pub new_email: String,
    pub token_hash: Option<String>,
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
