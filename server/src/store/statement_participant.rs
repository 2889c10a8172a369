//! Statement participants: the entity (also the statement access index) and
//! the only writes (invite, change role, remove, sign, stale approvals). Who
//! may do what is decided before (`policy::statements`); these functions
//! write it under the statement lock the caller holds.
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;

use crate::domain::CountryCode;
use crate::domain::statement::{ParticipantRole, SignatureStatus};

/// A country's part in a statement and its signature. Also the statement
/// access index: a country sees exactly the statements it has a row for
/// (primary key `(country, statement_id)`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "statement_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub country: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub statement_id: Uuid,
    pub role: String,
    pub signature: String,
    pub signature_version: Option<i32>,
    pub decline_reason: Option<String>,
    pub signed_by: Option<Uuid>,
    pub signed_at: Option<DateTimeUtc>,
    pub invited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::statement::Entity",
        from = "Column::StatementId",
        to = "super::statement::Column::Id"
    )]
    Statement,
}

impl Related<super::statement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Statement.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// A newly invited country's row: no answer yet.
pub fn pending(
    statement_id: Uuid,
    country: CountryCode,
    role: ParticipantRole,
    now: DateTimeUtc,
) -> Model {
    Model {
        country: country.to_string(),
        statement_id,
        role: role.as_str().to_owned(),
        signature: SignatureStatus::Pending.as_str().to_owned(),
        signature_version: None,
        decline_reason: None,
        signed_by: None,
        signed_at: None,
        invited_at: now,
    }
}

/// Inserts one participant.
pub async fn insert(db: &impl ConnectionTrait, row: Model) -> Result<Model, DbErr> {
    super::insert_row(db, row).await
}

/// Inserts a new statement's participants in one statement.
pub async fn insert_all(db: &impl ConnectionTrait, rows: Vec<Model>) -> Result<(), DbErr> {
    Entity::insert_many(rows.into_iter().map(ActiveModel::from))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Gives a participating country another role.
pub async fn update_role(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
    country: CountryCode,
    role: ParticipantRole,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Role, Expr::value(Some(role.as_str())))
        .filter(Column::StatementId.eq(statement_id))
        .filter(Column::Country.eq(country.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes countries from a statement; how many rows went.
pub async fn delete_countries(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
    countries: &[CountryCode],
) -> Result<u64, DbErr> {
    let removed = Entity::delete_many()
        .filter(Column::StatementId.eq(statement_id))
        .filter(Column::Country.is_in(countries.iter().map(|c| c.to_string())))
        .exec(db)
        .await?;
    Ok(removed.rows_affected)
}

/// Makes every approval of a statement stale (its text changed).
pub async fn mark_approvals_stale(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::Signature,
            Expr::value(SignatureStatus::Stale.as_str()),
        )
        .filter(Column::StatementId.eq(statement_id))
        .filter(Column::Signature.eq(SignatureStatus::Approved.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// A country's decided answer to a statement's text.
pub struct Signature {
    pub status: SignatureStatus,
    pub version: Option<i32>,
    pub decline_reason: Option<String>,
    pub signed_by: Uuid,
    pub signed_at: DateTimeUtc,
}

/// Records a country's answer.
pub async fn update_signature(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
    country: CountryCode,
    answer: Signature,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Signature, Expr::value(answer.status.as_str()))
        .col_expr(Column::SignatureVersion, Expr::value(answer.version))
        .col_expr(Column::DeclineReason, Expr::value(answer.decline_reason))
        .col_expr(Column::SignedBy, Expr::value(Some(answer.signed_by)))
        .col_expr(Column::SignedAt, Expr::value(Some(answer.signed_at)))
        .filter(Column::StatementId.eq(statement_id))
        .filter(Column::Country.eq(country.as_str()))
        .exec(db)
        .await?;
    Ok(())
}
