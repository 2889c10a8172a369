//! Recovery pages (`service::recovery`): "forgot password" (linked from
//! the sign-in page), the reset page a link opens, an email change asked
//! from the account page and confirmed from the link sent to the new
//! address, and an admin's forced reset (a button on the users page).
//!
//! A GET never uses a link (mail scanners open them): it shows the form,
//! and only the POST does anything.
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::Web;
use super::error::{MessagePage, WebError};
use super::page::{Flash, FormErrors, Nav, done, html, ok};
use super::session::SignedIn;
use crate::domain::Password;
use crate::domain::ids::{self, Kind};
use crate::error::AppError;
use crate::i18n::t;
use crate::service::recovery;

/// Confirmations of this area's changes: each code with its message id.
pub const DONE: &[(&str, &str)] = &[
    ("reset-requested", "recovery-done-reset-requested"),
    ("password-reset", "recovery-done-password-reset"),
    (
        "email-change-requested",
        "recovery-done-email-change-requested",
    ),
    ("email-changed", "recovery-done-email-changed"),
    (
        "password-reset-forced",
        "recovery-done-password-reset-forced",
    ),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/sign-in/forgot", get(forgot_page).post(forgot))
        .route("/reset/{token}", get(reset_page).post(reset))
        .route("/account/email", post(request_email_change))
        .route(
            "/account/email/{token}",
            get(email_page).post(confirm_email),
        )
        .route("/admin/users/{id}/force-reset", post(force_reset))
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    nav: Nav,
    errors: FormErrors,
    email: String,
}

/// `GET /sign-in/forgot`.
async fn forgot_page(Flash(flash): Flash) -> Response {
    ok(&ForgotPage {
        nav: Nav::default().with_flash(flash),
        errors: FormErrors::default(),
        email: String::new(),
    })
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// `POST /sign-in/forgot`: the same answer whether or not an account has
/// the address (only a malformed one is sent back).
async fn forgot(State(web): State<Web>, Form(form): Form<ForgotForm>) -> Response {
    match recovery::request_password_reset(&web.state, &form.email).await {
        Ok(()) => done("/sign-in/forgot", "reset-requested"),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, &[("email", "sign-in-email")], "email");
            html(
                StatusCode::BAD_REQUEST,
                &ForgotPage {
                    nav: Nav::default(),
                    errors,
                    email: form.email.clone(),
                },
            )
        }
        Err(err) => WebError(err).into_response(),
    }
}

/// A link that is unknown, used, voided or expired: one page, never why.
fn link_invalid() -> Response {
    let page = MessagePage {
        nav: Nav::default(),
        title: t("recovery-link-invalid-title"),
        paragraphs: vec![t("recovery-link-invalid")],
        code: Some("BAD_USER_INPUT"),
        back_href: "/sign-in/forgot".to_owned(),
        back_label: t("recovery-ask-again"),
    };
    html(StatusCode::BAD_REQUEST, &page)
}

fn is_link_refusal(err: &AppError) -> bool {
    matches!(err, AppError::BadUserInput(input) if input.field == "token")
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    nav: Nav,
    errors: FormErrors,
    token: String,
    holds_identity_access: bool,
    last_custodian: bool,
    min_password: usize,
}

async fn reset_view(web: &Web, token: &str, errors: FormErrors) -> Result<ResetPage, AppError> {
    let preview = recovery::reset_preview(&web.state, token).await?;
    Ok(ResetPage {
        nav: Nav::default(),
        errors,
        token: token.to_owned(),
        holds_identity_access: preview.holds_identity_access,
        last_custodian: preview.last_custodian,
        min_password: Password::MIN_CHARS,
    })
}

/// `GET /reset/{token}`: the form, and what a reset will close; the link
/// stays unused.
async fn reset_page(State(web): State<Web>, Path(token): Path<String>) -> Response {
    match reset_view(&web, &token, FormErrors::default()).await {
        Ok(page) => ok(&page),
        Err(err) if is_link_refusal(&err) => link_invalid(),
        Err(err) => WebError(err).into_response(),
    }
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default, rename = "newPassword")]
    new: String,
}

/// `POST /reset/{token}`: sets the password, ends every session, and on to
/// sign in with it.
async fn reset(
    State(web): State<Web>,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Response {
    match recovery::reset_password(&web.state, &token, &form.new).await {
        Ok(()) => done("/sign-in", "password-reset"),
        Err(err) if is_link_refusal(&err) => link_invalid(),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(
                &err,
                &[("newPassword", "account-new-password")],
                "newPassword",
            );
            match reset_view(&web, &token, errors).await {
                Ok(page) => html(StatusCode::BAD_REQUEST, &page),
                Err(err) if is_link_refusal(&err) => link_invalid(),
                Err(err) => WebError(err).into_response(),
            }
        }
        Err(err) => WebError(err).into_response(),
    }
}

#[derive(Deserialize)]
pub struct EmailChangeForm {
    #[serde(default, rename = "newEmail")]
    new_email: String,
    #[serde(default, rename = "currentPassword")]
    current: String,
}

/// `POST /account/email`: a confirmation link goes to the new address; a
/// mistake comes back beside its field on the account page.
async fn request_email_change(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<EmailChangeForm>,
) -> Result<Response, WebError> {
    match recovery::request_email_change(&web.state, &viewer, &form.new_email, &form.current).await
    {
        Ok(()) => Ok(done("/account", "email-change-requested")),
        Err(AppError::BadUserInput(input)) => {
            // The password change's form has a `currentPassword` too: this
            // form's is `emailCurrentPassword` on the page.
            let (field, label) = match input.field.as_str() {
                "currentPassword" => ("emailCurrentPassword", "account-current-password"),
                _ => ("newEmail", "recovery-new-email"),
            };
            let mut errors = FormErrors::default();
            errors.add(field, &t(label), input.reason.text());
            super::account::account_page_with(&web, &viewer, errors).await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "email_confirm.html")]
struct EmailPage {
    nav: Nav,
    token: String,
    new_email: String,
}

/// `GET /account/email/{token}`: the new address, and a button to confirm
/// it; the link stays unused.
async fn email_page(State(web): State<Web>, Path(token): Path<String>) -> Response {
    match recovery::email_change_preview(&web.state, &token).await {
        Ok(new_email) => ok(&EmailPage {
            nav: Nav::default(),
            token,
            new_email,
        }),
        Err(err) if is_link_refusal(&err) => link_invalid(),
        Err(err) => WebError(err).into_response(),
    }
}

/// `POST /account/email/{token}`: the account takes the new address.
async fn confirm_email(State(web): State<Web>, Path(token): Path<String>) -> Response {
    match recovery::confirm_email_change(&web.state, &token).await {
        Ok(()) => done("/sign-in", "email-changed"),
        Err(err) if is_link_refusal(&err) => link_invalid(),
        Err(err) => WebError(err).into_response(),
    }
}

/// `POST /admin/users/{id}/force-reset` (`forcePasswordReset`).
async fn force_reset(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user_id = ids::decode(Kind::User, &id).ok_or(AppError::NotFound)?;
    recovery::force_password_reset(&web.state, &viewer, user_id).await?;
    Ok(done("/admin/users", "password-reset-forced"))
}
