//! One typed configuration. Defaults run development mode on a local SQLite file
//! with demo data; environment variables (and an optional TOML file named by
//! `ACCORD_CONFIG`) override; production mode refuses unsafe settings.
use std::net::SocketAddr;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The signing key used when none is configured in development. Published in
/// the source, hence refused in production.
pub const DEVELOPMENT_JWT_SECRET: &str = "accord-development-signing-key--not-for-production";

/// The smallest `ACCORD_MAX_RESPONSE_BYTES` accepted.
pub const MIN_RESPONSE_BYTES: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://path?mode=rwc` or `postgres://…`.
    pub database_url: String,
    /// `ACCORD_DIRECT_DATABASE_URL`: PostgreSQL itself (or a pooler in
    /// session mode), for what a transaction-mode pooler in `DATABASE_URL`
    /// cannot carry: the live-update `LISTEN` and the migrations. Unset, both
    /// use `DATABASE_URL`.
    pub direct_database_url: Option<String>,
    /// `ACCORD_DB_MAX_CONNECTIONS`: PostgreSQL pool size per process.
    pub db_max_connections: u32,
    /// `ACCORD_BIND`.
    pub bind: SocketAddr,
    /// `ACCORD_MODE`.
    pub mode: Mode,
    /// `ACCORD_DEMO`: build the demo world on an empty database (development only).
    pub demo: Option<bool>,
    /// `ACCORD_PUBLIC_URL`: the address users reach, for links in email and
    /// the origin whose pages may open the WebSocket. In development, when
    /// only `ACCORD_BIND` is set, it follows the bind address (`Config::load`).
    pub public_url: String,
    /// `ACCORD_ALLOWED_ORIGINS`: comma-separated origins (`https://app.example.org`)
    /// whose pages may open the WebSocket, besides `public_url`'s own.
    pub allowed_origins: Option<String>,
    /// `ACCORD_JWT_SECRET`: HMAC-SHA256 key for access tokens (≥ 32 bytes).
    #[serde(serialize_with = "serialize_secret")]
    pub jwt_secret: Option<SecretString>,
    /// `ACCORD_IDENTITY_KEYS`: `id:base64(32 bytes)[,id:base64…]`; the first
    /// seals identity fields, all open them (rotation: add a new first key,
    /// run `accord rotate-keys`, then drop the old one).
    #[serde(serialize_with = "serialize_secret")]
    pub identity_keys: Option<SecretString>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// Failed logins for one email within the window before it is locked.
    pub login_max_failures: i32,
    pub login_lockout_secs: i64,
    /// `ACCORD_LOGIN_MAX_FAILURES_PER_ADDRESS`: failed logins from one client
    /// address (IPv6: its /64), whatever the emails, within
    /// `login_address_lockout_secs` before the address is locked that long.
    pub login_max_failures_per_address: i32,
    /// `ACCORD_LOGIN_ADDRESS_LOCKOUT_SECS`: window and lockout for the above.
    pub login_address_lockout_secs: i64,
    /// `ACCORD_PASSWORD_HASHING_CONCURRENCY`: password checks run at once
    /// (twice as many may wait; more get RATE_LIMITED); unset = CPUs.
    pub password_hashing_concurrency: Option<usize>,
    /// `ACCORD_CPU_WORK_CONCURRENCY`: CPU-heavy fields (`Statement.diff`)
    /// run at once, off the async workers (twice as many may wait, each at
    /// most 1 s; more get RATE_LIMITED); unset = CPUs.
    pub cpu_work_concurrency: Option<usize>,
    /// `ACCORD_CPU_WORK_TIMEOUT_MS`: the longest a CPU-heavy field may run
    /// before it is answered UNAVAILABLE; its search gives up at half of it
    /// and falls back to a coarser answer.
    pub cpu_work_timeout_ms: u64,
    /// Argon2id cost; lower only for tests.
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub bootstrap_admin_email: Option<String>,
    #[serde(serialize_with = "serialize_secret")]
    pub bootstrap_admin_password: Option<SecretString>,
    /// `ACCORD_SMTP_URL`, e.g. `smtps://user:pass@mail.example.org:465`; unset logs email.
    #[serde(serialize_with = "serialize_secret")]
    pub smtp_url: Option<SecretString>,
    pub smtp_from: String,
    /// `ACCORD_OUTBOX_POLL_MS`: how often the email worker looks for due messages.
    pub outbox_poll_ms: u64,
    /// `ACCORD_COVERAGE_DIGEST`: whether the weekly coverage digest is
    /// queued at all (coordinators choose their day or off; this is the
    /// operator's switch for the whole service).
    pub coverage_digest: bool,
    pub log_format: LogFormat,
    /// `ACCORD_REPORT_SUBMISSIONS_PER_HOUR`: attack reports one user may
    /// submit in any hour (retries with the same `submissionKey` are free).
    pub report_submissions_per_hour: u32,
    /// `ACCORD_REPORT_RENOTIFY_HOURS`: a report no one in a recipient country
    /// has acknowledged after this long re-notifies that country, once.
    pub report_renotify_hours: i64,
    /// `ACCORD_REPORT_RETENTION_DAYS`: a report every recipient closed as
    /// NO_ACTION has its description erased this long after the last close.
    pub report_retention_days: i64,
    /// `ACCORD_RATE_PER_USER_PER_MINUTE`: `POST /graphql` requests one
    /// signed-in user may make per minute (a minute's worth may come at once).
    pub rate_per_user_per_minute: u32,
    /// `ACCORD_RATE_PER_ADDRESS_PER_MINUTE`: `POST /graphql` requests and
    /// WebSocket upgrades per minute from one client address (IPv6: per /64).
    pub rate_per_address_per_minute: u32,
    /// `ACCORD_REQUEST_TIMEOUT_SECS`: an HTTP request still running after
    /// this long is stopped and answered 408.
    pub request_timeout_secs: u64,
    /// `ACCORD_MAX_EXECUTING_REQUESTS`: `POST /graphql` requests executed at
    /// once by this process; more wait (within the request timeout) before
    /// anything of theirs is built, which bounds memory under a burst.
    pub max_executing_requests: usize,
    /// `ACCORD_MAX_OPEN_REQUESTS`: requests this process holds open at once
    /// (read, waiting, executing or being answered); the next connection's
    /// bytes stay unread, in the kernel, until one is answered (`http/listener.rs`).
    /// At least `ACCORD_MAX_EXECUTING_REQUESTS`.
    pub max_open_requests: usize,
    /// `ACCORD_DB_ACQUIRE_TIMEOUT_MS`: the longest a request waits for a
    /// database connection (PostgreSQL: connecting included) or, on SQLite,
    /// for a lock another process holds; then it is answered `UNAVAILABLE`.
    /// Must be below the request timeout, so an outage gets a coded answer.
    pub db_acquire_timeout_ms: u64,
    /// `ACCORD_READINESS_TIMEOUT_MS`: `/readyz` answers 503 when the
    /// database has not answered its probe within this long.
    pub readiness_timeout_ms: u64,
    /// `ACCORD_METRICS_BIND`: where Prometheus metrics are served
    /// (`GET /metrics`); unset, nowhere. Never the public bind.
    pub metrics_bind: Option<SocketAddr>,
    /// Limits on one GraphQL request.
    pub max_query_depth: usize,
    pub max_query_complexity: usize,
    /// `ACCORD_MAX_RESPONSE_BYTES`: the largest GraphQL answer sent, per
    /// `POST /graphql` response and per WebSocket event (its payload); a
    /// larger one is replaced by a `BAD_USER_INPUT` error (`graphql/size.rs`).
    pub max_response_bytes: usize,
    /// `ACCORD_WS_MAX_SUBSCRIPTIONS`: subscriptions one WebSocket connection
    /// may hold at once; one more is answered `error` RATE_LIMITED.
    pub ws_max_subscriptions: usize,
    /// `ACCORD_WS_MAX_CONNECTIONS_PER_USER`: WebSocket connections one user
    /// may hold on one server process; one more is closed 4429.
    pub ws_max_connections_per_user: usize,
    /// `ACCORD_WS_MAX_MESSAGES_PER_MINUTE`: messages a WebSocket client may
    /// send per minute (bursts up to this many); more closes it with 4429.
    pub ws_max_messages_per_minute: u32,
    /// `ACCORD_REQUIRE_SECOND_FACTOR_FOR_STAFF`: whether admins and operators
    /// must sign in with a second factor (or single sign-on); unset, on in
    /// production and off in development (`second_factor_for_staff`).
    pub require_second_factor_for_staff: Option<bool>,
}

