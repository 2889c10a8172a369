//! Operators' drills, run as an operator would: back up while writes go on
//! (`accord backup` on SQLite, `ops/backup-postgres.sh` on PostgreSQL),
//! restore into a fresh database, start Accord on it and check that the
//! audit chain verifies, identities open with the keys, every row written
//! before the backup is there — and that the copy holds no identity in clear.
//! Upgrades: `accord migrate --check` for deploy scripts, and two replicas
//! migrating one database at once.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use accord_migrations::MigratorTrait;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::builders::{claimed, hearing_world};
use crate::helpers::*;
use crate::ops::accord;

/// The planted legal name (`hearing_world` seals it into the case identity).
const LEGAL_NAME: &str = "Live Test Name";
/// Tables whose every row written before the backup must come back.
const TABLES: [&str; 10] = [
    "users",
    "missions",
    "cases",
    "case_access",
    "access_counts",
    "hearings",
    "hearing_access",
    "roster_claims",
    "outbox",
    "audit_events",
];
const CASE_IDENTITY: &str = "query($id: ID!) { case(id: $id) { id identity { legalName } } }";

struct Populated {
    coord: Actor,
    case: String,
    /// A CA diplomat: of the owner country, but no custodian of its key.
    first: Actor,
    second: Actor,
    rows: BTreeMap<&'static str, i64>,
}

/// A case with an identity, a hearing, a confirmed claim, a promotion
/// waiting in the outbox, sessions and audit events.
async fn populate(app: &TestApp) -> Populated {
    let (coord, case, hearing) = hearing_world(app, 1).await;
    let first = app.diplomat("CA").await;
    let second = app.diplomat("NL").await;
    assert_eq!(claimed(&first, &hearing).await["status"], "CONFIRMED");
    assert_eq!(claimed(&second, &hearing).await["status"], "WAITLISTED");
    first
        .q(
            "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }",
            json!({ "h": hearing }),
        )
        .await
        .data();
    let mut rows = BTreeMap::new();
    for table in TABLES {
        rows.insert(table, app.count_rows(table).await);
    }
    assert_eq!(rows["outbox"], 1, "the promotion is queued");
    Populated {
        coord,
        case,
        first,
        second,
        rows,
    }
}

/// Cases created one after another until `stop`; how many were.
fn keep_writing(coord: &Actor) -> (Arc<AtomicBool>, tokio::task::JoinHandle<usize>) {
    let stop = Arc::new(AtomicBool::new(false));
    let coord = coord.clone();
    let stopping = stop.clone();
    let task = tokio::spawn(async move {
        let mut written = 0;
        while !stopping.load(Ordering::Relaxed) {
            coord
                .q(
                    "mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
                    json!({ "i": { "pseudonym": format!("Written meanwhile {written}"), "hostCountry": "PH",
                        "region": "Luzon", "categories": ["LAND_RIGHTS"], "riskLevel": "LOW", "status": "AT_RISK",
                        "summary": "written while the backup ran",
                        "identity": { "legalName": "Meanwhile Person", "contact": "-", "location": "-", "notes": "-" } } }),
                )
                .await
                .data();
            written += 1;
        }
        written
    });
    (stop, task)
}

