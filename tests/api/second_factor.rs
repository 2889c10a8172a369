//! Two-step sign-in (issue 27): an authenticator app enrolled with a first
//! code, a sign-in that issues no token before its second step, codes that
//! work once (a replayed one is refused), recovery codes that work once,
//! the lockout after five failures, a challenge that expires and works
//! once, a mission's rule and the platform's rule for staff — through the
//! API and, in Chromium with JavaScript off, through the pages. Codes are
//! computed with totp-rs from the secret the API handed out.
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::*;
use crate::{on_both_backends, on_both_backends_with};

pub const BEGIN: &str =
    "mutation($c: String) { beginTotpEnrolment(challenge: $c) { secret otpauthUri qrCode } }";
pub const CONFIRM: &str = "mutation($code: String!, $c: String) { confirmTotpEnrolment(code: $code, challenge: $c) { recoveryCodes auth { accessToken viewer { user { email } } } } }";
const COMPLETE: &str = "mutation($c: String!, $code: String, $r: String) { completeLogin(challenge: $c, code: $code, recoveryCode: $r) { accessToken refreshToken viewer { user { email } } } }";
const STATUS: &str = "{ me { secondFactor { totp recoveryCodesLeft required } } }";
pub const REMOVE: &str = "mutation($p: String!) { removeTotp(currentPassword: $p) }";
const REGENERATE: &str = "mutation($p: String!) { regenerateRecoveryCodes(currentPassword: $p) }";
const SET_RULE: &str = "mutation($r: Boolean!) { setMissionSecondFactorRequired(required: $r) }";

/// The code an authenticator app shows for `secret` (base32), `offset` from
/// now (the tests move the server's clock forward and follow it).
fn code_at(secret: &str, offset: Duration) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret)
        .expect("base32 secret")
        .as_bytes()
        .to_vec();
    let totp = totp_rs::Builder::new()
        .with_secret(bytes)
        .build()
        .expect("totp");
    let at = (Utc::now() + offset).timestamp();
    totp.generate(u64::try_from(at).expect("after 1970"))
        .to_string()
}

/// The code an authenticator app shows for `secret` at the server's now.
pub fn code_now(app: &TestApp, secret: &str) -> String {
    let offset = app.state().clock.now() - Utc::now();
    code_at(secret, offset)
}

/// A code that is wrong now (one from an hour ahead).
fn wrong_code(secret: &str, offset: Duration) -> String {
    code_at(secret, offset + Duration::hours(1))
}

/// The server's clock and the tests' view of it.
struct Clock {
    app: TestApp,
    offset: Duration,
}

impl Clock {
    fn new(app: &TestApp) -> Clock {
        Clock {
            app: app.clone(),
            offset: Duration::zero(),
        }
    }

    /// On to the next 30-second step (a code of the last one is a replay).
    fn next_step(&mut self) {
        self.advance(Duration::seconds(30));
    }

    fn advance(&mut self, by: Duration) {
        self.app.advance_clock(by);
        self.offset += by;
    }

    fn code(&self, secret: &str) -> String {
        code_at(secret, self.offset)
    }
}

