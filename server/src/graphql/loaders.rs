//! DataLoaders, built per request with the viewer inside, so that batching
//! never mixes two viewers and every batch starts from a policy scope.
//! Resolvers reach them through `one`, `rows` and `many` (find the loader,
//! load, hide its error), never by hand.
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::AppError;
use crate::policy::cases as case_policy;
use crate::policy::directory as directory_policy;
use crate::policy::hearings as hearing_policy;
use crate::policy::reports::{self as report_policy, SeenReport};
use crate::policy::statements::{self as statement_policy, SeenStatement};
use crate::policy::{Checked, Seen, key};
use crate::store::{
    attack_report_response, case_share, coalition, coalition_member, observation,
    observation_revision, organization, roster_claim, statement_participant, statement_version,
    user,
};

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<AppError>>;

fn db_error(e: sea_orm::DbErr) -> Arc<AppError> {
    Arc::new(AppError::from(e))
}

/// Groups rows under their key, keeping their order.
fn grouped<K: std::hash::Hash + Eq, R, V>(
    rows: Vec<R>,
    split: impl Fn(R) -> (K, V),
) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        let (key, value) = split(row);
        map.entry(key).or_default().push(value);
    }
    map
}

/// Loads rows for policy-checked keys and groups them back under those keys
/// (a row's own id is only ever matched against a key the policy issued).
/// Every key gets an entry, empty when it has no rows, so that the cache
/// remembers "none" too and a resolver does not ask again.
fn regroup<K, R, V>(
    keys: &[Checked<K>],
    rows: Vec<R>,
    split: impl Fn(R) -> (Uuid, V),
) -> HashMap<Checked<K>, Vec<V>> {
    let mut by_id = grouped(rows, split);
    keys.iter()
        .map(|k| (*k, by_id.remove(&k.uuid()).unwrap_or_default()))
        .collect()
}

