//! Rows decoded by column position instead of by name. sea-orm's derived
//! decoding looks every column up by its name; for a joined select
//! (`select_also`) it first formats each prefixed name, and for every NULL
//! it formats an error that it then drops. On the visible-cases page that
//! was a third of the server's instructions per request (issue 28,
//! README "The page nearer the floor"). A model listed here (`by_position!`)
//! is read from consecutive columns in its entity's column order, which is
//! what `Entity::find()` selects; `all_with_level` appends one column, the
//! viewer's level from an access index, and reads it after the model.
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, QuerySelect,
    Select,
};

/// A model read from consecutive columns, in `FIELDS` order (the tests
/// check that order against the entity's columns).
pub trait ByPosition: Sized {
    /// The fields in the order they are read.
    const FIELDS: &'static [&'static str];

    /// The model from the columns `at..at + FIELDS.len()` of `row`.
    fn read_at(row: &QueryResult, at: usize) -> Result<Self, DbErr>;
}

/// Implements `ByPosition` for a model whose fields are listed in their
/// columns' order. The struct literal makes a missing field a compile
/// error; the order is checked by a test the macro adds beside it
/// (`order_matches` against the module's `Entity`).
macro_rules! by_position {
    ($model:ty { $($field:ident),* $(,)? }) => {
        impl $crate::store::positional::ByPosition for $model {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn read_at(
                row: &sea_orm::QueryResult,
                at: usize,
            ) -> Result<Self, sea_orm::DbErr> {
                let mut next = at;
                let mut take = || {
                    next += 1;
                    next - 1
                };
                Ok(Self {
                    $($field: row.try_get_by_index(take())?),*
                })
            }
        }

        #[cfg(test)]
        mod position_tests {
            #[test]
            fn fields_are_read_in_column_order() {
                assert!($crate::store::positional::order_matches::<super::Entity>());
            }
        }
    };
}
pub(crate) use by_position;

/// A model read by position alone.
struct Positional<M>(M);

impl<M: ByPosition> FromQueryResult for Positional<M> {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        M::read_at(row, 0).map(Positional)
    }
}

/// The rows of `query` (a `find()` of its entity), read by position.
pub async fn all<E>(db: &impl ConnectionTrait, query: Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition + Send + Sync,
{
    Ok(query
        .into_model::<Positional<E::Model>>()
        .all(db)
        .await?
        .into_iter()
        .map(|Positional(m)| m)
        .collect())
}

/// A model and the level of the access index row it was joined to.
pub struct WithLevel<M> {
    pub model: M,
    /// The stored level (the area's `from_stored` reads it).
    pub level: String,
}

impl<M: ByPosition> FromQueryResult for WithLevel<M> {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        Ok(WithLevel {
            model: M::read_at(row, 0)?,
            level: row.try_get_by_index(M::FIELDS.len())?,
        })
    }
}

/// The rows of `query` (a `find()` of its entity, joined to an access
/// index) with `level`, that index's level column, in one statement.
pub async fn all_with_level<E>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    level: impl ColumnTrait,
) -> Result<Vec<WithLevel<E::Model>>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition + Send + Sync,
{
    query
        .column_as(level, "accord_level")
        .into_model::<WithLevel<E::Model>>()
        .all(db)
        .await
}

/// A row of a page whose count rides on it (`policy::paging::Total::Riding`):
/// the count is one more column, after the level.
struct WithLevelAndTotal<M> {
    row: WithLevel<M>,
    total: Option<i64>,
}

impl<M: ByPosition> FromQueryResult for WithLevelAndTotal<M> {
    fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
        Ok(WithLevelAndTotal {
            row: WithLevel::from_query_result(row, "")?,
            total: row.try_get_by_index(M::FIELDS.len() + 1)?,
        })
    }
}

/// `all_with_level`, with `total` (a scalar subquery) as one more column
/// when given, read back from the first row: the count of a page and its
/// rows in one statement. `None` when no row came back to carry it.
pub async fn all_with_level_counted<E>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    level: impl ColumnTrait,
    total: Option<&Expr>,
) -> Result<(Vec<WithLevel<E::Model>>, Option<u64>), DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition + Send + Sync,
{
    let Some(total) = total else {
        return Ok((all_with_level(db, query, level).await?, None));
    };
    let rows = query
        .column_as(level, "accord_level")
        .expr_as(total.clone(), "accord_total")
        .into_model::<WithLevelAndTotal<E::Model>>()
        .all(db)
        .await?;
    let counted = rows
        .first()
        .map(|r| r.total.map_or(0, |n| u64::try_from(n).unwrap_or(0)));
    Ok((rows.into_iter().map(|r| r.row).collect(), counted))
}

/// Whether `M`'s fields are read in `E`'s column order (for each entity's
/// tests).
#[cfg(test)]
pub fn order_matches<E: EntityTrait>() -> bool
where
    E::Model: ByPosition,
{
    use sea_orm::{IdenStatic, Iterable};
    let columns: Vec<&str> = E::Column::iter().map(|c| c.as_str()).collect();
    columns == E::Model::FIELDS
}
