//! The coordinator's cases and hearings pages in headless Chromium,
//! JavaScript off: open a case (a failed attempt keeps its text), record
//! consent, share and unshare, schedule and change a hearing, see it among
//! the coverage gaps; what another country sees of the case, compared field
//! by field with what the API returns to the same person; the refusals; and
//! no accessibility violation on any of these pages.
use accord_server::domain::CountryCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::browser::page_cookie;
use crate::builders::{
    acknowledge, consent, link, manila_in, open_case, read_case, row_uuid, schedule, share,
    submitted,
};
use crate::helpers::{Actor, Backend, TestApp};
use crate::in_language::{assert_no_english_left, page_in, visible_text};
use crate::on_both_backends;

/// "Netherlands (NL)", as the pages name a country.
fn country(code: &str) -> String {
    let name = CountryCode::parse("country", code)
        .expect("a country")
        .name();
    format!("{name} ({code})")
}

/// The case's global id from a case page's path.
fn case_id_of(path: &str) -> String {
    path.trim_start_matches("/cases/")
        .split(['?', '/'])
        .next()
        .expect("an id")
        .to_owned()
}

/// The hearings of a case through the API, as `by` sees them.
async fn hearings_of(by: &Actor, case_id: &str) -> Vec<Value> {
    let r = by
        .q(
            "query($c: ID!) { hearings(filter: { caseId: $c }) { edges { node { id court status observersNeeded localStart timezone } } } }",
            json!({ "c": case_id }),
        )
        .await;
    r.data()["hearings"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// How a text the owner typed must stand on `by`'s page.
enum Expect {
    /// The API returns it to `by`: the page shows it.
    Shown,
    /// The API returns it, but the page opens it only on request (the
    /// defender's identity, read through the audited path).
    OnRequest,
    /// The API withholds it from `by`: it is nowhere in the page's HTML.
    Absent,
}

/// What the API returns `by` of the case, field by field, against the
/// owner's full view: each text paired with how the page must show it.
async fn api_fields(by: &Actor, case_id: &str, owner_view: &Value) -> Vec<(String, Expect)> {
    let seen = read_case(by, case_id).await;
    // The owner country's non-custodian reads the case, its identity locked.
    let locked = seen.body["errors"]
        .as_array()
        .is_some_and(|errors| !errors.is_empty());
    let seen = if locked {
        seen.assert_code("IDENTITY_LOCKED");
        assert_eq!(
            seen.body["errors"].as_array().map(Vec::len),
            Some(1),
            "{}",
            seen.body
        );
        &seen.body["data"]["case"]
    } else {
        &seen.data()["case"]
    };
    let mut fields = Vec::new();
    for path in [
        &["pseudonym"][..],
        &["region"],
        &["summary"],
        &["identity", "legalName"],
        &["identity", "contact"],
        &["identity", "location"],
        &["identity", "notes"],
    ] {
        let pick = |v: &Value| path.iter().fold(v.clone(), |v, k| v[*k].clone());
        let Some(value) = pick(owner_view).as_str().map(str::to_owned) else {
            continue;
        };
        let expect = match (pick(seen).is_string(), path[0] == "identity") {
            (false, _) => Expect::Absent,
            (true, false) => Expect::Shown,
            (true, true) => Expect::OnRequest,
        };
        fields.push((value, expect));
    }
    let shown = |returned: bool| {
        if returned {
            Expect::Shown
        } else {
            Expect::Absent
        }
    };
    fields.push((
        "The defender's consent".to_owned(),
        shown(!seen["consent"].is_null()),
    ));
    fields.push(("Shared with".to_owned(), shown(!seen["shares"].is_null())));
    // Locked, the page may still offer the link: what it opens is checked
    // by the caller (no identity behind it).
    if !locked {
        fields.push((
            "Show the defender's identity".to_owned(),
            shown(!seen["identity"].is_null()),
        ));
    }
    fields
}

/// Every field the API withholds from `by` is absent from the page's HTML,
/// and every one it returns is on the page (the identity behind its link).
async fn assert_page_matches_api(
    browser: &Browser,
    by: &Actor,
    case_id: &str,
    owner_view: &Value,
    what: &str,
) {
    let html = browser.html().await;
    for (value, expect) in api_fields(by, case_id, owner_view).await {
        match expect {
            Expect::Shown => assert!(
                html.contains(&value),
                "{what}: the API returns {value:?}, the page lacks it"
            ),
            Expect::OnRequest => assert!(
                !html.contains(&value),
                "{what}: {value:?} is shown before it is asked for"
            ),
            Expect::Absent => assert!(
                !html.contains(&value),
                "{what}: the page shows {value:?}, which the API withholds"
            ),
        }
    }
}

on_both_backends! {
    async fn a_case_shared_with_a_coalition_is_seen_by_its_members_only(app: TestApp) {
        let admin = app.admin("CA").await;
        let group = admin
            .q("mutation { createCoalition(input: { name: \"Observers group\", hostCountry: \"PH\", members: [\"NL\"] }) { id } }", json!({}))
            .await;
        let group = group.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        let coord = app.user("COORDINATOR", "CA").await;
        let member = app.user("COORDINATOR", "NL").await;
        let outsider = app.user("COORDINATOR", "DE").await;
        let case = open_case(&coord, "Defender Group", "Ana Group Reyes").await;
        let case_id = case["id"].as_str().expect("id").to_owned();
        consent(&coord, &case_id, true).await.data();
        let Some(browser) = Browser::start(&app).await else { return };
        let missing = accord_server::domain::ids::encode(accord_server::domain::ids::Kind::Case, uuid::Uuid::now_v7());
        // What a missing case reads like for `who`, to compare refusals with.
        let not_found = async |who: &Actor| {
            browser.open("/cases").await;
            browser.press("Sign out").await;
            browser.sign_in_as(who).await;
            browser.open(&format!("/cases/{missing}")).await;
            assert_eq!(browser.heading().await, "Not found");
            browser.text().await
        };

        // The owner shares with the coalition at DETAIL through the page.
        browser.open(&format!("/cases/{case_id}")).await;
        browser.sign_in_as(&coord).await;
        browser.choose("shareTo", &format!("coalition:{group}")).await;
        browser.choose("shareLevel", "DETAIL").await;
        browser.press("Share").await;
        let text = browser.text().await;
        assert!(text.contains("The case is shared"), "{text}");
        assert!(text.contains("Coalition: Observers group"), "{text}");
        let owner_view = read_case(&coord, &case_id).await.data()["case"].clone();
        assert_eq!(owner_view["shares"][0]["coalition"]["id"], group.as_str());
        assert_eq!(owner_view["shares"][0]["level"], "DETAIL");
        let reference = owner_view["reference"].as_str().expect("reference").to_owned();

        // A member country's coordinator sees it as the API shows them.
        let missing_for_member = not_found(&member).await;
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.heading().await, format!("Case {reference}: Defender Group"));
        assert_page_matches_api(&browser, &member, &case_id, &owner_view, "a member at DETAIL").await;
        browser.open("/cases").await;
        assert!(browser.text().await.contains(&reference));

        // A non-member gets the page a missing case gets, as from the API.
        read_case(&outsider, &case_id).await.assert_code("NOT_FOUND");
        let missing_for_outsider = not_found(&outsider).await;
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.text().await, missing_for_outsider, "a non-member reads it as missing");
        browser.open("/cases").await;
        assert!(!browser.text().await.contains(&reference));

        // Unshared from the coalition: the member gets NOT_FOUND too.
        not_found(&coord).await;
        browser.open(&format!("/cases/{case_id}")).await;
        browser.press("Stop sharing with Coalition: Observers group").await;
        let text = browser.text().await;
        assert!(text.contains("The case is no longer shared there"), "{text}");
        assert!(text.contains("Nobody: only your country sees this case"), "{text}");
        read_case(&member, &case_id).await.assert_code("NOT_FOUND");
        assert_eq!(not_found(&member).await, missing_for_member);
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.text().await, missing_for_member, "unshared reads exactly as missing");
        browser.open("/cases").await;
        assert!(!browser.text().await.contains(&reference));
        browser.close().await;
    }
}

