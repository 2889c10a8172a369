//! The HTTP surface: `POST /graphql` (JSON only, one operation per request),
//! GraphiQL on `GET /graphql` in development, subscriptions over
//! `graphql-transport-ws` at `/graphql/ws`, `/healthz` and `/readyz`.
//! The bearer token is turned into a `Viewer` here, once per request.
//!
//! Abuse limits at this layer: per-address and per-user request rates
//! (`RATE_LIMITED` with `retryAfterSeconds` and `Retry-After`), the body size
//! (413) and the request timeout (408); every refusal, these included, is a
//! GraphQL JSON error with `extensions.code`. An answer over
//! `ACCORD_MAX_RESPONSE_BYTES` is replaced by its refusal (`graphql/size.rs`).
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use async_graphql::ErrorExtensions;
use async_graphql::http::GraphiQLSource;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::handler::Handler;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
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
use crate::metrics::{Counted, Live};
use crate::service::auth::authenticate;
use crate::state::AppState;

/// Largest accepted request body, and WebSocket message or frame.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

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

/// Request rates, in this process only (each replica limits on its own).
/// Keyed by user id and by client address; a quota holds a minute's
/// allowance, which may be spent at once and refills evenly.
struct RateLimits {
    per_user: DefaultKeyedRateLimiter<uuid::Uuid>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

/// How often keys whose allowance is full again are forgotten, so that the
/// limiters' memory follows the clients of the last minute or so.
const RATE_STATE_SWEEP: Duration = Duration::from_secs(60);

impl RateLimits {
    fn new(per_user_per_minute: u32, per_address_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_user: RateLimiter::keyed(quota(per_user_per_minute)),
            per_address: RateLimiter::keyed(quota(per_address_per_minute)),
        }
    }

    /// Forgets idle keys every `RATE_STATE_SWEEP`, until the router is dropped.
    fn sweep_periodically(this: Weak<Self>) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(RATE_STATE_SWEEP);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(limits) = this.upgrade() else { return };
                limits.per_user.retain_recent();
                limits.per_user.shrink_to_fit();
                limits.per_address.retain_recent();
                limits.per_address.shrink_to_fit();
            }
        });
    }

    /// Counts one request from `addr`; the refusal when over the rate.
    fn refuse_address(&self, addr: IpAddr) -> Option<Response> {
        let key = address_key(addr);
        let not_until = self.per_address.check_key(&key).err()?;
        let wait = not_until.wait_time_from(self.per_address.clock().now());
        Some(rate_limited("too many requests from this address", wait))
    }

    /// Counts one request by `user`; the refusal when over the rate.
    fn refuse_user(&self, user: uuid::Uuid) -> Option<Response> {
        let not_until = self.per_user.check_key(&user).err()?;
        let wait = not_until.wait_time_from(self.per_user.clock().now());
        Some(rate_limited("too many requests from this user", wait))
    }
}

