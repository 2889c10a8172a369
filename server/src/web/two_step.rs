//! Two-step sign-in on the pages. After a right password, a person with an
//! authenticator app is sent to `/sign-in/code` (a code, or "use a recovery
//! code instead"); a person a rule requires to have one and who has none,
//! to `/sign-in/enrol` (the QR code and the text secret, then the first
//! code, which signs them in and shows their recovery codes once). Between
//! the two steps the browser holds only the challenge token, in a cookie of
//! its own: HttpOnly, SameSite=Strict, five minutes. The account's
//! `/account/two-step` turns the app on and off and replaces the codes; a
//! mission admin requires it of their mission from the users page.
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::Web;
use super::error::WebError;
use super::page::{Flash, FormErrors, Nav, done, html, ok};
use super::session::{Cookie, SignedIn, add_cookie, encode_component, safe_next, set_cookie};
use crate::error::AppError;
use crate::i18n::t;
use crate::service::auth::{self, Opened};
use crate::service::second_factor::{self as service, CHALLENGE_SECS, Enrolment};

/// Confirmations of the two-step pages.
pub const DONE: &[(&str, &str)] = &[
    ("two-step-off", "two-step-done-off"),
    ("second-factor-set", "two-step-done-mission-set"),
];

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/sign-in/code", get(code_page).post(code_submit))
        .route("/sign-in/enrol", get(enrol_page).post(enrol_begin))
        .route("/sign-in/enrol/confirm", post(enrol_confirm))
        .route("/account/two-step", get(account_page))
        .route("/account/two-step/begin", post(account_begin))
        .route("/account/two-step/confirm", post(account_confirm))
        .route("/account/two-step/recovery-codes", post(account_regenerate))
        .route("/account/two-step/remove", post(account_remove))
        .route("/admin/second-factor", post(admin_set))
}

// ---------------------------------------------------------------------------
// The challenge cookie.

/// The sign-in challenge between the two steps (`SameSite=Strict`: only
/// this site's own pages carry it).
const CHALLENGE: Cookie = Cookie::new("accord-challenge", "__Host-accord-challenge", "Strict");

pub(super) fn clear_challenge_cookie(secure: bool) -> String {
    CHALLENGE.clear(secure)
}

pub(super) fn challenge_in(headers: &HeaderMap, secure: bool) -> Option<String> {
    CHALLENGE.read(headers, secure).map(str::to_owned)
}

/// After a right password that needs a second step: the challenge into its
/// cookie, and on to the code page (or the enrolment page).
pub fn challenged(web: &Web, token: &str, methods: &[&str], next: &str) -> Response {
    let page = if methods.contains(&service::METHOD_ENROL_TOTP) {
        "/sign-in/enrol"
    } else {
        "/sign-in/code"
    };
    let mut response =
        Redirect::to(&format!("{page}?next={}", encode_component(next))).into_response();
    add_cookie(
        &mut response,
        &CHALLENGE.set(web.secure, token, CHALLENGE_SECS),
    );
    response
}

/// Back to the first step: the challenge is gone (expired, used, locked).
fn start_again(web: &Web) -> Response {
    let mut response = Redirect::to("/sign-in").into_response();
    add_cookie(&mut response, &clear_challenge_cookie(web.secure));
    response
}

/// Signed in: the session cookie set, the challenge cookie cleared.
fn signed_in(web: &Web, opened: Opened, mut response: Response) -> Response {
    match opened {
        Opened::Web(session) => {
            add_cookie(&mut response, &set_cookie(web.secure, &session.cookie));
            add_cookie(&mut response, &clear_challenge_cookie(web.secure));
            response
        }
        Opened::Api(_) => {
            WebError(AppError::internal("a web challenge opened an API session")).into_response()
        }
    }
}

// ---------------------------------------------------------------------------
// Templates.

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage {
    nav: Nav,
    errors: FormErrors,
    next: String,
    recovery: bool,
    /// The person has an authenticator app (its code is asked for).
    app: bool,
    /// The person has a security key (its script is offered).
    security_key: bool,
}

