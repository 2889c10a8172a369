//! Relay connections over a policy scope: `totalCount` counts the scope (so
//! only visible rows), pages are keyset by id, and cursors carry only the id
//! of a row the viewer has already seen.
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

pub const DEFAULT_PAGE: i32 = 50;
pub const MAX_PAGE: i32 = 100;

#[derive(SimpleObject)]
pub struct Totals {
    /// How many objects the viewer can see in this list, across all pages.
    pub total_count: u64,
}

pub type Page<T> = Connection<String, T, Totals, EmptyFields>;

/// Rows keyed by a time-ordered UUID.
pub trait Keyed {
    fn key(&self) -> Uuid;
}

/// An opaque cursor: `base64url("<kind>:<position>")`. The position holds
/// only what the viewer already sees on the row (its id, its start time).
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
        .ok_or_else(|| AppError::bad_input("after", "is not a valid cursor"))
}

fn encode_cursor(id: Uuid) -> String {
    opaque_cursor("c", &id.to_string())
}

fn decode_cursor(cursor: &str) -> AppResult<Uuid> {
    read_cursor("c", cursor, |u| Uuid::parse_str(u).ok())
}

pub fn page_size(first: Option<i32>) -> AppResult<u64> {
    match first.unwrap_or(DEFAULT_PAGE) {
        n @ 0..=MAX_PAGE => Ok(n as u64),
        _ => Err(AppError::bad_input(
            "first",
            format!("must be between 0 and {MAX_PAGE}"),
        )),
    }
}

/// The rows of one page and its shape, before they are wrapped (so that the
/// caller can, say, compute visibility levels for the whole page at once).
pub struct Fetched<M> {
    rows: Vec<M>,
    shape: PageShape,
}

pub struct PageShape {
    has_previous: bool,
    has_next: bool,
    total_count: u64,
}

impl<M> Fetched<M> {
    pub fn split(self) -> (Vec<M>, PageShape) {
        (self.rows, self.shape)
    }
}

impl PageShape {
    /// Wraps `(key, node)` pairs, in order, as the page's edges.
    pub fn into_page<T: OutputType>(self, nodes: impl IntoIterator<Item = (Uuid, T)>) -> Page<T> {
        let mut page = Connection::with_additional_fields(
            self.has_previous,
            self.has_next,
            Totals {
                total_count: self.total_count,
            },
        );
        page.edges.extend(
            nodes
                .into_iter()
                .map(|(key, node)| Edge::new(encode_cursor(key), node)),
        );
        page
    }
}

/// One page of `scope`, ordered by `key`.
pub async fn fetch<E>(
    db: &impl ConnectionTrait,
    scope: Select<E>,
    key: E::Column,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<Fetched<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let limit = page_size(first)?;
    let after = after.as_deref().map(decode_cursor).transpose()?;
    let total_count = scope.clone().count(db).await?;
    let mut query = scope.order_by_asc(key);
    if let Some(after) = after {
        query = query.filter(key.gt(after));
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok(Fetched {
        rows,
        shape: PageShape {
            has_previous: after.is_some(),
            has_next,
            total_count,
        },
    })
}

/// One page of `scope`, each row wrapped by `wrap`.
pub async fn paginate<E, T>(
    db: &impl ConnectionTrait,
    scope: Select<E>,
    key: E::Column,
    first: Option<i32>,
    after: Option<String>,
    wrap: impl Fn(E::Model) -> T,
) -> AppResult<Page<T>>
where
    E: EntityTrait,
    E::Model: Keyed + Sync,
    T: OutputType,
{
    let (rows, shape) = fetch(db, scope, key, first, after).await?.split();
    Ok(shape.into_page(rows.into_iter().map(|row| (row.key(), wrap(row)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(id)).ok(), Some(id));
        assert!(decode_cursor("nope").is_err());
        assert!(page_size(Some(101)).is_err());
        assert!(page_size(Some(-1)).is_err());
        assert_eq!(page_size(None).ok(), Some(50));
    }
}

macro_rules! keyed_by_id {
    ($($model:path),*) => {
        $(impl Keyed for $model {
            fn key(&self) -> Uuid {
                self.id
            }
        })*
    };
}

keyed_by_id!(
    crate::store::mission::Model,
    crate::store::user::Model,
    crate::store::organization::Model,
    crate::store::coalition::Model,
    crate::store::case::Model
);
