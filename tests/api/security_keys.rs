//! Security keys (WebAuthn) as a second factor: registered on the web
//! client with a real browser ceremony (Chromium's virtual authenticator),
//! listed and removed through the API and the account page, explained
//! plainly to a browser without JavaScript, and refused where they cannot
//! work — on both databases.
use accord_server::store::{security_key, user};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::browser::{Browser, no_redirects, page_cookie};
use crate::helpers::*;
use crate::on_both_backends_with;

const KEYS: &str = "{ me { securityKeys { id name createdAt lastUsedAt } } }";
const REMOVE: &str =
    "mutation($id: ID!, $p: String!) { removeSecurityKey(id: $id, currentPassword: $p) }";

/// Security keys need a domain name: the tests' server calls itself
/// `http://localhost` (any port in development).
fn at_localhost(c: &mut accord_server::config::Config) {
    c.public_url = "http://localhost".into();
}

async fn user_id(app: &TestApp, email: &str) -> uuid::Uuid {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(app.db())
        .await
        .expect("query")
        .expect("user")
        .id
}

/// A stored key made without a browser (for what needs no ceremony: the
/// list, removal, the cap). Its credential is not a usable one.
async fn stored_key(app: &TestApp, email: &str, name: &str) -> uuid::Uuid {
    let id = uuid::Uuid::new_v4();
    security_key::ActiveModel {
        id: Set(id),
        user_id: Set(user_id(app, email).await),
        name: Set(name.to_owned()),
        credential_id: Set(format!("cred-{id}")),
        credential: Set("{}".to_owned()),
        created_at: Set(chrono::Utc::now()),
        last_used_at: Set(None),
    }
    .insert(app.db())
    .await
    .expect("key stored");
    id
}

fn names(keys: &Value) -> Vec<&str> {
    keys["me"]["securityKeys"]
        .as_array()
        .expect("list")
        .iter()
        .map(|k| k["name"].as_str().expect("name"))
        .collect()
}

/// `POST`s JSON to a ceremony endpoint as the page's script does.
async fn ceremony(app: &TestApp, cookie: &str, path: &str, body: Value) -> reqwest::Response {
    no_redirects()
        .post(app.url(path))
        .header("cookie", cookie)
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .expect("answer")
}

