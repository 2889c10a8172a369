//! Access tokens (short-lived JWTs, HS256 pinned) and opaque refresh tokens.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::crypto::sealed::UnlockSecret;
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// The session (refresh-token family) the token belongs to; logout ends it.
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The session's unlock secret (`crypto::sealed::UnlockSecret`), held by
    /// the client alone: it opens the member key the session keeps. Absent
    /// for a session that keeps none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ulk: Option<String>,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl_secs: i64,
}

/// Leeway for clock skew when checking `exp`, kept small (RFC 8725).
const LEEWAY_SECS: u64 = 5;

impl TokenKeys {
    pub fn new(secret: &str, issuer: &str, audience: &str, access_ttl_secs: i64) -> Self {
        // The algorithm is pinned: a token whose header names another one
        // (including `none`) is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            access_ttl_secs,
        }
    }

    /// Signs an access token; returns it with its expiry (unix seconds).
    pub fn issue(&self, user_id: Uuid, session_id: Uuid, now: i64) -> AppResult<(String, i64)> {
        self.issue_unlocking(user_id, session_id, now, None)
    }

    /// Signs an access token that carries the session's unlock secret.
    pub fn issue_unlocking(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        now: i64,
        unlock: Option<&UnlockSecret>,
    ) -> AppResult<(String, i64)> {
        let exp = now + self.access_ttl_secs;
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp,
            ulk: unlock.map(UnlockSecret::encode),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)?;
        Ok((token, exp))
    }

    /// Checks signature, algorithm, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> AppResult<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| {
                tracing::info!(reason = ?e.kind(), "access token refused");
                AppError::Unauthenticated("invalid or expired access token")
            })
    }
}

/// A fresh opaque refresh token (256 random bits) and the hash that is stored.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A refresh token as handed out: the opaque token, then `.` and the
/// session's unlock secret when it has one (so that a refresh can carry it
/// into the next access token without the server ever storing it).
pub fn with_unlock(token: &str, unlock: Option<&UnlockSecret>) -> String {
    match unlock {
        Some(u) => format!("{token}.{}", u.encode()),
        None => token.to_owned(),
    }
}

/// Splits a presented refresh token into its opaque part (whose hash is
/// stored) and its unlock secret, if any.
pub fn split_unlock(presented: &str) -> (&str, Option<UnlockSecret>) {
    match presented.split_once('.') {
        Some((token, secret)) => (token, UnlockSecret::parse(secret)),
        None => (presented, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&"k".repeat(40), "accord", "accord-api", 900)
    }

    #[test]
    fn round_trip() {
        let k = keys();
        let (u, s) = (Uuid::new_v4(), Uuid::new_v4());
        let now = chrono::Utc::now().timestamp();
        let (t, exp) = k.issue(u, s, now).expect("issue");
        assert_eq!(exp, now + 900);
        let c = k.verify(&t).expect("verify");
        assert_eq!((c.sub, c.sid), (u, s));
    }

    #[test]
    fn refuses_expired_and_foreign_tokens() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let (old, _) = k
            .issue(Uuid::new_v4(), Uuid::new_v4(), now - 1000)
            .expect("issue");
        assert!(k.verify(&old).is_err());
        let other = TokenKeys::new(&"o".repeat(40), "accord", "accord-api", 900);
        let (forged, _) = other
            .issue(Uuid::new_v4(), Uuid::new_v4(), now)
            .expect("issue");
        assert!(k.verify(&forged).is_err());
        let wrong_aud = TokenKeys::new(&"k".repeat(40), "accord", "elsewhere", 900);
        let (t, _) = wrong_aud
            .issue(Uuid::new_v4(), Uuid::new_v4(), now)
            .expect("issue");
        assert!(k.verify(&t).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, ha) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(hash_refresh_token(&a), ha);
        assert_ne!(a, ha);
    }
}
