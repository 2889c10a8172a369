//! Reminders 48 h and 2 h before a hearing, to its confirmed observers whose
//! country still sees it (asked of the policy; delivery asks again, as the
//! recipient, when it sends).
//! Each round queues whatever has come due; the dedup key (claim, hours,
//! start) makes a repeat a no-op, and a rescheduled hearing — a new start —
//! gets reminders of its own.
use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::domain::hearing::ClaimStatus;
use crate::error::AppResult;
use crate::mail::{Notice, enqueue};
use crate::policy::hearings::internal_claims_without_sight;
use crate::store::{hearing, outbox, roster_claim};

/// The reminders, in hours before the start, widest first.
pub const REMINDERS: [u32; 2] = [48, 2];

/// Which reminder is due for a hearing starting at `starts_at`: the
/// narrowest window `now` is in (so inside 2 h only the 2 h one is sent),
/// none before 48 h or once the hearing has started.
pub fn due(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<u32> {
    if starts_at <= now {
        return None;
    }
    REMINDERS
        .iter()
        .rev()
        .copied()
        .find(|h| starts_at - now <= Duration::hours(i64::from(*h)))
}

/// Queues the reminders due at `now`; returns how many were new.
pub async fn enqueue_due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<usize> {
    let widest = REMINDERS.iter().copied().max().unwrap_or(0);
    let hearings =
        hearing::internal_starting_between(db, now, now + Duration::hours(i64::from(widest)))
            .await?;
    if hearings.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = hearings.iter().map(|h| h.id).collect();
    let confirmed: Vec<roster_claim::Model> = roster_claim::internal_active_of(db, &ids)
        .await?
        .into_iter()
        .filter(|c| c.is(ClaimStatus::Confirmed))
        .collect();
    let blind: HashSet<Uuid> = internal_claims_without_sight(db, &hearings, &confirmed)
        .await?
        .into_iter()
        .map(|(claim, _)| claim)
        .collect();
    let claims: Vec<&roster_claim::Model> = confirmed
        .iter()
        .filter(|c| !blind.contains(&c.id))
        .collect();
    let mut wanted: Vec<(Uuid, Notice)> = Vec::new();
    for claim in claims {
        let Some(h) = hearings.iter().find(|h| h.id == claim.hearing_id) else {
            continue;
        };
        if let Some(hours_before) = due(h.starts_at, now) {
            wanted.push((
                claim.user_id,
                Notice::Reminder {
                    hearing_id: h.id,
                    claim_id: claim.id,
                    hours_before,
                    starts_at: h.starts_at,
                },
            ));
        }
    }
    if wanted.is_empty() {
        return Ok(0);
    }
    // One read instead of an insert per claim per round.
    let keys: Vec<String> = wanted.iter().map(|(u, n)| n.dedup_key(*u)).collect();
    let queued: HashSet<String> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::DedupKey)
        .filter(outbox::Column::DedupKey.is_in(keys.iter().cloned()))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut added = 0;
    for ((recipient, notice), key) in wanted.iter().zip(&keys) {
        if !queued.contains(key) {
            enqueue(db, now, *recipient, notice).await?;
            added += 1;
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrowest_window_wins() {
        let now = Utc::now();
        let at = |h: i64, m: i64| now + Duration::hours(h) + Duration::minutes(m);
        assert_eq!(due(at(72, 0), now), None);
        assert_eq!(due(at(48, 1), now), None);
        assert_eq!(due(at(48, 0), now), Some(48));
        assert_eq!(due(at(47, 0), now), Some(48));
        assert_eq!(due(at(2, 1), now), Some(48));
        assert_eq!(due(at(2, 0), now), Some(2));
        assert_eq!(due(at(0, 1), now), Some(2));
        assert_eq!(due(now, now), None);
        assert_eq!(due(at(-1, 0), now), None);
    }
}