fn serialize_secret<S: serde::Serializer>(
    value: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(secret) => s.serialize_some(secret.expose_secret()),
        None => s.serialize_none(),
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://accord.db?mode=rwc".into(),
            direct_database_url: None,
            db_max_connections: 16,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            mode: Mode::Development,
            demo: None,
            public_url: "http://127.0.0.1:8080".into(),
            allowed_origins: None,
            jwt_secret: None,
            identity_keys: None,
            jwt_issuer: "accord".into(),
            jwt_audience: "accord-api".into(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            login_max_failures: 5,
            login_lockout_secs: 15 * 60,
            login_max_failures_per_address: 50,
            login_address_lockout_secs: 15 * 60,
            password_hashing_concurrency: None,
            cpu_work_concurrency: None,
            cpu_work_timeout_ms: 2000,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            bootstrap_admin_email: None,
            bootstrap_admin_password: None,
            smtp_url: None,
            smtp_from: "Accord <no-reply@accord.invalid>".into(),
            outbox_poll_ms: 1000,
            coverage_digest: true,
            log_format: LogFormat::Text,
            report_submissions_per_hour: 20,
            report_renotify_hours: 72,
            report_retention_days: 180,
            rate_per_user_per_minute: 600,
            rate_per_address_per_minute: 1200,
            request_timeout_secs: 30,
            max_executing_requests: 112,
            max_open_requests: 224,
            db_acquire_timeout_ms: 3000,
            readiness_timeout_ms: 1000,
            metrics_bind: None,
            max_query_depth: 12,
            max_query_complexity: 2000,
            max_response_bytes: 4 * 1024 * 1024,
            ws_max_subscriptions: 20,
            ws_max_connections_per_user: 5,
            ws_max_messages_per_minute: 120,
            require_second_factor_for_staff: None,
        }
    }
}

