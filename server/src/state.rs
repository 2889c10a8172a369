//! What every request shares: the database pool, configuration and keys.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::password::Hasher;
use crate::auth::token::TokenKeys;
use crate::config::Config;
use crate::error::AppResult;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: TokenKeys,
    pub hasher: Hasher,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config) -> AppResult<Self> {
        let keys = TokenKeys::new(
            config.jwt_secret(),
            &config.jwt_issuer,
            &config.jwt_audience,
            config.access_token_ttl_secs,
        );
        let hasher = Hasher::new(config.argon2_memory_kib, config.argon2_iterations)?;
        Ok(Self {
            db,
            config: Arc::new(config),
            keys,
            hasher,
        })
    }
}
