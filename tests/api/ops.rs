//! Running it: the binary on a new checkout, the demo world, probes,
//! production refusals and the command line.
use std::process::{Command, Stdio};
use std::time::Duration;

use accord_server::demo::{ACCOUNTS, DEMO_PASSWORD};
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_accord");

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Polls `/readyz` of a server the test started, for up to 30 s.
pub(crate) async fn wait_until_ready(http: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

/// A `Command` for the binary with a clean `ACCORD_*` environment.
pub(crate) fn accord(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("ACCORD_") || k == "DATABASE_URL" {
            cmd.env_remove(k);
        }
    }
    cmd
}

async fn check_demo_accounts(app_login: impl AsyncFn(&str) -> Resp) {
    for account in &ACCOUNTS {
        let r = app_login(account.email).await;
        let l = &r.data()["login"];
        assert_eq!(l["viewer"]["user"]["email"], account.email);
        assert_eq!(l["viewer"]["user"]["role"], account.role.as_str());
        assert_eq!(
            l["viewer"]["country"].as_str(),
            account.country,
            "{}",
            account.email
        );
    }
}

on_both_backends! {
    async fn probes_answer(app: TestApp) {
        let r = app.http().get(app.url("/healthz")).send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 200);
        let r = app.http().get(app.url("/readyz")).send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_world_is_built_and_every_account_signs_in_on_postgres() {
    let Some(app) = TestApp::spawn_with(Backend::Postgres, |c| {
        c.demo = None;
        c.bootstrap_admin_email = None;
    })
    .await
    else {
        return;
    };
    check_demo_accounts(async |email| app.login_raw(email, DEMO_PASSWORD).await).await;
    let ch = app.login("ch-diplomat@accord.example", DEMO_PASSWORD).await;
    let nl = app.login("nl-diplomat@accord.example", DEMO_PASSWORD).await;
    let q = "{ coalitions { totalCount } missions { totalCount } }";
    assert_eq!(
        ch.q(q, json!({})).await.data()["coalitions"]["totalCount"],
        0,
        "CH is not in the coalition"
    );
    assert_eq!(
        nl.q(q, json!({})).await.data()["coalitions"]["totalCount"],
        1
    );
    assert_eq!(nl.q(q, json!({})).await.data()["missions"]["totalCount"], 6);

    // The demo cases show each rule at work.
    let cases = "{ cases { totalCount edges { node { pseudonym visibility } } } }";
    for (email, expected) in [
        (
            "ca-diplomat@accord.example",
            vec![("Defender A", "OWNER"), ("Defender C", "OWNER")],
        ),
        (
            "nl-diplomat@accord.example",
            vec![("Defender A", "DETAIL"), ("Defender B", "OWNER")],
        ),
        (
            "de-diplomat@accord.example",
            vec![("Defender A", "DETAIL"), ("", "SUMMARY")],
        ),
        ("ch-diplomat@accord.example", vec![("Defender B", "DETAIL")]),
        ("se-diplomat@accord.example", vec![("Defender A", "DETAIL")]),
        ("liaison@accord.example", vec![]),
        ("operator@accord.example", vec![]),
    ] {
        let who = app.login(email, DEMO_PASSWORD).await;
        let r = who.q(cases, json!({})).await;
        let got: Vec<(String, String)> = r.data()["cases"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                (
                    e["node"]["pseudonym"].as_str().unwrap_or("").to_owned(),
                    e["node"]["visibility"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        assert_eq!(got, expected, "{email}");
        assert_eq!(r.data()["cases"]["totalCount"], expected.len(), "{email}");
    }

    // Reports from two organizations, in several states, one linked to
    // case A, one naming an earlier report.
    let reports = "{ attackReports { totalCount edges { node { attackTypes myResponse { state }
        organization { name } cases { id } priorReports { id } } } } }";
    let states = |r: &Resp| -> Vec<(String, usize, usize)> {
        r.data()["attackReports"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                let n = &e["node"];
                (
                    n["myResponse"]["state"].as_str().unwrap_or("-").to_owned(),
                    n["cases"].as_array().map_or(0, Vec::len),
                    n["priorReports"].as_array().map_or(0, Vec::len),
                )
            })
            .collect()
    };
    let nl_reports = nl.q(reports, json!({})).await;
    let mut got = states(&nl_reports);
    got.sort();
    let want: Vec<(String, usize, usize)> = vec![
        ("ESCALATED".into(), 0, 0),
        ("LINKED".into(), 1, 0),
        ("RECEIVED".into(), 0, 1),
    ];
    assert_eq!(got, want, "NL's inbox");
    let de = app.login("de-diplomat@accord.example", DEMO_PASSWORD).await;
    assert_eq!(
        states(&de.q(reports, json!({})).await),
        vec![("NO_ACTION".to_owned(), 0, 0)]
    );
    let liaison = app.login("liaison@accord.example", DEMO_PASSWORD).await;
    let mine = liaison.q(reports, json!({})).await;
    assert_eq!(mine.data()["attackReports"]["totalCount"], 2);
    for e in mine.data()["attackReports"]["edges"]
        .as_array()
        .expect("edges")
    {
        assert_eq!(
            e["node"]["organization"]["name"],
            "Manila Defenders Network"
        );
        assert_eq!(e["node"]["cases"], json!([]), "liaisons see no case");
    }
    let ch = app.login("ch-diplomat@accord.example", DEMO_PASSWORD).await;
    assert_eq!(
        ch.q(reports, json!({})).await.data()["attackReports"]["totalCount"],
        0
    );

    // A circulating démarche led by NL: CA's approval went stale, SE approved
    // version 2, DE declined; CH (not invited) does not see it.
    let q = "{ statements { totalCount edges { node { status leadCountry currentVersion { number }
        participants { country role signature { status version } } cases { id } } } } }";
    let r = nl.q(q, json!({})).await;
    let s = &r.data()["statements"]["edges"][0]["node"];
    assert_eq!(s["status"], "CIRCULATING");
    assert_eq!(s["currentVersion"]["number"], 2);
    assert_eq!(s["cases"].as_array().map(Vec::len), Some(1));
    let sig = |c: &str| {
        s["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .find(|p| p["country"] == c)
            .map(|p| p["signature"].clone())
            .unwrap_or_default()
    };
    assert_eq!(sig("CA"), json!({ "status": "STALE", "version": 1 }));
    assert_eq!(sig("SE"), json!({ "status": "APPROVED", "version": 2 }));
    assert_eq!(sig("DE")["status"], "DECLINED");
    assert_eq!(sig("EU")["status"], "PENDING");
    let ch = app.login("ch-diplomat@accord.example", DEMO_PASSWORD).await;
    assert_eq!(
        ch.q(q, json!({})).await.data()["statements"]["totalCount"],
        0
    );

    // Hearings in two time zones: one roster full with a waitlist, one uncovered.
    let nl = app.login("nl-diplomat@accord.example", DEMO_PASSWORD).await;
    let r = nl
        .q("{ hearings { edges { node { timezone coverage confirmedCount claims { status position } } } } }", json!({}))
        .await;
    let hearings: Vec<serde_json::Value> = r.data()["hearings"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(hearings.len(), 2, "{hearings:?}");
    assert_eq!(hearings[0]["timezone"], "Asia/Manila");
    assert_eq!(hearings[0]["coverage"], "COVERED");
    assert_eq!(
        hearings[0]["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .filter(|c| c["status"] == "WAITLISTED")
            .count(),
        2
    );
    assert_eq!(hearings[1]["timezone"], "Europe/Zurich");
    assert_eq!(hearings[1]["coverage"], "UNCOVERED");
}

/// `accord` with no configuration but its port, in `dir`, once ready.
async fn serving_the_demo(dir: &std::path::Path) -> (std::process::Child, u16) {
    let port = free_port();
    let child = accord(dir)
        .env("ACCORD_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn accord");
    wait_until_ready(&reqwest::Client::new(), &format!("http://127.0.0.1:{port}")).await;
    (child, port)
}

/// What a newcomer does: run the binary with no configuration at all in an
/// empty directory (a SQLite file appears there), then sign in as every demo
/// account. Only the port differs from the documented default, so that tests
/// can run side by side.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_checkout_serves_the_demo_world_with_no_configuration() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, port) = serving_the_demo(dir.path()).await;
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    assert!(
        dir.path().join("accord.db").exists(),
        "SQLite file in the working directory"
    );
    check_demo_accounts(async |email| {
        let res = http
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken viewer { user { email role } country } } }",
                           "variables": { "e": email, "p": DEMO_PASSWORD } }))
            .send()
            .await
            .expect("sent");
        let body: serde_json::Value = res.json().await.expect("json");
        assert_error_codes(&body);
        Resp { status: 200, body }
    })
    .await;
    // SIGTERM: a graceful stop with exit status 0.
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().expect("wait");
    assert!(status.success(), "graceful shutdown: {status:?}");
}