on_both_backends_with! {
    async fn a_key_is_registered_in_the_browser_and_listed(app: TestApp) with at_localhost; {
        let diplomat = app.diplomat("NL").await;
        let Some(browser) = Browser::start_with_security_key(&app).await else { return };
        browser.open("/account").await;
        browser.sign_in_as(&diplomat).await;
        assert_eq!(browser.path().await, "/account");
        let page = browser.text().await;
        assert!(page.contains("You have no security key yet."), "{page}");

        browser.click_link("Add a security key").await;
        assert_eq!(browser.heading().await, "Add a security key");
        assert!(browser.accessibility_violations().await.is_empty());
        browser.fill("keyName", "Blue key").await;
        run_ceremony(&browser, "#register-key button", "key-status", "/account?done=security-key-added").await;
        let page = browser.text().await;
        assert!(page.contains("Your security key was added."), "{page}");
        assert!(page.contains("Blue key"), "{page}");
        assert!(page.contains("Not used yet"), "{page}");

        let listed = diplomat.q(KEYS, json!({})).await;
        assert_eq!(names(listed.data()), ["Blue key"]);
        assert!(listed.data()["me"]["securityKeys"][0]["lastUsedAt"].is_null());
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECURITY_KEY_ADDED'").await, 1);
        // The ceremony was used once and is gone.
        assert_eq!(app.count_rows("security_key_ceremonies").await, 0);

        // The same key cannot be registered twice (the browser is told to
        // exclude it; the virtual key refuses), and nothing is stored.
        browser.open("/account/security-keys/new").await;
        browser.fill("keyName", "Blue key again").await;
        let form = browser.client.find(fantoccini::Locator::Css("#register-key button")).await.expect("button");
        form.click().await.expect("press");
        let mut said = String::new();
        for _ in 0..100 {
            said = browser.client.find(fantoccini::Locator::Id("key-status")).await.expect("status").text().await.expect("text");
            if said.contains("not added") { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(said.contains("The security key was not added"), "{said}");
        assert_eq!(names(diplomat.q(KEYS, json!({})).await.data()), ["Blue key"]);

        // Signing in again: the password, then the key as the second step.
        browser.open("/account").await;
        browser.press("Sign out").await;
        password_step(&browser, &diplomat, "/roster").await;
        assert!(browser.path().await.starts_with("/sign-in/code"), "{}", browser.path().await);
        let page = browser.text().await;
        assert!(page.contains("Use your security key"), "{page}");
        assert!(!page.contains("Enter a code") || page.contains("Or enter"), "no app code asked of a key-only person: {page}");
        run_ceremony(&browser, "#use-key button", "use-key-status", "/roster").await;
        assert!(browser.text().await.contains("Sign out"));
        let used = diplomat.q(KEYS, json!({})).await;
        assert!(used.data()["me"]["securityKeys"][0]["lastUsedAt"].is_string(), "{:?}", used.data());
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECOND_FACTOR_PASSED' AND detail = 'PASSWORD_SECURITY_KEY'").await, 1);
        assert_eq!(app.count_rows("sessions WHERE method = 'PASSWORD_SECURITY_KEY' AND kind = 'WEB'").await, 1);
        assert_eq!(app.count_rows("security_key_ceremonies WHERE purpose = 'SIGN_IN'").await, 0);

        // A key whose counter goes backwards may be a copy: refused, audited.
        let uid = user_id(&app, &diplomat.email).await;
        let row = security_key::Entity::find().filter(security_key::Column::UserId.eq(uid)).one(app.db()).await.expect("query").expect("key");
        let mut credential: Value = serde_json::from_str(&row.credential).expect("json");
        credential["cred"]["counter"] = json!(1_000_000);
        let mut tampered: security_key::ActiveModel = row.into();
        tampered.credential = Set(credential.to_string());
        tampered.update(app.db()).await.expect("counter moved");
        browser.open("/account").await;
        browser.press("Sign out").await;
        password_step(&browser, &diplomat, "/").await;
        browser.client.find(fantoccini::Locator::Css("#use-key button")).await.expect("button").click().await.expect("press");
        let mut said = String::new();
        for _ in 0..200 {
            said = browser.client.find(fantoccini::Locator::Id("use-key-status")).await.expect("status").text().await.expect("text");
            if said.contains("copied") { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(said.contains("it may have been copied"), "{said}");
        assert!(browser.path().await.starts_with("/sign-in/code"));
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECURITY_KEY_CLONE_SUSPECTED'").await, 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECOND_FACTOR_FAILED'").await, 1);
        browser.close().await;

        // Another person's second step offers only their own keys: never
        // this one's.
        let other = app.diplomat("FR").await;
        // Their key: a well-formed credential of another id (a copy of
        // this one's, renamed), so the ceremony can begin.
        let mine = security_key::Entity::find().filter(security_key::Column::UserId.eq(uid)).one(app.db()).await.expect("query").expect("key");
        let mut copied: Value = serde_json::from_str(&mine.credential).expect("json");
        copied["cred"]["cred_id"] = json!("dGhlaXIta2V5");
        let theirs = uuid::Uuid::new_v4();
        security_key::ActiveModel {
            id: Set(theirs),
            user_id: Set(user_id(&app, &other.email).await),
            name: Set("Their key".to_owned()),
            credential_id: Set("dGhlaXIta2V5".to_owned()),
            credential: Set(copied.to_string()),
            created_at: Set(chrono::Utc::now()),
            last_used_at: Set(None),
        }
        .insert(app.db())
        .await
        .expect("their key");
        let challenged = no_redirects().post(app.url("/sign-in")).header("sec-fetch-site", "same-origin")
            .form(&[("email", other.email.as_str()), ("password", PASSWORD), ("next", "/")]).send().await.expect("sign-in");
        assert_eq!(challenged.status().as_u16(), 303);
        let cookie = challenged.headers().get_all("set-cookie").iter()
            .filter_map(|v| v.to_str().ok()).find(|v| v.starts_with("accord-challenge="))
            .expect("a challenge cookie").split(';').next().expect("pair").to_owned();
        let start = ceremony(&app, &cookie, "/webauthn/sign-in/start", json!({})).await;
        assert_eq!(start.status().as_u16(), 200);
        let options: Value = start.json().await.expect("json");
        let allowed: Vec<&str> = options["publicKey"]["allowCredentials"].as_array().expect("list").iter()
            .map(|c| c["id"].as_str().expect("id")).collect();
        let first = security_key::Entity::find().filter(security_key::Column::UserId.eq(uid)).one(app.db()).await.expect("query").expect("key");
        assert!(!allowed.contains(&first.credential_id.as_str()), "{allowed:?}");
        assert_eq!(allowed, ["dGhlaXIta2V5"], "their one key: {theirs}");
        // Without the challenge, nothing starts.
        let none = ceremony(&app, "", "/webauthn/sign-in/start", json!({})).await;
        assert_eq!(none.status().as_u16(), 401);
    }

    async fn keys_are_listed_and_removed_with_the_password(app: TestApp) with at_localhost; {
        let diplomat = app.diplomat("NL").await;
        let other = app.diplomat("FR").await;
        // Signed in on the pages before a key exists (with one, the
        // password alone opens no session).
        let cookie = page_cookie(&app, &diplomat.email).await;
        assert!(names(diplomat.q(KEYS, json!({})).await.data()).is_empty());
        let first = stored_key(&app, &diplomat.email, "Blue key").await;
        let second = stored_key(&app, &diplomat.email, "Spare key").await;
        let theirs = stored_key(&app, &other.email, "Their key").await;
        let listed = diplomat.q(KEYS, json!({})).await;
        assert_eq!(names(listed.data()), ["Blue key", "Spare key"]);
        assert_eq!(names(other.q(KEYS, json!({})).await.data()), ["Their key"]);
        let first_id = listed.data()["me"]["securityKeys"][0]["id"].as_str().expect("id").to_owned();
        let global = |id: uuid::Uuid| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("SecurityKey:{id}"))
        };
        assert_eq!(first_id, global(first));

        // A wrong password: refused on its field, counted as a failed login.
        let wrong = diplomat.q(REMOVE, json!({ "id": first_id, "p": "not my password" })).await;
        wrong.assert_code("BAD_USER_INPUT");
        assert_eq!(wrong.field(), "currentPassword");
        assert_eq!(app.count_rows("audit_events WHERE action = 'LOGIN_FAILED'").await, 1);
        // Another person's key, or an id of another kind: not found.
        diplomat.q(REMOVE, json!({ "id": global(theirs), "p": PASSWORD })).await.assert_code("NOT_FOUND");
        diplomat.q(REMOVE, json!({ "id": diplomat.id, "p": PASSWORD })).await.assert_code("NOT_FOUND");
        assert_eq!(names(other.q(KEYS, json!({})).await.data()), ["Their key"]);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECURITY_KEY_REMOVED'").await, 0);
        // One password check per request: an alias asking again is refused
        // before its password is hashed, and removes nothing.
        let hashed = app.state().hasher.verifications();
        let twice = diplomat.q(
            "mutation($a: ID!, $b: ID!) { a: removeSecurityKey(id: $a, currentPassword: \"guess one\") b: removeSecurityKey(id: $b, currentPassword: \"guess two\") }",
            json!({ "a": first_id, "b": global(second) }),
        ).await;
        let codes: Vec<&str> = twice.body["errors"].as_array().expect("errors").iter()
            .map(|e| e["extensions"]["code"].as_str().expect("code")).collect();
        assert_eq!(codes, ["BAD_USER_INPUT", "BAD_USER_INPUT"], "{}", twice.body);
        assert_eq!(twice.body["errors"][1]["extensions"]["field"], "removeSecurityKey", "{}", twice.body);
        assert_eq!(app.state().hasher.verifications() - hashed, 1, "one password check");
        assert_eq!(names(diplomat.q(KEYS, json!({})).await.data()), ["Blue key", "Spare key"]);

        let removed = diplomat.q(REMOVE, json!({ "id": first_id, "p": PASSWORD })).await;
        assert_eq!(removed.data()["removeSecurityKey"], true);
        assert_eq!(names(diplomat.q(KEYS, json!({})).await.data()), ["Spare key"]);
        diplomat.q(REMOVE, json!({ "id": first_id, "p": PASSWORD })).await.assert_code("NOT_FOUND");
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECURITY_KEY_REMOVED'").await, 1);

        // On the account page: the list, then the removal form.
        let page = app.http().get(app.url("/account")).header("cookie", &cookie).send().await.expect("page").text().await.expect("html");
        assert!(page.contains("Spare key") && !page.contains("Blue key"), "{page}");
        let remove = |key: String, password: &'static str| {
            let cookie = cookie.clone();
            let url = app.url("/account/security-keys/remove");
            async move {
                no_redirects().post(url).header("cookie", cookie).header("sec-fetch-site", "same-origin")
                    .form(&[("key", key.as_str()), ("removeKeyPassword", password)]).send().await.expect("answer")
            }
        };
        let wrong = remove(global(second), "not my password").await;
        assert_eq!(wrong.status().as_u16(), 400);
        let page = wrong.text().await.expect("html");
        assert!(page.contains("is not your current password"), "{page}");
        assert!(page.contains("aria-invalid=\"true\" aria-describedby=\"removeKeyPassword-error\""), "{page}");
        let nonsense = remove("nonsense".into(), PASSWORD).await;
        assert_eq!(nonsense.status().as_u16(), 400);
        assert!(nonsense.text().await.expect("html").contains("Choose one of your keys"));
        let theirs_by_page = remove(global(theirs), PASSWORD).await;
        assert_eq!(theirs_by_page.status().as_u16(), 404);
        let done = remove(global(second), PASSWORD).await;
        assert_eq!(done.status().as_u16(), 303);
        assert_eq!(done.headers()["location"], "/account?done=security-key-removed");
        assert!(names(diplomat.q(KEYS, json!({})).await.data()).is_empty());
        assert_eq!(names(other.q(KEYS, json!({})).await.data()), ["Their key"]);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECURITY_KEY_REMOVED'").await, 2);
        let page = app.http().get(app.url("/account?done=security-key-removed")).header("cookie", &cookie).send().await.expect("page").text().await.expect("html");
        assert!(page.contains("The security key was removed.") && page.contains("You have no security key yet."), "{page}");
    }

    async fn the_ceremony_endpoints_refuse_what_they_must(app: TestApp) with at_localhost; {
        let diplomat = app.diplomat("NL").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        // A good start: options for the browser, the ceremony held.
        let start = ceremony(&app, &cookie, "/webauthn/register/start", json!({ "name": "Blue key" })).await;
        assert_eq!(start.status().as_u16(), 200);
        assert_eq!(start.headers()["cache-control"], "no-store");
        let options: Value = start.json().await.expect("json");
        assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
        assert!(options["publicKey"]["challenge"].as_str().is_some_and(|c| c.len() >= 32));
        assert_eq!(app.count_rows("security_key_ceremonies WHERE purpose = 'REGISTER'").await, 1);
        // Starting again replaces it.
        ceremony(&app, &cookie, "/webauthn/register/start", json!({ "name": "Blue key" })).await;
        assert_eq!(app.count_rows("security_key_ceremonies").await, 1);

        // Another site's page cannot start one (as every form).
        let cross = no_redirects().post(app.url("/webauthn/register/start")).header("cookie", &cookie)
            .header("sec-fetch-site", "cross-site").json(&json!({ "name": "x" })).send().await.expect("answer");
        assert_eq!(cross.status().as_u16(), 403);
        // A form post is not JSON.
        let form = no_redirects().post(app.url("/webauthn/register/start")).header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin").form(&[("name", "x")]).send().await.expect("answer");
        assert!(form.status().is_client_error(), "{}", form.status());
        // Signed out: to the sign-in page.
        let anonymous = no_redirects().post(app.url("/webauthn/register/start"))
            .header("sec-fetch-site", "same-origin").json(&json!({ "name": "x" })).send().await.expect("answer");
        assert_eq!(anonymous.status().as_u16(), 303);

        // A bad name: said in the reader's words.
        let blank = ceremony(&app, &cookie, "/webauthn/register/start", json!({ "name": "   " })).await;
        assert_eq!(blank.status().as_u16(), 400);
        let said: Value = blank.json().await.expect("json");
        assert_eq!(said["message"], "Name of the key: must be 1 to 60 characters");

        // A forged answer: refused, the ceremony used up, nothing stored.
        let forged = json!({
            "id": "AAAA", "rawId": "AAAA", "type": "public-key",
            "response": { "attestationObject": "AAAA", "clientDataJSON": "AAAA" },
            "extensions": {}
        });
        let refused = ceremony(&app, &cookie, "/webauthn/register/finish", forged.clone()).await;
        assert_eq!(refused.status().as_u16(), 400);
        let said: Value = refused.json().await.expect("json");
        assert_eq!(said["message"], "the security key's answer was not accepted; try again");
        assert_eq!(app.count_rows("security_key_ceremonies").await, 0);
        let again = ceremony(&app, &cookie, "/webauthn/register/finish", forged).await;
        let said: Value = again.json().await.expect("json");
        assert_eq!(said["message"], "took too long or was already used; start again");
        assert_eq!(app.count_rows("security_keys").await, 0);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECURITY_KEY_ADDED'").await, 0);

        // At ten keys, no eleventh: the start says so, the page too.
        for i in 0..10 {
            stored_key(&app, &diplomat.email, &format!("Key {i}")).await;
        }
        let full = ceremony(&app, &cookie, "/webauthn/register/start", json!({ "name": "Eleventh" })).await;
        assert_eq!(full.status().as_u16(), 400);
        let said: Value = full.json().await.expect("json");
        assert_eq!(said["message"], "you already have 10 security keys; remove one first");
        let page = app.http().get(app.url("/account/security-keys/new")).header("cookie", &cookie).send().await.expect("page").text().await.expect("html");
        assert!(page.contains("You already have 10 security keys, the most allowed."), "{page}");
        assert!(!page.contains("id=\"keyName\""));

        // The database holds the rules too: one credential, one key; a name.
        let uid = user_id(&app, &diplomat.email).await;
        let twin = security_key::ActiveModel {
            id: Set(uuid::Uuid::new_v4()), user_id: Set(uid), name: Set("Twin".into()),
            credential_id: Set("cred-twin".into()), credential: Set("{}".into()),
            created_at: Set(chrono::Utc::now()), last_used_at: Set(None),
        };
        twin.clone().insert(app.db()).await.expect("first");
        let mut again = twin.clone();
        again.id = Set(uuid::Uuid::new_v4());
        assert!(again.insert(app.db()).await.is_err(), "a credential id is one key's");
        let mut blank = twin;
        blank.id = Set(uuid::Uuid::new_v4());
        blank.credential_id = Set("cred-blank".into());
        blank.name = Set("  ".into());
        assert!(blank.insert(app.db()).await.is_err(), "a key has a name");
    }

    async fn without_javascript_the_pages_say_a_key_needs_it(app: TestApp) with at_localhost; {
        let diplomat = app.diplomat("NL").await;
        let Some(browser) = Browser::start_at_localhost(&app).await else { return };
        browser.open("/account").await;
        browser.sign_in_as(&diplomat).await;
        let page = browser.text().await;
        assert!(page.contains("Adding or using a security key needs JavaScript"), "{page}");
        browser.click_link("Add a security key").await;
        let page = browser.text().await;
        assert!(page.contains("Adding or using a security key needs JavaScript"), "{page}");
        // The form posts, and nothing happens but the explanation beside the name.
        browser.fill("keyName", "Blue key").await;
        browser.press("Add this key").await;
        assert_eq!(browser.path().await, "/account/security-keys/new");
        let page = browser.text().await;
        assert!(page.contains("Name of the key: Adding or using a security key needs JavaScript"), "{page}");
        assert_eq!(browser.value("keyName").await, "Blue key");
        assert_eq!(app.count_rows("security_keys").await, 0);
        browser.close().await;

        // Only that page may run a script, and only Accord's own.
        let cookie = page_cookie(&app, &diplomat.email).await;
        let csp = |path: &'static str| {
            let cookie = cookie.clone();
            let url = app.url(path);
            async move {
                let res = app_get(url, cookie).await;
                res.headers()["content-security-policy"].to_str().expect("ascii").to_owned()
            }
        };
        assert!(csp("/account").await.contains("script-src 'none'"));
        let new = csp("/account/security-keys/new").await;
        assert!(new.contains("script-src 'self'") && new.contains("default-src 'self'") && new.contains("frame-ancestors 'none'"), "{new}");
        let script = reqwest::get(app.url("/static/security-key.js")).await.expect("script");
        assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
        assert!(script.text().await.expect("js").contains("navigator.credentials.create"));
    }

    async fn a_server_on_an_ip_address_offers_no_keys(app: TestApp) with |_| {}; {
        let diplomat = app.diplomat("NL").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        let page = app_get(app.url("/account"), cookie.clone()).await.text().await.expect("html");
        assert!(page.contains("Security keys cannot be used on this server"), "{page}");
        assert!(!page.contains("/account/security-keys/new"), "no link to a page that cannot work");
        let start = ceremony(&app, &cookie, "/webauthn/register/start", json!({ "name": "Blue key" })).await;
        assert_eq!(start.status().as_u16(), 400);
        let said: Value = start.json().await.expect("json");
        assert!(said["message"].as_str().is_some_and(|m| m.starts_with("security keys cannot be used on this server")), "{said}");
    }
}

/// The first step of signing in, from the sign-in page (`next` after).
async fn password_step(browser: &Browser, actor: &Actor, next: &str) {
    browser.open(&format!("/sign-in?next={next}")).await;
    browser.fill("email", &actor.email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
}

/// Presses the script's button and waits until the browser is at `to`
/// (the ceremony done); says what the page said otherwise.
async fn run_ceremony(browser: &Browser, button: &str, status: &str, to: &str) {
    browser
        .client
        .find(fantoccini::Locator::Css(button))
        .await
        .expect("button")
        .click()
        .await
        .expect("press");
    for _ in 0..200 {
        if browser.path().await == to {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let said = match browser.client.find(fantoccini::Locator::Id(status)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    panic!(
        "not at {to} after 10 s but at {}: {said:?}\n{}",
        browser.path().await,
        browser.text().await
    );
}

async fn app_get(url: String, cookie: String) -> reqwest::Response {
    no_redirects()
        .get(url)
        .header("cookie", cookie)
        .send()
        .await
        .expect("page")
}
