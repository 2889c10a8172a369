//! What a request says about who is asking, before anyone checks it: the
//! client's address, and the bearer token of an `Authorization` header or of
//! a WebSocket `connection_init` payload. Parsing only: checking a token is
//! `service::auth::authenticate`'s (called from `http`), so this room stays
//! below the services and `graphql` reads it without importing `http`.
use std::net::IpAddr;

use axum::http::{HeaderMap, header};

use crate::error::{AppError, AppResult};

/// The address a request came from (the TCP peer), for per-address limits.
/// Put into every GraphQL request's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

/// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 7235),
/// spaces around the token are ignored, and an empty token is none.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The token of the `Authorization` header: none without the header
/// (anonymous); a header that is not `Bearer <token>` is refused
/// (`UNAUTHENTICATED`), never taken for anonymous.
pub fn token_from_headers(headers: &HeaderMap) -> AppResult<Option<&str>> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    match value.to_str().ok().and_then(bearer_token) {
        Some(token) => Ok(Some(token)),
        None => Err(AppError::Unauthenticated(
            "the Authorization header must be `Bearer <token>`",
        )),
    }
}

/// The bearer token of a `connection_init` payload:
/// `{"Authorization": "Bearer <token>"}` (or `authorization`, or `token`).
/// As over HTTP, `Authorization` must be `Bearer <token>`; `token` may be bare.
pub fn token_from_init(payload: &serde_json::Value) -> AppResult<String> {
    let field = |key: &str| payload.get(key).and_then(serde_json::Value::as_str);
    let token = match field("Authorization").or_else(|| field("authorization")) {
        Some(header) => bearer_token(header),
        None => field("token").map(|t| bearer_token(t).unwrap_or(t)),
    }
    .map(str::trim)
    .unwrap_or_default();
    if token.is_empty() {
        return Err(AppError::Unauthenticated(
            "connection_init must carry {\"Authorization\": \"Bearer <token>\"}",
        ));
    }
    Ok(token.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

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
    fn the_token_comes_from_the_init_payload() {
        for payload in [
            json!({ "Authorization": "Bearer abc" }),
            json!({ "authorization": "Bearer abc" }),
            json!({ "Authorization": "bearer abc" }),
            json!({ "token": "abc" }),
            json!({ "token": "Bearer abc" }),
        ] {
            assert_eq!(
                token_from_init(&payload).expect("token"),
                "abc",
                "{payload}"
            );
        }
        for payload in [
            json!({}),
            json!(null),
            json!({ "Authorization": "Bearer " }),
            json!({ "Authorization": 7 }),
            json!({ "Authorization": "abc" }),
        ] {
            assert!(token_from_init(&payload).is_err(), "{payload}");
        }
    }
}
