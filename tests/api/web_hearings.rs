//! The hearings pages in real headless Chromium, JavaScript off: a
//! diplomat signs in, filters the calendar by host country and dates, pages
//! through it, claims a place, and submits then amends an observation (a
//! failed form keeps what was typed); refusals read exactly like missing
//! hearings; no page has an accessibility violation.
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::browser::page_cookie;
use crate::builders::{claimed, consent, schedule, share};
use crate::helpers::{Actor, Backend, TestApp};
use crate::on_both_backends;

/// A case of the CA coordinator hosted in `host`, with consent to share
/// and observe, shared with NL at DETAIL when `shared`.
async fn case_in(coord: &Actor, host: &str, shared: bool) -> String {
    let r = coord
        .q(
            "mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
            json!({ "i": { "pseudonym": format!("Defender {host}"), "hostCountry": host, "region": "North",
                "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK",
                "summary": "Community leader facing charges",
                "identity": { "legalName": "Hidden Legal Name", "contact": "-", "location": "-", "notes": "-" } } }),
        )
        .await;
    let id = r.data()["createCase"]["id"]
        .as_str()
        .expect("case id")
        .to_owned();
    consent(coord, &id, true).await.data();
    if shared {
        share(coord, &id, "NL", "DETAIL").await.data();
    }
    id
}

/// A hearing of `case` at `local` in `tz` with `needed` places; its id.
async fn hearing_at(coord: &Actor, case: &str, local: &str, tz: &str, needed: i32) -> String {
    let r = schedule(coord, case, local, tz, needed).await;
    r.data()["scheduleHearing"]["id"]
        .as_str()
        .expect("hearing id")
        .to_owned()
}

/// A local start `hours` from now in Asia/Manila (whole minutes).
fn manila_in_hours(hours: i64) -> String {
    let tz: chrono_tz::Tz = "Asia/Manila".parse().expect("tz");
    (Utc::now() + Duration::hours(hours))
        .with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:00")
        .to_string()
}

async fn confirmed_count(coord: &Actor, hearing: &str) -> i64 {
    let r = coord
        .q(
            "query($id: ID!) { hearing(id: $id) { confirmedCount } }",
            json!({ "id": hearing }),
        )
        .await;
    r.data()["hearing"]["confirmedCount"]
        .as_i64()
        .expect("count")
}

/// A hearing id nobody has (well formed).
fn missing_hearing() -> String {
    accord_server::domain::ids::encode(
        accord_server::domain::ids::Kind::Hearing,
        uuid::Uuid::now_v7(),
    )
}

