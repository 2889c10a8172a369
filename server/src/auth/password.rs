//! Argon2id password hashing with configurable cost, and a bounded pool for
//! the verifications that unauthenticated requests can cause (`login`).
//!
//! The pool runs at most `concurrency` verifications at once (each on
//! `spawn_blocking`, so async workers stay free) with at most
//! `QUEUE_PER_PERMIT × concurrency` more waiting; beyond that a login is
//! refused `RATE_LIMITED` (retry after 1 s) instead of queueing without end.
//! Each running verification borrows an Argon2 memory block kept by the pool
//! (at most one per permit, allocated on first use), so a login storm does not
//! allocate `m_cost` KiB per attempt.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Verifications that may wait for a permit, per permit.
pub const QUEUE_PER_PERMIT: usize = 2;

/// What a refused verification answers: the pool frees up within a hash or two.
pub const POOL_FULL: AppError = AppError::RateLimited {
    retry_after_secs: 1,
};

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A real hash to verify against when the email is unknown, so that both
    /// paths cost the same time.
    decoy: Arc<str>,
    pool: Arc<Pool>,
}

struct Pool {
    /// One permit per verification allowed to run.
    permits: Arc<Semaphore>,
    concurrency: usize,
    /// Verifications running or waiting for a permit.
    admitted: AtomicUsize,
    /// `concurrency × (1 + QUEUE_PER_PERMIT)`.
    capacity: usize,
    /// Argon2 working memory to reuse, at most one per permit.
    memory: Mutex<Vec<Vec<Block>>>,
    /// Verifications run so far (an observable for tests and operators).
    verifications: AtomicU64,
    /// Verifications running now, and the most ever running at once.
    running: AtomicUsize,
    peak_running: AtomicUsize,
}

/// Counts a verification as running while it lives.
struct Running<'p>(&'p Pool);

impl<'p> Running<'p> {
    fn new(pool: &'p Pool) -> Self {
        let now = pool.running.fetch_add(1, Ordering::SeqCst) + 1;
        pool.peak_running.fetch_max(now, Ordering::SeqCst);
        Running(pool)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A place among the admitted verifications, given back when dropped (also
/// when the request waiting for a permit goes away).
struct Admission(Arc<Pool>);

impl Admission {
    fn try_new(pool: &Arc<Pool>) -> Option<Self> {
        pool.admitted
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < pool.capacity).then_some(n + 1)
            })
            .ok()?;
        Some(Admission(pool.clone()))
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Hasher {
    /// `concurrency` verifications at once (at least one).
    pub fn new(memory_kib: u32, iterations: u32, concurrency: usize) -> AppResult<Self> {
        let params = Params::new(memory_kib, iterations, 1, None).map_err(AppError::internal)?;
        let concurrency = concurrency.max(1);
        let mut hasher = Self {
            params,
            decoy: Arc::from(""),
            pool: Arc::new(Pool {
                permits: Arc::new(Semaphore::new(concurrency)),
                concurrency,
                admitted: AtomicUsize::new(0),
                capacity: concurrency * (1 + QUEUE_PER_PERMIT),
                memory: Mutex::new(Vec::new()),
                verifications: AtomicU64::new(0),
                running: AtomicUsize::new(0),
                peak_running: AtomicUsize::new(0),
            }),
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
        self.pool.concurrency
    }

    /// Verifications run since start.
    pub fn verifications(&self) -> u64 {
        self.pool.verifications.load(Ordering::SeqCst)
    }

    /// The most verifications that ever ran at once on the pool.
    pub fn peak_running(&self) -> usize {
        self.pool.peak_running.load(Ordering::SeqCst)
    }

    /// `verify` on the bounded pool: `RATE_LIMITED` (retry after 1 s) at once
    /// when every permit is busy and the queue is full. The permit is held
    /// until the hash ends, even if the request is dropped meanwhile.
    pub async fn verify_bounded(
        &self,
        password: String,
        stored: Option<String>,
    ) -> AppResult<bool> {
        let admission = Admission::try_new(&self.pool).ok_or(POOL_FULL)?;
        let permit = self
            .pool
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        let hasher = self.clone();
        let verified = tokio::task::spawn_blocking(move || {
            let _held = (admission, permit);
            let _running = Running::new(&hasher.pool);
            hasher.verify(&password, stored.as_deref())
        })
        .await
        .map_err(AppError::internal);
        self.release_memory_if_idle();
        verified
    }

    /// A burst of logins reuses one block per permit; once nothing is
    /// admitted any more the blocks are freed, so that the server does not
    /// keep permits × `ACCORD_ARGON2_MEMORY_KIB` for the rest of its life.
    fn release_memory_if_idle(&self) {
        if self.pool.admitted.load(Ordering::SeqCst) == 0
            && let Ok(mut kept) = self.pool.memory.lock()
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
        self.pool.verifications.fetch_add(1, Ordering::SeqCst);
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
        let reused = self.pool.memory.lock().ok().and_then(|mut kept| {
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
        if let Ok(mut kept) = self.pool.memory.lock()
            && kept.len() < self.pool.concurrency
        {
            kept.push(memory);
        }
    }

    #[cfg(test)]
    fn kept_memory(&self) -> usize {
        self.pool.memory.lock().map(|k| k.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let held = h
            .pool
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("permit");
        // Three places (one running, two waiting); the permit is taken, so
        // these wait until they are dropped.
        for _ in 0..10 {
            let waiting = h.verify_bounded("pw".into(), None);
            let timed_out =
                tokio::time::timeout(std::time::Duration::from_millis(5), waiting).await;
            assert!(timed_out.is_err());
        }
        assert_eq!(h.pool.admitted.load(Ordering::SeqCst), 0);
        drop(held);
        assert!(!h.verify_bounded("pw".into(), None).await.expect("runs"));
    }
}
