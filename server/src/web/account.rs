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
use chrono::Weekday;

use crate::domain::digest::DigestDay;
use crate::domain::ids::{self, Kind};
use crate::domain::{Password, Role};
use crate::error::AppError;
use crate::i18n::{Lang, t};
use crate::service::{account, auth, digest, security_keys};

/// Confirmations of the account's changes.
pub const DONE: &[(&str, &str)] = &[
    ("password", "account-done-password"),
    ("session-ended", "account-done-session-ended"),
    ("digest", "account-done-digest"),
    ("preferences", "account-done-preferences"),
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
    /// A confirmation to carry on when already signed in (`?done=`).
    done: Option<String>,
}

/// `GET /sign-in`: the form (or straight on, when already signed in).
pub async fn sign_in_page(
    signed_in: Option<SignedIn>,
    Query(q): Query<Next>,
    Flash(flash): Flash,
) -> Response {
    let next = safe_next(q.next.as_deref().unwrap_or("/")).to_owned();
    if signed_in.is_some() {
        // Only a code that names a confirmation is carried (`Flash` shows
        // fixed sentences only).
        return match q.done.filter(|_| flash.is_some()) {
            Some(code) => done(&next, &code),
            None => Redirect::to(&next).into_response(),
        };
    }
    ok(&SignInPage {
        nav: Nav::default().with_flash(flash),
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
        errors.add("email", &t("sign-in-email"), t("sign-in-email-missing"));
    }
    if form.password.is_empty() {
        errors.add(
            "password",
            &t("sign-in-password"),
            t("sign-in-password-missing"),
        );
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
        // The password was right; a second step follows (`web::two_step`).
        Err(AppError::SecondFactorRequired { challenge, methods }) => {
            super::two_step::challenged(&web, &challenge, &methods, &next)
        }
        Err(AppError::Unauthenticated(_)) => {
            let mut errors = FormErrors::default();
            errors.add("email", &t("sign-in-email-or-password"), t("sign-in-wrong"));
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

/// One of the person's security keys, as the account page lists it.
struct KeyRow {
    id: String,
    name: String,
    added: String,
    last_used: Option<String>,
}

/// One open session, as the account page lists it.
struct SessionRow {
    id: String,
    opened: String,
    until: String,
    how: String,
    method: String,
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
    languages: Vec<Choice>,
    zones: Vec<Choice>,
    horizon_days: i64,
    /// Two-step sign-in: on (with codes left), off, or required.
    two_step: String,
    keys: Vec<KeyRow>,
    /// The server's public address allows security keys.
    keys_available: bool,
}

/// How the digest's days are offered (message ids).
fn digest_label(d: DigestDay) -> &'static str {
    match d {
        DigestDay::On(Weekday::Mon) => "account-digest-mondays",
        DigestDay::On(Weekday::Tue) => "account-digest-tuesdays",
        DigestDay::On(Weekday::Wed) => "account-digest-wednesdays",
        DigestDay::On(Weekday::Thu) => "account-digest-thursdays",
        DigestDay::On(Weekday::Fri) => "account-digest-fridays",
        DigestDay::On(Weekday::Sat) => "account-digest-saturdays",
        DigestDay::On(Weekday::Sun) => "account-digest-sundays",
        DigestDay::Off => "account-digest-off",
    }
}

/// The languages a person can choose, theirs selected; the first option
/// ("" ) follows the browser.
fn language_choices(chosen: Option<&str>) -> Vec<Choice> {
    let mut options = vec![Choice {
        value: String::new(),
        label: t("account-language-browser"),
        selected: chosen.is_none(),
    }];
    options.extend(Lang::choosable().map(|l| Choice {
        value: l.tag().to_owned(),
        label: l.name().to_owned(),
        selected: chosen == Some(l.tag()),
    }));
    options
}

/// The zones a person can choose, theirs selected; the first option ("")
/// is their mission's.
fn zone_choices(chosen: Option<&str>) -> Vec<Choice> {
    let mut options = vec![Choice {
        value: String::new(),
        label: t("account-zone-mission"),
        selected: chosen.is_none(),
    }];
    options.extend(super::page::zone_names().iter().map(|z| Choice {
        value: (*z).to_owned(),
        label: (*z).to_owned(),
        selected: chosen == Some(*z),
    }));
    options
}

async fn account_view(
    web: &Web,
    viewer: &crate::auth::Viewer,
    errors: FormErrors,
    flash: Option<String>,
) -> Result<AccountPage, WebError> {
    let me = auth::current_user(&web.state, viewer).await?;
    let lang = crate::i18n::current();
    let zone = viewer.reading.zone;
    let sessions = account::open_sessions(&web.state, viewer)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: ids::encode(Kind::Session, s.id),
            opened: lang.when(s.created_at, chrono_tz::UTC, zone).to_string(),
            until: lang.when(s.expires_at, chrono_tz::UTC, zone).to_string(),
            how: account::device_of(lang, &s),
            method: account::method_label(lang, &s),
            current: s.id == viewer.session_id,
        })
        .collect();
    let keys = security_keys::list(&web.state, viewer)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            id: ids::encode(Kind::SecurityKey, k.id),
            name: k.name,
            added: lang.when(k.created_at, chrono_tz::UTC, zone).to_string(),
            last_used: k
                .last_used_at
                .map(|at| lang.when(at, chrono_tz::UTC, zone).to_string()),
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
        two_step: super::two_step::summary(web, viewer).await?,
        horizon_days: crate::domain::digest::HORIZON_DAYS,
        languages: language_choices(me.language.as_deref()),
        zones: zone_choices(me.timezone.as_deref()),
        digest_days,
        nav: Nav::of(viewer, &me.display_name, "/account").with_flash(flash),
        name: me.display_name,
        email: me.email,
        role: place_of(viewer),
        errors,
        sessions,
        min_password: Password::MIN_CHARS,
        keys,
        keys_available: security_keys::available(&web.state),
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

/// The account page again, with a form's mistakes beside their fields
/// (400): for forms handled elsewhere (`web::recovery`'s email change).
pub(super) async fn account_page_with(
    web: &Web,
    viewer: &crate::auth::Viewer,
    errors: FormErrors,
) -> Result<Response, WebError> {
    let page = account_view(web, viewer, errors, None).await?;
    Ok(html(StatusCode::BAD_REQUEST, &page))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default, rename = "currentPassword")]
    current: String,
    #[serde(default, rename = "newPassword")]
    new: String,
}

