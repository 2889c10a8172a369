//! The plain GET routes: the calendar feed (`/calendar/<token>.ics`), the
//! probes (`/healthz`, `/readyz`) and GraphiQL with its assets (development
//! only). Invariant: a feed's token never reaches a log, and a probe never
//! waits longer than `ACCORD_READINESS_TIMEOUT_MS`.
use async_graphql::http::GraphiQLSource;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::Http;
use crate::config::Mode;
use crate::error::AppError;

/// GraphiQL's browser assets, served from the binary (copied from the npm
/// packages at commit time, see `server/assets/graphiql/README.md`): an
/// embassy network may not reach a public CDN, and the page holds a token.
const GRAPHIQL_ASSETS: [(&str, &str, &str, &[u8]); 4] = [
    (
        "https://unpkg.com/react@18/umd/react.development.js",
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "https://unpkg.com/react-dom@18/umd/react-dom.development.js",
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "https://unpkg.com/graphiql@4/graphiql.min.css",
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "https://unpkg.com/graphiql@4/graphiql.min.js",
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
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

pub(super) async fn graphiql(State(http): State<Http>) -> Response {
    if http.state.config.mode == Mode::Production {
        return StatusCode::NOT_FOUND.into_response();
    }
    Html(graphiql_page()).into_response()
}

/// `GET /graphql/assets/<file>`: GraphiQL's assets (development only).
pub(super) async fn graphiql_asset(
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

/// `GET /calendar/<token>.ics`: the secret feed; 404 for anything unknown.
pub(super) async fn calendar_feed(
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
pub(super) async fn readyz(State(http): State<Http>) -> Response {
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
}
