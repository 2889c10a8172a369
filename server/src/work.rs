//! Bounded pools for blocking work that requests can cause: password checks
//! (`auth::password`) and CPU-heavy fields (`Statement.diff`, `CpuPool`).
//!
//! Blocking work on an async worker stalls every request that worker
//! serves, and the request timeout cannot fire while it runs. So such work
//! runs on `spawn_blocking`, at most `concurrency` jobs at once, with at most
//! `queue_per_permit × concurrency` more waiting for a permit; beyond that a
//! job is refused `RATE_LIMITED` at once instead of queueing without end. A
//! running job keeps its permit until it ends, even when the request that
//! asked for it is gone (timed out, disconnected): the permits count the
//! threads really busy.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, AppResult, UNAVAILABLE_RETRY_AFTER_SECS};

/// What a refused job answers: a pool frees up within a job or two.
pub const POOL_FULL: AppError = AppError::RateLimited {
    retry_after_secs: 1,
};

/// How long a CPU-heavy field waits for a permit before it is refused
/// `RATE_LIMITED` (`POOL_FULL`): a short while, so that a burst does not hold
/// requests open until their timeout.
pub const CPU_WAIT: Duration = Duration::from_secs(1);

/// Waiting jobs allowed per permit.
pub const QUEUE_PER_PERMIT: usize = 2;

pub struct BoundedPool {
    /// One permit per job allowed to run.
    permits: Arc<Semaphore>,
    concurrency: usize,
    /// Jobs running or waiting for a permit.
    admitted: AtomicUsize,
    /// `concurrency × (1 + queue_per_permit)`.
    capacity: usize,
    /// Jobs run so far (an observable for tests and operators).
    runs: AtomicU64,
    /// Jobs running now, and the most ever running at once.
    running: AtomicUsize,
    peak_running: AtomicUsize,
}

/// How one job is bounded besides the pool's permits.
#[derive(Clone, Copy, Default)]
pub struct Bounds {
    /// The longest a job waits for a permit; then `POOL_FULL`. `None`: as
    /// long as the request lives.
    pub wait: Option<Duration>,
    /// The longest the caller waits for a running job; then `UNAVAILABLE`
    /// (the job itself still runs to its end on its permit, so it must bound
    /// itself too). `None`: until it ends.
    pub timeout: Option<Duration>,
}

/// Counts a job as running while it lives.
struct Running<'p>(&'p BoundedPool);

impl<'p> Running<'p> {
    fn new(pool: &'p BoundedPool) -> Self {
        let now = pool.running.fetch_add(1, Ordering::SeqCst) + 1;
        pool.peak_running.fetch_max(now, Ordering::SeqCst);
        Running(pool)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.runs.fetch_add(1, Ordering::SeqCst);
    }
}

/// A place among the admitted jobs, given back when dropped (also when the
/// request waiting for a permit goes away).
struct Admission(Arc<BoundedPool>);

impl Admission {
    fn try_new(pool: &Arc<BoundedPool>) -> Option<Self> {
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

impl BoundedPool {
    /// `concurrency` jobs at once (at least one), `QUEUE_PER_PERMIT` waiting
    /// per permit.
    pub fn new(concurrency: usize) -> Arc<Self> {
        let concurrency = concurrency.max(1);
        Arc::new(Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            admitted: AtomicUsize::new(0),
            capacity: concurrency * (1 + QUEUE_PER_PERMIT),
            runs: AtomicU64::new(0),
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
        })
    }

    /// Jobs allowed to run at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Jobs run to their end since start.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::SeqCst)
    }

    /// Jobs running now.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// The most jobs that ever ran at once.
    pub fn peak_running(&self) -> usize {
        self.peak_running.load(Ordering::SeqCst)
    }

