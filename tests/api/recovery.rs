//! Recovery without a helpdesk: "forgot password" links (single use, 30
//! minutes, a newer one voids the older, every session ends), no account
//! enumeration (same answer, same time, nothing queued for an unknown
//! address), per-account limits, an admin's forced reset, and email changes
//! confirmed from the new address and told to the old one. Links are read
//! from the email as delivered over SMTP (`smtp.rs`).
use std::time::{Duration as StdDuration, Instant};

use accord_server::jobs as worker;
use accord_server::mail::transport::Mailer;
use chrono::Duration;
use sea_orm::ConnectionTrait;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::browser::{Browser, no_redirects, page_cookie};
use crate::helpers::*;
use crate::on_both_backends;
use crate::smtp::{Received, SmtpServer};

pub const REQUEST: &str = "mutation($e: String!) { requestPasswordReset(email: $e) }";
pub const RESET: &str =
    "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
const FORCE: &str = "mutation($u: ID!) { forcePasswordReset(userId: $u) }";
pub const CHANGE: &str =
    "mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }";
pub const CONFIRM: &str = "mutation($t: String!) { confirmEmailChange(token: $t) }";
const ME: &str = "{ me { user { id email } } }";

const NEW_PASSWORD: &str = "a brand new long password";
const LINK_SUBJECT: &str = "Accord: set a new password";