/// SIGTERM while a request is half sent: the server stops taking
/// connections, answers that request in full (closing its connection after
/// it), then exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_in_flight_at_sigterm_is_answered() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, port) = serving_the_demo(dir.path()).await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    let mut socket = half_sent_post(&format!("127.0.0.1:{port}"), &body, 4).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "no new connection once stopping"
    );
    socket
        .write_all(&body.as_bytes()[4..])
        .await
        .expect("rest of the body");
    let raw = read_until_closed(&mut socket).await;
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.contains("\"__typename\":\"Query\""), "{raw}");
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(status.success(), "graceful shutdown: {status:?}");
}

/// Runs `accord` to its end, which must be a refusal; its standard error.
fn refused_at_start(accord: &mut Command) -> String {
    let out = accord.output().expect("run");
    assert!(!out.status.success(), "started: {out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn production_without_a_signing_key_refuses_to_start() {
    let dir = tempfile::tempdir().expect("dir");
    let stderr = refused_at_start(
        accord(dir.path())
            .env("ACCORD_MODE", "production")
            .env("ACCORD_BIND", format!("127.0.0.1:{}", free_port())),
    );
    assert!(stderr.contains("ACCORD_JWT_SECRET"), "{stderr}");
    assert!(!dir.path().join("accord.db").exists(), "nothing created");

    let stderr = refused_at_start(accord(dir.path()).env("ACCORD_MODE", "production").env(
        "ACCORD_JWT_SECRET",
        accord_server::config::DEVELOPMENT_JWT_SECRET,
    ));
    assert!(stderr.contains("development key"), "{stderr}");

    // A signing key alone is not enough: identity needs its own keys.
    let stderr = refused_at_start(accord(dir.path()).env("ACCORD_MODE", "production").env(
        "ACCORD_JWT_SECRET",
        "a-production-signing-key-of-enough-length-000",
    ));
    assert!(stderr.contains("ACCORD_IDENTITY_KEYS"), "{stderr}");
    assert!(!dir.path().join("accord.db").exists(), "nothing created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_mode_hides_graphiql_introspection_and_demo() {
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.mode = accord_server::config::Mode::Production;
        c.demo = None;
        c.identity_keys = Some("k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
        c.argon2_memory_kib = 19 * 1024;
        c.argon2_iterations = 2;
        // The operator signs in with a password alone here; the staff rule
        // has its own test (`second_factor`).
        c.require_second_factor_for_staff = Some(false);
    })
    .await
    else {
        return;
    };
    let r = app
        .http()
        .get(app.url("/graphql"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 404);
    let r = app
        .http()
        .get(app.url("/graphql/assets/graphiql.min.js"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 404, "no GraphiQL assets in production");
    let op = app.operator().await;
    let r = op.q("{ __schema { types { name } } }", json!({})).await;
    assert!(
        r.body["data"].is_null() || r.body["data"]["__schema"].is_null(),
        "{}",
        r.body
    );
    app.login_raw("ca-admin@accord.example", DEMO_PASSWORD)
        .await
        .assert_code("UNAUTHENTICATED");
}

#[test]
fn command_line_create_admin_export_schema_and_audit_verify() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    let mut child = accord(dir.path())
        .args([
            "create-admin",
            "--email",
            "root@ops.example",
            "--password-stdin",
        ])
        .env("DATABASE_URL", &db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{PASSWORD}").expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Twice: refused, nothing changed.
    let again = accord(dir.path())
        .args(["create-admin", "--email", "root@ops.example"])
        .env("DATABASE_URL", &db)
        .env("ACCORD_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD)
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(3));

    let verify = accord(dir.path())
        .args(["audit", "verify"])
        .env("DATABASE_URL", &db)
        .output()
        .expect("run");
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("intact: 1 events"));

    let sdl = accord(dir.path())
        .arg("export-schema")
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&sdl.stdout),
        accord_server::graphql::sdl()
    );

    for sub in ["serve", "migrate", "create-admin", "export-schema", "audit"] {
        let help = accord(dir.path())
            .args([sub, "--help"])
            .output()
            .expect("run");
        assert!(help.status.success(), "{sub} --help");
        assert!(!help.stdout.is_empty());
    }
}

