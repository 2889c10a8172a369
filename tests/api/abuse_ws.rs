//! Issue 11, "WebSockets bounded": subscriptions per connection, connections
//! per user, messages per minute, no queries or mutations over the socket,
//! and logout, deactivation or a reused refresh token ending a user's streams
//! at once (not at the next 30 s re-check). Defaults: 20 subscriptions, 5
//! connections per user (per process), 120 messages per minute.
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, header};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{Actor, Backend, PASSWORD, TestApp, assert_error_codes};
use crate::{on_both_backends, on_both_backends_with};

const SUBSCRIPTION: &str =
    "subscription($h: ID!) { rosterChanged(hearingId: $h) { id confirmedCount } }";
/// How long a test waits for something that should happen.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long a test waits to be sure that something does not happen.
const QUIET: Duration = Duration::from_millis(700);
/// How soon a logout or deactivation must end a stream ("at once"; the
/// periodic re-check alone would take up to 30 s).
const AT_ONCE: Duration = Duration::from_millis(1500);

#[derive(Debug)]
enum Got {
    Message(Value),
    Closed(u16, String),
}

struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    async fn open(app: &TestApp) -> Ws {
        let url = app.url("/graphql/ws").replacen("http", "ws", 1);
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("upgrade");
        Ws { socket }
    }

    /// Opens and sends `connection_init` with `token`; returns the answer.
    async fn init(app: &TestApp, token: &str) -> (Ws, Got) {
        let mut ws = Ws::open(app).await;
        ws.send(json!({ "type": "connection_init",
            "payload": { "Authorization": format!("Bearer {token}") } }))
            .await;
        let got = ws.recv().await;
        (ws, got)
    }

    async fn connect(app: &TestApp, actor: &Actor) -> Ws {
        match Ws::init(app, &actor.token).await {
            (ws, Got::Message(m)) if m["type"] == "connection_ack" => ws,
            (_, other) => panic!("expected connection_ack, got {other:?}"),
        }
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    async fn subscribe_to(&mut self, id: &str, query: &str, variables: Value, name: Option<&str>) {
        self.send(json!({ "type": "subscribe", "id": id,
            "payload": { "query": query, "variables": variables, "operationName": name } }))
            .await;
    }

    async fn subscribe(&mut self, id: &str, hearing: &str) {
        self.subscribe_to(id, SUBSCRIPTION, json!({ "h": hearing }), None)
            .await;
    }

    async fn recv_within(&mut self, wait: Duration) -> Option<Got> {
        let deadline = Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON message");
                    if let Some(payload) = value.get("payload") {
                        assert_error_codes(payload);
                    }
                    return Some(Got::Message(value));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Some(match frame {
                        Some(f) => Got::Closed(u16::from(f.code), f.reason.to_string()),
                        None => Got::Closed(1005, String::new()),
                    });
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Some(Got::Closed(1006, String::new())),
            }
        }
    }

    async fn recv(&mut self) -> Got {
        self.recv_within(PATIENCE)
            .await
            .expect("a message from the server in time")
    }

    /// The next message, expected to be `next` for `id` without errors.
    async fn next(&mut self, id: &str) -> Value {
        match self.recv().await {
            Got::Message(m) if m["type"] == "next" && m["id"] == id => {
                assert!(m["payload"].get("errors").is_none(), "errors: {m}");
                m["payload"]["data"].clone()
            }
            other => panic!("expected next for {id}, got {other:?}"),
        }
    }

    /// The next message, expected to be `error` for `id`; its codes.
    async fn refused(&mut self, id: &str) -> Vec<String> {
        match self.recv().await {
            Got::Message(m) if m["type"] == "error" && m["id"] == id => codes(&m["payload"]),
            other => panic!("expected error for {id}, got {other:?}"),
        }
    }

    /// Reads until subscription `id` completes, within `wait`; the codes of
    /// the errors it ended with (no data may come on the way).
    async fn ending_within(&mut self, id: &str, wait: Duration) -> Vec<String> {
        let deadline = Instant::now() + wait;
        let mut found = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv_within(left).await {
                Some(Got::Message(m)) if m["id"] == id && m["type"] == "complete" => return found,
                Some(Got::Message(m)) if m["id"] == id && m["type"] == "next" => {
                    assert!(m["payload"]["data"].is_null(), "data after the end: {m}");
                    found.extend(codes(&m["payload"]["errors"]));
                }
                other => panic!("expected the end of {id} within {wait:?}, got {other:?}"),
            }
        }
    }

    async fn assert_quiet(&mut self) {
        if let Some(m) = self.recv_within(QUIET).await {
            panic!("expected nothing, got {m:?}");
        }
    }
}

