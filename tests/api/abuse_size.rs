//! Issue 21, transport: the response-size bound over HTTP (SECURITY.md,
//! "work that is not a row" and "query cost": response and event size
//! bounds), sign-ins that a stale `Authorization` header does not stop, and
//! refusals that say what to change (the complexity limit, a WebSocket
//! page's origin; the public URL following `ACCORD_BIND` in development).

use serde_json::{Value, json};

use crate::builders::created;
use crate::helpers::*;
use crate::{on_both_backends, on_both_backends_with};

/// The bound the tests set: 64 KiB.
const BOUND: usize = 64 * 1024;

/// `n` aliases of the statement's current text.
fn aliased_texts(n: usize) -> String {
    let copies: String = (0..n)
        .map(|i| format!("s{i}: statement(id: $id) {{ currentVersion {{ body }} }} "))
        .collect();
    format!("query($id: ID!) {{ {copies} }}")
}

/// The answer is the one coded refusal, whole, and within the bound.
#[track_caller]
fn assert_refused_by_size(r: &Raw, what: &str) {
    assert_eq!(r.status, 200, "{what}: {}", r.text);
    assert!(r.text.len() < BOUND, "{what}: {} bytes", r.text.len());
    assert_eq!(r.body["data"], Value::Null, "{what}: {}", r.text);
    let errors = r.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{what}: {}", r.text);
    let ext = &errors[0]["extensions"];
    assert_eq!(ext["code"], "BAD_USER_INPUT", "{what}");
    assert_eq!(ext["field"], "query", "{what}");
    assert_eq!(ext["maxResponseBytes"], BOUND, "{what}");
    let message = errors[0]["message"].as_str().expect("message");
    assert!(message.contains(&format!("{BOUND} bytes")), "{message}");
    assert!(message.contains("fewer fields or aliases"), "{message}");
    assert!(message.contains("`first:`"), "{message}");
}

on_both_backends_with! {
    // SECURITY.md, "work that is not a row" / "query cost": the issue's
    // shape on a small scale. Aliased copies of a large text answer one
    // coded error, whole and valid JSON, never a half-written body; what
    // fits is answered in full.
    async fn an_answer_over_the_response_bound_is_one_coded_error(app: TestApp)
        with |c: &mut accord_server::config::Config| { c.max_response_bytes = BOUND; };
    {
        let ca = app.user("COORDINATOR", "CA").await;
        // 20,000 bytes, of which half are line breaks (two bytes in JSON).
        let body = "a\n".repeat(10_000);
        let id = created(&ca, &[], json!({ "body": body })).await;
        // Two copies (60 KB of JSON) fit.
        let r = raw(&ca, &aliased_texts(2), json!({ "id": id })).await;
        assert!(!r.has_errors(), "{}", r.text);
        assert_eq!(r.body["data"]["s1"]["currentVersion"]["body"], body.trim());
        // Forty copies: stopped while the answer is built.
        let r = raw(&ca, &aliased_texts(40), json!({ "id": id })).await;
        assert_refused_by_size(&r, "forty copies");
        // Three copies: under the bound as built (20,000 bytes of text
        // each), over it once serialized (30,000 each): stopped there.
        let r = raw(&ca, &aliased_texts(3), json!({ "id": id })).await;
        assert_refused_by_size(&r, "three escaped copies");
        // A mutation whose answer is over the bound: refused, its change made.
        let copies: String = (0..10).map(|i| format!("v{i}: currentVersion {{ body }} ")).collect();
        let r = raw(
            &ca,
            &format!("mutation($id: ID!, $t: String!) {{ reviseStatement(id: $id, baseVersion: 1, body: $t) {{ {copies} }} }}"),
            json!({ "id": id, "t": "b\n".repeat(10_000) }),
        )
        .await;
        assert_refused_by_size(&r, "a mutation's answer");
        let now = ca
            .q("query($id: ID!) { statement(id: $id) { currentVersion { number } } }", json!({ "id": id }))
            .await;
        assert_eq!(now.data()["statement"]["currentVersion"]["number"], 2);
    }
}

