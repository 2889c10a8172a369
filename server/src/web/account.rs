//! Signing in and out, the start page, and a person's own account: change
//! password, see the open sessions, end one or all.
use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Web;
use super::error::WebError;
use super::page::{Choice, Flash, FormErrors, Nav, choices, done, html, ok, place_of};
use super::session::{SignedIn, clear_cookie, safe_next, set_cookie};
use crate::msg;
use chrono::Weekday;

use crate::domain::digest::DigestDay;
use crate::domain::ids::{self, Kind};
use crate::domain::{Password, Role};
use crate::error::AppError;
use crate::service::{account, auth, digest};

/// Confirmations of the account's changes.
pub const DONE: &[(&str, &str)] = &[
    (
        "password",
        "Your password was changed. Your other sessions have ended.",
    ),
    ("session-ended", "That session has ended."),
    ("digest", "Your coverage digest setting was saved."),
];

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    nav: Nav,
    errors: FormErrors,
    email: String,
    next: String,
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// `GET /sign-in`: the form (or straight on, when already signed in).
pub async fn sign_in_page(signed_in: Option<SignedIn>, Query(q): Query<Next>) -> Response {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_owned();
    if signed_in.is_some() {
        return Redirect::to(&next).into_response();
    }
    ok(&SignInPage {
        nav: Nav::default(),
        errors: FormErrors::default(),
        email: String::new(),
        next,
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /sign-in`: the same checks and throttles as the API's `login`; a
/// failure comes back with the email kept and one message for both fields
/// (it never says which was wrong).
pub async fn sign_in(
    State(web): State<Web>,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(&form.next).to_owned();
    let client = peer.map(|axum::Extension(ConnectInfo(addr))| addr.ip());
    let browser = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let refused = |errors: FormErrors, status: StatusCode| {
        html(
            status,
            &SignInPage {
                nav: Nav::default(),
                errors,
                email: form.email.clone(),
                next: next.clone(),
            },
        )
    };
    let mut errors = FormErrors::default();
    if form.email.trim().is_empty() {
        errors.add("email", "Email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Password", "Enter your password");
    }
    if !errors.is_empty() {
        return refused(errors, StatusCode::BAD_REQUEST);
    }
    match auth::web_sign_in(&web.state, &form.email, &form.password, client, browser).await {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            if let Ok(cookie) = HeaderValue::from_str(&set_cookie(web.secure, &session.cookie)) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(AppError::Unauthenticated(_)) => {
            let mut errors = FormErrors::default();
            errors.add(
                "email",
                "Email or password",
                "The email or the password is not right",
            );
            refused(errors, StatusCode::UNAUTHORIZED)
        }
        Err(err) => WebError(err).into_response(),
    }
}

/// `POST /sign-out`: ends this session (as the API's `logout`).
pub async fn sign_out(State(web): State<Web>, SignedIn(viewer): SignedIn) -> Response {
    if let Err(err) = auth::logout(&web.state, &viewer).await {
        return WebError(err).into_response();
    }
    signed_out(&web)
}

fn signed_out(web: &Web) -> Response {
    let mut response = Redirect::to("/sign-in").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&clear_cookie(web.secure)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    name: String,
    place: String,
}

/// `GET /`: where each person starts — their sections, one line each.
pub async fn home(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
) -> Result<Response, WebError> {
    let me = auth::current_user(&web.state, &viewer).await?;
    Ok(ok(&HomePage {
        nav: Nav::of(&viewer, &me.display_name, "/").with_flash(flash),
        name: me.display_name,
        place: place_of(&viewer),
    }))
}

/// One open session, as the account page lists it.
struct SessionRow {
    id: String,
    opened: String,
    until: String,
    how: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Nav,
    name: String,
    email: String,
    role: String,
    errors: FormErrors,
    sessions: Vec<SessionRow>,
    min_password: usize,
    /// Coordinators: the days their coverage digest may come on (one
    /// selected), or `None` for everyone else.
    digest_days: Option<Vec<Choice>>,
}

/// How the digest's days are offered.
fn digest_label(d: DigestDay) -> &'static str {
    match d {
        DigestDay::On(Weekday::Mon) => "Mondays",
        DigestDay::On(Weekday::Tue) => "Tuesdays",
        DigestDay::On(Weekday::Wed) => "Wednesdays",
        DigestDay::On(Weekday::Thu) => "Thursdays",
        DigestDay::On(Weekday::Fri) => "Fridays",
        DigestDay::On(Weekday::Sat) => "Saturdays",
        DigestDay::On(Weekday::Sun) => "Sundays",
        DigestDay::Off => "Never (off)",
    }
}

async fn account_view(
    web: &Web,
    viewer: &crate::auth::Viewer,
    errors: FormErrors,
    flash: Option<String>,
) -> Result<AccountPage, WebError> {
    let me = auth::current_user(&web.state, viewer).await?;
    let sessions = account::open_sessions(&web.state, viewer)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: ids::encode(Kind::Session, s.id),
            opened: s.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            until: s.expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            how: match (s.kind.as_str(), s.client_label) {
                ("WEB", Some(label)) => format!("Web: {label}"),
                ("WEB", None) => "Web".to_owned(),
                _ => "API token".to_owned(),
            },
            current: s.id == viewer.session_id,
        })
        .collect();
    let digest_days = if viewer.role == Role::Coordinator {
        let current = digest::day_of(&web.state, viewer).await?;
        Some(choices(
            &DigestDay::ALL,
            DigestDay::as_str,
            digest_label,
            current.as_str(),
        ))
    } else {
        None
    };
    Ok(AccountPage {
        digest_days,
        nav: Nav::of(viewer, &me.display_name, "/account").with_flash(flash),
        name: me.display_name,
        email: me.email,
        role: place_of(viewer),
        errors,
        sessions,
        min_password: Password::MIN_CHARS,
    })
}

/// `GET /account`.
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

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default, rename = "currentPassword")]
    current: String,
    #[serde(default, rename = "newPassword")]
    new: String,
}

const PASSWORD_FIELDS: &[(&str, &str)] = &[
    ("currentPassword", "Current password"),
    ("newPassword", "New password"),
];

/// `POST /account/password`: a mistake comes back beside its field (the
/// passwords are never sent back into the form).
pub async fn change_password(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    match account::change_password(&web.state, &viewer, &form.current, &form.new).await {
        Ok(()) => Ok(done("/account", "password")),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, PASSWORD_FIELDS, "currentPassword");
            let page = account_view(&web, &viewer, errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct DigestForm {
    #[serde(default)]
    day: String,
}

/// `POST /account/digest`: the coordinator's choice of day (or off).
pub async fn set_digest(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<DigestForm>,
) -> Result<Response, WebError> {
    let Some(day) = DigestDay::ALL.into_iter().find(|d| d.as_str() == form.day) else {
        let err = AppError::bad_input("day", msg!("input-choose-a-day-of-the"));
        let errors = FormErrors::from_error(&err, &[("day", "Digest day")], "day");
        let page = account_view(&web, &viewer, errors, None).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
    digest::set_day(&web.state, &viewer, day).await?;
    Ok(done("/account", "digest"))
}

/// `POST /account/sessions/{id}/end`: ends one of the viewer's sessions.
pub async fn end_session(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let session_id = ids::decode(Kind::Session, &id).ok_or(AppError::NotFound)?;
    account::end_session(&web.state, &viewer, session_id).await?;
    if session_id == viewer.session_id {
        return Ok(signed_out(&web));
    }
    Ok(done("/account", "session-ended"))
}

/// `POST /account/sign-out-everywhere`: every session ends, this one too.
pub async fn sign_out_everywhere(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    account::sign_out_everywhere(&web.state, &viewer).await?;
    Ok(signed_out(&web))
}
