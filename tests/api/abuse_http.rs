//! Abuse limits at the HTTP layer (issue 11): per-user and per-address
//! request rates (`RATE_LIMITED`, `retryAfterSeconds`, `Retry-After`), a flood
//! from one user against another user's latency, 413 and 408 as coded
//! GraphQL errors, and the transport nits (invalid JSON versus a batch, the
//! `Bearer` scheme in any case, the demo banner's address).
use std::time::{Duration, Instant};

use accord_server::config::Config;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::{on_both_backends, on_both_backends_with};

const ME: &str = "{ me { user { id } } }";

/// A raw `POST /graphql`: status, `Retry-After` and the JSON body (whose
/// error codes are checked against docs/RULES.md's list).
async fn post(
    app: &TestApp,
    authorization: Option<&str>,
    body: &str,
) -> (u16, Option<String>, Value) {
    let mut req = app
        .http()
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    let res = req.send().await.expect("sent");
    let status = res.status().as_u16();
    let retry_after = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ascii").to_owned());
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json"),
        "every answer is JSON"
    );
    let body: Value = res.json().await.expect("JSON body");
    assert_error_codes(&body);
    (status, retry_after, body)
}

fn me_body() -> String {
    json!({ "query": ME }).to_string()
}

/// A query anyone may send, answered without the database.
fn typename_body() -> String {
    json!({ "query": "{ __typename }" }).to_string()
}

/// `typename_body()` answered in full.
fn assert_typename_answered(status: u16, body: &Value) {
    assert_eq!(
        (status, &body["data"]["__typename"]),
        (200, &json!("Query")),
        "{body}"
    );
}