/// Why the configuration cannot be used; the message names the variable to set.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration could not be read: {0}")]
    Read(String),
    #[error("{0}")]
    Unsafe(String),
}

impl Config {
    /// Defaults, then the file named by `ACCORD_CONFIG`, then `ACCORD_*` and
    /// `DATABASE_URL` from the environment; then the production checks.
    pub fn load() -> Result<Self, ConfigError> {
        // What the file and the environment set, apart from the defaults.
        let mut overrides = Figment::new();
        if let Ok(path) = std::env::var("ACCORD_CONFIG") {
            overrides = overrides.merge(Toml::file_exact(path));
        }
        let overrides = overrides
            .merge(Env::prefixed("ACCORD_").ignore(&["CONFIG"]))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        let mut config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(overrides.clone())
            .extract()
            .map_err(|e| ConfigError::Read(e.to_string()))?;
        let set = |key: &str| overrides.contains(key);
        config.follow_bind(set("public_url"), set("bind"));
        config.validate()?;
        Ok(config)
    }

    /// In development, a public URL nobody set follows an `ACCORD_BIND` that
    /// was set: a new user who only moves the port gets email and calendar
    /// links to that port, and GraphiQL's page may open the WebSocket. An
    /// unspecified bind address (`0.0.0.0`) becomes the loopback address; a
    /// port 0 (chosen at bind time) leaves the default.
    pub fn follow_bind(&mut self, public_url_set: bool, bind_set: bool) {
        if self.mode != Mode::Development || public_url_set || !bind_set || self.bind.port() == 0 {
            return;
        }
        self.public_url = local_url(self.bind);
    }