fn codes(errors: &Value) -> Vec<String> {
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

/// A CA case open to trial observation with one hearing; CA's diplomats see
/// it. Returns the hearing's id.
async fn hearing(app: &TestApp) -> String {
    let coord = app.user("COORDINATOR", "CA").await;
    let case = coord
        .q(
            "mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
            json!({ "i": { "pseudonym": "Defender W", "hostCountry": "PH", "region": "Mindanao",
                "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK",
                "summary": "Community leader facing charges",
                "identity": { "legalName": "Socket Test Name", "contact": "-", "location": "-", "notes": "-" } } }),
        )
        .await;
    let case = case.data()["createCase"]["id"]
        .as_str()
        .expect("case id")
        .to_owned();
    coord
        .q(
            "mutation($id: ID!) { recordConsent(caseId: $id, input: { shareWithPartners: true,
                trialObservation: true, publicAdvocacy: false, givenBy: DEFENDER }) { id } }",
            json!({ "id": case }),
        )
        .await
        .data();
    let hearing = coord
        .q(
            "mutation($c: ID!) { scheduleHearing(caseId: $c, input: { court: \"Regional Trial Court\",
                city: \"Davao\", localStart: \"2027-03-01T09:30:00\", timezone: \"Asia/Manila\",
                durationMinutes: 120, observersNeeded: 2 }) { id } }",
            json!({ "c": case }),
        )
        .await;
    hearing.data()["scheduleHearing"]["id"]
        .as_str()
        .expect("hearing id")
        .to_owned()
}

/// A watcher subscribed (as "1") to `hearing` on `app`, first state read.
async fn watching(app: &TestApp, actor: &Actor, hearing: &str) -> Ws {
    let mut ws = Ws::connect(app, actor).await;
    ws.subscribe("1", hearing).await;
    ws.next("1").await;
    ws
}

/// After its streams ended, the connection of an ended session closes (4403).
async fn closes_forbidden(ws: &mut Ws) {
    match ws.recv_within(Duration::from_secs(3)).await {
        Some(Got::Closed(4403, reason)) => assert!(reason.contains("session ended"), "{reason}"),
        other => panic!("expected close 4403, got {other:?}"),
    }
}

