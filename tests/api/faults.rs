//! Under faults, tell the truth. The database is really taken away — a
//! private PostgreSQL cluster started by the test and stopped under the
//! running server; on SQLite, the write lock held by another connection —
//! and while it is gone `/readyz` says 503 within its bound, requests get a
//! coded JSON answer (`UNAVAILABLE`, `retryAfterSeconds`, `Retry-After`)
//! well before the request timeout, and nothing is half-written. When it
//! comes back everything resumes without restarting Accord: requests, live
//! subscriptions (the listener reconnects) and the email worker.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use accord_server::config::Config;
use serde_json::{Value, json};

use crate::builders::{claimed, hearing_world};
use crate::helpers::*;
use crate::live::{Received, Ws};
use crate::smtp::SmtpServer;

/// The bounds the tests hold the server to (set in its configuration).
const ACQUIRE_MS: u64 = 1500;
const READY_MS: u64 = 1000;
/// Scheduling slack on a loaded 2-CPU machine, on top of each bound.
const SLACK: Duration = Duration::from_millis(1500);
/// How long recovery may take once the database is back.
const RECOVERY: Duration = Duration::from_secs(20);

fn bounded(config: &mut Config) {
    config.db_acquire_timeout_ms = ACQUIRE_MS;
    config.readiness_timeout_ms = READY_MS;
}

/// `GET /readyz`: status and how long it took.
async fn readyz(app: &TestApp) -> (u16, Duration) {
    let started = Instant::now();
    let status = app
        .http()
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("readyz answered")
        .status()
        .as_u16();
    (status, started.elapsed())
}

/// A GraphQL request as `actor`: status, `Retry-After`, body, time taken.
async fn timed(
    actor: &Actor,
    query: &str,
    variables: Value,
) -> (u16, Option<String>, Value, Duration) {
    let started = Instant::now();
    let answer = raw(actor, query, variables).await;
    let took = started.elapsed();
    let header = |name: &str| {
        answer
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/json"),
        "a GraphQL JSON answer"
    );
    (answer.status, header("retry-after"), answer.body, took)
}

/// The outage as a client sees it: `what` is answered 503 `UNAVAILABLE`
/// within the acquire bound, with the retry hint, and no data.
#[track_caller]
fn assert_unavailable(what: &str, answer: &(u16, Option<String>, Value, Duration)) {
    let (status, retry_after, body, took) = answer;
    assert_eq!(*status, 503, "{what}: {body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{what}: {body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["retryAfterSeconds"], 5,
        "{what}: {body}"
    );
    assert_eq!(retry_after.as_deref(), Some("5"), "{what}");
    assert!(body["data"].is_null(), "{what}: {body}");
    let bound = Duration::from_millis(ACQUIRE_MS) + SLACK;
    eprintln!("{what}: {status} UNAVAILABLE after {took:?}");
    assert!(*took <= bound, "{what} took {took:?}, more than {bound:?}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        !message.to_lowercase().contains("sql") && !message.contains("127.0.0.1"),
        "{message}"
    );
}

