//! `POST /graphql`: one JSON operation per request. The bearer token becomes
//! a `Viewer` here, once per request (`auth::request` reads it, the service
//! checks it); the address and user rates are counted; the answer is bounded
//! by `ACCORD_MAX_RESPONSE_BYTES` (`graphql/size.rs`) and a database outage
//! is told with `Retry-After` (503 when nothing could be answered).
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Http;
use super::refusal::{error_response, status_of};
use crate::auth::Viewer;
use crate::auth::request::{ClientAddr, token_from_headers};
use crate::error::AppError;
use crate::msg;
use crate::service::auth::authenticate;
use crate::state::AppState;

/// `POST /graphql`: the address rate, one JSON request, the viewer, the
/// user rate; then the request runs with its own loaders.
pub(super) async fn post(
    State(http): State<Http>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let peer = peer.map(|axum::Extension(axum::extract::ConnectInfo(addr))| addr.ip());
    if let Some(addr) = peer
        && let Some(refused) = http.limits.refuse_address(addr)
    {
        http.state.metrics.rate_limited("address");
        return refused;
    }
    let request = match one_request(&headers, &body) {
        Ok(request) => request,
        // Boxed: a refusal is rare, and the request's path stays small.
        Err(refused) => return *refused,
    };
    let viewer = match viewer_of(&http.state, &headers, &request).await {
        Ok(viewer) => viewer,
        Err(refused) => return refused,
    };
    if let Some(v) = &viewer
        && let Some(refused) = http.limits.refuse_user(v.user_id)
    {
        http.state.metrics.rate_limited("user");
        return refused;
    }
    let mut request = request;
    if let Some(addr) = peer {
        request = request.data(ClientAddr(addr));
    }
    if let Some(v) = &viewer {
        tracing::Span::current().record("user", tracing::field::display(v.user_id));
        request = request.data(v.clone());
    }
    // Loaders live for one request, so batching never mixes two viewers.
    request = crate::graphql::loaders::attach(request, &http.state.db, viewer.as_ref());
    let response = http.schema.execute(request).await;
    graphql_answer(response, http.state.config.max_response_bytes)
}

/// The one GraphQL request a body holds, or the refusal: a body that is not
/// `application/json` (415), or not one JSON request (400, `body_error`).
fn one_request(headers: &HeaderMap, body: &[u8]) -> Result<async_graphql::Request, Box<Response>> {
    // Only `application/json` bodies: a browser cannot send one cross-site
    // without a preflight, which closes the CSRF route.
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(Box::new(error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &AppError::bad_input("Content-Type", msg!("input-must-be-application-json")),
        )));
    }
    serde_json::from_slice(body)
        .map_err(|_| Box::new(error_response(StatusCode::BAD_REQUEST, &body_error(body))))
}

/// 200 with the GraphQL response; but when the database was unavailable,
/// `Retry-After` is set, and the status is 503 if nothing could be answered
/// (`data` is null), so that proxies and plain HTTP clients see it too.
/// An answer over `max_bytes` once serialized is replaced by the coded
/// refusal (`graphql/size.rs`); it is serialized into a buffer that stops at
/// the bound, so no more is ever held, and nothing is sent before it is whole.
fn graphql_answer(response: async_graphql::Response, max_bytes: usize) -> Response {
    let retry_after = response
        .errors
        .iter()
        .filter(|e| {
            e.extensions.as_ref().and_then(|x| x.get("code"))
                == Some(&async_graphql::Value::from("UNAVAILABLE"))
        })
        .find_map(|e| match e.extensions.as_ref()?.get("retryAfterSeconds")? {
            async_graphql::Value::Number(n) => n.as_u64(),
            _ => None,
        });
    let nothing_answered = response.data == async_graphql::Value::Null;
    let body = crate::graphql::size::serialize_within(&response, max_bytes).unwrap_or_else(|| {
        tracing::info!(max_bytes, "answer over the response bound replaced");
        serde_json::to_vec(&crate::graphql::size::too_large_response(max_bytes)).unwrap_or_default()
    });
    drop(response);
    let mut answer = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if let Some(secs) = retry_after {
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        if nothing_answered {
            *answer.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    answer
}

/// Why a body is not one GraphQL request: a batch (a JSON array), JSON of
/// another shape, or not JSON at all.
fn body_error(body: &[u8]) -> AppError {
    let reason = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Array(_)) => msg!("input-body-is-a-batch"),
        Ok(_) => msg!("input-body-not-one-request"),
        Err(_) => msg!("input-body-not-json"),
    };
    AppError::bad_input("body", reason)
}

/// The viewer of a request, or its refusal (`UNAUTHENTICATED`).
async fn viewer_of(
    state: &AppState,
    headers: &HeaderMap,
    request: &async_graphql::Request,
) -> Result<Option<Viewer>, Response> {
    match viewer_from_headers(state, headers).await {
        Ok(v) => Ok(v),
        // A bad or stale token does not stand in the way of getting a new
        // one: a request of nothing but `login`/`refreshToken` runs anonymous.
        Err(AppError::Unauthenticated(_))
            if crate::graphql::only_signs_in(&request.query, request.operation_name.as_deref()) =>
        {
            tracing::debug!("bad Authorization header ignored for a sign-in");
            Ok(None)
        }
        Err(err) => Err(error_response(status_of(&err), &err)),
    }
}

/// No header: anonymous (only `login` and `refreshToken` work). A header that
/// is malformed or carries a bad token is refused (`UNAUTHENTICATED`), never
/// treated as anonymous — except by a request that only signs in (`viewer_of`).
async fn viewer_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, AppError> {
    match token_from_headers(headers)? {
        Some(token) => authenticate(state, token).await.map(Some),
        None => Ok(None),
    }
}