on_both_backends! {
    async fn ws_subscriptions_per_connection_are_bounded(app: TestApp) {
        let hearing = hearing(&app).await;
        let watcher = app.diplomat("CA").await;
        let mut ws = Ws::connect(&app, &watcher).await;
        for i in 1..=20 {
            ws.subscribe(&i.to_string(), &hearing).await;
            ws.next(&i.to_string()).await;
        }
        // The 21st: an `error` for that id, the connection and the others live on.
        ws.subscribe("21", &hearing).await;
        assert_eq!(ws.refused("21").await, ["RATE_LIMITED"]);
        // Completing one frees a place.
        ws.send(json!({ "type": "complete", "id": "1" })).await;
        match ws.recv().await {
            Got::Message(m) if m["type"] == "complete" && m["id"] == "1" => {}
            other => panic!("expected complete for 1, got {other:?}"),
        }
        ws.subscribe("22", &hearing).await;
        ws.next("22").await;
        ws.subscribe("23", &hearing).await;
        assert_eq!(ws.refused("23").await, ["RATE_LIMITED"]);
        // Subscriptions that end by themselves (NOT_FOUND) free theirs too.
        ws.send(json!({ "type": "complete", "id": "2" })).await;
        assert!(matches!(ws.recv().await, Got::Message(m) if m["type"] == "complete"));
        ws.subscribe("gone", "SGVhcmluZzowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA").await;
        assert_eq!(ws.ending_within("gone", PATIENCE).await, ["NOT_FOUND"]);
        ws.subscribe("24", &hearing).await;
        ws.next("24").await;
    }

    async fn ws_connections_per_user_are_bounded(app: TestApp) {
        let user = app.diplomat("NL").await;
        let mut open = Vec::new();
        for _ in 0..5 {
            open.push(Ws::connect(&app, &user).await);
        }
        // The sixth, even with another session of the same user: 4429.
        let again = app.login(&user.email, PASSWORD).await;
        for token in [&user.token, &again.token] {
            match Ws::init(&app, token).await.1 {
                Got::Closed(4429, reason) => assert_eq!(reason, "Too many connections"),
                other => panic!("expected close 4429, got {other:?}"),
            }
        }
        // Another user is not affected.
        Ws::connect(&app, &app.diplomat("NL").await).await;
        // Closing one frees a place (once the server has seen the close).
        let mut first = open.remove(0);
        first.socket.close(None).await.expect("close");
        let deadline = Instant::now() + PATIENCE;
        loop {
            match Ws::init(&app, &user.token).await {
                (ws, Got::Message(m)) if m["type"] == "connection_ack" => {
                    open.push(ws);
                    break;
                }
                (_, Got::Closed(4429, _)) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                (_, other) => panic!("expected a place after a close, got {other:?}"),
            }
        }
    }

    async fn ws_message_flood_closes_the_connection(app: TestApp) {
        let user = app.diplomat("NL").await;
        let mut flooder = Ws::connect(&app, &user).await;
        let mut neighbour = Ws::connect(&app, &user).await;
        // Pings one after another until the close (the init counted as one
        // message already): about 120 pass, then 4429.
        let mut pongs = 0;
        for _ in 0..200 {
            flooder.send(json!({ "type": "ping" })).await;
            match flooder.recv().await {
                Got::Message(m) if m["type"] == "pong" => pongs += 1,
                Got::Closed(code, reason) => {
                    assert_eq!((code, reason.as_str()), (4429, "Too many messages"));
                    break;
                }
                other => panic!("expected pong or close, got {other:?}"),
            }
        }
        assert!((115..=120).contains(&pongs), "{pongs} pongs before the close");
        // The same user's other connection is not affected.
        neighbour.send(json!({ "type": "ping" })).await;
        assert!(matches!(neighbour.recv().await, Got::Message(m) if m["type"] == "pong"));
    }

    async fn ws_refuses_queries_and_mutations(app: TestApp) {
        let hearing = hearing(&app).await;
        let user = app.diplomat("CA").await;
        let mut ws = Ws::connect(&app, &user).await;
        ws.subscribe_to("q", "{ __typename }", json!({}), None).await;
        assert_eq!(ws.refused("q").await, ["BAD_USER_INPUT"]);
        ws.subscribe_to("m", "mutation { logout }", json!({}), None).await;
        assert_eq!(ws.refused("m").await, ["BAD_USER_INPUT"]);
        // The operation chosen by name decides.
        let both = format!("query Q {{ __typename }} {}", SUBSCRIPTION.replacen("subscription", "subscription S", 1));
        ws.subscribe_to("named-q", &both, json!({ "h": hearing }), Some("Q")).await;
        assert_eq!(ws.refused("named-q").await, ["BAD_USER_INPUT"]);
        ws.subscribe_to("named-s", &both, json!({ "h": hearing }), Some("S")).await;
        ws.next("named-s").await;
        // The mutation did not run: the session still works (a new
        // subscription re-authenticates).
        ws.subscribe("s", &hearing).await;
        ws.next("s").await;
        let statements = app.statements();
        ws.subscribe_to("m2", "mutation { logout }", json!({}), None).await;
        assert_eq!(ws.refused("m2").await, ["BAD_USER_INPUT"]);
        assert_eq!(app.statements(), statements, "refused before touching the database");
    }

    async fn ws_logout_ends_the_sessions_streams_at_once(app: TestApp) {
        let hearing = hearing(&app).await;
        let leaving = app.diplomat("CA").await;
        let other_session = app.login(&leaving.email, PASSWORD).await;
        let mut ws = watching(&app, &leaving, &hearing).await;
        let mut other = watching(&app, &other_session, &hearing).await;
        let started = Instant::now();
        leaving.q("mutation { logout }", json!({})).await.data();
        assert_eq!(ws.ending_within("1", AT_ONCE).await, ["UNAUTHENTICATED"]);
        eprintln!("logout ended the stream after {:?}", started.elapsed());
        closes_forbidden(&mut ws).await;
        // The user's other session goes on, and sees nothing of it.
        other.assert_quiet().await;
    }

    async fn ws_deactivation_ends_streams_at_once(app: TestApp) {
        let hearing = hearing(&app).await;
        let user = app.diplomat("CA").await;
        let second = app.login(&user.email, PASSWORD).await;
        let mut first_ws = watching(&app, &user, &hearing).await;
        let mut second_ws = watching(&app, &second, &hearing).await;
        let bystander = app.diplomat("CA").await;
        let mut bystander_ws = watching(&app, &bystander, &hearing).await;
        app.admin("CA").await
            .q("mutation($id: ID!) { deactivateUser(userId: $id) { id } }", json!({ "id": user.id }))
            .await
            .data();
        assert_eq!(first_ws.ending_within("1", AT_ONCE).await, ["UNAUTHENTICATED"]);
        assert_eq!(second_ws.ending_within("1", AT_ONCE).await, ["UNAUTHENTICATED"]);
        closes_forbidden(&mut first_ws).await;
        closes_forbidden(&mut second_ws).await;
        bystander_ws.assert_quiet().await;
    }

    async fn ws_reused_refresh_token_ends_the_sessions_streams(app: TestApp) {
        const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";
        let hearing = hearing(&app).await;
        let user = app.diplomat("CA").await;
        let mut ws = watching(&app, &user, &hearing).await;
        app.anon(REFRESH, json!({ "t": user.refresh })).await.data();
        // The same refresh token again: it leaked, the session is revoked.
        let reused = app.anon(REFRESH, json!({ "t": user.refresh })).await;
        reused.code();
        assert_eq!(ws.ending_within("1", AT_ONCE).await, ["UNAUTHENTICATED"]);
        closes_forbidden(&mut ws).await;
    }
}

