//! Joint statements, live and by email: `statementChanged` over
//! `graphql-transport-ws` (the statement now, then one event per change;
//! visibility re-checked on every event; across two server processes on one
//! PostgreSQL), and the statement emails over a real SMTP socket
//! (`smtp.rs`): invitations, approvals gone stale, the once-only 24 h
//! deadline reminder and its overtaken drop, finalization — none carrying
//! the title, the text, the case or a country (docs/RULES.md rule 8).
use std::time::Duration as StdDuration;

use accord_server::jobs::{self as worker, MAX_BACKOFF_SECS};
use accord_server::mail::transport::Mailer;
use accord_server::store::outbox;
use base64::Engine;
use chrono::Duration;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, header};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

use crate::builders::{
    approve, created, deactivate, decline, finalize, invite, open_case, recipients, revise,
    row_uuid, signature_of, uninvite, users,
};
use crate::helpers::*;
use crate::live::Received;
use crate::on_both_backends;
use crate::smtp::{self, SmtpServer};

const SUBSCRIPTION: &str = "subscription($id: ID!) { statementChanged(id: $id) {
    id status currentVersion { number } participants { country role signature { status version } }
    signatories } }";

/// How long a test waits for something that should happen.
const PATIENCE: StdDuration = StdDuration::from_secs(10);
/// How long a test waits to be sure that something does not happen.
const QUIET: StdDuration = StdDuration::from_millis(700);

const INVITED: &str = "Accord: your country is invited to sign a joint statement";
const STALE: &str = "Accord: a statement you approved has changed";
const DEADLINE: &str = "Accord: a statement's sign-on deadline is near";
const FINALIZED: &str = "Accord: a joint statement was finalized";