#[test]
fn no_request_may_execute_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("dir");
    let out = accord(dir.path())
        .env("ACCORD_MAX_EXECUTING_REQUESTS", "0")
        .env("ACCORD_BIND", format!("127.0.0.1:{}", free_port()))
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ACCORD_MAX_EXECUTING_REQUESTS"), "{stderr}");
    assert!(!dir.path().join("accord.db").exists(), "nothing created");
}

/// An acquire timeout at or above the request timeout would let an outage
/// end as a bare 408 instead of `UNAVAILABLE`: refused at start, by name.
#[test]
fn a_database_wait_as_long_as_the_request_timeout_is_refused_at_start() {
    for (acquire, timeout) in [("30000", "30"), ("5000", "2"), ("50", "30")] {
        let dir = tempfile::tempdir().expect("dir");
        let out = accord(dir.path())
            .env("ACCORD_DB_ACQUIRE_TIMEOUT_MS", acquire)
            .env("ACCORD_REQUEST_TIMEOUT_SECS", timeout)
            .env("ACCORD_BIND", format!("127.0.0.1:{}", free_port()))
            .output()
            .expect("run");
        assert!(!out.status.success(), "{acquire} ms against {timeout} s");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("ACCORD_DB_ACQUIRE_TIMEOUT_MS"), "{stderr}");
        assert!(!dir.path().join("accord.db").exists(), "nothing created");
    }
}

