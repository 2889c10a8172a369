//! Counts of the access indexes per reader (`access_counts`): an unfiltered
//! `totalCount` reads one row instead of counting the reader's rows, so it
//! costs the same at 1,000,000 cases as at 20,000. Every change to an index
//! adjusts its counts in the same transaction (`adjust`); `internal_drift`
//! compares them with the index, `internal_recount` recomputes them.
//! Reading and adjusting a reader's count is the policy's own business
//! (`pub(super)`): outside it, nobody can count another country's rows.
use std::collections::BTreeMap;

use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, OnConflict, Query, QueryStatementBuilder,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
};

use crate::error::{AppError, AppResult};
use crate::store::{access_count, case_access, hearing_access, report_access};

/// Which access index a count is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Index {
    /// `case_access`, by country.
    Cases,
    /// `hearing_access` (the calendar), by country.
    Hearings,
    /// `report_access`, by reader (a country code or an organization id).
    Reports,
}

impl Index {
    fn as_str(self) -> &'static str {
        match self {
            Index::Cases => "CASES",
            Index::Hearings => "HEARINGS",
            Index::Reports => "REPORTS",
        }
    }
}

/// Rows added (positive) or removed (negative) per reader.
pub(super) type Deltas = BTreeMap<String, i64>;

/// Applies `deltas` to `index`'s counts, in one statement. Readers are
/// written in key order, so that two transactions adjusting the same
/// readers lock their rows in the same order and never deadlock; a
/// transaction adjusts each index once, cases before hearings.
pub(super) async fn adjust(
    db: &impl ConnectionTrait,
    index: Index,
    deltas: &Deltas,
) -> AppResult<()> {
    let changed: Vec<(&String, i64)> = deltas
        .iter()
        .filter(|(_, d)| **d != 0)
        .map(|(r, d)| (r, *d))
        .collect();
    // A few hundred readers per statement at most (bind-parameter limits).
    for part in changed.chunks(500) {
        upsert(db, index, part).await?;
    }
    Ok(())
}

async fn upsert(
    db: &impl ConnectionTrait,
    index: Index,
    changed: &[(&String, i64)],
) -> AppResult<()> {
    let mut insert = Query::insert();
    insert.into_table(access_count::Entity).columns([
        access_count::Column::IndexName,
        access_count::Column::Reader,
        access_count::Column::Visible,
    ]);
    for (reader, delta) in changed.iter().copied() {
        insert
            .values([index.as_str().into(), reader.as_str().into(), delta.into()])
            .map_err(AppError::internal)?;
    }
    insert.on_conflict(
        OnConflict::columns([
            access_count::Column::IndexName,
            access_count::Column::Reader,
        ])
        .value(
            access_count::Column::Visible,
            Expr::col((access_count::Entity, access_count::Column::Visible)).add(Expr::col((
                Alias::new("excluded"),
                access_count::Column::Visible,
            ))),
        )
        .to_owned(),
    );
    db.execute(&insert).await?;
    Ok(())
}

/// How many rows `index` holds for `reader`: its count row, as a scalar
/// subquery (0 without a row) that rides on a page's statement
/// (`paging::Total::Riding`).
pub(super) fn row(index: Index, reader: &str) -> Expr {
    let visible = access_count::Entity::find()
        .select_only()
        .column(access_count::Column::Visible)
        .filter(access_count::Column::IndexName.eq(index.as_str()))
        .filter(access_count::Column::Reader.eq(reader))
        .into_query();
    Func::coalesce([
        Expr::SubQuery(None, Box::new(visible.into_sub_query_statement())),
        Expr::val(0i64),
    ])
    .into()
}

/// How many rows `rows` (index rows of one reader) holds, as a scalar
/// subquery.
pub(super) fn rows_of<E: EntityTrait>(rows: Select<E>) -> Expr {
    let counted = rows
        .select_only()
        .expr(Func::count(Expr::col(Asterisk)))
        .into_query();
    Expr::SubQuery(None, Box::new(counted.into_sub_query_statement()))
}

/// A riding count run alone, when no row of its page carried it back.
pub(super) async fn alone(db: &impl ConnectionTrait, count: Expr) -> AppResult<u64> {
    let mut select = Query::select();
    select.expr(count);
    let n: Option<i64> = match db.query_one(&select).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => None,
    };
    Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// Each reader's rows in the index itself, counted (no viewer: maintenance).
async fn internal_counted(db: &impl ConnectionTrait, index: Index) -> AppResult<Deltas> {
    match index {
        Index::Cases => {
            rows_per_reader::<case_access::Entity>(
                db,
                case_access::Column::Country,
                case_access::Column::CaseId,
            )
            .await
        }
        Index::Hearings => {
            rows_per_reader::<hearing_access::Entity>(
                db,
                hearing_access::Column::Country,
                hearing_access::Column::HearingId,
            )
            .await
        }
        Index::Reports => {
            rows_per_reader::<report_access::Entity>(
                db,
                report_access::Column::Reader,
                report_access::Column::ReportId,
            )
            .await
        }
    }
}

/// `SELECT reader, COUNT(row) … GROUP BY reader` over an index table.
async fn rows_per_reader<E: EntityTrait>(
    db: &impl ConnectionTrait,
    reader: E::Column,
    row: E::Column,
) -> AppResult<Deltas> {
    let rows: Vec<(String, i64)> = E::find()
        .select_only()
        .column(reader)
        .column_as(row.count(), "n")
        .group_by(reader)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The stored counts of `index`, by reader (zeros left out).
async fn internal_stored(db: &impl ConnectionTrait, index: Index) -> AppResult<Deltas> {
    Ok(access_count::Entity::find()
        .filter(access_count::Column::IndexName.eq(index.as_str()))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| c.visible != 0)
        .map(|c| (c.reader, c.visible))
        .collect())
}

/// Where the stored counts differ from the index: one line per reader.
pub async fn internal_drift(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let mut drift = Vec::new();
    for index in [Index::Cases, Index::Hearings, Index::Reports] {
        let counted = internal_counted(db, index).await?;
        let stored = internal_stored(db, index).await?;
        let readers: std::collections::BTreeSet<&String> =
            counted.keys().chain(stored.keys()).collect();
        for r in readers {
            let (want, got) = (counted.get(r).copied(), stored.get(r).copied());
            if want != got {
                drift.push(format!(
                    "{} count of {r}: stored {}, index holds {}",
                    index.as_str(),
                    got.unwrap_or(0),
                    want.unwrap_or(0)
                ));
            }
        }
    }
    Ok(drift)
}

/// Recomputes `index`'s counts from the index itself (`accord
/// rebuild-access`, bulk loads), in the caller's transaction.
pub async fn internal_recount(db: &impl ConnectionTrait, index: Index) -> AppResult<()> {
    access_count::Entity::delete_many()
        .filter(access_count::Column::IndexName.eq(index.as_str()))
        .exec(db)
        .await?;
    let counted = internal_counted(db, index).await?;
    adjust(db, index, &counted).await
}