    /// Jobs running or waiting now.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::SeqCst)
    }

    /// Takes `n` permits as running jobs would, until the guard is dropped:
    /// for drills and tests that need the pool busy without burning CPU.
    pub async fn hold(&self, n: u32) -> AppResult<OwnedSemaphorePermit> {
        self.permits
            .clone()
            .acquire_many_owned(n)
            .await
            .map_err(AppError::internal)
    }

    /// Runs `job` on a blocking thread once a permit is free: `POOL_FULL` at
    /// once when every permit is busy and the queue is full, or when no
    /// permit frees within `bounds.wait`; `UNAVAILABLE` when the job has not
    /// ended within `bounds.timeout`.
    pub async fn run<T, F>(self: &Arc<Self>, bounds: Bounds, job: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let admission = Admission::try_new(self).ok_or(POOL_FULL)?;
        let acquire = self.permits.clone().acquire_owned();
        let permit = match bounds.wait {
            Some(wait) => tokio::time::timeout(wait, acquire)
                .await
                .map_err(|_| POOL_FULL)?,
            None => acquire.await,
        }
        .map_err(AppError::internal)?;
        let pool = self.clone();
        let handle = tokio::task::spawn_blocking(move || {
            let _held = (admission, permit);
            let _running = Running::new(&pool);
            job()
        });
        match bounds.timeout {
            Some(timeout) => match tokio::time::timeout(timeout, handle).await {
                Ok(joined) => joined.map_err(AppError::internal),
                Err(_) => {
                    tracing::warn!(
                        timeout_ms = timeout.as_millis() as u64,
                        "blocking work ran past its timeout"
                    );
                    Err(AppError::Unavailable {
                        retry_after_secs: UNAVAILABLE_RETRY_AFTER_SECS,
                    })
                }
            },
            None => handle.await.map_err(AppError::internal),
        }
    }
}

/// The pool for CPU-heavy fields (`ACCORD_CPU_WORK_CONCURRENCY`), with their
/// hard timeout (`ACCORD_CPU_WORK_TIMEOUT_MS`).
#[derive(Clone)]
pub struct CpuPool {
    pool: Arc<BoundedPool>,
    timeout: Duration,
}

impl CpuPool {
    pub fn new(concurrency: usize, timeout: Duration) -> Self {
        Self {
            pool: BoundedPool::new(concurrency),
            timeout,
        }
    }

    pub fn pool(&self) -> &Arc<BoundedPool> {
        &self.pool
    }

    /// The budget a job should give its own search before it falls back to
    /// a coarser answer: half the hard timeout, so that the fallback still
    /// ends within it.
    pub fn budget(&self) -> Duration {
        self.timeout / 2
    }

    /// Runs `job` (given the instant its search budget ends) off the async
    /// workers: it waits at most `CPU_WAIT` for a permit (then
    /// `RATE_LIMITED`), and is answered `UNAVAILABLE` if it has not ended
    /// within the hard timeout.
    pub async fn run<T, F>(&self, job: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(Instant) -> T + Send + 'static,
    {
        let budget = self.budget();
        self.pool
            .run(
                Bounds {
                    wait: Some(CPU_WAIT),
                    timeout: Some(self.timeout),
                },
                move || job(Instant::now() + budget),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_busy_pool_refuses_after_a_short_wait_and_a_full_queue_at_once() {
        let pool = BoundedPool::new(1);
        let held = pool.hold(1).await.expect("permit");
        let bounds = Bounds {
            wait: Some(Duration::from_millis(20)),
            timeout: None,
        };
        // Waits, then is refused; its place is given back.
        let r = pool.run(bounds, || 1).await;
        assert!(matches!(r, Err(AppError::RateLimited { .. })));
        assert_eq!(pool.admitted(), 0);
        // Three places (one running, two waiting): a fourth is refused at once.
        let waiting: Vec<_> = (0..3)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(Bounds::default(), || 2).await })
            })
            .collect();
        while pool.admitted() < 3 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            pool.run(Bounds::default(), || 3).await,
            Err(AppError::RateLimited { .. })
        ));
        drop(held);
        for w in waiting {
            assert_eq!(w.await.expect("task").expect("ran"), 2);
        }
        assert_eq!(pool.runs(), 3);
        assert_eq!(pool.peak_running(), 1);
    }

    #[tokio::test]
    async fn a_job_past_its_timeout_is_unavailable_but_keeps_its_permit() {
        let pool = BoundedPool::new(1);
        let (release, blocked) = std::sync::mpsc::channel::<()>();
        let bounds = Bounds {
            wait: None,
            timeout: Some(Duration::from_millis(20)),
        };
        let r = pool
            .run(bounds, move || {
                let _ = blocked.recv();
            })
            .await;
        assert!(matches!(r, Err(AppError::Unavailable { .. })));
        // Still running: its permit is not free.
        assert_eq!(pool.running(), 1);
        assert!(pool.permits.clone().try_acquire_owned().is_err());
        release.send(()).expect("job waits");
        let _permit = pool.hold(1).await.expect("given back");
        assert_eq!(pool.runs(), 1);
    }
}
