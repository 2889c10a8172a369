//! Single sign-on pages: the start page a mission's admin hands out
//! (`/sign-in/sso/<opaque id>`; the public sign-in page lists no mission),
//! the provider's callback, and the admin's registration page.
//!
//! The callback is the one GET that changes something (it opens a session):
//! the provider sends the browser back with a GET, and a flow is taken once.
//! It is bound to the browser that started by a short-lived cookie, so a
//! callback address handed to someone else signs no one in.
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::Web;
use super::error::{MessagePage, WebError};
use super::page::{Flash, FormErrors, Nav, done, html, ok};
use super::session::{Cookie, SignedIn, add_cookie, set_cookie};
use crate::domain::MatchClaim;
use crate::error::AppError;
use crate::i18n::t;
use crate::service::{auth, sso};

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("sso-configured", "sso-done-configured"),
    ("sso-removed", "sso-done-removed"),
];

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/sign-in/sso/callback", get(callback))
        .route("/sign-in/sso/{id}", get(start_page).post(start))
        .route("/admin/sso", get(admin_page).post(configure))
        .route("/admin/sso/remove", post(remove))
}

/// The flow cookie: binds a callback to the browser that started
/// (`SameSite=Lax`: the provider's redirect back is a cross-site GET).
const FLOW: Cookie = Cookie::new("accord-sso-flow", "__Host-accord-sso-flow", "Lax");

#[derive(Template)]
#[template(path = "sso_start.html")]
pub struct StartPage {
    pub nav: Nav,
    pub action: String,
}

/// `GET /sign-in/sso/<id>`: one button to the ministry's sign-in (a POST:
/// no GET starts anything). An unknown id is the plain refusal.
async fn start_page(State(web): State<Web>, Path(id): Path<String>) -> Response {
    match sso::start_link_exists(&web.state, &id).await {
        Ok(true) => ok(&StartPage {
            nav: Nav::default(),
            action: format!("/sign-in/sso/{}", super::session::encode_component(&id)),
        }),
        Ok(false) => refused(),
        Err(err) => WebError(err).into_response(),
    }
}

/// `POST /sign-in/sso/<id>`: a flow kept server-side, then to the provider.
async fn start(State(web): State<Web>, Path(id): Path<String>) -> Response {
    match sso::start(&web.state, &id).await {
        Ok(started) => {
            let mut response = Redirect::to(&started.authorize_url).into_response();
            add_cookie(
                &mut response,
                &FLOW.set(web.secure, &started.browser_secret, sso::FLOW_MINUTES * 60),
            );
            response
        }
        Err(sso::Failure::Outage(err)) => WebError(err).into_response(),
        Err(failure) => {
            tracing::info!(reason = failure.kind(), "single sign-on not started");
            refused()
        }
    }
}

#[derive(Deserialize, Default)]
struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// `GET /sign-in/sso/callback`: the provider's answer.
async fn callback(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let browser = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let outcome = sso::finish(
        &web.state,
        sso::Callback {
            state: q.state.as_deref(),
            code: q.code.as_deref(),
            error: q.error.as_deref(),
            browser_secret: FLOW.read(&headers, web.secure),
            browser,
        },
    )
    .await;
    let mut response = match outcome {
        Ok(session) => {
            let mut response = Redirect::to("/").into_response();
            add_cookie(&mut response, &set_cookie(web.secure, &session.cookie));
            response
        }
        Err(sso::Failure::Outage(err)) => WebError(err).into_response(),
        Err(_) => refused(),
    };
    add_cookie(&mut response, &FLOW.clear(web.secure));
    response
}

/// The one answer to every failed single sign-on: it says nothing about
/// which accounts exist or what went wrong (the audit trail keeps the kind).
fn refused() -> Response {
    let page = MessagePage {
        nav: Nav::default(),
        title: t("sso-refused-title"),
        paragraphs: vec![t("sso-refused-body"), t("sso-refused-ask")],
        code: None,
        back_href: "/sign-in".to_owned(),
        back_label: t("sso-refused-back"),
    };
    html(StatusCode::UNAUTHORIZED, &page)
}