/// On PostgreSQL the event crosses server processes: a logout or a
/// deactivation through one ends streams held on another at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_session_ends_cross_server_processes_on_postgres() {
    let Some(a) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let b = a.another_process().await;
    let hearing = hearing(&a).await;
    let leaving = a.diplomat("CA").await;
    let deactivated = a.diplomat("CA").await;
    let mut leaving_ws = watching(&b, &leaving, &hearing).await;
    let mut deactivated_ws = watching(&b, &deactivated, &hearing).await;

    leaving.q("mutation { logout }", json!({})).await.data();
    assert_eq!(
        leaving_ws.ending_within("1", AT_ONCE).await,
        ["UNAUTHENTICATED"]
    );
    closes_forbidden(&mut leaving_ws).await;

    a.admin("CA")
        .await
        .q(
            "mutation($id: ID!) { deactivateUser(userId: $id) { id } }",
            json!({ "id": deactivated.id }),
        )
        .await
        .data();
    assert_eq!(
        deactivated_ws.ending_within("1", AT_ONCE).await,
        ["UNAUTHENTICATED"]
    );
    closes_forbidden(&mut deactivated_ws).await;
}

/// Connections are counted per process: each replica allows the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_connection_limit_holds_per_process() {
    let Some(a) = TestApp::spawn(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let b = a.another_process().await;
    let user = a.diplomat("NL").await;
    let mut open = Vec::new();
    for _ in 0..5 {
        open.push(Ws::connect(&a, &user).await);
    }
    assert!(matches!(
        Ws::init(&a, &user.token).await.1,
        Got::Closed(4429, _)
    ));
    open.push(Ws::connect(&b, &user).await);
}

/// The limits are configurable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_limits_are_configurable() {
    let Some(app) = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |c| {
        c.ws_max_subscriptions = 1;
        c.ws_max_connections_per_user = 1;
        c.ws_max_messages_per_minute = 5;
    })
    .await
    else {
        return;
    };
    let hearing = hearing(&app).await;
    let user = app.diplomat("CA").await;
    let mut ws = Ws::connect(&app, &user).await;
    assert!(matches!(
        Ws::init(&app, &user.token).await.1,
        Got::Closed(4429, _)
    ));
    ws.subscribe("1", &hearing).await;
    ws.next("1").await;
    ws.subscribe("2", &hearing).await;
    assert_eq!(ws.refused("2").await, ["RATE_LIMITED"]);
    // init + 2 subscribes = 3; two more pass, the sixth closes.
    let mut answers = Vec::new();
    for _ in 0..3 {
        ws.send(json!({ "type": "ping" })).await;
        answers.push(match ws.recv().await {
            Got::Message(m) => m["type"].as_str().unwrap_or_default().to_owned(),
            Got::Closed(code, _) => code.to_string(),
        });
    }
    assert_eq!(answers, ["pong", "pong", "4429"]);
}

