//! Group commit for roster claims. When many diplomats claim the same
//! hearing at once, their claims would otherwise queue on the hearing's row
//! lock one transaction each (about ten statements and a commit apiece, the
//! last answer waiting for all the others). Here the claims waiting for one
//! hearing in this process are taken together by one task and decided in
//! one transaction under one lock (`hearings::decide_claims`), in arrival
//! order, each getting its own answer. Across processes the row lock still
//! serialises the batches, so the rules hold whatever the number of replicas.
use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::oneshot;
use uuid::Uuid;

use super::hearings::{Claimant, Claimed, decide_claims_or_singly};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Claims per transaction at most, so one transaction stays short.
pub const MAX_BATCH: usize = 100;

type Waiting = (Claimant, oneshot::Sender<AppResult<Claimed>>);

/// Claims waiting, per hearing; a hearing has an entry exactly while a task
/// is deciding its claims.
#[derive(Default)]
pub struct ClaimQueue {
    waiting: Mutex<HashMap<Uuid, Vec<Waiting>>>,
}

impl ClaimQueue {
    /// Queues `claimant`'s claim on `hearing_id` and waits for its answer.
    pub async fn submit(
        &self,
        state: &AppState,
        hearing_id: Uuid,
        claimant: Claimant,
    ) -> AppResult<Claimed> {
        let (reply, answer) = oneshot::channel();
        let start_task = {
            let mut waiting = self.lock()?;
            match waiting.get_mut(&hearing_id) {
                Some(queue) => {
                    queue.push((claimant, reply));
                    false
                }
                None => {
                    waiting.insert(hearing_id, vec![(claimant, reply)]);
                    true
                }
            }
        };
        if start_task {
            // Its own task: a client that goes away does not stop the
            // claims of the others (nor its own, once queued).
            tokio::spawn(drain(state.clone(), hearing_id));
        }
        answer
            .await
            .map_err(|_| AppError::internal("the claim's batch ended without an answer"))?
    }

    fn lock(&self) -> AppResult<std::sync::MutexGuard<'_, HashMap<Uuid, Vec<Waiting>>>> {
        self.waiting
            .lock()
            .map_err(|_| AppError::internal("claim queue poisoned"))
    }

    /// The next claims to decide, or `None` (and the hearing's entry
    /// removed, under the same lock) when none is waiting.
    fn next_batch(&self, hearing_id: Uuid) -> Option<Vec<Waiting>> {
        let mut waiting = self.lock().ok()?;
        let queue = waiting.get_mut(&hearing_id)?;
        if queue.is_empty() {
            waiting.remove(&hearing_id);
            return None;
        }
        let take = queue.len().min(MAX_BATCH);
        Some(queue.drain(..take).collect())
    }

    /// After a panic: drop the hearing's entry, so that its waiters get an
    /// answer (INTERNAL) and the next claim starts a new task.
    fn abandon(&self, hearing_id: Uuid) {
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.remove(&hearing_id);
        }
    }
}

/// Removes the hearing's entry if the task unwinds.
struct Abandon<'a> {
    queue: &'a ClaimQueue,
    hearing_id: Uuid,
    armed: bool,
}

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.queue.abandon(self.hearing_id);
        }
    }
}

async fn drain(state: AppState, hearing_id: Uuid) {
    let queue = state.claims.clone();
    let mut guard = Abandon {
        queue: &queue,
        hearing_id,
        armed: true,
    };
    while let Some(batch) = queue.next_batch(hearing_id) {
        let (claimants, replies): (Vec<Claimant>, Vec<_>) = batch.into_iter().unzip();
        let answers = decide_claims_or_singly(&state, hearing_id, &claimants).await;
        for (reply, answer) in replies.into_iter().zip(answers) {
            // A requester that went away no longer needs its answer.
            let _ = reply.send(answer);
        }
    }
    guard.armed = false;
}