/// Enrols `actor`'s authenticator app: its secret and recovery codes.
async fn enrol(actor: &Actor, clock: &Clock) -> (String, Vec<String>) {
    let begun = actor.q(BEGIN, json!({})).await;
    let secret = str_of(&begun.data()["beginTotpEnrolment"]["secret"], "secret");
    let confirmed = actor
        .q(CONFIRM, json!({ "code": clock.code(&secret) }))
        .await;
    let codes = confirmed.data()["confirmTotpEnrolment"]["recoveryCodes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (secret, codes)
}

/// `login` for someone who needs a second step: the challenge and methods.
async fn challenge(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let r = app.login_raw(email, PASSWORD).await;
    r.assert_code("SECOND_FACTOR_REQUIRED");
    assert!(r.body["data"].is_null(), "no token: {}", r.body);
    let ext = &r.body["errors"][0]["extensions"];
    let methods = ext["methods"]
        .as_array()
        .expect("methods")
        .iter()
        .map(|m| m.as_str().expect("method").to_owned())
        .collect();
    (str_of(&ext["challenge"], "challenge"), methods)
}

async fn complete(
    app: &TestApp,
    challenge: &str,
    code: Option<&str>,
    recovery: Option<&str>,
) -> Resp {
    app.anon(
        COMPLETE,
        json!({ "c": challenge, "code": code, "r": recovery }),
    )
    .await
}

/// The method the newest session of `email` was opened with.
async fn last_method(app: &TestApp, email: &str) -> String {
    use sea_orm::ConnectionTrait;
    let row = app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            format!(
                "SELECT s.method AS m FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE u.email = '{email}' ORDER BY s.created_at DESC LIMIT 1"
            ),
        ))
        .await
        .expect("query")
        .expect("a session");
    row.try_get::<String>("", "m").expect("method")
}

fn as_actor(app: &TestApp, email: &str, token: &Value) -> Actor {
    Actor {
        app: app.clone(),
        id: String::new(),
        email: email.to_owned(),
        token: str_of(token, "accessToken"),
        refresh: String::new(),
    }
}