on_both_backends! {
    async fn a_diplomat_filters_pages_claims_and_reports(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let ph = case_in(&coord, "PH", true).await;
        for day in 0..51 {
            let local = (chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("date") + Duration::days(day))
                .format("%Y-%m-%dT10:00:00")
                .to_string();
            hearing_at(&coord, &ph, &local, "Asia/Manila", 1).await;
        }
        let id_case = case_in(&coord, "ID", true).await;
        let jakarta = hearing_at(&coord, &id_case, "2027-02-15T10:00:00", "Asia/Jakarta", 2).await;
        let soon = hearing_at(&coord, &ph, &manila_in_hours(2), "Asia/Manila", 1).await;
        let private = case_in(&coord, "PH", false).await;
        let unseen = hearing_at(&coord, &private, "2027-04-01T10:00:00", "Asia/Manila", 1).await;
        let me = app.diplomat("NL").await;
        let other = app.diplomat("NL").await;
        let Some(browser) = Browser::start(&app).await else { return };

        // Signed out, the calendar sends to sign-in and back.
        browser.open("/hearings").await;
        assert!(browser.path().await.starts_with("/sign-in?next="), "{}", browser.path().await);
        browser.sign_in_as(&me).await;
        assert_eq!(browser.path().await, "/hearings");
        assert_eq!(browser.heading().await, "Hearings");
        let page = browser.text().await;
        assert!(page.contains("53 hearings in all"), "{page}");
        assert!(page.contains("Indonesia"), "{page}");
        // Court-local time with its zone, the viewer's own time beside it.
        assert!(page.contains("Monday 15 February 2027, 10:00 AM (Asia/Jakarta)"), "{page}");
        assert!(page.contains("11:00 AM your time (Asia/Manila)"), "{page}");
        assert!(!page.contains("Hidden Legal Name"));
        assert!(!page.contains("1 April 2027"), "the unshared case's hearing is not listed: {page}");
        browser.screenshot("hearings").await;
        // A full page of 50, with its stylesheet, stays under 50 KB.
        let css = app.http().get(app.url("/static/accord.css")).send().await.expect("css").text().await.expect("css");
        let weight = browser.html().await.len() + css.len();
        assert!(weight < 50_000, "a full calendar page weighs {weight} bytes");

        // The second page: the last three, by start.
        browser.click_link("Next page").await;
        assert!(browser.path().await.starts_with("/hearings?after="), "{}", browser.path().await);
        let second = browser.text().await;
        assert!(second.contains("53 hearings in all (a later page)"), "{second}");
        assert!(second.contains("Saturday 20 February 2027, 10:00 AM (Asia/Manila)"), "{second}");
        assert!(!second.contains("Next page"), "{second}");
        assert_eq!(second.matches("your time (").count(), 0, "the viewer's clock is Manila's: {second}");

        // By host country (chosen by name), then by dates (both included).
        browser.open("/hearings").await;
        browser.choose("host", "ID").await;
        browser.press("Show hearings").await;
        let by_host = browser.text().await;
        assert!(by_host.contains("1 hearing in all"), "{by_host}");
        assert!(by_host.contains("Asia/Jakarta"), "{by_host}");
        browser.open("/hearings?from=2027-01-05&to=2027-01-06").await;
        let by_days = browser.text().await;
        assert!(by_days.contains("2 hearings in all"), "{by_days}");
        assert!(by_days.contains("Tuesday 5 January 2027, 10:00 AM") && by_days.contains("Wednesday 6 January 2027, 10:00 AM"), "{by_days}");
        assert_eq!(browser.value("from").await, "2027-01-05");
        browser.open("/hearings?from=2027-13-01&host=PH").await;
        let bad = browser.text().await;
        assert!(bad.contains("Enter a date as year-month-day"), "{bad}");
        assert_eq!(browser.value("host").await, "PH", "the filter comes back as typed");

        // One hearing: claim a place (confirmed), then the other NL diplomat waits.
        browser.open(&format!("/hearings/{jakarta}")).await;
        assert_eq!(browser.heading().await, "Hearing at Regional Trial Court Branch 12, Davao");
        let before = browser.text().await;
        assert!(before.contains("0 confirmed of 2 needed: Not covered"), "{before}");
        assert!(before.contains("Indonesia"), "{before}");
        assert!(!browser.html().await.contains("Hidden Legal Name"), "the defender's name is never on the page");
        browser.press("Claim a place").await;
        assert_eq!(browser.path().await, format!("/hearings/{jakarta}?done=place-confirmed"));
        let after = browser.text().await;
        assert!(after.contains("You have a confirmed place"), "{after}");
        assert!(after.contains("1 confirmed of 2 needed: Partly covered"), "{after}");
        assert!(after.contains("(you)"), "{after}");
        assert_eq!(claimed(&other, &jakarta).await["status"], "CONFIRMED");
        browser.open(&format!("/hearings/{jakarta}")).await;
        assert!(browser.text().await.contains("2 confirmed of 2 needed: Covered"));

        // A claim refused by the rules comes back on the page with its reason.
        let clash = hearing_at(&coord, &ph, "2027-02-15T11:30:00", "Asia/Manila", 1).await;
        browser.open(&format!("/hearings/{clash}")).await;
        browser.press("Claim a place").await;
        let refused = browser.text().await;
        assert!(refused.contains("Please correct 1 problem"), "{refused}");
        assert!(refused.contains("a hearing at an overlapping time"), "{refused}");
        assert!(refused.contains("Your place\nNone"), "nothing was claimed: {refused}");

        // An observation, once the hearing has started.
        browser.open(&format!("/hearings/{soon}")).await;
        browser.press("Claim a place").await;
        assert!(browser.text().await.contains("You can report on this hearing once it has started"));
        app.advance_clock(Duration::hours(3));
        browser.open(&format!("/hearings/{soon}")).await;
        browser.fill("notes", "Court room packed; police outside").await;
        browser.press("Submit observation").await;
        let refused = browser.text().await;
        assert!(refused.contains("Please correct 2 problems"), "{refused}");
        assert!(refused.contains("Choose whether you got in"), "{refused}");
        assert_eq!(browser.value("notes").await, "Court room packed; police outside", "kept");
        browser.tick("courtroomAccess-DENIED", true).await;
        browser.choose("outcome", "HEARD").await;
        browser.choose("publicAccess", "CLOSED").await;
        browser.press("Submit observation").await;
        let refused = browser.text().await;
        assert!(refused.contains("must be ACCESS_DENIED exactly when courtroom access was DENIED"), "{refused}");
        assert_eq!(browser.value("notes").await, "Court room packed; police outside", "kept");
        assert_eq!(browser.value("publicAccess").await, "CLOSED", "kept");
        browser.choose("outcome", "ACCESS_DENIED").await;
        browser.fill("accessNote", "Turned away at the gate").await;
        browser.press("Submit observation").await;
        assert_eq!(browser.path().await, format!("/hearings/{soon}?done=observation-saved"));
        let saved = browser.text().await;
        assert!(saved.contains("Your observation was saved."), "{saved}");
        assert!(saved.contains("Access denied") && saved.contains("Turned away at the gate"), "{saved}");
        assert!(saved.contains("Amend your observation"), "{saved}");
        assert_eq!(browser.value("outcome").await, "ACCESS_DENIED", "the form holds the current content");
        // The amendment: the full corrected content, and why.
        browser.tick("courtroomAccess-GRANTED_AFTER_DELAY", true).await;
        browser.choose("outcome", "ADJOURNED").await;
        browser.tick("present-FAMILY", true).await;
        browser.tick("present-PRESS", true).await;
        browser.choose("counselAccess", "RESTRICTED").await;
        browser.choose("interpretation", "NOT_NEEDED").await;
        browser.fill("durationMinutes", "45").await;
        browser.tick("adjourned", true).await;
        browser.fill("adjournmentReason", "Prosecution witness absent").await;
        browser.fill("accessNote", "Let in after an hour").await;
        browser.fill("notes", "Let in after an hour; adjourned").await;
        browser.press("Amend observation").await;
        let refused = browser.text().await;
        assert!(refused.contains("Reason for the amendment"), "a reason is required: {refused}");
        assert_eq!(browser.value("adjournmentReason").await, "Prosecution witness absent", "kept");
        browser.fill("reason", "The clerk let me in after I had written").await;
        browser.press("Amend observation").await;
        let amended = browser.text().await;
        assert!(amended.contains("Your observation was saved."), "{amended}");
        assert!(amended.contains("Granted after a delay") && amended.contains("Family, Press"), "{amended}");
        assert!(amended.contains("Why amended: The clerk let me in after I had written"), "{amended}");
        assert!(amended.contains("The original and earlier versions (1)"), "{amended}");
        browser.screenshot("hearing").await;
        // The API shows the same observation, its original and its reason.
        let api = me
            .q("query($id: ID!) { hearing(id: $id) { observations { courtroomAccess outcome present durationMinutes adjournmentReason amendmentReason original { courtroomAccess accessNote outcome } } } }", json!({ "id": soon }))
            .await;
        let o = &api.data()["hearing"]["observations"][0];
        assert_eq!(
            o,
            &json!({ "courtroomAccess": "GRANTED_AFTER_DELAY", "outcome": "ADJOURNED", "present": ["FAMILY", "PRESS"],
                     "durationMinutes": 45, "adjournmentReason": "Prosecution witness absent",
                     "amendmentReason": "The clerk let me in after I had written",
                     "original": { "courtroomAccess": "DENIED", "accessNote": "Turned away at the gate", "outcome": "ACCESS_DENIED" } })
        );

        // A hearing the viewer may not see reads exactly like a missing one.
        browser.open(&format!("/hearings/{unseen}")).await;
        assert_eq!(browser.heading().await, "Not found");
        let invisible = browser.text().await;
        browser.open(&format!("/hearings/{}", missing_hearing())).await;
        assert_eq!(browser.text().await, invisible);
        browser.open("/hearings/not-an-id").await;
        assert_eq!(browser.text().await, invisible);
        browser.open(&format!("/hearings/{ph}")).await; // a case's id is not a hearing's
        assert_eq!(browser.text().await, invisible);
        browser.close().await;

        // Posted, too: the same refusal, nothing written.
        let http = reqwest::Client::new();
        let cookie = page_cookie(&app, &me.email).await;
        let post = |path: String, cookie: String| {
            let http = http.clone();
            let url = app.url(&path);
            async move {
                let res = http.post(url).header("cookie", cookie).header("sec-fetch-site", "same-origin").form(&[("outcome", "HEARD")]).send().await.expect("post");
                (res.status().as_u16(), res.text().await.expect("text"))
            }
        };
        let (status, body) = post(format!("/hearings/{unseen}/claim"), cookie.clone()).await;
        assert_eq!(status, 404, "{body}");
        let (missing_status, missing_body) = post(format!("/hearings/{}/claim", missing_hearing()), cookie.clone()).await;
        assert_eq!((missing_status, missing_body), (status, body));
        assert_eq!(confirmed_count(&coord, &unseen).await, 0);

        // A liaison may not claim: refused, nothing written.
        let liaison = app.liaison().await;
        let liaison_cookie = page_cookie(&app, &liaison.email).await;
        let (status, body) = post(format!("/hearings/{jakarta}/claim"), liaison_cookie.clone()).await;
        assert_eq!(status, 404, "{body}");
        assert!(body.contains("NOT_FOUND"), "{body}");
        let (status, _) = post(format!("/hearings/{jakarta}/observation"), liaison_cookie).await;
        assert_eq!(status, 404);
        let roster: Value = coord
            .q("query($id: ID!) { hearing(id: $id) { claims { country } } }", json!({ "id": jakarta }))
            .await
            .data()["hearing"]["claims"]
            .clone();
        assert_eq!(roster.as_array().map(Vec::len), Some(2), "{roster}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_diplomat_pages_have_no_accessibility_violations() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let coord = app.user("COORDINATOR", "CA").await;
    let ph = case_in(&coord, "PH", true).await;
    let later = hearing_at(&coord, &ph, "2027-03-01T09:30:00", "Asia/Manila", 1).await;
    let soon = hearing_at(&coord, &ph, &manila_in_hours(2), "Asia/Manila", 1).await;
    let me = app.diplomat("NL").await;
    let other = app.diplomat("NL").await;
    claimed(&me, &later).await;
    claimed(&other, &later).await; // waitlisted: the roster has both kinds
    claimed(&me, &soon).await;
    app.advance_clock(Duration::hours(3));
    let Some(browser) = Browser::start_for_audit(&app).await else {
        return;
    };
    browser.open("/sign-in").await;
    browser.sign_in_as(&me).await;
    let clean =
        |what: String, found: Vec<String>| assert_eq!(found, Vec::<String>::new(), "{what}");
    for path in [
        "/roster".to_owned(),
        "/hearings".to_owned(),
        "/hearings?from=nope".to_owned(),
        format!("/hearings/{later}"),
        format!("/hearings/{soon}"),
    ] {
        browser.open(&path).await;
        clean(path, browser.accessibility_violations().await);
    }
    // The observation form with its errors shown.
    browser.open(&format!("/hearings/{soon}")).await;
    browser.press("Submit observation").await;
    assert!(browser.text().await.contains("Please correct 2 problems"));
    clean(
        "the refused observation".into(),
        browser.accessibility_violations().await,
    );
    // The feed's answer page.
    browser.open("/roster").await;
    browser.press("Make my feed address").await;
    clean(
        "the feed page".into(),
        browser.accessibility_violations().await,
    );
    browser.open("/roster").await;
    clean(
        "/roster with a feed".into(),
        browser.accessibility_violations().await,
    );
    browser.close().await;
}

on_both_backends! {
    async fn the_hearing_pages_read_in_french_and_spanish(app: TestApp) {
        use crate::assessments::{assessor_of, claimed_hearing, observe, write};
        use crate::builders::{observed_case, schedule};
        use crate::handover::offer;
        use crate::in_language::{assert_no_english_left, page_in};

        let (coord, case) = observed_case(&app).await;
        let later = schedule(&coord, &case, "2027-03-01T09:30:00", "Asia/Manila", 2).await;
        let later = later.data()["scheduleHearing"]["id"].as_str().expect("hearing id").to_owned();
        let nl = app.diplomat("NL").await;
        let soon = claimed_hearing(&coord, &case, &nl).await;
        claimed(&nl, &later).await;
        offer(&nl, &later, None).await.data();
        app.advance_clock(Duration::days(3));
        let observation = observe(&nl, &soon).await;
        let assessor = assessor_of(&app, "CA").await;
        let reasoning = "Counsel was kept out of the courtroom.";
        write(&assessor, &case, None, "D", reasoning, &[observation.as_str()]).await.data();

        let nl_cookie = page_cookie(&app, &nl.email).await;
        let assessor_cookie = page_cookie(&app, &assessor.email).await;
        let hearing = format!("/hearings/{soon}");
        let assessment = format!("/cases/{case}/assessment");
        let pages: [(&str, &str, [&str; 3], [&str; 3]); 4] = [
            ("/hearings", nl_cookie.as_str(),
                ["Audiences", "audiences au total", "lundi 1er mars 2027, 09:30 (Asia/Manila)"],
                ["Audiencias", "audiencias en total", "lunes, 1 de marzo de 2027, 09:30 (Asia/Manila)"]),
            (hearing.as_str(), nl_cookie.as_str(),
                ["Modifier votre observation", "Accès à la salle d'audience", "Affaire entendue"],
                ["Modificar su observación", "Acceso a la sala", "Vista celebrada"]),
            ("/roster", nl_cookie.as_str(),
                ["Ma liste d'observation", "Vous l'avez proposée à toute personne pouvant réserver", "lundi 1er mars 2027, 09:30 (Asia/Manila)"],
                ["Mi turno de observación", "Lo ofreció a cualquier persona que pueda reservar", "lunes, 1 de marzo de 2027, 09:30 (Asia/Manila)"]),
            (assessment.as_str(), assessor_cookie.as_str(),
                ["Note D", "PIDCP, article 14 (procès équitable)", "Violations des normes internationales"],
                ["Calificación D", "PIDCP, artículo 14 (juicio justo)", "Violaciones de las normas internacionales"]),
        ];
        for (path, cookie, french, spanish) in pages {
            for (lang, phrases) in [("fr", french), ("es", spanish)] {
                let html = page_in(&app, cookie, path, lang).await;
                assert!(html.contains(&format!("lang=\"{lang}\"")), "{path} in {lang}: {html}");
                let text = crate::in_language::visible_text(&html);
                for phrase in phrases {
                    assert!(text.contains(phrase), "{path} in {lang} lacks {phrase:?}: {text}");
                }
            }
        }

        // In the pseudo-language nothing is English but what the test typed
        // (and the names of countries, which come from the ISO list).
        // Longest first: "Guinea-Bissau" is scrubbed before "Guinea".
        let mut countries: Vec<&str> = isocountry::CountryCode::iter().map(|c| c.name()).collect();
        countries.sort_by_key(|name| std::cmp::Reverse(name.len()));
        let mut data = vec![
            "Regional Trial Court Branch 12", "Davao", "Public gallery closed", reasoning,
            "Test User", "Defender T",
        ];
        data.extend(countries);
        for (path, cookie) in [
            ("/hearings", &nl_cookie),
            (hearing.as_str(), &nl_cookie),
            ("/roster", &nl_cookie),
            (assessment.as_str(), &assessor_cookie),
        ] {
            assert_no_english_left(&app, cookie, path, &data).await;
        }
    }
}
