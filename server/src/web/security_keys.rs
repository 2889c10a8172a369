//! Security keys (WebAuthn) on the web: the page that registers one, the
//! JSON ceremony endpoints its small script calls, and the script itself.
//!
//! These are the only pages with a script: Accord's own
//! (`/static/security-key.js`, same origin, allowed by their CSP alone;
//! every other page keeps `script-src 'none'`). Without JavaScript the
//! pages say plainly that a security key needs it, and the form's POST
//! answers the same. The JSON endpoints are POSTs under `same_origin_only`
//! like every form, and take only `application/json` (which no form of
//! another site can send without a preflight).
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::Web;
use super::error::WebError;
use super::page::{FormErrors, Nav, html};
use super::session::{SignedIn, safe_next, set_cookie};
use crate::domain::SignInMethod;
use crate::error::AppError;
use crate::i18n::t;
use crate::service::auth::{self, Opened};
use crate::service::second_factor;
use crate::service::security_keys as service;

/// Confirmations of the keys' changes.
pub const DONE: &[(&str, &str)] = &[
    ("security-key-added", "security-keys-done-added"),
    ("security-key-removed", "security-keys-done-removed"),
];

/// The security-key script, compiled in.
const SCRIPT: &str = include_str!("../../static/security-key.js");

/// The policy of a page that runs Accord's own security-key script and no
/// other (no inline script, nothing from another origin).
pub const CSP_WITH_OWN_SCRIPT: &str = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn routes() -> Router<Web> {
    Router::new()
        .route(
            "/account/security-keys/new",
            get(new_key_page).post(new_key_without_script),
        )
        .route("/webauthn/register/start", post(register_start))
        .route("/webauthn/register/finish", post(register_finish))
        .route("/webauthn/sign-in/start", post(sign_in_start))
        .route("/webauthn/sign-in/finish", post(sign_in_finish))
        .route("/static/security-key.js", get(script))
}

/// A page answer that may run the security-key script (`security_headers`
/// keeps a policy already set).
pub fn with_own_script(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP_WITH_OWN_SCRIPT),
    );
    response
}

#[derive(Template)]
#[template(path = "security_key_new.html")]
struct NewKeyPage {
    nav: Nav,
    errors: FormErrors,
    name: String,
    /// The server's public address allows security keys.
    available: bool,
    /// The person holds the most keys allowed.
    full: bool,
    max_keys: u64,
    max_name: usize,
}

async fn new_key_view(
    web: &Web,
    viewer: &crate::auth::Viewer,
    errors: FormErrors,
    name: String,
) -> Result<NewKeyPage, WebError> {
    let me = auth::current_user(&web.state, viewer).await?;
    let count = service::list(&web.state, viewer).await?.len() as u64;
    Ok(NewKeyPage {
        nav: Nav::of(viewer, &me.display_name, "/account"),
        errors,
        name,
        available: service::available(&web.state),
        full: count >= service::MAX_KEYS,
        max_keys: service::MAX_KEYS,
        max_name: service::MAX_NAME_CHARS,
    })
}

/// `GET /account/security-keys/new`: name a key, then the script asks the
/// browser to register it.
pub async fn new_key_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    let page = new_key_view(&web, &viewer, FormErrors::default(), String::new()).await?;
    Ok(with_own_script(html(StatusCode::OK, &page)))
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

/// `POST /account/security-keys/new`: what the form does when no script
/// ran — nothing, and the page says why.
pub async fn new_key_without_script(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    axum::Form(form): axum::Form<NameForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    errors.add(
        "keyName",
        &t("security-keys-name"),
        t("security-keys-needs-javascript"),
    );
    let page = new_key_view(&web, &viewer, errors, form.name).await?;
    Ok(with_own_script(html(StatusCode::BAD_REQUEST, &page)))
}

