//! The web client's administration in headless Chromium, JavaScript off: an
//! admin creates a user (a mistake comes back beside its field), deactivates
//! them (their open page session is refused at once) and reactivates them,
//! convenes a coalition and adds and removes a country, and finds each of
//! those events in the audit log.
use fantoccini::Locator;
use reqwest::header::LOCATION;
use serde_json::json;

use crate::browser::Browser;
use crate::browser::{no_redirects, page_cookie};
use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::on_both_backends;

const COALITION: &str = "Manila like-minded group";

/// The status of `GET /account` with `cookie` (200: the session holds).
async fn account_status(app: &TestApp, cookie: &str) -> (u16, String) {
    let res = no_redirects()
        .get(app.url("/account"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    let to = res
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (res.status().as_u16(), to)
}

/// The coalition's member countries, as the API shows the admin.
async fn members(admin: &crate::helpers::Actor) -> serde_json::Value {
    let r = admin
        .q(
            "{ coalitions { edges { node { name members } } } }",
            json!({}),
        )
        .await;
    r.data()["coalitions"]["edges"][0]["node"]["members"].clone()
}

on_both_backends! {
    async fn an_admin_manages_users_and_coalitions_and_reads_the_audit_log(app: TestApp) {
        let admin = app.admin("CA").await;
        app.diplomat("NL").await;
        app.diplomat("DE").await;
        let Some(browser) = Browser::start(&app).await else { return };
        browser.open("/admin/users").await;
        browser.sign_in_as(&admin).await;
        assert_eq!(browser.path().await, "/admin/users");
        assert_eq!(browser.heading().await, "Users of the Canada missions");

        // A mistake comes back beside its field, the rest as typed (never
        // the password).
        browser.fill("displayName", "Ana Observer").await;
        browser.fill("email", "not an email").await;
        browser.fill("password", PASSWORD).await;
        browser.choose("role", "COORDINATOR").await;
        let mission = app.mission("CA").await;
        browser.choose("missionId", &mission).await;
        browser.press("Add the user").await;
        let page = browser.text().await;
        assert!(page.contains("Please correct 1 problem"), "{page}");
        assert!(browser.html().await.contains(r#"aria-describedby="email-error""#));
        assert_eq!(browser.value("displayName").await, "Ana Observer");
        assert_eq!(browser.value("email").await, "not an email");
        assert_eq!(browser.value("password").await, "");
        assert_eq!(browser.value("role").await, "COORDINATOR");
        assert_eq!(browser.value("missionId").await, mission);
        browser.fill("email", "ana.observer@test.example").await;
        browser.fill("password", PASSWORD).await;
        browser.press("Add the user").await;
        let page = browser.text().await;
        assert!(page.contains("The user was created."), "{page}");
        assert!(page.contains("ana.observer@test.example"), "{page}");
        browser.screenshot("admin-users").await;

        // Ana has a page open; deactivating her refuses it at once.
        let ana = page_cookie(&app, "ana.observer@test.example").await;
        assert_eq!(account_status(&app, &ana).await.0, 200);
        browser.press("Deactivate Ana Observer").await;
        let page = browser.text().await;
        assert!(page.contains("The user is deactivated"), "{page}");
        assert!(page.contains("Deactivated"), "{page}");
        let (status, to) = account_status(&app, &ana).await;
        assert_eq!(status, 303, "her session is over");
        assert!(to.starts_with("/sign-in"), "{to}");
        app.login_raw("ana.observer@test.example", PASSWORD)
            .await
            .assert_code("UNAUTHENTICATED");
        browser.press("Reactivate Ana Observer").await;
        assert!(browser.text().await.contains("The user is active again"));
        app.login("ana.observer@test.example", PASSWORD).await;

        // A coalition: a mistake kept, then created with the Netherlands.
        browser.open("/admin/coalitions").await;
        assert_eq!(browser.heading().await, "Coalitions");
        browser.tick("members-NL", true).await;
        browser.press("Create the coalition").await;
        assert!(browser.text().await.contains("Please correct 1 problem"));
        assert!(browser.html().await.contains("aria-invalid=\"true\""));
        assert_eq!(browser.client.find(Locator::Id("members-NL")).await.expect("box")
            .prop("checked").await.expect("checked").as_deref(), Some("true"));
        browser.fill("name", COALITION).await;
        browser.choose("hostCountry", "PH").await;
        browser.press("Create the coalition").await;
        let page = browser.text().await;
        assert!(page.contains("The coalition was created."), "{page}");
        assert_eq!(members(&admin).await, json!(["CA", "NL"]));
        // Add Germany, then remove the Netherlands.
        let add = browser
            .client
            .find(Locator::Css("select[id^='add-']"))
            .await
            .expect("the add list");
        add.select_by_value("DE").await.expect("Germany offered");
        browser.press(&format!("Add the country to {COALITION}")).await;
        assert!(browser.text().await.contains("The country was added to the coalition."));
        assert_eq!(members(&admin).await, json!(["CA", "DE", "NL"]));
        browser.press(&format!("Remove Netherlands from {COALITION}")).await;
        assert!(browser.text().await.contains("The country was removed from the coalition."));
        assert_eq!(members(&admin).await, json!(["CA", "DE"]));
        assert!(!browser.html().await.contains("Remove<span class=\"visually-hidden\"> Canada"), "the convener stays");

        // The audit log has each of these, newest first, and filters.
        browser.open("/admin/audit").await;
        assert_eq!(browser.heading().await, "Audit log");
        let page = browser.text().await;
        for action in [
            "USER_CREATED",
            "USER_DEACTIVATED",
            "USER_REACTIVATED",
            "COALITION_CREATED",
            "COALITION_MEMBER_ADDED",
            "COALITION_MEMBER_REMOVED",
        ] {
            assert!(page.contains(action), "{action} missing:\n{page}");
        }
        let removed = page.find("COALITION_MEMBER_REMOVED").expect("removed");
        let created = page.find("USER_CREATED").expect("created");
        assert!(removed < created, "newest first");
        browser.screenshot("audit").await;
        // The actions are chosen from every one Accord records, not typed.
        let html = browser.html().await;
        assert!(
            html.contains(r#"<option value="STATEMENT_DEADLINE_REMINDED">Statement deadline reminded</option>"#),
            "{html}"
        );
        browser.choose("action", "USER_DEACTIVATED").await;
        browser.press("Filter").await;
        assert_eq!(browser.value("action").await, "USER_DEACTIVATED", "the filter stays chosen");
        let page = browser.text().await;
        assert!(page.contains("1 event."), "{page}");
        assert!(page.contains("USER_DEACTIVATED"));
        assert!(!page.contains("USER_CREATED"));
        browser.close().await;
    }

    async fn the_admin_pages_refuse_other_roles(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        for path in ["/admin/users", "/admin/audit"] {
            let res = no_redirects()
                .get(app.url(path))
                .header("cookie", &cookie)
                .send()
                .await
                .expect("page");
            assert_eq!(res.status().as_u16(), 403, "{path}");
            let text = res.text().await.expect("text");
            assert!(text.contains("Your role does not allow this."), "{path}: {text}");
        }
        // A diplomat's country convenes nothing: no create form, nothing to change.
        let res = no_redirects()
            .get(app.url("/admin/coalitions"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("page");
        let text = res.text().await.expect("text");
        assert!(!text.contains("Create the coalition"), "{text}");
        let res = no_redirects()
            .post(app.url("/admin/coalitions"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .form(&[("name", "Mine"), ("hostCountry", "PH")])
            .send()
            .await
            .expect("refused");
        assert_eq!(res.status().as_u16(), 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_pages_have_no_accessibility_violations() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let admin = app.admin("CA").await;
    app.diplomat("CA").await;
    app.diplomat("NL").await;
    admin
        .q(
            "mutation { createCoalition(input: { name: \"Group\", hostCountry: \"PH\", members: [\"NL\"] }) { id } }",
            json!({}),
        )
        .await
        .data();
    let Some(browser) = Browser::start_for_audit(&app).await else {
        return;
    };
    browser.open("/sign-in").await;
    browser.sign_in_as(&admin).await;
    browser.open("/admin/users").await;
    browser.assert_accessible("/admin/users").await;
    browser.assert_small("/admin/users").await;
    browser.press("Add the user").await;
    assert!(browser.text().await.contains("Please correct"));
    browser
        .assert_accessible("/admin/users with an error")
        .await;
    browser.open("/admin/coalitions").await;
    browser.assert_small("/admin/coalitions").await;
    browser.assert_accessible("/admin/coalitions").await;
    browser.press("Create the coalition").await;
    assert!(browser.text().await.contains("Please correct"));
    browser
        .assert_accessible("/admin/coalitions with an error")
        .await;
    browser.open("/admin/audit").await;
    browser.assert_accessible("/admin/audit").await;
    browser.close().await;
}

/// What the audit page quotes as recorded (object ids, details): data, not
/// sentences.
async fn audit_data(admin: &crate::helpers::Actor) -> Vec<String> {
    let r = admin
        .q(
            "{ auditEvents(first: 50) { edges { node { objectId detail } } } }",
            json!({}),
        )
        .await;
    let mut data = Vec::new();
    for e in r.data()["auditEvents"]["edges"].as_array().expect("edges") {
        for field in ["objectId", "detail"] {
            if let Some(text) = e["node"][field].as_str() {
                data.push(text.to_owned());
            }
        }
    }
    data
}

on_both_backends! {
    async fn the_admin_and_identity_pages_read_in_french_and_spanish(app: TestApp) {
        use crate::in_language::{assert_no_english_left, page_in};
        let admin = app.admin("CA").await;
        app.diplomat("NL").await;
        let coordinator = app.user("COORDINATOR", "CA").await;
        admin
            .q(
                "mutation($i: CreateCoalitionInput!) { createCoalition(input: $i) { id } }",
                json!({ "i": { "name": COALITION, "hostCountry": "PH", "members": ["NL"] } }),
            )
            .await
            .data();
        let cookie = page_cookie(&app, &admin.email).await;
        let coordinator_cookie = page_cookie(&app, &coordinator.email).await;

        // Each page, with a phrase of its own in French and in Spanish.
        let pages: [(&str, &str, &str, &str); 4] = [
            ("/admin/users", &cookie, "Désactiver", "Desactivar"),
            ("/admin/coalitions", &cookie, "Réunir une nouvelle coalition", "Convocar una nueva coalición"),
            ("/admin/audit", &cookie, "Journal d'audit", "Registro de auditoría"),
            ("/identity", &cookie, "toutes les identités de votre pays sont perdues définitivement", "todas las identidades de su país se pierden para siempre"),
        ];
        let coordinator_page = ("/identity", coordinator_cookie.as_str(), "Détenez la clé", "Tiene la clave");
        for (path, who, fr, es) in pages.into_iter().chain([coordinator_page]) {
            let html = page_in(&app, who, path, "fr").await;
            assert!(html.contains("lang=\"fr\""), "{path} is not in French");
            let html = html.replace("&#39;", "'").replace("&#x27;", "'");
            assert!(html.contains(fr), "{path} in French lacks {fr:?}:\n{html}");
            let html = page_in(&app, who, path, "es").await;
            assert!(html.contains("lang=\"es\""), "{path} is not in Spanish");
            assert!(html.contains(es), "{path} in Spanish lacks {es:?}:\n{html}");
        }

        // Read in the pseudo-language, nothing is left in English but what
        // the test typed and the data the pages quote: names, missions,
        // countries (the lists offer every one), the audit's record.
        let mut data: Vec<String> = vec![
            "Test User".into(),
            "Embassy of".into(),
            "Manila".into(),
            COALITION.into(),
            admin.email.clone(),
            coordinator.email.clone(),
        ];
        data.extend(
            isocountry::CountryCode::as_array()
                .iter()
                .map(|c| c.name().to_owned()),
        );
        data.extend(audit_data(&admin).await);
        // The longest first, so a name inside another is not cut out of it.
        data.sort_by_key(|d| std::cmp::Reverse(d.len()));
        let data: Vec<&str> = data.iter().map(String::as_str).collect();
        for path in ["/admin/users", "/admin/coalitions", "/admin/audit", "/identity"] {
            assert_no_english_left(&app, &cookie, path, &data).await;
        }
        assert_no_english_left(&app, &coordinator_cookie, "/identity", &data).await;

        // The page showing a new recovery key once, answering the POST.
        for (lang, phrase) in [
            ("fr", "Notez-la maintenant, sur papier"),
            ("es", "Anótela ahora, en papel"),
            ("en-XA", ""),
        ] {
            let res = no_redirects()
                .post(app.url("/identity/rotate"))
                .header("cookie", &cookie)
                .header("sec-fetch-site", "same-origin")
                .header("accept-language", lang)
                .form(&[("acknowledge", "true")])
                .send()
                .await
                .expect("rotate");
            assert_eq!(res.status().as_u16(), 200);
            let html = res.text().await.expect("body");
            assert!(html.contains(&format!("lang=\"{lang}\"")), "{html}");
            assert!(html.contains(phrase), "{lang}: {html}");
            if lang == "en-XA" {
                let text = crate::in_language::visible_text(&html);
                let left = accord_server::i18n::untranslated_words(&text, &data);
                assert!(left.is_empty(), "the new key page has English left: {left:?}");
            }
        }
    }
}