// ---------------------------------------------------------------- admin

#[derive(Template)]
#[template(path = "admin_sso.html")]
pub struct AdminPage {
    pub nav: Nav,
    pub errors: FormErrors,
    pub configured: bool,
    pub issuer: String,
    pub client_id: String,
    pub email_match: bool,
    pub sso_only: bool,
    pub sign_in_url: String,
    pub redirect_uri: String,
}

#[derive(Deserialize, Default)]
struct RegistrationForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    match_claim: String,
    #[serde(default)]
    sso_only: Option<String>,
}

async fn admin_view(
    web: &Web,
    viewer: &crate::auth::Viewer,
    form: Option<&RegistrationForm>,
    errors: FormErrors,
    flash: Option<String>,
) -> Result<AdminPage, WebError> {
    let mission = viewer.mission_id.ok_or(AppError::Forbidden)?;
    let row = sso::registration(&web.state, viewer, mission).await?;
    let name = auth::current_user(&web.state, viewer).await?.display_name;
    let config = &web.state.config;
    let (issuer, client_id, email_match, sso_only) = match (form, &row) {
        (Some(f), _) => (
            f.issuer.clone(),
            f.client_id.clone(),
            f.match_claim != "SUBJECT",
            f.sso_only.is_some(),
        ),
        (None, Some(r)) => (
            r.issuer.clone(),
            r.client_id.clone(),
            r.match_claim != "SUBJECT",
            r.sso_only,
        ),
        (None, None) => (String::new(), String::new(), true, false),
    };
    Ok(AdminPage {
        nav: Nav::of(viewer, &name, "/admin/sso").with_flash(flash),
        errors,
        configured: row.is_some(),
        issuer,
        client_id,
        email_match,
        sso_only,
        sign_in_url: row
            .as_ref()
            .map(|r| sso::sign_in_url(config, r))
            .unwrap_or_default(),
        redirect_uri: sso::redirect_uri(config),
    })
}

async fn admin_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
) -> Result<Response, WebError> {
    Ok(ok(&admin_view(
        &web,
        &viewer,
        None,
        FormErrors::default(),
        flash,
    )
    .await?))
}

const FIELDS: &[(&str, &str)] = &[
    ("issuer", "sso-admin-issuer"),
    ("clientId", "sso-admin-client-id"),
    ("clientSecret", "sso-admin-client-secret"),
];

/// `POST /admin/sso` (`configureSingleSignOn`).
async fn configure(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<RegistrationForm>,
) -> Result<Response, WebError> {
    let input = sso::Registration {
        issuer: form.issuer.clone(),
        client_id: form.client_id.clone(),
        client_secret: Some(form.client_secret.clone()).filter(|s| !s.is_empty()),
        match_claim: if form.match_claim == "SUBJECT" {
            MatchClaim::Subject
        } else {
            MatchClaim::Email
        },
        sso_only: form.sso_only.is_some(),
    };
    match sso::configure(&web.state, &viewer, input).await {
        Ok(_) => Ok(done("/admin/sso", "sso-configured")),
        Err(AppError::BadUserInput(input)) => {
            let mut errors = FormErrors::default();
            let (field, label) = FIELDS
                .iter()
                .find(|(f, _)| *f == input.field)
                .copied()
                .unwrap_or(("issuer", "sso-admin-issuer"));
            errors.add(field, &t(label), input.reason.text());
            let page = admin_view(&web, &viewer, Some(&form), errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(WebError(err)),
    }
}

/// `POST /admin/sso/remove` (`removeSingleSignOn`).
async fn remove(State(web): State<Web>, SignedIn(viewer): SignedIn) -> Result<Response, WebError> {
    sso::remove(&web.state, &viewer).await?;
    Ok(done("/admin/sso", "sso-removed"))
}
