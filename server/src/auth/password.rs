//! Argon2id password hashing with configurable cost, and a bounded pool for
//! the verifications that unauthenticated requests can cause (`login`).
//!
//! Verifications run on a `work::BoundedPool` of `concurrency` permits (each
//! on `spawn_blocking`, so async workers stay free) with at most
//! `QUEUE_PER_PERMIT × concurrency` more waiting; beyond that a login is
//! refused `RATE_LIMITED` (retry after 1 s) instead of queueing without end.
//! Each running verification borrows an Argon2 memory block kept by the
//! hasher (at most one per permit, allocated on first use), so a login storm
//! does not allocate `m_cost` KiB per attempt.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use zeroize::Zeroizing;

use crate::crypto::sealed::KdfParams;
use crate::error::{AppError, AppResult};
use crate::work::{BoundedPool, Bounds};

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A real hash to verify against when the email is unknown, so that both
    /// paths cost the same time.
    decoy: Arc<str>,
    pool: Arc<BoundedPool>,
    /// Argon2 working memory to reuse, at most one per permit.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Verifications run so far (an observable for tests and operators).
    verifications: Arc<AtomicU64>,
}

impl Hasher {
    /// `concurrency` verifications at once (at least one).
    pub fn new(memory_kib: u32, iterations: u32, concurrency: usize) -> AppResult<Self> {
        let params = Params::new(memory_kib, iterations, 1, None).map_err(AppError::internal)?;
        let mut hasher = Self {
            params,
            decoy: Arc::from(""),
            pool: BoundedPool::new(concurrency),
            memory: Arc::default(),
            verifications: Arc::default(),
        };
        hasher.decoy = Arc::from(hasher.hash("decoy password never matches")?);
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

    /// Verifications allowed to run at once.
    pub fn concurrency(&self) -> usize {
        self.pool.concurrency()
    }

    /// Verifications run since start.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::SeqCst)
    }

    /// The most verifications that ever ran at once on the pool.
    pub fn peak_running(&self) -> usize {
        self.pool.peak_running()
    }

    /// `verify` on the bounded pool: `RATE_LIMITED` (retry after 1 s) at once
    /// when every permit is busy and the queue is full. The permit is held
    /// until the hash ends, even if the request is dropped meanwhile.
    pub async fn verify_bounded(
        &self,
        password: String,
        stored: Option<String>,
    ) -> AppResult<bool> {
        let hasher = self.clone();
        let verified = self
            .pool
            .run(Bounds::default(), move || {
                hasher.verify(&password, stored.as_deref())
            })
            .await;
        self.release_memory_if_idle();
        verified
    }

    /// Derives the key a password wraps a member key with
    /// (`crypto::sealed::KdfParams`), on the same bounded pool as
    /// verification: a sign-in costs two Argon2id runs, both bounded.
    pub async fn derive_bounded(
        &self,
        password: String,
        params: KdfParams,
    ) -> AppResult<Zeroizing<[u8; 32]>> {
        let password = Zeroizing::new(password);
        self.pool
            .run(Bounds::default(), move || params.derive(&password))
            .await?
            .map_err(|_| AppError::internal("key derivation failed"))
    }

    /// A burst of logins reuses one block per permit; once nothing is
    /// admitted any more the blocks are freed, so that the server does not
    /// keep permits × `ACCORD_ARGON2_MEMORY_KIB` for the rest of its life.
    fn release_memory_if_idle(&self) {
        if self.pool.admitted() == 0
            && let Ok(mut kept) = self.memory.lock()
        {
            kept.clear();
        }
    }

