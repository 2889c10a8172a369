use sea_orm::entity::prelude::*;

/// The step between a right password and an opened session: a person who
/// must prove a second factor (or enrol one) holds its token for five
/// minutes; the database keeps its SHA-256 only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_challenges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub token_hash: String,
    pub user_id: Uuid,
    /// `API` or `WEB`: the session the second step opens.
    pub kind: String,
    /// The browser that asked (a web sign-in), as `auth::browser_label`.
    pub client_label: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Wrong second steps made with this challenge.
    pub failures: i32,
    pub used_at: Option<DateTimeUtc>,
    /// The member key sealed under the challenge token (as a web session's
    /// under its cookie); `None` when the person has none.
    pub member_sealed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
