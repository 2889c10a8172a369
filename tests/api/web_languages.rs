//! The pseudo-language run: every page of the web client, as each person
//! who uses it, read in `en-XA` (English accented and about 40 % longer).
//! Any plain-ASCII word left on a page is English that bypassed the message
//! bundles, unless it is data the world holds (names, courts, texts people
//! typed, read from the database file itself); and on a 320-pixel phone
//! nothing may scroll sideways or be cut off by the longer words.
use accord_server::i18n::{Lang, untranslated_words};

use crate::browser::{Browser, no_redirects, page_cookie};
use crate::helpers::*;
use crate::in_language::{page_in, visible_text};
use crate::web_every_page::everyone;

/// Every word of the world's data: the text in the SQLite file (and its
/// write-ahead log), which is where everything people typed lives. Sealed
/// identity fields are not there in clear; `extra` adds what the test
/// itself knows it revealed.
fn data_words(app: &TestApp, extra: &[&str]) -> Vec<String> {
    let mut text = String::new();
    for entry in std::fs::read_dir(app.data_dir())
        .expect("data dir")
        .flatten()
    {
        if let Ok(bytes) = std::fs::read(entry.path()) {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    for e in extra {
        text.push(' ');
        text.push_str(e);
    }
    // What the tests typed (names, courts, summaries, motivations…): the
    // string literals of the builders and of the world. Many are sealed at
    // rest, so the database file does not show them.
    for source in [
        include_str!("builders.rs"),
        include_str!("web_every_page.rs"),
    ] {
        for (i, quoted) in source.split('"').enumerate() {
            if i % 2 == 1 {
                text.push(' ');
                text.push_str(quoted);
            }
        }
    }
    // Browsers and systems are named by their products (a session's label).
    text.push_str(" Chromium Chrome Firefox Safari Edge Linux Windows macOS Android ChromeOS ");
    // Each language is named in its own language on the account page.
    for lang in Lang::choosable() {
        text.push(' ');
        text.push_str(lang.name());
    }
    // Zone names are the zone database's (`America/Port_of_Spain`), shown
    // as they are: places, not sentences.
    for zone in chrono_tz::TZ_VARIANTS {
        text.push(' ');
        text.push_str(zone.name());
    }
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_owned)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// What is wrong with a page read in the pseudo-language, if anything.
fn leftovers(what: &str, html: &str, data: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if !html.contains("lang=\"en-XA\"") {
        problems.push(format!("{what}: not in the pseudo-language"));
    }
    let allowed: Vec<&str> = data.iter().map(String::as_str).collect();
    let left = untranslated_words(&visible_text(html), &allowed);
    if !left.is_empty() {
        problems.push(format!("{what}: English left: {left:?}"));
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_the_pseudo_language_is_translated_and_uncut() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let everyone = everyone(&app).await;
    let pseudo = Lang::pseudo();
    // Pages with no one signed in, and refusals, are pages too.
    let anonymous = page_in(&app, "", "/sign-in", "en-XA").await;
    let mut problems = Vec::new();
    let Some(phone) = Browser::start_narrow_in(&app, "en-XA").await else {
        return;
    };
    let mut pages = 0;
    for (actor, paths) in &everyone {
        let data = data_words(&app, &["Page Person"]);
        problems.extend(leftovers("/sign-in", &anonymous, &data));
        let cookie = page_cookie(&app, &actor.email).await;
        phone.open("/sign-in").await;
        phone.fill("email", &actor.email).await;
        phone.fill("password", PASSWORD).await;
        phone.press(&pseudo.text("sign-in-title")).await;
        let mut all = paths.clone();
        // A refusal, and a form sent back with its mistakes.
        all.push("/hearings/nothing-here".into());
        for path in &all {
            let res = no_redirects()
                .get(app.url(path))
                .header("cookie", &cookie)
                .header("accept-language", "en-XA")
                .send()
                .await
                .expect("page");
            let html = res.text().await.expect("page text");
            problems.extend(leftovers(&format!("{} {path}", actor.email), &html, &data));
            pages += 1;
            phone.open(path).await;
            let overflow = phone.overflow_px().await;
            if overflow > 0 {
                problems.push(format!(
                    "{path}: {overflow} px wider than a 320 px phone in en-XA"
                ));
            }
            let clipped = phone.clipped_text().await;
            if !clipped.is_empty() {
                problems.push(format!("{path}: text cut off in en-XA: {clipped:?}"));
            }
        }
        phone.open("/account").await;
        phone.press(&pseudo.text("layout-sign-out")).await;
    }
    phone.close().await;
    assert!(pages > 40, "only {pages} pages were read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