/// The reverse-proxy example passes nginx's own validator (`nginx -t`, via
/// ops/nginx/validate.sh), and a broken copy of it does not — so the check
/// can fail. Needs nginx (`.ci/run` installs nginx-light); mandatory under CI.
#[test]
fn the_nginx_example_passes_nginx_t() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let validate = |conf: &std::path::Path| {
        Command::new("bash")
            .arg(repo.join("ops/nginx/validate.sh"))
            .arg(conf)
            .output()
            .expect("validate.sh runs")
    };
    let example = repo.join("ops/nginx/accord.conf");
    let out = validate(&example);
    if out.status.code() == Some(3) {
        if in_ci() {
            panic!("CI=true needs nginx for the proxy example check (apt-get install nginx-light)");
        }
        eprintln!("SKIPPED: nginx -t on ops/nginx/accord.conf (nginx not installed)");
        return;
    }
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(said.contains("test is successful"), "{said}");
    let text = std::fs::read_to_string(&example).expect("example");
    for needed in [
        "proxy_set_header Upgrade",
        "client_max_body_size",
        "ssl_certificate",
        "/graphql/ws",
    ] {
        assert!(text.contains(needed), "the example lacks {needed}");
    }
    let dir = tempfile::tempdir().expect("dir");
    let broken = dir.path().join("accord.conf");
    std::fs::write(&broken, text.replacen("keepalive 16;", "keepalive 16", 1)).expect("write");
    assert_eq!(
        validate(&broken).status.code(),
        Some(1),
        "a broken config passed"
    );
}

