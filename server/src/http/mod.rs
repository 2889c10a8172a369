//! The HTTP surface: `POST /graphql` (JSON only, one operation per request),
//! GraphiQL on `GET /graphql` in development, subscriptions over
//! `graphql-transport-ws` at `/graphql/ws`, the calendar feed, `/healthz` and
//! `/readyz`; and the listener that serves them. This file assembles the
//! router; each concern is a room of its own:
//! - `limits`: request rates and the places to execute;
//! - `graphql`: the POST handler and its answer;
//! - `websocket`: the upgrade and the `graphql-transport-ws` protocol;
//! - `feeds`: calendar feed, probes, GraphiQL;
//! - `refusal`: every answer outside GraphQL, as a coded GraphQL error;
//! - `listener`: accepting connections, bounding the requests open at once.
//!
//! Invariant: every refusal, the body limit (413) and the timeout (408)
//! included, is a GraphQL JSON error with `extensions.code`.
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::error::AppError;
use crate::graphql::AccordSchema;
use crate::state::AppState;
use feeds::{calendar_feed, graphiql, graphiql_asset, readyz};
use limits::{Executing, RateLimits, one_of_the_executing};
use refusal::{coded_transport_refusal, error_response};

mod feeds;
mod graphql;
mod limits;
pub mod listener;
mod refusal;
mod websocket;

pub use feeds::graphiql_page;

/// Largest accepted request body, and WebSocket message or frame.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What every handler of the public router shares.
#[derive(Clone)]
struct Http {
    state: AppState,
    schema: AccordSchema,
    /// Origins whose pages may open the WebSocket (normalised).
    origins: std::sync::Arc<Vec<String>>,
    limits: Arc<RateLimits>,
    /// Held by the one readiness probe in flight (see `readyz`).
    probe: Arc<tokio::sync::Mutex<()>>,
}

/// The public router: the routes, then the layers every answer passes
/// (panic, body limit, timeout, coded refusals, metrics, request id, spans).
pub fn router(state: AppState, schema: AccordSchema) -> Router {
    let request_id = header::HeaderName::from_static("x-request-id");
    // Validated at start-up; should it fail here, no page origin is allowed.
    let origins = std::sync::Arc::new(state.config.websocket_origins().unwrap_or_default());
    let limits = Arc::new(RateLimits::new(
        state.config.rate_per_user_per_minute,
        state.config.rate_per_address_per_minute,
    ));
    RateLimits::sweep_periodically(Arc::downgrade(&limits));
    let timeout = Duration::from_secs(state.config.request_timeout_secs.max(1));
    let executing = Executing {
        places: Arc::new(tokio::sync::Semaphore::new(
            state.config.max_executing_requests.max(1),
        )),
        metrics: state.metrics.clone(),
    };
    let metrics = state.metrics.clone();
    let executing_pages = executing.clone();
    let page_limits = (limits.clone(), state.metrics.clone());
    Router::new()
        .route(
            "/graphql",
            get(graphiql).post(graphql::post.layer(axum::middleware::from_fn_with_state(
                executing,
                one_of_the_executing,
            ))),
        )
        .route("/graphql/assets/{file}", get(graphiql_asset))
        .route("/graphql/ws", get(websocket::upgrade))
        .route("/calendar/{file}", get(calendar_feed))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(Http {
            state: state.clone(),
            schema,
            origins,
            limits,
            probe: Arc::default(),
        })
        // Every other path is a page of the web client (its own refusals
        // are pages, not GraphQL errors), under the same address rate and
        // the same places to execute as the API.
        .fallback_service(
            crate::web::router(state)
                .layer(axum::middleware::from_fn_with_state(
                    executing_pages,
                    one_of_the_executing,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    page_limits,
                    pages_within_rate,
                )),
        )
        .layer(CatchPanicLayer::custom(|_| {
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &AppError::internal("handler panicked"),
            )
        }))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        // The two layers above answer in plain text (413) or with no body
        // (408): both become coded GraphQL errors here, or pages for a page.
        .layer(axum::middleware::from_fn(
            move |request: Request<axum::body::Body>, next: axum::middleware::Next| async move {
                let api = is_api_path(request.uri().path());
                let response = next.run(request).await;
                if api {
                    coded_transport_refusal(response, timeout)
                } else {
                    crate::web::error::transport_refusal(response)
                }
            },
        ))
        // Every answer counted by status class, the refusals above included.
        .layer(axum::middleware::map_response(move |response: Response| {
            metrics.http_response(response.status().as_u16());
            async move { response }
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            // Spans carry method, path and request id: never bodies or headers.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %loggable_path(req.uri().path()), request_id = %id, user = tracing::field::Empty)
            })
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The metrics listener's routes: `GET /metrics` (Prometheus text format)
/// and nothing else. Served apart from `router`, never on the public bind.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>| async move {
                let text = state
                    .metrics
                    .render(
                        &state.db,
                        &state.live,
                        state.clock.now(),
                        state.config.readiness_timeout(),
                    )
                    .await;
                (
                    [(
                        header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    text,
                )
            }),
        )
        .with_state(state)
}

/// The API's paths (GraphQL, feeds, probes): their refusals are coded JSON;
/// every other path is a page.
fn is_api_path(path: &str) -> bool {
    path == "/graphql"
        || path.starts_with("/graphql/")
        || path.starts_with("/calendar/")
        || path == "/healthz"
        || path == "/readyz"
}

/// A page request over the client address's rate is refused with a page
/// that says when to try again (the same allowance as the API's).
async fn pages_within_rate(
    State((limits, metrics)): State<(Arc<RateLimits>, Arc<crate::metrics::Metrics>)>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    if let Some(axum::Extension(axum::extract::ConnectInfo(addr))) = peer
        && let Some(refused) = limits.refuse_address(addr.ip())
    {
        metrics.rate_limited("address");
        let retry_after_secs = refused
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        return crate::web::security_headers(axum::response::IntoResponse::into_response(
            crate::web::error::WebError(AppError::RateLimited { retry_after_secs }),
        ));
    }
    next.run(request).await
}

/// The path as logs may show it: a calendar feed's path is its secret token
/// (whoever reads it can fetch the feed), so only the route is kept.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/calendar/") {
        "/calendar/<token>"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_token_never_reaches_the_log() {
        assert_eq!(
            loggable_path("/calendar/s3cr3t-token.ics"),
            "/calendar/<token>"
        );
        assert_eq!(loggable_path("/graphql"), "/graphql");
    }
}
