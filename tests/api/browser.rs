//! A real browser for the web client's tests: the system's Chromium,
//! headless, **JavaScript disabled**, driven over WebDriver by chromedriver
//! (one driver and one browser per test). Pages are used as a person uses
//! them: fields found by their label's `for`, buttons by their text.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium`,
//! `chromium-driver`; `.ci/run` installs them): skipped with a note without
//! them, except under CI=true where their absence fails the test.
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::helpers::{Actor, PASSWORD, TestApp, in_ci};

/// A client that shows redirects instead of following them (a page's 303
/// is part of what a test checks).
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Signs in through the sign-in form as a same-origin browser would; the
/// session cookie's `name=value`, for requests made without a browser.
pub async fn page_cookie(app: &TestApp, email: &str) -> String {
    page_cookie_with(app, email, PASSWORD).await
}

/// [`page_cookie`] for a user whose password is not the test default.
pub async fn page_cookie_with(app: &TestApp, email: &str, password: &str) -> String {
    let res = no_redirects()
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", email), ("password", password), ("next", "/")])
        .send()
        .await
        .expect("sign-in answered");
    assert_eq!(res.status().as_u16(), 303, "signed in");
    res.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned()
}

/// A headless Chromium with JavaScript off, on one test server.
pub struct Browser {
    pub client: Client,
    base: String,
    _driver: Child,
}

/// A command of WebDriver's WebAuthn extension (virtual authenticators),
/// which fantoccini has no method for.
#[derive(Debug)]
struct WebAuthnCommand {
    /// Below `session/{id}/`.
    path: String,
    method: axum::http::Method,
    body: Option<Value>,
}

impl fantoccini::wd::WebDriverCompatibleCommand for WebAuthnCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            self.method.clone(),
            self.body.as_ref().map(Value::to_string),
        )
    }
}

fn find_binary(candidates: &[&str]) -> Option<PathBuf> {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| {
            candidates.iter().find_map(|name| {
                std::process::Command::new("which")
                    .arg(name)
                    .output()
                    .ok()
                    .filter(|o| o.status.success())
                    .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
            })
        })
}

/// Where screenshots go when `ACCORD_SCREENSHOTS` names a folder (README's
/// pictures are taken this way: `ACCORD_SCREENSHOTS=docs/screenshots`).
fn screenshot_dir() -> Option<PathBuf> {
    std::env::var_os("ACCORD_SCREENSHOTS").map(PathBuf::from)
}

impl Browser {
    /// A browser on `app`; `None` (with a note) when Chromium or chromedriver
    /// is missing outside CI.
    pub async fn start(app: &TestApp) -> Option<Browser> {
        Self::launch(app, false).await
    }

    /// A browser that runs JavaScript, only to run axe-core (itself a
    /// script, whose promises a JavaScript-off page never settles). The
    /// pages carry no script of their own (CSP `script-src 'none'`), so it
    /// audits exactly what a JavaScript-off browser shows.
    pub async fn start_for_audit(app: &TestApp) -> Option<Browser> {
        Self::launch(app, true).await
    }

    /// A JavaScript-off browser on a phone-sized screen (320 CSS pixels).
    pub async fn start_narrow(app: &TestApp) -> Option<Browser> {
        Self::launch_sized(app, false, "320,800", "en").await
    }

    /// [`Browser::start_narrow`] asking for pages in `lang`
    /// (`Accept-Language`), e.g. the pseudo-language `en-XA`.
    pub async fn start_narrow_in(app: &TestApp, lang: &str) -> Option<Browser> {
        Self::launch_sized(app, false, "320,800", lang).await
    }

    async fn launch(app: &TestApp, javascript: bool) -> Option<Browser> {
        Self::launch_sized(app, javascript, "1024,900", "en").await
    }

    /// A browser that runs the pages' own JavaScript, opening them at
    /// `http://localhost:<port>` (WebAuthn refuses an IP address; the
    /// server's public URL must be `http://localhost` for its relying party)
    /// with a virtual security key plugged in: Chromium's virtual
    /// authenticator (CTAP2 over USB, user verification passing), through
    /// WebDriver's WebAuthn extension. Only the security-key pages carry a
    /// script; every other page stays as with JavaScript off.
    pub async fn start_with_security_key(app: &TestApp) -> Option<Browser> {
        let mut browser = Self::launch(app, true).await?;
        browser.base = browser.base.replacen("127.0.0.1", "localhost", 1);
        browser.add_security_key().await;
        Some(browser)
    }

