//! Keyset pages over a policy scope, shared by the GraphQL connections and
//! the web pages: the count is the scope's (only visible rows), a page is
//! one range in the area's order, and a cursor carries only the position of
//! a row the viewer has already seen. `list` is the one list of every
//! visible area.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use super::{Area, Order, SeenIn};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::msg;

pub const DEFAULT_PAGE: i32 = 50;
pub const MAX_PAGE: i32 = 100;

/// A row's place in its connection's order. Cursors hold only this, and
/// only ever values the viewer already read on the row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    Id(Uuid),
    TimeThenId(DateTime<Utc>, Uuid),
    Seq(i64),
}

/// Rows that know their place in their connection.
pub trait Positioned {
    fn position(&self) -> Position;
}

/// An opaque cursor: `base64url("<kind>:<position>")`.
pub fn opaque_cursor(kind: &str, position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{position}"))
}

/// The position of a cursor of `kind`, parsed; malformed is `BAD_USER_INPUT`.
pub fn read_cursor<T>(
    kind: &str,
    cursor: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> AppResult<T> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|s| s.strip_prefix(kind)?.strip_prefix(':').and_then(parse))
        .ok_or_else(|| AppError::bad_input("after", msg!("input-is-not-a-valid-cursor")))
}

impl Position {
    pub fn cursor(&self) -> String {
        match self {
            // Every edge of a page has one: without the formatting
            // machinery, the same text as `opaque_cursor("c", id)`.
            Position::Id(id) => {
                let mut raw = [0u8; 2 + uuid::fmt::Hyphenated::LENGTH];
                raw[..2].copy_from_slice(b"c:");
                id.hyphenated().encode_lower(&mut raw[2..]);
                URL_SAFE_NO_PAD.encode(raw)
            }
            Position::TimeThenId(at, id) => {
                opaque_cursor("t", &format!("{}:{id}", at.timestamp_micros()))
            }
            Position::Seq(n) => opaque_cursor("s", &n.to_string()),
        }
    }
}

impl<C: ColumnTrait> Order<C> {
    fn read(&self, cursor: &str) -> AppResult<Position> {
        match self {
            Order::Id(_) => read_cursor("c", cursor, |u| Uuid::parse_str(u).ok().map(Position::Id)),
            Order::TimeThenId(..) | Order::NewestFirst(..) => read_cursor("t", cursor, |rest| {
                let (micros, id) = rest.split_once(':')?;
                Some(Position::TimeThenId(
                    DateTime::from_timestamp_micros(micros.parse().ok()?)?,
                    Uuid::parse_str(id).ok()?,
                ))
            }),
            Order::SeqDesc(_) => read_cursor("s", cursor, |n| n.parse().ok().map(Position::Seq)),
        }
    }

    /// `query` in this order, from just after `after`. The columns may be
    /// another table's (an index the scope joins, whose order is the page's).
    fn apply<E: EntityTrait>(self, query: Select<E>, after: Option<&Position>) -> Select<E> {
        match (self, after) {
            (Order::Id(c), None) => query.order_by_asc(c),
            (Order::Id(c), Some(Position::Id(id))) => query.order_by_asc(c).filter(c.gt(*id)),
            (Order::TimeThenId(t, i), pos) => {
                let q = query.order_by_asc(t).order_by_asc(i);
                match pos {
                    Some(Position::TimeThenId(at, id)) => q.filter(
                        Condition::any()
                            .add(t.gt(*at))
                            .add(Condition::all().add(t.eq(*at)).add(i.gt(*id))),
                    ),
                    _ => q,
                }
            }
            (Order::NewestFirst(t, i), pos) => {
                let q = query.order_by_desc(t).order_by_desc(i);
                match pos {
                    Some(Position::TimeThenId(at, id)) => q.filter(
                        Condition::any()
                            .add(t.lt(*at))
                            .add(Condition::all().add(t.eq(*at)).add(i.lt(*id))),
                    ),
                    _ => q,
                }
            }
            (Order::SeqDesc(c), None) => query.order_by_desc(c),
            (Order::SeqDesc(c), Some(Position::Seq(n))) => query.order_by_desc(c).filter(c.lt(*n)),
            // `read` only yields positions of this order.
            (Order::Id(c), Some(_)) => query.order_by_asc(c),
            (Order::SeqDesc(c), Some(_)) => query.order_by_desc(c),
        }
    }
}

pub fn page_size(first: Option<i32>) -> AppResult<u64> {
    match first.unwrap_or(DEFAULT_PAGE) {
        n @ 0..=MAX_PAGE => Ok(n as u64),
        _ => Err(AppError::bad_input(
            "first",
            msg!("input-between", min = 0, max = MAX_PAGE),
        )),
    }
}

/// The shape of one page, for wrapping its rows once they are loaded.
pub struct PageShape {
    pub has_previous: bool,
    pub has_next: bool,
    pub total_count: u64,
}
/// Where `totalCount` comes from.
pub enum Total {
    /// Count the scope.
    OfScope,
    /// Already counted, on an index that holds the scope (no filter applied).
    Counted(u64),
    /// Counted by this scalar subquery (`policy::counts`), on an access
    /// index or its count row. It rides on the page's own statement as one
    /// more column, read back from the first row, and runs alone only when
    /// no row carries it back (an empty page, or an area whose load does
    /// not carry it): one statement and one round trip fewer per page, and
    /// the count is of the same snapshot as the rows.
    Riding(Expr),
}

