//! Fairness assessments: one per case, owned by the case's country. Read
//! only through `policy::assessments` (a guarded table).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fairness_assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub owner_country: String,
    /// The latest version's number (1..=`MAX_VERSIONS`).
    pub current_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The first version's assessment; the unique key on `case_id` refuses a
/// second assessment of the same trial (two first saves racing).
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Moves the current version from `from` to `to`, only if it still is
/// `from`: whether it moved (a racing save makes it not).
pub async fn advance(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: i32,
    to: i32,
    now: DateTimeUtc,
) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    let done = Entity::update_many()
        .col_expr(Column::CurrentVersion, Expr::val(to))
        .col_expr(Column::UpdatedAt, Expr::val(now))
        .filter(Column::Id.eq(id))
        .filter(Column::CurrentVersion.eq(from))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
