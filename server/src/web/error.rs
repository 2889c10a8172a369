//! Refusals as pages: the API's codes turned into plain sentences, with the
//! same status and the same rule — nothing the viewer may not see, no
//! internal detail (an internal error is logged here, once, and the page
//! says only that it happened).
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::page::{Nav, html};
use crate::error::AppError;

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

/// What a refusal says to a person: the API's meaning, in a sentence.
pub fn sentence(err: &AppError) -> String {
    match err {
        AppError::Unauthenticated(_) => "Please sign in again.".to_owned(),
        AppError::Forbidden => "Your role does not allow this.".to_owned(),
        AppError::NotFound => {
            "This does not exist, or it is not shared with you (any more).".to_owned()
        }
        AppError::BadUserInput(input) => format!("{}: {}", input.field, input.reason),
        AppError::Conflict(why) => format!("This clashes with the current state: {why}."),
        AppError::StaleVersion { current } => format!(
            "That is not the current version any more; the current version is {current}. Nothing was changed."
        ),
        AppError::ConsentRequired(why) => {
            format!("The defender's consent does not cover this: {why}.")
        }
        AppError::SlotUnavailable(why) => format!("No place can be had: {why}."),
        AppError::IdentityLocked(reason) => {
            let mut text = reason.sentence().to_owned();
            if let Some(first) = text.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{text}.")
        }
        AppError::RateLimited { retry_after_secs } => format!(
            "Too many attempts. Please try again in {retry_after_secs} seconds."
        ),
        AppError::Unavailable { retry_after_secs } => format!(
            "Accord cannot reach its database right now. Nothing was changed. Please try again in {retry_after_secs} seconds."
        ),
        AppError::Internal(_) => {
            "Something went wrong on our side. Nothing you typed was shown to anyone; please try again.".to_owned()
        }
    }
}

fn title_and_status(err: &AppError) -> (&'static str, StatusCode) {
    match err {
        AppError::Unauthenticated(_) => ("Please sign in", StatusCode::UNAUTHORIZED),
        AppError::Forbidden => ("Not allowed", StatusCode::FORBIDDEN),
        AppError::NotFound => ("Not found", StatusCode::NOT_FOUND),
        AppError::BadUserInput(_) => ("Please check what you entered", StatusCode::BAD_REQUEST),
        AppError::Conflict(_) | AppError::StaleVersion { .. } => {
            ("This has changed", StatusCode::CONFLICT)
        }
        AppError::ConsentRequired(_) => ("Consent required", StatusCode::CONFLICT),
        AppError::SlotUnavailable(_) => ("No place available", StatusCode::CONFLICT),
        AppError::IdentityLocked(_) => ("Identity locked", StatusCode::FORBIDDEN),
        AppError::RateLimited { .. } => ("Please wait", StatusCode::TOO_MANY_REQUESTS),
        AppError::Unavailable { .. } => ("Try again shortly", StatusCode::SERVICE_UNAVAILABLE),
        AppError::Internal(_) => ("Something went wrong", StatusCode::INTERNAL_SERVER_ERROR),
    }
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
            title: title.to_owned(),
            paragraphs: vec![sentence(&err)],
            code: Some(err.code()),
            back_href: "/".to_owned(),
            back_label: "Back to the start page".to_owned(),
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
            "Too much to send at once",
            "What you sent is larger than Accord accepts in one form. Nothing was saved; please shorten it and try again.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            StatusCode::REQUEST_TIMEOUT,
            "This took too long",
            "Accord stopped this request because it took too long. If you were changing something, check whether it was saved before trying again.",
        ),
        _ => return response,
    };
    let page = MessagePage {
        nav: Nav::default(),
        title: title.to_owned(),
        paragraphs: vec![sentence.to_owned()],
        code: None,
        back_href: "/".to_owned(),
        back_label: "Back to the start page".to_owned(),
    };
    let mut answer = super::security_headers(html(status, &page));
    if let Some(close) = response.headers().get(header::CONNECTION) {
        answer
            .headers_mut()
            .insert(header::CONNECTION, close.clone());
    }
    answer
}
