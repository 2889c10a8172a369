//! Argon2id password hashing with configurable cost.
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult};

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A real hash to verify against when the email is unknown, so that both
    /// paths cost the same time.
    decoy: String,
}

impl Hasher {
    pub fn new(memory_kib: u32, iterations: u32) -> AppResult<Self> {
        let params = Params::new(memory_kib, iterations, 1, None).map_err(AppError::internal)?;
        let mut hasher = Self {
            params,
            decoy: String::new(),
        };
        hasher.decoy = hasher.hash("decoy password never matches")?;
        Ok(hasher)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub fn hash(&self, password: &str) -> AppResult<String> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    }

    /// Verifies against `stored`, or against the decoy when there is no user.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let is_real = stored.is_some();
        let Ok(parsed) = PasswordHash::new(stored.unwrap_or(&self.decoy)) else {
            return false;
        };
        // The parameters are read from the stored hash, so older costs still verify.
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        matches && is_real
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let h = Hasher::new(1024, 1).expect("params");
        let stored = h.hash("correct horse battery").expect("hash");
        assert!(h.verify("correct horse battery", Some(&stored)));
        assert!(!h.verify("wrong horse battery", Some(&stored)));
        assert!(!h.verify("decoy password never matches", None));
        assert!(!h.verify("anything", Some("not a hash")));
    }
}