/// The key of a client address: an IPv4 address (also when mapped into
/// IPv6), or an IPv6 address's /64 prefix (one host typically holds a whole
/// /64, so counting single IPv6 addresses would be no limit at all).
fn address_key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// 429 `RATE_LIMITED`, with `retryAfterSeconds` and `Retry-After` (whole
/// seconds, at least 1).
fn rate_limited(message: &str, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = secs.max(1);
    let mut response = refusal(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("{message}; try again in {secs} s"),
        json!({ "code": "RATE_LIMITED", "retryAfterSeconds": secs }),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

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
    Router::new()
        .route(
            "/graphql",
            get(graphiql).post(graphql.layer(axum::middleware::from_fn_with_state(
                executing,
                one_of_the_executing,
            ))),
        )
        .route("/graphql/assets/{file}", get(graphiql_asset))
        .route("/graphql/ws", get(graphql_ws))
        .route("/calendar/{file}", get(calendar_feed))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .with_state(Http {
            state,
            schema,
            origins,
            limits,
            probe: Arc::default(),
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
            timeout,
        ))
        // The two layers above answer in plain text (413) or with no body
        // (408): both become coded GraphQL errors here.
        .layer(axum::middleware::map_response(
            move |response: Response| async move { coded_transport_refusal(response, timeout) },
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

/// Bodies announced at no more than this (every GraphQL request we expect)
/// are read before a request waits to execute; larger ones stream as they
/// come, inside the body limit.
const BODY_READ_BEFORE_WAITING: u64 = 16 * 1024;

/// The body, when small and of announced length, read now: a client that
/// sends it slowly waits without holding a place to execute, and one whose
/// body ends early (it went away) is refused before it ever took one.
async fn with_a_body_of_its_own(
    request: Request<axum::body::Body>,
) -> Result<Request<axum::body::Body>, Response> {
    use axum::body::HttpBody;
    let (parts, body) = request.into_parts();
    let body = match body.size_hint().exact() {
        Some(len) if len <= BODY_READ_BEFORE_WAITING => {
            let read = axum::body::to_bytes(body, BODY_READ_BEFORE_WAITING as usize)
                .await
                .map_err(|_| {
                    error_response(
                        StatusCode::BAD_REQUEST,
                        &AppError::bad_input(
                            "body",
                            "the request body ended before its announced length",
                        ),
                    )
                })?;
            axum::body::Body::from(read)
        }
        _ => body,
    };
    Ok(Request::from_parts(parts, body))
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

/// The path as logs may show it: a calendar feed's path is its secret token
/// (whoever reads it can fetch the feed), so only the route is kept.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/calendar/") {
        "/calendar/<token>"
    } else {
        path
    }
}

/// At most `ACCORD_MAX_EXECUTING_REQUESTS` GraphQL requests run at once;
/// the others wait here, before their execution is built (a request's
/// execution state is tens of kilobytes). A small body is read first, so a
/// slow sender never holds a place. A waiting request has been read, and
/// costs about 22 KiB: how many may be read at all is bounded before hyper
/// reads them (`ACCORD_MAX_OPEN_REQUESTS`, `serve.rs`). The request timeout
/// runs while they wait.
async fn one_of_the_executing(
    State(executing): State<Executing>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    let request = match with_a_body_of_its_own(request).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let waiting = Counted::new(&executing.metrics, Live::Waiting);
    let place = executing.places.acquire().await;
    drop(waiting);
    match place {
        Ok(_permit) => {
            let _executing = Counted::new(&executing.metrics, Live::Executing);
            next.run(request).await
        }
        Err(_) => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &AppError::internal("the request limiter was closed"),
        ),
    }
}

/// The places to execute GraphQL requests, and the gauges that show them.
#[derive(Clone)]
struct Executing {
    places: Arc<tokio::sync::Semaphore>,
    metrics: Arc<crate::metrics::Metrics>,
}

/// Every error answered outside GraphQL; an internal one is logged here,
/// once, inside the request's span (so with its request id). The extensions
/// are the ones GraphQL would carry (`code`, and `field` or `retryAfterSeconds`).
fn error_response(status: StatusCode, err: &AppError) -> Response {
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
fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A GraphQL JSON error response (`{"data": null, "errors": [{…}]}`).
fn refusal(status: StatusCode, message: &str, extensions: serde_json::Value) -> Response {
    let body = json!({
        "data": null,
        "errors": [{ "message": message, "extensions": extensions }]
    });
    (status, axum::Json(body)).into_response()
}

/// 413 (from the body limit, whether announced by `Content-Length` or found
/// while reading) and 408 (the timeout) as coded GraphQL errors; any other
/// response passes unchanged, as does one that is already JSON.
fn coded_transport_refusal(response: Response, timeout: Duration) -> Response {
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
                    format!(
                        "the request body is larger than the limit of {MAX_BODY_BYTES} bytes ({} KiB)",
                        MAX_BODY_BYTES / 1024
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

/// GraphiQL's browser assets, served from the binary (copied from the npm
/// packages at commit time, see `server/assets/graphiql/README.md`): an
/// embassy network may not reach a public CDN, and the page holds a token.
const GRAPHIQL_ASSETS: [(&str, &str, &str, &[u8]); 4] = [
    (
        "https://unpkg.com/react@18/umd/react.development.js",
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react.production.min.js"),
    ),
    (
        "https://unpkg.com/react-dom@18/umd/react-dom.development.js",
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "https://unpkg.com/graphiql@4/graphiql.min.css",
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/graphiql/graphiql.min.css"),
    ),
    (
        "https://unpkg.com/graphiql@4/graphiql.min.js",
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/graphiql.min.js"),
    ),
];

/// The GraphiQL page with every asset pointing at this server.
pub fn graphiql_page() -> String {
    let mut page = GraphiQLSource::build()
        .endpoint("/graphql")
        .subscription_endpoint("/graphql/ws")
        .finish();
    for (cdn, file, _, _) in GRAPHIQL_ASSETS {
        page = page.replace(cdn, &format!("/graphql/assets/{file}"));
    }
    // Nor a favicon from elsewhere.
    page.replace(
        r#"<link rel="icon" href="https://graphql.org/favicon.ico">"#,
        "",
    )
}

async fn graphiql(State(http): State<Http>) -> Response {
    if http.state.config.mode == Mode::Production {
        return StatusCode::NOT_FOUND.into_response();
    }
    Html(graphiql_page()).into_response()
}

/// `GET /graphql/assets/<file>`: GraphiQL's assets (development only).
async fn graphiql_asset(
    State(http): State<Http>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    if http.state.config.mode == Mode::Production {
        return StatusCode::NOT_FOUND.into_response();
    }
    match GRAPHIQL_ASSETS.iter().find(|(_, name, _, _)| *name == file) {
        Some((_, _, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The address a request came from (the TCP peer), for per-address limits.
/// Put into every GraphQL request's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub std::net::IpAddr);

async fn graphql(
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
        Err(_) => return error_response(StatusCode::BAD_REQUEST, &body_error(&body)),
    };
    let viewer = match viewer_from_headers(&http.state, &headers).await {
        Ok(v) => v,
        // A bad or stale token does not stand in the way of getting a new
        // one: a request of nothing but `login`/`refreshToken` runs anonymous.
        Err(AppError::Unauthenticated(_))
            if crate::graphql::only_signs_in(&request.query, request.operation_name.as_deref()) =>
        {
            tracing::debug!("bad Authorization header ignored for a sign-in");
            None
        }
        Err(err) => return error_response(status_of(&err), &err),
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
        Ok(serde_json::Value::Array(_)) => {
            "is a batch (a JSON array); batches are not accepted: send one request ({\"query\": …}) per POST"
        }
        Ok(_) => "must be one GraphQL request: a JSON object such as {\"query\": …}",
        Err(_) => "is not valid JSON; send one GraphQL request ({\"query\": …})",
    };
    AppError::bad_input("body", reason)
}

/// Subscriptions: `graphql-transport-ws` only. A browser sends `Origin` on
/// every WebSocket handshake and CORS does not protect WebSockets, so pages
/// from other origins are refused here (403); clients that send no `Origin`
/// (not browsers) are let through. The token is checked at `connection_init`.
async fn graphql_ws(
    State(http): State<Http>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // An upgrade counts against the address's request rate.
    if let Some(axum::Extension(axum::extract::ConnectInfo(addr))) = peer
        && let Some(refused) = http.limits.refuse_address(addr.ip())
    {
        http.state.metrics.rate_limited("address");
        return refused;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().ok().and_then(crate::config::web_origin);
        if !origin.as_ref().is_some_and(|o| http.origins.contains(o)) {
            return origin_refused(origin.as_deref(), &http.state.config.public_url);
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

/// 403 `FORBIDDEN` for a page whose origin may not open the WebSocket,
/// saying which origin was expected and which settings decide it (a new user
/// who moved the port meets this first, in GraphiQL). The expected origin is
/// the public URL's, which is no secret; the extra allowed origins are not
/// listed.
fn origin_refused(origin: Option<&str>, public_url: &str) -> Response {
    let expected = crate::config::web_origin(public_url).unwrap_or_else(|| public_url.to_owned());
    let origin = origin.map_or_else(
        || "this page's origin".to_owned(),
        |o| format!("origin {o}"),
    );
    refusal(
        StatusCode::FORBIDDEN,
        &format!(
            "{origin} may not open the WebSocket: pages are expected at {expected} (ACCORD_PUBLIC_URL) or an origin listed in ACCORD_ALLOWED_ORIGINS; set ACCORD_PUBLIC_URL to the address you open in the browser, or add this origin to ACCORD_ALLOWED_ORIGINS"
        ),
        json!({ "code": "FORBIDDEN" }),
    )
}

/// No header: anonymous (only `login` and `refreshToken` work). A header that
/// is malformed or carries a bad token is refused (`UNAUTHENTICATED`), never
/// treated as anonymous — except by a request that only signs in (`graphql`).
async fn viewer_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Viewer>, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Some(token) = value.to_str().ok().and_then(bearer_token) else {
        return Err(AppError::Unauthenticated(
            "the Authorization header must be `Bearer <token>`",
        ));
    };
    authenticate(state, token).await.map(Some)
}

/// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 7235),
/// spaces around the token are ignored, and an empty token is none.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
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
        Err(e @ AppError::Unavailable { .. }) => {
            let mut refused = StatusCode::SERVICE_UNAVAILABLE.into_response();
            if let Some(secs) = e.retry_after_secs() {
                refused
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            refused
        }
        Err(e) => {
            tracing::error!(cause = %e.cause_chain(), "calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `/readyz`: 200 once the database answered a probe (`db::ping`) within
/// `ACCORD_READINESS_TIMEOUT_MS`, else 503 — never slower than that bound.
/// The probe runs in a task of its own and to its end (abandoned midway, a
/// SQLite probe could leave the connection inside a transaction); one at a
/// time, so a flood of probes during an outage starts no pile of them.
async fn readyz(State(http): State<Http>) -> Response {
    let bound = http.state.config.readiness_timeout();
    let db = http.state.db.clone();
    let probe = async move {
        let one_at_a_time = http.probe.clone().lock_owned().await;
        tokio::spawn(async move {
            let answer = crate::db::ping(&db).await;
            drop(one_at_a_time);
            answer
        })
        .await
    };
    match tokio::time::timeout(bound, probe).await {
        Ok(Ok(Ok(()))) => (StatusCode::OK, "ready").into_response(),
        Ok(Ok(Err(e))) => {
            tracing::warn!(error = %e, "readiness: the database refused the probe");
            not_ready("database unreachable")
        }
        Ok(Err(_)) => not_ready("database probe failed"),
        Err(_) => {
            tracing::warn!(
                bound_ms = bound.as_millis(),
                "readiness: the database did not answer in time"
            );
            not_ready("database did not answer in time")
        }
    }
}

fn not_ready(why: &'static str) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, why).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graphiql_page_loads_nothing_from_elsewhere() {
        let page = graphiql_page();
        assert!(!page.contains("https://"), "{page}");
        for (_, file, _, bytes) in GRAPHIQL_ASSETS {
            assert!(page.contains(&format!("/graphql/assets/{file}")), "{file}");
            assert!(bytes.len() > 1000, "{file}");
        }
    }

    #[test]
    fn a_calendar_token_never_reaches_the_log() {
        assert_eq!(
            loggable_path("/calendar/s3cr3t-token.ics"),
            "/calendar/<token>"
        );
        assert_eq!(loggable_path("/graphql"), "/graphql");
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer abc"), Some("abc"));
        assert_eq!(bearer_token("BEARER  abc "), Some("abc"));
        for bad in ["Bearer", "Bearer ", "Basic abc", "Bearerabc", "abc", ""] {
            assert_eq!(bearer_token(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ipv6_addresses_are_counted_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            address_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn retry_after_is_whole_seconds_and_at_least_one() {
        for (wait, secs) in [
            (0, "1"),
            (1, "1"),
            (1_000, "1"),
            (1_001, "2"),
            (12_000, "12"),
        ] {
            let r = rate_limited("too many", Duration::from_millis(wait));
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(r.headers()[header::RETRY_AFTER], secs, "{wait} ms");
        }
    }
}
