//! Group commit: jobs that contend for one key (a row lock, say) are taken
//! together by one task and run as batches, instead of queueing on the lock
//! one transaction each. This leaf knows nothing of what a job is.
//!
//! Invariants: jobs of one key run in arrival order, at most `MAX_BATCH` per
//! run; each job gets its own answer; a key has an entry exactly while its
//! task runs, and the task is spawned, so a submitter that goes away stops
//! neither the others' jobs nor its own once queued. A panic in a batch drops
//! the key's entry: its waiters get `GroupError::NoAnswer`, and the next job
//! starts a new task.
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

/// Jobs per run at most, so that one transaction stays short (the default,
/// and the cap of `with_max_batch`).
pub const MAX_BATCH: usize = 100;

/// Why a submitted job has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupError {
    /// A task panicked while holding the queue's lock.
    Poisoned,
    /// The job's batch ended (or panicked) without answering it.
    NoAnswer,
}

type Waiting<J, A> = (J, oneshot::Sender<A>);
/// The jobs waiting, per key.
type Queues<K, J, A> = HashMap<K, Vec<Waiting<J, A>>>;

/// Jobs waiting, per key.
pub struct GroupCommit<K, J, A> {
    waiting: Mutex<Queues<K, J, A>>,
    /// Jobs per run at most (1 ..= `MAX_BATCH`).
    max_batch: usize,
}

impl<K, J, A> Default for GroupCommit<K, J, A> {
    fn default() -> Self {
        Self::with_max_batch(MAX_BATCH)
    }
}

impl<K, J, A> GroupCommit<K, J, A> {
    /// Runs of at most `max_batch` jobs (clamped to 1 ..= `MAX_BATCH`).
    pub fn with_max_batch(max_batch: usize) -> Self {
        Self {
            waiting: Mutex::new(HashMap::new()),
            max_batch: max_batch.clamp(1, MAX_BATCH),
        }
    }
}

impl<K, J, A> GroupCommit<K, J, A>
where
    K: Eq + Hash + Copy + Send + Sync + 'static,
    J: Send + 'static,
    A: Send + 'static,
{
    /// Queues `job` under `key` and waits for its answer. When no task runs
    /// for `key`, one is spawned with the batch function `make_run()` builds
    /// (so that its captures are made only then): `run(key, jobs)` answers
    /// `jobs` in their order, one answer each.
    pub async fn submit<M, R, F>(
        self: &Arc<Self>,
        key: K,
        job: J,
        make_run: M,
    ) -> Result<A, GroupError>
    where
        M: FnOnce() -> R,
        R: FnMut(K, Vec<J>) -> F + Send + 'static,
        F: Future<Output = Vec<A>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let start_task = {
            let mut waiting = self.lock()?;
            match waiting.get_mut(&key) {
                Some(queue) => {
                    queue.push((job, reply));
                    false
                }
                None => {
                    waiting.insert(key, vec![(job, reply)]);
                    true
                }
            }
        };
        if start_task {
            tokio::spawn(Arc::clone(self).drain(key, make_run()));
        }
        answer.await.map_err(|_| GroupError::NoAnswer)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Queues<K, J, A>>, GroupError> {
        self.waiting.lock().map_err(|_| GroupError::Poisoned)
    }

    /// The next jobs of `key`, or `None` (and the key's entry removed, under
    /// the same lock) when none is waiting.
    fn next_batch(&self, key: K) -> Option<Vec<Waiting<J, A>>> {
        let mut waiting = self.lock().ok()?;
        let queue = waiting.get_mut(&key)?;
        if queue.is_empty() {
            waiting.remove(&key);
            return None;
        }
        let take = queue.len().min(self.max_batch);
        Some(queue.drain(..take).collect())
    }

    async fn drain<R, F>(self: Arc<Self>, key: K, mut run: R)
    where
        R: FnMut(K, Vec<J>) -> F,
        F: Future<Output = Vec<A>>,
    {
        let mut guard = Abandon {
            waiting: &self.waiting,
            key,
            armed: true,
        };
        while let Some(batch) = self.next_batch(key) {
            let (jobs, replies): (Vec<J>, Vec<_>) = batch.into_iter().unzip();
            for (reply, answer) in replies.into_iter().zip(run(key, jobs).await) {
                // A submitter that went away no longer needs its answer.
                let _ = reply.send(answer);
            }
        }
        guard.armed = false;
    }
}

/// Removes the key's entry if its task unwinds.
struct Abandon<'a, K: Eq + Hash, V> {
    waiting: &'a Mutex<HashMap<K, V>>,
    key: K,
    armed: bool,
}

impl<K: Eq + Hash, V> Drop for Abandon<'_, K, V> {
    fn drop(&mut self) {
        if self.armed
            && let Ok(mut waiting) = self.waiting.lock()
        {
            waiting.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_are_batched_in_arrival_order_each_with_its_answer() {
        let group: Arc<GroupCommit<u8, usize, (usize, usize)>> = Arc::default();
        let runs = Arc::new(Mutex::new(Vec::new()));
        // `join_all` polls in order, so job `n` arrives `n`th.
        let submits = (0..250).map(|job| {
            let runs = runs.clone();
            group.submit(7, job, move || {
                move |_key, jobs: Vec<usize>| {
                    let runs = runs.clone();
                    async move {
                        tokio::task::yield_now().await;
                        let n = jobs.len();
                        if let Ok(mut r) = runs.lock() {
                            r.push(jobs.clone());
                        }
                        jobs.into_iter().map(|j| (j, n)).collect()
                    }
                }
            })
        });
        let answers = futures::future::join_all(submits).await;
        for (job, answer) in answers.into_iter().enumerate() {
            assert_eq!(answer.expect("answer").0, job);
        }
        let runs = runs.lock().expect("runs").clone();
        assert!(runs.iter().all(|b| !b.is_empty() && b.len() <= MAX_BATCH));
        let order: Vec<usize> = runs.into_iter().flatten().collect();
        assert_eq!(order, (0..250).collect::<Vec<_>>());
        assert!(group.lock().expect("lock").is_empty());
    }

    #[tokio::test]
    async fn runs_take_at_most_the_chosen_number_of_jobs() {
        let group: Arc<GroupCommit<u8, usize, usize>> = Arc::new(GroupCommit::with_max_batch(7));
        let submits = (0..30).map(|job| {
            group.submit(3, job, || {
                |_key, jobs: Vec<usize>| async move {
                    tokio::task::yield_now().await;
                    let n = jobs.len();
                    jobs.into_iter().map(|_| n).collect()
                }
            })
        });
        let sizes: Vec<usize> = futures::future::join_all(submits)
            .await
            .into_iter()
            .map(|a| a.expect("answer"))
            .collect();
        assert!(sizes.iter().all(|n| (1..=7).contains(n)), "{sizes:?}");
        assert!(
            sizes.contains(&7),
            "queued jobs were not taken together: {sizes:?}"
        );
    }

    #[tokio::test]
    async fn a_batch_without_answers_fails_its_jobs_and_frees_the_key() {
        let group: Arc<GroupCommit<u8, u8, u8>> = Arc::default();
        let none = group
            .submit(1, 1, || |_key, _jobs: Vec<u8>| async { Vec::new() })
            .await;
        assert_eq!(none, Err(GroupError::NoAnswer));
        let some = group
            .submit(1, 2, || |_key, jobs: Vec<u8>| async move { jobs })
            .await;
        assert_eq!(some, Ok(2));
    }
}