fn global(kind: &str, id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

// ---------------------------------------------------------------------------
// A graphql-transport-ws client for `statementChanged`.

struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    /// Opens the WebSocket, initialises with `actor`'s token, expects the ack.
    async fn connect(app: &TestApp, actor: &Actor) -> Ws {
        let url = app.url("/graphql/ws").replacen("http", "ws", 1);
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("upgrade");
        let mut ws = Ws { socket };
        ws.send(json!({ "type": "connection_init",
            "payload": { "Authorization": format!("Bearer {}", actor.token) } }))
            .await;
        match ws.recv().await {
            Received::Message(m) if m["type"] == "connection_ack" => ws,
            other => panic!("expected connection_ack, got {other:?}"),
        }
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    async fn subscribe_query(&mut self, id: &str, query: &str, statement: &str) {
        self.send(json!({ "type": "subscribe", "id": id,
            "payload": { "query": query, "variables": { "id": statement } } }))
            .await;
    }

    async fn subscribe(&mut self, id: &str, statement: &str) {
        self.send(json!({ "type": "subscribe", "id": id,
            "payload": { "query": SUBSCRIPTION, "variables": { "id": statement } } }))
            .await;
    }

    /// The next protocol message (pings answered on the way), or the close.
    async fn recv_within(&mut self, wait: StdDuration) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON message");
                    if value["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    if let Some(payload) = value.get("payload") {
                        assert_error_codes(payload);
                    }
                    return Some(Received::Message(value));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Some(Received::Closed(
                        frame.map_or(1005, |f| u16::from(f.code)),
                        String::new(),
                    ));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Some(Received::Closed(1006, String::new())),
            }
        }
    }

    async fn recv(&mut self) -> Received {
        self.recv_within(PATIENCE)
            .await
            .expect("a message from the server in time")
    }

    /// The next `next` message of each of the subscriptions `ids` (one
    /// each, in whatever order they come), by id; fails on anything else.
    async fn next_of_each(&mut self, ids: &[&str]) -> std::collections::HashMap<String, Value> {
        let mut seen = std::collections::HashMap::new();
        while seen.len() < ids.len() {
            let Received::Message(m) = self.recv().await else {
                panic!("the socket closed");
            };
            assert_eq!(m["type"], "next", "{m}");
            let id = str_of(&m["id"], "id");
            assert!(
                ids.contains(&id.as_str()),
                "unexpected subscription {id}: {m}"
            );
            assert!(seen.insert(id, m.clone()).is_none(), "twice: {m}");
        }
        seen
    }

    /// The statement carried by the next `next` message of subscription `id`.
    async fn next_statement(&mut self, id: &str) -> Value {
        match self.recv().await {
            Received::Message(m) if m["type"] == "next" && m["id"] == id => {
                let payload = &m["payload"];
                assert!(payload.get("errors").is_none(), "unexpected errors: {m}");
                payload["data"]["statementChanged"].clone()
            }
            other => panic!("expected next for {id}, got {other:?}"),
        }
    }

    /// Every message of subscription `id` until it ends, without the id;
    /// fails on any data on the way.
    async fn ending_raw(&mut self, id: &str) -> Vec<Value> {
        let mut got = Vec::new();
        loop {
            match self.recv().await {
                Received::Message(mut m) if m["id"] == id => {
                    let kind = m["type"].as_str().unwrap_or_default().to_owned();
                    assert!(
                        kind != "next" || m["payload"]["data"].is_null(),
                        "data after the end of visibility: {m}"
                    );
                    if let Some(o) = m.as_object_mut() {
                        o.remove("id");
                    }
                    got.push(m);
                    if kind == "complete" || kind == "error" {
                        return got;
                    }
                }
                other => panic!("expected the end of {id}, got {other:?}"),
            }
        }
    }

    /// The error codes subscription `id` ended with.
    async fn ending(&mut self, id: &str) -> Vec<String> {
        self.ending_raw(id)
            .await
            .iter()
            .flat_map(|m| {
                let errors = match m["type"].as_str() {
                    Some("next") => &m["payload"]["errors"],
                    _ => &m["payload"],
                };
                errors
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or("<none>")
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Fails if anything arrives for a while.
    async fn assert_quiet(&mut self) {
        if let Some(m) = self.recv_within(QUIET).await {
            panic!("expected nothing, got {m:?}");
        }
    }
}

fn countries_of(statement: &Value) -> Vec<String> {
    statement["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| str_of(&p["country"], "country"))
        .collect()
}

fn sig(statement: &Value, country: &str) -> (String, Option<i64>) {
    signature_of(statement, country)
}

fn pending() -> (String, Option<i64>) {
    ("PENDING".into(), None)
}

fn approved(v: i64) -> (String, Option<i64>) {
    ("APPROVED".into(), Some(v))
}

// ---------------------------------------------------------------------------
// Statements whose every typed word is a marker, and the email checks.

/// A statement about a CA case whose title, text and case carry markers.
struct Marked {
    id: String,
    /// What no email may carry, in any case.
    secrets: Vec<String>,
}

const TITLE: &str = "Quetzalmarker démarche on the detention of Xylomarker";
const BODY: &str = "Vexillamarker: the undersigned missions are gravely concerned by the \
    detention of Xylomarker, a land defender from Mindanao.\nWe urge a fair trial.\n";
const REVISED: &str = "Obsidianmarker: the undersigned missions are gravely concerned.\n";
const REASON: &str = "Tamarindmarker: not in line with our capital's instructions";

impl Marked {
    async fn create(lead: &Actor, invited: &[&str], extra: Value) -> Marked {
        let pseudonym = format!(
            "Kestrelmarker {}",
            &Uuid::new_v4().simple().to_string()[..6]
        );
        let case = open_case(lead, &pseudonym, "Legal Wrenmarker Name").await;
        let mut input = json!({ "title": TITLE, "body": BODY, "caseIds": [case["id"]] });
        if let (Some(base), Some(more)) = (input.as_object_mut(), extra.as_object()) {
            for (k, v) in more {
                base.insert(k.clone(), v.clone());
            }
        }
        let id = created(lead, invited, input).await;
        let mut secrets: Vec<String> = [
            TITLE,
            "Quetzalmarker",
            "Xylomarker",
            "détention",
            "detention",
            BODY,
            "Vexillamarker",
            "gravely",
            "undersigned",
            "fair trial",
            REVISED,
            "Obsidianmarker",
            REASON,
            "Tamarindmarker",
            "instructions",
            "Kestrelmarker",
            "Wrenmarker",
            "Mindanao",
            "Community leader",
            "prefers Signal",
            "Barangay",
            "Test User",
            "Embassy",
        ]
        .map(str::to_owned)
        .to_vec();
        secrets.push(pseudonym);
        secrets.push(str_of(&case["reference"], "reference"));
        Marked { id, secrets }
    }
}

/// The app with an SMTP server the test's worker rounds send to.
struct Mail {
    app: TestApp,
    smtp: SmtpServer,
    mailer: Mailer,
}

impl Mail {
    async fn new(app: &TestApp) -> Mail {
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        Mail {
            app: app.clone(),
            smtp,
            mailer,
        }
    }

    /// One worker round, as each replica runs it; messages sent.
    async fn round(&self) -> usize {
        worker::run_once(self.app.state(), &self.mailer)
            .await
            .expect("a round runs")
    }

    /// Rounds until nothing more goes out; fails if a further round sends.
    async fn settle(&self) -> usize {
        let sent = self.round().await;
        for _ in 0..2 {
            assert_eq!(self.round().await, 0, "each notice is sent once");
        }
        sent
    }

    fn subjects_to(&self, who: &Actor) -> Vec<String> {
        self.smtp
            .messages_to(&who.email)
            .iter()
            .map(smtp::Received::subject)
            .collect()
    }

    /// Every outbox row of `kind`, oldest first.
    async fn outbox(&self, kind: &str) -> Vec<outbox::Model> {
        crate::builders::outbox_of(&self.app, kind).await
    }

    /// Rule 8 for every message so far: one recipient, a link to
    /// `/statements/<id>` of `statement`, and nothing it or its case says,
    /// no country, in the subject, the body or the raw message.
    #[track_caller]
    fn assert_all_discreet(&self, statement: &Marked) {
        let got = self.smtp.messages();
        assert!(!got.is_empty(), "no message to check");
        let public = self
            .app
            .state()
            .config
            .public_url
            .trim_end_matches('/')
            .to_owned();
        let link = format!("{public}/statements/{}", statement.id);
        let codes = regex::Regex::new(r"\b(PH|NL|CA|DE|SE|FR|JP)\b").expect("country code regex");
        let names = [
            "Philippines",
            "Netherlands",
            "Canada",
            "Germany",
            "Sweden",
            "France",
            "Japan",
            "Dutch",
            "Canadian",
            "German",
            "Swedish",
            "French",
        ];
        for m in &got {
            assert_eq!(m.recipients.len(), 1, "one recipient per message");
            let subject = m.subject();
            let body = m.body();
            assert!(body.contains(&link), "no link {link} in:\n{body}");
            // The link carries the API's global id (the web page's
            // address), and the id appears nowhere else in the message.
            assert_eq!(body.matches(&statement.id).count(), 1, "{body}");
            let words = format!("{subject}\n{body}").to_lowercase();
            let raw = m.data.to_lowercase();
            for secret in &statement.secrets {
                let secret = secret.to_lowercase();
                assert!(
                    !words.contains(&secret),
                    "an email carries {secret:?}:\n{subject}\n{body}"
                );
                if secret.contains("marker") || secret.len() > 20 {
                    assert!(!raw.contains(&secret), "the raw message carries {secret:?}");
                }
            }
            for text in [&subject, &body] {
                assert!(!codes.is_match(text), "an email names a country:\n{text}");
                for name in names {
                    assert!(!text.contains(name), "an email names {name}:\n{text}");
                }
            }
        }
    }
}

fn status_of(row: &outbox::Model) -> (&str, Option<&str>) {
    (row.status.as_str(), row.drop_reason.as_deref())
}

// ---------------------------------------------------------------------------
// Live.

on_both_backends! {
    async fn an_invited_country_follows_every_change(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.user("COORDINATOR", "DE").await;
        app.mission("SE").await;
        let id = created(&ca, &["NL", "DE"], json!({})).await;

        let watcher = app.diplomat("NL").await;
        let mut ws = Ws::connect(&app, &watcher).await;
        ws.subscribe("1", &id).await;
        // First the statement as it is now.
        let now = ws.next_statement("1").await;
        assert_eq!(now["id"], id.as_str());
        assert_eq!(now["status"], "CIRCULATING");
        assert_eq!(now["currentVersion"]["number"], 1);
        assert_eq!(countries_of(&now), ["CA", "DE", "NL"]);
        assert_eq!(sig(&now, "NL"), pending());

        // Then one event per change by others.
        approve(&de, &id, 1).await.data();
        let e = ws.next_statement("1").await;
        assert_eq!(sig(&e, "DE"), approved(1));
        assert_eq!(e["currentVersion"]["number"], 1);

        revise(&ca, &id, 1, "A second text.\n").await.data();
        let e = ws.next_statement("1").await;
        assert_eq!(e["currentVersion"]["number"], 2);
        assert_eq!(sig(&e, "DE"), ("STALE".into(), Some(1)));

        approve(&nl, &id, 2).await.data();
        let e = ws.next_statement("1").await;
        assert_eq!(sig(&e, "NL"), approved(2));

        decline(&de, &id, "No instructions yet.").await.data();
        let e = ws.next_statement("1").await;
        assert_eq!(sig(&e, "DE"), ("DECLINED".into(), None));

        invite(&ca, &id, &["SE"], None).await.data();
        let e = ws.next_statement("1").await;
        assert_eq!(countries_of(&e), ["CA", "DE", "NL", "SE"]);
        assert_eq!(sig(&e, "SE"), pending());
        uninvite(&ca, &id, &["SE"]).await.data();
        let e = ws.next_statement("1").await;
        assert_eq!(countries_of(&e), ["CA", "DE", "NL"]);
        ws.assert_quiet().await;

        // Changes to another statement, or to nothing NL sees, are not events here.
        let other = created(&ca, &["NL"], json!({})).await;
        revise(&ca, &other, 1, "Elsewhere.\n").await.data();
        ws.assert_quiet().await;

        approve(&ca_diplomat, &id, 2).await.data();
        assert_eq!(sig(&ws.next_statement("1").await, "CA"), approved(2));
        let f = finalize(&ca, &id).await;
        assert_eq!(f.data()["finalizeStatement"]["status"], "FINAL");
        let e = ws.next_statement("1").await;
        assert_eq!(e["status"], "FINAL");
        assert_eq!(e["signatories"], json!(["CA", "NL"]));
        ca.q("mutation($id: ID!, $at: DateTime!) { markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: MEETING }) { id } }",
            json!({ "id": id, "at": app.state().clock.now().to_rfc3339() })).await.data();
        assert_eq!(ws.next_statement("1").await["status"], "DELIVERED");
        // One event per change: nothing else follows.
        ws.assert_quiet().await;

        // Completing from the client side stops it.
        ws.send(json!({ "type": "complete", "id": "1" })).await;
        revise(&ca, &other, 2, "Elsewhere again.\n").await.data();
        match ws.recv_within(QUIET).await {
            None => {}
            Some(Received::Message(m)) if m["type"] == "complete" => {}
            other => panic!("nothing expected after complete, got {other:?}"),
        }
    }

    async fn a_removed_country_loses_the_stream_and_outsiders_never_get_one(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let se = app.diplomat("SE").await;
        let id = created(&ca, &["NL", "SE"], json!({})).await;
        let mut nl_ws = Ws::connect(&app, &nl).await;
        let mut se_ws = Ws::connect(&app, &se).await;
        nl_ws.subscribe("nl", &id).await;
        se_ws.subscribe("se", &id).await;
        nl_ws.next_statement("nl").await;
        se_ws.next_statement("se").await;

        // NL is removed: its stream ends at once with NOT_FOUND and no data;
        // SE's goes on, without NL.
        uninvite(&ca, &id, &["NL"]).await.data();
        assert_eq!(nl_ws.ending("nl").await, ["NOT_FOUND"]);
        assert_eq!(countries_of(&se_ws.next_statement("se").await), ["CA", "SE"]);
        revise(&ca, &id, 1, "Without NL.\n").await.data();
        assert_eq!(se_ws.next_statement("se").await["currentVersion"]["number"], 2);
        nl_ws.assert_quiet().await;
        // Resubscribing is refused like any unseen statement.
        nl_ws.subscribe("again", &id).await;
        assert_eq!(nl_ws.ending("again").await, ["NOT_FOUND"]);
        // Invited again, NL follows it again.
        invite(&ca, &id, &["NL"], None).await.data();
        assert_eq!(countries_of(&se_ws.next_statement("se").await), ["CA", "NL", "SE"]);
        nl_ws.subscribe("back", &id).await;
        assert_eq!(nl_ws.next_statement("back").await["currentVersion"]["number"], 2);

        // Outsiders (another country, a liaison, the operator) are refused
        // exactly like a missing statement or an id of another kind.
        let mut version = 2;
        let missing = global("Statement", Uuid::nil());
        let case = open_case(&ca, "Defender Q", "Legal Q").await;
        let case_id = str_of(&case["id"], "id");
        for outsider in [app.diplomat("DE").await, app.liaison().await, app.operator().await] {
            let mut ws = Ws::connect(&app, &outsider).await;
            ws.subscribe("1", &id).await;
            let refused = ws.ending_raw("1").await;
            ws.subscribe("1", &missing).await;
            assert_eq!(ws.ending_raw("1").await, refused, "{}", outsider.email);
            ws.subscribe("1", &case_id).await;
            assert_eq!(ws.ending_raw("1").await, refused, "{}", outsider.email);
            ws.subscribe("2", &id).await;
            assert_eq!(ws.ending("2").await, ["NOT_FOUND"]);
            // And they hear nothing of later changes.
            revise(&ca, &id, version, "x\n").await.data();
            version += 1;
            ws.assert_quiet().await;
        }
        // The lead country's admin sees it (rule 4): a stream, not a refusal.
        let admin = app.admin("CA").await;
        let mut ws = Ws::connect(&app, &admin).await;
        ws.subscribe("1", &id).await;
        assert_eq!(ws.next_statement("1").await["id"], id.as_str());
    }
}

/// Two server processes on one PostgreSQL: a subscription held on B hears
/// changes made through A (and the other way round), once each, and a
/// removal through A ends it on B.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_changes_cross_server_processes_on_postgres() {
    let Some(a) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let b = a.another_process().await;
    let ca = a.user("COORDINATOR", "CA").await;
    let nl = a.diplomat("NL").await;
    let de = a.diplomat("DE").await;
    let id = created(&ca, &["NL", "DE"], json!({})).await;
    let mut on_b = Ws::connect(&b, &nl).await;
    let mut on_a = Ws::connect(&a, &de).await;
    on_b.subscribe("b", &id).await;
    on_a.subscribe("a", &id).await;
    assert_eq!(
        on_b.next_statement("b").await["currentVersion"]["number"],
        1
    );
    on_a.next_statement("a").await;

    // Through A: B's subscriber hears it (and A's, exactly once).
    revise(&ca, &id, 1, "Revised on A.\n").await.data();
    assert_eq!(
        on_b.next_statement("b").await["currentVersion"]["number"],
        2
    );
    assert_eq!(
        on_a.next_statement("a").await["currentVersion"]["number"],
        2
    );
    approve(&de, &id, 2).await.data();
    assert_eq!(sig(&on_b.next_statement("b").await, "DE"), approved(2));
    assert_eq!(sig(&on_a.next_statement("a").await, "DE"), approved(2));

    // Through B: A's subscriber hears it.
    let nl_on_b = b.login(&nl.email, PASSWORD).await;
    approve(&nl_on_b, &id, 2).await.data();
    assert_eq!(sig(&on_a.next_statement("a").await, "NL"), approved(2));
    assert_eq!(sig(&on_b.next_statement("b").await, "NL"), approved(2));
    on_a.assert_quiet().await;
    on_b.assert_quiet().await;

    // NL removed through A: its stream on B ends with NOT_FOUND.
    uninvite(&ca, &id, &["NL"]).await.data();
    assert_eq!(on_b.ending("b").await, ["NOT_FOUND"]);
    assert_eq!(countries_of(&on_a.next_statement("a").await), ["CA", "DE"]);
    on_a.assert_quiet().await;
}

// ---------------------------------------------------------------------------
// Email.

on_both_backends! {
    async fn invitations_reach_the_invited_countries_signers_only(app: TestApp) {
        let m = Mail::new(&app).await;
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_colleague = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let nl_coord = app.user("COORDINATOR", "NL").await;
        let nl_diplomat = app.diplomat("NL").await;
        let nl_admin = app.admin("NL").await;
        let nl_gone = app.diplomat("NL").await;
        deactivate(&nl_admin, &nl_gone).await;
        let de = app.diplomat("DE").await;
        let se = app.diplomat("SE").await;
        let fr = app.diplomat("FR").await;
        let jp = app.diplomat("JP").await;
        let liaison = app.liaison().await;

        // The lead names its own country too: it is not invited to its own statement.
        let s = Marked::create(&ca, &["NL", "DE", "CA"], json!({})).await;
        let queued = m.outbox("STATEMENT_INVITED").await;
        assert_eq!(recipients(&queued), users(&[&nl_coord, &nl_diplomat, &de]));
        for r in &queued {
            assert!(!r.payload.to_lowercase().contains("marker"), "{}", r.payload);
        }
        assert_eq!(m.settle().await, 3);
        for who in [&nl_coord, &nl_diplomat, &de] {
            assert_eq!(m.subjects_to(who), [INVITED], "{}", who.email);
        }

        // Invited later: only the new country's signers are told.
        invite(&ca, &s.id, &["SE"], None).await.data();
        assert_eq!(m.settle().await, 1);
        assert_eq!(m.subjects_to(&se), [INVITED]);
        // A role change is no new invitation.
        invite(&ca, &s.id, &["NL"], Some("CO_PENHOLDER")).await.data();
        assert_eq!(m.settle().await, 0);
        // Invited and removed before the worker came by: not sent.
        invite(&ca, &s.id, &["FR"], None).await.data();
        uninvite(&ca, &s.id, &["FR"]).await.data();
        assert_eq!(m.settle().await, 0);
        let rows = m.outbox("STATEMENT_INVITED").await;
        let fr_rows: Vec<&outbox::Model> =
            rows.iter().filter(|r| r.recipient_user_id == row_uuid(&fr.id)).collect();
        assert_eq!(fr_rows.len(), 1);
        assert_eq!(status_of(fr_rows[0]), ("DROPPED", Some("NOT_VISIBLE")));

        for who in [&ca, &ca_colleague, &ca_diplomat, &nl_admin, &nl_gone, &fr, &jp, &liaison] {
            assert!(m.subjects_to(who).is_empty(), "{} was told", who.email);
        }
        assert_eq!(m.smtp.messages().len(), 4);
        let body = m.smtp.messages_to(&de.email)[0].body();
        assert!(body.contains(&format!("http://127.0.0.1:8080/statements/{}", s.id)), "{body}");
        m.assert_all_discreet(&s);
    }

    async fn a_new_version_tells_the_countries_whose_approval_went_stale(app: TestApp) {
        let m = Mail::new(&app).await;
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let nl1 = app.diplomat("NL").await;
        let nl2 = app.user("COORDINATOR", "NL").await;
        let de = app.user("COORDINATOR", "DE").await;
        let se = app.diplomat("SE").await;
        let s = Marked::create(&ca, &["NL", "DE", "SE"], json!({})).await;
        assert_eq!(m.settle().await, 4, "invitations");

        // NL, DE and the lead approve version 1; SE has not answered.
        approve(&nl1, &s.id, 1).await.data();
        approve(&de, &s.id, 1).await.data();
        approve(&ca, &s.id, 1).await.data();
        assert_eq!(m.settle().await, 0, "approvals tell nobody");
        revise(&ca, &s.id, 1, REVISED).await.data();
        // Every signer of a country that had approved, except the reviser.
        let queued = m.outbox("STATEMENT_APPROVAL_STALE").await;
        assert_eq!(recipients(&queued), users(&[&nl1, &nl2, &de, &ca_diplomat]));
        // DE approves the new text before the worker comes by: its notice is overtaken.
        approve(&de, &s.id, 2).await.data();
        assert_eq!(m.settle().await, 3);
        for r in m.outbox("STATEMENT_APPROVAL_STALE").await {
            let expected = if r.recipient_user_id == row_uuid(&de.id) {
                ("DROPPED", Some("OVERTAKEN"))
            } else {
                ("SENT", None)
            };
            assert_eq!(status_of(&r), expected, "{r:?}");
        }
        for who in [&nl1, &nl2] {
            assert_eq!(m.subjects_to(who), [INVITED, STALE], "{}", who.email);
        }
        assert_eq!(m.subjects_to(&ca_diplomat), [STALE], "the lead's own colleagues too");
        assert_eq!(m.subjects_to(&de), [INVITED]);
        assert_eq!(m.subjects_to(&se), [INVITED]);
        assert!(m.subjects_to(&ca).is_empty());

        // Version 3: only DE had approved version 2; NL's approval was already stale.
        revise(&ca, &s.id, 2, &format!("{REVISED}Second revision.\n")).await.data();
        assert_eq!(m.settle().await, 1);
        assert_eq!(m.subjects_to(&de), [INVITED, STALE]);
        assert_eq!(m.subjects_to(&nl1), [INVITED, STALE]);
        let body = m.smtp.messages_to(&de.email)[1].body();
        assert!(body.contains("(3)"), "names the new version number: {body}");
        m.assert_all_discreet(&s);
    }

    async fn the_deadline_reminder_goes_once_to_countries_that_have_not_answered(app: TestApp) {
        let m = Mail::new(&app).await;
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.diplomat("DE").await;
        let se = app.diplomat("SE").await;
        let fr = app.diplomat("FR").await;
        let fr_coord = app.user("COORDINATOR", "FR").await;
        let deadline = app.state().clock.now() + Duration::hours(72);
        let s = Marked::create(&ca, &["NL", "DE", "SE", "FR"], json!({ "deadline": deadline.to_rfc3339() })).await;
        assert_eq!(m.settle().await, 5, "invitations");

        // NL approved version 1 only; DE approves version 2, SE declines, the
        // lead approves; FR has not answered yet.
        approve(&nl, &s.id, 1).await.data();
        revise(&ca, &s.id, 1, REVISED).await.data();
        assert_eq!(m.settle().await, 1, "NL's approval went stale");
        approve(&de, &s.id, 2).await.data();
        decline(&se, &s.id, REASON).await.data();
        approve(&ca_diplomat, &s.id, 2).await.data();

        // Not before 24 h ahead of the deadline.
        app.advance_clock(Duration::hours(47));
        assert_eq!(m.settle().await, 0);
        assert!(m.outbox("STATEMENT_DEADLINE").await.is_empty());

        // Inside 24 h, with the SMTP server down: queued for NL (stale) and
        // FR (pending), not yet sent.
        m.smtp.stop().await;
        app.advance_clock(Duration::hours(2));
        assert_eq!(m.round().await, 0);
        let queued = m.outbox("STATEMENT_DEADLINE").await;
        assert_eq!(recipients(&queued), users(&[&nl, &fr, &fr_coord]));
        assert!(queued.iter().all(|r| r.status == "PENDING" && r.attempts == 1), "{queued:?}");
        assert_eq!(app.count_rows("audit_events WHERE action = 'STATEMENT_DEADLINE_REMINDED'").await, 1);

        // FR answers before the worker gets through: its reminders are dropped.
        approve(&fr, &s.id, 2).await.data();
        m.smtp.restart().await;
        app.advance_clock(Duration::seconds(MAX_BACKOFF_SECS + 1));
        assert_eq!(m.settle().await, 1, "NL's reminder");
        // Once: later rounds, up to and past the deadline, queue nothing more.
        for hours in [6, 12, 30] {
            app.advance_clock(Duration::hours(hours));
            assert_eq!(m.settle().await, 0);
        }
        let rows = m.outbox("STATEMENT_DEADLINE").await;
        assert_eq!(rows.len(), 3, "no further reminder: {rows:?}");
        for r in &rows {
            let expected = if r.recipient_user_id == row_uuid(&nl.id) {
                ("SENT", None)
            } else {
                ("DROPPED", Some("OVERTAKEN"))
            };
            assert_eq!(status_of(r), expected, "{r:?}");
        }
        assert_eq!(app.count_rows("audit_events WHERE action = 'STATEMENT_DEADLINE_REMINDED'").await, 1);
        assert_eq!(m.subjects_to(&nl), [INVITED, STALE, DEADLINE]);
        let reminder = m.smtp.messages_to(&nl.email).pop().expect("reminder").body();
        // On the reader's clock (their mission's), and in UTC.
        let english = accord_server::i18n::Lang::SOURCE;
        let local = english.datetime_in(deadline, chrono_tz::Asia::Manila);
        let utc = english.datetime_in(deadline, chrono_tz::UTC);
        assert!(reminder.contains(&format!("The sign-on deadline is {local}; {utc}.")), "{reminder}");
        for who in [&de, &se, &fr, &fr_coord] {
            assert_eq!(m.subjects_to(who), [INVITED], "{}", who.email);
        }
        assert!(m.subjects_to(&ca).is_empty() && m.subjects_to(&ca_diplomat).is_empty());
        m.assert_all_discreet(&s);
    }

    async fn finalization_tells_every_participating_country(app: TestApp) {
        let m = Mail::new(&app).await;
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_colleague = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.diplomat("DE").await;
        let se = app.diplomat("SE").await;
        let jp = app.diplomat("JP").await;
        let liaison = app.liaison().await;
        let s = Marked::create(&ca, &["NL", "DE", "SE"], json!({})).await;
        uninvite(&ca, &s.id, &["SE"]).await.data();
        assert_eq!(m.settle().await, 2, "invitations; SE's was dropped");

        approve(&nl, &s.id, 1).await.data();
        decline(&de, &s.id, REASON).await.data();
        approve(&ca_diplomat, &s.id, 1).await.data();
        let f = finalize(&ca, &s.id).await;
        assert_eq!(f.data()["finalizeStatement"]["signatories"], json!(["CA", "NL"]));
        let queued = m.outbox("STATEMENT_FINALIZED").await;
        assert_eq!(recipients(&queued), users(&[&ca_colleague, &ca_diplomat, &nl, &de]));
        assert_eq!(m.settle().await, 4);
        for who in [&ca_colleague, &ca_diplomat] {
            assert_eq!(m.subjects_to(who), [FINALIZED], "{}", who.email);
        }
        for who in [&nl, &de] {
            assert_eq!(m.subjects_to(who), [INVITED, FINALIZED], "{}", who.email);
        }
        for who in [&ca, &se, &jp, &liaison] {
            assert!(m.subjects_to(who).is_empty(), "{} was told", who.email);
        }
        // Delivery tells nobody.
        ca.q("mutation($id: ID!, $at: DateTime!) { markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: NOTE_VERBALE }) { id } }",
            json!({ "id": s.id, "at": app.state().clock.now().to_rfc3339() })).await.data();
        assert_eq!(m.settle().await, 0);
        m.assert_all_discreet(&s);
    }
}

on_both_backends! {
    // Issue 21 (SECURITY.md "work that is not a row"): over a subscription
    // `diff` is one per event. Every event answers its one diff, also the
    // events after the first (the operation's request data is shared by
    // all events, so the count is the event's own), and refuses a second
    // alias each time.
    async fn a_live_statement_answers_one_diff_per_event(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let id = created(&ca, &[], json!({})).await;
        revise(&ca, &id, 1, "Second text.\n").await.data();
        let mut ws = Ws::connect(&app, &ca).await;
        ws.subscribe_query("one", "subscription($id: ID!) { statementChanged(id: $id) {
            currentVersion { number } diff(from: 1, to: 2) } }", &id).await;
        ws.subscribe_query("two", "subscription($id: ID!) { statementChanged(id: $id) {
            a: diff(from: 1, to: 2) b: diff(from: 1, to: 2) } }", &id).await;
        for (round, current) in [(0, 2), (1, 3)] {
            if round == 1 {
                revise(&ca, &id, 2, "Third text.\n").await.data();
            }
            let events = ws.next_of_each(&["one", "two"]).await;
            let m = &events["one"];
            let s = &m["payload"]["data"]["statementChanged"];
            assert!(m["payload"].get("errors").is_none(), "{m}");
            assert_eq!(s["currentVersion"]["number"], current, "{m}");
            assert!(s["diff"].as_str().expect("diff").contains("+Second text."), "{m}");
            let m = &events["two"];
            let s = &m["payload"]["data"]["statementChanged"];
            let errors = m["payload"]["errors"].as_array().expect("errors");
            assert_eq!(errors.len(), 1, "{m}");
            assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{m}");
            assert_eq!(errors[0]["extensions"]["field"], "diff", "{m}");
            let answered = ["a", "b"].iter().filter(|k| s[**k].is_string()).count();
            assert_eq!(answered, 1, "{m}");
        }
    }
}

