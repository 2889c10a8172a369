//! Sealed identity in headless Chromium, JavaScript off: an admin sets up
//! the country key through the identity page (the recovery key shown
//! once), a coordinator signed in on the page opens an identity, a
//! diplomat reads why it stays locked until an admin grants the key, a
//! partner asks for a reveal that the owner approves and then revokes, and
//! a case form keeps what was typed when the country has no key.
use serde_json::{Value, json};

use crate::browser::{Browser, no_redirects, page_cookie};
use crate::builders::{consent, open_case, share};
use crate::helpers::{Actor, TestApp, str_of};
use crate::identity_kit::{member, plain_admin};
use crate::on_both_backends;

/// Signs the browser out and in again as `who`.
async fn switch_to(browser: &Browser, who: &Actor) {
    browser.open("/account").await;
    browser.press("Sign out").await;
    browser.sign_in_as(who).await;
}

/// A page's body as `cookie`'s web session gets it (apostrophes unescaped).
async fn page_as(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = app
        .http()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    let status = res.status().as_u16();
    let body = res.text().await.expect("body");
    (status, body.replace("&#39;", "'").replace("&#x27;", "'"))
}

async fn key_ready(by: &Actor) -> bool {
    by.q("{ identityKey { ready } }", json!({})).await.data()["identityKey"]["ready"]
        .as_bool()
        .expect("ready")
}

async fn reveals_of(by: &Actor) -> Vec<Value> {
    by.q(
        "{ identityReveals { id state expiresAt decidedAt } }",
        json!({}),
    )
    .await
    .data()["identityReveals"]
        .as_array()
        .expect("reveals")
        .clone()
}

/// A recovery key as shown: 13 groups of 4 base32 characters.
fn looks_like_recovery_key(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 13
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_alphanumeric()))
}