async fn wait_for_writes(app: &TestApp, cases_before: i64) {
    for _ in 0..200 {
        if app.count_rows("cases").await >= cases_before + 3 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the writer wrote nothing");
}

/// Accord on the restored database: everything written before the backup
/// is there, the chain verifies, the identity opens with the keys.
async fn assert_restored_whole(restored: &TestApp, before: &Populated, written_meanwhile: usize) {
    for (table, n) in &before.rows {
        assert!(
            restored.count_rows(table).await >= *n,
            "{table}: rows written before the backup are missing"
        );
    }
    let cases = restored.count_rows("cases").await;
    assert!(
        cases <= before.rows["cases"] + written_meanwhile as i64,
        "more cases than were ever written: {cases}"
    );
    let verdict = accord_server::audit::verify(restored.db())
        .await
        .expect("verify");
    assert!(
        matches!(verdict, accord_server::audit::Verification::Intact { .. }),
        "audit verify on the restored database: {verdict:?}"
    );
    let drift = accord_server::policy::access::internal_drift(restored.db())
        .await
        .expect("drift check");
    assert!(
        drift.is_empty(),
        "the restored access index drifted: {drift:?}"
    );
    // Sign in on the restored server, as the users of the old one.
    let coord = restored.login(&before.coord.email, PASSWORD).await;
    let case = coord.q(CASE_IDENTITY, json!({ "id": before.case })).await;
    assert_eq!(case.data()["case"]["identity"]["legalName"], LEGAL_NAME);
    let second = restored.login(&before.second.email, PASSWORD).await;
    let roster = second.q("{ myRoster { status } }", json!({})).await;
    assert_eq!(roster.data()["myRoster"][0]["status"], "CONFIRMED");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_backup_taken_while_writing_restores_whole() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let before = populate(&app).await;
    let (stop, writer) = keep_writing(&before.coord);
    wait_for_writes(&app, before.rows["cases"]).await;

    let out = tempfile::tempdir().expect("dir");
    let copy = out.path().join("accord.db");
    let result = accord(out.path())
        .env("DATABASE_URL", &app.state().config.database_url)
        .args(["backup", "--output"])
        .arg(&copy)
        .output()
        .expect("accord backup runs");
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.expect("writer");
    let said = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(said.contains("backup written"), "{said}");
    // A second backup to the same file is refused, the first left as it is.
    let again = accord(out.path())
        .env("DATABASE_URL", &app.state().config.database_url)
        .args(["backup", "--output"])
        .arg(&copy)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2));
    // PostgreSQL is backed up with pg_dump, not by `accord backup`: refused
    // before any connection, naming the script to use.
    let elsewhere = accord(out.path())
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .args(["backup", "--output"])
        .arg(out.path().join("pg.db"))
        .output()
        .expect("runs");
    assert_eq!(elsewhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("ops/backup-postgres.sh"));
    assert!(!out.path().join("pg.db").exists());

    let bytes = std::fs::read(&copy).expect("the copy");
    assert!(
        contains(&bytes, "Written meanwhile"),
        "the copy is a real SQLite file with the cases in it"
    );
    assert!(
        !contains(&bytes, LEGAL_NAME),
        "a legal name in clear in the backup"
    );
    assert!(
        !contains(&bytes, "Meanwhile Person"),
        "a legal name in clear in the backup"
    );

    // Restore: the copy is the database file of a new server.
    let restored_dir = tempfile::tempdir().expect("dir");
    let restored_file = restored_dir.path().join("accord.db");
    std::fs::copy(&copy, &restored_file).expect("copy");
    let restored = TestApp::spawn_on(
        format!("sqlite://{}?mode=rwc", restored_file.display()),
        |_| {},
    )
    .await;
    assert_restored_whole(&restored, &before, written).await;

    // The identity is sealed to CA's key, not to the server's key ring: on a
    // copy under another ring it still opens for a custodian signing in
    // with their password, and for nobody else.
    let keyless_dir = tempfile::tempdir().expect("dir");
    let keyless_file = keyless_dir.path().join("accord.db");
    std::fs::copy(&copy, &keyless_file).expect("copy");
    let keyless = TestApp::spawn_on(
        format!("sqlite://{}?mode=rwc", keyless_file.display()),
        |c| {
            c.identity_keys = Some("k9:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".into());
        },
    )
    .await;
    let coord = keyless.login(&before.coord.email, PASSWORD).await;
    let answer = coord.q(CASE_IDENTITY, json!({ "id": before.case })).await;
    assert_eq!(answer.data()["case"]["identity"]["legalName"], LEGAL_NAME);
    let diplomat = keyless.login(&before.first.email, PASSWORD).await;
    let answer = raw(&diplomat, CASE_IDENTITY, json!({ "id": before.case })).await;
    assert_eq!(answer.code(), Some("IDENTITY_LOCKED"), "{}", answer.text);
    assert!(
        !answer.text.contains(LEGAL_NAME),
        "the identity opened without a custodian's key: {}",
        answer.text
    );
}

