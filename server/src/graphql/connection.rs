//! Relay connections over a policy scope: `totalCount` counts the scope (so
//! only visible rows), pages are keyset in the connection's order, and cursors
//! carry only the position of a row the viewer has already seen. `list` is
//! the one list of every visible area (`policy::Area`).
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use sea_orm::{ConnectionTrait, EntityTrait, Select};

use crate::error::AppResult;
pub use crate::policy::paging::{DEFAULT_PAGE, PageShape, Position, Positioned, Total, list, page};
/// The rows a list without `first` (a case's reports, a statement's
/// versions, a hearing's claims) is counted as in a query's cost.
pub const LIST_ROWS: usize = 5;

/// The cost of a connection (SECURITY.md, "query cost"): the page counts as
/// many times as it may hold rows (`first`, or the default page), so nested
/// pages multiply — `missions → users → mission → users` costs what it can
/// return. Beyond `MAX_PAGE` the cost still grows (the page is refused anyway).
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = usize::try_from(first.unwrap_or(DEFAULT_PAGE)).unwrap_or(0);
    rows.saturating_mul(child_complexity).saturating_add(1)
}

/// The cost of a list without `first`: `LIST_ROWS` times its rows' cost.
pub fn list_cost(child_complexity: usize) -> usize {
    LIST_ROWS.saturating_mul(child_complexity).saturating_add(1)
}

/// The cost of a list whose length is capped on write: as many rows as the
/// cap allows (a statement's versions, a hearing's observations, a
/// diplomat's roster).
pub fn capped_list_cost(cap: usize, child_complexity: usize) -> usize {
    cap.saturating_mul(child_complexity).saturating_add(1)
}

#[derive(SimpleObject)]
pub struct Totals {
    /// How many objects the viewer can see in this list, across all pages.
    pub total_count: u64,
}

pub type Page<T> = Connection<String, T, Totals, EmptyFields>;

/// How a connection is ordered: the policy's `Order`, which each area declares.
pub use crate::policy::Order;

/// Wraps `(position, node)` pairs, in order, as the page's edges.
pub fn into_page<T: OutputType>(
    shape: PageShape,
    nodes: impl IntoIterator<Item = (Position, T)>,
) -> Page<T> {
    let mut page = Connection::with_additional_fields(
        shape.has_previous,
        shape.has_next,
        Totals {
            total_count: shape.total_count,
        },
    );
    page.edges.extend(
        nodes
            .into_iter()
            .map(|(position, node)| Edge::new(position.cursor(), node)),
    );
    page
}

/// A page of plain rows of `scope`, each wrapped by `wrap`.
pub async fn paginate<E, T>(
    db: &impl ConnectionTrait,
    scope: Select<E>,
    order: Order<E::Column>,
    first: Option<i32>,
    after: Option<String>,
    wrap: impl Fn(E::Model) -> T,
) -> AppResult<Page<T>>
where
    E: EntityTrait,
    E::Model: Positioned + Sync,
    T: OutputType,
{
    let (rows, shape) = page(
        db,
        scope,
        Total::OfScope,
        order,
        first,
        after,
        async |q: Select<E>, _| Ok(q.all(db).await?.into()),
    )
    .await?;
    Ok(into_page(
        shape,
        rows.into_iter().map(|row| (row.position(), wrap(row))),
    ))
}