    /// [`Browser::start`] (JavaScript off) on `http://localhost:<port>`.
    pub async fn start_at_localhost(app: &TestApp) -> Option<Browser> {
        let mut browser = Self::launch(app, false).await?;
        browser.base = browser.base.replacen("127.0.0.1", "localhost", 1);
        Some(browser)
    }

    /// Plugs a new virtual security key in (it holds no credential yet);
    /// returns its authenticator id.
    pub async fn add_security_key(&self) -> String {
        let answer = self
            .client
            .issue_cmd(WebAuthnCommand {
                path: "webauthn/authenticator".into(),
                method: axum::http::Method::POST,
                body: Some(json!({
                    "protocol": "ctap2",
                    "transport": "usb",
                    "hasResidentKey": true,
                    "hasUserVerification": true,
                    "isUserVerified": true,
                })),
            })
            .await
            .expect("a virtual authenticator (chromedriver's WebAuthn extension)");
        answer
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| answer.to_string())
    }

    async fn launch_sized(
        app: &TestApp,
        javascript: bool,
        size: &str,
        lang: &str,
    ) -> Option<Browser> {
        let chromium = find_binary(&["/usr/bin/chromium", "chromium", "chromium-browser"]);
        let driver = find_binary(&["/usr/bin/chromedriver", "chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(
                !in_ci(),
                "chromium and chromedriver are required under CI=true (apt-get install chromium chromium-driver)"
            );
            eprintln!("SKIPPED: chromium or chromedriver not found; the browser tests did not run");
            return None;
        };
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().expect("addr").port()
        };
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", format!("--window-size={size}"),
                    "--no-first-run", "--disable-extensions",
                    format!("--accept-lang={lang}"), format!("--lang={lang}"),
                ],
                // JavaScript off, as on a locked-down desk or for a liaison
                // who turned it off: every journey must work without it.
                "prefs": {
                    "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 },
                    "intl.accept_languages": lang,
                }
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..50 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Some(Browser {
                        client,
                        base: app.url(""),
                        _driver: child,
                    });
                }
                Err(err) => {
                    last = Some(err.to_string());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver did not start a session: {last:?}");
    }

    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("page opens");
    }

    /// Opens a full URL (a link from an email).
    pub async fn follow(&self, url: &str) {
        self.client.goto(url).await.expect("link opens");
    }

    /// The path and query the browser is on now.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        let mut path = url.path().to_owned();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        path
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("body")
            .text()
            .await
            .expect("text")
    }

    /// The page's HTML as served (what a leak check reads).
    pub async fn html(&self) -> String {
        self.client.source().await.expect("source")
    }

    /// The `<h1>`.
    pub async fn heading(&self) -> String {
        self.client
            .find(Locator::Css("h1"))
            .await
            .expect("every page has an h1")
            .text()
            .await
            .expect("h1 text")
    }

    /// The field labelled by `<label for=id>`, found through its label so a
    /// field without one fails here.
    async fn field(&self, id: &str) -> Element {
        self.client
            .find(Locator::Css(&format!("label[for='{id}']")))
            .await
            .unwrap_or_else(|_| panic!("no label for #{id} on {}", self.base));
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("no field #{id}"))
    }

    /// Types into the field `id` (after clearing it).
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self.field(id).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// The current value of field `id`.
    pub async fn value(&self, id: &str) -> String {
        self.field(id)
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// Chooses `value` in the `<select id=id>`.
    pub async fn choose(&self, id: &str, value: &str) {
        self.field(id)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|_| panic!("no option {value} in #{id}"));
    }

    /// Ticks (or unticks) the checkbox `id` so that it ends `on`.
    pub async fn tick(&self, id: &str, on: bool) {
        let field = self.field(id).await;
        let checked = field.prop("checked").await.expect("checked").as_deref() == Some("true");
        if checked != on {
            field.click().await.expect("tick");
        }
    }

    /// Presses the button whose text is `label` (the first one).
    pub async fn press(&self, label: &str) {
        self.button(label, 0).await;
    }

    /// Presses the `nth` button whose text is `label`.
    pub async fn button(&self, label: &str, nth: usize) {
        let buttons = self
            .client
            .find_all(Locator::XPath(&format!(
                "//button[normalize-space(.)={}]",
                xpath_literal(label)
            )))
            .await
            .expect("buttons");
        let button = buttons
            .get(nth)
            .unwrap_or_else(|| panic!("no button {label:?} (#{nth})"));
        let before = self.client.find(Locator::Css("html")).await.expect("html");
        button.click().await.expect("press");
        self.until_replaced(before).await;
    }

    /// Waits until the document `before` belongs to is replaced (the form's
    /// answer has loaded), so the next look is at the new page.
    async fn until_replaced(&self, before: Element) {
        for _ in 0..200 {
            if before.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the page did not change within 5 s");
    }

    /// Follows the link whose text is `label`.
    pub async fn click_link(&self, label: &str) {
        let link = self
            .client
            .find(Locator::LinkText(label))
            .await
            .unwrap_or_else(|_| panic!("no link {label:?}"));
        let before = self.client.find(Locator::Css("html")).await.expect("html");
        link.click().await.expect("follow link");
        self.until_replaced(before).await;
    }

    /// Signs in as `actor` through the sign-in form (wherever the browser
    /// was sent to it from).
    pub async fn sign_in_as(&self, actor: &Actor) {
        if !self.path().await.starts_with("/sign-in") {
            self.open("/sign-in").await;
        }
        self.fill("email", &actor.email).await;
        self.fill("password", PASSWORD).await;
        self.press("Sign in").await;
        assert!(
            !self.path().await.starts_with("/sign-in"),
            "still on the sign-in page: {}",
            self.text().await
        );
    }

    /// Saves a PNG of the page as `name.png` when `ACCORD_SCREENSHOTS` is set.
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = screenshot_dir() else { return };
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    /// Runs axe-core (vendored from npm, injected by the driver: the page's
    /// own JavaScript stays off) against WCAG 2.x A and AA, 2.2 included;
    /// returns each violation as "rule: target".
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let axe = axe_source();
        let script = format!(
            "{axe}\nconst done = arguments[arguments.length - 1];\
             axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa'] }} }})\
             .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
             .catch(e => done(['axe failed: ' + e]));"
        );
        let result = self
            .client
            .execute_async(&script, vec![])
            .await
            .expect("axe runs");
        match result {
            Value::Array(items) => items
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            other => vec![format!("axe answered {other}")],
        }
    }

    /// How many CSS pixels the page is wider than the window (0 when it
    /// fits: nothing to scroll sideways). Read by the driver; the page's own
    /// JavaScript stays off.
    pub async fn overflow_px(&self) -> i64 {
        let width = self
            .client
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await
            .expect("width read");
        width.as_i64().unwrap_or(i64::MAX)
    }

    /// Text the layout cuts off: an element that hides what overflows it
    /// (or ends it with an ellipsis) while its content is wider or taller
    /// than its box. The deliberately hidden (`visually-hidden`, the skip
    /// link) are not counted.
    pub async fn clipped_text(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                r#"return [...document.querySelectorAll('body *')]
                    .filter(e => !e.closest('.visually-hidden, .skip'))
                    .filter(e => {
                        const s = getComputedStyle(e);
                        const hides = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY) || s.textOverflow === 'ellipsis';
                        return hides && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
                    })
                    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60));"#,
                vec![],
            )
            .await
            .expect("layout read");
        found
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Rule 5: the page's HTML and the stylesheet together stay under 50 KB.
    pub async fn assert_small(&self, what: &str) {
        let css = include_str!("../../server/static/accord.css").len();
        let size = self.html().await.len() + css;
        assert!(size < 50_000, "{what}: {size} bytes with the stylesheet");
    }

    /// axe-core finds nothing on the page (see `accessibility_violations`).
    pub async fn assert_accessible(&self, what: &str) {
        assert_eq!(
            self.accessibility_violations().await,
            Vec::<String>::new(),
            "{what}"
        );
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// `axe.min.js` from `tests/clients/node_modules/axe-core`.
fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/clients/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `npm ci --prefix tests/clients`",
            path.display()
        )
    })
}

/// An XPath string literal for `text` (which may hold either quote).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
