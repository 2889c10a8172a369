//! Periodic system work, run by no viewer: each round queues the hearing
//! reminders that came due (`reminders`), re-notifies countries that left an
//! attack report unacknowledged too long and erases expired report
//! descriptions (retention, `service::reports`), reminds statement
//! participants of their deadlines (`service::statements`), wipes the sealed
//! copies of expired identity reveals (`service::reveals`), queues the weekly
//! coverage digests that came due (`service::digest`), then delivers the
//! outbox (`outbox`). Rounds that fail (the database is down) back off
//! (`round_backoff`).
//!
//! Floor: above `service` and `mail` (it calls both); nothing imports `jobs`
//! but start-up (`app`). Every round is safe to run on several replicas at once.
use std::time::Duration as StdDuration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::AppResult;
use crate::mail::transport::Mailer;
use crate::state::AppState;

pub mod outbox;
pub mod reminders;

pub use outbox::MAX_BACKOFF_SECS;

/// The longest pause between two rounds while they keep failing.
pub const MAX_ROUND_BACKOFF: StdDuration = StdDuration::from_secs(30);

/// The pause before the next round: the poll period, doubled for each round
/// in a row that failed (the database is down), up to `MAX_ROUND_BACKOFF`;
/// the first round that succeeds again resets it.
pub fn round_backoff(period: StdDuration, failed_rounds: u32) -> StdDuration {
    let factor = 1u32 << failed_rounds.min(16);
    period
        .saturating_mul(factor)
        .min(MAX_ROUND_BACKOFF.max(period))
}

/// The running worker; `shutdown` lets the current message finish, then stops.
pub struct Worker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Worker {
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts the worker: a round every `outbox_poll_ms`, until `shutdown` (or
/// until the `Worker` is dropped).
pub fn spawn(state: AppState) -> Worker {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mailer = match Mailer::from_config(&state.config) {
            Ok(m) => m,
            Err(_) => {
                tracing::error!("email worker not started: the mail configuration is unusable");
                return;
            }
        };
        let period = StdDuration::from_millis(state.config.outbox_poll_ms.max(10));
        let mut failed_rounds = 0u32;
        // The minute of the last digest scan: once a minute is soon enough
        // for a digest due from 07:00, and a scan reads every coordinator.
        let mut digests_scanned: Option<i64> = None;
        loop {
            let wait = round_backoff(period, failed_rounds);
            tokio::select! {
                _ = stopped.changed() => break,
                _ = tokio::time::sleep(wait) => {}
            }
            if *stopped.borrow() {
                break;
            }
            let stopping = || *stopped.borrow();
            let minute = state.clock.now().timestamp().div_euclid(60);
            let digests = digests_scanned != Some(minute);
            let done = round(&state, &mailer, &stopping, digests).await;
            if digests && done.is_ok() {
                digests_scanned = Some(minute);
            }
            match done {
                Ok(_) if failed_rounds > 0 => {
                    tracing::info!(failed_rounds, "email worker resumed");
                    failed_rounds = 0;
                }
                Ok(_) => {}
                Err(e) => {
                    failed_rounds = failed_rounds.saturating_add(1);
                    let retry_in = round_backoff(period, failed_rounds);
                    tracing::warn!(cause = %e.cause_chain(), code = e.code(), failed_rounds, retry_in_ms = retry_in.as_millis() as u64, "email round failed (database unavailable?); backing off");
                }
            }
        }
        tracing::info!("email worker stopped");
    });
    Worker { stop, task }
}

/// One round now, as the worker runs it (for tests and tools). Returns how
/// many messages were sent.
pub async fn run_once(state: &AppState, mailer: &Mailer) -> AppResult<usize> {
    round(state, mailer, &|| false, true).await
}

/// One round: the periodic work, then the outbox. Returns how many messages
/// were sent. `digests`: whether this round also looks for coverage digests
/// that came due (the worker asks once a minute).
async fn round(
    state: &AppState,
    mailer: &Mailer,
    stopping: &(dyn Fn() -> bool + Sync),
    digests: bool,
) -> AppResult<usize> {
    let now = state.clock.now();
    reminders::enqueue_due(&state.db, now).await?;
    crate::service::reports::renotify_unacknowledged(state, now).await?;
    crate::service::reports::erase_expired(state, now).await?;
    crate::service::statements::remind_deadlines(state, now).await?;
    // An expired reveal is refused at its expiry; its sealed copy goes here.
    crate::service::reveals::internal_wipe_expired(state).await?;
    if digests {
        crate::service::digest::internal_queue_due(state, now).await?;
    }
    // Offers of roster places past their hearing's claim deadline.
    crate::service::handover::internal_expire_due(state, now).await?;
    // Forgot-password requests: looked up here, off the request's path.
    crate::service::recovery::internal_answer_reset_requests(state, now).await?;
    outbox::deliver_due(state, mailer, now, stopping).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_rounds_back_off_up_to_thirty_seconds() {
        let period = StdDuration::from_secs(1);
        let waits: Vec<u64> = (0..8).map(|n| round_backoff(period, n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(round_backoff(period, u32::MAX), MAX_ROUND_BACKOFF);
        // A test's hour-long poll period is not shortened.
        let idle = StdDuration::from_secs(3600);
        assert_eq!(round_backoff(idle, 3), idle);
    }
}
