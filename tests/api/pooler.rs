//! Behind PgBouncer in transaction mode (issue 28): queries go through the
//! pooler, the live-update listener and the migrations straight to
//! PostgreSQL (`ACCORD_DIRECT_DATABASE_URL`), and a pooler setting that
//! would break requests later is refused at start with the setting named.
//!
//! PgBouncer >= 1.21 is needed (prepared statements in transaction mode):
//! `ACCORD_PGBOUNCER` names the binary (`.ci/run` builds 1.24 from Debian's
//! source package, since Debian 12 ships 1.18), else `pgbouncer` on PATH.
//! Mandatory under CI=true; elsewhere the tests say that they were skipped.
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use accord_server::app::App;
use serde_json::json;

use crate::builders::{claim, claimed, hearing_world};
use crate::helpers::{Actor, PASSWORD, TestApp, fresh_postgres_database, in_ci, test_config};
use crate::live::Ws;
use crate::ops::free_port;

/// How PgBouncer hands out server connections.
#[derive(Clone, Copy)]
enum PoolMode {
    Transaction,
    Statement,
    /// Transaction mode, refusing the driver's `extra_float_digits`.
    TransactionStrict,
}

/// A PgBouncer of the test's own in front of the shared PostgreSQL server,
/// stopped on drop.
struct Bouncer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Bouncer {
    /// `None` (said on stderr) when no PgBouncer >= 1.21 is installed,
    /// outside CI.
    fn start(mode: PoolMode, max_prepared_statements: u32, pool_size: u32) -> Option<Bouncer> {
        let binary = pgbouncer_binary()?;
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let (pg_host, pg_port) = postgres_host_port();
        let (mode, ignored) = match mode {
            PoolMode::Transaction => ("transaction", "extra_float_digits"),
            PoolMode::Statement => ("statement", "extra_float_digits"),
            PoolMode::TransactionStrict => ("transaction", ""),
        };
        std::fs::write(dir.path().join("users.txt"), "\"postgres\" \"\"\n").expect("auth file");
        let ini = format!(
            "[databases]\n* = host={pg_host} port={pg_port}\n\n[pgbouncer]\n\
             listen_addr = 127.0.0.1\nlisten_port = {port}\n\
             unix_socket_dir =\nauth_type = trust\nauth_file = {dir}/users.txt\n\
             pool_mode = {mode}\nmax_prepared_statements = {max_prepared_statements}\n\
             default_pool_size = {pool_size}\nmax_client_conn = 200\n\
             ignore_startup_parameters = {ignored}\n",
            dir = dir.path().display(),
        );
        let config = dir.path().join("pgbouncer.ini");
        std::fs::write(&config, ini).expect("pgbouncer.ini");
        let mut command = Command::new(&binary);
        if running_as_root() {
            // PgBouncer refuses to run as root: it drops to `nobody`, who
            // must read its files.
            use std::os::unix::fs::PermissionsExt;
            let readable = |path: &std::path::Path, mode| {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                    .expect("chmod")
            };
            readable(dir.path(), 0o755);
            readable(&config, 0o644);
            readable(&dir.path().join("users.txt"), 0o644);
            command.args(["-u", "nobody"]);
        }
        let child = command
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pgbouncer");
        let bouncer = Bouncer {
            child,
            port,
            _dir: dir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(bouncer);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("pgbouncer did not listen on {port}");
    }

    /// `direct` (a database on the PostgreSQL server) reached through this pooler.
    fn url_of(&self, direct: &str) -> String {
        let (_, name) = direct.rsplit_once('/').expect("database name");
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Bouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn postgres_host_port() -> (String, u16) {
    let admin = crate::helpers::postgres_admin_url();
    let authority = admin
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .expect("admin url");
    let host_port = authority.rsplit('@').next().expect("host");
    match host_port.rsplit_once(':') {
        Some((host, port)) => (host.to_owned(), port.parse().expect("port")),
        None => (host_port.to_owned(), 5432),
    }
}

/// PgBouncer >= 1.21 (`ACCORD_PGBOUNCER` or PATH), else `None` outside CI.
fn pgbouncer_binary() -> Option<PathBuf> {
    let candidate = std::env::var_os("ACCORD_PGBOUNCER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("pgbouncer"));
    let version = Command::new(&candidate)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|out| {
            let line = out.lines().next()?.to_owned();
            let number = line.strip_prefix("PgBouncer ")?.trim().to_owned();
            let mut parts = number.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
            Some((parts.next()?, parts.next()?, line))
        });
    match version {
        Some((major, minor, _)) if (major, minor) >= (1, 21) => Some(candidate),
        found => {
            let why = match found {
                Some((_, _, line)) => format!("{line} is older than 1.21"),
                None => format!("{} not found", candidate.display()),
            };
            if in_ci() {
                panic!("CI=true needs PgBouncer >= 1.21 (ACCORD_PGBOUNCER): {why}");
            }
            eprintln!("SKIPPED: PgBouncer test ({why}; set ACCORD_PGBOUNCER)");
            None
        }
    }
}

/// A server whose queries go through `bouncer`, its listener and migrations
/// straight to `direct`.
async fn behind(bouncer: &Bouncer, direct: &str) -> TestApp {
    let direct = direct.to_owned();
    TestApp::spawn_on(bouncer.url_of(&direct), |c| {
        c.direct_database_url = Some(direct)
    })
    .await
}

/// Why start-up refused `config` (it must).
async fn refusal(config: accord_server::config::Config) -> String {
    match App::build(config).await {
        Ok(_) => panic!("start-up should have been refused"),
        Err(e) => e.with_cause(),
    }
}

/// Two server processes behind one PgBouncer in transaction mode whose two
/// server connections all eight client connections share: claims through
/// either reach a subscription on the other (the listeners hear PostgreSQL
/// directly), and a burst of concurrent reads and writes is answered with
/// data only (prepared statements follow their clients across server
/// connections).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_serve_behind_pgbouncer_in_transaction_mode() {
    let Some(bouncer) = Bouncer::start(PoolMode::Transaction, 200, 2) else {
        return;
    };
    let Some(direct) = fresh_postgres_database().await else {
        return;
    };
    let a = behind(&bouncer, &direct).await;
    let b = behind(&bouncer, &direct).await;
    let (_coord, _case, hearing) = hearing_world(&a, 3).await;
    let watcher = a.diplomat("CA").await;
    let mut on_b = Ws::connect(&b, &watcher).await;
    on_b.subscribe("b", &hearing).await;
    on_b.next_hearing("b").await;

    let nl = a.diplomat("NL").await;
    claimed(&nl, &hearing).await;
    assert_eq!(on_b.next_hearing("b").await["confirmedCount"], 1);

    // A burst through both processes at once: pages, the calendar, claims
    // (six more diplomats of the two countries that see the hearing).
    let mut diplomats: Vec<Actor> = Vec::new();
    for i in 0..6 {
        let on_a = a.diplomat(if i % 2 == 0 { "CA" } else { "NL" }).await;
        diplomats.push(if i < 3 {
            b.login(&on_a.email, PASSWORD).await
        } else {
            on_a
        });
    }
    let burst = diplomats.iter().enumerate().map(|(i, d)| {
        let hearing = hearing.clone();
        async move {
            let mut answers = Vec::new();
            for round in 0..5 {
                answers.push(
                    d.q(
                        "{ cases(first: 20) { totalCount edges { node { id reference } } }
                           hearings(first: 10) { totalCount } me { country } }",
                        json!({}),
                    )
                    .await,
                );
                if round == i % 5 {
                    answers.push(claim(d, &hearing).await);
                }
            }
            answers
        }
    });
    let answers: Vec<_> = futures::future::join_all(burst)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(answers.len(), 36);
    for answer in &answers {
        assert!(
            answer.body.get("errors").is_none(),
            "an answer through the pooler carried errors: {}",
            answer.body
        );
    }
    let roster = nl
        .q(
            "query($h: ID!) { hearing(id: $h) { confirmedCount claims { status position } } }",
            json!({ "h": hearing }),
        )
        .await;
    let hearing = &roster.data()["hearing"];
    assert_eq!(hearing["confirmedCount"], 3);
    let mut waiting: Vec<i64> = hearing["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| c["status"] == "WAITLISTED")
        .map(|c| c["position"].as_i64().expect("position"))
        .collect();
    waiting.sort_unstable();
    assert_eq!(
        waiting,
        vec![1, 2, 3, 4],
        "seven claims: three places, four waiting"
    );
}

/// A pooler that would break requests later is refused at start, and the
/// message names what to set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooler_that_would_break_is_refused_at_start() {
    let Some(untracked) = Bouncer::start(PoolMode::Transaction, 0, 1) else {
        return;
    };
    let Some(direct) = fresh_postgres_database().await else {
        return;
    };
    // Transaction mode without prepared statements carried across server
    // connections.
    let mut config = test_config(untracked.url_of(&direct));
    config.direct_database_url = Some(direct.clone());
    let why = refusal(config).await;
    assert!(why.contains("max_prepared_statements"), "{why}");

    // Transaction mode done right, but the listener sent through it too.
    let tracked = Bouncer::start(PoolMode::Transaction, 200, 2).expect("pgbouncer");
    let why = refusal(test_config(tracked.url_of(&direct))).await;
    assert!(why.contains("ACCORD_DIRECT_DATABASE_URL"), "{why}");
    let mut config = test_config(tracked.url_of(&direct));
    config.direct_database_url = Some(tracked.url_of(&direct));
    let why = refusal(config).await;
    assert!(why.contains("ACCORD_DIRECT_DATABASE_URL"), "{why}");

    // Statement mode cannot hold a transaction.
    let statements = Bouncer::start(PoolMode::Statement, 200, 2).expect("pgbouncer");
    let mut config = test_config(statements.url_of(&direct));
    config.direct_database_url = Some(direct.clone());
    let why = refusal(config).await;
    assert!(why.contains("statement mode"), "{why}");

    // PgBouncer refusing the driver's startup parameter: the setting to
    // change is named.
    let strict = Bouncer::start(PoolMode::TransactionStrict, 200, 2).expect("pgbouncer");
    let mut config = test_config(strict.url_of(&direct));
    config.direct_database_url = Some(direct.clone());
    let why = refusal(config).await;
    assert!(
        why.contains("ignore_startup_parameters = extra_float_digits"),
        "{why}"
    );

    // A direct URL for a SQLite server is a configuration mistake.
    let mut config = test_config("sqlite::memory:".into());
    config.direct_database_url = Some(direct);
    let why = refusal(config).await;
    assert!(why.contains("ACCORD_DIRECT_DATABASE_URL"), "{why}");
}