/// `pg_dump` and friends, or a skip (mandatory under CI=true).
fn postgres_client_tools() -> bool {
    let present = ["pg_dump", "pg_restore", "psql"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !present {
        if in_ci() {
            panic!("CI=true needs pg_dump, pg_restore and psql for the PostgreSQL backup drill");
        }
        eprintln!("SKIPPED: PostgreSQL backup drill (pg_dump, pg_restore or psql missing)");
    }
    present
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_backup_taken_while_writing_restores_whole() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    if !postgres_client_tools() {
        return;
    }
    let before = populate(&app).await;
    let (stop, writer) = keep_writing(&before.coord);
    wait_for_writes(&app, before.rows["cases"]).await;

    let out = tempfile::tempdir().expect("dir");
    let dump = out.path().join("accord.dump");
    let backup = || {
        Command::new("bash")
            .arg(repo().join("ops/backup-postgres.sh"))
            .arg(&dump)
            .env("DATABASE_URL", &app.state().config.database_url)
            .output()
            .expect("backup script runs")
    };
    let result = backup();
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.expect("writer");
    assert!(
        result.status.success(),
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );

    // A second backup to the same file is refused; the first stays whole.
    let again = backup();
    assert_eq!(again.status.code(), Some(2));

    // The dump as SQL text: the cases are in it, no identity in clear.
    let sql = Command::new("pg_restore")
        .arg("--file=-")
        .arg(&dump)
        .output()
        .expect("pg_restore");
    assert!(sql.status.success());
    assert!(
        contains(&sql.stdout, "COPY public.cases"),
        "not a dump of Accord"
    );
    assert!(
        contains(&sql.stdout, "Written meanwhile"),
        "the cases are in the dump"
    );
    assert!(
        !contains(&sql.stdout, LEGAL_NAME),
        "a legal name in clear in the dump"
    );
    assert!(
        !contains(&sql.stdout, "Meanwhile Person"),
        "a legal name in clear in the dump"
    );

    let target = fresh_postgres_database().await.expect("a second database");
    let restore = |into: &str| {
        Command::new("bash")
            .arg(repo().join("ops/restore-postgres.sh"))
            .arg(&dump)
            .arg(into)
            .output()
            .expect("restore script runs")
    };
    let restored_run = restore(&target);
    assert!(
        restored_run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&restored_run.stdout),
        String::from_utf8_lossy(&restored_run.stderr)
    );
    // Restoring over a database that has tables is refused.
    assert_eq!(restore(&target).status.code(), Some(2));

    let restored = TestApp::spawn_on(target, |_| {}).await;
    assert_restored_whole(&restored, &before, written).await;
}

/// What `accord migrate --check` says, as a deploy script sees it.
fn migrate_check(dir: &Path, url: &str) -> (Option<i32>, String) {
    let out = accord(dir)
        .env("DATABASE_URL", url)
        .args(["migrate", "--check"])
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

on_both_backends! {
    async fn migrate_check_tells_a_deploy_script_whether_migrations_are_pending(app: TestApp) {
        let dir = tempfile::tempdir().expect("dir");
        // The server's database is migrated at start-up.
        let url = app.state().config.database_url.clone();
        assert_eq!(migrate_check(dir.path(), &url).0, Some(0));
        // A new database has every migration pending, by name; `migrate`
        // applies them, after which the check passes.
        let fresh = match app.db().get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => format!("sqlite://{}?mode=rwc", dir.path().join("new.db").display()),
            _ => fresh_postgres_database().await.expect("database"),
        };
        let (code, said) = migrate_check(dir.path(), &fresh);
        assert_eq!(code, Some(1), "{said}");
        let all = accord_migrations::Migrator::migrations();
        assert!(said.contains(&format!("{} migrations pending", all.len())), "{said}");
        assert!(said.contains("m20261201_000011_outbox_topics"), "{said}");
        let applied = accord(dir.path()).env("DATABASE_URL", &fresh).arg("migrate").output().expect("runs");
        assert!(applied.status.success());
        assert_eq!(migrate_check(dir.path(), &fresh).0, Some(0));
        // An unreachable database is neither "up to date" nor "pending".
        let (code, _) = migrate_check(dir.path(), "postgres://nobody@127.0.0.1:1/none");
        assert_eq!(code, Some(2));
    }
}

use crate::on_both_backends;

/// Two replicas starting at once on a new PostgreSQL database: both start,
/// and each migration is applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_starting_at_once_migrate_once() {
    let Some(url) = fresh_postgres_database().await else {
        return;
    };
    let (a, b) = tokio::join!(
        accord_server::app::App::build(test_config(url.clone())),
        accord_server::app::App::build(test_config(url.clone())),
    );
    let (a, b) = (
        a.expect("first replica starts"),
        b.expect("second replica starts"),
    );
    let rows = a
        .state()
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT version FROM seaql_migrations",
        ))
        .await
        .expect("applied migrations");
    let names: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "version").expect("name"))
        .collect();
    let all = accord_migrations::Migrator::migrations();
    assert_eq!(
        names.len(),
        all.len(),
        "each migration applied once: {names:?}"
    );
    assert!(accord_server::db::ping(&b.state().db).await.is_ok());
}