/// The person's ways through the code page: (app, security key).
async fn ways_of(web: &Web, user_id: uuid::Uuid) -> Result<(bool, bool), AppError> {
    Ok((
        service::has_totp(&web.state, user_id).await?,
        crate::service::security_keys::has_keys(&web.state, user_id).await?,
    ))
}

/// The code page's answer: with the security-key script when it offers one.
fn code_answer(status: StatusCode, page: &CodePage) -> Response {
    let response = html(status, page);
    if page.security_key {
        super::security_keys::with_own_script(response)
    } else {
        response
    }
}

/// An enrolment waiting for its first code, as a page shows it.
struct Pending {
    secret: String,
    /// The QR code's SVG markup, made here from the otpauth URI (no input
    /// of the reader's in it), inlined: the pages' CSP allows no data URL.
    svg: String,
}

impl From<Enrolment> for Pending {
    fn from(e: Enrolment) -> Self {
        Pending {
            secret: spaced(&e.secret),
            svg: e.qr_svg,
        }
    }
}

/// A base32 secret in groups of four, easier to type.
fn spaced(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Template)]
#[template(path = "two_step.html")]
struct TwoStepPage {
    nav: Nav,
    errors: FormErrors,
    /// Enrolling during sign-in (a rule requires it) rather than from the
    /// account page.
    signing_in: bool,
    next: String,
    totp_on: bool,
    codes_left: u64,
    required: bool,
    pending: Option<Pending>,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct CodesPage {
    nav: Nav,
    codes: Vec<String>,
    continue_href: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    recovery: Option<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default, rename = "recoveryCode")]
    recovery_code: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    recovery: String,
    /// The security-key form, posted without its script.
    #[serde(default, rename = "securityKey")]
    security_key: String,
}

// ---------------------------------------------------------------------------
// Signing in: the code.

/// `GET /sign-in/code`.
pub async fn code_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_owned();
    let Some(token) = challenge_in(&headers, web.secure) else {
        return Ok(start_again(&web));
    };
    match service::challenge_of(&web.state, &token).await {
        Ok(c) if c.must_enrol => Ok(Redirect::to(&format!(
            "/sign-in/enrol?next={}",
            encode_component(&next)
        ))
        .into_response()),
        Ok(c) => {
            let (app, security_key) = ways_of(&web, c.user_id).await?;
            Ok(code_answer(
                StatusCode::OK,
                &CodePage {
                    nav: Nav::default(),
                    errors: FormErrors::default(),
                    next,
                    // Without the app, the recovery codes are its: none.
                    recovery: q.recovery.is_some() && app,
                    app,
                    security_key,
                },
            ))
        }
        Err(AppError::Unauthenticated(_)) => Ok(start_again(&web)),
        Err(err) => Err(err.into()),
    }
}