on_both_backends! {
    // Issue 21: an event reads every version (up to 100 texts) only for a
    // subscription that asks for them (`versions`, `version`, `diff`, also
    // through a fragment); the others read the current and final version
    // alone. Both kinds answer right on every event.
    async fn a_live_statement_reads_the_versions_its_subscription_asks_for(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let id = created(&ca, &[], json!({})).await;
        revise(&ca, &id, 1, "Second text.\n").await.data();
        let mut ws = Ws::connect(&app, &ca).await;
        ws.subscribe_query("lean", "subscription($id: ID!) { statementChanged(id: $id) {
            currentVersion { number body } finalVersion { number } } }", &id).await;
        ws.subscribe_query("every", "subscription($id: ID!) { statementChanged(id: $id) { ...all } }
            fragment all on Statement { versions { number } version(number: 1) { number } }", &id).await;
        for (round, current) in [(0, 2), (1, 3)] {
            if round == 1 {
                revise(&ca, &id, 2, "Third text.\n").await.data();
            }
            let events = ws.next_of_each(&["lean", "every"]).await;
            for m in events.values() {
                assert!(m["payload"].get("errors").is_none(), "{m}");
            }
            let m = &events["lean"];
            let s = &m["payload"]["data"]["statementChanged"];
            assert_eq!(s["currentVersion"]["number"], current, "{m}");
            let body = if current == 2 { "Second text." } else { "Third text." };
            assert_eq!(s["currentVersion"]["body"], body, "{m}");
            assert!(s["finalVersion"].is_null(), "{m}");
            let m = &events["every"];
            let s = &m["payload"]["data"]["statementChanged"];
            let numbers: Vec<i64> = s["versions"]
                .as_array()
                .expect("versions")
                .iter()
                .filter_map(|v| v["number"].as_i64())
                .collect();
            assert_eq!(numbers, (1..=current).collect::<Vec<i64>>(), "{m}");
            assert_eq!(s["version"]["number"], 1, "{m}");
        }
    }
}
