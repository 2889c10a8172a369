use sea_orm::entity::prelude::*;

/// One single sign-on under way: what the callback needs, kept server-side.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_flows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mission_id: Uuid,
    /// SHA-256 of the `state` sent to the provider.
    pub state_hash: String,
    /// SHA-256 of the flow cookie of the browser that started.
    pub browser_hash: String,
    pub nonce: String,
    /// The PKCE verifier, sealed under the server's key.
    pub pkce_verifier_sealed: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Set when the callback takes it: a flow is used once.
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
