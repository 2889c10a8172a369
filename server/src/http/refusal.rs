//! Every answer made outside GraphQL is still a GraphQL JSON error with
//! `extensions.code` (`{"data": null, "errors": [{…}]}`): the refusals of the
//! limits, of the body and of the timeout. Invariant: an internal error is
//! logged here once, and never sent with its cause.
use std::time::Duration;

use async_graphql::ErrorExtensions;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::MAX_BODY_BYTES;
use crate::error::AppError;
use crate::msg;

/// Every error answered outside GraphQL; an internal one is logged here,
/// once, inside the request's span (so with its request id). The extensions
/// are the ones GraphQL would carry (`code`, and `field` or `retryAfterSeconds`).
pub(super) fn error_response(status: StatusCode, err: &AppError) -> Response {
    if let AppError::Internal(_) = err {
        tracing::error!(cause = %err.cause_chain(), "internal error");
    }
    let extensions = serde_json::to_value(err.extend().extensions)
        .ok()
        .filter(|e| e.get("code").is_some())
        .unwrap_or_else(|| json!({ "code": err.code() }));
    let mut response = refusal(status, &err.to_string(), extensions);
    if let Some(secs) = err.retry_after_secs() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
    response
}

/// The HTTP status of a refusal made before GraphQL runs.
pub(super) fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A GraphQL JSON error response (`{"data": null, "errors": [{…}]}`).
pub(super) fn refusal(
    status: StatusCode,
    message: &str,
    extensions: serde_json::Value,
) -> Response {
    let body = json!({
        "data": null,
        "errors": [{ "message": message, "extensions": extensions }]
    });
    (status, axum::Json(body)).into_response()
}

/// 413 (from the body limit, whether announced by `Content-Length` or found
/// while reading) and 408 (the timeout) as coded GraphQL errors; any other
/// response passes unchanged, as does one that is already JSON.
pub(super) fn coded_transport_refusal(response: Response, timeout: Duration) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            let mut refused = error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                &AppError::bad_input(
                    "body",
                    msg!(
                        "input-body-too-large",
                        max = MAX_BODY_BYTES,
                        kib = MAX_BODY_BYTES / 1024
                    ),
                ),
            );
            // The rest of the body is never read, so the connection cannot
            // carry another request: say so, lest the client reuse it.
            refused
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            refused
        }
        StatusCode::REQUEST_TIMEOUT => {
            // Logged as an operator would want to know: the request ran too long.
            tracing::warn!(timeout_secs = timeout.as_secs(), "request timed out");
            refusal(
                StatusCode::REQUEST_TIMEOUT,
                &format!(
                    "the request did not complete within {} s and was stopped",
                    timeout.as_secs()
                ),
                json!({ "code": "INTERNAL" }),
            )
        }
        _ => response,
    }
}
