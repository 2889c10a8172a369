//! The web client's frame, in real headless Chromium with JavaScript off:
//! signing in (and back to the page asked for), the account page (change
//! password, open sessions, sign out everywhere), and what every page
//! promises — security headers, no store, the cookie never accepted on
//! `/graphql`, cross-site posts refused, no accessibility violation.
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde_json::json;

use crate::browser::{Browser, no_redirects};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::on_both_backends;

const ME: &str = "{ me { user { id } } }";

/// Signs in through `POST /sign-in` as a same-origin form; the cookie pair.
async fn cookie_of(app: &TestApp, email: &str) -> String {
    cookie_of_with(app, email, PASSWORD).await
}

async fn cookie_of_with(app: &TestApp, email: &str, password: &str) -> String {
    let res = no_redirects()
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", email), ("password", password), ("next", "/")])
        .send()
        .await
        .expect("sign-in answered");
    assert_eq!(res.status().as_u16(), 303, "signed in and sent on");
    let set = res
        .headers()
        .get(SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .expect("ascii")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{attribute} missing: {set}");
    }
    set.split(';').next().expect("name=value").to_owned()
}

fn assert_page_headers(headers: &HeaderMap, what: &str) {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = get("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP lacks {directive}: {csp}"
        );
    }
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
}

const CHANGE: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