/// `POST /sign-in/code`: a code from the app, or a recovery code.
pub async fn code_submit(
    State(web): State<Web>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let next = safe_next(&form.next).to_owned();
    let recovery = !form.recovery.is_empty();
    let Some(token) = challenge_in(&headers, web.secure) else {
        return Ok(start_again(&web));
    };
    if !form.security_key.is_empty() {
        // No script ran: nothing is checked or counted; the page says why.
        let c = match service::challenge_of(&web.state, &token).await {
            Ok(c) => c,
            Err(AppError::Unauthenticated(_)) => return Ok(start_again(&web)),
            Err(err) => return Err(err.into()),
        };
        let (app, security_key) = ways_of(&web, c.user_id).await?;
        let mut errors = FormErrors::default();
        errors.add(
            "use-key-status",
            &t("security-keys-use-title"),
            t("security-keys-needs-javascript"),
        );
        return Ok(code_answer(
            StatusCode::BAD_REQUEST,
            &CodePage {
                nav: Nav::default(),
                errors,
                next,
                recovery: false,
                app,
                security_key,
            },
        ));
    }
    let (code, recovery_code) = if recovery {
        (None, Some(form.recovery_code.as_str()))
    } else {
        (Some(form.code.as_str()), None)
    };
    match service::complete_login(&web.state, &token, code, recovery_code).await {
        Ok(opened) => Ok(signed_in(&web, opened, Redirect::to(&next).into_response())),
        Err(err @ AppError::BadUserInput(_)) => {
            let (field, label) = if recovery {
                ("recoveryCode", "two-step-recovery-code")
            } else {
                ("code", "two-step-code")
            };
            let errors = FormErrors::from_error(&err, &[(field, label)], field);
            let (app, security_key) = match service::challenge_of(&web.state, &token).await {
                Ok(c) => ways_of(&web, c.user_id).await?,
                Err(_) => (true, false),
            };
            Ok(code_answer(
                StatusCode::BAD_REQUEST,
                &CodePage {
                    nav: Nav::default(),
                    errors,
                    next,
                    recovery,
                    app,
                    security_key,
                },
            ))
        }
        Err(AppError::Unauthenticated(_)) => Ok(start_again(&web)),
        Err(err) => {
            let mut response = WebError(err).into_response();
            add_cookie(&mut response, &clear_challenge_cookie(web.secure));
            Ok(response)
        }
    }
}

// ---------------------------------------------------------------------------
// Signing in: enrolling because a rule requires it.

async fn enrol_view(
    web: &Web,
    token: &str,
    next: String,
    errors: FormErrors,
) -> Result<TwoStepPage, AppError> {
    let pending = service::pending_enrolment_by_challenge(&web.state, token).await?;
    Ok(TwoStepPage {
        nav: Nav::default(),
        errors,
        signing_in: true,
        next,
        totp_on: false,
        codes_left: 0,
        required: true,
        pending: pending.map(Pending::from),
    })
}

/// `GET /sign-in/enrol`.
pub async fn enrol_page(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_owned();
    let Some(token) = challenge_in(&headers, web.secure) else {
        return Ok(start_again(&web));
    };
    match service::challenge_of(&web.state, &token).await {
        Ok(c) if !c.must_enrol => Ok(Redirect::to(&format!(
            "/sign-in/code?next={}",
            encode_component(&next)
        ))
        .into_response()),
        Ok(_) => Ok(ok(
            &enrol_view(&web, &token, next, FormErrors::default()).await?
        )),
        Err(AppError::Unauthenticated(_)) => Ok(start_again(&web)),
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct NextForm {
    #[serde(default)]
    next: String,
}

/// `POST /sign-in/enrol`: a new secret, shown by the GET after it.
pub async fn enrol_begin(
    State(web): State<Web>,
    headers: HeaderMap,
    Form(form): Form<NextForm>,
) -> Result<Response, WebError> {
    let next = safe_next(&form.next).to_owned();
    let Some(token) = challenge_in(&headers, web.secure) else {
        return Ok(start_again(&web));
    };
    match service::begin_enrolment_by_challenge(&web.state, &token).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/sign-in/enrol?next={}", encode_component(&next)))
                .into_response(),
        ),
        Err(AppError::Unauthenticated(_)) => Ok(start_again(&web)),
        Err(err) => Err(err.into()),
    }
}