/// Metrics are never served on the public listener: the same port is
/// refused at start, by name.
#[test]
fn metrics_on_the_public_port_are_refused_at_start() {
    let port = free_port();
    for metrics in [format!("127.0.0.1:{port}"), format!("0.0.0.0:{port}")] {
        let dir = tempfile::tempdir().expect("dir");
        let out = accord(dir.path())
            .env("ACCORD_BIND", format!("127.0.0.1:{port}"))
            .env("ACCORD_METRICS_BIND", &metrics)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{metrics}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("ACCORD_METRICS_BIND"), "{stderr}");
    }
}

/// A calendar feed's path is its secret: whoever reads it can fetch the
/// feed. The running binary's own request log names the route, never the
/// token (the proxy example does not log it either).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_never_carries_a_calendar_token() {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
    let mut child = accord(dir.path())
        .env("ACCORD_BIND", format!("127.0.0.1:{port}"))
        .env(
            "RUST_LOG",
            "debug,sqlx=warn,sea_orm=warn,hyper=warn,h2=warn",
        )
        .stdout(Stdio::from(log.try_clone().expect("clone")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("spawn accord");
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let gql = async |token: Option<&str>, query: &str, variables: serde_json::Value| {
        data_of(&base, token, query, variables).await
    };
    wait_until_ready(&http, &base).await;
    let diplomat = ACCOUNTS
        .iter()
        .find(|a| a.role == accord_server::domain::role::Role::Diplomat)
        .expect("a demo diplomat");
    let login = gql(
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
        json!({ "e": diplomat.email, "p": DEMO_PASSWORD }),
    )
    .await;
    let token = login["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let feed = gql(
        Some(&token),
        "mutation { issueCalendarFeed { url } }",
        json!({}),
    )
    .await;
    let url = feed["issueCalendarFeed"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let secret = url
        .rsplit_once("/calendar/")
        .map(|(_, file)| file.trim_end_matches(".ics").to_owned())
        .expect("a feed path");
    let fetched = http
        .get(format!("{base}/calendar/{secret}.ics"))
        .send()
        .await
        .expect("feed");
    assert_eq!(fetched.status().as_u16(), 200);
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    child.wait().expect("wait");
    let logged = std::fs::read_to_string(dir.path().join("server.log")).expect("log");
    assert!(
        logged.contains("/calendar/<token>"),
        "the feed request is logged by its route:\n{logged}"
    );
    assert!(
        !logged.contains(&secret),
        "the calendar token reached the log"
    );
    assert!(!logged.contains(&token), "an access token reached the log");
}

/// A readiness bound too small to reach any database is refused, by name.
#[test]
fn a_readiness_bound_below_fifty_milliseconds_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("dir");
    let stderr = refused_at_start(
        accord(dir.path())
            .env("ACCORD_READINESS_TIMEOUT_MS", "10")
            .env("ACCORD_BIND", format!("127.0.0.1:{}", free_port())),
    );
    assert!(stderr.contains("ACCORD_READINESS_TIMEOUT_MS"), "{stderr}");
}

/// ops/README.md "Backup and restore": the copy holds emails, password
/// hashes and case summaries, so `accord backup` writes it readable by its
/// owner only (0600) whatever the umask; a missing target folder is a
/// refusal naming the folder (exit 2), not a database error, and leaves
/// nothing behind.
#[cfg(unix)]
#[test]
fn backup_writes_an_owner_only_file_and_names_a_missing_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("live.db").display());
    let migrated = accord(dir.path())
        .arg("migrate")
        .env("DATABASE_URL", &db)
        .output()
        .expect("run");
    assert!(migrated.status.success(), "{migrated:?}");

    // Under the usual umask 022 SQLite itself would create 0644.
    let copy = dir.path().join("copy.db");
    let mut sh = Command::new("sh");
    sh.current_dir(dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("ACCORD_") || k == "DATABASE_URL" {
            sh.env_remove(k);
        }
    }
    let out = sh
        .args([
            "-c",
            "umask 022 && exec \"$0\" \"$@\"",
            BIN,
            "backup",
            "--output",
        ])
        .arg(&copy)
        .env("DATABASE_URL", &db)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(&copy)
        .expect("the copy")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "backup file mode {mode:o}");
    assert!(std::fs::metadata(&copy).expect("copy").len() > 0, "filled");

    // A relative output lands in the working directory, 0600 as well.
    let out = accord(dir.path())
        .args(["backup", "--output", "relative.db"])
        .env("DATABASE_URL", &db)
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let mode = std::fs::metadata(dir.path().join("relative.db"))
        .expect("relative copy")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let missing = dir.path().join("no-such-folder");
    let out = accord(dir.path())
        .args(["backup", "--output"])
        .arg(missing.join("copy.db"))
        .env("DATABASE_URL", &db)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("the folder {} does not exist", missing.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("error returned from database"), "{stderr}");
    assert!(!missing.exists(), "nothing created");
}

