use sea_orm::QueryOrder;
use sea_orm::entity::prelude::*;

/// A country's HPKE key pair (the public half; the private half exists
/// only wrapped, in `country_key_wraps`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub country: String,
    pub public_key: String,
    /// `ACTIVE`, `UNCLAIMED` (made by the key-ring migration, awaiting the
    /// country's first admin) or `RETIRED` (rotated away; destroyed once
    /// nothing is sealed under it).
    pub state: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The key a country's new identities are sealed to: its `ACTIVE` or
/// `UNCLAIMED` key, if it has one.
pub async fn current(db: &impl ConnectionTrait, country: &str) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::Country.eq(country))
        .filter(Column::State.ne("RETIRED"))
        .one(db)
        .await
}

/// Every key of a country still in existence, newest first.
pub async fn of_country(db: &impl ConnectionTrait, country: &str) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Country.eq(country))
        .order_by_desc(Column::CreatedAt)
        .all(db)
        .await
}

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Retires a key: it opens what is sealed under it until re-sealed, and
/// seals nothing new.
pub async fn retire(db: &impl ConnectionTrait, id: Uuid, now: DateTimeUtc) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::State, Expr::value("RETIRED"))
        .col_expr(Column::RetiredAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Destroys a key and every wrap of it: what was sealed under it can
/// never be opened again.
pub async fn destroy(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    super::country_key_wrap::Entity::delete_many()
        .filter(super::country_key_wrap::Column::KeyId.eq(id))
        .exec(db)
        .await?;
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