const PASSWORD_FIELDS: &[(&str, &str)] = &[
    ("currentPassword", "account-current-password"),
    ("newPassword", "account-new-password"),
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
        let mut errors = FormErrors::default();
        errors.add(
            "day",
            &t("account-digest-day"),
            t("account-digest-day-wrong"),
        );
        let page = account_view(&web, &viewer, errors, None).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
    digest::set_day(&web.state, &viewer, day).await?;
    Ok(done("/account", "digest"))
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    timezone: String,
}

/// `POST /account/preferences`: the language and zone the person reads
/// Accord in (an empty choice goes back to the browser's language or the
/// mission's zone). The page after it is in the new language.
pub async fn set_preferences(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<PreferencesForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let language = match form.language.trim() {
        "" => account::Choice::Clear,
        tag => match account::parse_language(tag) {
            Ok(lang) => account::Choice::Set(lang),
            Err(_) => {
                errors.add(
                    "language",
                    &t("account-language"),
                    t("account-language-wrong"),
                );
                account::Choice::Keep
            }
        },
    };
    let timezone = match form.timezone.trim() {
        "" => account::Choice::Clear,
        name => match crate::domain::parse_timezone("timezone", name) {
            Ok(zone) => account::Choice::Set(zone),
            Err(_) => {
                errors.add("timezone", &t("account-zone"), t("account-zone-wrong"));
                account::Choice::Keep
            }
        },
    };
    if !errors.is_empty() {
        let page = account_view(&web, &viewer, errors, None).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    }
    account::set_preferences(&web.state, &viewer, language, timezone).await?;
    Ok(done("/account", "preferences"))
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

#[derive(Deserialize)]
pub struct RemoveKeyForm {
    #[serde(default)]
    key: String,
    #[serde(default, rename = "removeKeyPassword")]
    current: String,
}

const REMOVE_KEY_FIELDS: &[(&str, &str)] = &[
    ("currentPassword", "security-keys-remove-password"),
    ("key", "security-keys-remove-which"),
];

/// `POST /account/security-keys/remove`: one of the person's keys goes,
/// their current password confirming it (a mistake comes back beside its
/// field; the password is never sent back).
pub async fn remove_security_key(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<RemoveKeyForm>,
) -> Result<Response, WebError> {
    let Some(key_id) = ids::decode(Kind::SecurityKey, form.key.trim()) else {
        let mut errors = FormErrors::default();
        errors.add(
            "removeKey",
            &t("security-keys-remove-which"),
            t("security-keys-remove-choose"),
        );
        let page = account_view(&web, &viewer, errors, None).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
    match security_keys::remove(&web.state, &viewer, key_id, &form.current).await {
        Ok(()) => Ok(done("/account", "security-key-removed")),
        Err(err @ AppError::BadUserInput(_)) => {
            let mut errors = FormErrors::default();
            for e in FormErrors::from_error(&err, REMOVE_KEY_FIELDS, "removeKeyPassword").all() {
                let field = match e.field.as_str() {
                    "currentPassword" => "removeKeyPassword",
                    "key" => "removeKey",
                    other => other,
                };
                errors.add(field, &e.label, e.message.clone());
            }
            let page = account_view(&web, &viewer, errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}
