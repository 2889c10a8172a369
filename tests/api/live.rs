//! Live updates: `rosterChanged` over `graphql-transport-ws` at `/graphql/ws`.
//! A real WebSocket client (tokio-tungstenite) speaks the protocol:
//! connection_init → connection_ack → subscribe → next … → complete.
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, header};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::builders::{claimed, consent, hearing_world};
use crate::helpers::{Actor, TestApp, assert_error_codes};
use crate::on_both_backends;

const SUBSCRIPTION: &str = "subscription($h: ID!) { rosterChanged(hearingId: $h) {
    id status observersNeeded confirmedCount coverage claims { status position country } } }";

/// How long a test waits for something that should happen.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long a test waits to be sure that something does not happen.
const QUIET: Duration = Duration::from_millis(700);

/// What the server sent.
#[derive(Debug)]
#[allow(dead_code)] // the close reason is read through `Debug` in failures
pub(crate) enum Received {
    Message(Value),
    Closed(u16, String),
}

pub(crate) struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    /// Opens the WebSocket; `Err` carries the HTTP status of a refused upgrade.
    pub(crate) async fn open(app: &TestApp, origin: Option<&str>) -> Result<Ws, u16> {
        let url = app.url("/graphql/ws").replacen("http", "ws", 1);
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static("graphql-transport-ws"),
        );
        if let Some(origin) = origin {
            request.headers_mut().insert(
                header::ORIGIN,
                HeaderValue::from_str(origin).expect("origin"),
            );
        }
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, response)) => {
                assert_eq!(
                    response.headers()[header::SEC_WEBSOCKET_PROTOCOL],
                    "graphql-transport-ws"
                );
                Ok(Ws { socket })
            }
            Err(tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
            Err(e) => panic!("websocket: {e}"),
        }
    }

    /// Opens, initialises with `actor`'s token and expects the ack.
    pub(crate) async fn connect(app: &TestApp, actor: &Actor) -> Ws {
        let mut ws = Ws::open(app, None).await.expect("upgrade");
        ws.init(json!({ "Authorization": format!("Bearer {}", actor.token) }))
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

    pub(crate) async fn init(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    pub(crate) async fn subscribe(&mut self, id: &str, hearing: &str) {
        self.subscribe_to(id, SUBSCRIPTION, hearing).await;
    }

    /// `subscribe` with a selection of the caller's (`$h`: the hearing).
    pub(crate) async fn subscribe_to(&mut self, id: &str, query: &str, hearing: &str) {
        self.send(json!({ "type": "subscribe", "id": id,
            "payload": { "query": query, "variables": { "h": hearing } } }))
            .await;
    }

    /// The next protocol message (pings answered on the way), or the close.
    pub(crate) async fn recv_within(&mut self, wait: Duration) -> Option<Received> {
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
                    return Some(match frame {
                        Some(f) => Received::Closed(u16::from(f.code), f.reason.to_string()),
                        None => Received::Closed(u16::from(CloseCode::Status), String::new()),
                    });
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

    /// The hearing carried by the next `next` message of subscription `id`.
    pub(crate) async fn next_hearing(&mut self, id: &str) -> Value {
        match self.recv().await {
            Received::Message(m) if m["type"] == "next" && m["id"] == id => {
                let payload = &m["payload"];
                assert!(payload.get("errors").is_none(), "unexpected errors: {m}");
                payload["data"]["rosterChanged"].clone()
            }
            other => panic!("expected next for {id}, got {other:?}"),
        }
    }

    /// Reads until the subscription `id` ends; returns the codes of the errors
    /// it ended with, failing on any data received on the way.
    pub(crate) async fn ending(&mut self, id: &str) -> Vec<String> {
        let mut codes = Vec::new();
        loop {
            match self.recv().await {
                Received::Message(m) if m["id"] == id && m["type"] == "complete" => return codes,
                Received::Message(m) if m["id"] == id && m["type"] == "error" => {
                    codes.extend(error_codes(&m["payload"]));
                    return codes;
                }
                Received::Message(m) if m["id"] == id && m["type"] == "next" => {
                    assert!(
                        m["payload"]["data"].is_null(),
                        "data after the end of visibility: {m}"
                    );
                    codes.extend(error_codes(&m["payload"]["errors"]));
                }
                other => panic!("expected the end of {id}, got {other:?}"),
            }
        }
    }

    /// Fails if anything arrives for a while.
    async fn assert_quiet(&mut self) {
        if let Some(m) = self.recv_within(QUIET).await {
            panic!("expected nothing, got {m:?}");
        }
    }
}

fn error_codes(errors: &Value) -> Vec<String> {
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
        .collect()
}

on_both_backends! {
    async fn a_subscriber_sees_claims_and_releases(app: TestApp) {
        let (_coord, _case, hearing) = hearing_world(&app, 1).await;
        let watcher = app.diplomat("CA").await;
        let mut ws = Ws::connect(&app, &watcher).await;
        ws.subscribe("1", &hearing).await;
        // First the hearing as it is now.
        let now = ws.next_hearing("1").await;
        assert_eq!((now["id"].as_str(), now["confirmedCount"].as_i64()), (Some(hearing.as_str()), Some(0)));
        assert_eq!(now["coverage"], "UNCOVERED");

        let nl = app.diplomat("NL").await;
        assert_eq!(claimed(&nl, &hearing).await["status"], "CONFIRMED");
        let after = ws.next_hearing("1").await;
        assert_eq!(after["confirmedCount"], 1);
        assert_eq!(after["coverage"], "COVERED");
        assert_eq!(after["claims"], json!([{ "status": "CONFIRMED", "position": null, "country": "NL" }]));

        let ca = app.diplomat("CA").await;
        let waitlisted = claimed(&ca, &hearing).await;
        assert_eq!((waitlisted["status"].as_str(), waitlisted["position"].as_i64()), (Some("WAITLISTED"), Some(1)));
        let queued = ws.next_hearing("1").await;
        assert_eq!(queued["claims"].as_array().map(Vec::len), Some(2));

        nl.q("mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }", json!({ "h": hearing }))
            .await
            .data();
        let promoted = ws.next_hearing("1").await;
        assert_eq!(promoted["confirmedCount"], 1);
        assert_eq!(promoted["claims"], json!([{ "status": "CONFIRMED", "position": null, "country": "CA" }]));
        // One event per change: nothing else follows.
        ws.assert_quiet().await;

        // Completing the subscription from the client side stops it.
        ws.send(json!({ "type": "complete", "id": "1" })).await;
        claimed(&nl, &hearing).await;
        match ws.recv_within(QUIET).await {
            None => {}
            Some(Received::Message(m)) if m["type"] == "complete" => {}
            other => panic!("nothing expected after complete, got {other:?}"),
        }
    }

    async fn connection_init_needs_a_valid_token(app: TestApp) {
        let (_coord, _case, hearing) = hearing_world(&app, 1).await;
        let nl = app.diplomat("NL").await;
        let refused = async |payload: Value| {
            let mut ws = Ws::open(&app, None).await.expect("upgrade");
            ws.init(payload).await;
            ws.recv().await
        };
        for payload in [
            json!({}),
            json!({ "Authorization": "Bearer not-a-token" }),
            json!({ "Authorization": nl.token }),
            json!({ "token": format!("{}x", nl.token) }),
        ] {
            match refused(payload.clone()).await {
                Received::Closed(4403, _) => {}
                other => panic!("{payload}: expected close 4403, got {other:?}"),
            }
        }
        // Subscribing before connection_init: 4401.
        let mut early = Ws::open(&app, None).await.expect("upgrade");
        early.subscribe("1", &hearing).await;
        assert!(matches!(early.recv().await, Received::Closed(4401, _)));

        // The lower-case header and the `token` key work too.
        for payload in [json!({ "authorization": format!("Bearer {}", nl.token) }), json!({ "token": nl.token })] {
            let mut ws = Ws::open(&app, None).await.expect("upgrade");
            ws.init(payload).await;
            assert!(matches!(ws.recv().await, Received::Message(m) if m["type"] == "connection_ack"));
        }

        // A logged-out session cannot open a connection.
        let gone = app.diplomat("NL").await;
        gone.q("mutation { logout }", json!({})).await.data();
        let mut ws = Ws::open(&app, None).await.expect("upgrade");
        ws.init(json!({ "Authorization": format!("Bearer {}", gone.token) })).await;
        assert!(matches!(ws.recv().await, Received::Closed(4403, _)));

        // Subscriptions are not served over POST.
        let post = nl.q(SUBSCRIPTION, json!({ "h": hearing })).await;
        assert_eq!(post.code(), "BAD_USER_INPUT", "{}", post.body);
    }

    async fn hearings_out_of_sight_are_not_found(app: TestApp) {
        let (_coord, case, hearing) = hearing_world(&app, 1).await;
        // DE sees nothing of the case; a liaison sees no hearings at all.
        for outsider in [app.diplomat("DE").await, app.liaison().await] {
            let mut ws = Ws::connect(&app, &outsider).await;
            ws.subscribe("1", &hearing).await;
            assert_eq!(ws.ending("1").await, ["NOT_FOUND"]);
            // Exactly like a hearing that does not exist, or an id of another kind.
            ws.subscribe("2", "SGVhcmluZzowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA").await;
            assert_eq!(ws.ending("2").await, ["NOT_FOUND"]);
            ws.subscribe("3", &case).await;
            assert_eq!(ws.ending("3").await, ["NOT_FOUND"]);
        }
    }

    async fn a_country_that_loses_sight_stops_receiving(app: TestApp) {
        let (coord, case, hearing) = hearing_world(&app, 2).await;
        let nl_watcher = app.diplomat("NL").await;
        let ca_watcher = app.diplomat("CA").await;
        let mut nl_ws = Ws::connect(&app, &nl_watcher).await;
        let mut ca_ws = Ws::connect(&app, &ca_watcher).await;
        nl_ws.subscribe("nl", &hearing).await;
        ca_ws.subscribe("ca", &hearing).await;
        nl_ws.next_hearing("nl").await;
        ca_ws.next_hearing("ca").await;

        // Consent to sharing withdrawn: NL no longer sees the case. The
        // withdrawal itself is announced: NL's subscription ends at once with
        // NOT_FOUND and carries no data; CA's goes on.
        consent(&coord, &case, false).await.data();
        assert_eq!(nl_ws.ending("nl").await, ["NOT_FOUND"]);
        assert_eq!(ca_ws.next_hearing("ca").await["confirmedCount"], 0);
        let ca = app.diplomat("CA").await;
        claimed(&ca, &hearing).await;
        assert_eq!(ca_ws.next_hearing("ca").await["confirmedCount"], 1);
        // Resubscribing is refused like any unseen hearing.
        nl_ws.subscribe("again", &hearing).await;
        assert_eq!(nl_ws.ending("again").await, ["NOT_FOUND"]);
    }

    async fn removal_from_a_coalition_ends_the_subscription(app: TestApp) {
        let ca_admin = app.admin("CA").await;
        let coalition = ca_admin
            .q("mutation { createCoalition(input: { name: \"Trial monitors\", hostCountry: \"PH\", members: [\"SE\"] }) { id } }", json!({}))
            .await;
        let coalition = coalition.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        let (coord, case, hearing) = hearing_world(&app, 2).await;
        coord
            .q("mutation($id: ID!, $c: ID!) { shareCase(caseId: $id, input: { coalitionId: $c, level: DETAIL }) { id } }",
               json!({ "id": case, "c": coalition }))
            .await
            .data();
        let se = app.diplomat("SE").await;
        let mut ws = Ws::connect(&app, &se).await;
        ws.subscribe("se", &hearing).await;
        ws.next_hearing("se").await;
        claimed(&app.diplomat("NL").await, &hearing).await;
        assert_eq!(ws.next_hearing("se").await["confirmedCount"], 1);

        ca_admin
            .q("mutation($c: ID!) { removeCoalitionMember(coalitionId: $c, country: \"SE\") { id } }", json!({ "c": coalition }))
            .await
            .data();
        claimed(&app.diplomat("CA").await, &hearing).await;
        assert_eq!(ws.ending("se").await, ["NOT_FOUND"]);
    }

    async fn logout_and_deactivation_end_subscriptions(app: TestApp) {
        let (_coord, _case, hearing) = hearing_world(&app, 3).await;
        let leaving = app.diplomat("NL").await;
        let deactivated = app.diplomat("NL").await;
        let mut leaving_ws = Ws::connect(&app, &leaving).await;
        let mut deactivated_ws = Ws::connect(&app, &deactivated).await;
        leaving_ws.subscribe("1", &hearing).await;
        deactivated_ws.subscribe("1", &hearing).await;
        leaving_ws.next_hearing("1").await;
        deactivated_ws.next_hearing("1").await;

        leaving.q("mutation { logout }", json!({})).await.data();
        app.admin("NL").await
            .q("mutation($id: ID!) { deactivateUser(userId: $id) { id } }", json!({ "id": deactivated.id }))
            .await
            .data();
        claimed(&app.diplomat("CA").await, &hearing).await;
        assert_eq!(leaving_ws.ending("1").await, ["UNAUTHENTICATED"]);
        assert_eq!(deactivated_ws.ending("1").await, ["UNAUTHENTICATED"]);
    }
}

/// A foreign page cannot open the WebSocket (CSRF); the server's own origin,
/// configured ones and non-browser clients (no `Origin`) can.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_origins_are_refused() {
    let Some(app) = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |c| {
        c.public_url = "https://accord.example.org/".into();
        c.allowed_origins = Some("https://app.example.org, http://localhost:5173".into());
    })
    .await
    else {
        return;
    };
    for origin in [
        "https://evil.example.com",
        "null",
        "http://accord.example.org",
        "https://accord.example.org.evil.com",
        "https://app.example.org:8443",
    ] {
        assert_eq!(
            Ws::open(&app, Some(origin)).await.err(),
            Some(403),
            "{origin}"
        );
    }
    let user = app.diplomat("NL").await;
    for origin in [
        Some("https://accord.example.org"),
        Some("https://ACCORD.example.org:443"),
        Some("https://app.example.org"),
        Some("http://localhost:5173"),
        None,
    ] {
        let mut ws = Ws::open(&app, origin).await.expect("upgrade");
        ws.init(json!({ "Authorization": format!("Bearer {}", user.token) }))
            .await;
        assert!(
            matches!(ws.recv().await, Received::Message(m) if m["type"] == "connection_ack"),
            "{origin:?}"
        );
    }
    // Only graphql-transport-ws is spoken.
    let mut request = app
        .url("/graphql/ws")
        .replacen("http", "ws", 1)
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        header::SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static("graphql-ws"),
    );
    match tokio_tungstenite::connect_async(request).await {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status().as_u16(), 400),
        other => panic!("expected 400, got {:?}", other.map(|_| ())),
    }
}