/// What a page's load returns: its rows and, when it carried the count
/// (`Total::Riding`) back on them, that count.
pub struct Loaded<R> {
    pub rows: Vec<R>,
    pub total: Option<u64>,
}

impl<R> From<Vec<R>> for Loaded<R> {
    fn from(rows: Vec<R>) -> Self {
        Loaded { rows, total: None }
    }
}

/// The one keyset pager: counts `scope` (so `totalCount` is what the viewer
/// may see), then loads one page of it in `order` after the cursor through
/// `load` — which may select more than the entity (the viewer's level, say)
/// and drop what it must, and is given the riding count (`Total::Riding`)
/// to carry back on its rows, if it can. Every connection is a scope, an
/// order and a load.
pub async fn page<E, C, R>(
    db: &impl ConnectionTrait,
    scope: Select<E>,
    total: Total,
    order: Order<C>,
    first: Option<i32>,
    after: Option<String>,
    load: impl AsyncFnOnce(Select<E>, Option<&Expr>) -> AppResult<Loaded<R>>,
) -> AppResult<(Vec<R>, PageShape)>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ColumnTrait,
{
    let limit = page_size(first)?;
    let after = after.as_deref().map(|c| order.read(c)).transpose()?;
    // Counted before the page, or riding on it: nothing else.
    let counted = match total {
        Total::OfScope => Ok(scope.clone().count(db).await?),
        Total::Counted(n) => Ok(n),
        Total::Riding(expr) => Err(expr),
    };
    let query = order.apply(scope, after.as_ref()).limit(limit + 1);
    let Loaded { mut rows, total } = load(query, counted.as_ref().err()).await?;
    let total_count = match (counted, total) {
        (Ok(n), _) | (Err(_), Some(n)) => n,
        (Err(riding), None) => super::counts::alone(db, riding).await?,
    };
    let has_next = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((
        rows,
        PageShape {
            has_previous: after.is_some(),
            has_next,
            total_count,
        },
    ))
}

/// The one list of a visible area: the viewer's scope narrowed by `filter`,
/// counted by the index when it can, one page in the area's order, each row
/// loaded with the viewer's level. A list resolver converts its filter,
/// calls this, prefetches what its selection asks for and wraps the rows.
pub async fn list<A>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: A::Filter,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<(Vec<SeenIn<A>>, PageShape)>
where
    A: Area,
    <A::Entity as EntityTrait>::Model: Sync,
{
    let total = A::count(viewer, &filter);
    let scope = A::visible(viewer).filter(A::filter(viewer, filter)?);
    page(
        db,
        scope,
        total,
        A::ORDER,
        first,
        after,
        async |q, total| A::load_page(db, viewer, q, total).await,
    )
    .await
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = Uuid::now_v7();
        let by_id: Order<crate::store::case::Column> = Order::Id(crate::store::case::Column::Id);
        assert_eq!(
            by_id.read(&Position::Id(id).cursor()).ok(),
            Some(Position::Id(id))
        );
        assert_eq!(
            Position::Id(id).cursor(),
            opaque_cursor("c", &id.to_string())
        );
        assert!(by_id.read("nope").is_err());
        // A cursor of another order is refused, not misread.
        assert!(by_id.read(&Position::Seq(7).cursor()).is_err());
        let at = DateTime::from_timestamp_micros(1_790_000_000_123_456).unwrap_or_default();
        let by_time: Order<crate::store::hearing::Column> = Order::TimeThenId(
            crate::store::hearing::Column::StartsAt,
            crate::store::hearing::Column::Id,
        );
        let p = Position::TimeThenId(at, id);
        assert_eq!(by_time.read(&p.cursor()).ok(), Some(p));
        assert!(page_size(Some(101)).is_err());
        assert!(page_size(Some(-1)).is_err());
        assert_eq!(page_size(None).ok(), Some(50));
    }
}
macro_rules! positioned_by_id {
    ($($model:path),*) => {
        $(impl Positioned for $model {
            fn position(&self) -> Position {
                Position::Id(self.id)
            }
        })*
    };
}

positioned_by_id!(
    crate::store::mission::Model,
    crate::store::user::Model,
    crate::store::organization::Model,
    crate::store::coalition::Model,
    crate::store::case::Model,
    crate::store::statement::Model
);

impl Positioned for crate::store::hearing::Model {
    fn position(&self) -> Position {
        Position::TimeThenId(self.starts_at, self.id)
    }
}

impl Positioned for crate::store::attack_report::Model {
    fn position(&self) -> Position {
        Position::TimeThenId(self.submitted_at, self.id)
    }
}

impl Positioned for crate::store::audit_event::Model {
    fn position(&self) -> Position {
        Position::Seq(self.seq)
    }
}

impl<T: Positioned, L: Copy> Positioned for crate::policy::Seen<T, L> {
    fn position(&self) -> Position {
        self.model().position()
    }
}