/// The status of a WebSocket upgrade from this address (101 when accepted).
async fn ws_upgrade_status(app: &TestApp) -> u16 {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = app.url("/graphql/ws").replacen("http", "ws", 1);
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    match tokio_tungstenite::connect_async(request).await {
        Ok((_socket, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("websocket: {e}"),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

on_both_backends_with! {
    async fn rate_per_user_is_rate_limited_with_retry_after(app: TestApp)
        with |c: &mut Config| { c.rate_per_user_per_minute = 5; };
    {
        let a = app.diplomat("CA").await;
        let b = app.diplomat("NL").await;
        let bearer = format!("Bearer {}", a.token);
        for _ in 0..5 {
            let (status, _, body) = post(&app, Some(&bearer), &me_body()).await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["data"]["me"]["user"]["id"], a.id.as_str());
        }
        let (status, retry_after, body) = post(&app, Some(&bearer), &me_body()).await;
        assert_eq!(status, 429, "{body}");
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "RATE_LIMITED", "{body}");
        // 5 a minute: the next one is due in 12 s.
        let secs = error["extensions"]["retryAfterSeconds"].as_u64().expect("retryAfterSeconds");
        assert!((1..=12).contains(&secs), "{body}");
        assert_eq!(retry_after.as_deref(), Some(secs.to_string().as_str()));
        assert!(error["message"].as_str().expect("message").contains("too many requests"), "{body}");
        // Another user is not limited by the first one's rate.
        b.q(ME, json!({})).await.data();
        // Anonymous requests have no user to count (the address limit holds them).
        let (status, _, _) = post(&app, None, &typename_body()).await;
        assert_eq!(status, 200);
    }

    async fn rate_per_address_is_rate_limited_including_websocket_upgrades(app: TestApp)
        with |c: &mut Config| { c.rate_per_address_per_minute = 4; };
    {
        let anon = typename_body();
        for _ in 0..3 {
            let (status, _, body) = post(&app, None, &anon).await;
            assert_eq!(status, 200, "{body}");
        }
        // The fourth request of the minute is a WebSocket upgrade: accepted.
        assert_eq!(ws_upgrade_status(&app).await, 101);
        let (status, retry_after, body) = post(&app, None, &anon).await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
        let secs = body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().expect("secs");
        assert!((1..=15).contains(&secs), "{body}");
        assert_eq!(retry_after, Some(secs.to_string()));
        // Refused before the token is even looked at, and before parsing.
        let (status, _, _) = post(&app, Some("Bearer not-a-token"), "not json").await;
        assert_eq!(status, 429);
        assert_eq!(ws_upgrade_status(&app).await, 429);
    }

    // PostgreSQL: a statement waiting on a lock runs into the request
    // timeout. SQLite: waiting for its one connection is bounded by the
    // (shorter) acquire timeout, and answered UNAVAILABLE.
    async fn a_request_stuck_on_the_database_is_stopped_and_coded(app: TestApp)
        with |c: &mut Config| { c.request_timeout_secs = 1; c.db_acquire_timeout_ms = 500; };
    {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let dip = app.diplomat("CA").await;
        let bearer = format!("Bearer {}", dip.token);
        // Hold the database so that the request cannot finish: SQLite's one
        // connection, or PostgreSQL's `users` table locked.
        let txn = app.db().begin().await.expect("begin");
        if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            txn.execute_unprepared("LOCK TABLE users IN ACCESS EXCLUSIVE MODE").await.expect("lock");
        }
        let started = Instant::now();
        let (status, _, body) = post(&app, Some(&bearer), &me_body()).await;
        let took = started.elapsed();
        let postgres = txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        txn.rollback().await.expect("rollback");
        if postgres {
            assert_eq!(status, 408, "{body}");
            assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL", "{body}");
            assert!(body["errors"][0]["message"].as_str().expect("message").contains("within 1 s"), "{body}");
        } else {
            assert_eq!(status, 503, "{body}");
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{body}");
            assert!(took < Duration::from_millis(1000), "before the request timeout: {took:?}");
        }
        assert!(took < Duration::from_secs(5), "stopped at the timeout: {took:?}");
        // The server serves again once the database is free.
        dip.q(ME, json!({})).await.data();
    }
}

on_both_backends_with! {
    // ACCORD_MAX_EXECUTING_REQUESTS: beyond the limit a request waits for a
    // place before it runs, even one that needs no database at all.
    async fn requests_beyond_the_executing_limit_wait_their_turn(app: TestApp)
        with |c: &mut Config| { c.max_executing_requests = 1; c.request_timeout_secs = 2; c.db_acquire_timeout_ms = 1500; };
    {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let dip = app.diplomat("CA").await;
        let bearer = format!("Bearer {}", dip.token);
        let anonymous = typename_body();
        // Alone, it answers at once.
        let started = Instant::now();
        let (status, _, body) = post(&app, None, &anonymous).await;
        assert_typename_answered(status, &body);
        assert!(started.elapsed() < Duration::from_secs(1));
        // The one place taken by a request stuck on the held database.
        let txn = app.db().begin().await.expect("begin");
        if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            txn.execute_unprepared("LOCK TABLE users IN ACCESS EXCLUSIVE MODE").await.expect("lock");
        }
        let stuck = {
            let app = app.clone();
            tokio::spawn(async move { post(&app, Some(&bearer), &me_body()).await })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let (status, _, body) = post(&app, None, &anonymous).await;
        let waited = started.elapsed();
        let (stuck_status, _, _) = stuck.await.expect("task");
        txn.rollback().await.expect("rollback");
        // PostgreSQL: at the request timeout (2 s); SQLite: at the acquire timeout (1.5 s).
        assert!(matches!(stuck_status, 408 | 503), "the stuck request ends at its timeout: {stuck_status}");
        // It waited for the place (freed when the stuck one timed out),
        // then answered: it did not fail, and did not run beside it.
        assert_typename_answered(status, &body);
        assert!(waited >= Duration::from_millis(1200), "ran beside the stuck request: {waited:?}");
        dip.q(ME, json!({})).await.data();
    }

    // A small body is read before the request takes a place: a client that
    // announces a body and sends it slowly does not keep others waiting, and
    // one that goes away midway is told why, before it ever ran.
    async fn a_slow_body_does_not_hold_an_executing_place(app: TestApp)
        with |c: &mut Config| { c.max_executing_requests = 1; c.request_timeout_secs = 4; c.db_acquire_timeout_ms = 2000; };
    {
        use tokio::io::AsyncWriteExt;
        let addr = app.addr();
        let body = typename_body();
        let mut slow = half_sent_post(&addr, &body, 5).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The one place is free for a request that came later.
        let started = Instant::now();
        let (status, _, answered) = post(&app, None, &body).await;
        assert_typename_answered(status, &answered);
        assert!(started.elapsed() < Duration::from_secs(1), "waited behind the slow body: {:?}", started.elapsed());
        // The slow client gives up halfway through its body.
        slow.shutdown().await.expect("half-close");
        let raw = read_until_closed(&mut slow).await;
        assert!(raw.starts_with("HTTP/1.1 400"), "{raw}");
        let json: Value = serde_json::from_str(raw.split("\r\n\r\n").nth(1).expect("body")).expect("JSON");
        assert_error_codes(&json);
        assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{json}");
        assert_eq!(json["errors"][0]["extensions"]["field"], "body", "{json}");
        let message = json["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("ended before its announced length"), "{message}");
    }

    // ACCORD_MAX_OPEN_REQUESTS: with every place taken, the next request is
    // not read at all (its bytes wait in the kernel, costing the server no
    // memory) until an open one has been answered; then it is.
    async fn a_request_beyond_the_open_limit_is_read_when_a_place_frees(app: TestApp)
        with |c: &mut Config| {
            c.max_executing_requests = 1;
            c.max_open_requests = 1;
            c.request_timeout_secs = 5;
            c.db_acquire_timeout_ms = 2000;
            c.metrics_bind = Some("127.0.0.1:0".parse().expect("addr"));
        };
    {
        use tokio::io::AsyncWriteExt;
        let addr = app.addr();
        let body = typename_body();
        // The one place: a request whose body is still coming.
        let mut first = half_sent_post(&addr, &body, 5).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let later = {
            let app = app.clone();
            let body = body.clone();
            tokio::spawn(async move { post(&app, None, &body).await })
        };
        let unread = |text: &str, n: u32| text.contains(&format!("\naccord_connections_unread {n}\n"));
        let mut waited = Duration::ZERO;
        while !unread(&app.scrape().await, 1) {
            assert!(waited < Duration::from_secs(3), "the later request was never held unread");
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += Duration::from_millis(50);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!later.is_finished(), "answered while the only place was taken");
        // The first request completes and is answered; the later one follows.
        first.write_all(&body.as_bytes()[5..]).await.expect("the rest of the body");
        let (status, answered) = read_one_response(&mut first).await;
        assert_typename_answered(status, &answered);
        let (status, _, answered) = tokio::time::timeout(Duration::from_secs(3), later)
            .await
            .expect("answered once the place was free")
            .expect("task");
        assert_typename_answered(status, &answered);
        assert!(unread(&app.scrape().await, 0), "nothing left unread");
    }

    // Only open requests hold a place: an idle keep-alive connection and a
    // client still sending its request head hold none, a pipelined second
    // request gets one of its own, and a connection serves request after
    // request.
    async fn idle_connections_and_slow_heads_hold_no_open_place(app: TestApp)
        with |c: &mut Config| { c.max_executing_requests = 1; c.max_open_requests = 1; };
    {
        use tokio::io::AsyncWriteExt;
        let addr = app.addr();
        let body = typename_body();
        let request = format!("{}{body}", post_head(&addr, &body));
        let is_answer = |(status, answered): (u16, Value)| assert_typename_answered(status, &answered);
        // Answered once, then left idle (kept alive).
        let mut idle = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        idle.write_all(request.as_bytes()).await.expect("request");
        is_answer(read_one_response(&mut idle).await);
        // Half a request head, then nothing.
        let mut slow = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        let (head_start, head_rest) = request.split_at(20);
        slow.write_all(head_start.as_bytes()).await.expect("part of the head");
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Neither keeps another client waiting.
        let started = Instant::now();
        let (status, _, answered) = post(&app, None, &body).await;
        is_answer((status, answered));
        assert!(started.elapsed() < Duration::from_secs(1), "waited: {:?}", started.elapsed());
        // Each is served when it goes on.
        slow.write_all(head_rest.as_bytes()).await.expect("the rest");
        is_answer(read_one_response(&mut slow).await);
        idle.write_all(request.as_bytes()).await.expect("a second request");
        is_answer(read_one_response(&mut idle).await);
        // Two requests sent at once on one connection: both answered, in turn.
        let mut pipelined = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        pipelined.write_all(format!("{request}{request}").as_bytes()).await.expect("two requests");
        for answer in read_responses(&mut pipelined, 2).await {
            is_answer(answer);
        }
    }

    // A client that does not read its answer holds no place: the place goes
    // back once hyper has taken the response's body (our bodies are whole),
    // not once the client has read it (GraphiQL's 1 MB script, development
    // only, is more than the socket buffers hold).
    async fn a_client_that_does_not_read_its_answer_holds_no_open_place(app: TestApp)
        with |c: &mut Config| { c.max_executing_requests = 1; c.max_open_requests = 1; };
    {
        use tokio::io::AsyncWriteExt;
        let addr = app.addr();
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(4096).expect("a small receive buffer");
        let mut unread = socket.connect(addr.parse().expect("addr")).await.expect("connect");
        unread
            .write_all(format!("GET /graphql/assets/graphiql.min.js HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .await
            .expect("request");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let body = typename_body();
        let (status, _, answered) = tokio::time::timeout(Duration::from_secs(3), post(&app, None, &body))
            .await
            .expect("answered while the other client reads nothing");
        assert_typename_answered(status, &answered);
        assert!(started.elapsed() < Duration::from_secs(1), "waited: {:?}", started.elapsed());
        drop(unread);
    }

    // The default limits (the tests' configuration raises the address's):
    // the flood is not cut short by the rate limit, so this measures what
    // one user's load costs another.
    async fn flood_from_one_user_does_not_stall_another(app: TestApp)
        with |c: &mut Config| {
            c.rate_per_user_per_minute = Config::default().rate_per_user_per_minute;
            c.rate_per_address_per_minute = Config::default().rate_per_address_per_minute;
        };
    {
        let a = app.diplomat("CA").await;
        let b = app.diplomat("NL").await;
        let flood_query = json!({ "query": "{ me { user { id email displayName mission { id name } } } }" }).to_string();
        // Baseline: B alone.
        let mut alone = Vec::new();
        for _ in 0..10 {
            let t = Instant::now();
            b.q(ME, json!({})).await.data();
            alone.push(t.elapsed());
        }
        alone.sort();
        // A floods: 400 requests from 8 tasks, as fast as they are answered.
        let flood_started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let app = app.clone();
            let bearer = format!("Bearer {}", a.token);
            let body = flood_query.clone();
            tasks.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                for _ in 0..50 {
                    let res = app.http().post(app.url("/graphql"))
                        .header("content-type", "application/json")
                        .header("authorization", &bearer)
                        .body(body.clone())
                        .send().await.expect("sent");
                    statuses.push(res.status().as_u16());
                    let _ = res.bytes().await;
                }
                statuses
            }));
        }
        // Meanwhile B asks, one query at a time, while the flood lasts.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut during = Vec::new();
        while during.len() < 20 && !tasks.iter().all(|t| t.is_finished()) {
            let t = Instant::now();
            let r = b.q(ME, json!({})).await;
            during.push(t.elapsed());
            assert_eq!(r.data()["me"]["user"]["id"], b.id.as_str());
        }
        let mut flood_statuses = Vec::new();
        for t in tasks {
            flood_statuses.extend(t.await.expect("flood task"));
        }
        let flood_took = flood_started.elapsed();
        assert_eq!(flood_statuses.len(), 400);
        let ok = flood_statuses.iter().filter(|s| **s == 200).count();
        let limited = flood_statuses.iter().filter(|s| **s == 429).count();
        assert_eq!(ok + limited, 400, "only answers or RATE_LIMITED: {flood_statuses:?}");
        assert!(during.len() >= 3, "B was measured during the flood ({} samples)", during.len());
        during.sort();
        let p50 = percentile(&during, 0.50);
        let p95 = percentile(&during, 0.95);
        eprintln!(
            "flood ({:?}): A sent 400 requests in {flood_took:?} ({ok} answered, {limited} RATE_LIMITED); \
             B alone p50 {:?} max {:?}; B during the flood ({} queries) p50 {p50:?} p95 {p95:?} max {:?}",
            sea_orm::ConnectionTrait::get_database_backend(app.db()),
            percentile(&alone, 0.5), alone[alone.len() - 1], during.len(), during[during.len() - 1]
        );
        // The bound stated in the README (debug build, both databases).
        assert!(p95 < Duration::from_secs(1), "B's p95 during the flood: {p95:?}");
    }
}

