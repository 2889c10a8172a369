use sea_orm::entity::prelude::*;

/// A share of a case with one country or one coalition (exactly one is set).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_shares")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub country: Option<String>,
    pub coalition_id: Option<Uuid>,
    pub level: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// In one statement, a new share, or a new level for the case's existing
/// share with the same country or coalition.
pub async fn upsert(db: &impl ConnectionTrait, row: Model) -> Result<(), DbErr> {
    use sea_orm::sea_query::OnConflict;
    let conflict = match row.coalition_id {
        Some(_) => [Column::CaseId, Column::CoalitionId],
        None => [Column::CaseId, Column::Country],
    };
    Entity::insert(ActiveModel::from(row))
        .on_conflict(
            OnConflict::columns(conflict)
                .update_column(Column::Level)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Deletes the case's share with `country` or else `coalition`; how many
/// rows went (0 or 1).
pub async fn delete_for(
    db: &impl ConnectionTrait,
    case_id: Uuid,
    country: Option<&str>,
    coalition: Option<Uuid>,
) -> Result<u64, DbErr> {
    use sea_orm::Condition;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let target = match (country, coalition) {
        (Some(c), _) => Condition::all().add(Column::Country.eq(c)),
        (_, Some(id)) => Condition::all().add(Column::CoalitionId.eq(id)),
        _ => Condition::all().add(Expr::val(1).eq(0)),
    };
    let deleted = Entity::delete_many()
        .filter(Column::CaseId.eq(case_id))
        .filter(target)
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

crate::store::positional::by_position!(Model {
    id,
    case_id,
    country,
    coalition_id,
    level,
    created_by,
    created_at,
});
