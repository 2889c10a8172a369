//! The web client's statements pages in headless Chromium, JavaScript off:
//! a coordinator drafts a démarche and invites a country; the invitation
//! email, followed signed out, lands on the statement after sign-in; the
//! approval is pinned to the version shown (a revision in between approves
//! nothing); the difference between versions; finalize, deliver, export as
//! a Markdown download; a stale revision keeps its text; a country without
//! an invitation (or no longer invited) meets the same NOT_FOUND page as for
//! a statement that does not exist; axe-core finds nothing on any page.
use accord_server::jobs as worker;
use accord_server::mail::transport::Mailer;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use uuid::Uuid;

use crate::browser::Browser;
use crate::browser::page_cookie;
use crate::builders::{approve, created, open_case, read_statement, revise, signature_of};
use crate::helpers::TestApp;
use crate::in_language::{assert_no_english_left, page_in};
use crate::on_both_backends;
use crate::smtp::SmtpServer;

const INVITED: &str = "Accord: your country is invited to sign a joint statement";
const NOT_FOUND: &str = "This does not exist, or it is not shared with you (any more).";
const TITLE: &str = "Joint démarche on the trial of a land defender";
/// Two paragraphs, with characters HTML and forms must not mangle.
const FIRST: &str = "The undersigned missions express concern about the trial of a \"land defender\" & her <colleagues>.\n\nWe urge the authorities to guarantee a fair trial.";
const SECOND: &str = "The undersigned missions express concern about the trial of a \"land defender\" & her <colleagues>.\n\nWe urge the authorities to guarantee a fair and public trial.";

