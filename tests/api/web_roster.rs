//! *My roster* in real headless Chromium, JavaScript off: a confirmed
//! place, a second diplomat waitlisted with their position, a release that
//! promotes them, the private calendar feed (made, read as iCalendar,
//! replaced, turned off), and the promotion email's link opened signed
//! out: through sign-in to the hearing, and NOT_FOUND once it is unseen.
use std::time::Duration as StdDuration;

use serde_json::json;

use crate::browser::Browser;
use crate::builders::{claimed, hearing_world};
use crate::helpers::{Actor, Backend, TestApp};
use crate::on_both_backends;
use crate::smtp::SmtpServer;

/// Mar 1 2027, 09:30 in Manila: `hearing_world`'s hearing.
const STARTS: &str = "Monday 1 March 2027, 9:30 AM (Asia/Manila)";

/// One VEVENT's properties (unfolded lines, parameters dropped).
type Event = Vec<(String, String)>;

/// The events of an iCalendar text (RFC 5545: lines unfolded, then
/// `NAME[;params]:value` between BEGIN:VEVENT and END:VEVENT). A calendar
/// must also open with BEGIN:VCALENDAR and close with END:VCALENDAR.
fn events_of(ics: &str) -> Vec<Event> {
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"), "{ics}");
    let mut events = Vec::new();
    let mut current: Option<Event> = None;
    for line in lines {
        match line {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => events.extend(current.take()),
            _ => {
                let (name, value) = line.split_once(':').expect("NAME:value");
                let name = name.split(';').next().unwrap_or(name);
                if let Some(event) = current.as_mut() {
                    event.push((name.to_owned(), value.to_owned()));
                }
            }
        }
    }
    events
}

fn property<'a>(event: &'a Event, name: &str) -> &'a str {
    event
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

/// The row id inside a global id.
fn uuid_of(global: &str) -> uuid::Uuid {
    let (_, id) = accord_server::domain::ids::decode_any(global).expect("a global id");
    id
}

/// The feed at `url` (its path on this app): status and body.
async fn fetch_feed(app: &TestApp, url: &str) -> (u16, String) {
    let path = url
        .split_once("/calendar/")
        .map(|(_, p)| format!("/calendar/{p}"))
        .expect("a feed URL");
    let res = app
        .http()
        .get(app.url(&path))
        .send()
        .await
        .expect("feed answered");
    (res.status().as_u16(), res.text().await.expect("body"))
}

async fn sign_out(browser: &Browser) {
    browser.open("/").await;
    browser.press("Sign out").await;
    assert!(browser.path().await.starts_with("/sign-in"));
}

async fn my_roster_status(who: &Actor) -> serde_json::Value {
    who.q("{ myRoster { status position } }", json!({}))
        .await
        .data()["myRoster"]
        .clone()
}

on_both_backends! {
    async fn a_waitlist_a_release_a_promotion_and_the_calendar_feed(app: TestApp) {
        let (_coord, _case, hearing) = hearing_world(&app, 1).await;
        let first = app.diplomat("NL").await;
        let second = app.diplomat("CA").await;
        let Some(browser) = Browser::start(&app).await else { return };

        browser.open("/roster").await;
        browser.sign_in_as(&first).await;
        assert_eq!(browser.path().await, "/roster");
        assert!(browser.text().await.contains("You hold no place on any roster"));
        browser.open(&format!("/hearings/{hearing}")).await;
        browser.press("Claim a place").await;
        browser.click_link("My roster").await;
        let mine = browser.text().await;
        assert!(mine.contains("Regional Trial Court") && mine.contains("Davao"), "{mine}");
        assert!(mine.contains(STARTS), "{mine}");
        assert!(!mine.contains("your time"), "the viewer's clock is the court's: {mine}");
        assert!(mine.contains("Confirmed"), "{mine}");
        assert!(mine.contains("You have no feed."), "{mine}");

        // A second diplomat (another country) waits, and sees where.
        sign_out(&browser).await;
        browser.sign_in_as(&second).await;
        browser.open(&format!("/hearings/{hearing}")).await;
        browser.press("Claim a place").await;
        assert!(browser.text().await.contains("You are on this hearing's waitlist"));
        browser.open("/roster").await;
        let waiting = browser.text().await;
        assert!(waiting.contains("Waitlisted, number 1 in line"), "{waiting}");
        browser.screenshot("roster").await;
        // CA owns the case: it is shown who covers it, from any country.
        browser.open(&format!("/hearings/{hearing}")).await;
        let roster = browser.text().await;
        assert!(!roster.contains("Not shown to your country"), "{roster}");
        assert!(roster.contains("Waitlisted, number 1 in line CA"), "{roster}");

        // The first releases from *my roster*; the second is promoted.
        sign_out(&browser).await;
        browser.sign_in_as(&first).await;
        browser.open("/roster").await;
        browser.press(&format!("Release my place at Regional Trial Court on {STARTS}")).await;
        assert_eq!(browser.path().await, "/roster?done=place-released");
        let released = browser.text().await;
        assert!(released.contains("You gave up your place on the roster."), "{released}");
        assert!(released.contains("You hold no place on any roster"), "{released}");
        assert_eq!(my_roster_status(&second).await, json!([{ "status": "CONFIRMED", "position": null }]));
        // NL no longer holds a place, so it no longer sees who the CA observer is.
        browser.open(&format!("/hearings/{hearing}")).await;
        let as_partner = browser.text().await;
        assert!(as_partner.contains("Not shown to your country"), "{as_partner}");

        // The calendar feed of the promoted diplomat.
        sign_out(&browser).await;
        browser.sign_in_as(&second).await;
        browser.open("/roster").await;
        assert!(browser.text().await.contains("Confirmed"));
        browser.press("Make my feed address").await;
        assert_eq!(browser.path().await, "/roster/feed", "the secret is never in an address");
        assert_eq!(browser.heading().await, "Your calendar feed");
        let url = browser.value("feed-url").await;
        assert!(url.contains("/calendar/") && url.ends_with(".ics"), "{url}");
        let (status, ics) = fetch_feed(&app, &url).await;
        assert_eq!(status, 200, "{ics}");
        let events = events_of(&ics);
        assert_eq!(events.len(), 1, "{ics}");
        let event = &events[0];
        assert_eq!(property(event, "UID"), format!("{}@accord", uuid_of(&hearing)));
        assert_eq!(property(event, "DTSTART"), "20270301T013000Z");
        assert_eq!(property(event, "DTEND"), "20270301T033000Z");
        assert!(property(event, "SUMMARY").contains("Regional Trial Court"), "{event:?}");
        assert!(!ics.contains("Defender L") && !ics.contains("Live Test Name"), "{ics}");

        // Replaced: the old address stops working, the new one works.
        browser.open("/roster").await;
        assert!(browser.text().await.contains("Your feed is on."));
        browser.press("Replace my feed address").await;
        let replaced = browser.value("feed-url").await;
        assert_ne!(replaced, url);
        assert_eq!(fetch_feed(&app, &url).await.0, 404);
        assert_eq!(fetch_feed(&app, &replaced).await.0, 200);

        // Turned off: the feed answers 404.
        browser.open("/roster").await;
        browser.press("Turn off my feed").await;
        assert_eq!(browser.path().await, "/roster?done=feed-revoked");
        assert!(browser.text().await.contains("Your calendar feed was turned off"));
        assert!(browser.text().await.contains("You have no feed."));
        assert_eq!(fetch_feed(&app, &replaced).await.0, 404);
        browser.close().await;
    }
}