on_both_backends! {
    async fn a_coordinator_opens_shares_and_schedules_through_the_pages(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let nl = app.user("COORDINATOR", "NL").await;
        let Some(browser) = Browser::start(&app).await else { return };

        // Open a case: a failed attempt comes back with everything typed.
        browser.open("/cases").await;
        browser.sign_in_as(&coord).await;
        assert_eq!(browser.heading().await, "Cases");
        browser.click_link("Open a new case").await;
        assert_eq!(browser.path().await, "/cases/new");
        browser.choose("hostCountry", "PH").await;
        browser.fill("region", "Mindanao").await;
        browser.choose("riskLevel", "HIGH").await;
        browser.choose("status", "AT_RISK").await;
        browser.fill("summary", "Community leader charged after a peaceful protest").await;
        browser.fill("legalName", "Maria Web Santos").await;
        browser.fill("contact", "+63 900 111 2222").await;
        browser.press("Open the case").await;
        let text = browser.text().await;
        assert!(text.contains("Please correct 1 problem"), "{text}");
        assert!(text.contains("Pseudonym: Must not be empty"), "{text}");
        assert_eq!(browser.value("summary").await, "Community leader charged after a peaceful protest");
        assert_eq!(browser.value("legalName").await, "Maria Web Santos");
        assert_eq!(browser.value("region").await, "Mindanao");
        assert_eq!(browser.value("hostCountry").await, "PH");
        assert_eq!(browser.value("riskLevel").await, "HIGH");
        let html = browser.html().await;
        assert!(html.contains(r#"aria-describedby="pseudonym-error""#), "the error is tied to its field");
        browser.fill("pseudonym", "Defender Web").await;
        browser.press("Open the case").await;
        assert!(browser.text().await.contains("Must name at least one category"));
        assert_eq!(browser.value("pseudonym").await, "Defender Web");
        browser.tick("category-LAND_RIGHTS", true).await;
        browser.tick("category-INDIGENOUS", true).await;
        browser.press("Open the case").await;
        let path = browser.path().await;
        assert!(path.starts_with("/cases/") && path.ends_with("?done=case-created"), "{path}");
        let case_id = case_id_of(&path);
        let text = browser.text().await;
        assert!(text.contains("The case was opened"), "{text}");
        assert!(text.contains("Defender Web") && text.contains("Land rights"), "{text}");
        assert!(!text.contains("Maria Web Santos"), "the identity is shown only on request");
        let owner_view = read_case(&coord, &case_id).await.data()["case"].clone();
        assert_eq!(owner_view["identity"]["legalName"], "Maria Web Santos");
        assert_eq!(owner_view["categories"], json!(["LAND_RIGHTS", "INDIGENOUS"]));
        browser.click_link("Show the defender's identity").await;
        assert!(browser.text().await.contains("Maria Web Santos"));

        // Sharing before consent: the API's refusal as a sentence, beside the form.
        browser.open(&format!("/cases/{case_id}")).await;
        browser.choose("shareTo", "NL").await;
        browser.choose("shareLevel", "SUMMARY").await;
        browser.press("Share").await;
        let text = browser.text().await;
        assert!(text.contains("The defender's consent does not cover this"), "{text}");
        assert_eq!(browser.value("shareTo").await, "NL", "the choice is kept");
        assert!(read_case(&coord, &case_id).await.data()["case"]["shares"].as_array().expect("shares").is_empty());

        // Consent, then share with NL at SUMMARY.
        browser.tick("shareWithPartners", true).await;
        browser.tick("trialObservation", true).await;
        browser.choose("givenBy", "DEFENDER").await;
        browser.press("Record consent").await;
        assert!(browser.text().await.contains("The defender's consent was recorded"));
        browser.choose("shareTo", "NL").await;
        browser.choose("shareLevel", "SUMMARY").await;
        browser.press("Share").await;
        let text = browser.text().await;
        assert!(text.contains("The case is shared"), "{text}");
        assert!(text.contains(&country("NL")), "{text}");
        let owner_view = read_case(&coord, &case_id).await.data()["case"].clone();
        assert_eq!(owner_view["shares"][0]["level"], "SUMMARY");
        let reference = owner_view["reference"].as_str().expect("reference").to_owned();

        // A hearing: a failed attempt keeps its text, then scheduled.
        browser.click_link("Schedule a hearing").await;
        assert_eq!(browser.heading().await, "Schedule a hearing");
        let start = manila_in(5);
        let (date, _) = start.split_once('T').expect("date and time");
        browser.fill("court", "Regional Trial Court Branch 7").await;
        browser.fill("city", "Davao").await;
        browser.fill("date", "2027-02-30").await;
        browser.fill("time", "09:30").await;
        browser.choose("timezone", "Asia/Manila").await;
        browser.fill("observers", "2").await;
        browser.press("Schedule the hearing").await;
        let text = browser.text().await;
        assert!(text.contains("Must be a local date and time"), "{text}");
        assert_eq!(browser.value("court").await, "Regional Trial Court Branch 7");
        assert_eq!(browser.value("timezone").await, "Asia/Manila");
        browser.fill("date", date).await;
        browser.press("Schedule the hearing").await;
        let text = browser.text().await;
        assert!(text.contains("The hearing was scheduled"), "{text}");
        assert!(text.contains("Regional Trial Court Branch 7"), "{text}");
        assert!(text.contains("9:30 AM (Asia/Manila)"), "court-local time with its zone: {text}");
        assert!(text.contains("0 of 2 confirmed"), "{text}");
        let hearings = hearings_of(&coord, &case_id).await;
        assert_eq!(hearings.len(), 1);
        let hearing_id = hearings[0]["id"].as_str().expect("id").to_owned();
        assert_eq!(hearings[0]["localStart"], format!("{date}T09:30:00"));

        // Change it: postpone, then schedule again with three observers.
        browser.open(&format!("/hearings/{hearing_id}/edit")).await;
        assert_eq!(browser.value("court").await, "Regional Trial Court Branch 7");
        assert_eq!(browser.value("time").await, "09:30");
        browser.choose("status", "POSTPONED").await;
        browser.press("Save the changes").await;
        assert!(browser.text().await.contains("The hearing was updated"));
        assert_eq!(hearings_of(&coord, &case_id).await[0]["status"], "POSTPONED");
        browser.open(&format!("/hearings/{hearing_id}/edit")).await;
        browser.fill("observers", "seven").await;
        browser.press("Save the changes").await;
        assert!(browser.text().await.contains("Enter a whole number"));
        assert_eq!(browser.value("observers").await, "seven");
        browser.choose("status", "SCHEDULED").await;
        browser.fill("observers", "3").await;
        browser.fill("time", "10:15").await;
        browser.press("Save the changes").await;
        assert!(browser.text().await.contains("The hearing was updated"));
        let now = &hearings_of(&coord, &case_id).await[0];
        assert_eq!(now["status"], "SCHEDULED");
        assert_eq!(now["observersNeeded"], 3);
        assert_eq!(now["localStart"], format!("{date}T10:15:00"));

        // The coverage gaps list it, linked to its page.
        browser.open("/coverage").await;
        assert_eq!(browser.heading().await, "Coverage gaps");
        let text = browser.text().await;
        assert!(text.contains(&country("PH")), "{text}");
        assert!(text.contains("Regional Trial Court Branch 7") && text.contains("0 of 3 confirmed"), "{text}");
        assert!(text.contains("No observer yet") && text.contains(&reference), "{text}");
        assert!(browser.html().await.contains(&format!("/hearings/{hearing_id}")));

        // The weekly digest of those gaps: the coordinator picks its day.
        browser.open("/account").await;
        assert_eq!(browser.value("digestDay").await, "MONDAY");
        browser.choose("digestDay", "THURSDAY").await;
        // The second "Save": the first is the language and time zone's.
        browser.button("Save", 1).await;
        assert!(browser.text().await.contains("Your coverage digest setting was saved"));
        assert_eq!(browser.value("digestDay").await, "THURSDAY");
        let me = coord.q("{ me { coverageDigest } }", json!({})).await;
        assert_eq!(me.data()["me"]["coverageDigest"], "THURSDAY");

        // NL sees the case as the API shows NL: at SUMMARY, no pseudonym,
        // region, summary, identity, consent or shares.
        browser.press("Sign out").await;
        browser.sign_in_as(&nl).await;
        browser.open("/cases").await;
        let text = browser.text().await;
        assert!(text.contains(&reference) && text.contains("1 case you may see"), "{text}");
        assert!(!browser.html().await.contains("Defender Web"), "the list shows what the API shows");
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.heading().await, format!("Case {reference}"));
        assert_page_matches_api(&browser, &nl, &case_id, &owner_view, "NL at SUMMARY").await;
        assert!(!browser.text().await.contains("Regional Trial Court"), "no hearing at SUMMARY");

        // At DETAIL NL reads the details and the hearing, still no identity.
        share(&coord, &case_id, "NL", "DETAIL").await.data();
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.heading().await, format!("Case {reference}: Defender Web"));
        assert_page_matches_api(&browser, &nl, &case_id, &owner_view, "NL at DETAIL").await;
        assert!(browser.text().await.contains("Regional Trial Court Branch 7"));
        // A hearing NL sees but may not manage: the API's refusal.
        browser.open(&format!("/hearings/{hearing_id}/edit")).await;
        assert_eq!(browser.heading().await, "Not allowed");
        browser.open(&format!("/cases/{case_id}/hearings/new")).await;
        assert_eq!(browser.heading().await, "Not allowed");

        // The owner's own page matches the API too.
        browser.open("/cases").await;
        browser.press("Sign out").await;
        browser.sign_in_as(&coord).await;
        browser.open(&format!("/cases/{case_id}")).await;
        assert_page_matches_api(&browser, &coord, &case_id, &owner_view, "the owner").await;

        // Unshare: NL gets the page a missing case gets.
        browser.press(&format!("Stop sharing with {}", country("NL"))).await;
        let text = browser.text().await;
        assert!(text.contains("The case is no longer shared there"), "{text}");
        assert!(text.contains("Nobody: only your country sees this case"), "{text}");
        browser.press("Sign out").await;
        browser.sign_in_as(&nl).await;
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.heading().await, "Not found");
        let unshared = browser.text().await;
        let random = accord_server::domain::ids::encode(accord_server::domain::ids::Kind::Case, uuid::Uuid::now_v7());
        browser.open(&format!("/cases/{random}")).await;
        assert_eq!(browser.text().await, unshared, "an unshared case reads exactly as a missing one");
        browser.open("/cases").await;
        assert!(!browser.text().await.contains(&reference));
        browser.close().await;
    }

    async fn refusals_read_like_the_api(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let diplomat = app.diplomat("CA").await;
        let de = app.user("COORDINATOR", "DE").await;
        let case = open_case(&coord, "Defender R", "Refusal Person").await;
        let case_id = case["id"].as_str().expect("id").to_owned();
        let Some(browser) = Browser::start(&app).await else { return };

        // A diplomat sees the case but may not open one.
        browser.open("/cases/new").await;
        browser.sign_in_as(&diplomat).await;
        assert_eq!(browser.heading().await, "Not allowed");
        assert!(browser.text().await.contains("Your role does not allow this."));
        browser.open("/cases").await;
        assert!(!browser.text().await.contains("Open a new case"));
        assert!(browser.text().await.contains(case["reference"].as_str().expect("reference")));
        browser.open(&format!("/cases/{case_id}")).await;
        let html = browser.html().await;
        assert!(!html.contains("Record consent") && !html.contains(">Share<"), "no forms for a diplomat");
        // The owner country's diplomat reads what the API gives them.
        let owner_view = read_case(&coord, &case_id).await.data()["case"].clone();
        assert_page_matches_api(&browser, &diplomat, &case_id, &owner_view, "CA's diplomat").await;
        // No custodian of CA's key: asking for the identity shows none of it.
        browser.open(&format!("/cases/{case_id}?identity=show")).await;
        let html = browser.html().await;
        for part in ["Refusal Person", "+63 900 000 0000", "Barangay 12", "prefers Signal"] {
            assert!(!html.contains(part), "CA's diplomat: {part:?} shown with the identity locked");
        }
        browser.open(&format!("/cases/{case_id}")).await;
        browser.press("Sign out").await;

        // Another country's case, a random id, a malformed id and another
        // kind's id: one and the same NOT_FOUND page.
        browser.sign_in_as(&de).await;
        browser.open(&format!("/cases/{case_id}")).await;
        assert_eq!(browser.heading().await, "Not found");
        let foreign = browser.text().await;
        let random = accord_server::domain::ids::encode(accord_server::domain::ids::Kind::Case, uuid::Uuid::now_v7());
        let hearing_kind = accord_server::domain::ids::encode(accord_server::domain::ids::Kind::Hearing, row_uuid(&case_id));
        for other in [random.as_str(), "not-an-id", hearing_kind.as_str()] {
            browser.open(&format!("/cases/{other}")).await;
            assert_eq!(browser.text().await, foreign, "{other}");
        }
        browser.open(&format!("/cases/{case_id}/hearings/new")).await;
        assert_eq!(browser.text().await, foreign);
        browser.open("/cases").await;
        assert!(browser.text().await.contains("0 cases you may see"));
        browser.close().await;

        // Posted changes by those who may not make them change nothing.
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let cookie = page_cookie(&app, &diplomat.email).await;
        let res = http
            .post(app.url("/cases"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .form(&[("pseudonym", "Nope"), ("hostCountry", "PH"), ("categories", "LAWYER"), ("riskLevel", "LOW"), ("status", "AT_RISK")])
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status().as_u16(), 403);
        let cookie = page_cookie(&app, &de.email).await;
        let res = http
            .post(app.url(&format!("/cases/{case_id}/consent")))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .form(&[("shareWithPartners", "true"), ("givenBy", "DEFENDER")])
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status().as_u16(), 404);
        let view = read_case(&coord, &case_id).await;
        assert_eq!(view.data()["case"]["consent"]["shareWithPartners"], false);
        let listed = coord.q("{ cases { totalCount } }", json!({})).await;
        assert_eq!(listed.data()["cases"]["totalCount"], 1);
    }
}

