use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

/// A partner country's request to see a case's identity, the owner's
/// decision and, while approved and unexpired, the identity sealed to the
/// requesting country's key. Read only through `policy::reveals`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_reveals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub owner_country: String,
    pub requesting_country: String,
    pub requested_by: Uuid,
    pub motivation: String,
    /// `PENDING`, `APPROVED`, `DENIED` or `REVOKED` (an approval past its
    /// `expires_at` reads as expired).
    pub state: String,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_motivation: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub revoked_at: Option<DateTimeUtc>,
    pub key_id: Option<Uuid>,
    pub legal_name_sealed: Option<String>,
    pub contact_sealed: Option<String>,
    pub location_sealed: Option<String>,
    pub notes_sealed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Writes a reveal's changed columns (read under its lock).
pub async fn update(
    db: &impl ConnectionTrait,
    before: &Model,
    after: Model,
) -> Result<Model, DbErr> {
    super::update_row(db, before, after).await
}

/// Approved reveals sealed under `key_id`, for re-sealing after a rotation
/// of the requesting country's key: a system path, no viewer.
pub async fn internal_sealed_under(
    db: &impl ConnectionTrait,
    key_id: Uuid,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::KeyId.eq(key_id))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many reveals are sealed under `key_id` (a key is destroyed at zero).
pub async fn internal_count_under(db: &impl ConnectionTrait, key_id: Uuid) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::KeyId.eq(key_id))
        .count(db)
        .await
}

/// Wipes the sealed copies of approvals that have expired, so that an
/// expired reveal is gone from the database, not only refused.
pub async fn internal_wipe_expired(
    db: &impl ConnectionTrait,
    now: DateTimeUtc,
) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::KeyId, Expr::value(Option::<Uuid>::None))
        .col_expr(Column::LegalNameSealed, Expr::value(Option::<String>::None))
        .col_expr(Column::ContactSealed, Expr::value(Option::<String>::None))
        .col_expr(Column::LocationSealed, Expr::value(Option::<String>::None))
        .col_expr(Column::NotesSealed, Expr::value(Option::<String>::None))
        .filter(Column::State.eq("APPROVED"))
        .filter(Column::ExpiresAt.lte(now))
        .filter(Column::KeyId.is_not_null())
        .exec(db)
        .await?
        .rows_affected)
}
