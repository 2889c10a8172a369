//! Live subscriptions through the client applications really use: the npm
//! `graphql-ws` client over the `ws` package in Node.js
//! (`tests/clients/subscribe.mjs`, one child process per subscription),
//! against the real server on both databases. The protocol details are
//! covered by our own WebSocket client in `live.rs` and
//! `statement_live_mail.rs`; these prove that a stock client connects with
//! `connectionParams`, receives the events, sees `NOT_FOUND` and the end of
//! the stream when access goes, and is refused with a bad token.
//!
//! Needs `node` and `npm ci --prefix tests/clients`: skipped without them,
//! except under CI=true where their absence fails the test.
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

use crate::builders::{
    approve, claim, created, manila_in, observed_case, revise, schedule, uninvite,
};
use crate::helpers::{Actor, TestApp, assert_error_codes, str_of};
use crate::on_both_backends;

/// How long a test waits for something that should happen (a Node.js
/// process starts, connects and subscribes well within it).
const PATIENCE: Duration = Duration::from_secs(20);

const STATEMENT_SUBSCRIPTION: &str = "subscription($id: ID!) { statementChanged(id: $id) {
    id status currentVersion { number } participants { country role signature { status version } } } }";

const ROSTER_SUBSCRIPTION: &str = "subscription($h: ID!) { rosterChanged(hearingId: $h) {
    id observersNeeded confirmedCount coverage claims { status position country } } }";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `tests/clients`, from the server crate's manifest directory.
fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/clients")
}

/// Whether `node` and the installed client packages are there; under CI
/// their absence fails the test, elsewhere it skips it (with a note).
fn node_client_available() -> bool {
    let dir = clients_dir();
    let node = std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let missing = match node {
        Ok(status) if status.success() => ["graphql-ws", "ws"]
            .into_iter()
            .find(|package| !dir.join("node_modules").join(package).is_dir())
            .map(|package| {
                format!(
                    "{} is not installed",
                    dir.join("node_modules").join(package).display()
                )
            }),
        Ok(status) => Some(format!("`node --version` failed ({status})")),
        Err(e) => Some(format!("`node` cannot be run ({e})")),
    };
    let Some(why) = missing else {
        return true;
    };
    if in_ci() {
        panic!(
            "the graphql-ws client tests are required under CI=true: {why}; \
             install Node.js and run `npm ci --prefix tests/clients`"
        );
    }
    eprintln!("SKIPPED: graphql-ws client test ({why}; run `npm ci --prefix tests/clients`)");
    false
}

/// One `node subscribe.mjs` process holding one subscription.
struct NodeSubscription {
    child: Child,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: Arc<Mutex<String>>,
}

impl NodeSubscription {
    /// Starts the client: connect with `token`, subscribe, stop after
    /// `max_events` payloads.
    fn start(app: &TestApp, token: &str, query: &str, variables: Value, max_events: u32) -> Self {
        let url = app.url("/graphql/ws").replacen("http", "ws", 1);
        let dir = clients_dir();
        let mut child = Command::new("node")
            .arg(dir.join("subscribe.mjs"))
            .args([
                url.as_str(),
                token,
                query,
                &variables.to_string(),
                &max_events.to_string(),
            ])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts");
        let stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let stderr = Arc::new(Mutex::new(String::new()));
        // Kept as it comes, for failure messages while the process still runs.
        let mut pipe = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let sink = stderr.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = pipe.next_line().await {
                let mut text = sink.lock().expect("stderr buffer");
                text.push_str(&line);
                text.push('\n');
            }
        });
        NodeSubscription {
            child,
            stdout,
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr buffer").clone()
    }

    /// The next JSON line, or `None` once stdout is closed (the process ends).
    async fn line(&mut self) -> Option<Value> {
        let line = tokio::time::timeout(PATIENCE, self.stdout.next_line())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no line from the graphql-ws client within {PATIENCE:?}; stderr: {}",
                    self.stderr()
                )
            })
            .expect("read stdout")?;
        let value: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("not a JSON line from the graphql-ws client ({e}): {line}"));
        if let Some(errors) = value.get("errors")
            && errors
                .as_array()
                .is_some_and(|e| e.iter().any(|e| e.get("closeCode").is_none()))
        {
            assert_error_codes(&value);
        }
        Some(value)
    }

    /// `data.<field>` of the next payload, failing on errors or anything else.
    async fn next_data(&mut self, field: &str) -> Value {
        match self.line().await {
            Some(payload)
                if payload.get("errors").is_none() && payload["data"][field].is_object() =>
            {
                payload["data"][field].clone()
            }
            other => panic!(
                "expected data.{field}, got {other:?}; stderr: {}",
                self.stderr()
            ),
        }
    }

    /// Every line until the process ends, and how it ended.
    async fn rest(mut self) -> (Vec<Value>, ExitStatus) {
        let mut lines = Vec::new();
        while let Some(line) = self.line().await {
            lines.push(line);
        }
        let status = tokio::time::timeout(PATIENCE, self.child.wait())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the graphql-ws client did not exit; stderr: {}",
                    self.stderr()
                )
            })
            .expect("wait for node");
        (lines, status)
    }
}

/// The error codes in client output lines (`next` payloads with errors, or
/// the `{"errors": ...}` line of a failed subscription).
fn codes(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| line["errors"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            e["extensions"]["code"]
                .as_str()
                .unwrap_or("<none>")
                .to_owned()
        })
        .collect()
}

