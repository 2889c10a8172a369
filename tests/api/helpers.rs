//! `TestApp::spawn(backend)` starts the production wiring (`App::build`) on a
//! fresh database; every response is checked for error codes from
//! docs/RULES.md's list. What a test builds (actors, cases, hearings,
//! reports, statements) lives in `builders`.
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use accord_server::app::App;
use accord_server::config::{Config, Mode};
use accord_server::error::ERROR_CODES;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio::sync::Mutex;

pub const TEST_JWT_SECRET: &str = "test-signing-key-0123456789-abcdefghijklmnop";
pub const OPERATOR_EMAIL: &str = "operator@test.example";
pub const PASSWORD: &str = "a long test password";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each scenario twice: `name::sqlite` and `name::postgres`.
/// As `on_both_backends!`, on a server whose configuration `tweak` adjusts.
#[macro_export]
macro_rules! on_both_backends_with {
    ($(async fn $name:ident($app:ident: TestApp) with $tweak:expr; $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn scenario($app: TestApp) $body
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = TestApp::spawn_with(Backend::Sqlite, $tweak).await {
                        scenario(app).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = TestApp::spawn_with(Backend::Postgres, $tweak).await {
                        scenario(app).await;
                    }
                }
            }
        )*
    };
}

#[macro_export]
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[allow(unused_imports)]
                use $crate::helpers::*;
                async fn scenario($app: TestApp) $body
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = TestApp::spawn(Backend::Sqlite).await {
                        scenario(app).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = TestApp::spawn(Backend::Postgres).await {
                        scenario(app).await;
                    }
                }
            }
        )*
    };
}