/// `POST /sign-in/enrol/confirm`: the first code turns the app on and signs
/// in; the recovery codes are shown on this answer, once.
pub async fn enrol_confirm(
    State(web): State<Web>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    let next = safe_next(&form.next).to_owned();
    let Some(token) = challenge_in(&headers, web.secure) else {
        return Ok(start_again(&web));
    };
    match service::confirm_enrolment_by_challenge(&web.state, &token, &form.code).await {
        Ok((codes, opened)) => {
            let page = html(
                StatusCode::OK,
                &CodesPage {
                    nav: Nav::default(),
                    codes,
                    continue_href: next,
                },
            );
            Ok(signed_in(&web, opened, page))
        }
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, &[("code", "two-step-code")], "code");
            let page = enrol_view(&web, &token, next, errors).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(AppError::Unauthenticated(_)) => Ok(start_again(&web)),
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------------------
// The account's two-step sign-in.

async fn account_view(
    web: &Web,
    viewer: &crate::auth::Viewer,
    errors: FormErrors,
    flash: Option<String>,
) -> Result<TwoStepPage, AppError> {
    let me = auth::current_user(&web.state, viewer).await?;
    let status = service::status(&web.state, viewer).await?;
    let pending = if status.totp {
        None
    } else {
        service::pending_enrolment(&web.state, viewer).await?
    };
    Ok(TwoStepPage {
        nav: Nav::of(viewer, &me.display_name, "/account").with_flash(flash),
        errors,
        signing_in: false,
        next: String::new(),
        totp_on: status.totp,
        codes_left: status.recovery_codes_left,
        required: status.required,
        pending: pending.map(Pending::from),
    })
}

/// `GET /account/two-step`.
pub async fn account_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
) -> Result<Response, WebError> {
    Ok(ok(&account_view(
        &web,
        &viewer,
        FormErrors::default(),
        flash,
    )
    .await?))
}

/// `POST /account/two-step/begin`.
pub async fn account_begin(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    service::begin_enrolment(&web.state, &viewer).await?;
    Ok(Redirect::to("/account/two-step").into_response())
}

/// `POST /account/two-step/confirm`: the recovery codes, shown once.
pub async fn account_confirm(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    match service::confirm_enrolment(&web.state, &viewer, &form.code).await {
        Ok(codes) => Ok(codes_page(&web, &viewer, codes).await?),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, &[("code", "two-step-code")], "code");
            let page = account_view(&web, &viewer, errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

async fn codes_page(
    web: &Web,
    viewer: &crate::auth::Viewer,
    codes: Vec<String>,
) -> Result<Response, AppError> {
    let me = auth::current_user(&web.state, viewer).await?;
    Ok(ok(&CodesPage {
        nav: Nav::of(viewer, &me.display_name, "/account"),
        codes,
        continue_href: "/account/two-step".to_owned(),
    }))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default, rename = "currentPassword")]
    current: String,
}

const PASSWORD_FIELD: &[(&str, &str)] = &[("currentPassword", "account-current-password")];

/// `POST /account/two-step/recovery-codes`: ten new codes, shown once.
pub async fn account_regenerate(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    match service::regenerate_recovery_codes(&web.state, &viewer, &form.current).await {
        Ok(codes) => Ok(codes_page(&web, &viewer, codes).await?),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, PASSWORD_FIELD, "currentPassword");
            let page = account_view(&web, &viewer, errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /account/two-step/remove`.
pub async fn account_remove(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    match service::remove_totp(&web.state, &viewer, &form.current).await {
        Ok(()) => Ok(done("/account/two-step", "two-step-off")),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, PASSWORD_FIELD, "currentPassword");
            let page = account_view(&web, &viewer, errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct RequiredForm {
    #[serde(default)]
    required: String,
}

/// `POST /admin/second-factor`: a mission admin's rule for their mission.
pub async fn admin_set(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<RequiredForm>,
) -> Result<Response, WebError> {
    let required = match form.required.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(
                AppError::bad_input("required", crate::msg!("input-must-be-on-or-off")).into(),
            );
        }
    };
    service::set_mission_required(&web.state, &viewer, required).await?;
    Ok(done("/admin/users", "second-factor-set"))
}

/// The account page's line about two-step sign-in.
pub async fn summary(web: &Web, viewer: &crate::auth::Viewer) -> Result<String, AppError> {
    let status = service::status(&web.state, viewer).await?;
    Ok(if status.totp {
        crate::i18n::current().text1("two-step-summary-on", "count", status.recovery_codes_left)
    } else if status.required {
        t("two-step-summary-required")
    } else {
        t("two-step-summary-off")
    })
}