/// Polls `/readyz` until it says 200.
async fn until_ready(app: &TestApp) -> Duration {
    let started = Instant::now();
    loop {
        if readyz(app).await.0 == 200 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < RECOVERY,
            "not ready {RECOVERY:?} after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn assert_audit_intact(app: &TestApp) {
    let verdict = accord_server::audit::verify(app.db())
        .await
        .expect("audit verify runs");
    assert!(
        matches!(verdict, accord_server::audit::Verification::Intact { .. }),
        "the audit chain holds after the fault: {verdict:?}"
    );
}

const HEARING: &str = "query($h: ID!) { hearing(id: $h) { id confirmedCount } }";
const CLAIM: &str = "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { id status } }";
const RELEASE: &str = "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }";
const MY_ROSTER: &str = "{ myRoster { status hearing { id } } }";

/// Reads the subscription until a roster whose claims are `countries`
/// (confirmed first); re-reads sent in between (after the listener
/// reconnected) are skipped.
async fn until_roster(ws: &mut Ws, countries: &[&str]) -> Value {
    let started = Instant::now();
    loop {
        let hearing = ws.next_hearing("1").await;
        let now: Vec<&str> = hearing["claims"]
            .as_array()
            .map(|c| c.iter().filter_map(|c| c["country"].as_str()).collect())
            .unwrap_or_default();
        if now == countries {
            return hearing;
        }
        assert!(
            started.elapsed() < RECOVERY,
            "the subscription never showed {countries:?}"
        );
    }
}

/// A PostgreSQL cluster of the test's own (initdb, pg_ctl), on a free port,
/// so that it can be stopped under a running server. As root the server
/// binaries run as `postgres` (initdb refuses root).
struct PrivateCluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl PrivateCluster {
    /// `None` (with a note) when PostgreSQL's server binaries are not
    /// installed, except under CI=true, where that fails the test.
    fn start() -> Option<PrivateCluster> {
        let Some(bin) = postgres_bindir() else {
            if in_ci() {
                panic!(
                    "CI=true needs PostgreSQL's server binaries (initdb, pg_ctl) for the outage test"
                );
            }
            eprintln!("SKIPPED: PostgreSQL outage test (no initdb/pg_ctl found)");
            return None;
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        if as_root() {
            let status = Command::new("chown")
                .args(["postgres:postgres", &dir.path().display().to_string()])
                .status()
                .expect("chown");
            assert!(status.success(), "chown the cluster directory to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let cluster = PrivateCluster {
            bin,
            data,
            port,
            _dir: dir,
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "--no-instructions",
            ],
        );
        cluster.start_again();
        Some(cluster)
    }

    fn data(&self) -> String {
        self.data.display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    fn start_again(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=40",
            self.port
        );
        let log = self.data.with_file_name("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        );
    }

    /// `pg_ctl stop -m fast`: sessions are ended and the port closes.
    fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = if as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = command.args(args).output().expect("PostgreSQL tool runs");
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let path = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
        let _ = if as_root() {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&path)
                .args(args)
                .output()
        } else {
            Command::new(&path).args(args).output()
        };
    }
}

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `pg_config --bindir`, else the newest `/usr/lib/postgresql/<n>/bin`.
fn postgres_bindir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").exists() && dir.join("pg_ctl").exists();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_tools(&dir) {
            return Some(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_under_the_server_is_told_and_survived() {
    let Some(cluster) = PrivateCluster::start() else {
        return;
    };
    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    let app = TestApp::spawn_on(cluster.url(), |c| {
        bounded(c);
        c.smtp_url = Some(smtp_url.into());
        c.outbox_poll_ms = 100;
    })
    .await;
    let (_coord, _case, hearing) = hearing_world(&app, 1).await;
    let first = app.diplomat("CA").await;
    let second = app.diplomat("NL").await;
    assert_eq!(claimed(&first, &hearing).await["status"], "CONFIRMED");
    assert_eq!(claimed(&second, &hearing).await["status"], "WAITLISTED");
    let mut ws = Ws::connect(&app, &first).await;
    ws.subscribe("1", &hearing).await;
    until_roster(&mut ws, &["CA", "NL"]).await;
    assert_eq!(readyz(&app).await.0, 200);

    cluster.stop();

    let (status, took) = readyz(&app).await;
    eprintln!("/readyz during the PostgreSQL outage: {status} after {took:?}");
    assert_eq!(status, 503, "readiness reports the outage");
    let bound = Duration::from_millis(READY_MS) + SLACK;
    assert!(took <= bound, "/readyz took {took:?}, more than {bound:?}");
    assert_eq!(
        app.http()
            .get(app.url("/healthz"))
            .send()
            .await
            .expect("healthz")
            .status(),
        200,
        "alive all the same"
    );
    // A read, a write and a sign-in, each refused quickly and coded; the
    // first finds its pooled connections closed, the next cannot connect.
    for _ in 0..2 {
        assert_unavailable(
            "a read",
            &timed(&first, HEARING, json!({ "h": hearing })).await,
        );
    }
    assert_unavailable(
        "a claim release",
        &timed(&first, RELEASE, json!({ "h": hearing })).await,
    );
    // A new live connection cannot have its token checked: closed with
    // 1013 "try again later", not refused as if the token were bad.
    let mut late = Ws::open(&app, None).await.expect("upgrade");
    late.init(json!({ "Authorization": format!("Bearer {}", second.token) }))
        .await;
    match late
        .recv_within(Duration::from_millis(ACQUIRE_MS) + SLACK)
        .await
    {
        Some(Received::Closed(code, reason)) => {
            assert_eq!(code, 1013, "{reason}");
            assert!(reason.starts_with("UNAVAILABLE"), "{reason}");
        }
        other => panic!("expected a close 1013, got {other:?}"),
    }
    let started = Instant::now();
    let login = app.login_raw(&second.email, PASSWORD).await;
    assert_eq!(login.status, 503, "{}", login.body);
    login.assert_code("UNAVAILABLE");
    assert!(started.elapsed() <= Duration::from_millis(ACQUIRE_MS) + SLACK);

    cluster.start_again();

    let took = until_ready(&app).await;
    eprintln!("ready again {took:?} after PostgreSQL came back");
    // Nothing of the refused release was written: CA still holds its place.
    let roster = first.q(MY_ROSTER, json!({})).await;
    assert_eq!(roster.data()["myRoster"][0]["status"], "CONFIRMED");
    // Requests, the live listener and the email worker resume by themselves.
    first.q(RELEASE, json!({ "h": hearing })).await.data();
    until_roster(&mut ws, &["NL"]).await;
    let mail = smtp.wait_for(1, RECOVERY).await;
    assert_eq!(
        mail.len(),
        1,
        "the promotion email went out after the outage"
    );
    assert_eq!(
        mail[0].subject(),
        "Accord: you are confirmed on a trial roster"
    );
    assert!(mail[0].recipients[0].eq_ignore_ascii_case(&second.email));
    assert_audit_intact(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_process_is_told_and_survived() {
    let app = TestApp::spawn_with(Backend::Sqlite, bounded)
        .await
        .expect("SQLite always runs");
    let (_coord, _case, hearing) = hearing_world(&app, 1).await;
    let first = app.diplomat("CA").await;
    let second = app.diplomat("NL").await;
    assert_eq!(claimed(&first, &hearing).await["status"], "CONFIRMED");
    assert_eq!(readyz(&app).await.0, 200);
    let page_session = crate::browser::page_cookie(&app, &second.email).await;

    // Another process (the sqlite3 shell, a backup tool) takes the write
    // lock and keeps it: reads go on, no change can be made.
    let url = app.state().config.database_url.clone();
    let other = sea_orm::Database::connect(url.as_str())
        .await
        .expect("a second connection");
    let lock = sea_orm::TransactionTrait::begin_with_options(
        &other,
        sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        },
    )
    .await
    .expect("the write lock");

    let (_, _, body, _) = timed(&first, HEARING, json!({ "h": hearing })).await;
    assert_eq!(
        body["data"]["hearing"]["confirmedCount"], 1,
        "reads go on: {body}"
    );
    assert_unavailable(
        "a claim",
        &timed(&second, CLAIM, json!({ "h": hearing })).await,
    );
    // A page reads on; a change made from a page is answered with a page
    // that says nothing was changed and when to try again.
    let page = app
        .http()
        .get(app.url("/account"))
        .header("cookie", &page_session)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status().as_u16(), 200, "pages read on");
    let change = app
        .http()
        .post(app.url("/account/password"))
        .header("cookie", &page_session)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("currentPassword", PASSWORD),
            ("newPassword", "a new long passphrase"),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(change.status().as_u16(), 503);
    assert!(change.headers().contains_key("retry-after"));
    let text = change.text().await.expect("page");
    assert!(
        text.contains("Nothing was changed") && text.contains("try again in"),
        "{text}"
    );
    let (status, took) = readyz(&app).await;
    eprintln!("/readyz while SQLite's write lock is held: {status} after {took:?}");
    assert_eq!(status, 503, "readiness reports that nothing can be written");
    assert!(
        took <= Duration::from_millis(READY_MS) + SLACK,
        "/readyz took {took:?}"
    );

    lock.rollback().await.expect("lock released");
    other.close().await.expect("closed");

    until_ready(&app).await;
    let roster = second.q(MY_ROSTER, json!({})).await;
    assert_eq!(
        roster.data()["myRoster"],
        json!([]),
        "the refused claim left nothing behind"
    );
    assert_eq!(claimed(&second, &hearing).await["status"], "WAITLISTED");
    // The refused change changed nothing: the old password still signs in.
    app.login(&second.email, PASSWORD).await;
    assert_audit_intact(&app).await;
}

/// A pooled connection handed back inside a transaction (what sea-orm's
/// `begin_with_config` leaves when its `SET TRANSACTION` fails, as during a
/// PostgreSQL restart: the soak drill's `INTERNAL` on `rosterChanged`) is
/// not lent again: every later snapshot starts cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_handed_back_inside_a_transaction_is_not_lent_again() {
    use sea_orm::sqlx::Connection as _;
    use sea_orm::{AccessMode, ConnectionTrait, IsolationLevel, TransactionTrait};
    let Some(url) = fresh_postgres_database().await else {
        return;
    };
    let db = accord_server::db::connect(&url, 2, Duration::from_secs(5))
        .await
        .expect("connect");
    {
        let pool = db.get_postgres_connection_pool();
        let mut first = pool.acquire().await.expect("a connection");
        let mut second = pool.acquire().await.expect("another");
        for conn in [&mut first, &mut second] {
            // Begun and never ended: the state an early return leaves.
            std::mem::forget((**conn).begin().await.expect("BEGIN"));
        }
    }
    for _ in 0..4 {
        let txn = db
            .begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
            .expect("a snapshot starts on a clean connection");
        txn.execute_unprepared("SELECT 1").await.expect("read");
        txn.commit().await.expect("commit");
    }
}

/// Pooled connections are pinged before they are lent only after a second
/// idle (`db::PING_IF_IDLE_FOR`; sqlx's ping on every checkout cost a round
/// trip per statement). Connections closed under the pool (as by a database
/// restart) cost a statement in steady use at most one `UNAVAILABLE` each,
/// and none once they sat idle: the ping finds them closed and the pool
/// opens another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_closed_under_the_pool_are_replaced() {
    use sea_orm::{ConnectionTrait, DatabaseConnection};
    let Some(url) = fresh_postgres_database().await else {
        return;
    };
    const POOL: u32 = 2;
    let db = accord_server::db::connect(&url, POOL, Duration::from_secs(5))
        .await
        .expect("connect");
    // One connection of its own, that the closing spares.
    let mut one = sea_orm::ConnectOptions::new(url.clone());
    one.max_connections(1).sqlx_logging(false);
    let admin = sea_orm::Database::connect(one)
        .await
        .expect("connect the admin");
    async fn pids(db: &DatabaseConnection) -> i64 {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT pg_backend_pid()::bigint AS pid",
            ))
            .await
            .expect("pid")
            .expect("a row");
        row.try_get::<i64>("", "pid").expect("pid")
    }
    // Closes every connection of the database but the admin's, and waits
    // until they are gone.
    async fn close_all_but(admin: &DatabaseConnection) {
        let me = pids(admin).await;
        let others = format!(
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> {me} \
             AND backend_type = 'client backend'"
        );
        admin
            .execute_unprepared(&format!("SELECT pg_terminate_backend(pid) {others}"))
            .await
            .expect("terminate");
        for _ in 0..100 {
            let left = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    format!("SELECT count(*)::bigint AS n {others}"),
                ))
                .await
                .expect("count")
                .and_then(|r| r.try_get::<i64>("", "n").ok());
            if left == Some(0) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("the terminated connections did not go");
    }
    // In steady use: each closed connection fails once, as UNAVAILABLE.
    for _ in 0..POOL {
        db.execute_unprepared("SELECT 1").await.expect("warm");
    }
    close_all_but(&admin).await;
    let mut failed = 0;
    loop {
        match db.execute_unprepared("SELECT 1").await {
            Ok(_) => break,
            Err(e) => {
                assert!(
                    accord_server::error::is_unavailable(&e),
                    "a closed connection is told as UNAVAILABLE, not {e}"
                );
                failed += 1;
                assert!(failed <= POOL, "{failed} failures for {POOL} connections");
            }
        }
    }
    eprintln!("{failed} statements met a closed connection in steady use");
    // Idle past the threshold: the checkout ping finds them closed.
    db.execute_unprepared("SELECT 1").await.expect("warm again");
    close_all_but(&admin).await;
    tokio::time::sleep(accord_server::db::PING_IF_IDLE_FOR + Duration::from_millis(200)).await;
    for _ in 0..3 {
        db.execute_unprepared("SELECT 1")
            .await
            .expect("an idle closed connection is replaced, not lent");
    }
}