on_both_backends! {
    async fn enrol_confirm_and_sign_in_with_a_code_once(app: TestApp) {
        let mut clock = Clock::new(&app);
        let diplomat = app.diplomat("CA").await;
        let status = diplomat.q(STATUS, json!({})).await;
        assert_eq!(status.data()["me"]["secondFactor"], json!({ "totp": false, "recoveryCodesLeft": 0, "required": false }));

        let begun = diplomat.q(BEGIN, json!({})).await;
        let e = &begun.data()["beginTotpEnrolment"];
        let secret = str_of(&e["secret"], "secret");
        let uri = str_of(&e["otpauthUri"], "uri");
        assert!(uri.starts_with("otpauth://totp/Accord:"), "{uri}");
        assert!(uri.contains(&format!("secret={secret}")) && uri.contains("issuer=Accord"), "{uri}");
        assert!(str_of(&e["qrCode"], "qr").starts_with("data:image/svg+xml;base64,"));
        // The secret is stored sealed, never in clear.
        assert_eq!(app.count_rows(&format!("user_totp WHERE secret_sealed LIKE '%{secret}%'")).await, 0);
        assert_eq!(app.count_rows("user_totp WHERE confirmed_at IS NULL").await, 1);

        // A wrong first code: refused on its field, nothing turned on.
        let wrong = diplomat.q(CONFIRM, json!({ "code": wrong_code(&secret, clock.offset) })).await;
        wrong.assert_code("BAD_USER_INPUT");
        assert_eq!(wrong.field(), "code");
        assert_eq!(diplomat.q(STATUS, json!({})).await.data()["me"]["secondFactor"]["totp"], false);
        // The right one: on, with ten recovery codes (hashes only kept).
        let right = diplomat.q(CONFIRM, json!({ "code": clock.code(&secret) })).await;
        let codes = right.data()["confirmTotpEnrolment"]["recoveryCodes"].as_array().expect("codes").clone();
        assert_eq!(codes.len(), 10);
        assert!(right.data()["confirmTotpEnrolment"]["auth"].is_null());
        let first = codes[0].as_str().expect("code");
        assert_eq!(app.count_rows(&format!("recovery_codes WHERE code_hash LIKE '%{first}%'")).await, 0);
        assert_eq!(diplomat.q(STATUS, json!({})).await.data()["me"]["secondFactor"],
            json!({ "totp": true, "recoveryCodesLeft": 10, "required": false }));
        assert_eq!(app.count_rows("audit_events WHERE action = 'TOTP_ENROLLED'").await, 1);
        // A second enrolment is refused while one is on.
        diplomat.q(BEGIN, json!({})).await.assert_code("CONFLICT");

        // Sign-in: the password alone gives no token, only a challenge.
        let sessions = app.count_rows("sessions").await;
        let (token, methods) = challenge(&app, &diplomat.email).await;
        assert_eq!(methods, ["TOTP", "RECOVERY_CODE"]);
        assert_eq!(app.count_rows("sessions").await, sessions, "no session before the second step");
        assert_eq!(app.count_rows(&format!("sign_in_challenges WHERE token_hash = '{token}'")).await, 0, "only the hash is kept");
        // The code of the enrolment's own step is a replay.
        let replay = complete(&app, &token, Some(&clock.code(&secret)), None).await;
        replay.assert_code("BAD_USER_INPUT");
        assert_eq!(replay.field(), "code");
        clock.next_step();
        let code = clock.code(&secret);
        let signed_in = complete(&app, &token, Some(&code), None).await;
        let auth = &signed_in.data()["completeLogin"];
        assert_eq!(auth["viewer"]["user"]["email"], diplomat.email.as_str());
        let me = as_actor(&app, &diplomat.email, &auth["accessToken"]);
        me.q("{ me { user { email } } }", json!({})).await.data();
        assert_eq!(last_method(&app, &diplomat.email).await, "PASSWORD_TOTP");
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECOND_FACTOR_PASSED'").await, 1);

        // The challenge worked once.
        complete(&app, &token, Some(&code), None).await.assert_code("UNAUTHENTICATED");
        // The same code with a new challenge: a replay, refused and counted.
        let (again, _) = challenge(&app, &diplomat.email).await;
        let replayed = complete(&app, &again, Some(&code), None).await;
        replayed.assert_code("BAD_USER_INPUT");
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECOND_FACTOR_FAILED'").await, 2);
        // The next step's code passes.
        clock.next_step();
        complete(&app, &again, Some(&clock.code(&secret)), None).await.data();

        // Neither or both: said so, on `code`.
        let (third, _) = challenge(&app, &diplomat.email).await;
        complete(&app, &third, None, None).await.assert_code("BAD_USER_INPUT");
        complete(&app, &third, Some("123456"), Some("abcde-fghij")).await.assert_code("BAD_USER_INPUT");
        // A wrong password stays what it was: no challenge.
        app.login_raw(&diplomat.email, "not the password").await.assert_code("UNAUTHENTICATED");
    }

    async fn a_recovery_code_works_once_and_the_person_is_told(app: TestApp) {
        let clock = Clock::new(&app);
        let diplomat = app.diplomat("CA").await;
        let (_, codes) = enrol(&diplomat, &clock).await;
        let (token, _) = challenge(&app, &diplomat.email).await;
        // Typed in capitals with spaces: the same code.
        let typed = codes[0].to_uppercase().replace('-', " ");
        complete(&app, &token, None, Some(&typed)).await.data();
        assert_eq!(last_method(&app, &diplomat.email).await, "PASSWORD_RECOVERY_CODE");
        assert_eq!(diplomat.q(STATUS, json!({})).await.data()["me"]["secondFactor"]["recoveryCodesLeft"], 9);
        assert_eq!(app.count_rows("audit_events WHERE action = 'RECOVERY_CODE_USED'").await, 1);
        assert_eq!(app.count_rows("outbox WHERE kind = 'SECURITY_CHANGED'").await, 1);

        // Used once: refused the second time, on its field.
        let (token, _) = challenge(&app, &diplomat.email).await;
        let used = complete(&app, &token, None, Some(&codes[0])).await;
        used.assert_code("BAD_USER_INPUT");
        assert_eq!(used.field(), "recoveryCode");
        complete(&app, &token, None, Some(&codes[1])).await.data();

        // New codes: the old ones stop working; a wrong password is refused.
        let refused = diplomat.q(REGENERATE, json!({ "p": "not the password" })).await;
        refused.assert_code("BAD_USER_INPUT");
        assert_eq!(refused.field(), "currentPassword");
        let fresh = diplomat.q(REGENERATE, json!({ "p": PASSWORD })).await;
        let fresh: Vec<String> = fresh.data()["regenerateRecoveryCodes"].as_array().expect("codes")
            .iter().map(|c| c.as_str().expect("code").to_owned()).collect();
        assert_eq!(fresh.len(), 10);
        assert_eq!(app.count_rows("audit_events WHERE action = 'RECOVERY_CODES_REGENERATED'").await, 1);
        let (token, _) = challenge(&app, &diplomat.email).await;
        complete(&app, &token, None, Some(&codes[2])).await.assert_code("BAD_USER_INPUT");
        complete(&app, &token, None, Some(&fresh[0])).await.data();
    }

    async fn five_failures_lock_the_second_step(app: TestApp) {
        let mut clock = Clock::new(&app);
        let diplomat = app.diplomat("CA").await;
        let (secret, _) = enrol(&diplomat, &clock).await;
        clock.next_step();
        let (token, _) = challenge(&app, &diplomat.email).await;
        for _ in 0..4 {
            complete(&app, &token, Some(&wrong_code(&secret, clock.offset)), None).await.assert_code("BAD_USER_INPUT");
        }
        let locked = complete(&app, &token, Some(&wrong_code(&secret, clock.offset)), None).await;
        locked.assert_code("RATE_LIMITED");
        let retry = locked.body["errors"][0]["extensions"]["retryAfterSeconds"].as_i64().expect("retry");
        assert!(retry > 0, "{}", locked.body);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECOND_FACTOR_FAILED'").await, 5);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SECOND_FACTOR_LOCKED'").await, 1);
        // The challenge died with the lockout; a new one is locked too,
        // even with the right code.
        complete(&app, &token, Some(&clock.code(&secret)), None).await.assert_code("UNAUTHENTICATED");
        let (token, _) = challenge(&app, &diplomat.email).await;
        complete(&app, &token, Some(&clock.code(&secret)), None).await.assert_code("RATE_LIMITED");
        complete(&app, &token, Some(&clock.code(&secret)), None).await.assert_code("UNAUTHENTICATED");
        // After the lockout, the right code passes.
        clock.advance(Duration::seconds(retry + 60));
        let (token, _) = challenge(&app, &diplomat.email).await;
        complete(&app, &token, Some(&clock.code(&secret)), None).await.data();
    }

    async fn a_challenge_expires_and_a_forged_one_is_refused(app: TestApp) {
        let mut clock = Clock::new(&app);
        let diplomat = app.diplomat("CA").await;
        let (secret, codes) = enrol(&diplomat, &clock).await;
        let (token, _) = challenge(&app, &diplomat.email).await;
        clock.advance(Duration::minutes(5) + Duration::seconds(1));
        complete(&app, &token, Some(&clock.code(&secret)), None).await.assert_code("UNAUTHENTICATED");
        complete(&app, &token, None, Some(&codes[0])).await.assert_code("UNAUTHENTICATED");
        complete(&app, "not-a-challenge", Some(&clock.code(&secret)), None).await.assert_code("UNAUTHENTICATED");
        // An expired challenge cannot enrol either.
        app.anon(BEGIN, json!({ "c": token })).await.assert_code("UNAUTHENTICATED");
        // Nothing was used up: the recovery code still works.
        let (token, _) = challenge(&app, &diplomat.email).await;
        complete(&app, &token, None, Some(&codes[0])).await.data();
    }

    async fn a_mission_rule_makes_its_people_enrol_at_sign_in(app: TestApp) {
        let clock = Clock::new(&app);
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let other = app.diplomat("NL").await;
        // Only the mission's admin sets the rule.
        diplomat.q(SET_RULE, json!({ "r": true })).await.assert_code("FORBIDDEN");
        assert_eq!(admin.q(SET_RULE, json!({ "r": true })).await.data()["setMissionSecondFactorRequired"], true);
        assert_eq!(app.count_rows("audit_events WHERE action = 'MISSION_SECOND_FACTOR_SET'").await, 1);
        assert_eq!(diplomat.q(STATUS, json!({})).await.data()["me"]["secondFactor"]["required"], true);

        // Another mission is not bound.
        app.login(&other.email, PASSWORD).await;
        // This mission's diplomat must enrol: no token before the app is on.
        let (token, methods) = challenge(&app, &diplomat.email).await;
        assert_eq!(methods, ["ENROL_TOTP"]);
        let no_app = complete(&app, &token, Some("123456"), None).await;
        no_app.assert_code("BAD_USER_INPUT");
        let begun = app.anon(BEGIN, json!({ "c": token })).await;
        let secret = str_of(&begun.data()["beginTotpEnrolment"]["secret"], "secret");
        let wrong = app.anon(CONFIRM, json!({ "code": wrong_code(&secret, clock.offset), "c": token })).await;
        wrong.assert_code("BAD_USER_INPUT");
        let confirmed = app.anon(CONFIRM, json!({ "code": clock.code(&secret), "c": token })).await;
        let c = &confirmed.data()["confirmTotpEnrolment"];
        assert_eq!(c["recoveryCodes"].as_array().expect("codes").len(), 10);
        assert_eq!(c["auth"]["viewer"]["user"]["email"], diplomat.email.as_str());
        assert_eq!(last_method(&app, &diplomat.email).await, "PASSWORD_TOTP");
        let me = as_actor(&app, &diplomat.email, &c["auth"]["accessToken"]);
        assert_eq!(me.q(STATUS, json!({})).await.data()["me"]["secondFactor"],
            json!({ "totp": true, "recoveryCodesLeft": 10, "required": true }));
        // The confirmation's challenge is spent.
        app.anon(CONFIRM, json!({ "code": clock.code(&secret), "c": token })).await.assert_code("UNAUTHENTICATED");

        // Required: it cannot be turned off.
        me.q(REMOVE, json!({ "p": PASSWORD })).await.assert_code("CONFLICT");
        // Once the rule is lifted it can, with the password, and they are told.
        admin.q(SET_RULE, json!({ "r": false })).await.data();
        let wrong = me.q(REMOVE, json!({ "p": "not the password" })).await;
        wrong.assert_code("BAD_USER_INPUT");
        assert_eq!(wrong.field(), "currentPassword");
        assert_eq!(me.q(REMOVE, json!({ "p": PASSWORD })).await.data()["removeTotp"], true);
        assert_eq!(app.count_rows("audit_events WHERE action = 'TOTP_REMOVED'").await, 1);
        assert_eq!(app.count_rows("outbox WHERE kind = 'SECURITY_CHANGED'").await, 1);
        assert_eq!(app.count_rows("recovery_codes").await, 0);
        // The password alone signs in again.
        app.login(&diplomat.email, PASSWORD).await;
    }

    async fn the_web_sign_in_takes_two_steps(app: TestApp) {
        let mut clock = Clock::new(&app);
        let diplomat = app.diplomat("CA").await;
        let (secret, codes) = enrol(&diplomat, &clock).await;
        // In Chromium with JavaScript off, as people use it; then again in
        // the audit browser (axe is a script) for the pages' accessibility.
        let Some(browser) = Browser::start(&app).await else { return };
        clock.next_step();
        web_code_journey(&browser, &app, &diplomat, &secret, &codes[3], &clock, false).await;
        browser.close().await;
        let Some(audit) = Browser::start_for_audit(&app).await else { return };
        clock.next_step();
        web_code_journey(&audit, &app, &diplomat, &secret, &codes[4], &clock, true).await;
        audit.close().await;
    }

    async fn the_web_enrols_whom_a_rule_requires(app: TestApp) {
        let admin = app.admin("CA").await;
        let first = app.diplomat("CA").await;
        let second = app.diplomat("CA").await;
        admin.q(SET_RULE, json!({ "r": true })).await.data();
        let Some(browser) = Browser::start(&app).await else { return };
        web_enrol_journey(&browser, &app, &first, false).await;
        browser.close().await;
        let Some(audit) = Browser::start_for_audit(&app).await else { return };
        web_enrol_journey(&audit, &app, &second, true).await;
        audit.close().await;

        // The admin is bound by the rule too (enrolled here through the
        // API); their users page shows and changes it.
        let mut clock = Clock::new(&app);
        let (token, _) = challenge(&app, &admin.email).await;
        let begun = app.anon(BEGIN, json!({ "c": token })).await;
        let admin_secret = str_of(&begun.data()["beginTotpEnrolment"]["secret"], "secret");
        app.anon(CONFIRM, json!({ "code": clock.code(&admin_secret), "c": token })).await.data();
        clock.next_step();
        let Some(browser) = Browser::start(&app).await else { return };
        browser.open("/sign-in").await;
        browser.fill("email", &admin.email).await;
        browser.fill("password", PASSWORD).await;
        browser.press("Sign in").await;
        browser.fill("code", &clock.code(&admin_secret)).await;
        browser.press("Continue").await;
        browser.open("/admin/users").await;
        browser.tick("secondFactorOff", true).await;
        browser.press("Save the rule").await;
        assert!(browser.text().await.contains("two-step sign-in rule is saved"), "{}", browser.text().await);
        assert_eq!(admin.q(STATUS, json!({})).await.data()["me"]["secondFactor"]["required"], false);
        browser.close().await;
    }
}

