use sea_orm::entity::prelude::*;

/// A mission's OpenID Connect provider, registered by its admin (one per
/// mission).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "single_sign_on")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mission_id: Uuid,
    /// The opaque id in the start URL the admin hands out.
    pub public_id: String,
    pub issuer: String,
    pub client_id: String,
    /// Sealed under the server's key for data at rest (`crypto::KeyRing`),
    /// with the mission as context; never returned, never logged.
    pub client_secret_sealed: String,
    /// `EMAIL` or `SUBJECT` (`domain::MatchClaim`).
    pub match_claim: String,
    /// Password sign-in refused for the mission's people.
    pub sso_only: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
