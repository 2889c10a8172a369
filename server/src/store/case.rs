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
