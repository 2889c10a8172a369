//! The HTTP surface: `POST /graphql` (JSON only, one operation per request),
//! GraphiQL on `GET /graphql` in development, subscriptions over
//! `graphql-transport-ws` at `/graphql/ws`, `/healthz` and `/readyz`.
//! The bearer token is turned into a `Viewer` here, once per request.
use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::auth::Viewer;
use crate::config::Mode;
use crate::error::AppError;
use crate::graphql::AccordSchema;
use crate::service::auth::authenticate;
use crate::state::AppState;

/// Largest accepted request body.
const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Clone)]
struct Http {
    state: AppState,
    schema: AccordSchema,
    /// Origins whose pages may open the WebSocket (normalised).
    origins: std::sync::Arc<Vec<String>>,
}

pub fn router(state: AppState, schema: AccordSchema) -> Router {
    let request_id = header::HeaderName::from_static("x-request-id");
    // Validated at start-up; should it fail here, no page origin is allowed.
    let origins = std::sync::Arc::new(state.config.websocket_origins().unwrap_or_default());
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/calendar/{file}", get(calendar_feed))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(Http {
            state,
            schema,
            origins,
        })
        .layer(CatchPanicLayer::custom(|_| {
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &AppError::internal("handler panicked"),
            )
        }))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            // Spans carry method, path and request id: never bodies or headers.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id, user = tracing::field::Empty)
            })
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Every error answered outside GraphQL; an internal one is logged here,
/// once, inside the request's span (so with its request id).
fn error_response(status: StatusCode, err: &AppError) -> Response {
    if let AppError::Internal(_) = err {
        tracing::error!(cause = %err.cause_chain(), "internal error");
    }
    let body = json!({
        "data": null,
        "errors": [{ "message": err.to_string(), "extensions": { "code": err.code() } }]
    });
    (status, axum::Json(body)).into_response()
}

async fn graphiql(State(http): State<Http>) -> Response {
    if http.state.config.mode == Mode::Production {
        return StatusCode::NOT_FOUND.into_response();
    }
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .finish(),
    )
    .into_response()
}

/// The address a request came from (the TCP peer), for per-address limits.
/// Put into every GraphQL request's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub std::net::IpAddr);

async fn graphql(
    State(http): State<Http>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Only `application/json` bodies: a browser cannot send one cross-site
    // without a preflight, which closes the CSRF route.
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &AppError::bad_input("Content-Type", "must be application/json"),
        );
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &AppError::bad_input(
                    "body",
                    "must be one JSON GraphQL request ({\"query\": …}); batches are not accepted",
                ),
            );
        }
    };
    let viewer = match viewer_from_headers(&http.state, &headers).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let mut request = request;
    if let Some(axum::Extension(axum::extract::ConnectInfo(addr))) = peer {
        request = request.data(ClientAddr(addr.ip()));
    }
    if let Some(v) = &viewer {
        tracing::Span::current().record("user", tracing::field::display(v.user_id));
        request = request.data(v.clone());
    }
    // Loaders live for one request, so batching never mixes two viewers.
    request = crate::graphql::loaders::attach(request, &http.state.db, viewer.as_ref());
    let response = http.schema.execute(request).await;
    axum::Json(response).into_response()
}

/// Subscriptions: `graphql-transport-ws` only. A browser sends `Origin` on
/// every WebSocket handshake and CORS does not protect WebSockets, so pages
/// from other origins are refused here (403); clients that send no `Origin`
/// (not browsers) are let through. The token is checked at `connection_init`.
async fn graphql_ws(
    State(http): State<Http>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .ok()
            .and_then(crate::config::web_origin)
            .is_some_and(|o| http.origins.contains(&o));
        if !allowed {
            return error_response(StatusCode::FORBIDDEN, &AppError::Forbidden);
        }
    }
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let protocol = crate::graphql::live::PROTOCOL;
    let offered = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case(protocol))
        });
    if !offered {
        return error_response(
            StatusCode::BAD_REQUEST,
            &AppError::bad_input("Sec-WebSocket-Protocol", "must offer graphql-transport-ws"),
        );
    }
    let Http { state, schema, .. } = http;
    upgrade
        .protocols([protocol])
        .max_message_size(MAX_BODY_BYTES)
        .max_frame_size(MAX_BODY_BYTES)
        .on_upgrade(move |socket| crate::graphql::live::serve(socket, schema, state))
}

/// No header: anonymous (only `login` and `refreshToken` work). A header that
/// is malformed or carries a bad token is refused, never treated as anonymous.
async fn viewer_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Some(token) = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
    else {
        return Err(error_response(
            StatusCode::UNAUTHORIZED,
            &AppError::Unauthenticated("the Authorization header must be `Bearer <token>`"),
        ));
    };
    authenticate(state, token).await.map(Some).map_err(|err| {
        let status = match err {
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        error_response(status, &err)
    })
}

/// `GET /calendar/<token>.ics`: the secret feed; 404 for anything unknown.
async fn calendar_feed(
    State(http): State<Http>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match crate::service::calendar::feed(&http.state, token).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            body,
        )
            .into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(cause = %e.cause_chain(), "calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn readyz(State(http): State<Http>) -> Response {
    if crate::db::ping(&http.state.db).await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}