on_both_backends! {
    // A stale or bad token in the header does not stop a sign-in (GraphiQL
    // keeps the old header): a request of nothing but `login` or
    // `refreshToken` runs anonymous. Any other request is still 401.
    async fn a_sign_in_ignores_a_bad_authorization_header(app: TestApp) {
        let diplomat = app.diplomat("NL").await;
        let stale = diplomat.token.clone();
        diplomat.q("mutation { logout }", json!({})).await.data();
        let http = |authorization: String, query: &'static str, variables: Value| {
            let app = app.clone();
            async move {
                let res = app
                    .http()
                    .post(app.url("/graphql"))
                    .header("authorization", authorization)
                    .json(&json!({ "query": query, "variables": variables }))
                    .send()
                    .await
                    .expect("sent");
                let status = res.status().as_u16();
                let body: Value = res.json().await.expect("json");
                assert_error_codes(&body);
                (status, body)
            }
        };
        const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }";
        const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";
        let credentials = json!({ "e": diplomat.email, "p": PASSWORD });
        let mut fresh = None;
        for header in [format!("Bearer {stale}"), "Bearer not-a-token".into(), "Basic abc".into()] {
            let (status, body) = http(header.clone(), LOGIN, credentials.clone()).await;
            assert_eq!(status, 200, "{header}: {body}");
            assert!(body["data"]["login"]["accessToken"].is_string(), "{header}: {body}");
            fresh = body["data"]["login"]["refreshToken"].as_str().map(str::to_owned);
        }
        let (status, body) = http(format!("Bearer {stale}"), REFRESH, json!({ "t": fresh })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"]["refreshToken"]["accessToken"].is_string(), "{body}");
        // Still refused: anything that needs (or could use) a viewer, and a
        // sign-in mixed with anything else.
        for (query, variables) in [
            ("{ me { user { id } } }", json!({})),
            ("mutation { logout }", json!({})),
            ("mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } logout }", credentials.clone()),
            ("mutation($e: String!, $p: String!) { ...F } fragment F on Mutation { login(email: $e, password: $p) { accessToken } }", credentials.clone()),
        ] {
            let (status, body) = http(format!("Bearer {stale}"), query, variables).await;
            assert_eq!(status, 401, "{query}: {body}");
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{query}");
        }
        // A wrong password is still refused as a sign-in, not as a header.
        let (status, body) = http(format!("Bearer {stale}"), LOGIN, json!({ "e": diplomat.email, "p": "wrong password" })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");
        assert_eq!(body["data"], Value::Null, "{body}");
    }

    // SECURITY.md, "query cost": the refusal says what the query cost, the
    // limit, and what to change.
    async fn a_query_too_complex_is_told_its_cost_and_the_limit(app: TestApp) {
        let nl = app.diplomat("NL").await;
        let r = raw(&nl, "query($first: Int) { missions(first: $first) { edges { node {
            users(first: $first) { edges { node { mission {
              users(first: $first) { edges { node { id } } } } } } } } } } }", json!({ "first": 9 })).await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{}", r.text);
        assert_eq!(
            r.body["errors"][0]["message"],
            "Query is too complex: it costs 2539, the limit is 2000; ask for fewer fields or a smaller `first:`"
        );
        assert_too_deep_is_told(&nl).await;
    }
}

/// `GET /graphql/ws` as a browser page at `origin` would open it: status and body.
async fn upgrade_from(http: &reqwest::Client, base: &str, origin: &str) -> (u16, String) {
    let res = http
        .get(format!("{base}/graphql/ws"))
        .header("origin", origin)
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("sec-websocket-protocol", "graphql-transport-ws")
        .send()
        .await
        .expect("sent");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// The refusal's message, after checking it is a coded 403.
#[track_caller]
fn origin_refusal(status: u16, text: &str) -> String {
    assert_eq!(status, 403, "{text}");
    let body: Value = serde_json::from_str(text).expect("JSON");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{text}"
    );
    body["errors"][0]["message"]
        .as_str()
        .expect("message")
        .to_owned()
}

on_both_backends_with! {
    // A page from an origin not allowed is told which origin was expected
    // and which settings decide it.
    async fn an_origin_refusal_names_the_expected_origin(app: TestApp)
        with |c: &mut accord_server::config::Config| {
            c.public_url = "https://accord.example.org/app".into();
            c.allowed_origins = Some("https://secret-partner.example.net".into());
        };
    {
        let base = app.url("");
        let (status, text) = upgrade_from(app.http(), &base, "http://127.0.0.1:8080").await;
        let message = origin_refusal(status, &text);
        for part in ["origin http://127.0.0.1:8080", "https://accord.example.org (ACCORD_PUBLIC_URL)", "ACCORD_ALLOWED_ORIGINS"] {
            assert!(message.contains(part), "{part}: {message}");
        }
        // The other allowed origins are not listed.
        assert!(!message.contains("secret-partner"), "{message}");
        let (status, text) = upgrade_from(app.http(), &base, "null").await;
        assert!(origin_refusal(status, &text).starts_with("this page's origin may not"), "{text}");
    }
}