/// The id in `/statements/<id>` (the API's global id).
fn id_in(path: &str) -> String {
    path.trim_start_matches("/statements/")
        .split(['?', '/'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The statement's `(status, version)` signature of `country` through the API.
async fn signature(by: &crate::helpers::Actor, id: &str, country: &str) -> (String, Option<i64>) {
    let read = read_statement(by, id).await;
    signature_of(&read.data()["statement"], country)
}

on_both_backends! {
    async fn a_demarche_is_drafted_signed_finalized_delivered_and_exported(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.user("COORDINATOR", "NL").await;
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        let Some(lead) = Browser::start(&app).await else { return };

        // Signed out, the new-statement page asks for a sign-in first.
        lead.open("/statements/new").await;
        assert!(lead.path().await.starts_with("/sign-in?next="));
        lead.sign_in_as(&ca).await;
        assert_eq!(lead.path().await, "/statements/new");

        // A failed form keeps its text, the error beside its field.
        lead.choose("kind", "DEMARCHE").await;
        lead.choose("hostCountry", "PH").await;
        lead.fill("body", FIRST).await;
        lead.tick("invite-NL", true).await;
        lead.press("Create the statement").await;
        let page = lead.text().await;
        assert!(page.contains("Please correct 1 problem"), "{page}");
        assert!(page.contains("Title: must not be empty"), "{page}");
        assert_eq!(lead.value("body").await, FIRST, "the text is kept as typed");
        assert!(lead.html().await.contains("aria-describedby=\"title-error\""));
        lead.fill("title", TITLE).await;
        lead.press("Create the statement").await;
        let path = lead.path().await;
        assert!(path.ends_with("?done=statement-created"), "{path}");
        let id = id_in(&path);
        let page = lead.text().await;
        assert!(page.contains("The statement was created."), "{page}");
        assert!(page.contains("Circulating for signature"), "{page}");
        assert!(page.contains("We urge the authorities to guarantee a fair trial."), "{page}");
        // Stored exactly as typed: LF line breaks, nothing escaped.
        let read = read_statement(&ca, &id).await;
        assert_eq!(read.data()["statement"]["currentVersion"]["body"], FIRST);

        // The invitation, captured over SMTP, is followed signed out by NL.
        assert!(worker::run_once(app.state(), &mailer).await.expect("a round") >= 1);
        let mail = smtp
            .messages_to(&nl.email)
            .into_iter()
            .find(|m| m.subject() == INVITED)
            .expect("NL's coordinator is invited by email");
        let body = mail.body();
        let public = app.state().config.public_url.trim_end_matches('/').to_owned();
        let link = body
            .split_whitespace()
            .find(|w| w.starts_with(&format!("{public}/statements/")))
            .unwrap_or_else(|| panic!("no statement link in:\n{body}"));
        let link_path = link.trim_start_matches(&public).to_owned();
        assert_eq!(link_path, format!("/statements/{id}"));
        let Some(signer) = Browser::start(&app).await else { return };
        signer.open(&link_path).await;
        assert!(signer.path().await.starts_with("/sign-in?next="));
        signer.sign_in_as(&nl).await;
        assert_eq!(signer.path().await, link_path, "back on the statement after sign-in");
        assert_eq!(signer.heading().await, TITLE);

        // NL approves version 1.
        signer.press("Approve version 1").await;
        assert!(signer.text().await.contains("Your country's approval was recorded."));
        assert_eq!(signature(&nl, &id, "NL").await, ("APPROVED".to_owned(), Some(1)));

        // CA revises while NL still has version 1's page open; approving
        // what it saw is refused with the sentence, and nothing is approved.
        // The statement page carries the text once; revising is a page of
        // its own, its base version pinned.
        lead.open(&format!("/statements/{id}")).await;
        assert!(!lead.html().await.contains("<textarea id=\"body\""), "no text box on the statement page");
        lead.click_link("Revise the text").await;
        assert_eq!(lead.path().await, format!("/statements/{id}/revise"));
        assert!(lead.html().await.contains("name=\"base\" value=\"1\""));
        assert_eq!(lead.value("body").await, FIRST, "the box holds the current text");
        lead.fill("body", SECOND).await;
        lead.press("Save as version 2").await;
        assert_eq!(lead.path().await, format!("/statements/{id}?done=statement-revised"));
        assert!(lead.text().await.contains("Your new version was saved."));
        lead.screenshot("statement").await;
        let pinned = signer.html().await;
        assert!(pinned.contains("name=\"version\" value=\"1\""), "{pinned}");
        signer.press("Approve version 1").await;
        let refused = signer.text().await;
        assert!(
            refused.contains("That is not the current version any more; the current version is 2. Nothing was changed."),
            "{refused}"
        );
        assert_eq!(signature(&nl, &id, "NL").await, ("STALE".to_owned(), Some(1)));

        // The difference from version 1 to 2, read as removed and added.
        signer.click_link("Changes from version 1 to 2").await;
        assert_eq!(signer.path().await, format!("/statements/{id}/diff?from=1&to=2"));
        let diff = signer.html().await;
        assert!(diff.contains("<span class=\"visually-hidden\">removed: </span>We urge the authorities to guarantee a fair trial.</del>"), "{diff}");
        assert!(diff.contains("<span class=\"visually-hidden\">added: </span>We urge the authorities to guarantee a fair and public trial.</ins>"), "{diff}");
        assert!(signer.text().await.contains("1 line removed, 1 line added."));
        signer.screenshot("statement-diff").await;

        // Finalizing before everyone has answered names who has not.
        lead.press("Approve version 2").await;
        lead.press("Finalize version 2").await;
        let early = lead.text().await;
        assert!(early.contains("1 participating country has not answered the current version: NL"), "{early}");

        // NL approves version 2; CA finalizes, marks delivered.
        signer.open(&link_path).await;
        signer.press("Approve version 2").await;
        assert_eq!(signature(&nl, &id, "NL").await, ("APPROVED".to_owned(), Some(2)));
        lead.open(&format!("/statements/{id}")).await;
        lead.press("Finalize version 2").await;
        let page = lead.text().await;
        assert!(page.contains("The statement is final."), "{page}");
        assert!(!page.contains("Revise the text"), "a final text is not revised");
        lead.open(&format!("/statements/{id}/revise")).await;
        assert_eq!(lead.heading().await, "This has changed");
        assert!(lead.text().await.contains("the statement is final; nothing changes it any more"));
        lead.open(&format!("/statements/{id}")).await;
        lead.choose("channel", "NOTE_VERBALE").await;
        lead.press("Mark delivered").await;
        let page = lead.text().await;
        assert!(page.contains("The delivery was recorded."), "{page}");
        assert!(page.contains("your time (Asia/Manila), Note verbale"), "{page}");
        // Times in UTC, the lead's own mission time (Manila) beside them.
        let finalized = page
            .lines()
            .skip_while(|l| !l.starts_with("Finalized"))
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        assert!(finalized.contains(" (UTC) · ") && finalized.contains("your time (Asia/Manila)"), "{page}");

        // Export: a POST that answers the Markdown file as a download.
        let cookie = page_cookie(&app, &nl.email).await;
        let res = app
            .http()
            .post(app.url(&format!("/statements/{id}/export")))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .expect("export");
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"].to_str().expect("ascii").starts_with("text/markdown"));
        let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_owned();
        assert!(disposition.starts_with("attachment; filename=\"joint-d"), "{disposition}");
        let markdown = res.text().await.expect("body");
        assert!(markdown.starts_with(&format!("# {TITLE}\n\n{SECOND}\n")), "{markdown}");
        assert!(markdown.contains("**Signatories:** Canada, Netherlands"), "{markdown}");
        assert!(markdown.contains("_Version 2, SHA-256 "), "{markdown}");
        // The export is not a GET.
        let get = app
            .http()
            .get(app.url(&format!("/statements/{id}/export")))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get");
        assert_eq!(get.status().as_u16(), 405);

        // The list shows it, delivered.
        lead.open("/statements").await;
        let list = lead.text().await;
        assert!(list.contains(TITLE) && list.contains("Delivered"), "{list}");
        assert!(list.contains("1 statement in all"), "{list}");
        lead.screenshot("statements").await;
        lead.close().await;
        signer.close().await;
    }

    async fn a_stale_revision_keeps_its_text_and_others_meet_not_found(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.user("COORDINATOR", "DE").await;
        let id = created(&ca, &["NL"], json!({})).await;
        let Some(lead) = Browser::start(&app).await else { return };
        lead.sign_in_as(&ca).await;
        lead.open(&format!("/statements/{id}/revise")).await;

        // Someone else revises meanwhile; this revision's base is stale.
        revise(&ca, &id, 1, "Someone else's wording.\n").await.data();
        let mine = "My own careful wording.\n\nA second paragraph.";
        lead.fill("body", mine).await;
        lead.press("Save as version 2").await;
        let page = lead.text().await;
        assert!(
            page.contains("That is not the current version any more; the current version is 2. Nothing was changed."),
            "{page}"
        );
        assert_eq!(lead.value("body").await, mine, "the typed text is kept");
        assert!(page.contains("Someone else's wording."), "the current text is shown");
        assert!(lead.html().await.contains("aria-describedby=\"body-error\""));
        let read = read_statement(&ca, &id).await;
        assert_eq!(read.data()["statement"]["currentVersion"]["number"], 2);
        // Having read it, the person may save theirs on top of version 2.
        lead.press("Save as version 3").await;
        assert!(lead.text().await.contains("Your new version was saved."));
        let read = read_statement(&ca, &id).await;
        let current = &read.data()["statement"]["currentVersion"];
        assert_eq!(current["number"], 3);
        assert!(current["body"].as_str().unwrap_or_default().starts_with("My own careful wording."));

        // A country without an invitation: the same page as for nothing at all.
        let Some(other) = Browser::start(&app).await else { return };
        other.sign_in_as(&de).await;
        other.open(&format!("/statements/{id}")).await;
        assert_eq!(other.heading().await, "Not found");
        let hidden = other.text().await;
        assert!(hidden.contains(NOT_FOUND), "{hidden}");
        assert!(!hidden.contains("démarche") && !hidden.contains("CA"), "{hidden}");
        let missing = URL_SAFE_NO_PAD.encode(format!("Statement:{}", Uuid::now_v7()));
        other.open(&format!("/statements/{missing}")).await;
        assert_eq!(other.text().await, hidden, "missing and hidden read the same");
        other.open("/statements/not-an-id").await;
        assert_eq!(other.text().await, hidden);
        other.open(&format!("/statements/{id}/diff?from=1&to=2")).await;
        assert_eq!(other.text().await, hidden);
        other.open("/statements").await;
        assert!(other.text().await.contains("0 statements in all"));

        // NL's diplomat sees it, signs, but may not revise or lead.
        let Some(signer) = Browser::start(&app).await else { return };
        signer.sign_in_as(&nl).await;
        signer.open(&format!("/statements/{id}")).await;
        let page = signer.text().await;
        assert!(page.contains("Approve version 3") && !page.contains("Revise the text"), "{page}");
        signer.open(&format!("/statements/{id}/revise")).await;
        assert_eq!(signer.heading().await, "Not allowed");
        assert!(!signer.html().await.contains("textarea"));
        other.open(&format!("/statements/{id}/revise")).await;
        assert_eq!(other.text().await, hidden, "the revise page of a hidden statement: NOT_FOUND");
        assert!(!page.contains("Finalize version"), "{page}");

        // Removed by the lead, NL meets the NOT_FOUND page at once.
        lead.open(&format!("/statements/{id}")).await;
        lead.press("Remove Netherlands (NL)").await;
        assert!(lead.text().await.contains("The country was removed from the statement."));
        signer.open(&format!("/statements/{id}")).await;
        assert_eq!(signer.heading().await, "Not found");
        assert!(signer.text().await.contains(NOT_FOUND));
        lead.close().await;
        other.close().await;
        signer.close().await;
    }

    async fn cases_invitations_answers_pages_and_filters(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let case = open_case(&ca, "Kestrelmarker", "Legal Wrenmarker Name").await;
        let reference = case["reference"].as_str().expect("reference").to_owned();
        let Some(lead) = Browser::start(&app).await else { return };
        lead.sign_in_as(&ca).await;

        // A letter about a case the lead's country sees.
        lead.open("/statements/new").await;
        lead.choose("kind", "LETTER").await;
        lead.fill("title", "Letter on a hearing").await;
        lead.choose("hostCountry", "PH").await;
        lead.fill("body", "Dear Minister,\n\nWe write about a hearing.").await;
        lead.tick("case-1", true).await;
        lead.press("Create the statement").await;
        let id = id_in(&lead.path().await);
        let page = lead.text().await;
        assert!(page.contains("Draft (no country invited yet)"), "{page}");
        assert!(page.contains(&reference) && page.contains("Kestrelmarker"), "{page}");

        // Inviting nobody is refused beside the list; then NL, by name.
        lead.press("Invite").await;
        assert!(lead.text().await.contains("Countries to invite: must name at least one country"));
        lead.tick("invite-NL", true).await;
        lead.press("Invite").await;
        let page = lead.text().await;
        assert!(page.contains("The invitation was sent."), "{page}");
        assert!(page.contains("Circulating for signature"), "{page}");

        // NL sees the statement but not the case it does not see.
        let Some(signer) = Browser::start(&app).await else { return };
        signer.sign_in_as(&nl).await;
        signer.open(&format!("/statements/{id}")).await;
        let html = signer.html().await;
        assert!(html.contains("Dear Minister,"), "{html}");
        assert!(!html.contains(&reference) && !html.contains("Kestrelmarker"), "{html}");
        assert!(!html.contains("Cases it is about"), "{html}");

        // Approve, withdraw, decline with a reason.
        signer.press("Approve version 1").await;
        signer.press("Withdraw approval").await;
        assert!(signer.text().await.contains("Your country's approval was withdrawn."));
        assert_eq!(signature(&nl, &id, "NL").await, ("PENDING".to_owned(), None));
        signer.fill("reason", "Our capital cannot sign this.").await;
        signer.press("Decline").await;
        let page = signer.text().await;
        assert!(page.contains("Your country's refusal was recorded."), "{page}");
        assert!(page.contains("Declined: Our capital cannot sign this."), "{page}");

        // Pages of 50, with the total; filters as GET parameters.
        for i in 0..50 {
            created(&ca, &[], json!({ "title": format!("Filler {i}") })).await;
        }
        lead.open("/statements").await;
        assert!(lead.text().await.contains("51 statements in all, 50 on this page"));
        lead.click_link("Next page").await;
        let second = lead.text().await;
        assert!(second.contains("51 statements in all, 1 on this page"), "{second}");
        assert!(second.contains("Filler 49"), "{second}");
        lead.click_link("First page").await;
        lead.choose("kind", "LETTER").await;
        lead.press("Show").await;
        assert!(lead.path().await.contains("kind=LETTER"));
        let letters = lead.text().await;
        assert!(letters.contains("1 statement in all") && letters.contains("Letter on a hearing"), "{letters}");
        lead.open("/statements?status=NOPE").await;
        assert!(lead.text().await.contains("Status: is not a status"));
        signer.open("/statements").await;
        assert!(signer.text().await.contains("1 statement in all"), "NL sees only its own");
        lead.close().await;
        signer.close().await;
    }

    async fn every_statement_page_passes_axe_also_with_errors(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let id = created(&ca, &["NL"], json!({})).await;
        let Some(browser) = Browser::start_for_audit(&app).await else { return };
        browser.sign_in_as(&ca).await;
        let css = include_str!("../../server/static/accord.css").len();
        for path in [
            "/statements".to_owned(),
            "/statements?status=NOPE".to_owned(),
            "/statements/new".to_owned(),
            format!("/statements/{id}"),
            format!("/statements/{id}/revise"),
            format!("/statements/{id}/diff"),
            format!("/statements/{id}/diff?from=9&to=1"),
        ] {
            browser.open(&path).await;
            let violations = browser.accessibility_violations().await;
            assert!(violations.is_empty(), "{path}: {violations:?}");
            let size = browser.html().await.len() + css;
            assert!(size < 50_000, "{path}: {size} bytes");
        }
        // Usable at 320 px: nothing but a table's own scroller is wider.
        browser.client.set_window_size(320, 800).await.expect("narrow window");
        for path in [
            "/statements".to_owned(),
            "/statements/new".to_owned(),
            format!("/statements/{id}"),
            format!("/statements/{id}/revise"),
            format!("/statements/{id}/diff"),
        ] {
            browser.open(&path).await;
            let width = browser
                .client
                .execute("return document.documentElement.scrollWidth", vec![])
                .await
                .expect("width");
            let inner = browser
                .client
                .execute("return window.innerWidth", vec![])
                .await
                .expect("inner width");
            let wide = browser
                .client
                .execute(
                    "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth && !(e.parentElement && e.parentElement.closest('.scroll'))).map(e => e.tagName + '.' + e.className + '#' + e.id)",
                    vec![],
                )
                .await
                .expect("wide elements");
            assert!(width.as_i64() <= inner.as_i64(), "{path}: {width} wide in {inner}: {wide}");
            let violations = browser.accessibility_violations().await;
            assert!(violations.is_empty(), "{path} at 320 px: {violations:?}");
        }
        browser.client.set_window_size(1024, 900).await.expect("wide window");
        // Forms refused: errors beside their fields, still nothing for axe.
        browser.open("/statements/new").await;
        browser.press("Create the statement").await;
        assert!(browser.text().await.contains("Please correct"));
        let violations = browser.accessibility_violations().await;
        assert!(violations.is_empty(), "{}: {violations:?}", "new, refused");
        browser.open(&format!("/statements/{id}")).await;
        browser.press("Finalize version 1").await;
        assert!(browser.text().await.contains("Please correct"));
        let violations = browser.accessibility_violations().await;
        assert!(violations.is_empty(), "{}: {violations:?}", "finalize refused");
        browser.open(&format!("/statements/{id}/revise")).await;
        browser.fill("body", " ").await;
        browser.press("Save as version 2").await;
        assert!(browser.text().await.contains("New text: must not be empty"));
        let violations = browser.accessibility_violations().await;
        assert!(violations.is_empty(), "{}: {violations:?}", "revise refused");
        browser.open(&format!("/statements/{id}")).await;
        // A final statement (deliver, export), then a delivered one.
        approve(&ca, &id, 1).await.data();
        approve(&nl, &id, 1).await.data();
        browser.press("Finalize version 1").await;
        assert!(browser.text().await.contains("The statement is final."));
        let violations = browser.accessibility_violations().await;
        assert!(violations.is_empty(), "final: {violations:?}");
        browser.press("Mark delivered").await;
        assert!(browser.text().await.contains("The delivery was recorded."));
        let violations = browser.accessibility_violations().await;
        assert!(violations.is_empty(), "delivered: {violations:?}");
        browser.close().await;
    }

    async fn the_statement_pages_read_in_french_and_spanish_with_no_english_left(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.user("COORDINATOR", "NL").await;
        let de = app.user("COORDINATOR", "DE").await;
        let title = "Marisol Quintero statement";
        let first = "Quorra Zephyrine ventured.\nVellichor minted.\n";
        let second = "Quorra Zephyrine ventured.\nPetrichor minted.\n";
        let id = created(
            &ca,
            &["NL", "DE"],
            json!({ "title": title, "body": first, "deadline": "2030-03-01T09:00:00Z" }),
        )
        .await;
        // NL approved version 1, the earlier text; DE declined with a reason.
        approve(&nl, &id, 1).await.data();
        revise(&ca, &id, 1, second).await.data();
        crate::builders::decline(&de, &id, "Vellichor petrichor").await.data();
        let cookie = page_cookie(&app, &ca.email).await;
        let pages = [
            "/statements".to_owned(),
            format!("/statements/{id}"),
            format!("/statements/{id}/diff"),
            "/statements/new".to_owned(),
        ];
        let expected: [(&str, [&[&str]; 4]); 2] = [
            (
                "fr",
                [
                    &["Déclarations", "1 déclaration au total", "Démarche", "En circulation pour signature", "Tous les pays"],
                    &["Version 2, le texte actuel", "Approuver la version 2", "Pays participants", "Version 1 approuvée, un texte antérieur", "Refus : Vellichor petrichor", "Chef de file", "Date limite de signature", "(UTC)"],
                    &["Modifications de « Marisol Quintero statement »", "1 ligne supprimée, 1 ligne ajoutée.", "À partir de la ligne 1 de la version 2", "Retour à la déclaration"],
                    &["Nouvelle déclaration", "Pays invités à signer", "Créer la déclaration", "Déclaration publique"],
                ],
            ),
            (
                "es",
                [
                    &["Declaraciones", "1 declaración en total", "Gestión diplomática", "En circulación para su firma", "Cualquier país"],
                    &["Versión 2, el texto actual", "Aprobar la versión 2", "Países participantes", "Versión 1 aprobada, un texto anterior", "Rechazo: Vellichor petrichor", "Coordinador", "Plazo para firmar"],
                    &["Cambios en «Marisol Quintero statement»", "1 línea eliminada, 1 línea añadida.", "Desde la línea 1 de la versión 2", "Volver a la declaración"],
                    &["Nueva declaración", "Países invitados a firmar", "Crear la declaración", "Declaración pública"],
                ],
            ),
        ];
        for (lang, phrases) in expected {
            for (path, want) in pages.iter().zip(phrases) {
                let html = page_in(&app, &cookie, path, lang).await;
                assert!(html.contains(&format!("lang=\"{lang}\"")), "{path} in {lang}");
                let text = crate::in_language::visible_text(&html);
                for phrase in want {
                    assert!(text.contains(phrase), "{path} in {lang}: no {phrase:?} in {text}");
                }
            }
        }
        // The data on the pages: what this test typed, the people's names,
        // the statement's fingerprint and the country names (English for
        // now, as `CountryCode::name` gives them).
        let page = page_in(&app, &cookie, &format!("/statements/{id}"), "fr").await;
        let hash = page
            .split("class=\"hash\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(hash.len(), 64, "{page}");
        let mut data = vec![title, "Quorra Zephyrine ventured.", "Vellichor minted.", "Petrichor minted.", "Vellichor petrichor", "Test User", &hash];
        let mut countries: Vec<&str> = isocountry::CountryCode::as_array().iter().map(|c| c.name()).collect();
        // Longest first, so "Guinea" does not cut "Papua New Guinea" short.
        countries.sort_by_key(|name| std::cmp::Reverse(name.len()));
        data.extend(countries);
        data.push("European Union");
        for path in &pages {
            assert_no_english_left(&app, &cookie, path, &data).await;
        }
    }
}