on_both_backends! {
    async fn the_cases_list_pages_and_filters_as_the_api(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        for n in 0..51 {
            open_case(&coord, &format!("Defender P{n}"), "Paged Person").await;
        }
        let Some(browser) = Browser::start(&app).await else { return };
        browser.open("/cases").await;
        browser.sign_in_as(&coord).await;
        assert!(browser.text().await.contains("51 cases you may see"));
        assert_eq!(browser.html().await.matches("<th scope=\"row\">").count(), 50);
        browser.click_link("Next page").await;
        assert!(browser.path().await.starts_with("/cases?after="));
        assert_eq!(browser.html().await.matches("<th scope=\"row\">").count(), 1);
        browser.click_link("First page").await;
        assert_eq!(browser.html().await.matches("<th scope=\"row\">").count(), 50);

        // Filters are GET parameters, kept in the form and the pager.
        browser.choose("status", "DETAINED").await;
        browser.press("Show cases").await;
        assert_eq!(browser.path().await, "/cases?hostCountry=&status=DETAINED&riskLevel=&category=&search=");
        assert!(browser.text().await.contains("0 cases match the filters"));
        assert_eq!(browser.value("status").await, "DETAINED");
        browser.open("/cases?search=P17").await;
        let text = browser.text().await;
        assert!(text.contains("1 case matches the filters") && text.contains("Defender P17"), "{text}");
        let api = coord
            .q("{ cases(filter: { search: \"P17\" }) { totalCount } }", json!({}))
            .await;
        assert_eq!(api.data()["cases"]["totalCount"], 1);
        // A search the API refuses is refused beside the field.
        browser.open(&format!("/cases?search={}", "x".repeat(101))).await;
        let text = browser.text().await;
        assert!(text.contains("Must be at most 100 characters"), "{text}");
        assert!(browser.html().await.contains("aria-describedby=\"search-error\""));
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cases_pages_have_no_accessibility_violations() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let coord = app.user("COORDINATOR", "CA").await;
    let nl = app.user("COORDINATOR", "NL").await;
    let case = open_case(&coord, "Defender A", "Audit Person").await;
    let case_id = case["id"].as_str().expect("id").to_owned();
    consent(&coord, &case_id, true).await.data();
    share(&coord, &case_id, "NL", "SUMMARY").await.data();
    let hearing = schedule(&coord, &case_id, &manila_in(3), "Asia/Manila", 2).await;
    let hearing_id = hearing.data()["scheduleHearing"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // A report linked to the case: the case page links it, as `attackReports`.
    let liaison = app.liaison().await;
    let report = submitted(&liaison, &["CA"], json!({})).await;
    acknowledge(&coord, &report, None).await.data();
    link(&coord, &report, &case_id).await.data();
    let Some(browser) = Browser::start_for_audit(&app).await else {
        return;
    };
    let none = Vec::<String>::new();
    browser.open("/cases").await;
    browser.sign_in_as(&coord).await;
    for (path, shot) in [
        ("/cases".to_owned(), Some("cases")),
        ("/cases?hostCountry=PH&search=zzzz".to_owned(), None),
        ("/cases/new".to_owned(), None),
        (format!("/cases/{case_id}"), Some("case")),
        (format!("/cases/{case_id}?identity=show"), None),
        (format!("/cases/{case_id}/hearings/new"), None),
        (format!("/hearings/{hearing_id}/edit"), None),
        ("/coverage".to_owned(), Some("coverage")),
        ("/coverage?days=9999".to_owned(), None),
    ] {
        browser.open(&path).await;
        assert_eq!(browser.accessibility_violations().await, none, "{path}");
        browser.assert_small(&path).await;
        if path.ends_with(&case_id) {
            assert!(
                browser.html().await.contains(&format!("/reports/{report}")),
                "the linked report"
            );
        }
        if let Some(name) = shot {
            browser.screenshot(name).await;
        }
    }
    // The forms with their errors.
    browser.open("/cases/new").await;
    browser.fill("summary", "Kept text").await;
    browser.press("Open the case").await;
    assert!(browser.text().await.contains("Please correct"));
    assert_eq!(
        browser.accessibility_violations().await,
        none,
        "/cases/new with errors"
    );
    browser.screenshot("case-new").await;
    browser
        .open(&format!("/cases/{case_id}/hearings/new"))
        .await;
    browser.press("Schedule the hearing").await;
    assert!(browser.text().await.contains("Please correct"));
    assert_eq!(
        browser.accessibility_violations().await,
        none,
        "the hearing form with errors"
    );
    // Consent to share withdrawn: sharing is refused with the API's sentence.
    browser.open(&format!("/cases/{case_id}")).await;
    browser.tick("shareWithPartners", false).await;
    browser.choose("givenBy", "DEFENDER").await;
    browser.press("Record consent").await;
    browser.choose("shareTo", "NL").await;
    browser.press("Share").await;
    let text = browser.text().await;
    assert!(
        text.contains("The defender's consent does not cover this"),
        "{text}"
    );
    assert_eq!(
        browser.accessibility_violations().await,
        none,
        "the case page with a refusal"
    );
    // Another country's (redacted) view, once consent is given again.
    consent(&coord, &case_id, true).await.data();
    browser.press("Sign out").await;
    browser.sign_in_as(&nl).await;
    for path in ["/cases".to_owned(), format!("/cases/{case_id}")] {
        browser.open(&path).await;
        assert_eq!(browser.accessibility_violations().await, none, "NL: {path}");
    }
    browser
        .open(&format!(
            "/cases/{}",
            accord_server::domain::ids::encode(
                accord_server::domain::ids::Kind::Case,
                uuid::Uuid::now_v7()
            )
        ))
        .await;
    assert_eq!(browser.heading().await, "Not found");
    assert_eq!(browser.accessibility_violations().await, none, "not found");
    browser.close().await;
}

on_both_backends! {
    async fn a_share_with_a_coalition_the_owner_left_stays_listed(app: TestApp) {
        // DE convenes a coalition with CA in it; CA shares a case with it;
        // DE then removes CA. The share still holds (its members still see
        // the case): the API lists it with no coalition named, and so must
        // the page, not drop it.
        let de_admin = app.admin("DE").await;
        let made = de_admin
            .q("mutation { createCoalition(input: { name: \"Left behind\", hostCountry: \"PH\", members: [\"CA\"] }) { id } }", json!({}))
            .await;
        let coalition_id = made.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        let coord = app.user("COORDINATOR", "CA").await;
        let case = open_case(&coord, "Defender L", "Left Person").await;
        let case_id = case["id"].as_str().expect("id").to_owned();
        consent(&coord, &case_id, true).await.data();
        coord
            .q("mutation($id: ID!, $c: ID!) { shareCase(caseId: $id, input: { coalitionId: $c, level: DETAIL }) { id } }",
                json!({ "id": case_id, "c": coalition_id }))
            .await
            .data();
        de_admin
            .q("mutation($c: ID!) { removeCoalitionMember(coalitionId: $c, country: \"CA\") { id } }",
                json!({ "c": coalition_id }))
            .await
            .data();
        let api = coord
            .q("query($id: ID!) { case(id: $id) { shares { country level coalition { id } } } }", json!({ "id": case_id }))
            .await;
        assert_eq!(api.data()["case"]["shares"], json!([{ "country": null, "level": "DETAIL", "coalition": null }]));

        let Some(browser) = Browser::start(&app).await else { return };
        browser.open(&format!("/cases/{case_id}")).await;
        browser.sign_in_as(&coord).await;
        let text = browser.text().await;
        assert!(!text.contains("Nobody: only your country sees this case"), "{text}");
        assert!(text.contains("A coalition your country is no longer part of"), "{text}");
        assert!(!text.contains("Left behind"), "its name is not the owner's to read: {text}");
        let html = browser.html().await;
        assert!(!html.contains("name=\"from\""), "the page names no coalition the owner cannot see");
        browser.close().await;

        // The owner may still withdraw it by the id it shared with (the API);
        // DE, still a member, loses sight at once. An id never shared with
        // is answered as before.
        let unshare = "mutation($id: ID!, $c: ID!) { unshareCase(caseId: $id, input: { coalitionId: $c }) { shares { level } } }";
        let de = app.user("COORDINATOR", "DE").await;
        de.q("query($id: ID!) { case(id: $id) { id } }", json!({ "id": case_id })).await.data();
        let done = coord.q(unshare, json!({ "id": case_id, "c": coalition_id })).await;
        assert_eq!(done.data()["unshareCase"]["shares"], json!([]));
        de.q("query($id: ID!) { case(id: $id) { id } }", json!({ "id": case_id }))
            .await
            .assert_code("NOT_FOUND");
        let again = coord.q(unshare, json!({ "id": case_id, "c": coalition_id })).await;
        again.assert_code("BAD_USER_INPUT");
        assert!(again.message().contains("not shared with it"), "{}", again.body);
    }
}

/// Every country's name as the pages give it: names are data, not yet
/// translated (English, from ISO 3166).
fn country_names() -> Vec<&'static str> {
    isocountry::CountryCode::iter()
        .filter_map(|c| CountryCode::parse("country", c.alpha2()).ok())
        .map(|c| c.name())
        .collect()
}

on_both_backends! {
    async fn the_cases_pages_read_in_french_and_spanish(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let case = open_case(&coord, "Defender Lang", "Lang Person").await;
        let case_id = case["id"].as_str().expect("id").to_owned();
        let reference = case["reference"].as_str().expect("reference").to_owned();
        consent(&coord, &case_id, true).await.data();
        share(&coord, &case_id, "NL", "DETAIL").await.data();
        let hearing = schedule(&coord, &case_id, &manila_in(3), "Asia/Manila", 2).await;
        let hearing_id = hearing.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let cookie = page_cookie(&app, &coord.email).await;
        let case_path = format!("/cases/{case_id}");

        // French.
        let read = async |path: &str, lang: &str| {
            let html = page_in(&app, &cookie, path, lang).await;
            assert!(html.contains(&format!("lang=\"{lang}\"")), "{path} in {lang}");
            visible_text(&html)
        };
        let text = read("/cases", "fr").await;
        for phrase in ["Ouvrir un nouveau dossier", "1 dossier que vous pouvez consulter", "Pays hôte", "Droits fonciers", "En danger", "Complet (dossier de votre pays)"] {
            assert!(text.contains(phrase), "/cases in French lacks {phrase:?}: {text}");
        }
        let text = read(&case_path, "fr").await;
        for phrase in [format!("Dossier {reference} : Defender Lang"), "Le consentement de la personne défenseure".into(), "Partagé avec".into(), "Audiences".into(), "0 sur 2 confirmé·es".into(), "(Asia/Manila)".into(), "Détail".into()] {
            assert!(text.contains(&phrase), "the case in French lacks {phrase:?}: {text}");
        }
        let text = read("/cases/new", "fr").await;
        for phrase in ["Ouvrir un dossier", "Niveau de risque", "L'identité de la personne défenseure", "Choisissez le pays"] {
            assert!(text.contains(phrase), "/cases/new in French lacks {phrase:?}: {text}");
        }
        let text = read("/coverage", "fr").await;
        for phrase in ["Lacunes de couverture", "14 jours", "Aucun·e observateur·rice pour l'instant", "0 sur 2 confirmé·es"] {
            assert!(text.contains(phrase), "/coverage in French lacks {phrase:?}: {text}");
        }

        // Spanish.
        let text = read("/cases", "es").await;
        for phrase in ["Abrir un caso nuevo", "1 caso que usted puede ver", "País anfitrión", "Derechos sobre la tierra", "En riesgo"] {
            assert!(text.contains(phrase), "/cases in Spanish lacks {phrase:?}: {text}");
        }
        let text = read(&case_path, "es").await;
        for phrase in [format!("Caso {reference}: Defender Lang"), "El consentimiento de la persona defensora".into(), "Compartido con".into(), "0 de 2 confirmadas".into()] {
            assert!(text.contains(&phrase), "the case in Spanish lacks {phrase:?}: {text}");
        }
        let text = read("/cases/new", "es").await;
        for phrase in ["Abrir un caso", "Nivel de riesgo", "Elija el país"] {
            assert!(text.contains(phrase), "/cases/new in Spanish lacks {phrase:?}: {text}");
        }
        let text = read("/coverage", "es").await;
        for phrase in ["Carencias de cobertura", "14 días", "Todavía sin persona observadora"] {
            assert!(text.contains(phrase), "/coverage in Spanish lacks {phrase:?}: {text}");
        }

        // No English left in the pseudo-language but what the test typed
        // (and the countries' names, data).
        let mut data: Vec<String> = [
            "Test User",
            "Defender Lang",
            "Mindanao",
            "Community leader facing charges after protest",
            "Regional Trial Court Branch 12",
            "Davao",
            "Lang Person",
            "+63 900 000 0000",
            "Barangay 12",
            "prefers Signal",
        ]
        .map(str::to_owned)
        .into();
        data.extend(country_names().into_iter().map(str::to_owned));
        // Longest first, so that no shorter name ("Guinea") splits a longer
        // one ("Papua New Guinea").
        data.sort_by_key(|d| std::cmp::Reverse(d.len()));
        // The time zones' regions and cities (IANA names, data), longest
        // first so that no shorter name splits a longer one.
        let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .flat_map(|z| z.name().split('/').map(|part| part.replace('_', " ")).collect::<Vec<_>>())
            .collect();
        zones.sort_by_key(|z| std::cmp::Reverse(z.len()));
        zones.dedup();
        for path in ["/cases".to_owned(), "/cases/new".into(), case_path.clone(), format!("{case_path}?identity=show"), "/coverage".into(), format!("/cases/{case_id}/hearings/new"), format!("/hearings/{hearing_id}/edit")] {
            let mut allowed: Vec<&str> = data.iter().map(String::as_str).collect();
            if path.contains("hearing") {
                allowed.extend(zones.iter().map(String::as_str));
                allowed.sort_by_key(|d| std::cmp::Reverse(d.len()));
            }
            assert_no_english_left(&app, &cookie, &path, &allowed).await;
        }
        // The forms with their errors, reached by GET (answered 400). The
        // API's reasons stay English until they come from the bundles
        // (`Msg`): data here for now.
        let mut allowed: Vec<&str> = data.iter().map(String::as_str).collect();
        allowed.extend(["Must be between 1 and 366", "must be between 1 and 366", "Must be at most 100 characters"]);
        for path in ["/coverage?days=zz".to_owned(), format!("/cases?search={}", "x".repeat(101))] {
            let res = crate::browser::no_redirects()
                .get(app.url(&path))
                .header("cookie", &cookie)
                .header("accept-language", "en-XA")
                .send()
                .await
                .expect("page answered");
            assert_eq!(res.status().as_u16(), 400, "{path}");
            let html = res.text().await.expect("page text");
            assert!(html.contains("lang=\"en-XA\""), "{path}");
            let left = accord_server::i18n::untranslated_words(&visible_text(&html), &allowed);
            assert!(left.is_empty(), "{path} has English that bypassed the bundles: {left:?}");
        }
    }
}
