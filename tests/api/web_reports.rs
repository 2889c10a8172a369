//! The web client's attack reports in headless Chromium, JavaScript off: a
//! liaison's form that never loses what was typed, one report however often
//! it is sent, the recipient coordinator's email link (signed out → sign in
//! → the report) and triage, the liaison's view of each country's response,
//! and NOT_FOUND for a country the report was not sent to.
use accord_server::jobs as worker;
use accord_server::mail::transport::Mailer;
use fantoccini::Locator;
use reqwest::header::LOCATION;
use serde_json::json;

use crate::browser::Browser;
use crate::browser::{no_redirects, page_cookie};
use crate::builders::{acknowledge, list_reports, open_case, read_report, submitted};
use crate::helpers::{Backend, TestApp, str_of};
use crate::in_language::{assert_no_english_left, page_in, visible_text};
use crate::on_both_backends;
use crate::smtp::SmtpServer;

const DESCRIPTION: &str =
    "Two men on a motorbike photographed the defender's house and shouted a threat.";
const NOTE: &str = "Raised with the provincial police; our officer will visit on Monday.";
const NOT_FOUND: &str = "This does not exist, or it is not shared with you";

/// The path of the one report link in `body` (the email's base is the
/// configured public URL, not the test server's).
fn report_path(body: &str) -> String {
    let start = body.find("/reports/").expect("a link to a report");
    body[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .next()
        .expect("the link")
        .to_owned()
}

/// The names a report form lists as data, not sentences: the countries
/// (where it happened, whom to send it to) and the places of the time zones.
fn listed_places(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for select in [r#"<select id="hostCountry""#, r#"<select id="timezone""#] {
        let Some(start) = html.find(select) else {
            continue;
        };
        let end = html[start..]
            .find("</select>")
            .map_or(html.len(), |e| start + e);
        for option in html[start..end].split("<option").skip(2) {
            let text = option.split('>').nth(1).unwrap_or("");
            names.push(text.split('<').next().unwrap_or("").to_owned());
        }
    }
    for label in html.split(r#"<label for="recipientCountries-"#).skip(1) {
        let text = label.split('>').nth(1).unwrap_or("");
        names.push(text.split('<').next().unwrap_or("").to_owned());
    }
    // Longest first: "Guinea-Bissau" before "Guinea".
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
        .into_iter()
        .map(|n| {
            n.replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

async fn sign_out(browser: &Browser) {
    browser.press("Sign out").await;
    assert!(browser.path().await.starts_with("/sign-in"));
}

async fn checked(browser: &Browser, id: &str) -> bool {
    browser
        .client
        .find(Locator::Id(id))
        .await
        .expect("checkbox")
        .prop("checked")
        .await
        .expect("checked")
        .as_deref()
        == Some("true")
}

on_both_backends! {
    async fn a_liaison_files_a_report_and_a_recipient_triages_it_from_the_email(app: TestApp) {
        let coordinator = app.user("COORDINATOR", "NL").await;
        app.diplomat("DE").await;
        let outsider = app.diplomat("CA").await;
        let liaison = app.liaison().await;
        let Some(browser) = Browser::start(&app).await else { return };

        // The form, reached through sign-in.
        browser.open("/reports/new").await;
        browser.sign_in_as(&liaison).await;
        assert_eq!(browser.path().await, "/reports/new");
        assert_eq!(browser.heading().await, "Report an attack");
        // A liaison has no mission: no time zone comes chosen, and the
        // zones are offered, not typed.
        assert_eq!(browser.value("timezone").await, "");
        let html = browser.html().await;
        assert!(html.contains(r#"<select id="timezone""#), "a select");
        assert!(html.contains(r#"<optgroup label="Asia">"#), "grouped by region");
        browser.screenshot("report-new").await;

        // Half filled in: every missing answer is named, nothing typed is lost.
        browser.fill("region", "Negros Oriental").await;
        browser.fill("incidentDate", "2026-11-20").await;
        browser.fill("description", DESCRIPTION).await;
        browser.tick("attackTypes-THREAT", true).await;
        browser.tick("recipientCountries-NL", true).await;
        browser.press("Send the report").await;
        let page = browser.text().await;
        assert!(page.contains("Please correct 3 problems"), "{page}");
        assert!(page.contains("Choose the country"), "{page}");
        assert!(page.contains("Choose at least one (\"Not known\" if not known)"), "{page}");
        assert!(page.contains("The victim's consent is required"), "{page}");
        assert_eq!(browser.value("region").await, "Negros Oriental");
        assert_eq!(browser.value("incidentDate").await, "2026-11-20");
        assert_eq!(browser.value("description").await, DESCRIPTION);
        assert!(checked(&browser, "attackTypes-THREAT").await);
        assert!(!checked(&browser, "attackTypes-RAID").await);
        assert!(checked(&browser, "recipientCountries-NL").await);
        let html = browser.html().await;
        assert!(html.contains(r#"aria-describedby="hostCountry-error""#), "the error is tied to its field");
        browser.screenshot("report-errors").await;

        // The service's own refusal (coordinates are never a region) lands
        // beside its field, the rest still as typed.
        browser.choose("hostCountry", "PH").await;
        browser.fill("region", "14.5995, 120.9842").await;
        browser.fill("incidentTime", "21:40").await;
        browser.choose("timezone", "Asia/Manila").await;
        browser.tick("perpetratorTypes-STATE", true).await;
        browser.tick("recipientCountries-DE", true).await;
        browser.tick("victimConsent", true).await;
        browser.press("Send the report").await;
        let page = browser.text().await;
        assert!(page.contains("never coordinates"), "{page}");
        assert!(page.contains("Please correct 1 problem"), "{page}");
        assert!(browser.html().await.contains(r#"aria-describedby="region-error""#));
        assert_eq!(browser.value("hostCountry").await, "PH");
        assert_eq!(browser.value("timezone").await, "Asia/Manila");
        assert!(checked(&browser, "victimConsent").await);
        assert!(checked(&browser, "perpetratorTypes-STATE").await);
        assert_eq!(list_reports(&liaison, json!({})).await.1, 0, "nothing filed yet");

        // Corrected: filed, and the browser lands on it.
        browser.fill("region", "Negros Oriental").await;
        let key = browser
            .client
            .find(Locator::Css("input[name=submissionKey]"))
            .await
            .expect("the form's key")
            .prop("value")
            .await
            .expect("value")
            .expect("a key");
        browser.press("Send the report").await;
        let path = browser.path().await;
        assert!(path.starts_with("/reports/") && path.ends_with("?done=report-filed"), "{path}");
        let report_path_now = path.split('?').next().expect("path").to_owned();
        let id = report_path_now.trim_start_matches("/reports/").to_owned();
        let page = browser.text().await;
        assert!(page.contains("Your report was filed"), "{page}");
        assert!(page.contains(DESCRIPTION), "{page}");
        assert!(page.contains("Negros Oriental"), "{page}");
        assert!(page.contains("9:40 PM (Asia/Manila)"), "{page}");

        // The same form sent again (a second press, a retry): one report,
        // and the answer is that same report.
        let cookie = page_cookie(&app, &liaison.email).await;
        let form = [
            ("submissionKey", key.as_str()),
            ("hostCountry", "PH"),
            ("region", "Negros Oriental"),
            ("incidentDate", "2026-11-20"),
            ("incidentTime", "21:40"),
            ("timezone", "Asia/Manila"),
            ("attackTypes", "THREAT"),
            ("perpetratorTypes", "STATE"),
            ("description", DESCRIPTION),
            ("recipientCountries", "NL"),
            ("recipientCountries", "DE"),
            ("victimConsent", "yes"),
        ];
        for _ in 0..2 {
            let again = no_redirects()
                .post(app.url("/reports"))
                .header("cookie", &cookie)
                .header("sec-fetch-site", "same-origin")
                .form(&form)
                .send()
                .await
                .expect("posted");
            assert_eq!(again.status().as_u16(), 303);
            assert_eq!(again.headers()[LOCATION], format!("{report_path_now}?done=report-filed"));
        }
        let (ids, total) = list_reports(&liaison, json!({})).await;
        assert_eq!((ids, total), (vec![id.clone()], 1), "one report for three sends");
        let api = read_report(&liaison, &id).await;
        let report = &api.data()["attackReport"];
        let reference = str_of(&report["reference"], "reference");
        assert_eq!(report["region"], "Negros Oriental");
        assert_eq!(report["recipientCountries"], json!(["DE", "NL"]));

        // The NL coordinator's email links to the report; signed out, the
        // link goes through sign-in and lands on it.
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        worker::run_once(app.state(), &mailer).await.expect("a mail round");
        let mail = smtp.messages_to(&coordinator.email);
        assert_eq!(mail.len(), 1, "one notice to the coordinator");
        let link = report_path(&mail[0].body());
        assert_eq!(link, report_path_now, "the email links to the report's page");
        sign_out(&browser).await;
        browser.follow(&app.url(&link)).await;
        assert!(browser.path().await.starts_with("/sign-in?next="), "{}", browser.path().await);
        browser.sign_in_as(&coordinator).await;
        assert_eq!(browser.path().await, link);
        assert_eq!(browser.heading().await, format!("Report {reference}"));
        assert!(browser.text().await.contains("Received, not yet acknowledged"));
        browser.fill("ackNote", NOTE).await;
        browser.press("Acknowledge").await;
        let page = browser.text().await;
        assert!(page.contains("The report is acknowledged."), "{page}");
        assert!(page.contains(NOTE), "{page}");
        let mine = read_report(&coordinator, &id).await;
        assert_eq!(mine.data()["attackReport"]["myResponse"]["state"], "ACKNOWLEDGED");
        // A step that no longer applies is refused, not repeated.
        assert!(!browser.html().await.contains("/acknowledge\""), "no second acknowledge form");
        browser.screenshot("report").await;

        // The coordinator's list: the report, with their country's state.
        browser.open("/reports").await;
        let page = browser.text().await;
        assert!(page.contains("Attack reports sent to Netherlands"), "{page}");
        assert!(page.contains("Acknowledged"), "{page}");
        sign_out(&browser).await;

        // The liaison sees each country's state and note.
        browser.sign_in_as(&liaison).await;
        browser.open("/reports").await;
        assert_eq!(browser.heading().await, "My reports");
        let page = browser.text().await;
        assert!(page.contains("Netherlands: Acknowledged"), "{page}");
        assert!(page.contains(NOTE), "{page}");
        assert!(page.contains("Germany: Received, not yet acknowledged"), "{page}");
        browser.screenshot("my-reports").await;
        // Each row opens its report.
        browser.click_link(&reference).await;
        assert_eq!(browser.path().await, report_path_now);
        browser.open("/reports").await;
        // The filter narrows by the state of any response.
        browser.choose("state", "LINKED").await;
        browser.press("Filter").await;
        assert!(browser.text().await.contains("0 reports"));
        sign_out(&browser).await;

        // A country the report was not sent to: the page reads as missing.
        browser.sign_in_as(&outsider).await;
        browser.open(&link).await;
        let refused = browser.text().await;
        assert!(refused.contains(NOT_FOUND), "{refused}");
        assert!(!refused.contains(DESCRIPTION));
        browser.open("/reports/not-an-id").await;
        assert!(browser.text().await.contains(NOT_FOUND));
        browser.open("/reports").await;
        assert!(browser.text().await.contains("0 reports"));
        browser.close().await;
    }

    async fn a_recipient_links_and_closes_from_the_report_page(app: TestApp) {
        let coordinator = app.user("COORDINATOR", "NL").await;
        let liaison = app.liaison().await;
        let first = submitted(&liaison, &["NL"], json!({})).await;
        let second = submitted(&liaison, &["NL"], json!({ "submissionKey": "second" })).await;
        acknowledge(&coordinator, &first, None).await.data();
        acknowledge(&coordinator, &second, None).await.data();
        let case = open_case(&coordinator, "Defender N", "Nora Example").await;
        let case_id = str_of(&case["id"], "id");
        let Some(browser) = Browser::start(&app).await else { return };
        browser.open(&format!("/reports/{first}")).await;
        browser.sign_in_as(&coordinator).await;

        // A wrong case id comes back beside its field, as typed.
        browser.fill("caseId", "no-such-case").await;
        browser.press("Link to the case").await;
        assert!(browser.text().await.contains("is not a case id"));
        assert_eq!(browser.value("caseId").await, "no-such-case");
        // The case's address works as well as its id.
        browser.fill("caseId", &format!("http://anywhere/cases/{case_id}")).await;
        browser.press("Link to the case").await;
        let page = browser.text().await;
        assert!(page.contains("The report is linked to the case."), "{page}");
        assert!(page.contains("Linked to a case"), "{page}");
        let api = read_report(&coordinator, &first).await;
        assert_eq!(api.data()["attackReport"]["cases"], json!([{ "id": case_id }]));

        // Closing needs an outcome; the note typed is kept meanwhile.
        browser.open(&format!("/reports/{second}")).await;
        browser.fill("closeNote", "Not within our mandate.").await;
        browser.press("Close the triage").await;
        assert!(browser.text().await.contains("Choose how the triage ends"));
        assert_eq!(browser.value("closeNote").await, "Not within our mandate.");
        browser.tick("outcome-ESCALATED", true).await;
        browser.press("Close the triage").await;
        let page = browser.text().await;
        assert!(page.contains("The report's triage is closed."), "{page}");
        assert!(page.contains("Closed: escalated"), "{page}");
        assert!(page.contains("Not within our mandate."), "{page}");

        // A mission files on behalf of a source: its own country always
        // receives the report, without a box to tick.
        browser.open("/reports/new").await;
        assert!(browser.text().await.contains("Netherlands always receives reports you file"));
        assert_eq!(browser.value("timezone").await, "Asia/Manila", "the mission's own zone comes chosen");
        browser.choose("hostCountry", "PH").await;
        browser.fill("incidentDate", "2026-11-18").await;
        browser.fill("description", "A source told us the defender was followed home.").await;
        browser.tick("attackTypes-SURVEILLANCE", true).await;
        browser.tick("perpetratorTypes-UNKNOWN", true).await;
        browser.tick("victimConsent", true).await;
        browser.press("Send the report").await;
        let path = browser.path().await;
        assert!(path.ends_with("?done=report-filed"), "{path}: {}", browser.text().await);
        let id = path.trim_start_matches("/reports/").split('?').next().expect("id").to_owned();
        let api = read_report(&coordinator, &id).await;
        assert_eq!(api.data()["attackReport"]["recipientCountries"], json!(["NL"]));
        assert_eq!(api.data()["attackReport"]["organization"], json!(null));
        browser.close().await;
    }
}

on_both_backends! {
    async fn the_report_pages_read_in_french_and_spanish(app: TestApp) {
        let coordinator = app.user("COORDINATOR", "NL").await;
        let liaison = app.liaison().await;
        let id = submitted(&liaison, &["NL"], json!({})).await;
        let api = read_report(&liaison, &id).await;
        let reference = str_of(&api.data()["attackReport"]["reference"], "reference");
        let organization = str_of(&api.data()["attackReport"]["organization"]["name"], "org");
        let mine = page_cookie(&app, &liaison.email).await;
        let theirs = page_cookie(&app, &coordinator.email).await;
        let report = format!("/reports/{id}");

        // What a person reads, asking for `lang`: the page says it is in it.
        let read = |cookie: String, path: String, lang: &'static str| {
            let app = app.clone();
            async move {
                let html = page_in(&app, &cookie, &path, lang).await;
                assert!(html.contains(&format!("lang=\"{lang}\"")), "{path} in {lang}");
                visible_text(&html)
            }
        };
        let has = |page: &str, phrases: &[&str]| {
            for phrase in phrases {
                assert!(page.contains(phrase), "{phrase:?} missing from {page}");
            }
        };

        // French.
        let form = read(mine.clone(), "/reports/new".into(), "fr").await;
        has(&form, &[
            "Signaler une attaque",
            "Pays où cela s'est passé",
            "Menace ou intimidation",
            "Agents de l'État (police, armée, justice…)",
            "Inconnu",
            "La victime accepte que ce signalement soit partagé avec ces pays",
            "Envoyer le signalement",
        ]);
        let list = read(mine.clone(), "/reports".into(), "fr").await;
        has(&list, &[
            "Mes signalements",
            "1 signalement.",
            "vendredi 20 novembre 2026",
            "Menace ou intimidation, Surveillance",
            "Pays-Bas : Reçu, réception pas encore accusée",
        ]);
        let page = read(mine.clone(), report.clone(), "fr").await;
        has(&page, &[
            &format!("Signalement {reference}"),
            "vendredi 20 novembre 2026, 21:40 (Asia/Manila)",
            "Ce qui a été fait",
            "Reçu, réception pas encore accusée",
            "Tous les signalements",
        ]);
        let triage = read(theirs.clone(), report.clone(), "fr").await;
        has(&triage, &[
            "Traitement pour le pays : Pays-Bas",
            "Réponse de votre pays : Reçu, réception pas encore accusée.",
            "Accuser réception",
            "Note pour l'auteur·e du signalement",
        ]);

        // Spanish.
        let form = read(mine.clone(), "/reports/new".into(), "es").await;
        has(&form, &[
            "Denunciar un ataque",
            "País donde ocurrió",
            "Amenaza o intimidación",
            "No se sabe",
            "La víctima acepta que esta denuncia se comparta con estos países",
            "Enviar la denuncia",
        ]);
        let list = read(mine.clone(), "/reports".into(), "es").await;
        has(&list, &[
            "Mis denuncias",
            "1 denuncia.",
            "viernes, 20 de noviembre de 2026",
            "Países Bajos: Recibida, sin acuse de recibo todavía",
        ]);
        let page = read(mine.clone(), report.clone(), "es").await;
        has(&page, &[
            &format!("Denuncia {reference}"),
            "viernes, 20 de noviembre de 2026, 21:40 (Asia/Manila)",
            "Qué se hizo",
            "Todas las denuncias",
        ]);
        let triage = read(theirs.clone(), report.clone(), "es").await;
        has(&triage, &["Atención por parte de Países Bajos", "Acusar recibo"]);

        // Nothing English left, but for the data: what the test typed, the
        // names of people, organizations, countries and places.
        let mut data: Vec<String> = vec![
            reference.clone(),
            organization.clone(),
            "Test User".into(),
            "Negros Oriental".into(),
            DESCRIPTION.into(),
        ];
        // The form lists every country and place by name: data too.
        let form = page_in(&app, &mine, "/reports/new", "en-XA").await;
        data.extend(listed_places(&form));
        data.push("Netherlands".into());
        let data: Vec<&str> = data.iter().map(String::as_str).collect();
        for path in ["/reports/new", "/reports", report.as_str()] {
            assert_no_english_left(&app, &mine, path, &data).await;
        }
        assert_no_english_left(&app, &theirs, &report, &data).await;
        assert_no_english_left(&app, &theirs, "/reports", &data).await;

        // The French form posts codes, not words: a report filed through it
        // is stored as the same report filed in English.
        let post = |lang: &'static str, key: &'static str, region: &'static str, consent: bool| {
            let app = app.clone();
            let cookie = mine.clone();
            async move {
                let mut form = vec![
                    ("submissionKey", key),
                    ("hostCountry", "PH"),
                    ("region", region),
                    ("incidentDate", "2026-11-18"),
                    ("incidentTime", "06:15"),
                    ("timezone", "Asia/Manila"),
                    ("attackTypes", "THREAT"),
                    ("attackTypes", "RAID"),
                    ("perpetratorTypes", "STATE"),
                    ("perpetratorTypes", "UNKNOWN"),
                    ("description", DESCRIPTION),
                    ("recipientCountries", "NL"),
                ];
                if consent {
                    form.push(("victimConsent", "yes"));
                }
                no_redirects()
                    .post(app.url("/reports"))
                    .header("cookie", &cookie)
                    .header("sec-fetch-site", "same-origin")
                    .header("accept-language", lang)
                    .form(&form)
                    .send()
                    .await
                    .expect("posted")
            }
        };
        // Without consent, the French form says why, in French.
        let refused = post("fr", "fr-no-consent", "Negros Oriental", false).await;
        assert_eq!(refused.status().as_u16(), 400);
        let refused = visible_text(&refused.text().await.expect("page"));
        has(&refused, &[
            "Le consentement de la victime est obligatoire : sans lui, rien n'est enregistré",
        ]);
        // The rules' own refusal, said again in Spanish beside its field.
        let refused = post("es", "es-coordinates", "14.5995, 120.9842", true).await;
        assert_eq!(refused.status().as_u16(), 400);
        let refused = visible_text(&refused.text().await.expect("page"));
        has(&refused, &["nunca coordenadas ni un enlace de mapa"]);
        let mut filed = Vec::new();
        for (lang, key) in [("fr", "in-french"), ("en", "in-english")] {
            let res = post(lang, key, "Negros Oriental", true).await;
            assert_eq!(res.status().as_u16(), 303, "{lang}");
            let to = res.headers()[LOCATION].to_str().expect("location").to_owned();
            let id = to
                .trim_start_matches("/reports/")
                .split('?')
                .next()
                .expect("id")
                .to_owned();
            let api = read_report(&liaison, &id).await;
            let mut stored = api.data()["attackReport"].clone();
            for volatile in ["id", "reference", "submittedAt", "responses"] {
                stored[volatile] = json!(null);
            }
            filed.push(stored);
        }
        assert_eq!(filed[0], filed[1], "the same report, whatever the form's language");
        let types = filed[0]["attackTypes"].as_array().expect("types").clone();
        assert!(types.contains(&json!("THREAT")) && types.contains(&json!("RAID")), "{types:?}");
        assert_eq!(types.len(), 2, "{types:?}");
        assert_eq!(filed[0]["perpetratorTypes"].as_array().map(Vec::len), Some(2));
        assert_eq!(filed[0]["incidentTime"], "06:15");
        assert_eq!(filed[0]["recipientCountries"], json!(["NL"]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_pages_have_no_accessibility_violations() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let coordinator = app.user("COORDINATOR", "NL").await;
    let liaison = app.liaison().await;
    let earlier = submitted(&liaison, &["NL"], json!({})).await;
    let Some(browser) = Browser::start_for_audit(&app).await else {
        return;
    };
    browser.open("/sign-in").await;
    browser.sign_in_as(&liaison).await;
    browser.open("/reports/new").await;
    browser.assert_accessible("/reports/new").await;
    browser.assert_small("/reports/new").await;
    browser.press("Send the report").await;
    assert!(browser.text().await.contains("Please correct"));
    browser.assert_accessible("/reports/new with errors").await;
    for path in [
        "/reports".to_owned(),
        format!("/reports/{earlier}"),
        "/reports?from=nope".to_owned(),
    ] {
        browser.open(&path).await;
        browser.assert_accessible(&path).await;
    }
    sign_out(&browser).await;
    browser.sign_in_as(&coordinator).await;
    browser.open(&format!("/reports/{earlier}")).await;
    browser.assert_accessible("the acknowledge form").await;
    browser.press("Acknowledge").await;
    browser.assert_accessible("the link and close forms").await;
    browser.press("Close the triage").await;
    assert!(browser.text().await.contains("Choose how the triage ends"));
    browser
        .assert_accessible("the close form with an error")
        .await;
    browser.open("/reports").await;
    browser.assert_accessible("the coordinator's list").await;
    browser.open("/reports/not-an-id").await;
    browser.assert_accessible("NOT_FOUND").await;
    browser.close().await;
}
