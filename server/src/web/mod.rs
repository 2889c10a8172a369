//! The web client: server-rendered pages for every journey, on the same
//! services and policy as the GraphQL resolvers (no second path to data: a
//! page shows exactly what the API shows the same person). Pages work with
//! JavaScript off and load nothing from another origin.
//!
//! - `session`: the cookie session (never accepted on `/graphql`);
//! - `page`: rendering, navigation, form errors, `?done=` confirmations;
//! - `error`: refusals as pages;
//! - one file per area of pages (`account`, …).
//!
//! Every answer carries the security headers (`security_headers`); every
//! request that could change state (anything but GET and HEAD) is checked
//! against cross-site requests first (`same_origin_only`), and a GET never
//! changes anything.
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::state::AppState;

mod account;
mod admin;
mod assessments;
mod cases;
pub mod error;
mod handover;
mod hearings;
mod identity;
pub mod page;
mod recovery;
mod reports;
mod roster;
mod security_keys;
pub mod session;
mod sso;
mod statements;
mod two_step;

/// What every page handler shares.
#[derive(Clone)]
pub struct Web {
    pub state: AppState,
    /// `scheme://host[:port]` of the public URL: the only origin whose
    /// forms may post here.
    pub origin: String,
    /// Behind HTTPS: the cookie is `__Host-` and Secure.
    pub secure: bool,
}

impl FromRef<Web> for AppState {
    fn from_ref(web: &Web) -> AppState {
        web.state.clone()
    }
}

/// The stylesheet, compiled in (one small file, no other asset).
const STYLESHEET: &str = include_str!("../../static/accord.css");

/// The pages' routes, with their state and layers.
pub fn router(state: AppState) -> Router {
    let public = state.config.public_url.trim_end_matches('/').to_owned();
    let origin = origin_of(&public).unwrap_or(public.clone());
    let web = Web {
        secure: public.starts_with("https://"),
        origin,
        state,
    };
    Router::new()
        .route("/", get(account::home))
        .route(
            "/sign-in",
            get(account::sign_in_page).post(account::sign_in),
        )
        .route("/sign-out", post(account::sign_out))
        .route("/account", get(account::account_page))
        .route("/account/password", post(account::change_password))
        .route("/account/digest", post(account::set_digest))
        .route("/account/preferences", post(account::set_preferences))
        .route("/account/sessions/{id}/end", post(account::end_session))
        .route(
            "/account/sign-out-everywhere",
            post(account::sign_out_everywhere),
        )
        .route(
            "/account/security-keys/remove",
            post(account::remove_security_key),
        )
        .merge(security_keys::routes())
        .merge(roster::routes())
        .merge(hearings::routes())
        .merge(cases::routes())
        .merge(statements::routes())
        .merge(reports::routes())
        .merge(admin::routes())
        .merge(identity::routes())
        .merge(assessments::routes())
        .merge(handover::routes())
        .merge(sso::routes())
        .merge(two_step::routes())
        .merge(recovery::routes())
        .route("/static/accord.css", get(stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            web.clone(),
            same_origin_only,
        ))
        .layer(axum::middleware::from_fn(in_the_readers_language))
        .layer(axum::middleware::map_response(
            |response: Response| async move { security_headers(response) },
        ))
        .with_state(web)
}

/// Runs the request in its reader's language: the browser's
/// `Accept-Language` here, replaced by the person's own choice once the
/// session is read (`session::SignedIn`).
async fn in_the_readers_language(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(crate::i18n::Lang::negotiate)
        .unwrap_or_default();
    crate::i18n::scope(lang, next.run(request)).await
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    Some(format!("{scheme}://{host}").to_ascii_lowercase())
}

async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        STYLESHEET,
    )
        .into_response()
}

async fn not_found() -> Response {
    error::WebError(crate::error::AppError::NotFound).into_response()
}

/// Refuses a state-changing request that another site could have made:
/// Fetch Metadata first (`Sec-Fetch-Site` must be `same-origin`, or `none`
/// for a person's own navigation), else the `Origin` header must be the
/// public URL's. A request with neither is refused too: every browser that
/// can run these pages sends one of them on a form POST.
async fn same_origin_only(State(web): State<Web>, request: Request, next: Next) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        return next.run(request).await;
    }
    let headers = request.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match (site, origin) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => origin.eq_ignore_ascii_case(&web.origin),
        (None, None) => false,
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!("a cross-site request to change state was refused");
    let page = error::MessagePage {
        nav: page::Nav::default(),
        title: crate::i18n::t("errors-cross-site-title"),
        paragraphs: vec![
            crate::i18n::t("errors-cross-site-only-own-pages"),
            crate::i18n::t("errors-cross-site-open-directly"),
        ],
        code: Some("FORBIDDEN"),
        back_href: "/".to_owned(),
        back_label: crate::i18n::t("errors-open-accord"),
    };
    page::html(StatusCode::FORBIDDEN, &page)
}

/// The headers of every page: no script at all (not even inline), nothing
/// from another origin, never framed, no referrer (a page address holds an
/// object's id), no content sniffing. The security-key pages alone set
/// their own policy first (`security_keys::with_own_script`: Accord's one
/// same-origin script), which is kept.
pub fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    response
}
