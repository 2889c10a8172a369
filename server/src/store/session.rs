use sea_orm::entity::prelude::*;

/// A login and every refresh token rotated from it (one refresh-token family).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// `API` (a GraphQL login) or `WEB` (a page's sign-in).
    pub kind: String,
    /// SHA-256 of a web session's cookie; `None` for an API session.
    pub web_token_hash: Option<String>,
    /// The browser that opened a web session ("Firefox on Windows").
    pub client_label: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