    /// In development, why the public URL does not lead to `bound` (a
    /// different port, or a non-loopback host while only loopback is
    /// bound): the warning logged at start-up. `None` in production, where a
    /// reverse proxy usually stands between them.
    pub fn public_url_mismatch(&self, bound: SocketAddr) -> Option<String> {
        if self.mode != Mode::Development {
            return None;
        }
        let origin = web_origin(&self.public_url)?;
        let (scheme, authority) = origin.split_once("://")?;
        let (host, port) = split_host_port(authority);
        let port = match port {
            Some(p) => p.parse::<u16>().ok()?,
            None if scheme == "https" => 443,
            None => 80,
        };
        let elsewhere =
            port != bound.port() || (bound.ip().is_loopback() && !is_loopback_host(host));
        elsewhere.then(|| {
            format!(
                "ACCORD_PUBLIC_URL is {} but the server listens on {bound}: links in email and calendars lead elsewhere, and a browser at {} is refused the WebSocket (its Origin is not the public URL's); set ACCORD_PUBLIC_URL to the address users open, or leave it unset in development to follow ACCORD_BIND",
                self.public_url,
                local_url(bound),
            )
        })
    }

    /// Refuses settings that would be unsafe in production.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let unsafe_ = |m: &str| Err(ConfigError::Unsafe(m.to_owned()));
        if self.access_token_ttl_secs <= 0 || self.refresh_token_ttl_secs <= 0 {
            return unsafe_(
                "ACCORD_ACCESS_TOKEN_TTL_SECS and ACCORD_REFRESH_TOKEN_TTL_SECS must be positive",
            );
        }
        if self.report_submissions_per_hour < 1
            || self.report_renotify_hours < 1
            || self.report_retention_days < 1
        {
            return unsafe_(
                "ACCORD_REPORT_SUBMISSIONS_PER_HOUR, ACCORD_REPORT_RENOTIFY_HOURS and ACCORD_REPORT_RETENTION_DAYS must be at least 1",
            );
        }
        if self.ws_max_subscriptions < 1
            || self.ws_max_connections_per_user < 1
            || self.ws_max_messages_per_minute < 1
        {
            return unsafe_(
                "ACCORD_WS_MAX_SUBSCRIPTIONS, ACCORD_WS_MAX_CONNECTIONS_PER_USER and ACCORD_WS_MAX_MESSAGES_PER_MINUTE must be at least 1",
            );
        }
        if self.login_max_failures < 1 || self.login_lockout_secs < 1 {
            return unsafe_(
                "ACCORD_LOGIN_MAX_FAILURES and ACCORD_LOGIN_LOCKOUT_SECS must be positive",
            );
        }
        if self.login_max_failures_per_address < 1
            || self.login_address_lockout_secs < 1
            || self.password_hashing_concurrency == Some(0)
        {
            return unsafe_(
                "ACCORD_LOGIN_MAX_FAILURES_PER_ADDRESS, ACCORD_LOGIN_ADDRESS_LOCKOUT_SECS and ACCORD_PASSWORD_HASHING_CONCURRENCY must be at least 1",
            );
        }
        if self.cpu_work_concurrency == Some(0) || self.cpu_work_timeout_ms < 1 {
            return unsafe_(
                "ACCORD_CPU_WORK_CONCURRENCY and ACCORD_CPU_WORK_TIMEOUT_MS must be at least 1",
            );
        }
        if self.rate_per_user_per_minute < 1
            || self.rate_per_address_per_minute < 1
            || self.request_timeout_secs < 1
            || self.max_executing_requests < 1
        {
            return unsafe_(
                "ACCORD_RATE_PER_USER_PER_MINUTE, ACCORD_RATE_PER_ADDRESS_PER_MINUTE, ACCORD_REQUEST_TIMEOUT_SECS and ACCORD_MAX_EXECUTING_REQUESTS must be at least 1",
            );
        }
        if self.max_open_requests < self.max_executing_requests {
            return unsafe_(
                "ACCORD_MAX_OPEN_REQUESTS must be at least ACCORD_MAX_EXECUTING_REQUESTS: a request is open before it executes",
            );
        }
        if self.db_acquire_timeout_ms < 100
            || self.db_acquire_timeout_ms >= self.request_timeout_secs.saturating_mul(1000)
        {
            return unsafe_(
                "ACCORD_DB_ACQUIRE_TIMEOUT_MS must be at least 100 and below ACCORD_REQUEST_TIMEOUT_SECS (in milliseconds), so that a database outage is answered UNAVAILABLE before the request times out",
            );
        }
        if let Some(metrics) = self.metrics_bind
            && metrics.port() != 0
            && metrics.port() == self.bind.port()
            && (metrics.ip() == self.bind.ip()
                || metrics.ip().is_unspecified()
                || self.bind.ip().is_unspecified())
        {
            return unsafe_(
                "ACCORD_METRICS_BIND must not be the public ACCORD_BIND: metrics go on a listener of their own (e.g. 127.0.0.1:9464)",
            );
        }
        if self.max_response_bytes < MIN_RESPONSE_BYTES {
            return Err(ConfigError::Unsafe(format!(
                "ACCORD_MAX_RESPONSE_BYTES must be at least {MIN_RESPONSE_BYTES}: the refusal of a larger answer must fit in it"
            )));
        }
        if let Some(direct) = &self.direct_database_url
            && !(is_postgres_url(&self.database_url) && is_postgres_url(direct))
        {
            return unsafe_(
                "ACCORD_DIRECT_DATABASE_URL is for PostgreSQL behind a pooler: it must be a postgres:// URL, and DATABASE_URL one too",
            );
        }
        if self.readiness_timeout_ms < 50 {
            return unsafe_("ACCORD_READINESS_TIMEOUT_MS must be at least 50");
        }
        if let Some(secret) = &self.jwt_secret
            && secret.expose_secret().len() < 32
        {
            return unsafe_("ACCORD_JWT_SECRET must be at least 32 bytes long");
        }
        if let Some(keys) = &self.identity_keys
            && let Err(e) = crate::crypto::KeyRing::parse(keys.expose_secret())
        {
            return Err(ConfigError::Unsafe(format!("ACCORD_IDENTITY_KEYS: {e}")));
        }
        if let Err(e) = self.websocket_origins() {
            return Err(ConfigError::Unsafe(e));
        }
        if self.mode == Mode::Production {
            match &self.jwt_secret {
                None => {
                    return unsafe_(
                        "production mode needs a signing key: set ACCORD_JWT_SECRET to at least 32 random bytes (e.g. `openssl rand -base64 48`)",
                    );
                }
                Some(s) if s.expose_secret() == DEVELOPMENT_JWT_SECRET => {
                    return unsafe_(
                        "ACCORD_JWT_SECRET is the published development key; set a secret of your own for production",
                    );
                }
                Some(_) => {}
            }
            match &self.identity_keys {
                None => {
                    return unsafe_(
                        "production mode needs an identity encryption key: set ACCORD_IDENTITY_KEYS to id:base64 of 32 random bytes (e.g. `k1:$(openssl rand -base64 32)`)",
                    );
                }
                Some(k) if k.expose_secret().contains(crate::crypto::DEVELOPMENT_KEY) => {
                    return unsafe_(
                        "ACCORD_IDENTITY_KEYS contains the published development key; use keys of your own in production",
                    );
                }
                Some(_) => {}
            }
            if self.argon2_memory_kib < 19 * 1024 || self.argon2_iterations < 2 {
                return unsafe_(
                    "ACCORD_ARGON2_MEMORY_KIB must be at least 19456 and ACCORD_ARGON2_ITERATIONS at least 2 in production",
                );
            }
            if self.demo == Some(true) {
                return unsafe_("ACCORD_DEMO=true is not allowed in production mode");
            }
        }
        Ok(())
    }

    /// Where the live-update listener and the migrations connect: the direct
    /// URL when one is set (`DATABASE_URL` may lead to a pooler in
    /// transaction mode, which cannot keep a `LISTEN`).
    pub fn direct_url(&self) -> &str {
        self.direct_database_url
            .as_deref()
            .unwrap_or(&self.database_url)
    }

    pub fn db_acquire_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.db_acquire_timeout_ms)
    }

    pub fn readiness_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.readiness_timeout_ms)
    }

    /// Password checks run at once: as configured, else the number of CPUs.
    pub fn password_hashing_concurrency(&self) -> usize {
        self.password_hashing_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    }

    /// CPU-heavy fields run at once: as configured, else the number of CPUs.
    pub fn cpu_work_concurrency(&self) -> usize {
        self.cpu_work_concurrency
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    }

    pub fn cpu_work_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.cpu_work_timeout_ms)
    }

    /// Whether to build the demo world on an empty database.
    pub fn demo_enabled(&self) -> bool {
        self.mode == Mode::Development && self.demo.unwrap_or(true)
    }

    /// Whether a single sign-on issuer may be reached over plain HTTP at
    /// `host`: only on this machine (a test provider) and only in
    /// development; production needs HTTPS.
    pub fn allows_plain_http_issuer(&self, host: &str) -> bool {
        self.mode == Mode::Development && is_loopback_host(host)
    }

    /// Whether the platform requires admins and operators to sign in with a
    /// second factor: `ACCORD_REQUIRE_SECOND_FACTOR_FOR_STAFF`, else on in
    /// production and off in development.
    pub fn second_factor_for_staff(&self) -> bool {
        self.require_second_factor_for_staff
            .unwrap_or(self.mode == Mode::Production)
    }

    /// The identity key ring (the development key when none is configured).
    pub fn identity_keys(&self) -> Result<crate::crypto::KeyRing, String> {
        crate::crypto::KeyRing::parse(
            self.identity_keys
                .as_ref()
                .map(|s| s.expose_secret())
                .unwrap_or(crate::crypto::DEVELOPMENT_KEY),
        )
    }

    /// The origins whose pages may open `/graphql/ws`: `public_url`'s and
    /// `allowed_origins`, normalised by `web_origin`.
    pub fn websocket_origins(&self) -> Result<Vec<String>, String> {
        let own = web_origin(&self.public_url)
            .ok_or("ACCORD_PUBLIC_URL must be an http(s) URL such as https://accord.example.org")?;
        let mut origins = vec![own.clone()];
        if self.mode == Mode::Development {
            origins.extend(loopback_aliases(&own));
        }
        for entry in self
            .allowed_origins
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let origin = web_origin(entry).ok_or_else(|| {
                format!("ACCORD_ALLOWED_ORIGINS: `{entry}` is not an origin such as https://app.example.org")
            })?;
            origins.push(origin);
        }
        Ok(origins)
    }

    pub fn jwt_secret(&self) -> &str {
        self.jwt_secret
            .as_ref()
            .map(|s| s.expose_secret())
            .unwrap_or(DEVELOPMENT_JWT_SECRET)
    }
}