/// A refusal as the script shows it: one sentence in the reader's language.
fn json_refusal(err: AppError) -> Response {
    let status = match &err {
        AppError::BadUserInput(_) | AppError::Conflict(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Internal(_) => {
            return WebError(err).into_response();
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let message = match &err {
        AppError::BadUserInput(input) if input.field == "name" => crate::i18n::current().text2(
            "security-keys-field-error",
            "field",
            t("security-keys-name"),
            "reason",
            input.reason.text(),
        ),
        AppError::BadUserInput(input) => input.reason.text(),
        AppError::Conflict(why) => why.text(),
        other => super::error::sentence(other),
    };
    (status, Json(json!({ "message": message }))).into_response()
}

/// A JSON answer that no cache keeps.
fn json_answer(value: serde_json::Value) -> Response {
    let mut response = Json(value).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize)]
pub struct StartRegistration {
    #[serde(default)]
    name: String,
}

/// `POST /webauthn/register/start` (`{"name": …}`): the options for
/// `navigator.credentials.create`, the ceremony held for this session.
pub async fn register_start(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Json(body): Json<StartRegistration>,
) -> Response {
    match service::start_registration(&web.state, &viewer, &body.name).await {
        Ok(options) => match serde_json::to_value(&options) {
            Ok(value) => json_answer(value),
            Err(e) => json_refusal(AppError::internal(format!("options not serialised: {e}"))),
        },
        Err(err) => json_refusal(err),
    }
}

/// `POST /webauthn/register/finish` (the browser's credential): the key is
/// stored; the answer names the page to go to.
pub async fn register_finish(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Json(body): Json<webauthn_rs::prelude::RegisterPublicKeyCredential>,
) -> Response {
    match service::finish_registration(&web.state, &viewer, &body).await {
        Ok(_) => json_answer(json!({ "next": "/account?done=security-key-added#security-keys" })),
        Err(err) => json_refusal(err),
    }
}

/// The live sign-in challenge of this browser (the two-step cookie):
/// its token and whose it is.
async fn challenge(web: &Web, headers: &HeaderMap) -> Result<(String, uuid::Uuid), AppError> {
    let token = super::two_step::challenge_in(headers, web.secure).ok_or(
        AppError::Unauthenticated("invalid or expired sign-in challenge"),
    )?;
    let pending = second_factor::challenge_of(&web.state, &token).await?;
    Ok((token, pending.user_id))
}

/// `POST /webauthn/sign-in/start`: the options for
/// `navigator.credentials.get` (the person's own keys only), the ceremony
/// bound to this sign-in's challenge.
pub async fn sign_in_start(State(web): State<Web>, headers: HeaderMap) -> Response {
    let (token, user_id) = match challenge(&web, &headers).await {
        Ok(found) => found,
        Err(err) => return json_refusal(err),
    };
    match service::start_sign_in(&web.state, user_id, &token).await {
        Ok(options) => match serde_json::to_value(&options) {
            Ok(value) => json_answer(value),
            Err(e) => json_refusal(AppError::internal(format!("options not serialised: {e}"))),
        },
        Err(err) => json_refusal(err),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `POST /webauthn/sign-in/finish?next=…` (the browser's assertion): the
/// key checked against the ceremony of this challenge; the second step
/// passed (a web session opened, `PASSWORD_SECURITY_KEY`) or failed
/// (counted toward the lockout, a possible clone audited).
pub async fn sign_in_finish(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
    Json(body): Json<webauthn_rs::prelude::PublicKeyCredential>,
) -> Response {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_owned();
    let (token, user_id) = match challenge(&web, &headers).await {
        Ok(found) => found,
        Err(err) => return json_refusal(err),
    };
    let checked = match service::finish_sign_in(&web.state, user_id, &token, &body).await {
        Ok(checked) => checked,
        Err(err) => return json_refusal(err),
    };
    match checked {
        Ok(()) => match second_factor::pass_second_step(
            &web.state,
            &token,
            SignInMethod::PasswordSecurityKey,
        )
        .await
        {
            Ok(Opened::Web(session)) => {
                let mut response = json_answer(json!({ "next": next }));
                super::session::add_cookie(&mut response, &set_cookie(web.secure, &session.cookie));
                super::session::add_cookie(
                    &mut response,
                    &super::two_step::clear_challenge_cookie(web.secure),
                );
                response
            }
            Ok(Opened::Api(_)) => {
                json_refusal(AppError::internal("a web challenge opened an API session"))
            }
            Err(err) => json_refusal(err),
        },
        Err(refused) => {
            if let Err(err) = second_factor::second_step_failed(&web.state, &token).await {
                return json_refusal(err);
            }
            let message = match refused {
                service::KeyRefused::NotAccepted => t("security-keys-sign-in-failed"),
                service::KeyRefused::CloneSuspected => t("security-keys-clone-suspected"),
            };
            (StatusCode::BAD_REQUEST, Json(json!({ "message": message }))).into_response()
        }
    }
}

async fn script() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        SCRIPT,
    )
        .into_response()
}