/// The token of the last link to `path` (`/reset/`, `/account/email/`) in
/// `messages`.
pub fn token_in(messages: &[Received], path: &str) -> String {
    let body = messages
        .iter()
        .rev()
        .map(Received::body)
        .find(|b| b.contains(path))
        .unwrap_or_else(|| panic!("no message with a {path} link"));
    let at = body.find(path).expect("link") + path.len();
    body[at..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

/// An SMTP server and the rounds of the periodic work sending to it.
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

    /// Rounds until nothing more is sent.
    async fn settle(&self) {
        for _ in 0..5 {
            if worker::run_once(self.app.state(), &self.mailer)
                .await
                .expect("a round runs")
                == 0
            {
                break;
            }
        }
    }

    fn to(&self, address: &str) -> Vec<Received> {
        self.smtp.messages_to(address)
    }

    /// Subjects received at `address`, in order.
    fn subjects(&self, address: &str) -> Vec<String> {
        self.to(address).iter().map(Received::subject).collect()
    }
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

async fn ask_reset(app: &TestApp, email: &str) {
    let r = app.anon(REQUEST, json!({ "e": email })).await;
    assert_eq!(r.data()["requestPasswordReset"], true);
}

/// Asks for a link for `email` and returns its token as emailed.
async fn reset_link(app: &TestApp, mail: &Mail, email: &str) -> String {
    let before = mail.to(email).len();
    ask_reset(app, email).await;
    mail.settle().await;
    let got = mail.to(email);
    assert_eq!(got.len(), before + 1, "one link arrived");
    token_in(&got, "/reset/")
}

async fn get_status(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut req = no_redirects().get(app.url(path));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.expect("answered");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

on_both_backends! {
    async fn a_reset_link_works_once_and_ends_every_session(app: TestApp) {
        let mail = Mail::new(&app).await;
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        // A failed sign-in counts against the address; the reset forgets it.
        app.login_raw(&diplomat.email, "not the password at all").await.assert_code("UNAUTHENTICATED");
        let email_key = sha256_hex(&diplomat.email);
        let throttled = format!("login_throttle WHERE email_key = '{email_key}'");
        assert_eq!(app.count_rows(&throttled).await, 1);

        ask_reset(&app, &diplomat.email).await;
        // Answered before anything was looked up: the request only waits.
        assert_eq!(app.count_rows("password_reset_requests").await, 1);
        assert_eq!(app.count_rows("password_resets").await, 0);
        mail.settle().await;
        assert_eq!(app.count_rows("password_reset_requests").await, 0);
        let got = mail.to(&diplomat.email);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].subject(), LINK_SUBJECT);
        let body = got[0].body();
        assert!(body.contains("30 minutes"), "{body}");
        let token = token_in(&got, "/reset/");
        assert!(token.len() >= 43, "a 256-bit token: {token}");
        // Only its SHA-256 is kept; the outbox holds no token.
        let hashed = format!("password_resets WHERE token_hash = '{}'", sha256_hex(&token));
        assert_eq!(app.count_rows(&hashed).await, 1);
        assert_eq!(app.count_rows(&format!("outbox WHERE payload LIKE '%{token}%'")).await, 0);
        assert_eq!(app.count_rows(&format!("password_resets WHERE token_hash = '{token}'")).await, 0);

        // Opening the link (a mail scanner would) uses nothing.
        for _ in 0..2 {
            let (status, page) = get_status(&app, &format!("/reset/{token}"), None).await;
            assert_eq!(status, 200, "{page}");
            assert!(page.contains("Choose a new password"), "{page}");
            assert!(!page.contains("Identities you could open"), "a diplomat holds no key: {page}");
        }
        // A password too short is refused on its field; the link still works.
        let short = app.anon(RESET, json!({ "t": token, "p": "short" })).await;
        short.assert_code("BAD_USER_INPUT");
        assert_eq!(short.field(), "newPassword");

        let done = app.anon(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await;
        assert_eq!(done.data()["resetPassword"], true);
        // Every session ended: the access token, the refresh token, the page cookie.
        diplomat.q(ME, json!({})).await.assert_code("UNAUTHENTICATED");
        app.anon(
            "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }",
            json!({ "t": diplomat.refresh }),
        )
        .await
        .assert_code("UNAUTHENTICATED");
        let (status, _) = get_status(&app, "/account", Some(&cookie)).await;
        assert_eq!(status, 303, "the page session ended");
        assert_eq!(app.count_rows(&throttled).await, 0, "the failed sign-ins are forgotten");
        // The old password is refused, the new one works.
        app.login_raw(&diplomat.email, PASSWORD).await.assert_code("UNAUTHENTICATED");
        let again = app.login(&diplomat.email, NEW_PASSWORD).await;
        again.q(ME, json!({})).await.data();

        // Used once: refused the second time, exactly as an unknown link is.
        let second = app.anon(RESET, json!({ "t": token, "p": "yet another long password" })).await;
        second.assert_code("BAD_USER_INPUT");
        assert_eq!(second.field(), "token");
        let unknown = app.anon(RESET, json!({ "t": "c29tZXRoaW5nIHRoYXQgd2FzIG5ldmVyIGEgdG9rZW4", "p": "yet another long password" })).await;
        assert_eq!(unknown.body, second.body, "no detail about why");
        let (status, page) = get_status(&app, &format!("/reset/{token}"), None).await;
        assert_eq!(status, 400);
        assert!(page.contains("This link is no longer valid"), "{page}");

        // Told by email; audited.
        mail.settle().await;
        assert_eq!(
            mail.subjects(&diplomat.email),
            [LINK_SUBJECT, "Accord: your password was changed"]
        );
        let changed = mail.to(&diplomat.email)[1].body();
        assert!(!changed.contains("/reset/"), "{changed}");
        assert_eq!(app.count_rows("audit_events WHERE action = 'PASSWORD_RESET_REQUESTED'").await, 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'PASSWORD_RESET_COMPLETED'").await, 1);
    }

    async fn an_expired_or_replaced_link_is_refused(app: TestApp) {
        let mail = Mail::new(&app).await;
        let diplomat = app.diplomat("CA").await;
        let first = reset_link(&app, &mail, &diplomat.email).await;
        app.advance_clock(Duration::minutes(3));
        let second = reset_link(&app, &mail, &diplomat.email).await;
        assert_ne!(first, second);
        // The newer link voids the older one.
        let old = app.anon(RESET, json!({ "t": first, "p": NEW_PASSWORD })).await;
        old.assert_code("BAD_USER_INPUT");
        assert_eq!(old.field(), "token");
        // 30 minutes on, the newer one has expired too.
        app.advance_clock(Duration::minutes(31));
        let (status, _) = get_status(&app, &format!("/reset/{second}"), None).await;
        assert_eq!(status, 400);
        let expired = app.anon(RESET, json!({ "t": second, "p": NEW_PASSWORD })).await;
        expired.assert_code("BAD_USER_INPUT");
        assert_eq!(expired.body, old.body, "expired and voided read the same");
        // The password never changed.
        app.login(&diplomat.email, PASSWORD).await;
        // A fresh link works.
        let third = reset_link(&app, &mail, &diplomat.email).await;
        let ok = app.anon(RESET, json!({ "t": third, "p": NEW_PASSWORD })).await;
        assert_eq!(ok.data()["resetPassword"], true);
        app.login(&diplomat.email, NEW_PASSWORD).await;
    }

    async fn the_answer_does_not_tell_whether_an_account_exists(app: TestApp) {
        let mail = Mail::new(&app).await;
        let diplomat = app.diplomat("CA").await;
        let unknown = "nobody.at.all@test.example";
        let known = app.anon(REQUEST, json!({ "e": diplomat.email })).await;
        let none = app.anon(REQUEST, json!({ "e": unknown })).await;
        assert_eq!((known.status, &known.body), (none.status, &none.body));
        // The page answers the same too.
        let mut locations = Vec::new();
        for email in [diplomat.email.as_str(), unknown] {
            let res = no_redirects()
                .post(app.url("/sign-in/forgot"))
                .header("sec-fetch-site", "same-origin")
                .form(&[("email", email)])
                .send()
                .await
                .expect("answered");
            assert_eq!(res.status().as_u16(), 303);
            locations.push(res.headers()["location"].to_str().expect("ascii").to_owned());
        }
        assert_eq!(locations[0], locations[1]);
        assert_eq!(locations[0], "/sign-in/forgot?done=reset-requested");
        // Only a malformed address is refused (whoever has it).
        let bad = app.anon(REQUEST, json!({ "e": "not an address" })).await;
        bad.assert_code("BAD_USER_INPUT");
        assert_eq!(bad.field(), "email");

        mail.settle().await;
        // One link, to the account; nothing for the unknown address, not even an audit row.
        assert_eq!(crate::builders::outbox_of(&app, "PASSWORD_RESET_LINK").await.len(), 1);
        assert_eq!(mail.smtp.messages().len(), 1);
        assert!(mail.to(unknown).is_empty());
        assert_eq!(app.count_rows("audit_events WHERE action = 'PASSWORD_RESET_REQUESTED'").await, 1);
        assert_eq!(app.count_rows("password_reset_requests").await, 0);

        // In similar time: the medians of alternating requests for a known
        // and an unknown address, within 20 ms of each other (the request
        // does the same statements either way; the bound only catches a
        // look-up or a hash on one path).
        let mut times: [Vec<StdDuration>; 2] = [Vec::new(), Vec::new()];
        for i in 0..42 {
            let email = if i % 2 == 0 { diplomat.email.clone() } else { format!("nobody{i}@test.example") };
            let started = Instant::now();
            let r = app.anon(REQUEST, json!({ "e": email })).await;
            let took = started.elapsed();
            assert_eq!(r.data()["requestPasswordReset"], true);
            if i >= 2 {
                times[i % 2].push(took);
            }
        }
        let median = |v: &mut Vec<StdDuration>| {
            v.sort();
            v[v.len() / 2]
        };
        let (k, u) = (median(&mut times[0]), median(&mut times[1]));
        let diff = k.abs_diff(u);
        assert!(diff < StdDuration::from_millis(20), "known {k:?}, unknown {u:?}");
    }

    async fn links_to_one_account_are_limited(app: TestApp) {
        let mail = Mail::new(&app).await;
        let diplomat = app.diplomat("CA").await;
        // A burst: one link, and every answer the same.
        for _ in 0..5 {
            ask_reset(&app, &diplomat.email).await;
            mail.settle().await;
        }
        assert_eq!(mail.to(&diplomat.email).len(), 1, "one link per two minutes");
        // Two more in the hour, three minutes apart; then none.
        for expected in [2, 3, 3] {
            app.advance_clock(Duration::minutes(3));
            ask_reset(&app, &diplomat.email).await;
            mail.settle().await;
            assert_eq!(mail.to(&diplomat.email).len(), expected);
        }
        // An hour on, another.
        app.advance_clock(Duration::minutes(61));
        ask_reset(&app, &diplomat.email).await;
        mail.settle().await;
        assert_eq!(mail.to(&diplomat.email).len(), 4);
        assert_eq!(app.count_rows("audit_events WHERE action = 'PASSWORD_RESET_REQUESTED'").await, 4);
    }

    async fn identity_access_is_told_before_and_gone_after_a_reset(app: TestApp) {
        let mail = Mail::new(&app).await;
        let coordinator = app.user("COORDINATOR", "CA").await;
        use accord_server::store::{country_key_wrap, member_key};
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let user_id = crate::builders::row_uuid(&coordinator.id);
        let copies = || async {
            country_key_wrap::Entity::find()
                .filter(country_key_wrap::Column::UserId.eq(user_id))
                .count(app.db())
                .await
                .expect("count")
        };
        let keys = || async {
            member_key::Entity::find_by_id(user_id).count(app.db()).await.expect("count")
        };
        assert!(copies().await > 0, "holds the key from creation");

        let token = reset_link(&app, &mail, &coordinator.email).await;
        let (_, page) = get_status(&app, &format!("/reset/{token}"), None).await;
        assert!(page.contains("Identities you could open stay closed after this reset"), "{page}");
        assert!(!page.contains("only person holding"), "the CA admin holds it too: {page}");
        app.anon(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await.data();
        assert_eq!(copies().await, 0, "the copies are gone");
        assert_eq!(keys().await, 0, "the member key is gone");
        // The next sign-in makes a fresh member key; access waits for a grant.
        let back = app.login(&coordinator.email, NEW_PASSWORD).await;
        assert_eq!(keys().await, 1, "a fresh member key");
        assert_eq!(copies().await, 0);
        let admin = app.admin("CA").await;
        admin
            .q("mutation($u: ID!) { grantIdentityAccess(userId: $u) { __typename } }", json!({ "u": back.id }))
            .await
            .data();
        assert!(copies().await > 0, "granted again");

        // The only custodian of a country is told so.
        let nl_admin = app.admin("NL").await;
        let token = reset_link(&app, &mail, &nl_admin.email).await;
        let (_, page) = get_status(&app, &format!("/reset/{token}"), None).await;
        assert!(page.contains("You are the only person holding your country"), "{page}");
    }

    async fn an_admin_forces_a_reset_without_knowing_a_password(app: TestApp) {
        let mail = Mail::new(&app).await;
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        // Another mission's admin does not see them; a diplomat may not.
        let nl_admin = app.admin("NL").await;
        nl_admin.q(FORCE, json!({ "u": diplomat.id })).await.assert_code("NOT_FOUND");
        let colleague = app.diplomat("CA").await;
        colleague.q(FORCE, json!({ "u": diplomat.id })).await.assert_code("FORBIDDEN");
        let own = admin.q(FORCE, json!({ "u": admin.id })).await;
        own.assert_code("BAD_USER_INPUT");
        diplomat.q(ME, json!({})).await.data();

        let forced = admin.q(FORCE, json!({ "u": diplomat.id })).await;
        // The answer is a yes: no password anywhere.
        assert_eq!(forced.body, json!({ "data": { "forcePasswordReset": true } }));
        // The password stopped working at once; every session ended.
        app.login_raw(&diplomat.email, PASSWORD).await.assert_code("UNAUTHENTICATED");
        diplomat.q(ME, json!({})).await.assert_code("UNAUTHENTICATED");
        let (status, _) = get_status(&app, "/account", Some(&cookie)).await;
        assert_eq!(status, 303);
        let argon = format!("users WHERE email = '{}' AND password_hash LIKE '$argon2%'", diplomat.email);
        assert_eq!(app.count_rows(&argon).await, 0, "no password hash is stored");
        assert_eq!(app.count_rows("audit_events WHERE action = 'PASSWORD_RESET_FORCED'").await, 1);

        // The link arrives, says who did it, and sets a password.
        mail.settle().await;
        let got = mail.to(&diplomat.email);
        assert_eq!(got.len(), 1);
        assert!(got[0].body().contains("administrator reset your Accord password"), "{}", got[0].body());
        let token = token_in(&got, "/reset/");
        app.anon(RESET, json!({ "t": token, "p": NEW_PASSWORD })).await.data();
        app.login(&diplomat.email, NEW_PASSWORD).await;

        // The operator may force anyone's.
        let op = app.operator().await;
        assert_eq!(op.q(FORCE, json!({ "u": colleague.id })).await.data()["forcePasswordReset"], true);
        app.login_raw(&colleague.email, PASSWORD).await.assert_code("UNAUTHENTICATED");

        // The admin's users page offers it.
        let admin_cookie = page_cookie(&app, &admin.email).await;
        let (_, page) = get_status(&app, "/admin/users", Some(&admin_cookie)).await;
        assert!(page.contains(&format!("/admin/users/{}/force-reset", diplomat.id)), "{page}");
        let res = no_redirects()
            .post(app.url(&format!("/admin/users/{}/force-reset", diplomat.id)))
            .header("cookie", &admin_cookie)
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status().as_u16(), 303);
        app.login_raw(&diplomat.email, NEW_PASSWORD).await.assert_code("UNAUTHENTICATED");
    }

    async fn an_email_change_is_confirmed_from_the_new_address(app: TestApp) {
        let mail = Mail::new(&app).await;
        let diplomat = app.diplomat("CA").await;
        let old = diplomat.email.clone();
        let new = format!("newhome.{}", &old);
        // Refusals: a wrong password (counted as a failed sign-in), the same address.
        let wrong = diplomat.q(CHANGE, json!({ "e": new, "p": "not my password at all" })).await;
        wrong.assert_code("BAD_USER_INPUT");
        assert_eq!(wrong.field(), "currentPassword");
        assert_eq!(app.count_rows("audit_events WHERE action = 'LOGIN_FAILED'").await, 1);
        let same = diplomat.q(CHANGE, json!({ "e": old.to_uppercase(), "p": PASSWORD })).await;
        same.assert_code("BAD_USER_INPUT");
        assert_eq!(same.field(), "newEmail");
        assert_eq!(app.count_rows("email_changes").await, 0);

        let asked = diplomat.q(CHANGE, json!({ "e": new, "p": PASSWORD })).await;
        assert_eq!(asked.data()["requestEmailChange"], true);
        // Asking again at once is limited.
        diplomat.q(CHANGE, json!({ "e": new, "p": PASSWORD })).await.assert_code("RATE_LIMITED");
        mail.settle().await;
        // A link to the new address; a notice to the old one, the new address masked.
        let confirm = mail.to(&new);
        assert_eq!(confirm.len(), 1);
        assert_eq!(confirm[0].subject(), "Accord: confirm your new email address");
        let notice = mail.to(&old);
        assert_eq!(notice.len(), 1);
        assert_eq!(notice[0].subject(), "Accord: a change of your email address was asked for");
        let said = notice[0].body();
        assert!(said.contains("n…@"), "{said}");
        assert!(!said.contains(&new), "the old mailbox does not learn the new address: {said}");
        assert!(!said.contains("/account/email/"), "{said}");
        let token = token_in(&confirm, "/account/email/");
        // Until confirmed nothing changes; the page shows the address and uses nothing.
        app.login(&old, PASSWORD).await;
        let (status, page) = get_status(&app, &format!("/account/email/{token}"), None).await;
        assert_eq!(status, 200);
        assert!(page.contains(&new), "{page}");

        let done = app.anon(CONFIRM, json!({ "t": token })).await;
        assert_eq!(done.data()["confirmEmailChange"], true);
        app.login_raw(&old, PASSWORD).await.assert_code("UNAUTHENTICATED");
        let moved = app.login(&new, PASSWORD).await;
        assert_eq!(moved.q(ME, json!({})).await.data()["me"]["user"]["email"], new.as_str());
        // Used once.
        let again = app.anon(CONFIRM, json!({ "t": token })).await;
        again.assert_code("BAD_USER_INPUT");
        assert_eq!(again.field(), "token");
        // The old address is told it changed.
        mail.settle().await;
        let subjects = mail.subjects(&old);
        assert_eq!(subjects.last().map(String::as_str), Some("Accord: your email address was changed"));
        assert_eq!(app.count_rows("audit_events WHERE action = 'EMAIL_CHANGE_REQUESTED'").await, 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'EMAIL_CHANGED'").await, 1);
    }

    async fn a_taken_address_is_refused_when_confirmed(app: TestApp) {
        let mail = Mail::new(&app).await;
        let one = app.diplomat("CA").await;
        let other = app.diplomat("CA").await;
        // Asking does not tell whose the address is.
        let asked = one.q(CHANGE, json!({ "e": other.email, "p": PASSWORD })).await;
        assert_eq!(asked.data()["requestEmailChange"], true);
        mail.settle().await;
        let token = token_in(&mail.to(&other.email), "/account/email/");
        app.anon(CONFIRM, json!({ "t": token })).await.assert_code("CONFLICT");
        assert_eq!(one.q(ME, json!({})).await.data()["me"]["user"]["email"], one.email.as_str());
        assert_eq!(app.count_rows("audit_events WHERE action = 'EMAIL_CHANGED'").await, 0);
        // The database holds it too.
        let forced = app
            .db()
            .execute_unprepared(&format!(
                "UPDATE users SET email = '{}' WHERE email = '{}'",
                other.email, one.email
            ))
            .await;
        assert!(forced.is_err(), "users.email is UNIQUE");
    }

    async fn a_person_recovers_their_account_in_the_browser(app: TestApp) {
        let mail = Mail::new(&app).await;
        let diplomat = app.diplomat("CA").await;
        let Some(browser) = Browser::start_for_audit(&app).await else {
            return;
        };
        browser.open("/sign-in").await;
        browser.click_link("Forgot your password?").await;
        assert_eq!(browser.heading().await, "Forgot password");
        browser.assert_accessible("forgot password").await;
        browser.fill("email", &diplomat.email).await;
        browser.press("Send me a link").await;
        assert!(browser.text().await.contains("If an account has this address, a link is on its way."));
        mail.settle().await;
        let token = token_in(&mail.to(&diplomat.email), "/reset/");
        browser.open(&format!("/reset/{token}")).await;
        assert_eq!(browser.heading().await, "Choose a new password");
        browser.assert_accessible("reset").await;
        browser.fill("newPassword", "short").await;
        browser.press("Set the new password").await;
        assert!(browser.text().await.contains("Choose a new password"));
        browser.fill("newPassword", NEW_PASSWORD).await;
        browser.press("Set the new password").await;
        assert!(browser.path().await.starts_with("/sign-in"));
        assert!(browser.text().await.contains("Your password was set."));
        browser.fill("email", &diplomat.email).await;
        browser.fill("password", NEW_PASSWORD).await;
        browser.press("Sign in").await;
        assert!(!browser.path().await.starts_with("/sign-in"));

        // The account page: a new address, confirmed from its link.
        let new = format!("browser.{}", diplomat.email);
        browser.open("/account").await;
        browser.fill("newEmail", &new).await;
        browser.fill("emailCurrentPassword", "a wrong password here").await;
        browser.press("Change the address").await;
        assert!(browser.text().await.contains("is not your current password"));
        browser.fill("newEmail", &new).await;
        browser.fill("emailCurrentPassword", NEW_PASSWORD).await;
        browser.press("Change the address").await;
        assert!(browser.text().await.contains("A confirmation link was sent to the new address."));
        mail.settle().await;
        let token = token_in(&mail.to(&new), "/account/email/");
        browser.open(&format!("/account/email/{token}")).await;
        browser.assert_accessible("confirm email").await;
        browser.press("Confirm this address").await;
        assert!(browser.text().await.contains("Your email address was changed"));
        app.login(&new, NEW_PASSWORD).await;
        browser.close().await;
    }
}

/// Links for the page walks (`web_every_page`, `web_languages`): an open
/// reset of `holder` (a key holder, so the page's warning shows) and an
/// open email change, each with a token made here (only their SHA-256
/// stored, as the sender stores it).
pub async fn links_for_pages(app: &TestApp, holder: &Actor) -> (String, String) {
    use accord_server::store::{email_change, password_reset};
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let now = app.state().clock.now();
    let user_id = crate::builders::row_uuid(&holder.id);
    let reset = format!("pagewalkreset{}", uuid::Uuid::new_v4().simple());
    let change = format!("pagewalkemail{}", uuid::Uuid::new_v4().simple());
    password_reset::Entity::insert(password_reset::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(user_id),
        token_hash: Set(Some(sha256_hex(&reset))),
        forced: Set(false),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(30)),
        used_at: Set(None),
        voided_at: Set(None),
    })
    .exec(app.db())
    .await
    .expect("a reset for the walk");
    email_change::Entity::insert(email_change::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(user_id),
        old_email: Set(holder.email.clone()),
        new_email: Set(format!("walk.{}", holder.email)),
        token_hash: Set(Some(sha256_hex(&change))),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(30)),
        used_at: Set(None),
        voided_at: Set(None),
    })
    .exec(app.db())
    .await
    .expect("an email change for the walk");
    (reset, change)
}