/// The `accord` binary in `dir` with only the `ACCORD_*` settings given.
fn accord(
    dir: &std::path::Path,
    env: &[(&str, String)],
    log: &std::path::Path,
) -> std::process::Child {
    let log = std::fs::File::create(log).expect("log file");
    crate::ops::accord(dir)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("ACCORD_DEMO", "false")
        .stdout(log.try_clone().expect("clone"))
        .stderr(log)
        .spawn()
        .expect("spawn accord")
}

/// In development, setting only `ACCORD_BIND` moves the public URL with it:
/// GraphiQL's page at that address (under any loopback name) may open the
/// WebSocket. A public URL set elsewhere is kept, and start-up warns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_development_the_public_url_follows_accord_bind() {
    let http = reqwest::Client::new();
    let dir = tempfile::tempdir().expect("dir");
    let port = crate::ops::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = dir.path().join("following.log");
    let mut child = accord(
        dir.path(),
        &[("ACCORD_BIND", format!("127.0.0.1:{port}"))],
        &log,
    );
    crate::ops::wait_until_ready(&http, &base).await;
    for origin in [base.clone(), format!("http://localhost:{port}")] {
        let (status, text) = upgrade_from(&http, &base, &origin).await;
        assert_eq!(status, 101, "{origin}: {text}");
    }
    let (status, text) = upgrade_from(&http, &base, "http://127.0.0.1:8080").await;
    let message = origin_refusal(status, &text);
    assert!(
        message.contains(&format!("{base} (ACCORD_PUBLIC_URL)")),
        "{message}"
    );
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !text.contains("ACCORD_PUBLIC_URL is"),
        "no warning when they agree: {text}"
    );

    // Both set, disagreeing: kept as set, and a warning at start-up.
    let port = crate::ops::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = dir.path().join("disagreeing.log");
    let mut child = accord(
        dir.path(),
        &[
            ("ACCORD_BIND", format!("127.0.0.1:{port}")),
            ("ACCORD_PUBLIC_URL", "http://127.0.0.1:8080".into()),
        ],
        &log,
    );
    crate::ops::wait_until_ready(&http, &base).await;
    let (status, text) = upgrade_from(&http, &base, &base).await;
    let message = origin_refusal(status, &text);
    assert!(
        message.contains("http://127.0.0.1:8080 (ACCORD_PUBLIC_URL)"),
        "{message}"
    );
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let warning = text
        .lines()
        .find(|l| l.contains("ACCORD_PUBLIC_URL is http://127.0.0.1:8080"))
        .unwrap_or_else(|| panic!("a start-up warning: {text}"));
    assert!(warning.contains("WARN"), "{warning}");
    assert!(
        warning.contains(&format!("listens on 127.0.0.1:{port}")),
        "{warning}"
    );
}

on_both_backends_with! {
    // In production the depth limit counts every field (introspection is
    // off) and says so the same way.
    async fn production_tells_the_depth_and_the_cost(app: TestApp)
        with |c: &mut accord_server::config::Config| {
            c.mode = accord_server::config::Mode::Production;
            c.demo = None;
            c.identity_keys = Some("k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
            c.argon2_memory_kib = 19 * 1024;
            c.argon2_iterations = 2;
            // The builders sign staff in with a password alone; the staff
            // rule has its own test (`second_factor`).
            c.require_second_factor_for_staff = Some(false);
        };
    {
        let nl = app.diplomat("NL").await;
        assert_too_deep_is_told(&nl).await;
        let copies: String = (0..16).map(|i| format!("p{i}: missions(first: 100) {{ totalCount edges {{ node {{ id }} }} }} ")).collect();
        let r = raw(&nl, &format!("{{ {copies} }}"), json!({})).await;
        let message = r.body["errors"][0]["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.starts_with("Query is too complex: it costs "), "{}", r.text);
        assert!(message.contains("the limit is 2000"), "{message}");
    }
}

/// A query 13 levels deep is refused with its depth and the limit (12).
async fn assert_too_deep_is_told(actor: &Actor) {
    let deep = "{ me { user { mission { users(first: 1) { edges { node { mission {
        users(first: 1) { edges { node { mission { users(first: 1) { totalCount } } } } } } } } } } } } }";
    let r = raw(actor, deep, json!({})).await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{}", r.text);
    assert_eq!(
        r.body["errors"][0]["message"],
        "Query is nested too deep: 13 levels, the limit is 12; ask for fewer nested fields"
    );
}
