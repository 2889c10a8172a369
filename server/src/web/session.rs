//! The page session: a random secret in a cookie (HttpOnly, SameSite=Lax,
//! `__Host-` and Secure behind HTTPS), whose SHA-256 finds a `WEB` row of
//! `sessions`. It is checked on every request exactly as a bearer token is,
//! so logout, deactivation and a password change end it at once. The cookie
//! holds no data, only the secret; `/graphql` never reads it.
use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::Web;
use super::error::WebError;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::service::auth::{WEB_SESSION_HOURS, authenticate_web};

/// One of Accord's HttpOnly cookies, each holding a secret of at most 128
/// characters. Over HTTPS its name carries `__Host-`, which binds it to
/// this exact origin (Secure, no Domain, Path=/); a plain-HTTP development
/// server uses the plain name.
#[derive(Clone, Copy)]
pub struct Cookie {
    plain: &'static str,
    host_bound: &'static str,
    same_site: &'static str,
}

impl Cookie {
    pub const fn new(
        plain: &'static str,
        host_bound: &'static str,
        same_site: &'static str,
    ) -> Self {
        Cookie {
            plain,
            host_bound,
            same_site,
        }
    }

    fn name(self, secure: bool) -> &'static str {
        if secure { self.host_bound } else { self.plain }
    }

    /// `Set-Cookie` holding `value` for `max_age_secs`.
    pub fn set(self, secure: bool, value: &str, max_age_secs: i64) -> String {
        format!(
            "{}={value}; Path=/; HttpOnly; SameSite={}; Max-Age={max_age_secs}{}",
            self.name(secure),
            self.same_site,
            if secure { "; Secure" } else { "" }
        )
    }

    /// `Set-Cookie` that removes it.
    pub fn clear(self, secure: bool) -> String {
        self.set(secure, "", 0)
    }

    /// Its value as the browser sent it, if any (empty or overlong is none).
    pub fn read(self, headers: &HeaderMap, secure: bool) -> Option<&str> {
        let name = self.name(secure);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
            .filter(|value| !value.is_empty() && value.len() <= 128)
    }
}

/// Adds a `Set-Cookie` to a response.
pub fn add_cookie(response: &mut axum::response::Response, cookie: &str) {
    if let Ok(value) = axum::http::HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The web session's cookie (`SameSite=Lax`: a link from an email opens the
/// page signed in).
const SESSION: Cookie = Cookie::new("accord-session", "__Host-accord-session", "Lax");

/// `Set-Cookie` for a new session.
pub fn set_cookie(secure: bool, secret: &str) -> String {
    SESSION.set(secure, secret, WEB_SESSION_HOURS * 3600)
}

/// `Set-Cookie` that removes the session cookie (signed out).
pub fn clear_cookie(secure: bool) -> String {
    SESSION.clear(secure)
}

/// The session secret the browser sent, if any.
pub fn secret_in(headers: &HeaderMap, secure: bool) -> Option<&str> {
    SESSION.read(headers, secure)
}

/// A signed-in person. A page that needs one and has none sends the
/// browser to sign in, and back to the page (a GET) afterwards.
pub struct SignedIn(pub Viewer);

impl<S> FromRequestParts<S> for SignedIn
where
    Web: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let web = Web::from_ref(state);
        let Some(secret) = secret_in(&parts.headers, web.secure) else {
            return Err(to_sign_in(parts));
        };
        match authenticate_web(&web.state, secret).await {
            Ok(viewer) => {
                tracing::Span::current().record("user", tracing::field::display(viewer.user_id));
                if let Some(lang) = viewer.reading.lang {
                    crate::i18n::set_current(lang);
                }
                Ok(SignedIn(viewer))
            }
            Err(AppError::Unauthenticated(_)) => Err(to_sign_in(parts)),
            Err(err) => Err(WebError(err).into_response()),
        }
    }
}

/// The signed-in person if there is one (the sign-in page itself).
impl<S> OptionalFromRequestParts<S> for SignedIn
where
    Web: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <SignedIn as FromRequestParts<S>>::from_request_parts(parts, state).await {
            Ok(signed_in) => Ok(Some(signed_in)),
            Err(response) if response.status().is_redirection() => Ok(None),
            Err(response) => Err(response),
        }
    }
}

/// To the sign-in page; a GET comes back to where it was going.
fn to_sign_in(parts: &Parts) -> Response {
    if parts.method != Method::GET {
        return Redirect::to("/sign-in").into_response();
    }
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    Redirect::to(&format!("/sign-in?next={}", encode_component(&target))).into_response()
}

/// Where a sign-in may send the browser next: a path on this site only
/// (`/x`, never `//host` or `/\host`, which browsers read as another site).
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 512
        && !next.chars().any(|c| c.is_control());
    if local { next } else { "/" }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/hearings/abc?x=1"), "/hearings/abc?x=1");
        for foreign in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "",
            "hearings",
            "/a\nb",
        ] {
            assert_eq!(safe_next(foreign), "/", "{foreign:?}");
        }
    }

    #[test]
    fn the_cookie_is_found_among_others_and_named_for_https() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; __Host-accord-session=s3cret; b=2"
                .parse()
                .expect("header"),
        );
        assert_eq!(secret_in(&headers, true), Some("s3cret"));
        assert_eq!(secret_in(&headers, false), None);
        assert!(set_cookie(true, "x").contains("; Secure"));
        assert!(set_cookie(true, "x").contains("HttpOnly"));
        assert!(set_cookie(true, "x").contains("SameSite=Lax"));
        assert!(!set_cookie(false, "x").contains("Secure"));
        assert_eq!(encode_component("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