/// The promotion email, delivered by the app's own outbox worker to a real
/// SMTP server, links to the hearing's page by the API's id: opened signed
/// out, it goes through sign-in and lands on the hearing; once the reader's
/// country no longer sees the hearing, the same link answers NOT_FOUND.
async fn the_promotion_email_links_to_the_hearing(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    let Some(app) = TestApp::spawn_with(backend, |c| {
        c.smtp_url = Some(smtp_url.into());
        c.outbox_poll_ms = 50;
    })
    .await
    else {
        return;
    };
    let (coord, case, hearing) = hearing_world(&app, 1).await;
    let first = app.diplomat("CA").await;
    let second = app.diplomat("NL").await;
    assert_eq!(claimed(&first, &hearing).await["status"], "CONFIRMED");
    assert_eq!(claimed(&second, &hearing).await["status"], "WAITLISTED");
    first
        .q(
            "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }",
            json!({ "h": hearing }),
        )
        .await
        .data();
    let got = smtp.wait_for(1, StdDuration::from_secs(20)).await;
    assert_eq!(got.len(), 1, "the promotion was sent");
    let mail = &smtp.messages_to(&second.email)[0];
    let body = mail.body();
    let public = app
        .state()
        .config
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{public}/hearings/")))
        .unwrap_or_else(|| panic!("no hearing link in {body}"))
        .to_owned();
    assert_eq!(link, format!("{public}/hearings/{hearing}"));
    // The test server listens on its own port; the link's path is the page.
    let path = link.trim_start_matches(&public).to_owned();

    let Some(browser) = Browser::start(&app).await else {
        return;
    };
    browser.follow(&app.url(&path)).await;
    assert!(
        browser.path().await.starts_with("/sign-in?next="),
        "{}",
        browser.path().await
    );
    browser.sign_in_as(&second).await;
    assert_eq!(browser.path().await, path);
    assert_eq!(
        browser.heading().await,
        "Hearing at Regional Trial Court, Davao"
    );
    assert!(
        browser.text().await.contains("Your place\nConfirmed"),
        "{}",
        browser.text().await
    );

    // The case is no longer shared with NL: the link reads as a missing page.
    coord
        .q(
            "mutation($id: ID!) { unshareCase(caseId: $id, input: { country: \"NL\" }) { id } }",
            json!({ "id": case }),
        )
        .await
        .data();
    browser.follow(&app.url(&path)).await;
    assert_eq!(browser.heading().await, "Not found");
    let unseen = browser.text().await;
    browser
        .open(&format!(
            "/hearings/{}",
            accord_server::domain::ids::encode(
                accord_server::domain::ids::Kind::Hearing,
                uuid::Uuid::now_v7()
            )
        ))
        .await;
    assert_eq!(browser.text().await, unseen);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_promotion_email_links_to_the_hearing_sqlite() {
    the_promotion_email_links_to_the_hearing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_promotion_email_links_to_the_hearing_postgres() {
    the_promotion_email_links_to_the_hearing(Backend::Postgres).await;
}