/// A per-request loader of rows for policy-checked keys: one `$fetch` per
/// batch (through the policy), regrouped under the keys. `with viewer`
/// passes the request's viewer to `$fetch` too (for nested scopes).
macro_rules! checked_loader {
    ($(#[$m:meta])* $name:ident: $key:ty => $value:ty, $fetch:path, $split:expr) => {
        $(#[$m])*
        pub struct $name {
            db: DatabaseConnection,
        }

        impl Build for $name {
            fn build(db: &DatabaseConnection, _: Option<&Viewer>) -> Option<Self> {
                Some(Self { db: db.clone() })
            }
        }

        impl Loader<Checked<$key>> for $name {
            type Value = Vec<$value>;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[Checked<$key>]) -> LoadResult<Checked<$key>, Vec<$value>> {
                let rows = $fetch(&self.db, keys).await.map_err(Arc::new)?;
                Ok(regroup(keys, rows, $split))
            }
        }
    };
    ($(#[$m:meta])* $name:ident with viewer: $key:ty => $value:ty, $fetch:path, $split:expr) => {
        $(#[$m])*
        pub struct $name {
            db: DatabaseConnection,
            viewer: Viewer,
        }

        impl Build for $name {
            fn build(db: &DatabaseConnection, viewer: Option<&Viewer>) -> Option<Self> {
                Some(Self { db: db.clone(), viewer: viewer?.clone() })
            }
        }

        impl Loader<Checked<$key>> for $name {
            type Value = Vec<$value>;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[Checked<$key>]) -> LoadResult<Checked<$key>, Vec<$value>> {
                let rows = $fetch(&self.db, &self.viewer, keys)
                    .await
                    .map_err(Arc::new)?;
                Ok(regroup(keys, rows, $split))
            }
        }
    };
}

checked_loader!(
    /// Categories of many cases the viewer sees, in one query.
    CategoryLoader: key::Case => String,
    case_policy::categories_of,
    |r| (r.case_id, r.category)
);

checked_loader!(
    /// Shares of many cases the viewer's country owns, in one query.
    ShareLoader: key::Sharing => case_share::Model,
    case_policy::shares_of,
    |r| (r.case_id, r)
);

/// Coalitions by id, through the viewer's coalition scope: an id the viewer
/// may not see simply does not load.
pub struct CoalitionLoader {
    db: DatabaseConnection,
    viewer: Viewer,
}

impl Build for CoalitionLoader {
    fn build(db: &DatabaseConnection, viewer: Option<&Viewer>) -> Option<Self> {
        Some(Self {
            db: db.clone(),
            viewer: viewer?.clone(),
        })
    }
}

impl Loader<Uuid> for CoalitionLoader {
    type Value = coalition::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Uuid, coalition::Model> {
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

impl Build for MemberLoader {
    fn build(db: &DatabaseConnection, _: Option<&Viewer>) -> Option<Self> {
        Some(Self { db: db.clone() })
    }
}

impl Loader<Uuid> for MemberLoader {
    type Value = Vec<String>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Uuid, Vec<String>> {
        let rows = coalition_member::Entity::find()
            .filter(coalition_member::Column::CoalitionId.is_in(keys.iter().copied()))
            .order_by_asc(coalition_member::Column::Country)
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(grouped(rows, |r| (r.coalition_id, r.country)))
    }
}

checked_loader!(
    /// Rosters of many hearings the viewer sees, in queue order.
    ClaimLoader: key::Hearing => roster_claim::Model,
    hearing_policy::claims_of,
    |r| (r.hearing_id, r)
);

checked_loader!(
    /// Observations of many hearings the viewer sees, oldest first.
    ObservationLoader: key::Hearing => observation::Model,
    hearing_policy::observations_of,
    |r| (r.hearing_id, r)
);

checked_loader!(
    /// Histories of many observations the viewer sees, oldest first.
    RevisionLoader: key::Observation => observation_revision::Model,
    hearing_policy::revisions_of,
    |r| (r.observation_id, r)
);

/// Observers' user records, by keys the hearing policy issued
/// (`policy::hearings::observer_key`).
pub struct ObserverLoader {
    db: DatabaseConnection,
}

impl Build for ObserverLoader {
    fn build(db: &DatabaseConnection, _: Option<&Viewer>) -> Option<Self> {
        Some(Self { db: db.clone() })
    }
}

impl Loader<Checked<key::Observer>> for ObserverLoader {
    type Value = user::Model;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[Checked<key::Observer>],
    ) -> LoadResult<Checked<key::Observer>, user::Model> {
        let rows = hearing_policy::observers(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        let mut by_id: HashMap<Uuid, user::Model> = rows.into_iter().map(|u| (u.id, u)).collect();
        Ok(keys
            .iter()
            .filter_map(|k| by_id.remove(&k.uuid()).map(|u| (*k, u)))
            .collect())
    }
}

checked_loader!(
    /// Attack types of many reports the viewer sees, in one query.
    ReportTypeLoader: key::Report => String,
    report_policy::types_of,
    |r| (r.report_id, r.attack_type)
);

checked_loader!(
    /// Perpetrator types of many reports the viewer sees, in one query.
    PerpetratorLoader: key::Report => String,
    report_policy::perpetrators_of,
    |r| (r.report_id, r.perpetrator_type)
);

checked_loader!(
    /// Every recipient's response on many reports the viewer sees, in one query.
    ResponseLoader: key::Report => attack_report_response::Model,
    report_policy::responses_of,
    |r| (r.report_id, r)
);

checked_loader!(
    /// Earlier reports named by many reports, as far as the viewer sees them.
    PriorLoader with viewer: key::Report => SeenReport,
    report_policy::priors_of,
    |r| r
);

checked_loader!(
    /// Cases linked to many reports, as far as the viewer sees those cases.
    LinkedCaseLoader with viewer: key::Report => Seen<crate::store::case::Model>,
    report_policy::linked_cases_of,
    |r| r
);

checked_loader!(
    /// Reports linked to many cases the viewer sees, as far as the viewer sees
    /// those reports, in incident order.
    CaseReportLoader with viewer: key::Case => SeenReport,
    report_policy::linked_to_cases,
    |r| r
);

/// Organizations by id, through the viewer's organization scope.
pub struct OrganizationLoader {
    db: DatabaseConnection,
    viewer: Viewer,
}

impl Build for OrganizationLoader {
    fn build(db: &DatabaseConnection, viewer: Option<&Viewer>) -> Option<Self> {
        Some(Self {
            db: db.clone(),
            viewer: viewer?.clone(),
        })
    }
}

impl Loader<Uuid> for OrganizationLoader {
    type Value = organization::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> LoadResult<Uuid, organization::Model> {
        let rows = directory_policy::organizations(&self.viewer)
            .filter(organization::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().map(|o| (o.id, o)).collect())
    }
}

checked_loader!(
    /// Versions of many statements the viewer sees, oldest first, in one query.
    VersionLoader: key::Statement => statement_version::Model,
    statement_policy::versions_of,
    |r| (r.statement_id, r)
);

/// Single versions `(statement, number)` of statements the viewer sees, in
/// one query per batch (`currentVersion`, `finalVersion`, `version`, `diff`):
/// none of them loads every version.
pub struct VersionNumberLoader {
    db: DatabaseConnection,
}

impl Build for VersionNumberLoader {
    fn build(db: &DatabaseConnection, _: Option<&Viewer>) -> Option<Self> {
        Some(Self { db: db.clone() })
    }
}

impl Loader<(Checked<key::Statement>, i32)> for VersionNumberLoader {
    type Value = statement_version::Model;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(Checked<key::Statement>, i32)],
    ) -> LoadResult<(Checked<key::Statement>, i32), statement_version::Model> {
        let rows = statement_policy::versions_numbered(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        // A row answers only a key the policy issued.
        Ok(keys
            .iter()
            .filter_map(|&(k, n)| {
                rows.iter()
                    .find(|r| r.statement_id == k.uuid() && r.number == n)
                    .map(|r| ((k, n), r.clone()))
            })
            .collect())
    }
}

checked_loader!(
    /// Participants of many statements the viewer sees, in one query.
    ParticipantLoader: key::Statement => statement_participant::Model,
    statement_policy::participants_of,
    |r| (r.statement_id, r)
);

checked_loader!(
    /// Cases linked to many statements, as far as the viewer sees those cases.
    StatementCaseLoader with viewer: key::Statement => Seen<crate::store::case::Model>,
    statement_policy::linked_cases_of,
    |r| r
);

/// What a page of statements asks for of each statement.
#[derive(Default)]
pub struct StatementParts {
    /// `versions`: every version.
    pub versions: bool,
    /// `currentVersion`, `finalVersion`: one version each.
    pub current: bool,
    pub final_version: bool,
    pub participants: bool,
    pub cases: bool,
}

/// Loads, for a page of statements, the parts its selection asks for, each
/// in one query; nothing that is not asked (every version of every
/// statement can be 100 × 50,000 characters).
pub async fn prefetch_statements(
    ctx: &async_graphql::Context<'_>,
    statements: &[SeenStatement],
    parts: StatementParts,
) -> Result<(), AppError> {
    let keys: Vec<_> = statements.iter().map(|s| s.key()).collect();
    if parts.versions {
        many::<VersionLoader, _>(ctx, keys.clone()).await?;
    }
    let mut numbered = Vec::new();
    for s in statements {
        if parts.current {
            numbered.push((s.key(), s.model().current_version));
        }
        if parts.final_version
            && let Some(n) = s.model().final_version
        {
            numbered.push((s.key(), n));
        }
    }
    if !numbered.is_empty() {
        many::<VersionNumberLoader, _>(ctx, numbered).await?;
    }
    if parts.participants {
        many::<ParticipantLoader, _>(ctx, keys.clone()).await?;
    }
    if parts.cases {
        many::<StatementCaseLoader, _>(ctx, keys).await?;
    }
    Ok(())
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

/// A loader built from what a request carries; `None` when it needs a
/// viewer and the request has none (it is then missing, not unscoped).
pub trait Build: Sized + Send + Sync + 'static {
    fn build(db: &DatabaseConnection, viewer: Option<&Viewer>) -> Option<Self>;
}

/// The loaders of one request (or connection), each built the first time a
/// resolver asks for it: a page that uses one loader builds one, not twenty.
pub struct Loaders {
    db: DatabaseConnection,
    viewer: Option<Viewer>,
    caches: bool,
    built: std::sync::Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Loaders {
    /// This request's loader of type `L`, built on first use.
    fn get<L: Build>(&self) -> Result<Arc<Cached<L>>, AppError> {
        let missing = || AppError::internal("loader missing from the request");
        let mut built = self.built.lock().map_err(|_| missing())?;
        if let Some(loader) = built.get(&TypeId::of::<L>()) {
            return Arc::clone(loader).downcast().map_err(|_| missing());
        }
        let loader = L::build(&self.db, self.viewer.as_ref()).ok_or_else(missing)?;
        let loader = Arc::new(DataLoader::with_cache(
            loader,
            tokio::spawn,
            HashMapCache::default(),
        ));
        loader.enable_all_cache(self.caches);
        built.insert(TypeId::of::<L>(), loader.clone());
        Ok(loader)
    }
}

/// Gives this request (or connection) its loaders, scoped to `viewer`.
pub fn attach<C: Carrier>(carrier: C, db: &DatabaseConnection, viewer: Option<&Viewer>) -> C {
    carrier.carry(Loaders {
        db: db.clone(),
        viewer: viewer.cloned(),
        caches: C::CACHES,
        built: std::sync::Mutex::default(),
    })
}

/// Loads, for a whole page of cases at once, what their nested fields will
/// ask for, so that a page costs the same number of statements whatever its
/// size (the loaders cache per request, so the resolvers then hit the cache).
pub async fn prefetch_cases(
    ctx: &async_graphql::Context<'_>,
    cases: &[Seen<crate::store::case::Model>],
    wants: CaseFields,
) -> Result<(), AppError> {
    let keys: Vec<_> = cases.iter().map(|c| c.key()).collect();
    if wants.reports {
        many::<CaseReportLoader, _>(ctx, keys.clone()).await?;
    }
    if wants.categories {
        many::<CategoryLoader, _>(ctx, keys).await?;
    }
    if !wants.shares {
        return Ok(());
    }
    let owned: Vec<_> = cases.iter().filter_map(case_policy::sharing_key).collect();
    let shares = many::<ShareLoader, _>(ctx, owned).await?;
    if !wants.share_coalitions {
        return Ok(());
    }
    let mut coalitions: Vec<Uuid> = shares
        .values()
        .flatten()
        .filter_map(|s| s.coalition_id)
        .collect();
    coalitions.sort();
    coalitions.dedup();
    if get::<CoalitionLoader>(ctx).is_ok() {
        many::<CoalitionLoader, _>(ctx, coalitions.clone()).await?;
    }
    many::<MemberLoader, _>(ctx, coalitions).await?;
    Ok(())
}

/// Which nested fields of a page of cases the query asks for: only those
/// are loaded (a page that does not show categories does not read them).
#[derive(Clone, Copy, Default)]
pub struct CaseFields {
    pub categories: bool,
    pub shares: bool,
    /// `shares { coalition { … } }`.
    pub share_coalitions: bool,
    pub reports: bool,
}

/// Which nested fields of a page of reports the query asks for.
#[derive(Default)]
pub struct ReportFields {
    pub attack_types: bool,
    pub perpetrator_types: bool,
    pub responses: bool,
    pub priors: bool,
    pub cases: bool,
    pub organization: bool,
}

/// Loads, for a whole page of reports at once, what their nested fields will
/// ask for (as `prefetch_cases`), so that a page of 50 costs the statements
/// of a page of 2.
pub async fn prefetch_reports(
    ctx: &async_graphql::Context<'_>,
    reports: &[SeenReport],
    wants: ReportFields,
) -> Result<(), AppError> {
    let keys: Vec<_> = reports.iter().map(|r| r.key()).collect();
    if wants.attack_types {
        many::<ReportTypeLoader, _>(ctx, keys.clone()).await?;
    }
    if wants.perpetrator_types {
        many::<PerpetratorLoader, _>(ctx, keys.clone()).await?;
    }
    if wants.responses {
        many::<ResponseLoader, _>(ctx, keys.clone()).await?;
    }
    if wants.priors {
        many::<PriorLoader, _>(ctx, keys.clone()).await?;
    }
    if wants.cases {
        many::<LinkedCaseLoader, _>(ctx, keys.clone()).await?;
    }
    if wants.organization {
        let mut orgs: Vec<Uuid> = reports
            .iter()
            .filter_map(|r| r.model().organization_id)
            .collect();
        orgs.sort();
        orgs.dedup();
        many::<OrganizationLoader, _>(ctx, orgs).await?;
    }
    Ok(())
}

/// A loader's shared error, logged and hidden like any other (an outage
/// stays `UNAVAILABLE`).
pub fn failed(e: Arc<AppError>) -> AppError {
    match &*e {
        AppError::Internal(_) => AppError::internal(e.cause_chain()),
        AppError::Unavailable { retry_after_secs } => AppError::Unavailable {
            retry_after_secs: *retry_after_secs,
        },
        _ => AppError::internal(e.to_string()),
    }
}

fn loaders<'a>(ctx: &'a async_graphql::Context<'_>) -> Result<&'a Loaders, AppError> {
    ctx.data_opt::<Loaders>()
        .ok_or_else(|| AppError::internal("loaders missing from the request"))
}

/// The loader of type `L` in this request.
pub fn get<L: Build>(ctx: &async_graphql::Context<'_>) -> Result<Arc<Cached<L>>, AppError> {
    loaders(ctx)?.get::<L>()
}

/// What `key` loads to through `L` in this request (the one call chain of
/// every nested resolver: find the loader, load, hide its error).
pub async fn one<L, K>(
    ctx: &async_graphql::Context<'_>,
    key: K,
) -> Result<Option<L::Value>, AppError>
where
    L: Loader<K, Error = Arc<AppError>> + Build,
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
{
    get::<L>(ctx)?.load_one(key).await.map_err(failed)
}

/// The rows `key` loads to through `L`, empty when none.
pub async fn rows<L, K, V>(ctx: &async_graphql::Context<'_>, key: K) -> Result<Vec<V>, AppError>
where
    L: Loader<K, Value = Vec<V>, Error = Arc<AppError>> + Build,
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
{
    Ok(one::<L, K>(ctx, key).await?.unwrap_or_default())
}

/// What each of `keys` loads to through `L`, in one batch loaded right
/// here and then kept in the request's cache: a page's prefetch knows all
/// its keys at once, so it neither waits for more (the loader's batching
/// delay) nor hands the load to another task.
pub async fn many<L, K>(
    ctx: &async_graphql::Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> Result<HashMap<K, L::Value>, AppError>
where
    L: Loader<K, Error = Arc<AppError>> + Build,
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
{
    let loaders = loaders(ctx)?;
    let loader = loaders.get::<L>()?;
    let keys: Vec<K> = keys
        .into_iter()
        .collect::<std::collections::HashSet<K>>()
        .into_iter()
        .collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let found = loader.loader().load(&keys).await.map_err(failed)?;
    // A connection's loaders keep nothing (each event reads afresh): feeding
    // them would only grow a cache nobody reads.
    if loaders.caches {
        loader.feed_many(found.clone()).await;
    }
    Ok(found)
}

/// Every loader caches for the one request it lives in.
pub type Cached<L> = DataLoader<L, HashMapCache>;

#[cfg(test)]
mod tests {
    use super::*;

    fn loaders(caches: bool) -> Loaders {
        Loaders {
            db: DatabaseConnection::default(),
            viewer: None,
            caches,
            built: std::sync::Mutex::default(),
        }
    }

    /// A loader is built once per request and then shared; one scoped to a
    /// viewer is missing without a viewer, never built unscoped.
    #[test]
    fn built_once_and_never_without_its_viewer() {
        let l = loaders(true);
        let first = l.get::<MemberLoader>().expect("built");
        let again = l.get::<MemberLoader>().expect("kept");
        assert!(Arc::ptr_eq(&first, &again));
        assert!(l.get::<CoalitionLoader>().is_err());
        assert!(l.get::<CaseReportLoader>().is_err());
        assert_eq!(l.built.lock().map(|b| b.len()).unwrap_or(0), 1);
    }
}
