//! Single sign-on with a mission's OpenID Connect provider (issue 27): the
//! admin's registration and its refusals, the code flow with PKCE against a
//! provider that can be told to misbehave (a small one in Rust, here), the
//! ID token's checks, single use of `state` and of the code, the HTTP
//! client that never leaves the issuer's origin, account matching inside
//! the mission only, and `ssoOnly` refusing passwords after they are
//! verified. The same flow against node-oidc-provider is `sso_real.rs`.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::browser::no_redirects;
use crate::builders::row_uuid;
use crate::helpers::*;
use crate::on_both_backends;

pub const CONFIGURE: &str = "mutation($i: SingleSignOnInput!) { configureSingleSignOn(input: $i) { issuer clientId matchClaim ssoOnly signInUrl redirectUri } }";
pub const CLIENT_ID: &str = "accord-test";
pub const CLIENT_SECRET: &str = "s3cret-of-the-ministry-client";
/// Where the test server's public URL sends the provider's answer.
pub const PUBLIC: &str = "http://127.0.0.1:8080";

/// What the fake provider does; each knob makes it misbehave one way.
#[derive(Clone, Default)]
struct Behaviour {
    /// The issuer its discovery document names (default: its own).
    discovery_issuer: Option<String>,
    /// The issuer in its ID tokens (default: its own).
    token_issuer: Option<String>,
    /// The ID token's audience (default: the client id).
    audience: Option<String>,
    /// ID tokens that expired an hour ago.
    expired: bool,
    /// Another nonce than the one asked for.
    wrong_nonce: bool,
    token_endpoint: Option<String>,
    jwks_uri: Option<String>,
    /// Discovery answers 302 to this address.
    discovery_redirect: Option<String>,
    /// The person signed in there.
    sub: String,
    email: String,
    email_verified: bool,
}

struct Grant {
    nonce: String,
    challenge: String,
    used: bool,
}

#[derive(Clone)]
struct Provider {
    base: String,
    requests: Arc<AtomicUsize>,
    behaviour: Arc<Mutex<Behaviour>>,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
}

impl Provider {
    async fn spawn() -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let provider = Provider {
            base,
            requests: Arc::default(),
            behaviour: Arc::new(Mutex::new(Behaviour {
                sub: "subject-1".into(),
                email_verified: true,
                ..Behaviour::default()
            })),
            grants: Arc::default(),
        };
        let router = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(provider.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        provider
    }

    fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut self.behaviour.lock().expect("behaviour"));
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn discovery(State(p): State<Provider>) -> Response {
    p.requests.fetch_add(1, Ordering::SeqCst);
    let b = p.behaviour.lock().expect("behaviour").clone();
    if let Some(to) = b.discovery_redirect {
        return (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
    }
    json_response(
        StatusCode::OK,
        json!({
            "issuer": b.discovery_issuer.unwrap_or_else(|| p.base.clone()),
            "authorization_endpoint": format!("{}/authorize", p.base),
            "token_endpoint": b.token_endpoint.unwrap_or_else(|| format!("{}/token", p.base)),
            "jwks_uri": b.jwks_uri.unwrap_or_else(|| format!("{}/jwks", p.base)),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }),
    )
}

async fn jwks(State(p): State<Provider>) -> Response {
    p.requests.fetch_add(1, Ordering::SeqCst);
    json_response(
        StatusCode::OK,
        json!({ "keys": [{ "kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": TEST_RSA_N, "e": "AQAB" }] }),
    )
}

/// Signs in at once (the person is whoever `Behaviour` says) and sends the
/// browser back with a code.
async fn authorize(
    State(p): State<Provider>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    p.requests.fetch_add(1, Ordering::SeqCst);
    assert_eq!(
        q.get("code_challenge_method").map(String::as_str),
        Some("S256"),
        "PKCE asked for"
    );
    assert!(
        q.get("scope")
            .is_some_and(|s| s.split(' ').any(|x| x == "openid"))
    );
    let code = format!("code-{}", uuid::Uuid::new_v4());
    p.grants.lock().expect("grants").insert(
        code.clone(),
        Grant {
            nonce: q.get("nonce").cloned().unwrap_or_default(),
            challenge: q.get("code_challenge").cloned().unwrap_or_default(),
            used: false,
        },
    );
    let to = format!(
        "{}?code={}&state={}",
        q.get("redirect_uri").cloned().unwrap_or_default(),
        code,
        q.get("state").cloned().unwrap_or_default()
    );
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

async fn token(
    State(p): State<Provider>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    p.requests.fetch_add(1, Ordering::SeqCst);
    let refuse = || json_response(StatusCode::BAD_REQUEST, json!({ "error": "invalid_grant" }));
    if !headers.contains_key(header::AUTHORIZATION) {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "invalid_client" }),
        );
    }
    let code = form.get("code").cloned().unwrap_or_default();
    let nonce = {
        let mut grants = p.grants.lock().expect("grants");
        let Some(grant) = grants.get_mut(&code) else {
            return refuse();
        };
        let verifier = form.get("code_verifier").cloned().unwrap_or_default();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        if grant.used || challenge != grant.challenge {
            // A code is good once (RFC 6749 4.1.2).
            grant.used = true;
            return refuse();
        }
        grant.used = true;
        grant.nonce.clone()
    };
    let b = p.behaviour.lock().expect("behaviour").clone();
    let now = chrono::Utc::now().timestamp();
    let (iat, exp) = if b.expired {
        (now - 7200, now - 3600)
    } else {
        (now, now + 300)
    };
    let claims = json!({
        "iss": b.token_issuer.unwrap_or_else(|| p.base.clone()),
        "aud": b.audience.unwrap_or_else(|| CLIENT_ID.to_owned()),
        "sub": b.sub,
        "email": b.email,
        "email_verified": b.email_verified,
        "nonce": if b.wrong_nonce { "another-nonce".to_owned() } else { nonce },
        "iat": iat,
        "exp": exp,
    });
    let mut head = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    head.kid = Some("k1".into());
    let der = base64::engine::general_purpose::STANDARD
        .decode(TEST_RSA_KEY)
        .expect("test key");
    let key = jsonwebtoken::EncodingKey::from_rsa_der(&der);
    let id_token = jsonwebtoken::encode(&head, &claims, &key).expect("signed");
    json_response(
        StatusCode::OK,
        json!({ "access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "id_token": id_token }),
    )
}

/// Registers `issuer` for `admin`'s mission.
pub async fn register(admin: &Actor, issuer: &str, match_claim: &str, sso_only: bool) -> Resp {
    admin
        .q(
            CONFIGURE,
            json!({ "i": { "issuer": issuer, "clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET,
                           "matchClaim": match_claim, "ssoOnly": sso_only } }),
        )
        .await
}

/// The start page's address, path only.
pub fn start_path(sign_in_url: &str) -> String {
    sign_in_url.trim_start_matches(PUBLIC).to_owned()
}

/// `name=value` of a `Set-Cookie` named `name`.
pub fn cookie_named(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
}

/// Presses the start page's button: the provider's authorization URL and
/// the flow cookie.
pub async fn start(app: &TestApp, sign_in_url: &str) -> (String, String) {
    let path = start_path(sign_in_url);
    let page = no_redirects()
        .get(app.url(&path))
        .send()
        .await
        .expect("start page");
    assert_eq!(page.status().as_u16(), 200, "the start page");
    let res = no_redirects()
        .post(app.url(&path))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("started");
    assert_eq!(res.status().as_u16(), 303, "to the provider");
    let to = res.headers()[header::LOCATION]
        .to_str()
        .expect("ascii")
        .to_owned();
    let cookie = cookie_named(&res, "accord-sso-flow").expect("flow cookie");
    (to, cookie)
}

/// The callback's path and query, from the provider's redirect.
pub fn callback_path(location: &str) -> String {
    assert!(
        location.starts_with(&format!("{PUBLIC}/sign-in/sso/callback?")),
        "{location}"
    );
    location.trim_start_matches(PUBLIC).to_owned()
}

/// Hands the callback to Accord as the browser would.
pub async fn finish(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = no_redirects()
        .get(app.url(path))
        .header("accept-language", "fr");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.send().await.expect("callback answered")
}

/// The whole flow at the fake provider: the callback's answer.
async fn sign_in(app: &TestApp, sign_in_url: &str) -> (reqwest::Response, String, String) {
    let (to, cookie) = start(app, sign_in_url).await;
    let at_provider = no_redirects().get(&to).send().await.expect("provider");
    assert_eq!(at_provider.status().as_u16(), 302);
    let path = callback_path(
        at_provider.headers()[header::LOCATION]
            .to_str()
            .expect("ascii"),
    );
    (finish(app, &path, Some(&cookie)).await, path, cookie)
}

/// A refused sign-in: 401, the one page in the reader's language, no
/// session cookie, and the failure audited with `reason`.
pub async fn assert_refused(app: &TestApp, res: reqwest::Response, reason: &str) -> String {
    assert_eq!(res.status().as_u16(), 401, "{reason}");
    assert!(
        cookie_named(&res, "accord-session").is_none(),
        "{reason}: no session"
    );
    let body = res.text().await.expect("body");
    assert!(
        body.contains("Connexion refusée"),
        "{reason}: in French: {body}"
    );
    let n = app
        .count_rows(&format!(
            "audit_events WHERE action = 'SSO_SIGN_IN_FAILED' AND detail = '{reason}'"
        ))
        .await;
    assert!(n >= 1, "{reason} audited");
    body
}

/// `sessions` opened by single sign-on.
async fn sso_sessions(app: &TestApp) -> i64 {
    app.count_rows("sessions WHERE method = 'SSO'").await
}

on_both_backends! {
    async fn a_person_signs_in_through_their_ministry(app: TestApp) {
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let provider = Provider::spawn().await;
        provider.set(|b| b.email = diplomat.email.to_uppercase());
        let r = register(&admin, &provider.base, "EMAIL", false).await;
        let sso = r.data()["configureSingleSignOn"].clone();
        assert_eq!(sso["issuer"], provider.base.as_str());
        assert_eq!(sso["clientId"], CLIENT_ID);
        assert_eq!(sso["matchClaim"], "EMAIL");
        assert_eq!(sso["redirectUri"], format!("{PUBLIC}/sign-in/sso/callback"));
        let url = sso["signInUrl"].as_str().expect("url").to_owned();
        assert!(url.starts_with(&format!("{PUBLIC}/sign-in/sso/")), "{url}");
        // The opaque id is not the mission's.
        assert!(!url.contains(&row_uuid(&app.mission("CA").await).to_string()));
        // The secret is stored sealed, never as typed, and never returned.
        assert_eq!(app.count_rows(&format!("single_sign_on WHERE client_secret_sealed LIKE '%{CLIENT_SECRET}%'")).await, 0);
        let mission = app.mission("CA").await;
        let read = admin.q("query($id: ID!) { node(id: $id) { ... on Mission { singleSignOn { issuer ssoOnly signInUrl } } } }", json!({ "id": mission })).await;
        assert_eq!(read.data()["node"]["singleSignOn"]["signInUrl"], url.as_str());
        assert!(!read.body.to_string().contains(CLIENT_SECRET));
        // The public sign-in page names no mission.
        let page = app.http().get(app.url("/sign-in")).send().await.expect("page").text().await.expect("body");
        assert!(!page.contains("/sign-in/sso/"));

        let (res, _, _) = sign_in(&app, &url).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()[header::LOCATION], "/");
        let session = cookie_named(&res, "accord-session").expect("session cookie");
        let home = no_redirects().get(app.url("/")).header(header::COOKIE, &session).send().await.expect("home");
        assert_eq!(home.status().as_u16(), 200);
        let home = home.text().await.expect("body");
        assert!(home.contains("Sign out"), "signed in: {home}");
        assert_eq!(sso_sessions(&app).await, 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SSO_SIGN_IN_SUCCEEDED'").await, 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SSO_CONFIGURED'").await, 1);
        // The session keeps no member key: identities stay sealed.
        assert_eq!(app.count_rows("sessions WHERE method = 'SSO' AND unlock_sealed IS NOT NULL").await, 0);
        // Its flow is spent.
        assert_eq!(app.count_rows("sso_flows WHERE used_at IS NULL").await, 0);
    }

    async fn the_id_token_is_checked(app: TestApp) {
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let provider = Provider::spawn().await;
        provider.set(|b| b.email = diplomat.email.clone());
        let url = register(&admin, &provider.base, "EMAIL", false).await.data()["configureSingleSignOn"]["signInUrl"]
            .as_str().expect("url").to_owned();
        type Knob = fn(&mut Behaviour);
        let cases: [(Knob, &str); 5] = [
            (|b| b.token_issuer = Some("https://impostor.example".into()), "ID_TOKEN_WRONG_ISSUER"),
            (|b| b.audience = Some("another-client".into()), "ID_TOKEN_WRONG_AUDIENCE"),
            (|b| b.expired = true, "ID_TOKEN_EXPIRED"),
            (|b| b.wrong_nonce = true, "ID_TOKEN_WRONG_NONCE"),
            (|b| b.email_verified = false, "NO_MATCHING_ACCOUNT"),
        ];
        for (knob, reason) in cases {
            let saved = provider.behaviour.lock().expect("b").clone();
            provider.set(knob);
            let (res, _, _) = sign_in(&app, &url).await;
            assert_refused(&app, res, reason).await;
            *provider.behaviour.lock().expect("b") = saved;
        }
        assert_eq!(sso_sessions(&app).await, 0);
        // Back to a well-behaved provider: it works.
        let (res, _, _) = sign_in(&app, &url).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(sso_sessions(&app).await, 1);
    }

    async fn state_and_code_are_good_once(app: TestApp) {
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let provider = Provider::spawn().await;
        provider.set(|b| b.email = diplomat.email.clone());
        let url = register(&admin, &provider.base, "EMAIL", false).await.data()["configureSingleSignOn"]["signInUrl"]
            .as_str().expect("url").to_owned();
        let (res, first, cookie) = sign_in(&app, &url).await;
        assert_eq!(res.status().as_u16(), 303);
        // The same callback again: the state is spent.
        assert_refused(&app, finish(&app, &first, Some(&cookie)).await, "REPLAYED_STATE").await;
        // A fresh state with the spent code: the provider refuses the code.
        let (to, cookie2) = start(&app, &url).await;
        let at = no_redirects().get(&to).send().await.expect("provider");
        let second = callback_path(at.headers()[header::LOCATION].to_str().expect("ascii"));
        let state2 = second.split("state=").nth(1).expect("state");
        let code1 = first.split("code=").nth(1).and_then(|s| s.split('&').next()).expect("code");
        let replayed = format!("/sign-in/sso/callback?code={code1}&state={state2}");
        assert_refused(&app, finish(&app, &replayed, Some(&cookie2)).await, "CODE_EXCHANGE_FAILED").await;
        // An unknown state, and a callback from another browser (no cookie).
        assert_refused(&app, finish(&app, "/sign-in/sso/callback?code=x&state=never-issued", Some(&cookie2)).await, "UNKNOWN_STATE").await;
        let (to, _) = start(&app, &url).await;
        let at = no_redirects().get(&to).send().await.expect("provider");
        let third = callback_path(at.headers()[header::LOCATION].to_str().expect("ascii"));
        assert_refused(&app, finish(&app, &third, None).await, "OTHER_BROWSER").await;
        // A flow older than ten minutes.
        let (to, cookie4) = start(&app, &url).await;
        let at = no_redirects().get(&to).send().await.expect("provider");
        let fourth = callback_path(at.headers()[header::LOCATION].to_str().expect("ascii"));
        app.advance_clock(chrono::Duration::minutes(11));
        assert_refused(&app, finish(&app, &fourth, Some(&cookie4)).await, "EXPIRED_STATE").await;
        assert_eq!(sso_sessions(&app).await, 1);
    }

    async fn the_client_never_leaves_the_issuer(app: TestApp) {
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let provider = Provider::spawn().await;
        let elsewhere = Provider::spawn().await;
        provider.set(|b| b.email = diplomat.email.clone());
        // Discovery that redirects, keys or token endpoint elsewhere: refused
        // at registration, and the other host never hears from Accord.
        type Knob = Box<dyn Fn(&mut Behaviour)>;
        let other = elsewhere.base.clone();
        let knobs: Vec<Knob> = vec![
            Box::new({ let o = other.clone(); move |b| b.discovery_redirect = Some(format!("{o}/.well-known/openid-configuration")) }),
            Box::new({ let o = other.clone(); move |b| b.jwks_uri = Some(format!("{o}/jwks")) }),
            Box::new({ let o = other.clone(); move |b| b.token_endpoint = Some(format!("{o}/token")) }),
        ];
        for knob in &knobs {
            let saved = provider.behaviour.lock().expect("b").clone();
            provider.set(|b| knob(b));
            let r = register(&admin, &provider.base, "EMAIL", false).await;
            r.assert_code("BAD_USER_INPUT");
            assert_eq!(r.field(), "issuer");
            *provider.behaviour.lock().expect("b") = saved;
        }
        assert_eq!(elsewhere.requests(), 0, "the other host was never contacted");
        assert_eq!(app.count_rows("single_sign_on").await, 0);
        // Registered while well-behaved, then turned: the sign-in is refused.
        let url = register(&admin, &provider.base, "EMAIL", false).await.data()["configureSingleSignOn"]["signInUrl"]
            .as_str().expect("url").to_owned();
        let (to, cookie) = start(&app, &url).await;
        let at = no_redirects().get(&to).send().await.expect("provider");
        let path = callback_path(at.headers()[header::LOCATION].to_str().expect("ascii"));
        provider.set(|b| b.token_endpoint = Some(format!("{other}/token")));
        assert_refused(&app, finish(&app, &path, Some(&cookie)).await, "PROVIDER_UNREACHABLE").await;
        let start_refused = no_redirects().post(app.url(&start_path(&url))).header("sec-fetch-site", "same-origin").send().await.expect("start");
        assert_eq!(start_refused.status().as_u16(), 401);
        assert_eq!(elsewhere.requests(), 0, "the other host was never contacted");
        assert_eq!(sso_sessions(&app).await, 0);
    }

    async fn only_an_active_account_of_that_mission_matches(app: TestApp) {
        let admin = app.admin("CA").await;
        let ours = app.diplomat("CA").await;
        let theirs = app.diplomat("NL").await;
        let provider = Provider::spawn().await;
        let url = register(&admin, &provider.base, "EMAIL", false).await.data()["configureSingleSignOn"]["signInUrl"]
            .as_str().expect("url").to_owned();
        // Another mission's person, and no one at all: the same page.
        provider.set(|b| b.email = theirs.email.clone());
        let (res, _, _) = sign_in(&app, &url).await;
        let other_mission = assert_refused(&app, res, "NO_MATCHING_ACCOUNT").await;
        provider.set(|b| b.email = "nobody@test.example".into());
        let (res, _, _) = sign_in(&app, &url).await;
        let nobody = assert_refused(&app, res, "NO_MATCHING_ACCOUNT").await;
        assert_eq!(other_mission, nobody);
        // A deactivated account of the mission: the same again.
        provider.set(|b| b.email = ours.email.clone());
        crate::builders::deactivate(&admin, &ours).await;
        let (res, _, _) = sign_in(&app, &url).await;
        assert_eq!(assert_refused(&app, res, "NO_MATCHING_ACCOUNT").await, nobody);
        assert_eq!(sso_sessions(&app).await, 0);

        // SUBJECT: the provider's `sub` the admin recorded, in this mission only.
        let coordinator = app.user("COORDINATOR", "CA").await;
        register(&admin, &provider.base, "SUBJECT", false).await.data();
        provider.set(|b| { b.sub = "ministry-42".into(); b.email = "unrelated@test.example".into(); });
        let (res, _, _) = sign_in(&app, &url).await;
        assert_refused(&app, res, "NO_MATCHING_ACCOUNT").await;
        let set = "mutation($u: ID!, $s: String) { setSingleSignOnSubject(userId: $u, subject: $s) }";
        admin.q(set, json!({ "u": coordinator.id, "s": "ministry-42" })).await.data();
        // Not for another mission's person.
        admin.q(set, json!({ "u": theirs.id, "s": "x" })).await.assert_code("NOT_FOUND");
        // Nor by anyone but the admin; an empty, overlong or taken subject
        // is refused on its field, and nothing is recorded.
        coordinator.q(set, json!({ "u": coordinator.id, "s": "mine" })).await.assert_code("FORBIDDEN");
        let colleague = app.user("DIPLOMAT", "CA").await;
        for subject in [" ".to_owned(), "s".repeat(256), "ministry-42".to_owned()] {
            let refused = admin.q(set, json!({ "u": colleague.id, "s": subject })).await;
            refused.assert_code("BAD_USER_INPUT");
            assert_eq!(refused.field(), "subject");
        }
        assert_eq!(app.count_rows("sso_subjects").await, 1);
        let (res, _, _) = sign_in(&app, &url).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(sso_sessions(&app).await, 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SSO_SUBJECT_SET'").await, 1);
    }

    async fn sso_only_refuses_passwords_after_checking_them(app: TestApp) {
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let elsewhere = app.diplomat("NL").await;
        let provider = Provider::spawn().await;
        let r = register(&admin, &provider.base, "EMAIL", true).await;
        assert_eq!(r.data()["configureSingleSignOn"]["ssoOnly"], true);
        // A wrong password and an unknown address: the usual answer.
        app.login_raw(&diplomat.email, "not-the-password").await.assert_code("UNAUTHENTICATED");
        app.login_raw("nobody@test.example", PASSWORD).await.assert_code("UNAUTHENTICATED");
        // The right password: SSO_REQUIRED, with no tokens.
        let refused = app.login_raw(&diplomat.email, PASSWORD).await;
        refused.assert_code("SSO_REQUIRED");
        assert!(refused.body["data"]["login"].is_null());
        // Another mission's people still sign in with a password.
        app.login(&elsewhere.email, PASSWORD).await;
        // The web sign-in says the same, after the password only.
        let wrong = no_redirects().post(app.url("/sign-in")).header("sec-fetch-site", "same-origin")
            .form(&[("email", diplomat.email.as_str()), ("password", "not-the-password"), ("next", "/")])
            .send().await.expect("answered");
        assert_eq!(wrong.status().as_u16(), 401);
        assert!(!wrong.text().await.expect("body").contains("SSO_REQUIRED"));
        let right = no_redirects().post(app.url("/sign-in")).header("sec-fetch-site", "same-origin")
            .header("accept-language", "es")
            .form(&[("email", diplomat.email.as_str()), ("password", PASSWORD), ("next", "/")])
            .send().await.expect("answered");
        assert_eq!(right.status().as_u16(), 403);
        assert!(cookie_named(&right, "accord-session").is_none());
        let body = right.text().await.expect("body");
        assert!(body.contains("SSO_REQUIRED") && body.contains("inicio de sesión único"), "{body}");
        // The mission's admin too (they may still repair it through SSO only).
        app.login_raw(&admin.email, PASSWORD).await.assert_code("SSO_REQUIRED");
        // Removing it lets passwords back in.
        assert_eq!(admin.q("mutation { removeSingleSignOn }", json!({})).await.data()["removeSingleSignOn"], true);
        app.login(&diplomat.email, PASSWORD).await;
        assert_eq!(app.count_rows("audit_events WHERE action = 'SSO_REMOVED'").await, 1);
    }

    async fn registration_is_refused_clearly(app: TestApp) {
        let admin = app.admin("CA").await;
        let diplomat = app.diplomat("CA").await;
        let provider = Provider::spawn().await;
        // Not https (plain http only on loopback), not a URL, query, unreachable.
        for (issuer, field) in [
            ("http://ministry.example", "issuer"),
            ("ftp://127.0.0.1/x", "issuer"),
            ("not a url", "issuer"),
            ("", "issuer"),
        ] {
            let r = register(&admin, issuer, "EMAIL", false).await;
            r.assert_code("BAD_USER_INPUT");
            assert_eq!(r.field(), field, "{issuer}");
        }
        let r = register(&admin, &format!("{}?x=1", provider.base), "EMAIL", false).await;
        r.assert_code("BAD_USER_INPUT");
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let r = register(&admin, &format!("http://127.0.0.1:{closed}"), "EMAIL", false).await;
        r.assert_code("BAD_USER_INPUT");
        assert_eq!(r.field(), "issuer");
        assert!(r.message().contains("does not answer"), "{}", r.message());
        // A discovery document naming another issuer.
        provider.set(|b| b.discovery_issuer = Some("https://ministry.example".into()));
        let r = register(&admin, &provider.base, "EMAIL", false).await;
        r.assert_code("BAD_USER_INPUT");
        assert!(r.message().contains("another issuer"), "{}", r.message());
        provider.set(|b| b.discovery_issuer = None);
        // No secret the first time; a blank client id.
        let r = admin.q(CONFIGURE, json!({ "i": { "issuer": provider.base, "clientId": CLIENT_ID, "matchClaim": "EMAIL" } })).await;
        r.assert_code("BAD_USER_INPUT");
        assert_eq!(r.field(), "clientSecret");
        let r = admin.q(CONFIGURE, json!({ "i": { "issuer": provider.base, "clientId": " ", "clientSecret": "x", "matchClaim": "EMAIL" } })).await;
        assert_eq!(r.field(), "clientId");
        // Only the mission's admin.
        register(&diplomat, &provider.base, "EMAIL", false).await.assert_code("FORBIDDEN");
        let other_admin = app.admin("NL").await;
        let mission = app.mission("CA").await;
        let q = "query($id: ID!) { node(id: $id) { ... on Mission { singleSignOn { issuer } } } }";
        other_admin.q(q, json!({ "id": mission })).await.assert_code("FORBIDDEN");
        assert_eq!(app.count_rows("single_sign_on").await, 0);
        assert_eq!(app.count_rows("audit_events WHERE action = 'SSO_CONFIGURED'").await, 0);
        // Then a good one; a change keeps the stored secret when none is given.
        register(&admin, &provider.base, "EMAIL", false).await.data();
        let r = admin.q(CONFIGURE, json!({ "i": { "issuer": provider.base, "clientId": CLIENT_ID, "matchClaim": "EMAIL", "ssoOnly": false } })).await;
        assert_eq!(r.data()["configureSingleSignOn"]["clientId"], CLIENT_ID);
        assert_eq!(admin.q(q, json!({ "id": mission })).await.data()["node"]["singleSignOn"]["issuer"], provider.base.as_str());
        assert_eq!(app.count_rows("audit_events WHERE action = 'SSO_CONFIGURED'").await, 2);
        // An unknown start id: the plain refusal.
        let res = no_redirects().get(app.url("/sign-in/sso/not-a-real-id")).send().await.expect("page");
        assert_eq!(res.status().as_u16(), 401);
    }
}

/// A signing key for the fake provider only (generated for these tests,
/// protects nothing).
/// PKCS#1 DER, base64.
const TEST_RSA_KEY: &str = "MIIEpAIBAAKCAQEA4D8trldaJWisrmgUrETeuBAC2Fy7qz+SGCNaYxtuhQrWTyq2dOYfR7SmrAXlr/jwnfCkMG2o5pmHWnVxoS/6kyNALIaIhGq/Kfg43lQ3Y8/mz96DHhPLXnWSbnVW9s1Y3Kp3hn64aeM1RDRUjKhmsYZGs/yorgU0goYmVZacJ5URpaFY319z6HFtvjOg6WLNivbvJn7SCn220vqYWQvV4czSTg+u8R08HsVqfNISEWGNCD+qlXogtZUwbJsaMwzGxSfQqItRhtKZjHN3UwkNmbaopa2T8xy5r/i+4v+pVrpQIzOB4ft1RK6ms/PTiCWluIC9+d0IPeRQujC6adNWZwIDAQABAoIBAAFYunGp4SVwmbCr2lThQjtRD2R04w3OXzr0yCdiWJJ759GZQ9leGN/Yw14IRfxfIYlvW9vn0+l3KMqoJrLXNo9NxvVUWQL+7uo6V8SCZg0iCEJLP/CN/RDQ+rxwQvJ/12r6276mOmU49Nlh1aLnpNWnpPtI/0r65PlgWLVk6eA8xaP12o/4qI+7CLfDAzzXBAjnsr3NLDmJwtoWB/00eJbcEmMdk4SBBGNJ3UB3bGnVW0DK62JA4nRR6o8dT9zLEhy22M9urjhZWLDPX0cbl7DScBsOW28lBVuXHgQV1fVCNMHzdh8CA4RL4oCtqEnChzWV4Lif/CWQnaQ62ifKbHECgYEA+lNuD5yTQ6MdKuV7KFnMNZmg4bI5smBeQUT+sRjSrO+t+ec3VY2P5tkDKNuP2f5Dx0PA+HdDUu9eBzxj36FN1wVJQH2w2nRt3lgj38rRdJjdmXHvyB5kKgpfsnnfQxX6G6gAFXw/WUgiPESIS8vuSDsYWM+K7JdWOX9beq8je5ECgYEA5VRrOrEw+mn9KNnrChamBgk01B46e17sNCfS/04MiJ3OzErOBmoQvbnBGXistvh01fq23TeEYxWRHbUP6384IRBDS9LHjFFLCr3RfnhdTW5rNDzXa2rb8xGoa7sjf/KthBhuZqfniXRtWpDFFna/nfg7e2d47g18x8TJwQm3hncCgYAepBO2yX2lK9QoKgrXN5atgO6WcdBqKy2eY6mhV96B2Jy9GDZHvJo+sZWXbLjBAESfoYV/ZGnTPwWNcTDwcLgsd7Mtt7TsKJBCRRuvCw50bTnCzJWDM2UjWD26hPx1I72HoRrRhnHipde69NCSJpY2NTWXuV/R8fxV8WbrL4DyYQKBgQDXMyfIlNwsMOeSvSPVfLlhMqRzZMZmXQX0T2atk1UpokSb6pp45HE/SJ+OwnH45R/maHXPEzjVLjjWEsGUsPY/+J3d+jatUt/DfaqoLlUHw1UwWOOhdk5eQzSzm5HNkDIJok9/X5Jjp3CyquV3lglsOLPAsrGFWfy9DcpxriedMwKBgQDrGyT2vx+LAIQowN2XpLviK4jGSK/CannPVQlmih78WhZGcT0dc18ceR47qgh0ir87g2tv5BMJkfzfT05Zee6FjldpbKU3TYeUvs4F0QOk0Jei6njsUj7/2oknSWufZrVbHY0O8mymnhgntcQ/tNxhQxSPoThMkFYviXxwzoTzuQ==";
/// Its public modulus (base64url), for the provider's JWKS.
const TEST_RSA_N: &str = "4D8trldaJWisrmgUrETeuBAC2Fy7qz-SGCNaYxtuhQrWTyq2dOYfR7SmrAXlr_jwnfCkMG2o5pmHWnVxoS_6kyNALIaIhGq_Kfg43lQ3Y8_mz96DHhPLXnWSbnVW9s1Y3Kp3hn64aeM1RDRUjKhmsYZGs_yorgU0goYmVZacJ5URpaFY319z6HFtvjOg6WLNivbvJn7SCn220vqYWQvV4czSTg-u8R08HsVqfNISEWGNCD-qlXogtZUwbJsaMwzGxSfQqItRhtKZjHN3UwkNmbaopa2T8xy5r_i-4v-pVrpQIzOB4ft1RK6ms_PTiCWluIC9-d0IPeRQujC6adNWZw";