/// `accord serve` in `dir` on `database` (its SQLite default when `None`),
/// once ready: the child and its base URL.
async fn serving_on(
    dir: &std::path::Path,
    database: Option<&str>,
) -> (std::process::Child, String) {
    let port = free_port();
    let mut cmd = accord(dir);
    cmd.env("ACCORD_BIND", format!("127.0.0.1:{port}"));
    if let Some(url) = database {
        cmd.env("DATABASE_URL", url);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn accord");
    let base = format!("http://127.0.0.1:{port}");
    wait_until_ready(&reqwest::Client::new(), &base).await;
    (child, base)
}

fn stop(mut child: std::process::Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().expect("wait");
    assert!(status.success(), "graceful shutdown: {status:?}");
}

/// One GraphQL request to a server the test started; its `data`, failing on
/// any error.
async fn data_of(
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let body: serde_json::Value = req.send().await.expect("sent").json().await.expect("json");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

async fn demo_token(base: &str, email: &str) -> String {
    let data = data_of(
        base,
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
        json!({ "e": email, "p": DEMO_PASSWORD }),
    )
    .await;
    data["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// Pseudonyms of the cases `email` sees, in order.
async fn cases_seen(base: &str, email: &str) -> Vec<String> {
    let token = demo_token(base, email).await;
    let data = data_of(
        base,
        Some(&token),
        "{ cases { edges { node { pseudonym } } } }",
        json!({}),
    )
    .await;
    data["cases"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["pseudonym"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// README "Cases and who sees them": the first walkthrough withdraws a
/// consent, which the later ones need; `accord demo --reset` builds the demo
/// world anew. It refuses — exit 2, nothing changed — without `--reset`, in
/// production mode, with `ACCORD_DEMO=false`, and on a database holding an
/// account that is not a demo account.
async fn demo_reset_on(demo_db: Option<String>, real_db: String) {
    let dir = tempfile::tempdir().expect("dir");
    let demo_db = demo_db.as_deref();
    let (child, base) = serving_on(dir.path(), demo_db).await;
    let ca = demo_token(&base, "ca-coordinator@accord.example").await;
    let cases = data_of(
        &base,
        Some(&ca),
        "{ cases { edges { node { id pseudonym } } } }",
        json!({}),
    )
    .await;
    let a = cases["cases"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["node"]["pseudonym"] == "Defender A")
        .map(|e| e["node"]["id"].as_str().expect("id").to_owned())
        .expect("Defender A");
    data_of(
        &base,
        Some(&ca),
        "mutation($id: ID!) { recordConsent(caseId: $id, input: { shareWithPartners: false,
            trialObservation: true, publicAdvocacy: false, givenBy: DEFENDER }) { id } }",
        json!({ "id": a }),
    )
    .await;
    assert_eq!(
        cases_seen(&base, "nl-diplomat@accord.example").await,
        ["Defender B"]
    );
    stop(child);

    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = accord(dir.path());
        cmd.args(args);
        if let Some(url) = demo_db {
            cmd.env("DATABASE_URL", url);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run")
    };
    let refused = |out: std::process::Output, why: &str| {
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(why), "{stderr}");
    };
    refused(run(&["demo"], &[]), "give --reset");
    refused(
        run(
            &["demo", "--reset"],
            &[
                ("ACCORD_MODE", "production"),
                (
                    "ACCORD_JWT_SECRET",
                    "a-production-signing-key-of-enough-length-000",
                ),
                (
                    "ACCORD_IDENTITY_KEYS",
                    "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                ),
            ],
        ),
        "ACCORD_MODE=development",
    );
    refused(
        run(&["demo", "--reset"], &[("ACCORD_DEMO", "false")]),
        "ACCORD_DEMO not false",
    );
    let (child, base) = serving_on(dir.path(), demo_db).await;
    assert_eq!(
        cases_seen(&base, "nl-diplomat@accord.example").await,
        ["Defender B"],
        "refusals changed nothing"
    );
    stop(child);

    let out = run(&["demo", "--reset"], &[]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("built anew"));
    let (child, base) = serving_on(dir.path(), demo_db).await;
    assert_eq!(
        cases_seen(&base, "nl-diplomat@accord.example").await,
        ["Defender A", "Defender B"],
        "the demo world is back as first built"
    );
    stop(child);

    // A database with an account of its own is not a demo, whatever the
    // configuration says.
    let other = tempfile::tempdir().expect("dir");
    let admin = |args: &[&str]| {
        accord(other.path())
            .args(args)
            .env("DATABASE_URL", &real_db)
            .env("ACCORD_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD)
            .output()
            .expect("run")
    };
    assert!(
        admin(&["create-admin", "--email", "root@ops.example"])
            .status
            .success()
    );
    refused(admin(&["demo", "--reset"]), "not demo accounts");
    assert_eq!(
        admin(&["create-admin", "--email", "root@ops.example"])
            .status
            .code(),
        Some(3),
        "the operator is still there"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_reset_rebuilds_the_demo_world_and_refuses_real_databases() {
    let real = tempfile::tempdir().expect("dir");
    demo_reset_on(
        None,
        format!(
            "sqlite://{}?mode=rwc",
            real.path().join("real.db").display()
        ),
    )
    .await;
    if let (Some(demo), Some(real)) = (
        fresh_postgres_database().await,
        fresh_postgres_database().await,
    ) {
        demo_reset_on(Some(demo), real).await;
    }
}

/// nginx running `ops/nginx/accord.conf` itself (TLS on a free port, a
/// throwaway certificate, everything in a temporary directory) in front of
/// `upstream_port`; stopped on drop.
struct ExampleNginx {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl ExampleNginx {
    fn start(nginx: &std::path::Path, upstream_port: u16) -> ExampleNginx {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = tempfile::tempdir().expect("dir");
        let tmp = dir.path();
        for sub in ["logs", "ssl"] {
            std::fs::create_dir(tmp.join(sub)).expect("mkdir");
        }
        let made = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=accord.example.org", "-keyout"])
            .arg(tmp.join("ssl/privkey.pem"))
            .arg("-out")
            .arg(tmp.join("ssl/fullchain.pem"))
            .output()
            .expect("openssl");
        assert!(made.status.success(), "a throwaway certificate");
        let (tls, plain) = (free_port(), free_port());
        let example = std::fs::read_to_string(repo.join("ops/nginx/accord.conf")).expect("example");
        let conf: String = example
            .lines()
            .filter(|line| !line.trim_start().starts_with("listen [::]"))
            .map(|line| {
                line.replace("/etc/ssl/accord/", &format!("{}/ssl/", tmp.display()))
                    .replace("/var/log/nginx/", &format!("{}/logs/", tmp.display()))
                    .replace("listen 443 ", &format!("listen 127.0.0.1:{tls} "))
                    .replace("listen 80;", &format!("listen 127.0.0.1:{plain};"))
                    .replace(
                        "server 127.0.0.1:8080 ",
                        &format!("server 127.0.0.1:{upstream_port} "),
                    )
                    + "\n"
            })
            .collect();
        std::fs::write(tmp.join("accord.conf"), conf).expect("conf");
        let wrapper = format!(
            "daemon off;\nmaster_process off;\npid {t}/nginx.pid;\nlock_file {t}/nginx.lock;\n\
             error_log {t}/logs/error.log;\nevents {{}}\nhttp {{\n\
             client_body_temp_path {t}/client_body;\nproxy_temp_path {t}/proxy;\n\
             fastcgi_temp_path {t}/fastcgi;\nuwsgi_temp_path {t}/uwsgi;\nscgi_temp_path {t}/scgi;\n\
             include {t}/accord.conf;\n}}\n",
            t = tmp.display()
        );
        std::fs::write(tmp.join("nginx.conf"), wrapper).expect("nginx.conf");
        let child = Command::new(nginx)
            .arg("-p")
            .arg(tmp)
            .arg("-c")
            .arg(tmp.join("nginx.conf"))
            .arg("-e")
            .arg(tmp.join("logs/error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let started = ExampleNginx {
            child,
            base: format!("https://127.0.0.1:{tls}"),
            _dir: dir,
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", tls)).is_ok() {
                return started;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let log =
            std::fs::read_to_string(started._dir.path().join("logs/error.log")).unwrap_or_default();
        panic!("nginx did not listen: {log}");
    }
}

impl Drop for ExampleNginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The nginx example at work, not only `nginx -t`: in front of a real server
/// it serves the web client and the API; a flood from one address is
/// answered `RATE_LIMITED` in GraphQL's shape (429, `Retry-After`); and when
/// no replica can be reached the answer is a GraphQL `UNAVAILABLE` (503)
/// rather than nginx's HTML page. Needs nginx; mandatory under CI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nginx_example_serves_and_refuses_in_graphqls_shape() {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists());
    let Some(nginx) = nginx else {
        if in_ci() {
            panic!("CI=true needs nginx (apt-get install nginx-light)");
        }
        eprintln!("SKIPPED: the nginx example at work (nginx not installed)");
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.expect("sqlite");
    let port: u16 = app
        .addr()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .expect("client");
    let graphql = |base: &str| {
        http.post(format!("{base}/graphql"))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };

    let up = ExampleNginx::start(&nginx, port);
    let answer = graphql(&up.base).await.expect("through nginx");
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
    let page = http
        .get(format!("{}/sign-in", up.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200, "the web client is proxied");
    assert!(page.text().await.expect("html").contains("<form"));
    let probe = http
        .get(format!("{}/readyz", up.base))
        .send()
        .await
        .expect("probe");
    assert_eq!(probe.status(), 404, "probes stay local");

    // 20 a second with a burst of 40, per address: 120 at once overflow it.
    let flood = futures::future::join_all((0..120).map(|_| graphql(&up.base))).await;
    let mut limited = 0;
    for answer in flood {
        let answer = answer.expect("answered");
        if answer.status() == 429 {
            limited += 1;
            assert_eq!(answer.headers()["retry-after"], "1");
            let body: serde_json::Value = answer.json().await.expect("json, not HTML");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
                "{body}"
            );
        } else {
            assert_eq!(answer.status(), 200);
        }
    }
    assert!(limited > 0, "the flood was not limited");

    let down = ExampleNginx::start(&nginx, free_port());
    let answer = graphql(&down.base).await.expect("nginx answers");
    assert_eq!(answer.status(), 503);
    assert_eq!(answer.headers()["retry-after"], "1");
    let body: serde_json::Value = answer.json().await.expect("json, not HTML");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    drop(up);
}
