//! Refusals as pages: the API's codes turned into plain sentences, with the
//! same status and the same rule — nothing the viewer may not see, no
//! internal detail (an internal error is logged here, once, and the page
//! says only that it happened).
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{Nav, html};
use crate::error::AppError;
use crate::i18n::{Args, t, t_with};

/// A refused page request. Handlers return `Result<Response, WebError>` and
/// use `?` on the services' `AppResult`s.
#[derive(Debug)]
pub struct WebError(pub AppError);

impl From<AppError> for WebError {
    fn from(err: AppError) -> Self {
        WebError(err)
    }
}

impl From<sea_orm::DbErr> for WebError {
    fn from(err: sea_orm::DbErr) -> Self {
        WebError(AppError::from(err))
    }
}

/// A message page (refusals, confirmations that need a page of their own).
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub nav: Nav,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub code: Option<&'static str>,
    pub back_href: String,
    pub back_label: String,
}

/// What a refusal says to a person: the API's meaning, in a sentence, in
/// the reader's language (the request's).
pub fn sentence(err: &AppError) -> String {
    match err {
        AppError::Unauthenticated(_) => t("errors-sign-in-again"),
        AppError::Forbidden => t("errors-forbidden"),
        AppError::NotFound => t("errors-not-found"),
        AppError::BadUserInput(input) => t_with(
            "errors-bad-input",
            &Args::new()
                .set("field", input.field.as_str())
                .set("reason", input.reason.text()),
        ),
        AppError::Conflict(why) => {
            t_with("errors-conflict", &Args::new().set("reason", why.text()))
        }
        AppError::StaleVersion { current } => t_with(
            "errors-stale-version",
            &Args::new().set("current", *current),
        ),
        AppError::ConsentRequired(why) => t_with(
            "errors-consent-required",
            &Args::new().set("reason", why.text()),
        ),
        AppError::SlotUnavailable(why) => t_with(
            "errors-slot-unavailable",
            &Args::new().set("reason", why.text()),
        ),
        AppError::IdentityLocked(reason) => t_with(
            "errors-identity-locked",
            &Args::new().set("reason", capitalised(&reason.sentence().text())),
        ),
        AppError::RateLimited { retry_after_secs } => t_with(
            "errors-rate-limited",
            &Args::new().set("seconds", *retry_after_secs),
        ),
        AppError::Unavailable { retry_after_secs } => t_with(
            "errors-unavailable",
            &Args::new().set("seconds", *retry_after_secs),
        ),
        AppError::SecondFactorRequired { .. } => t("errors-second-factor-required"),
        AppError::Internal(_) => t("errors-internal"),
    }
}

/// `text` with its first letter upper case (a sentence made of a reason).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The page's title (in the reader's language) and status.
fn title_and_status(err: &AppError) -> (String, StatusCode) {
    let (id, status) = match err {
        AppError::Unauthenticated(_) | AppError::SecondFactorRequired { .. } => {
            ("errors-title-sign-in", StatusCode::UNAUTHORIZED)
        }
        AppError::Forbidden => ("errors-title-forbidden", StatusCode::FORBIDDEN),
        AppError::NotFound => ("errors-title-not-found", StatusCode::NOT_FOUND),
        AppError::BadUserInput(_) => ("errors-title-bad-input", StatusCode::BAD_REQUEST),
        AppError::Conflict(_) | AppError::StaleVersion { .. } => {
            ("errors-title-conflict", StatusCode::CONFLICT)
        }
        AppError::ConsentRequired(_) => ("errors-title-consent", StatusCode::CONFLICT),
        AppError::SlotUnavailable(_) => ("errors-title-slot", StatusCode::CONFLICT),
        AppError::IdentityLocked(_) => ("errors-title-identity-locked", StatusCode::FORBIDDEN),
        AppError::RateLimited { .. } => {
            ("errors-title-rate-limited", StatusCode::TOO_MANY_REQUESTS)
        }
        AppError::Unavailable { .. } => {
            ("errors-title-unavailable", StatusCode::SERVICE_UNAVAILABLE)
        }
        AppError::Internal(_) => ("errors-title-internal", StatusCode::INTERNAL_SERVER_ERROR),
    };
    (t(id), status)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let err = self.0;
        if let AppError::Internal(_) = &err {
            tracing::error!(error = %err.cause_chain(), "page failed");
        }
        if let AppError::Unauthenticated(_) = &err {
            return Redirect::to("/sign-in").into_response();
        }
        let (title, status) = title_and_status(&err);
        let page = MessagePage {
            nav: Nav::default(),
            title,
            paragraphs: vec![sentence(&err)],
            code: Some(err.code()),
            back_href: "/".to_owned(),
            back_label: t("errors-back-to-start"),
        };
        let mut response = html(status, &page);
        if let Some(secs) = err.retry_after_secs()
            && let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// A refusal made outside the pages' handlers (the body limit's 413, the
/// request timeout's 408), as a page: the API's coded JSON would mean
/// nothing to a person.
pub fn transport_refusal(response: Response) -> Response {
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_page {
        return response;
    }
    let (status, title, sentence) = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => (
            StatusCode::PAYLOAD_TOO_LARGE,
            t("errors-too-large-title"),
            t("errors-too-large"),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            StatusCode::REQUEST_TIMEOUT,
            t("errors-timeout-title"),
            t("errors-timeout"),
        ),
        _ => return response,
    };
    let page = MessagePage {
        nav: Nav::default(),
        title,
        paragraphs: vec![sentence],
        code: None,
        back_href: "/".to_owned(),
        back_label: t("errors-back-to-start"),
    };
    let mut answer = super::security_headers(html(status, &page));
    if let Some(close) = response.headers().get(header::CONNECTION) {
        answer
            .headers_mut()
            .insert(header::CONNECTION, close.clone());
    }
    answer
}
