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
    /// The member's private key sealed under the client's unlock secret;
    /// `None` when the user has no key or signed in before it existed.
    pub unlock_sealed: Option<String>,
    /// How the person proved who they are: a `SignInMethod`'s stored name.
    pub method: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The member key a session keeps sealed (under a secret only its client
/// holds): `None` when it keeps none.
pub async fn unlock_of(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Option<String>, DbErr> {
    Ok(Entity::find_by_id(session_id)
        .one(db)
        .await?
        .and_then(|s| s.unlock_sealed))
}
