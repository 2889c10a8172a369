use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

/// A case reference. The `*_sealed` columns hold identity fields sealed by
/// `crypto::KeyRing`; never read them outside `service::cases`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub reference: String,
    pub owner_country: String,
    pub owner_mission_id: Uuid,
    pub host_country: String,
    pub pseudonym: String,
    pub region: Option<String>,
    pub risk_level: String,
    pub status: String,
    pub summary: Option<String>,
    pub legal_name_sealed: Option<String>,
    pub contact_sealed: Option<String>,
    pub location_sealed: Option<String>,
    pub notes_sealed: Option<String>,
    /// The country key the identity fields are sealed to; `None`: sealed
    /// under the server's key ring (before `accord seal-identities`).
    pub identity_key_id: Option<Uuid>,
    pub consent_share: bool,
    pub consent_trial: bool,
    pub consent_public: bool,
    pub consent_given_by: Option<String>,
    pub consent_recorded_at: Option<DateTimeUtc>,
    pub consent_recorded_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Locks the rows of `ids` for the rest of the transaction and returns
/// them, in id order (so that two such locks never deadlock): the access
/// index of a case is rewritten by one transaction at a time.
pub async fn internal_lock_all(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(Column::Id)
        .lock_exclusive()
        .all(db)
        .await
}

/// Every case, for key rotation: a system path with no viewer.
pub async fn internal_all(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    Entity::find().all(db).await
}

/// Inserts a new case unless its reference is taken; whether it was
/// inserted. `ON CONFLICT DO NOTHING` keeps the transaction usable on
/// PostgreSQL, and the unique index decides, so two concurrent creations
/// never share a reference.
pub async fn insert_if_reference_free(
    db: &impl ConnectionTrait,
    row: Model,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::OnConflict;
    let inserted = Entity::insert(ActiveModel::from(row))
        .on_conflict(
            OnConflict::column(Column::Reference)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// Writes a case's changed columns (read under the case lock).
pub async fn update(
    db: &impl ConnectionTrait,
    before: &Model,
    after: Model,
) -> Result<Model, DbErr> {
    super::update_row(db, before, after).await
}

/// Cases by id, for a policy that checks each (`policy::reveals::inbox`).
pub async fn internal_by_ids(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find().filter(Column::Id.is_in(ids)).all(db).await
}

/// Cases whose identity is sealed to `key_id`, locked, for re-sealing after
/// a rotation: a system path (the caller holds the country's key).
pub async fn internal_lock_sealed_under(
    db: &impl ConnectionTrait,
    key_id: Uuid,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::IdentityKeyId.eq(key_id))
        .order_by_asc(Column::Id)
        .limit(limit)
        .lock_exclusive()
        .all(db)
        .await
}

/// How many cases are sealed to `key_id` (a key is destroyed at zero).
pub async fn internal_count_sealed_under(
    db: &impl ConnectionTrait,
    key_id: Uuid,
) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::IdentityKeyId.eq(key_id))
        .count(db)
        .await
}

fn ring_sealed() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(Column::IdentityKeyId.is_null())
        .add(
            sea_orm::Condition::any()
                .add(Column::LegalNameSealed.is_not_null())
                .add(Column::ContactSealed.is_not_null())
                .add(Column::LocationSealed.is_not_null())
                .add(Column::NotesSealed.is_not_null()),
        )
}

/// How many cases still hold an identity under the server's key ring.
pub async fn internal_count_ring_sealed(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().filter(ring_sealed()).count(db).await
}

/// Cases with an identity field still sealed under the server's key ring
/// (from before sealed identity), locked, for `accord seal-identities`.
pub async fn internal_lock_ring_sealed(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(ring_sealed())
        .order_by_asc(Column::Id)
        .limit(limit)
        .lock_exclusive()
        .all(db)
        .await
}

crate::store::positional::by_position!(Model {
    id,
    reference,
    owner_country,
    owner_mission_id,
    host_country,
    pseudonym,
    region,
    risk_level,
    status,
    summary,
    legal_name_sealed,
    contact_sealed,
    location_sealed,
    notes_sealed,
    identity_key_id,
    consent_share,
    consent_trial,
    consent_public,
    consent_given_by,
    consent_recorded_at,
    consent_recorded_by,
    created_by,
    created_at,
    updated_at,
});