pub fn postgres_admin_url() -> String {
    std::env::var("ACCORD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

pub(crate) struct Inner {
    base: String,
    /// `http://…` of the metrics listener, when the test configured one.
    metrics_base: Option<String>,
    http: reqwest::Client,
    db: DatabaseConnection,
    /// Missions created so far, by country code (`builders` fills it).
    pub(crate) missions: Mutex<HashMap<String, String>>,
    /// Admins signed in so far, by country. Their credentials only: an
    /// `Actor` holds the `TestApp`, and keeping one here would make a cycle
    /// that outlives the test with its database pool (PostgreSQL would run
    /// out of connections over a full run).
    pub(crate) admins: Mutex<HashMap<String, (String, String, String, String)>>,
    /// The recovery key of each country's identity key, set up by its first
    /// admin (`builders` fills it).
    pub(crate) recovery_keys: Mutex<HashMap<String, String>>,
    statements: Arc<AtomicUsize>,
    clock: Arc<accord_server::clock::ShiftedClock>,
    state: accord_server::state::AppState,
    _dir: tempfile::TempDir,
}

#[derive(Clone)]
pub struct TestApp(pub(crate) Arc<Inner>);

/// A signed-in user.
#[derive(Clone)]
pub struct Actor {
    pub app: TestApp,
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh: String,
}

/// A GraphQL response.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
}

impl Resp {
    /// `data`, failing the test on any error.
    pub fn data(&self) -> &Value {
        assert!(
            self.body
                .get("errors")
                .is_none_or(|e| e.as_array().is_none_or(|a| a.is_empty())),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }

    /// The code of the first error, failing the test if there is none.
    pub fn code(&self) -> String {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error, got {}", self.body))
            .to_owned()
    }

    pub fn message(&self) -> String {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error, got {}", self.body))
            .to_owned()
    }

    pub fn field(&self) -> String {
        self.body["errors"][0]["extensions"]["field"]
            .as_str()
            .unwrap_or_else(|| panic!("expected a field in the error, got {}", self.body))
            .to_owned()
    }

    /// `extensions.reason` of the first error (`IDENTITY_LOCKED`'s why).
    pub fn reason(&self) -> String {
        self.body["errors"][0]["extensions"]["reason"]
            .as_str()
            .unwrap_or_else(|| panic!("expected a reason in the error, got {}", self.body))
            .to_owned()
    }

    #[track_caller]
    pub fn assert_code(&self, code: &str) -> &Self {
        assert_eq!(self.code(), code, "response: {}", self.body);
        self
    }
}

pub fn test_config(database_url: String) -> Config {
    Config {
        database_url,
        // Many tests run side by side on one PostgreSQL server.
        db_max_connections: 4,
        bind: "127.0.0.1:0".parse().expect("addr"),
        mode: Mode::Development,
        demo: Some(false),
        jwt_secret: Some(TEST_JWT_SECRET.into()),
        argon2_memory_kib: 1024,
        argon2_iterations: 1,
        bootstrap_admin_email: Some(OPERATOR_EMAIL.into()),
        bootstrap_admin_password: Some(PASSWORD.into()),
        // The email worker idles (statement counts stay exact); mail tests
        // run rounds themselves or shorten this.
        outbox_poll_ms: 3_600_000,
        // A digest is due by the weekday: other tests' counts of messages
        // must not depend on the day they run. digest.rs turns it on.
        coverage_digest: false,
        // Every test client is 127.0.0.1, and the oracles act as many users
        // at once: the per-address rate would cut them short. The limits
        // themselves are tested in abuse_http.rs.
        rate_per_address_per_minute: 1_000_000,
        ..Config::default()
    }
}

impl TestApp {
    /// A server on a fresh database; `None` (with a note) when PostgreSQL is
    /// not reachable outside CI.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = match backend {
            Backend::Sqlite => format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("accord.db").display()
            ),
            Backend::Postgres => fresh_postgres_database().await?,
        };
        let mut config = test_config(url.clone());
        tweak(&mut config);
        Some(Self::start(config, dir).await)
    }

    /// A server on the database at `url` (a private PostgreSQL cluster, say).
    pub async fn spawn_on(url: String, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config(url);
        tweak(&mut config);
        Self::start(config, tempfile::tempdir().expect("tempdir")).await
    }

    /// A second server on this one's database, as another process would be:
    /// its own pool, hub and listener (no shared state but the database).
    /// Actors signed in on the first work on it too.
    pub async fn another_process(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        Self::start(test_config(self.0.state.config.database_url.clone()), dir).await
    }

    async fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
        let statements = Arc::new(AtomicUsize::new(0));
        let clock = Arc::new(accord_server::clock::ShiftedClock::default());
        let mut conn = accord_server::db::connect_configured(&config)
            .await
            .expect("database reachable");
        let counter = statements.clone();
        // ACCORD_TEST_PRINT_SQL=1 prints every statement (to see what a count is made of).
        let print = std::env::var("ACCORD_TEST_PRINT_SQL").is_ok_and(|v| v == "1");
        conn.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            if print {
                eprintln!("SQL: {}", info.statement.sql);
            }
        });
        let app = App::build_on(config, conn, clock.clone())
            .await
            .expect("app builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let metrics_base = app.metrics_addr().map(|a| format!("http://{a}"));
        let db = app.state().db.clone();
        let state = app.state().clone();
        tokio::spawn(app.run());
        TestApp(Arc::new(Inner {
            base,
            metrics_base,
            http: reqwest::Client::new(),
            db,
            missions: Mutex::new(HashMap::new()),
            admins: Mutex::new(HashMap::new()),
            recovery_keys: Mutex::new(HashMap::new()),
            statements,
            clock,
            state,
            _dir: dir,
        }))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.0.base, path)
    }

    /// The listener's `host:port`, for raw sockets.
    pub fn addr(&self) -> String {
        self.0.base.trim_start_matches("http://").to_owned()
    }

    /// `GET /metrics` on the metrics listener (`metrics_bind` must be set).
    pub async fn scrape(&self) -> String {
        let base = self.0.metrics_base.as_ref().expect("metrics_bind set");
        let res = self
            .0
            .http
            .get(format!("{base}/metrics"))
            .send()
            .await
            .expect("metrics answered");
        assert_eq!(res.status().as_u16(), 200);
        res.text().await.expect("metrics text")
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.0.http
    }

    /// The server's shared state (database, configuration, clock), for tests
    /// that drive background work such as the email worker.
    pub fn state(&self) -> &accord_server::state::AppState {
        &self.0.state
    }

    /// Moves the server's clock forward.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.0.clock.advance(by);
    }

    /// SQL statements the server has run so far.
    pub fn statements(&self) -> usize {
        self.0.statements.load(Ordering::Relaxed)
    }

    /// The directory holding the SQLite file (empty for PostgreSQL).
    pub fn data_dir(&self) -> &std::path::Path {
        self.0._dir.path()
    }

    /// The server's database, for checks that must look underneath the API.
    pub fn db(&self) -> &DatabaseConnection {
        &self.0.db
    }

    /// POSTs one GraphQL request and checks every error's code.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Resp {
        let mut req = self
            .0
            .http
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status().as_u16();
        let body: Value = res.json().await.expect("JSON body");
        assert_error_codes(&body);
        Resp { status, body }
    }

    pub async fn anon(&self, query: &str, variables: Value) -> Resp {
        self.gql(None, query, variables).await
    }

    pub async fn login_raw(&self, email: &str, password: &str) -> Resp {
        self.anon(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
                accessToken refreshToken expiresAt viewer { user { id email role } country } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Actor {
        let r = self.login_raw(email, password).await;
        let l = &r.data()["login"];
        Actor {
            app: self.clone(),
            id: l["viewer"]["user"]["id"].as_str().expect("id").to_owned(),
            email: email.to_owned(),
            token: l["accessToken"].as_str().expect("token").to_owned(),
            refresh: l["refreshToken"].as_str().expect("refresh").to_owned(),
        }
    }

    pub async fn operator(&self) -> Actor {
        self.login(OPERATOR_EMAIL, PASSWORD).await
    }

    /// Rows in a table, read underneath the API.
    pub async fn count_rows(&self, table: &str) -> i64 {
        let row = self
            .db()
            .query_one_raw(sea_orm::Statement::from_string(
                self.db().get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

impl Actor {
    pub async fn q(&self, query: &str, variables: Value) -> Resp {
        self.app.gql(Some(&self.token), query, variables).await
    }
}

/// A response kept whole, so that refusals can be compared byte for byte.
pub struct Raw {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Raw {
    pub fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    pub fn has_errors(&self) -> bool {
        self.body
            .get("errors")
            .is_some_and(|e| e.as_array().is_none_or(|a| !a.is_empty()))
    }
}

/// POSTs one GraphQL request as `actor`, keeping the raw body.
pub async fn raw(actor: &Actor, query: &str, variables: Value) -> Raw {
    let res = actor
        .app
        .http()
        .post(actor.app.url("/graphql"))
        .bearer_auth(&actor.token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.expect("response body");
    let body: Value = serde_json::from_str(&text).expect("JSON body");
    assert_error_codes(&body);
    Raw {
        status,
        headers,
        text,
        body,
    }
}

/// A string field, failing the test with `what` otherwise.
pub fn str_of(v: &Value, what: &str) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {v}"))
        .to_owned()
}

/// The access index equals the visibility rule recomputed from scratch (the
/// property every change that moves visibility must keep).
pub async fn assert_access_index_holds(app: &TestApp, when: &str) {
    let drift = accord_server::policy::access::internal_drift(app.db())
        .await
        .expect("drift computed");
    assert!(
        drift.is_empty(),
        "{when}: the access index drifted from the rule:\n{}",
        drift.join("\n")
    );
    let drift = accord_server::policy::reports::internal_drift(app.db())
        .await
        .expect("report drift computed");
    assert!(
        drift.is_empty(),
        "{when}: the report access index drifted from the reports:\n{}",
        drift.join("\n")
    );
}

/// Every error in every response carries a code from docs/RULES.md's list.
#[track_caller]
pub fn assert_error_codes(body: &Value) {
    if let Some(errors) = body.get("errors").and_then(Value::as_array) {
        for e in errors {
            let code = e["extensions"]["code"].as_str().unwrap_or("<none>");
            assert!(
                ERROR_CODES.contains(&code),
                "error without a known code: {e}"
            );
        }
    }
}

async fn connect_admin(admin_url: &str) -> Result<DatabaseConnection, String> {
    match tokio::time::timeout(Duration::from_secs(5), Database::connect(admin_url)).await {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}

/// Whether PostgreSQL answered the first time this test binary asked.
static POSTGRES_REACHABLE: tokio::sync::OnceCell<Result<(), String>> =
    tokio::sync::OnceCell::const_new();

/// How many PostgreSQL variants this process skipped.
static POSTGRES_SKIPPED: AtomicUsize = AtomicUsize::new(0);

/// Set to 1 to accept a run that proves SQLite only (PostgreSQL down).
const SQLITE_ONLY: &str = "ACCORD_TEST_SQLITE_ONLY";

/// Whether PostgreSQL at the admin URL answers (asked once per process).
pub async fn postgres_reachable() -> &'static Result<(), String> {
    let admin_url = postgres_admin_url();
    POSTGRES_REACHABLE
        .get_or_init(|| async {
            match connect_admin(&admin_url).await {
                Ok(_) => Ok(()),
                // Up but busy with other tests: reachable.
                Err(why) if why.contains("too many clients") => Ok(()),
                Err(why) => Err(why),
            }
        })
        .await
}

/// Says, once per process and past the test harness's output capture (so
/// a green run shows it), that the PostgreSQL variants are being skipped.
fn note_postgres_skipped(admin_url: &str, why: &str) {
    use std::io::Write;
    if POSTGRES_SKIPPED.fetch_add(1, Ordering::Relaxed) == 0 {
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: PostgreSQL unreachable at {admin_url} ({why}): every PostgreSQL \
             scenario of this run is skipped and ran on SQLite only \
             (see helpers::postgres_reachable_or_skipped; CI=true makes this fail)"
        );
    }
}

/// A new, empty PostgreSQL database for one test. Skipped (with a notice)
/// when the server is unreachable, except under CI=true; a reachable but
/// busy server ("too many clients") is retried for a while.
pub async fn fresh_postgres_database() -> Option<String> {
    let admin_url = postgres_admin_url();
    if let Err(why) = postgres_reachable().await {
        if in_ci() {
            panic!("PostgreSQL is required under CI=true but {admin_url} is not reachable: {why}");
        }
        note_postgres_skipped(&admin_url, why);
        return None;
    }
    let mut attempt = 0;
    let admin = loop {
        match connect_admin(&admin_url).await {
            Ok(db) => break db,
            Err(why) if attempt < 60 => {
                attempt += 1;
                if attempt % 10 == 0 {
                    eprintln!("PostgreSQL busy ({why}); retrying");
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(why) => panic!("PostgreSQL at {admin_url} stayed unavailable: {why}"),
        }
    };
    let name = format!("accord_t_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    let _ = admin.close().await;
    let (prefix, _) = admin_url.rsplit_once('/').expect("database url has a path");
    Some(format!("{prefix}/{name}"))
}

/// A `POST /graphql` of `body` to `addr` (`host:port`) over a raw socket,
/// its `Content-Length` announced but only the first `sent` bytes of the body
/// written: the socket, to send the rest or go away.
pub async fn half_sent_post(addr: &str, body: &str, sent: usize) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut socket = tokio::net::TcpStream::connect(addr).await.expect("connect");
    socket
        .write_all(post_head(addr, body).as_bytes())
        .await
        .expect("head");
    socket
        .write_all(&body.as_bytes()[..sent])
        .await
        .expect("part of the body");
    socket
}

/// The head of a keep-alive `POST /graphql` of `body` to `addr`, as raw text.
pub fn post_head(addr: &str, body: &str) -> String {
    format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
}

/// One HTTP/1.1 response read off `socket` (within 10 s), which stays open:
/// its status and JSON body (sized by `Content-Length`).
pub async fn read_one_response(socket: &mut tokio::net::TcpStream) -> (u16, Value) {
    let mut answers = read_responses(socket, 1).await;
    answers.remove(0)
}

/// The next `n` responses read off `socket` (within 10 s), as
/// `read_one_response` reads one: for requests sent at once (pipelined).
pub async fn read_responses(socket: &mut tokio::net::TcpStream, n: usize) -> Vec<(u16, Value)> {
    use tokio::io::AsyncReadExt;
    let mut raw = Vec::new();
    let mut answers = Vec::new();
    let read = async {
        while answers.len() < n {
            let text = String::from_utf8_lossy(&raw).into_owned();
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().expect("a length"))
                    })
                    .expect("Content-Length");
                if rest.len() >= length {
                    let status = head[9..12].parse().expect("a status");
                    answers.push((status, serde_json::from_str(&rest[..length]).expect("JSON")));
                    raw = rest.as_bytes()[length..].to_vec();
                    continue;
                }
            }
            let mut chunk = [0u8; 4096];
            let got = socket.read(&mut chunk).await.expect("read");
            assert!(got > 0, "closed before a whole response: {text}");
            raw.extend_from_slice(&chunk[..got]);
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("the responses within 10 s");
    answers
}

/// Everything the server sends on `socket` until it closes it (within 10 s),
/// as text.
pub async fn read_until_closed(socket: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut raw = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        socket.read_to_end(&mut raw),
    )
    .await
    .expect("answered, then closed")
    .expect("read");
    String::from_utf8_lossy(&raw).into_owned()
}

/// The line in the test summary for a run without PostgreSQL: this test
/// fails when PostgreSQL is unreachable (so "1 failed" tells a local run
/// that its PostgreSQL half was skipped), unless the developer accepts a
/// SQLite-only run with ACCORD_TEST_SQLITE_ONLY=1. Under CI=true it fails
/// regardless, as every PostgreSQL scenario does.
#[tokio::test]
async fn postgres_reachable_or_skipped() {
    let admin_url = postgres_admin_url();
    let Err(why) = postgres_reachable().await else {
        return;
    };
    if in_ci() {
        panic!("PostgreSQL is required under CI=true but {admin_url} is not reachable: {why}");
    }
    let accepted = std::env::var(SQLITE_ONLY).is_ok_and(|v| v == "1");
    note_postgres_skipped(&admin_url, why);
    assert!(
        accepted,
        "PostgreSQL unreachable at {admin_url} ({why}): the PostgreSQL scenarios of this run \
         were skipped, so it proves SQLite only. Start PostgreSQL (or point \
         ACCORD_TEST_POSTGRES_URL at one), or accept a SQLite-only run with {SQLITE_ONLY}=1."
    );
}