    /// Verifies against `stored`, or against the decoy when there is no user.
    /// Blocking: call through `verify_bounded` from async code.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let is_real = stored.is_some();
        let matches = self
            .matches(password, stored.unwrap_or(&self.decoy))
            .unwrap_or(false);
        self.verifications.fetch_add(1, Ordering::SeqCst);
        matches && is_real
    }

    /// What `PasswordVerifier::verify_password` does, on pooled memory. The
    /// parameters are read from the stored hash, so older costs still verify.
    fn matches(&self, password: &str, stored: &str) -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let expected = parsed.hash?;
        let params = Params::try_from(&parsed).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let mut salt = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
        let mut out = vec![0u8; expected.len()];
        let mut memory = self.take_memory(params.block_count());
        let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut memory[..],
        );
        self.give_back(memory);
        hashed.ok()?;
        // `Output`'s equality is constant-time.
        Some(Output::new(&out).ok()? == expected)
    }

    fn take_memory(&self, blocks: usize) -> Vec<Block> {
        let reused = self.memory.lock().ok().and_then(|mut kept| {
            let i = kept.iter().position(|m| m.len() >= blocks)?;
            Some(kept.swap_remove(i))
        });
        reused.unwrap_or_else(|| vec![Block::default(); blocks])
    }

    /// Keeps memory of the configured size, one per permit at most.
    fn give_back(&self, memory: Vec<Block>) {
        if memory.len() != self.params.block_count() {
            return;
        }
        if let Ok(mut kept) = self.memory.lock()
            && kept.len() < self.pool.concurrency()
        {
            kept.push(memory);
        }
    }

    #[cfg(test)]
    fn kept_memory(&self) -> usize {
        self.memory.lock().map(|k| k.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::QUEUE_PER_PERMIT;
    use argon2::PasswordVerifier;

    #[test]
    fn verifies_only_the_right_password() {
        let h = Hasher::new(1024, 1, 2).expect("params");
        let stored = h.hash("correct horse battery").expect("hash");
        assert!(h.verify("correct horse battery", Some(&stored)));
        assert!(!h.verify("wrong horse battery", Some(&stored)));
        assert!(!h.verify("decoy password never matches", None));
        assert!(!h.verify("anything", Some("not a hash")));
        assert_eq!(h.verifications(), 4);
    }

    #[test]
    fn pooled_memory_is_reused_and_agrees_with_the_library() {
        let h = Hasher::new(1024, 2, 1).expect("params");
        let stored = h.hash("correct horse battery").expect("hash");
        let parsed = PasswordHash::new(&stored).expect("parse");
        for _ in 0..3 {
            assert!(h.verify("correct horse battery", Some(&stored)));
            assert!(!h.verify("correct horse batterY", Some(&stored)));
            assert!(
                Argon2::default()
                    .verify_password(b"correct horse battery", &parsed)
                    .is_ok()
            );
        }
        // One permit: one block kept, whatever the number of verifications.
        assert_eq!(h.kept_memory(), 1);
        // A hash made with other (older) costs still verifies, on fresh
        // memory that is not kept.
        let older = Hasher::new(2048, 1, 1).expect("params");
        let old_hash = older.hash("old password").expect("hash");
        assert!(h.verify("old password", Some(&old_hash)));
        assert!(!h.verify("not the old password", Some(&old_hash)));
        assert_eq!(h.kept_memory(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_pool_refuses_instead_of_queueing() {
        // Slow enough that the first few are still running when the rest arrive.
        let h = Hasher::new(16 * 1024, 8, 1).expect("params");
        let stored = h.hash("pw").expect("hash");
        let attempts = (0..20).map(|_| {
            let h = h.clone();
            let stored = stored.clone();
            tokio::spawn(async move { h.verify_bounded("pw".into(), Some(stored)).await })
        });
        let results = futures::future::join_all(attempts).await;
        let (mut ok, mut refused) = (0, 0);
        for r in results {
            match r.expect("task") {
                Ok(true) => ok += 1,
                Err(AppError::RateLimited {
                    retry_after_secs: 1,
                }) => refused += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        // One running and two waiting at most when the burst arrives.
        assert!((1..=1 + QUEUE_PER_PERMIT).contains(&ok), "ok {ok}");
        assert_eq!(ok + refused, 20);
        assert_eq!(h.verifications(), ok as u64);
        assert_eq!(h.peak_running(), 1);
        // Nothing admitted any more: the pooled memory is given back.
        assert_eq!(h.kept_memory(), 0);
        // Everything admitted has left: the pool takes work again.
        assert!(
            h.verify_bounded("pw".into(), Some(stored))
                .await
                .expect("ok")
        );
    }

    #[tokio::test]
    async fn a_dropped_waiter_gives_its_place_back() {
        let h = Hasher::new(1024, 1, 1).expect("params");
        let held = h.pool.hold(1).await.expect("permit");
        // Three places (one running, two waiting); the permit is taken, so
        // these wait until they are dropped.
        for _ in 0..10 {
            let waiting = h.verify_bounded("pw".into(), None);
            let timed_out =
                tokio::time::timeout(std::time::Duration::from_millis(5), waiting).await;
            assert!(timed_out.is_err());
        }
        assert_eq!(h.pool.admitted(), 0);
        drop(held);
        assert!(!h.verify_bounded("pw".into(), None).await.expect("runs"));
    }
}