on_both_backends! {
    async fn oversized_body_is_a_coded_413(app: TestApp) {
        let dip = app.diplomat("CA").await;
        let huge = "x".repeat(300 * 1024);
        let body = json!({ "query": ME, "variables": { "pad": huge } }).to_string();
        // Announced by Content-Length.
        let (status, _, body_json) = post(&app, Some(&format!("Bearer {}", dip.token)), &body).await;
        assert_eq!(status, 413);
        let error = &body_json["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{body_json}");
        assert_eq!(error["extensions"]["field"], "body");
        assert!(error["message"].as_str().expect("message").contains("262144 bytes"), "{body_json}");
        // Chunked, so found only while reading: the same answer.
        let (status, raw) = chunked_post(&app, &body).await;
        assert_eq!(status, 413, "{raw}");
        let json_start = raw.find("{\"data\"").unwrap_or_else(|| panic!("JSON body: {raw}"));
        assert!(raw[..json_start].to_ascii_lowercase().contains("content-type: application/json"), "{raw}");
        assert!(raw[json_start..].contains("\"BAD_USER_INPUT\""), "{raw}");
        assert!(raw[json_start..].contains("262144 bytes"), "{raw}");
        // The unread rest of the body ends the connection, and the answer says so.
        assert!(raw[..json_start].to_ascii_lowercase().contains("connection: close"), "{raw}");
    }

    async fn malformed_json_and_batches_are_told_apart(app: TestApp) {
        let (status, _, body) = post(&app, None, "{\"query\": ").await;
        assert_eq!(status, 400);
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("not valid JSON"), "{message}");
        assert!(!message.contains("batch"), "{message}");
        let batch = json!([{ "query": ME }, { "query": ME }]).to_string();
        let (status, _, body) = post(&app, None, &batch).await;
        assert_eq!(status, 400);
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("batches are not accepted"), "{message}");
        let (status, _, body) = post(&app, None, "\"{ __typename }\"").await;
        assert_eq!(status, 400);
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("JSON object such as"), "{message}");
    }

    async fn bearer_scheme_is_case_insensitive(app: TestApp) {
        let dip = app.diplomat("CA").await;
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let (status, _, body) = post(&app, Some(&format!("{scheme} {}", dip.token)), &me_body()).await;
            assert_eq!(status, 200, "{scheme}: {body}");
            assert_eq!(body["data"]["me"]["user"]["id"], dip.id.as_str(), "{scheme}");
        }
        for bad in [format!("Basic {}", dip.token), format!("Bearer{}", dip.token), "Bearer ".to_owned(), dip.token.clone()] {
            let (status, _, body) = post(&app, Some(&bad), &me_body()).await;
            assert_eq!(status, 401, "{bad}: {body}");
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        }
    }
}

