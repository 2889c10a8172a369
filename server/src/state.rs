//! What every request shares: the database pool, configuration, keys and
//! the per-process queues. It imports no use case (`service`): those read it.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::password::Hasher;
use crate::auth::token::TokenKeys;
use crate::clock::{SharedClock, SystemClock};
use crate::config::Config;
use crate::crypto::KeyRing;
use crate::error::{AppError, AppResult};
use crate::policy::Seen;
use crate::store::{hearing, roster_claim};

/// Claims waiting for their hearing's lock, per hearing, decided in batches
/// (`service::roster::claim`).
pub type ClaimQueue = crate::batch::GroupCommit<
    uuid::Uuid,
    crate::auth::Viewer,
    AppResult<(roster_claim::ClaimView, Seen<hearing::Model>)>,
>;

/// Claims per batch at most: half the executing places, so that while one
/// batch holds the hearing's lock the other half of the places read, check
/// and queue the next claims, and the next batch starts full as soon as the
/// lock is free. (Batches of 100 with 112 places left 12 to read meanwhile:
/// a full batch, then one of the 12, then the next hundred, with the
/// database idle between.)
fn claim_batch(config: &Config) -> usize {
    config.max_executing_requests / 2
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// Shared, like every field here: axum clones the state for each
    /// extractor and layer of every request, and cloning and dropping the
    /// keys (their validation sets, the key ring zeroized on drop) took
    /// about 7 % of a claim's instructions (callgrind, issue 28).
    pub keys: Arc<TokenKeys>,
    pub hasher: Hasher,
    /// CPU-heavy fields run here (`ACCORD_CPU_WORK_CONCURRENCY`).
    pub cpu: crate::work::CpuPool,
    pub keys_identity: Arc<KeyRing>,
    /// Injectable so that tests can move time.
    pub clock: SharedClock,
    /// Roster-change events for subscriptions.
    pub live: crate::live::Hub,
    /// Claims waiting for their hearing's lock, decided in batches.
    pub claims: Arc<ClaimQueue>,
    /// This server's metrics (`ACCORD_METRICS_BIND`).
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> AppResult<Self> {
        let keys = TokenKeys::new(
            config.jwt_secret(),
            &config.jwt_issuer,
            &config.jwt_audience,
            config.access_token_ttl_secs,
        );
        // Password checks run on a bounded pool (`ACCORD_PASSWORD_HASHING_CONCURRENCY`).
        let hasher = Hasher::new(
            config.argon2_memory_kib,
            config.argon2_iterations,
            config.password_hashing_concurrency(),
        )?;
        let cpu =
            crate::work::CpuPool::new(config.cpu_work_concurrency(), config.cpu_work_timeout());
        let keys_identity = config
            .identity_keys()
            .map_err(|e| AppError::internal(format!("ACCORD_IDENTITY_KEYS: {e}")))?;
        let metrics = Arc::new(crate::metrics::Metrics::new(config.metrics_bind.is_some()));
        let claims = Arc::new(ClaimQueue::with_max_batch(claim_batch(&config)));
        Ok(Self {
            db,
            config: Arc::new(config),
            keys: Arc::new(keys),
            hasher,
            cpu,
            keys_identity: Arc::new(keys_identity),
            clock: std::sync::Arc::new(SystemClock),
            live: crate::live::Hub::default(),
            claims,
            metrics,
        })
    }
}