on_both_backends! {
    async fn identity_key_and_reveals_through_the_pages(app: TestApp) {
        // An admin whose country has no key yet (`app.admin` makes one).
        let admin = plain_admin(&app, "CA").await;
        let Some(browser) = Browser::start(&app).await else { return };

        // The admin sets up the key: without the box ticked nothing is made.
        browser.open("/identity").await;
        browser.sign_in_as(&admin).await;
        assert_eq!(browser.heading().await, "Your country's identity key");
        let text = browser.text().await;
        assert!(text.contains("every identity of your country is lost for good"), "{text}");
        browser.press("Set up the key").await;
        let text = browser.text().await;
        assert!(text.contains("Please correct 1 problem"), "{text}");
        assert!(text.contains("Tick the box"), "{text}");
        assert!(!key_ready(&admin).await, "an unticked box makes no key");
        browser.tick("acknowledge", true).await;
        browser.press("Set up the key").await;
        assert_eq!(browser.heading().await, "Your country's identity key is ready");
        assert_eq!(browser.path().await, "/identity/set-up", "answered in place, no redirect");
        let shown = browser
            .client
            .find(fantoccini::Locator::Id("recoveryKey"))
            .await
            .expect("the recovery key")
            .text()
            .await
            .expect("text");
        assert!(looks_like_recovery_key(&shown), "{shown}");
        assert!(browser.text().await.contains("Write it down"));
        assert!(key_ready(&admin).await);
        // Back, and the page again: the key is not shown any more.
        browser.client.back().await.expect("back");
        assert!(!browser.html().await.contains(&shown), "back shows the key again");
        browser.open("/identity").await;
        let html = browser.html().await;
        assert!(!html.contains(&shown), "the identity page shows the key again");
        assert!(browser.text().await.contains("Hold the key; this session can open identities"));
        browser.screenshot("identity-key").await;

        // Rotating answers the new key in place: 200, never stored, no
        // redirect, and the old key is not on it.
        let cookie = page_cookie(&app, &admin.email).await;
        let res = no_redirects()
            .post(app.url("/identity/rotate"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .form(&[("acknowledge", "true")])
            .send()
            .await
            .expect("rotate");
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert!(res.headers().get("location").is_none());
        let body = res.text().await.expect("body");
        assert!(body.contains("identity key was replaced"), "{body}");
        assert!(!body.contains(&shown));

        // A coordinator made now holds the key and opens an identity.
        let coord = member(&app, &admin, "COORDINATOR", "CA").await;
        let case = open_case(&coord, "Defender Sealed", "Ana Sealed Reyes").await;
        let case_id = str_of(&case["id"], "case id");
        consent(&coord, &case_id, true).await.data();
        share(&coord, &case_id, "NL", "DETAIL").await.data();
        switch_to(&browser, &coord).await;
        browser.open(&format!("/cases/{case_id}")).await;
        assert!(!browser.html().await.contains("Ana Sealed Reyes"));
        browser.click_link("Show the defender's identity").await;
        let text = browser.text().await;
        assert!(text.contains("Ana Sealed Reyes"), "{text}");
        assert!(text.contains("recorded in the audit log"), "{text}");

        // A diplomat does not hold the key: a sentence, not an error page.
        let diplomat = member(&app, &admin, "DIPLOMAT", "CA").await;
        let diplomat_cookie = page_cookie(&app, &diplomat.email).await;
        let (status, body) = page_as(&app, &diplomat_cookie, &format!("/cases/{case_id}?identity=show")).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("You do not hold your country's identity key; an admin can grant it."), "{body}");
        assert!(!body.contains("Ana Sealed Reyes"));

        // The admin grants it; the diplomat, still signed in, opens it.
        switch_to(&browser, &admin).await;
        browser.open("/identity").await;
        browser.choose("grantUser", &diplomat.id).await;
        browser.press("Grant").await;
        let text = browser.text().await;
        assert!(text.contains("They now hold your country's identity key"), "{text}");
        let (status, body) = page_as(&app, &diplomat_cookie, &format!("/cases/{case_id}?identity=show")).await;
        assert_eq!(status, 200);
        assert!(body.contains("Ana Sealed Reyes"), "the granted diplomat opens it");

        // A partner asks; the owner approves for 7 days.
        // NL's admin sets NL's key up as it is made (`app.admin`).
        app.admin("NL").await;
        let partner = app.user("COORDINATOR", "NL").await;
        switch_to(&browser, &partner).await;
        browser.open(&format!("/cases/{case_id}")).await;
        let text = browser.text().await;
        assert!(text.contains("Your country has not asked for the identity"), "{text}");
        assert!(!text.contains("Show the identity"), "{text}");
        browser.press("Request the identity").await;
        assert!(browser.text().await.contains("Why you need it: Must not be empty"), "a request needs a motivation");
        browser.fill("revealMotivation", "Our lawyer must file an appeal in her name").await;
        browser.press("Request the identity").await;
        let text = browser.text().await;
        assert!(text.contains("Your request was sent"), "{text}");
        assert!(text.contains("Waiting for a decision"), "{text}");
        let rid = str_of(&reveals_of(&coord).await[0]["id"], "reveal id");

        switch_to(&browser, &coord).await;
        browser.open("/identity").await;
        let text = browser.text().await;
        assert!(text.contains("Netherlands (NL) asked on"), "the inbox lists it: {text}");
        browser.open(&format!("/cases/{case_id}")).await;
        let text = browser.text().await;
        assert!(text.contains("From Netherlands (NL)"), "{text}");
        assert!(text.contains("Our lawyer must file an appeal in her name"), "{text}");
        browser.fill(&format!("decide-motivation-{rid}"), "For the appeal only").await;
        browser.choose(&format!("decide-days-{rid}"), "7").await;
        browser.screenshot("case-reveal-decision").await;
        browser.press("Approve").await;
        assert!(browser.text().await.contains("The request was approved"));
        let reveal = reveals_of(&coord).await[0].clone();
        assert_eq!(reveal["state"], "APPROVED");
        let expires: chrono::DateTime<chrono::Utc> =
            reveal["expiresAt"].as_str().expect("expiry").parse().expect("a time");
        let decided: chrono::DateTime<chrono::Utc> =
            reveal["decidedAt"].as_str().expect("decided").parse().expect("a time");
        let hours = (expires - decided).num_minutes();
        assert!((7 * 24 * 60 - 2..=7 * 24 * 60).contains(&hours), "7 days: {hours} minutes");

        // The partner's key holder reads it.
        switch_to(&browser, &partner).await;
        browser.open(&format!("/cases/{case_id}")).await;
        let text = browser.text().await;
        assert!(text.contains("Show the identity (revealed until"), "{text}");
        browser.open(&format!("/cases/{case_id}?identity=show")).await;
        let text = browser.text().await;
        assert!(text.contains("Ana Sealed Reyes"), "{text}");
        assert!(text.contains("Revealed to your country until"), "{text}");

        // The owner revokes; the partner no longer sees it.
        switch_to(&browser, &coord).await;
        browser.open(&format!("/cases/{case_id}")).await;
        browser.fill(&format!("revoke-motivation-{rid}"), "The appeal was filed").await;
        browser.press("Revoke").await;
        assert!(browser.text().await.contains("The reveal was revoked"));
        switch_to(&browser, &partner).await;
        browser.open(&format!("/cases/{case_id}?identity=show")).await;
        let text = browser.text().await;
        assert!(!text.contains("Ana Sealed Reyes"), "{text}");
        assert!(text.contains("Revoked"), "{text}");
        assert!(!text.contains("Show the identity"), "{text}");
        browser.close().await;
    }
}

on_both_backends! {
    async fn a_case_form_keeps_what_was_typed_when_the_country_has_no_key(app: TestApp) {
        let de_admin = plain_admin(&app, "DE").await;
        let coord = member(&app, &de_admin, "COORDINATOR", "DE").await;
        let Some(browser) = Browser::start(&app).await else { return };
        browser.open("/cases/new").await;
        browser.sign_in_as(&coord).await;
        browser.fill("pseudonym", "Defender Keyless").await;
        browser.choose("hostCountry", "PH").await;
        browser.choose("riskLevel", "HIGH").await;
        browser.choose("status", "AT_RISK").await;
        browser.tick("category-LAND_RIGHTS", true).await;
        browser.fill("legalName", "Maria Keyless").await;
        browser.press("Open the case").await;
        let text = browser.text().await;
        assert!(text.contains("no identity key yet"), "{text}");
        assert_eq!(browser.value("legalName").await, "Maria Keyless");
        assert_eq!(browser.value("pseudonym").await, "Defender Keyless");
        assert!(browser.html().await.contains(r#"aria-describedby="legalName-error""#));
        // The diplomat's view of the identity page says there is no key.
        browser.open("/identity").await;
        assert!(browser.text().await.contains("None yet"));
        browser.close().await;
    }
}
