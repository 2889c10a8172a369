//! DataLoaders, built per request with the viewer inside, so that batching
//! never mixes two viewers and every batch starts from a policy scope.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::AppError;
use crate::policy::directory as directory_policy;
use crate::store::{
    case_category, case_share, coalition, coalition_member, observation, roster_claim, user,
};

type LoadResult<V> = Result<HashMap<Uuid, V>, Arc<AppError>>;

fn db_error(e: sea_orm::DbErr) -> Arc<AppError> {
    Arc::new(AppError::from(e))
}

/// Groups rows under their key, keeping their order.
fn grouped<R, V>(rows: Vec<R>, split: impl Fn(R) -> (Uuid, V)) -> HashMap<Uuid, Vec<V>> {
    let mut map: HashMap<Uuid, Vec<V>> = HashMap::new();
    for row in rows {
        let (key, value) = split(row);
        map.entry(key).or_default().push(value);
    }
    map
}

/// Categories of many cases (already visible to the viewer) in one query.
pub struct CategoryLoader {
    db: DatabaseConnection,
}

impl Loader<Uuid> for CategoryLoader {
    type Value = Vec<String>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Vec<String>> {
        let rows = case_category::Entity::find()
            .filter(case_category::Column::CaseId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(grouped(rows, |r| (r.case_id, r.category)))
    }
}

/// Shares of many cases in one query. The resolver asks the policy first
/// (owner only) before it loads.
pub struct ShareLoader {
    db: DatabaseConnection,
}

impl Loader<Uuid> for ShareLoader {
    type Value = Vec<case_share::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Vec<case_share::Model>> {
        let rows = case_share::Entity::find()
            .filter(case_share::Column::CaseId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(grouped(rows, |r| (r.case_id, r)))
    }
}

/// Coalitions by id, through the viewer's coalition scope: an id the viewer
/// may not see simply does not load.
pub struct CoalitionLoader {
    db: DatabaseConnection,
    viewer: Viewer,
}

impl Loader<Uuid> for CoalitionLoader {
    type Value = coalition::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<coalition::Model> {
        let rows = directory_policy::coalitions(&self.viewer)
            .filter(coalition::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// Member countries of many coalitions (already visible) in one query.
pub struct MemberLoader {
    db: DatabaseConnection,
}

impl Loader<Uuid> for MemberLoader {
    type Value = Vec<String>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Vec<String>> {
        let rows = coalition_member::Entity::find()
            .filter(coalition_member::Column::CoalitionId.is_in(keys.iter().copied()))
            .order_by_asc(coalition_member::Column::Country)
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(grouped(rows, |r| (r.coalition_id, r.country)))
    }
}

/// Roster claims of many hearings (already visible), in queue order.
pub struct ClaimLoader {
    db: DatabaseConnection,
}

impl Loader<Uuid> for ClaimLoader {
    type Value = Vec<roster_claim::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Vec<roster_claim::Model>> {
        let rows = roster_claim::Entity::find()
            .filter(roster_claim::Column::HearingId.is_in(keys.iter().copied()))
            .order_by_asc(roster_claim::Column::QueueSeq)
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(grouped(rows, |r| (r.hearing_id, r)))
    }
}

/// Observations of many hearings (already visible), oldest first.
pub struct ObservationLoader {
    db: DatabaseConnection,
}

impl Loader<Uuid> for ObservationLoader {
    type Value = Vec<observation::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Vec<observation::Model>> {
        let rows = observation::Entity::find()
            .filter(observation::Column::HearingId.is_in(keys.iter().copied()))
            .order_by_asc(observation::Column::SubmittedAt)
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(grouped(rows, |r| (r.hearing_id, r)))
    }
}

/// Users by id. Only called after the hearing policy allowed showing who an
/// observer is (`policy::hearings::may_see_observer`).
pub struct ObserverLoader {
    db: DatabaseConnection,
}

impl Loader<Uuid> for ObserverLoader {
    type Value = user::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<user::Model> {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// Where loaders are put: one HTTP request, or one WebSocket connection.
pub trait Carrier: Sized {
    /// Whether loaders may keep what they loaded for the carrier's lifetime.
    /// A request is short; a WebSocket connection is not, and each event must
    /// see the database as it is now.
    const CACHES: bool;
    fn carry<D: std::any::Any + Send + Sync>(self, data: D) -> Self;
}

impl Carrier for async_graphql::Request {
    const CACHES: bool = true;
    fn carry<D: std::any::Any + Send + Sync>(self, data: D) -> Self {
        self.data(data)
    }
}

impl Carrier for async_graphql::Data {
    const CACHES: bool = false;
    fn carry<D: std::any::Any + Send + Sync>(mut self, data: D) -> Self {
        self.insert(data);
        self
    }
}

fn cached<C: Carrier, L: Loader<Uuid>>(loader: L) -> Cached<L> {
    let loader = DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default());
    loader.enable_all_cache(C::CACHES);
    loader
}

/// Adds this request's (or connection's) loaders.
pub fn attach<C: Carrier>(carrier: C, db: &DatabaseConnection, viewer: Option<&Viewer>) -> C {
    let mut carrier = carrier
        .carry(cached::<C, _>(CategoryLoader { db: db.clone() }))
        .carry(cached::<C, _>(ShareLoader { db: db.clone() }))
        .carry(cached::<C, _>(MemberLoader { db: db.clone() }))
        .carry(cached::<C, _>(ClaimLoader { db: db.clone() }))
        .carry(cached::<C, _>(ObservationLoader { db: db.clone() }))
        .carry(cached::<C, _>(ObserverLoader { db: db.clone() }));
    if let Some(viewer) = viewer {
        carrier = carrier.carry(cached::<C, _>(CoalitionLoader {
            db: db.clone(),
            viewer: viewer.clone(),
        }));
    }
    carrier
}

/// Loads, for a whole page of cases at once, what their nested fields will
/// ask for, so that a page costs the same number of statements whatever its
/// size (the loaders cache per request, so the resolvers then hit the cache).
pub async fn prefetch_cases(
    ctx: &async_graphql::Context<'_>,
    cases: &[crate::policy::cases::Seen<crate::store::case::Model>],
    with_shares: bool,
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = cases.iter().map(|c| c.model.id).collect();
    get::<CategoryLoader>(ctx)?
        .load_many(ids)
        .await
        .map_err(failed)?;
    if !with_shares {
        return Ok(());
    }
    let owned: Vec<Uuid> = cases
        .iter()
        .filter(|c| crate::policy::cases::may_read_sharing(c))
        .map(|c| c.model.id)
        .collect();
    let shares = get::<ShareLoader>(ctx)?
        .load_many(owned)
        .await
        .map_err(failed)?;
    let mut coalitions: Vec<Uuid> = shares
        .values()
        .flatten()
        .filter_map(|s| s.coalition_id)
        .collect();
    coalitions.sort();
    coalitions.dedup();
    if let Ok(loader) = get::<CoalitionLoader>(ctx) {
        loader.load_many(coalitions.clone()).await.map_err(failed)?;
    }
    get::<MemberLoader>(ctx)?
        .load_many(coalitions)
        .await
        .map_err(failed)?;
    Ok(())
}

/// A loader's shared error, logged and hidden like any other.
pub fn failed(e: Arc<AppError>) -> AppError {
    AppError::internal(e.to_string())
}

/// The loader of type `L` in this request.
pub fn get<'a, L: Send + Sync + 'static>(
    ctx: &'a async_graphql::Context<'_>,
) -> Result<&'a Cached<L>, AppError> {
    ctx.data_opt::<Cached<L>>().ok_or(AppError::Internal)
}

/// Every loader caches for the one request it lives in.
pub type Cached<L> = DataLoader<L, HashMapCache>;