/// Signs `diplomat` in on the pages with a code (a wrong one first), then
/// with a recovery code; with `audit`, axe checks each page.
async fn web_code_journey(
    browser: &Browser,
    app: &TestApp,
    diplomat: &Actor,
    secret: &str,
    recovery: &str,
    clock: &Clock,
    audit: bool,
) {
    browser.open("/roster").await;
    browser.fill("email", &diplomat.email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    assert!(
        browser.path().await.starts_with("/sign-in/code"),
        "{}",
        browser.path().await
    );
    assert_eq!(browser.heading().await, "Second sign-in step");
    if audit {
        browser.assert_accessible("the code page").await;
    }
    // A wrong code: said beside the field, still on the second step.
    browser
        .fill("code", &wrong_code(secret, clock.offset))
        .await;
    browser.press("Continue").await;
    assert!(
        browser
            .text()
            .await
            .contains("this code is wrong, already used or too old"),
        "{}",
        browser.text().await
    );
    if audit {
        browser
            .assert_accessible("the code page with an error")
            .await;
    }
    browser.fill("code", &clock.code(secret)).await;
    browser.press("Continue").await;
    assert_eq!(browser.path().await, "/roster");
    assert_eq!(last_method(app, &diplomat.email).await, "PASSWORD_TOTP");
    browser.open("/account/two-step").await;
    assert!(
        browser.text().await.contains("Two-step sign-in is on"),
        "{}",
        browser.text().await
    );
    if audit {
        browser.assert_accessible("the two-step page, on").await;
    }
    browser.press("Sign out").await;

    // With a recovery code instead.
    browser.open("/sign-in").await;
    browser.fill("email", &diplomat.email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    browser.click_link("Use a recovery code instead").await;
    if audit {
        browser.assert_accessible("the recovery code page").await;
    }
    browser.fill("recoveryCode", recovery).await;
    browser.press("Continue").await;
    assert_eq!(browser.path().await, "/");
    assert_eq!(
        last_method(app, &diplomat.email).await,
        "PASSWORD_RECOVERY_CODE"
    );
    browser.open("/account").await;
    browser.press("Sign out").await;
}

/// `diplomat`, whom the mission's rule binds, signs in on the pages and
/// must enrol: the QR code and secret, the first code, the recovery codes
/// shown once, then in.
async fn web_enrol_journey(browser: &Browser, app: &TestApp, diplomat: &Actor, audit: bool) {
    browser.open("/sign-in").await;
    browser.fill("email", &diplomat.email).await;
    browser.fill("password", PASSWORD).await;
    browser.press("Sign in").await;
    assert!(
        browser.path().await.starts_with("/sign-in/enrol"),
        "{}",
        browser.path().await
    );
    if audit {
        browser.assert_accessible("the enrolment page").await;
    }
    browser.press("Set up an authenticator app").await;
    assert!(browser.html().await.contains("<svg"), "a QR code");
    if audit {
        browser
            .assert_accessible("the enrolment page with its QR code")
            .await;
    }
    let secret: String = browser
        .client
        .find(fantoccini::Locator::Id("totpSecret"))
        .await
        .expect("secret")
        .text()
        .await
        .expect("text")
        .split_whitespace()
        .collect();
    browser
        .fill("code", &wrong_code(&secret, Duration::zero()))
        .await;
    browser.press("Turn on two-step sign-in").await;
    assert!(
        browser.text().await.contains("this code is wrong"),
        "{}",
        browser.text().await
    );
    browser
        .fill("code", &code_at(&secret, Duration::zero()))
        .await;
    browser.press("Turn on two-step sign-in").await;
    assert_eq!(browser.heading().await, "Your recovery codes");
    let listed = browser
        .client
        .find_all(fantoccini::Locator::Css("#recoveryCodes li"))
        .await
        .expect("codes");
    assert_eq!(listed.len(), 10);
    if audit {
        browser.assert_accessible("the recovery codes").await;
    }
    browser.click_link("Continue").await;
    assert_eq!(browser.path().await, "/");
    assert_eq!(last_method(app, &diplomat.email).await, "PASSWORD_TOTP");
    browser.open("/account").await;
    browser.press("Sign out").await;
}

on_both_backends_with! {
    async fn the_platform_rule_binds_staff(app: TestApp) with |c| c.require_second_factor_for_staff = Some(true); {
        let clock = Clock::new(&app);
        // The operator must enrol before any token.
        let (token, methods) = challenge(&app, OPERATOR_EMAIL).await;
        assert_eq!(methods, ["ENROL_TOTP"]);
        let begun = app.anon(BEGIN, json!({ "c": token })).await;
        let secret = str_of(&begun.data()["beginTotpEnrolment"]["secret"], "secret");
        let confirmed = app.anon(CONFIRM, json!({ "code": clock.code(&secret), "c": token })).await;
        let op = as_actor(&app, OPERATOR_EMAIL, &confirmed.data()["confirmTotpEnrolment"]["auth"]["accessToken"]);
        let mission = op.q(
            "mutation($i: CreateMissionInput!) { createMission(input: $i) { id } }",
            json!({ "i": { "country": "CA", "hostCountry": "PH", "city": "Manila", "name": "Embassy of CA", "timezone": "Asia/Manila" } }),
        ).await;
        let mission = str_of(&mission.data()["createMission"]["id"], "mission");
        op.create_user("admin.ca@test.example", "ADMIN", Some(&mission), None).await.data();
        // An admin must enrol too; the diplomat they make is not bound.
        let (token, methods) = challenge(&app, "admin.ca@test.example").await;
        assert_eq!(methods, ["ENROL_TOTP"]);
        let begun = app.anon(BEGIN, json!({ "c": token })).await;
        let secret = str_of(&begun.data()["beginTotpEnrolment"]["secret"], "secret");
        let confirmed = app.anon(CONFIRM, json!({ "code": clock.code(&secret), "c": token })).await;
        let admin = as_actor(&app, "admin.ca@test.example", &confirmed.data()["confirmTotpEnrolment"]["auth"]["accessToken"]);
        admin.create_user("diplomat.ca@test.example", "DIPLOMAT", Some(&mission), None).await.data();
        app.login("diplomat.ca@test.example", PASSWORD).await;
        assert_eq!(op.q(STATUS, json!({})).await.data()["me"]["secondFactor"]["required"], true);
    }
}