/// A chunked `POST /graphql` over a raw socket (no `Content-Length`); the
/// status and the whole raw response.
async fn chunked_post(app: &TestApp, body: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.addr();
    let mut socket = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.expect("head");
    // The server may answer and stop reading before the body is sent.
    for chunk in body.as_bytes().chunks(16 * 1024) {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if socket.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut raw)).await;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line: {raw}"));
    (status, raw)
}

/// The development banner names the address bound, not the default 8080.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_banner_names_the_bound_address() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.current_dir(dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("ACCORD_") || k == "DATABASE_URL" {
            cmd.env_remove(k);
        }
    }
    let mut child = cmd
        .env("ACCORD_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn accord");
    let stdout = child.stdout.take().expect("stdout");
    let lines = tokio::task::spawn_blocking(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("line");
            let done = line.contains("listening on");
            seen.push(line);
            if done {
                break;
            }
        }
        seen
    });
    let lines = tokio::time::timeout(Duration::from_secs(60), lines)
        .await
        .expect("banner in time")
        .expect("reader");
    let _ = child.kill();
    let _ = child.wait();
    let text = lines.join("\n");
    let expected = format!("http://127.0.0.1:{port}/graphql");
    let sign_in = lines
        .iter()
        .find(|l| l.contains("Sign in"))
        .unwrap_or_else(|| panic!("demo banner: {text}"));
    assert!(sign_in.contains(&expected), "{text}");
    assert!(!text.contains(":8080"), "{text}");
    assert!(
        lines.last().is_some_and(|l| l.contains(&expected)),
        "{text}"
    );
}