fn signature(statement: &Value, country: &str) -> Value {
    statement["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["country"] == country)
        .unwrap_or_else(|| panic!("{country} is not a participant: {statement}"))["signature"]
        .clone()
}

fn watch_statement(app: &TestApp, watcher: &Actor, id: &str, max_events: u32) -> NodeSubscription {
    NodeSubscription::start(
        app,
        &watcher.token,
        STATEMENT_SUBSCRIPTION,
        json!({ "id": id }),
        max_events,
    )
}

on_both_backends! {
    async fn graphql_ws_follows_a_statement(app: TestApp) {
        if !node_client_available() {
            return;
        }
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        app.mission("DE").await;
        let id = created(&ca, &["NL", "DE"], json!({})).await;

        let watcher = app.diplomat("NL").await;
        let mut client = watch_statement(&app, &watcher, &id, 3);
        // First the statement as it is now.
        let now = client.next_data("statementChanged").await;
        assert_eq!(now["id"], id.as_str());
        assert_eq!(now["status"], "CIRCULATING");
        assert_eq!(now["currentVersion"]["number"], 1);
        assert_eq!(signature(&now, "NL"), json!({ "status": "PENDING", "version": null }));

        // A revision.
        revise(&ca, &id, 1, "A second text.\n").await.data();
        let revised = client.next_data("statementChanged").await;
        assert_eq!(revised["id"], id.as_str());
        assert_eq!(revised["currentVersion"]["number"], 2);

        // An approval of the new version.
        approve(&nl, &id, 2).await.data();
        let approved = client.next_data("statementChanged").await;
        assert_eq!(approved["currentVersion"]["number"], 2);
        assert_eq!(signature(&approved, "NL"), json!({ "status": "APPROVED", "version": 2 }));

        // Three events asked for, three received: the client leaves cleanly.
        let (rest, status) = client.rest().await;
        assert_eq!(rest, Vec::<Value>::new());
        assert!(status.success(), "{status}");
    }

    async fn graphql_ws_sees_not_found_when_its_country_is_removed(app: TestApp) {
        if !node_client_available() {
            return;
        }
        let ca = app.user("COORDINATOR", "CA").await;
        let watcher = app.diplomat("NL").await;
        app.mission("SE").await;
        let id = created(&ca, &["NL", "SE"], json!({})).await;
        let mut client = watch_statement(&app, &watcher, &id, 10);
        assert_eq!(client.next_data("statementChanged").await["id"], id.as_str());

        uninvite(&ca, &id, &["NL"]).await.data();
        // The stream ends with NOT_FOUND, no data, and the client stops by itself.
        let (rest, status) = client.rest().await;
        assert_eq!(codes(&rest), ["NOT_FOUND"], "{rest:?}");
        assert!(rest.iter().all(|line| line["data"].is_null()), "data after the removal: {rest:?}");
        assert_eq!(rest.last(), Some(&json!({ "complete": true })), "{rest:?}");
        assert!(status.success(), "{status}");
        // Subscribing again is refused the same way.
        let again = watch_statement(&app, &watcher, &id, 10);
        let (rest, _) = again.rest().await;
        assert_eq!(codes(&rest), ["NOT_FOUND"], "{rest:?}");
        assert!(rest.iter().all(|line| line["data"].is_null()), "{rest:?}");
    }

    async fn graphql_ws_follows_a_roster(app: TestApp) {
        if !node_client_available() {
            return;
        }
        let (coord, case) = observed_case(&app).await;
        let hearing = schedule(&coord, &case, &manila_in(30), "Asia/Manila", 1).await;
        let hearing = str_of(&hearing.data()["scheduleHearing"]["id"], "hearing id");
        let watcher = app.diplomat("CA").await;
        let mut client = NodeSubscription::start(&app, &watcher.token, ROSTER_SUBSCRIPTION, json!({ "h": hearing }), 2);
        // The roster as it is now.
        let now = client.next_data("rosterChanged").await;
        assert_eq!(now["id"], hearing.as_str());
        assert_eq!((now["confirmedCount"].as_i64(), now["coverage"].as_str()), (Some(0), Some("UNCOVERED")));
        assert_eq!(now["claims"], json!([]));

        // A claim.
        let nl = app.diplomat("NL").await;
        assert_eq!(claim(&nl, &hearing).await.data()["claimRosterSlot"]["status"], "CONFIRMED");
        let after = client.next_data("rosterChanged").await;
        assert_eq!((after["confirmedCount"].as_i64(), after["coverage"].as_str()), (Some(1), Some("COVERED")));
        assert_eq!(after["claims"], json!([{ "status": "CONFIRMED", "position": null, "country": "NL" }]));

        let (rest, status) = client.rest().await;
        assert_eq!(rest, Vec::<Value>::new());
        assert!(status.success(), "{status}");
    }

    async fn graphql_ws_is_refused_with_a_bad_token(app: TestApp) {
        if !node_client_available() {
            return;
        }
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let id = created(&ca, &["NL"], json!({})).await;
        for token in ["not-a-token".to_owned(), format!("{}x", nl.token), String::new()] {
            let client = NodeSubscription::start(&app, &token, STATEMENT_SUBSCRIPTION, json!({ "id": id }), 1);
            let (lines, status) = client.rest().await;
            // connection_init refused: the connection closes with 4403, which
            // graphql-ws reports as the subscription's error (no data, no retry).
            assert_eq!(lines.len(), 1, "token {token:?}: {lines:?}");
            let error = &lines[0]["errors"][0];
            assert_eq!(error["closeCode"], 4403, "token {token:?}: {lines:?}");
            assert!(
                error["closeReason"].as_str().is_some_and(|r| r.starts_with("Forbidden")),
                "token {token:?}: {lines:?}"
            );
            assert!(!status.success(), "token {token:?}: {status}");
        }
    }
}