/// `http://host:port` for a bound address: the loopback address for an
/// unspecified one, IPv6 in brackets.
fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// `host` and the port after it (if any) of an origin's authority.
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    }
}

fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// In development, a loopback origin's other spellings (`localhost`,
/// `127.0.0.1`, `[::1]`, same scheme and port): a browser on this machine
/// may open GraphiQL under any of them, and only this machine can.
fn loopback_aliases(origin: &str) -> Vec<String> {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return Vec::new();
    };
    let (host, port) = split_host_port(authority);
    if !is_loopback_host(host) {
        return Vec::new();
    }
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    ["localhost", "127.0.0.1", "[::1]"]
        .into_iter()
        .filter(|alias| *alias != host)
        .map(|alias| format!("{scheme}://{alias}{port}"))
        .collect()
}

/// The origin (`scheme://host[:port]`, lower-case, default port dropped) of an
/// http(s) URL or `Origin` header; `None` for anything else (including `null`).
pub fn web_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.contains('@') {
        return None;
    }
    // The port follows the last `:` outside an IPv6 literal's brackets.
    let (host, port) = split_host_port(&authority);
    if host.is_empty()
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(match port {
        Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            web_origin("https://Accord.example.org:443/app/").as_deref(),
            Some("https://accord.example.org")
        );
        assert_eq!(
            web_origin("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            web_origin("http://[::1]:3000").as_deref(),
            Some("http://[::1]:3000")
        );
        assert_eq!(web_origin("http://[::1]").as_deref(), Some("http://[::1]"));
        for bad in [
            "null",
            "",
            "file:///etc",
            "https://",
            "https://u:p@host",
            "http://host:x",
        ] {
            assert_eq!(web_origin(bad), None, "{bad}");
        }
        let config = Config {
            allowed_origins: Some(" https://app.example.org , http://localhost:5173".into()),
            ..Config::default()
        };
        assert_eq!(
            config.websocket_origins().expect("valid"),
            [
                "http://127.0.0.1:8080",
                "http://localhost:8080",
                "http://[::1]:8080",
                "https://app.example.org",
                "http://localhost:5173"
            ]
        );
        let config = Config {
            allowed_origins: Some("app.example.org".into()),
            ..Config::default()
        };
        assert!(config.validate().is_err());
    }

    #[test]
    fn staff_need_a_second_factor_in_production_unless_told_otherwise() {
        let config = |mode: Mode, set: Option<bool>| Config {
            mode,
            require_second_factor_for_staff: set,
            ..Config::default()
        };
        assert!(!config(Mode::Development, None).second_factor_for_staff());
        assert!(config(Mode::Production, None).second_factor_for_staff());
        assert!(config(Mode::Development, Some(true)).second_factor_for_staff());
        assert!(!config(Mode::Production, Some(false)).second_factor_for_staff());
    }

    #[test]
    fn production_refuses_missing_or_development_key() {
        let mut config = Config {
            mode: Mode::Production,
            ..Config::default()
        };
        let err = config.validate().expect_err("refused").to_string();
        assert!(err.contains("ACCORD_JWT_SECRET"), "{err}");
        config.jwt_secret = Some(DEVELOPMENT_JWT_SECRET.into());
        assert!(config.validate().is_err());
        config.jwt_secret = Some("x".repeat(48).into());
        let err = config.validate().expect_err("no identity key").to_string();
        assert!(err.contains("ACCORD_IDENTITY_KEYS"), "{err}");
        config.identity_keys = Some(crate::crypto::DEVELOPMENT_KEY.into());
        assert!(config.validate().is_err());
        config.identity_keys = Some("k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
        assert!(config.validate().is_ok());
    }

    #[test]
    fn development_defaults_are_usable() {
        let config = Config::default();
        assert!(config.validate().is_ok());
        assert!(config.demo_enabled());
        assert_eq!(config.jwt_secret(), DEVELOPMENT_JWT_SECRET);
    }

    #[test]
    fn a_direct_database_url_goes_with_postgres_only() {
        let mut config = Config {
            direct_database_url: Some("postgres://db.internal/accord".into()),
            ..Config::default()
        };
        let err = config
            .validate()
            .expect_err("SQLite has no pooler")
            .to_string();
        assert!(err.contains("ACCORD_DIRECT_DATABASE_URL"), "{err}");
        config.database_url = "postgres://pgbouncer.internal:6432/accord".into();
        config.validate().expect("PostgreSQL behind a pooler");
        assert_eq!(config.direct_url(), "postgres://db.internal/accord");
        config.direct_database_url = Some("sqlite://other.db".into());
        assert!(config.validate().is_err(), "not a PostgreSQL URL");
        config.direct_database_url = None;
        assert_eq!(
            config.direct_url(),
            "postgres://pgbouncer.internal:6432/accord"
        );
    }

    #[test]
    fn open_requests_are_at_least_the_executing_ones() {
        let config = Config {
            max_executing_requests: 64,
            max_open_requests: 63,
            ..Config::default()
        };
        let err = config.validate().expect_err("refused").to_string();
        assert!(err.contains("ACCORD_MAX_OPEN_REQUESTS"), "{err}");
        let config = Config {
            max_open_requests: 64,
            ..config
        };
        assert!(config.validate().is_ok());
    }

    #[test]
    fn in_development_the_public_url_follows_a_bind_that_was_set() {
        let moved = |bind: &str, public_url_set: bool, bind_set: bool, mode: Mode| {
            let mut config = Config {
                bind: bind.parse().expect("addr"),
                mode,
                ..Config::default()
            };
            config.follow_bind(public_url_set, bind_set);
            config.public_url
        };
        let dev = Mode::Development;
        assert_eq!(
            moved("127.0.0.1:3000", false, true, dev),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            moved("0.0.0.0:3000", false, true, dev),
            "http://127.0.0.1:3000"
        );
        assert_eq!(moved("[::]:3000", false, true, dev), "http://[::1]:3000");
        assert_eq!(
            moved("192.0.2.7:3000", false, true, dev),
            "http://192.0.2.7:3000"
        );
        // Set explicitly, not set, port 0, production: left as it is.
        for (bind, url_set, bind_set, mode) in [
            ("127.0.0.1:3000", true, true, dev),
            ("127.0.0.1:3000", false, false, dev),
            ("127.0.0.1:0", false, true, dev),
            ("127.0.0.1:3000", false, true, Mode::Production),
        ] {
            assert_eq!(
                moved(bind, url_set, bind_set, mode),
                "http://127.0.0.1:8080",
                "{bind} {url_set} {bind_set} {mode:?}"
            );
        }
    }

    #[test]
    fn a_public_url_that_does_not_lead_to_the_bind_address_is_named() {
        let config = |url: &str, mode: Mode| Config {
            public_url: url.into(),
            mode,
            ..Config::default()
        };
        let addr = |a: &str| a.parse::<SocketAddr>().expect("addr");
        let dev = Mode::Development;
        let warning = config("http://127.0.0.1:8080", dev)
            .public_url_mismatch(addr("127.0.0.1:3000"))
            .expect("a different port");
        assert!(
            warning.contains("ACCORD_PUBLIC_URL is http://127.0.0.1:8080"),
            "{warning}"
        );
        assert!(warning.contains("listens on 127.0.0.1:3000"), "{warning}");
        assert!(warning.contains("http://127.0.0.1:3000"), "{warning}");
        // Only loopback is bound, the URL names another host.
        assert!(
            config("http://accord.example.org:8080", dev)
                .public_url_mismatch(addr("127.0.0.1:8080"))
                .is_some()
        );
        // Agreeing: any loopback spelling, any host when all are bound, the
        // scheme's default port; and production never warns.
        for (url, bound) in [
            ("http://127.0.0.1:8080", "127.0.0.1:8080"),
            ("http://localhost:8080/", "127.0.0.1:8080"),
            ("http://[::1]:8080", "[::1]:8080"),
            ("http://accord.example.org:8080", "0.0.0.0:8080"),
            ("http://accord.example.org", "0.0.0.0:80"),
            ("https://accord.example.org", "[::]:443"),
        ] {
            assert_eq!(
                config(url, dev).public_url_mismatch(addr(bound)),
                None,
                "{url} {bound}"
            );
        }
        assert_eq!(
            config("https://accord.example.org", Mode::Production)
                .public_url_mismatch(addr("127.0.0.1:8080")),
            None
        );
    }

    #[test]
    fn in_development_a_loopback_origin_has_its_other_spellings() {
        let origins = |url: &str, mode: Mode| {
            Config {
                public_url: url.into(),
                mode,
                ..Config::default()
            }
            .websocket_origins()
            .expect("valid")
        };
        assert_eq!(
            origins("http://127.0.0.1:3000", Mode::Development),
            [
                "http://127.0.0.1:3000",
                "http://localhost:3000",
                "http://[::1]:3000"
            ]
        );
        assert_eq!(
            origins("http://localhost", Mode::Development),
            ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        );
        assert_eq!(
            origins("http://127.0.0.1:3000", Mode::Production),
            ["http://127.0.0.1:3000"]
        );
        assert_eq!(
            origins("https://accord.example.org", Mode::Development),
            ["https://accord.example.org"]
        );
    }

    #[test]
    fn cpu_work_needs_a_place_and_time() {
        for config in [
            Config {
                cpu_work_concurrency: Some(0),
                ..Config::default()
            },
            Config {
                cpu_work_timeout_ms: 0,
                ..Config::default()
            },
        ] {
            let err = config.validate().expect_err("refused").to_string();
            assert!(err.contains("ACCORD_CPU_WORK_CONCURRENCY"), "{err}");
        }
        assert!(
            Config {
                cpu_work_concurrency: Some(1),
                ..Config::default()
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn the_response_bound_has_room_for_its_refusal() {
        let config = Config {
            max_response_bytes: MIN_RESPONSE_BYTES - 1,
            ..Config::default()
        };
        let err = config.validate().expect_err("refused").to_string();
        assert!(err.contains("ACCORD_MAX_RESPONSE_BYTES"), "{err}");
    }
}
