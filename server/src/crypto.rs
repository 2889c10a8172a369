//! Identity fields at rest: XChaCha20-Poly1305, each ciphertext bound to its
//! record and field by the associated data (so it cannot be moved to another
//! case or field), and tagged with the id of the key that sealed it so keys
//! can be rotated (`accord rotate-keys`). Keys live in configuration, never in
//! the database.
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::{AppError, AppResult};

pub mod sealed;

/// The key used when none is configured in development. Published, hence
/// refused in production.
pub const DEVELOPMENT_KEY: &str = "dev:YWNjb3JkLWRldi1pZGVudGl0eS1rZXktMzJieXRlcyE=";

#[derive(Clone)]
pub struct KeyRing {
    /// (id, cipher); the first seals, all open.
    keys: Vec<(String, XChaCha20Poly1305)>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("KeyRing").field("ids", &ids).finish()
    }
}

impl KeyRing {
    /// Parses `id:base64key[,id:base64key…]`; keys are 32 bytes; the first is current.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut keys = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (id, b64) = part
                .split_once(':')
                .ok_or("each key must be written id:base64")?;
            if id.is_empty()
                || id.len() > 32
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err("key ids are 1–32 letters, digits, - or _".into());
            }
            let bytes = STANDARD
                .decode(b64)
                .map_err(|_| format!("key {id} is not base64"))?;
            if bytes.len() != 32 {
                return Err(format!("key {id} must be 32 bytes, not {}", bytes.len()));
            }
            if keys.iter().any(|(k, _): &(String, _)| k == id) {
                return Err(format!("key id {id} appears twice"));
            }
            let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|e| e.to_string())?;
            keys.push((id.to_owned(), cipher));
        }
        if keys.is_empty() {
            return Err("no key given".into());
        }
        Ok(Self { keys })
    }

    pub fn current_id(&self) -> &str {
        &self.keys[0].0
    }

    /// `v1:<key id>:<base64(nonce ‖ ciphertext)>`.
    pub fn seal(&self, context: &str, plaintext: &str) -> AppResult<String> {
        let (id, cipher) = &self.keys[0];
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("encryption failed"))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        Ok(format!("v1:{id}:{}", STANDARD.encode(blob)))
    }

    /// Opens a sealed value for `context`; fails if moved, altered or the key is gone.
    pub fn open(&self, context: &str, sealed: &str) -> AppResult<String> {
        let mut parts = sealed.splitn(3, ':');
        let (Some("v1"), Some(id), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(AppError::internal("unknown ciphertext format"));
        };
        let (_, cipher) =
            self.keys.iter().find(|(k, _)| k == id).ok_or_else(|| {
                AppError::internal(format!("identity key {id} is not configured"))
            })?;
        let blob = STANDARD.decode(b64).map_err(AppError::internal)?;
        if blob.len() < 24 {
            return Err(AppError::internal("ciphertext too short"));
        }
        let (nonce, ct) = blob.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(AppError::internal)?;
        let pt = cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| AppError::internal("identity ciphertext failed authentication"))?;
        String::from_utf8(pt).map_err(AppError::internal)
    }

    /// The key id a sealed value names.
    pub fn key_id_of(sealed: &str) -> Option<&str> {
        sealed
            .strip_prefix("v1:")
            .and_then(|rest| rest.split(':').next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(spec: &str) -> KeyRing {
        KeyRing::parse(spec).expect("valid key ring")
    }

    const A: &str = "a:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const B: &str = "b:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    #[test]
    fn seals_and_opens_bound_to_context() {
        let r = ring(A);
        let sealed = r.seal("case:1:legal_name", "Maria Santos").expect("seal");
        assert!(!sealed.contains("Maria"));
        assert_eq!(
            r.open("case:1:legal_name", &sealed).expect("open"),
            "Maria Santos"
        );
        assert!(
            r.open("case:2:legal_name", &sealed).is_err(),
            "moved to another record"
        );
        assert!(
            r.open("case:1:contact", &sealed).is_err(),
            "moved to another field"
        );
        assert_eq!(KeyRing::key_id_of(&sealed), Some("a"));
    }

    #[test]
    fn old_keys_open_and_the_first_key_seals() {
        let old = ring(A);
        let sealed = old.seal("c", "x").expect("seal");
        let rotated = ring(&format!("{B},{A}"));
        assert_eq!(rotated.open("c", &sealed).expect("open"), "x");
        assert_eq!(
            KeyRing::key_id_of(&rotated.seal("c", "x").expect("seal")),
            Some("b")
        );
        assert!(ring(B).open("c", &sealed).is_err(), "key removed");
    }

    #[test]
    fn refuses_bad_specs() {
        for bad in ["", "nokey", "a:notbase64!", "a:AAAA", &format!("{A},{A}")] {
            assert!(KeyRing::parse(bad).is_err(), "{bad}");
        }
        assert!(KeyRing::parse(DEVELOPMENT_KEY).is_ok());
    }
}