on_both_backends_with! {
    // An upgraded connection is the WebSocket's: it holds none of the
    // ACCORD_MAX_OPEN_REQUESTS places, however long it stays open, and is
    // read from whenever its client speaks.
    async fn a_websocket_holds_no_open_request_place(app: TestApp)
        with |c: &mut accord_server::config::Config| { c.max_executing_requests = 1; c.max_open_requests = 1; };
    {
        let hearing = hearing(&app).await;
        let watcher = app.diplomat("CA").await;
        let mut ws = Ws::connect(&app, &watcher).await;
        ws.subscribe("1", &hearing).await;
        ws.next("1").await;
        // The one place is free for ordinary requests meanwhile.
        let started = Instant::now();
        watcher.q("{ me { user { id } } }", json!({})).await.data();
        assert!(started.elapsed() < Duration::from_secs(1), "waited: {:?}", started.elapsed());
        // And the WebSocket is still read from.
        ws.subscribe("2", &hearing).await;
        ws.next("2").await;
    }
}

/// `n` aliases of the statement's current text, as a subscription.
fn aliased_statement(n: usize) -> String {
    let copies: String = (0..n)
        .map(|i| format!("v{i}: currentVersion {{ body }} "))
        .collect();
    format!("subscription($id: ID!) {{ statementChanged(id: $id) {{ id {copies} }} }}")
}

/// The next message, expected to be `error` for `id` with the response-size
/// refusal of `bound`.
async fn refused_by_size(ws: &mut Ws, id: &str, bound: usize) {
    match ws.recv().await {
        Got::Message(m) if m["type"] == "error" && m["id"] == id => {
            let errors = m["payload"].as_array().expect("errors");
            assert_eq!(errors.len(), 1, "{m}");
            assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT", "{m}");
            assert_eq!(errors[0]["extensions"]["maxResponseBytes"], bound, "{m}");
            let message = errors[0]["message"].as_str().expect("message");
            assert!(message.contains(&format!("{bound} bytes")), "{message}");
        }
        other => panic!("expected error for {id}, got {other:?}"),
    }
}

on_both_backends_with! {
    // SECURITY.md, "work that is not a row": the response bound holds for
    // every WebSocket event, the first and every resend. An event over it
    // ends that subscription with an `error` message (no `complete` after
    // it, the protocol's way); the connection and its other subscriptions
    // go on, and the id may be used again.
    async fn ws_an_event_over_the_response_bound_ends_its_subscription(app: TestApp)
        with |c: &mut accord_server::config::Config| { c.max_response_bytes = 4096; };
    {
        let ca = app.user("COORDINATOR", "CA").await;
        let statement = crate::builders::created(&ca, &[], json!({})).await;
        let hearing = hearing(&app).await;
        let watcher = app.diplomat("CA").await;
        let mut ws = Ws::connect(&app, &watcher).await;
        // Small at first: answered.
        ws.subscribe_to("big", &aliased_statement(10), json!({ "id": statement }), None).await;
        let first = ws.next("big").await;
        assert!(first["statementChanged"]["v9"]["body"].is_string(), "{first}");
        ws.subscribe_to("small", "subscription($id: ID!) { statementChanged(id: $id) { currentVersion { number } } }",
            json!({ "id": statement }), None).await;
        ws.next("small").await;
        // A long revision: ten copies of it are over the bound.
        crate::builders::revise(&ca, &statement, 1, &"A longer text.\n".repeat(200)).await.data();
        let mut ended = false;
        let mut small_saw = false;
        while !(ended && small_saw) {
            match ws.recv().await {
                Got::Message(m) if m["id"] == "small" && m["type"] == "next" => {
                    assert_eq!(m["payload"]["data"]["statementChanged"]["currentVersion"]["number"], 2);
                    small_saw = true;
                }
                Got::Message(m) if m["id"] == "big" && m["type"] == "error" && !ended => {
                    assert_eq!(m["payload"][0]["extensions"]["maxResponseBytes"], 4096, "{m}");
                    ended = true;
                }
                other => panic!("expected the small event and the big one's error, got {other:?}"),
            }
        }
        // No `complete` for it follows; the id is free again.
        ws.assert_quiet().await;
        ws.subscribe_to("big", "subscription($id: ID!) { statementChanged(id: $id) { id } }", json!({ "id": statement }), None).await;
        ws.next("big").await;
        // Over the bound from the first event: a hearing's roster, aliased.
        let copies: String = (0..60).map(|i| format!("h{i}: id ")).collect();
        ws.subscribe_to("roster", &format!("subscription($h: ID!) {{ rosterChanged(hearingId: $h) {{ {copies} }} }}"),
            json!({ "h": hearing }), None).await;
        refused_by_size(&mut ws, "roster", 4096).await;
        ws.assert_quiet().await;
        // The ended subscriptions hold no place: with the two still open,
        // eighteen more fit, as the default of 20 allows.
        for i in 0..18 {
            ws.subscribe(&format!("more-{i}"), &hearing).await;
            ws.next(&format!("more-{i}")).await;
        }
        ws.subscribe("one-too-many", &hearing).await;
        assert_eq!(ws.refused("one-too-many").await, ["RATE_LIMITED"]);
    }
}

