//! Password work bounded (issue 11, item 2): one `login` or `refreshToken` per
//! request, aliases included; failed logins throttled per client address as
//! well as per email, in the database (so every server process sees them);
//! password checks on a bounded pool that answers RATE_LIMITED when full,
//! while other users' requests keep answering.
use std::time::{Duration, Instant};

use accord_server::config::Config;
use accord_server::store::login_throttle;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

const ME: &str = "{ me { user { email } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }";

/// Each scenario on SQLite and on PostgreSQL, on a server with `tweak` applied.
macro_rules! on_both_backends_with {
    ($($name:ident($tweak:expr);)*) => {
        $(
            mod $name {
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = TestApp::spawn_with(Backend::Sqlite, $tweak).await {
                        super::$name(app).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = TestApp::spawn_with(Backend::Postgres, $tweak).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

on_both_backends_with! {
    one_login_per_request_aliases_included(|c: &mut Config| {
        // Let the 1,000-alias document through validation, so that the
        // resolver-level rule is what refuses it.
        c.max_query_complexity = 1_000_000;
    });
    failed_logins_lock_the_client_address(|c: &mut Config| {
        c.login_max_failures_per_address = 5;
    });
    a_login_storm_is_bounded_and_others_still_answer(|c: &mut Config| {
        c.password_hashing_concurrency = Some(2);
        // Production cost, so that the pool fills.
        c.argon2_memory_kib = 19 * 1024;
        c.argon2_iterations = 2;
        c.login_max_failures_per_address = 100_000;
    });
}

fn errors(body: &Value) -> Vec<Value> {
    body["errors"].as_array().cloned().unwrap_or_default()
}

fn codes(body: &Value) -> Vec<String> {
    errors(body)
        .iter()
        .map(|e| str_of(&e["extensions"]["code"], "code"))
        .collect()
}

/// 1,000 aliased `login`s with 1,000 emails in one request: one password
/// check runs, the 999 others are refused BAD_USER_INPUT (field `login`)
/// before any work; `refreshToken` shares the one check.
async fn one_login_per_request_aliases_included(app: TestApp) {
    let user = app.diplomat("FR").await;
    let aliases: String = (0..1000)
        .map(|i| {
            format!(
                "a{i}: login(email: \"victim{i}@test.example\", password: \"guess {i}\") {{ accessToken }}\n"
            )
        })
        .collect();
    let before = app.state().hasher.verifications();
    let started = Instant::now();
    let r = app
        .anon(&format!("mutation {{\n{aliases}}}"), json!({}))
        .await;
    let elapsed = started.elapsed();
    let hashed = app.state().hasher.verifications() - before;
    eprintln!("1,000 aliased logins: {elapsed:?}, {hashed} password check(s)");
    assert_eq!(hashed, 1, "one password check for the whole request");
    let got = codes(&r.body);
    assert_eq!(got.len(), 1000, "{}", r.body);
    assert_eq!(got[0], "UNAUTHENTICATED");
    assert!(got[1..].iter().all(|c| c == "BAD_USER_INPUT"), "{got:?}");
    let refused = &errors(&r.body)[1];
    assert_eq!(refused["extensions"]["field"], "login");
    assert_eq!(
        refused["message"],
        "login: only one login, refreshToken or changePassword per request"
    );
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Only the first email has a failure counted (plus the address).
    assert_eq!(app.count_rows("login_throttle").await, 2);

    // `refreshToken` shares the one check, either way round.
    let mixed = app
        .anon(
            "mutation($e: String!, $p: String!, $t: String!) {
                refreshToken(refreshToken: $t) { accessToken }
                login(email: $e, password: $p) { accessToken } }",
            json!({ "e": user.email, "p": PASSWORD, "t": user.refresh }),
        )
        .await;
    let errs = errors(&mixed.body);
    assert_eq!(errs.len(), 1, "{}", mixed.body);
    assert_eq!(errs[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(errs[0]["extensions"]["field"], "login");
    let two_refreshes = app
        .anon(
            "mutation($t: String!) { a: refreshToken(refreshToken: $t) { accessToken }
                                     b: refreshToken(refreshToken: $t) { accessToken } }",
            json!({ "t": "not a token" }),
        )
        .await;
    assert_eq!(
        codes(&two_refreshes.body),
        ["UNAUTHENTICATED", "BAD_USER_INPUT"]
    );
    assert_eq!(
        errors(&two_refreshes.body)[1]["extensions"]["field"],
        "refreshToken"
    );

    // One per request, not one per client: separate requests each get theirs.
    app.login(&user.email, PASSWORD).await;
    let again = app.login(&user.email, PASSWORD).await;
    again.q(ME, json!({})).await.data();
    let r = app.anon(REFRESH, json!({ "t": again.refresh })).await;
    r.data();
}

/// Failures from one address, each with another email, lock the address:
/// RATE_LIMITED with retryAfterSeconds for any email (the right password
/// included) and on another server process, without a password check.
async fn failed_logins_lock_the_client_address(app: TestApp) {
    let user = app.diplomat("IT").await;
    let before = app.state().hasher.verifications();
    for i in 0..4 {
        app.login_raw(&format!("nobody{i}@test.example"), "wrong password")
            .await
            .assert_code("UNAUTHENTICATED");
    }
    // A success does not clear the address's count.
    app.login(&user.email, PASSWORD).await;
    app.login_raw("nobody4@test.example", "wrong password")
        .await
        .assert_code("UNAUTHENTICATED");
    assert_eq!(app.state().hasher.verifications() - before, 6);

    // Five failures from 127.0.0.1: locked, whatever the email.
    let locked = app.login_raw("someone.new@test.example", "x").await;
    locked.assert_code("RATE_LIMITED");
    let retry = locked.body["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_i64()
        .unwrap_or(0);
    assert!((1..=15 * 60).contains(&retry), "retryAfterSeconds {retry}");
    let right = app.login_raw(&user.email, PASSWORD).await;
    right.assert_code("RATE_LIMITED");
    // The same words as an email's lockout: nothing tells the two apart.
    assert_eq!(right.message(), "too many attempts; try again later");
    assert_eq!(
        app.state().hasher.verifications() - before,
        6,
        "no password check while locked"
    );
    // In the database, so another process refuses too.
    let other = app.another_process().await;
    other
        .login_raw(&user.email, PASSWORD)
        .await
        .assert_code("RATE_LIMITED");
    let row = login_throttle::Entity::find_by_id("addr:127.0.0.1".to_owned())
        .one(app.db())
        .await
        .expect("read")
        .expect("address row");
    assert!(row.locked_until.is_some());
    // Signed-in sessions are untouched.
    user.q(ME, json!({})).await.data();

    // When the lockout ends, logins work again.
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::LockedUntil,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(login_throttle::Column::EmailKey.eq("addr:127.0.0.1"))
        .exec(app.db())
        .await
        .expect("expire");
    app.login(&user.email, PASSWORD).await;
}

/// 50 logins at once with production Argon2 cost on a pool of 2 (4 may
/// wait): every answer is coded (UNAUTHENTICATED, or RATE_LIMITED with
/// retryAfterSeconds), never more than 2 checks run at once, and another
/// user's `me` answers meanwhile within 2 s (measured on 2 CPUs with both
/// backends' storms at once: 55–330 ms; 1.25 s once with the machine loaded
/// by parallel builds).
async fn a_login_storm_is_bounded_and_others_still_answer(app: TestApp) {
    const STORM: usize = 50;
    const ME_BOUND: Duration = Duration::from_secs(2);
    let bystander = app.diplomat("ES").await;
    let before = app.state().hasher.verifications();

    let started = Instant::now();
    let storm: Vec<_> = (0..STORM)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                app.login_raw(&format!("storm{i}@test.example"), "wrong password")
                    .await
            })
        })
        .collect();
    let watcher = {
        let bystander = bystander.clone();
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            let mut asked = 0;
            let until = Instant::now() + Duration::from_millis(1500);
            while Instant::now() < until {
                let t = Instant::now();
                let r = bystander.q(ME, json!({})).await;
                assert_eq!(r.data()["me"]["user"]["email"], bystander.email.as_str());
                slowest = slowest.max(t.elapsed());
                asked += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (asked, slowest)
        })
    };
    let (mut unauthenticated, mut rate_limited) = (0u64, 0u64);
    for task in storm {
        let r = task.await.expect("storm request");
        match r.code().as_str() {
            "UNAUTHENTICATED" => unauthenticated += 1,
            "RATE_LIMITED" => {
                let retry = r.body["errors"][0]["extensions"]["retryAfterSeconds"]
                    .as_i64()
                    .unwrap_or(0);
                assert!(retry >= 1, "{}", r.body);
                rate_limited += 1;
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    let storm_took = started.elapsed();
    let (asked, slowest) = watcher.await.expect("watcher");
    let hashed = app.state().hasher.verifications() - before;
    eprintln!(
        "storm of {STORM}: {unauthenticated} checked, {rate_limited} RATE_LIMITED in {storm_took:?}; \
         bystander asked {asked} times, slowest {slowest:?}"
    );
    assert_eq!(unauthenticated + rate_limited, STORM as u64);
    assert_eq!(hashed, unauthenticated, "one check per answered login");
    assert!(
        app.state().hasher.peak_running() <= 2,
        "more than the pool's 2 at once"
    );
    assert!(rate_limited > 0, "the pool was never full");
    assert!(asked > 0);
    assert!(slowest < ME_BOUND, "bystander's query took {slowest:?}");
    // The pool drains: a login works once the storm is over.
    app.login(&bystander.email, PASSWORD).await;
}

#[test]
fn settings_are_checked() {
    let ok = Config::default();
    assert!(ok.validate().is_ok());
    assert_eq!(ok.login_max_failures_per_address, 50);
    assert!(ok.password_hashing_concurrency() >= 1);
    for bad in [
        Config {
            password_hashing_concurrency: Some(0),
            ..Config::default()
        },
        Config {
            login_max_failures_per_address: 0,
            ..Config::default()
        },
        Config {
            login_address_lockout_secs: 0,
            ..Config::default()
        },
    ] {
        assert!(bad.validate().is_err());
    }
    let three = Config {
        password_hashing_concurrency: Some(3),
        ..Config::default()
    };
    assert_eq!(three.password_hashing_concurrency(), 3);
}