/// When the access token expires, the subscription ends with UNAUTHENTICATED
/// and the connection closes (4403).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_token_ends_the_subscription_and_the_connection() {
    let Some(app) = TestApp::spawn(crate::helpers::Backend::Sqlite).await else {
        return;
    };
    let (_coord, _case, hearing) = hearing_world(&app, 1).await;
    let watcher = app.diplomat("NL").await;
    let quick = quick_token(&app, &watcher).await;
    let mut ws = Ws::open(&app, None).await.expect("upgrade");
    ws.init(json!({ "Authorization": format!("Bearer {quick}") }))
        .await;
    assert!(matches!(ws.recv().await, Received::Message(m) if m["type"] == "connection_ack"));
    ws.subscribe("1", &hearing).await;
    ws.next_hearing("1").await;
    assert_eq!(ws.ending("1").await, ["UNAUTHENTICATED"]);
    assert!(matches!(ws.recv().await, Received::Closed(4403, _)));
}

/// An access token for `actor`'s session that expires in about 3 seconds,
/// signed with the test key (as the server would issue with a short TTL).
async fn quick_token(app: &TestApp, actor: &Actor) -> String {
    let keys = accord_server::auth::token::TokenKeys::new(
        crate::helpers::TEST_JWT_SECRET,
        &app.state().config.jwt_issuer,
        &app.state().config.jwt_audience,
        3,
    );
    let claims = app.state().keys.verify(&actor.token).expect("valid token");
    let (token, _) = keys
        .issue(claims.sub, claims.sid, chrono::Utc::now().timestamp())
        .expect("issue");
    token
}