on_both_backends! {
    // graphql-transport-ws: a `subscribe` whose id is still open closes the
    // socket with 4409; an id whose subscription was completed is free.
    async fn ws_a_duplicate_subscribe_id_closes_4409(app: TestApp) {
        let hearing = hearing(&app).await;
        let watcher = app.diplomat("CA").await;
        let mut ws = Ws::connect(&app, &watcher).await;
        ws.subscribe("1", &hearing).await;
        ws.next("1").await;
        ws.send(json!({ "type": "complete", "id": "1" })).await;
        // The client may reuse it at once, before the server's `complete`.
        ws.subscribe("1", &hearing).await;
        let mut got = Vec::new();
        for _ in 0..2 {
            match ws.recv().await {
                Got::Message(m) if m["id"] == "1" => got.push(m["type"].as_str().unwrap_or_default().to_owned()),
                other => panic!("expected complete and next for 1, got {other:?}"),
            }
        }
        assert_eq!(got, ["complete", "next"]);
        ws.subscribe("1", &hearing).await;
        match ws.recv().await {
            Got::Closed(code, reason) => {
                assert_eq!((code, reason.as_str()), (4409, "Subscriber for 1 already exists"));
            }
            other => panic!("expected close 4409, got {other:?}"),
        }
        // Whatever the operation the duplicate carries.
        let mut ws = Ws::connect(&app, &watcher).await;
        ws.subscribe("x", &hearing).await;
        ws.next("x").await;
        ws.subscribe_to("x", "{ __typename }", json!({}), None).await;
        assert!(matches!(ws.recv().await, Got::Closed(4409, _)));
    }

    // A message or frame over the limit (256 KiB) closes with 1009 "Message
    // too big", not a dropped connection (1006); the issue sent 2 MB.
    async fn ws_a_message_over_the_limit_closes_1009(app: TestApp) {
        use tokio_tungstenite::tungstenite::protocol::frame::Frame;
        use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
        let watcher = app.diplomat("CA").await;
        let big = format!("{{\"type\":\"ping\",\"payload\":{{\"x\":\"{}\"}}}}", "x".repeat(2_000_000));
        let half = "y".repeat(200 * 1024);
        for (what, frames) in [
            ("one 2 MB frame", vec![Message::text(big)]),
            ("a 400 KiB message in two frames", vec![
                Message::Frame(Frame::message(half.clone(), OpCode::Data(Data::Text), false)),
                Message::Frame(Frame::message(half.clone(), OpCode::Data(Data::Continue), true)),
            ]),
        ] {
            let ws = Ws::connect(&app, &watcher).await;
            let (mut sink, mut source) = ws.socket.split();
            // Sent from a task of its own: the server stops reading midway.
            let sending = tokio::spawn(async move {
                for frame in frames {
                    if sink.send(frame).await.is_err() {
                        break;
                    }
                }
                sink
            });
            let close = tokio::time::timeout(PATIENCE, async {
                loop {
                    match source.next().await {
                        Some(Ok(Message::Close(Some(frame)))) => return Some((u16::from(frame.code), frame.reason.to_string())),
                        Some(Ok(_)) => continue,
                        Some(Err(_)) | None => return None,
                    }
                }
            })
            .await
            .expect("an answer in time");
            assert_eq!(close, Some((1009, "Message too big: at most 262144 bytes".to_owned())), "{what}");
            sending.abort();
        }
        // Up to the limit is fine.
        let mut ws = Ws::connect(&app, &watcher).await;
        ws.send(json!({ "type": "ping", "payload": { "x": "z".repeat(200 * 1024) } })).await;
        assert!(matches!(ws.recv().await, Got::Message(m) if m["type"] == "pong"));
    }
}