on_both_backends! {
    async fn the_api_changes_the_password_too_and_ends_page_sessions(app: TestApp) {
        let diplomat = app.diplomat("NL").await;
        let cookie = cookie_of(&app, &diplomat.email).await;
        let http = no_redirects();
        let account = |cookie: String| {
            let http = http.clone();
            let url = app.url("/account");
            async move { http.get(url).header("cookie", cookie).send().await.expect("page").status().as_u16() }
        };
        assert_eq!(account(cookie.clone()).await, 200);

        let wrong = diplomat.q(CHANGE, json!({ "c": "not my password at all", "n": "another long passphrase" })).await;
        wrong.assert_code("BAD_USER_INPUT");
        assert_eq!(wrong.field(), "currentPassword");
        let short = diplomat.q(CHANGE, json!({ "c": PASSWORD, "n": "short" })).await;
        short.assert_code("BAD_USER_INPUT");
        assert_eq!(short.field(), "newPassword");
        // One password hash per request, as for login.
        let twice = diplomat
            .q("mutation { a: changePassword(currentPassword: \"x\", newPassword: \"y\") b: changePassword(currentPassword: \"x\", newPassword: \"y\") }", json!({}))
            .await;
        twice.assert_code("BAD_USER_INPUT");
        assert_eq!(account(cookie.clone()).await, 200, "nothing changed yet");

        let changed = diplomat.q(CHANGE, json!({ "c": PASSWORD, "n": "another long passphrase" })).await;
        assert_eq!(changed.data()["changePassword"], true);
        assert_eq!(account(cookie.clone()).await, 303, "the page session ended at once");
        diplomat.q(ME, json!({})).await.data(); // the session that changed it stays
        let page = cookie_of_with(&app, &diplomat.email, "another long passphrase").await;
        assert_eq!(account(page.clone()).await, 200);

        let everywhere = diplomat.q("mutation { logoutEverywhere }", json!({})).await;
        assert_eq!(everywhere.data()["logoutEverywhere"], true);
        diplomat.q(ME, json!({})).await.assert_code("UNAUTHENTICATED");
        assert_eq!(account(page).await, 303);
    }

    async fn a_person_signs_in_changes_password_and_ends_sessions(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let Some(browser) = Browser::start(&app).await else { return };

        // A page asked for before signing in comes back after it.
        browser.open("/account").await;
        assert!(browser.path().await.starts_with("/sign-in?next="), "{}", browser.path().await);
        assert_eq!(browser.heading().await, "Sign in");
        // A wrong password: the email stays, one message for both fields.
        browser.fill("email", &diplomat.email).await;
        browser.fill("password", "not the password at all").await;
        browser.press("Sign in").await;
        assert!(browser.text().await.contains("The email or the password is not right"));
        assert_eq!(browser.value("email").await, diplomat.email);
        browser.screenshot("sign-in-refused").await;
        browser.fill("password", PASSWORD).await;
        browser.press("Sign in").await;
        assert_eq!(browser.path().await, "/account");
        let page = browser.text().await;
        assert!(page.contains(&diplomat.email), "{page}");
        assert!(page.contains("(this session)"), "{page}");
        assert!(page.contains("API token"), "the builder's API login is listed: {page}");
        browser.screenshot("account").await;

        // Mistakes come back beside their fields, nothing changed.
        browser.fill("currentPassword", "wrong current password").await;
        browser.fill("newPassword", "a brand new passphrase").await;
        browser.press("Change password").await;
        assert!(browser.text().await.contains("is not your current password"));
        browser.fill("currentPassword", PASSWORD).await;
        browser.fill("newPassword", "short").await;
        browser.press("Change password").await;
        assert!(browser.text().await.contains("must be at least 12 characters"));
        diplomat.q(ME, json!({})).await.data(); // the API token still works

        browser.fill("currentPassword", PASSWORD).await;
        browser.fill("newPassword", "a brand new passphrase").await;
        browser.press("Change password").await;
        assert!(browser.text().await.contains("Your password was changed"));
        // The other session (the API login) ended at once; this one did not.
        diplomat.q(ME, json!({})).await.assert_code("UNAUTHENTICATED");
        assert!(!browser.text().await.contains("API token"));
        let old = app.login_raw(&diplomat.email, PASSWORD).await;
        old.assert_code("UNAUTHENTICATED");
        app.login(&diplomat.email, "a brand new passphrase").await;

        // Sign out everywhere: this session too, and the new API login.
        browser.open("/account").await;
        browser.press("Sign out everywhere").await;
        assert!(browser.path().await.starts_with("/sign-in"));
        browser.open("/account").await;
        assert!(browser.path().await.starts_with("/sign-in"), "the session is over");
        browser.close().await;
    }

    async fn the_cookie_is_for_pages_only_and_cross_site_posts_are_refused(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let cookie = cookie_of(&app, &diplomat.email).await;
        let http = no_redirects();

        let page = http.get(app.url("/account")).header("cookie", &cookie).send().await.expect("page");
        assert_eq!(page.status().as_u16(), 200);
        assert_page_headers(page.headers(), "/account");
        assert_eq!(page.headers()["cache-control"], "no-store");
        let sign_in = http.get(app.url("/sign-in")).send().await.expect("sign-in page");
        assert_page_headers(sign_in.headers(), "/sign-in");
        let missing = http.get(app.url("/no/such/page")).send().await.expect("404 page");
        assert_eq!(missing.status().as_u16(), 404);
        assert_page_headers(missing.headers(), "a 404");

        // The page cookie is never a credential for the API.
        let api = http
            .post(app.url("/graphql"))
            .header("cookie", &cookie)
            .json(&json!({ "query": ME }))
            .send()
            .await
            .expect("graphql");
        let body: serde_json::Value = api.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");

        // A change posted from another site, or from nowhere it can tell,
        // is refused with a page, and changes nothing.
        for (header, value) in [
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
            ("origin", "https://evil.example"),
            ("x-nothing", "neither header"),
        ] {
            let res = http
                .post(app.url("/account/sign-out-everywhere"))
                .header("cookie", &cookie)
                .header(header, value)
                .send()
                .await
                .expect("refused");
            assert_eq!(res.status().as_u16(), 403, "{header}: {value}");
            assert_page_headers(res.headers(), "the refusal");
            let text = res.text().await.expect("page");
            assert!(text.contains("came from another site"), "{text}");
        }
        let still = http.get(app.url("/account")).header("cookie", &cookie).send().await.expect("page");
        assert_eq!(still.status().as_u16(), 200, "the session survived the refused posts");
        // A GET never changes anything: the sign-out route has no GET.
        let get = http.get(app.url("/account/sign-out-everywhere")).header("cookie", &cookie).send().await.expect("get");
        assert_ne!(get.status().as_u16(), 200);
        let still = http.get(app.url("/account")).header("cookie", &cookie).send().await.expect("page");
        assert_eq!(still.status().as_u16(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_frame_pages_have_no_accessibility_violations() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let diplomat = app.diplomat("CA").await;
    let Some(browser) = Browser::start_for_audit(&app).await else {
        return;
    };
    browser.open("/sign-in").await;
    assert_eq!(
        browser.accessibility_violations().await,
        Vec::<String>::new(),
        "/sign-in"
    );
    browser.fill("email", &diplomat.email).await;
    browser.press("Sign in").await;
    assert_eq!(
        browser.accessibility_violations().await,
        Vec::<String>::new(),
        "/sign-in with an error"
    );
    browser.sign_in_as(&diplomat).await;
    for path in ["/", "/account", "/no/such/page"] {
        browser.open(path).await;
        assert_eq!(
            browser.accessibility_violations().await,
            Vec::<String>::new(),
            "{path}"
        );
    }
    browser.screenshot("home-diplomat").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_oversized_forms_are_answered_with_pages() {
    let Some(app) =
        TestApp::spawn_with(Backend::Sqlite, |c| c.rate_per_address_per_minute = 5).await
    else {
        return;
    };
    let http = no_redirects();
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..8 {
        let res = http.get(app.url("/sign-in")).send().await.expect("page");
        statuses.push(res.status().as_u16());
        last = Some(res);
    }
    assert_eq!(statuses[0], 200);
    assert_eq!(*statuses.last().expect("answers"), 429, "{statuses:?}");
    let refused = last.expect("a refusal");
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(wait >= 1);
    assert_page_headers(refused.headers(), "the 429 page");
    assert!(
        refused.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    let text = refused.text().await.expect("page");
    assert!(
        text.contains(&format!("try again in {wait} seconds")),
        "{text}"
    );

    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let huge = "x".repeat(300 * 1024);
    let res = no_redirects()
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", huge.as_str()), ("password", "p"), ("next", "/")])
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status().as_u16(), 413);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert!(
        res.text()
            .await
            .expect("page")
            .contains("Nothing was saved")
    );
}

on_both_backends! {
    async fn wrong_current_passwords_lock_the_change_and_others_sessions_stay_out_of_reach(app: TestApp) {
        let diplomat = app.diplomat("SE").await;
        let other = app.diplomat("SE").await;
        let cookie = cookie_of(&app, &diplomat.email).await;
        let http = no_redirects();
        // Another person's session, a random id and a malformed one: the same
        // NOT_FOUND page, and the other session goes on.
        let foreign = http
            .get(app.url("/account"))
            .header("cookie", cookie_of(&app, &other.email).await)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("body");
        let theirs = regex::Regex::new(r"/account/sessions/([A-Za-z0-9_-]+)/end")
            .expect("regex")
            .captures(&foreign)
            .map(|c| c[1].to_owned());
        let random = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("Session:{}", uuid::Uuid::new_v4()))
        };
        for id in theirs.into_iter().chain([random, "nonsense".to_owned()]) {
            let res = http
                .post(app.url(&format!("/account/sessions/{id}/end")))
                .header("cookie", &cookie)
                .header("sec-fetch-site", "same-origin")
                .send()
                .await
                .expect("answered");
            assert_eq!(res.status().as_u16(), 404, "{id}");
        }
        other.q(ME, json!({})).await.data();

        // Wrong current passwords count as failed logins: at the limit the
        // change is refused even with the right one, and nothing changed.
        for _ in 0..5 {
            diplomat
                .q(CHANGE, json!({ "c": "not my password at all", "n": "another long passphrase" }))
                .await
                .assert_code("BAD_USER_INPUT");
        }
        let locked = diplomat.q(CHANGE, json!({ "c": PASSWORD, "n": "another long passphrase" })).await;
        locked.assert_code("RATE_LIMITED");
        // The same lock holds for signing in; the session in use still works.
        app.login_raw(&diplomat.email, "another long passphrase").await.assert_code("RATE_LIMITED");
        diplomat.q(ME, json!({})).await.data();
    }
}