/// Two server processes on one PostgreSQL: a claim through either shows up on
/// a subscription held on the other, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_cross_server_processes_on_postgres() {
    let Some(a) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let b = a.another_process().await;
    let (_coord, _case, hearing) = hearing_world(&a, 2).await;
    let watcher_a = a.diplomat("CA").await;
    let watcher_b = a.diplomat("NL").await;
    let mut on_a = Ws::connect(&a, &watcher_a).await;
    let mut on_b = Ws::connect(&b, &watcher_b).await;
    on_a.subscribe("a", &hearing).await;
    on_b.subscribe("b", &hearing).await;
    on_a.next_hearing("a").await;
    on_b.next_hearing("b").await;

    // Through A: B's subscriber sees it (and A's, exactly once).
    let nl = a.diplomat("NL").await;
    claimed(&nl, &hearing).await;
    assert_eq!(on_b.next_hearing("b").await["confirmedCount"], 1);
    assert_eq!(on_a.next_hearing("a").await["confirmedCount"], 1);

    // Through B: A's subscriber sees it.
    let ca = b
        .login(&a.diplomat("CA").await.email, crate::helpers::PASSWORD)
        .await;
    claimed(&ca, &hearing).await;
    let seen_on_a = on_a.next_hearing("a").await;
    assert_eq!(seen_on_a["confirmedCount"], 2);
    assert_eq!(seen_on_a["coverage"], "COVERED");
    assert_eq!(on_b.next_hearing("b").await["confirmedCount"], 2);
    on_a.assert_quiet().await;
    on_b.assert_quiet().await;
}

/// The PostgreSQL listener survives losing its connection: it reconnects,
/// subscribers re-read (changes may have been missed), and later changes
/// arrive as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listener_reconnects_after_losing_its_connection() {
    let Some(app) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let (_coord, _case, hearing) = hearing_world(&app, 2).await;
    let watcher = app.diplomat("CA").await;
    let mut ws = Ws::connect(&app, &watcher).await;
    ws.subscribe("1", &hearing).await;
    ws.next_hearing("1").await;

    let killed = app
        .db()
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity
             WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        ))
        .await
        .expect("terminate listener");
    assert_eq!(killed.len(), 1, "one listener connection");
    // After reconnecting, subscribers are told to re-read.
    assert_eq!(ws.next_hearing("1").await["confirmedCount"], 0);

    claimed(&app.diplomat("NL").await, &hearing).await;
    assert_eq!(ws.next_hearing("1").await["confirmedCount"], 1);
}
