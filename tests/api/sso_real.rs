//! Single sign-on against a real, certified OpenID Connect provider:
//! panva's node-oidc-provider (`tests/clients/oidc-provider.mjs`), walked
//! by a plain HTTP client that follows the provider's redirects with a
//! cookie jar up to Accord's callback. Needs `node` and `npm ci --prefix
//! tests/clients`: skipped without them (with a note), mandatory under CI.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;

use axum::http::header;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::browser::no_redirects;
use crate::helpers::*;
use crate::on_both_backends;
use crate::sso::{
    CLIENT_ID, CLIENT_SECRET, PUBLIC, assert_refused, callback_path, cookie_named, finish,
    register, start,
};

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/clients")
}

/// Whether `node` and oidc-provider are there; under CI their absence
/// fails the test, elsewhere it skips it (with a note).
fn provider_available() -> bool {
    let node = std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let installed = clients_dir().join("node_modules/oidc-provider").is_dir();
    let why = match node {
        Ok(s) if s.success() && installed => return true,
        Ok(s) if s.success() => "oidc-provider is not installed".to_owned(),
        Ok(s) => format!("`node --version` failed ({s})"),
        Err(e) => format!("`node` cannot be run ({e})"),
    };
    if in_ci() {
        panic!(
            "the OpenID Connect provider tests are required under CI=true: {why}; run `npm ci --prefix tests/clients`"
        );
    }
    eprintln!("SKIPPED: OpenID Connect provider test ({why}; run `npm ci --prefix tests/clients`)");
    false
}

/// The provider process, ended when dropped.
struct NodeProvider {
    issuer: String,
    _child: Child,
}

impl NodeProvider {
    async fn start(sub: &str, email: &str, verified: bool) -> NodeProvider {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let mut child = Command::new("node")
            .current_dir(clients_dir())
            .arg("oidc-provider.mjs")
            .arg(port.to_string())
            .arg(CLIENT_ID)
            .arg(CLIENT_SECRET)
            .arg(format!("{PUBLIC}/sign-in/sso/callback"))
            .arg(sub)
            .arg(email)
            .arg(if verified { "true" } else { "false" })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(std::time::Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(issuer) = line.strip_prefix("ready ") {
                    return Some(issuer.to_owned());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .expect("the provider said it is ready");
        // Keep reading: the provider's later notices must not meet a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        NodeProvider {
            issuer: ready,
            _child: child,
        }
    }
}

/// Follows the provider's redirects (cookies kept by name) from the
/// authorization URL until it sends the browser to Accord's callback.
async fn walk_provider(authorize: &str) -> String {
    let client = no_redirects();
    let mut jar: BTreeMap<String, String> = BTreeMap::new();
    let mut at = reqwest::Url::parse(authorize).expect("url");
    for _ in 0..12 {
        let cookies = jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut req = client.get(at.clone());
        if !cookies.is_empty() {
            req = req.header(header::COOKIE, cookies);
        }
        let res = req.send().await.expect("provider answered");
        for value in res.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().expect("ascii");
            if let Some((name, rest)) = text.split(';').next().and_then(|p| p.split_once('=')) {
                if rest.is_empty()
                    || text
                        .to_ascii_lowercase()
                        .contains("expires=thu, 01 jan 1970")
                {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_owned(), rest.to_owned());
                }
            }
        }
        assert!(
            res.status().is_redirection(),
            "the provider redirects: {}",
            res.status()
        );
        let location = res.headers()[header::LOCATION]
            .to_str()
            .expect("ascii")
            .to_owned();
        let next = at.join(&location).expect("location");
        if next
            .as_str()
            .starts_with(&format!("{PUBLIC}/sign-in/sso/callback"))
        {
            return next.to_string();
        }
        at = next;
    }
    panic!("the provider never sent the browser back");
}

on_both_backends! {
    async fn a_real_provider_signs_a_person_in(app: TestApp) {
        if !provider_available() {
            return;
        }
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let provider = NodeProvider::start("ministry-7", &diplomat.email, true).await;
        let r = register(&admin, &provider.issuer, "EMAIL", true).await;
        let url = r.data()["configureSingleSignOn"]["signInUrl"].as_str().expect("url").to_owned();

        let (authorize, cookie) = start(&app, &url).await;
        assert!(authorize.starts_with(&format!("{}/auth?", provider.issuer)), "{authorize}");
        assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="));
        let callback = callback_path(&walk_provider(&authorize).await);
        let res = finish(&app, &callback, Some(&cookie)).await;
        assert_eq!(res.status().as_u16(), 303, "signed in");
        let session = cookie_named(&res, "accord-session").expect("session");
        let home = no_redirects().get(app.url("/")).header(header::COOKIE, session).send().await.expect("home");
        assert_eq!(home.status().as_u16(), 200);
        assert_eq!(app.count_rows("sessions WHERE method = 'SSO'").await, 1);
        // ssoOnly: the password is refused, once it is verified.
        app.login_raw(&diplomat.email, PASSWORD).await.assert_code("SSO_REQUIRED");
        // The provider's code is good once, and so is Accord's state.
        assert_refused(&app, finish(&app, &callback, Some(&cookie)).await, "REPLAYED_STATE").await;

        // Another mission's person at the same provider: refused, as a stranger.
        let other = app.diplomat("NL").await;
        let stranger = NodeProvider::start("ministry-8", &other.email, true).await;
        register(&admin, &stranger.issuer, "EMAIL", false).await.data();
        let (authorize, cookie) = start(&app, &url).await;
        let callback = callback_path(&walk_provider(&authorize).await);
        assert_refused(&app, finish(&app, &callback, Some(&cookie)).await, "NO_MATCHING_ACCOUNT").await;
        assert_eq!(app.count_rows("sessions WHERE method = 'SSO'").await, 1);
    }
}
