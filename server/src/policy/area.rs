//! The one shape of a visible area's read path (cases, hearings, attack
//! reports, statements). Each area declares, once: the viewer's scope (its
//! rows joined to the viewer's rows of its access index), the filter as a
//! condition on that scope, how the index counts it, how a query on it loads
//! with the viewer's level, and its page order. `find`, `lock` and every list
//! are then the same code for all of them, so they cannot drift apart.
//!
//! Invariant: a row leaves an area only as a `Seen`, loaded from a query on
//! `visible(viewer)`; a lock is taken only on an id the viewer already sees
//! ("lock before ask"), and the answer is decided again under the lock.
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, Select,
};
use uuid::Uuid;

use super::Seen;
use super::paging::{Loaded, Total};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::store::positional::{ByPosition, all_with_level_counted};

/// How a list is ordered; its cursors hold a position in that order. The
/// columns are usually the access index's own, so a page is one index range.
#[derive(Clone, Copy, Debug)]
pub enum Order<C> {
    /// Ascending by a time-ordered UUID.
    Id(C),
    /// Ascending by an instant, ties broken by id.
    TimeThenId(C, C),
    /// Newest first, by a sequence number.
    SeqDesc(C),
    /// Newest first, by an instant, ties broken by id (descending).
    NewestFirst(C, C),
}

/// A row of area `A` as the viewer sees it.
pub type SeenIn<A> = Seen<<<A as Area>::Entity as EntityTrait>::Model, <A as Area>::Level>;

/// A visible area. Implemented by a unit type per area (`cases::Cases`, …);
/// all methods are static and monomorphised, so the shape costs nothing at
/// run time (no boxing, the same SQL as hand-written code).
// The futures are only awaited where the area is a concrete type, so their
// auto traits (Send) are known there; no `Send` bound is needed here.
#[allow(async_fn_in_trait)]
pub trait Area {
    /// Keyed by a UUID, so `find` and `lock` take the viewer's id as is.
    type Entity: EntityTrait<PrimaryKey: PrimaryKeyTrait<ValueType: From<Uuid>>>;
    /// How the viewer stands to a row (a case level, a report sight, a
    /// statement role).
    type Level: Copy;
    /// What the viewer may narrow the list by; `Default` is "everything".
    type Filter: Default;
    type OrderColumn: ColumnTrait;

    /// The row's id column (for `find` and `lock`).
    const ID: <Self::Entity as EntityTrait>::Column;
    /// The list order.
    const ORDER: Order<Self::OrderColumn>;

    /// Every row the viewer may see.
    fn visible(viewer: &Viewer) -> Select<Self::Entity>;

    /// `filter` as a condition on `visible(viewer)`: a field the viewer
    /// cannot read never drives it.
    fn filter(viewer: &Viewer, filter: Self::Filter) -> AppResult<Condition>;

    /// How `visible(viewer)` narrowed by `filter` is counted: by the access
    /// index (or its count row) alone when it can, as a subquery riding on
    /// the page's statement; else the filtered scope itself.
    fn count(viewer: &Viewer, filter: &Self::Filter) -> Total;

    /// Loads a query on `visible(viewer)`, each row with the viewer's level,
    /// in one statement.
    async fn load(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<Self::Entity>,
    ) -> AppResult<Vec<SeenIn<Self>>>;

    /// `load` for a page, carrying `total` (a riding count) back on its
    /// rows when the area can; by default it does not, and the pager runs
    /// the count alone.
    async fn load_page(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<Self::Entity>,
        _total: Option<&Expr>,
    ) -> AppResult<Loaded<SeenIn<Self>>> {
        Ok(Self::load(db, viewer, query).await?.into())
    }

    /// Locks one row for the rest of the transaction, deciding nothing.
    async fn internal_lock(txn: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
        Ok(crate::store::internal_lock::<Self::Entity>(txn, id).await?)
    }
}

/// `count` for an area whose access index counts only the unfiltered scope:
/// that count when `filter` is the default, else the filtered scope.
pub(super) fn when_unfiltered<F: Default + PartialEq>(
    filter: &F,
    count: impl FnOnce() -> Total,
) -> Total {
    if *filter == F::default() {
        count()
    } else {
        Total::OfScope
    }
}

/// Rows of `query` read by position (`store::positional`), each with the
/// viewer's level from `level` (an access index's level column, read by
/// `parse`; a row whose level does not parse is dropped), and the riding
/// count carried back when given: the case and calendar loads.
pub(super) async fn load_by_position<E, L: Copy>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    level: impl ColumnTrait,
    parse: impl Fn(&str) -> Option<L>,
    total: Option<&Expr>,
) -> AppResult<Loaded<Seen<E::Model, L>>>
where
    E: EntityTrait,
    E::Model: ByPosition + Send + Sync,
{
    let (rows, total) = all_with_level_counted(db, query, level, total).await?;
    let rows = rows
        .into_iter()
        .filter_map(|row| Some(Seen::at(row.model, parse(&row.level)?)))
        .collect();
    Ok(Loaded { rows, total })
}

/// One row by id, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find<A: Area>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<SeenIn<A>> {
    A::load(db, viewer, A::visible(viewer).filter(A::ID.eq(id)))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// For a write: locks the row for the rest of `txn`, then decides the
/// viewer's sight of it in that same transaction, so a concurrent change of
/// sight cannot slip between the check and the write.
pub async fn lock<A: Area>(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<SeenIn<A>> {
    // Ask first: an id the viewer cannot see stops here, before any lock,
    // so it costs and answers exactly like a missing one (SECURITY.md,
    // "lock before ask"). Then lock, and ask again under the lock.
    find::<A>(txn, viewer, id).await?;
    A::internal_lock(txn, id).await?;
    find::<A>(txn, viewer, id).await
}
