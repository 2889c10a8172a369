//! The roster's rules, free of I/O: whether a claim is taken, where it goes
//! (a confirmed place or the end of the waitlist), positions on the
//! waitlist, how the confirmed set follows `observersNeeded`, and the order
//! the roster is shown in.
//!
//! Invariant: the confirmed claims are the first `observersNeeded` active
//! claims in queue order, and waitlist positions are 1..n without gaps.
use chrono::{DateTime, Utc};

use crate::domain::hearing::{ClaimStatus, HearingStatus, MAX_OPEN_CLAIMS, overlaps};
use crate::i18n::Msg;
use crate::msg;

/// A hearing as a claim sees it: its status, its time span, its deadline.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub status: Option<HearingStatus>,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    /// Claims close then (the start when not set).
    pub deadline: Option<DateTime<Utc>>,
}

/// Why a claim is refused.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// The hearing takes no claims now (`SLOT_UNAVAILABLE`).
    Closed(Msg),
    /// The claim clashes with the claimant's own claims (`CONFLICT`).
    Conflict(Msg),
}

/// Whether a claim on `slot` at `now` is taken, given whether the claimant
/// already holds one on it and their claims on other open hearings
/// (`elsewhere`). In this order: the hearing open, no second claim, the
/// open-claims cap (a duty roster is a list, capped on write), no overlap.
pub fn refusal<I>(now: DateTime<Utc>, slot: &Slot, holding: bool, elsewhere: I) -> Option<Refusal>
where
    I: ExactSizeIterator<Item = Slot>,
{
    if slot.status != Some(HearingStatus::Scheduled) {
        return Some(Refusal::Closed(msg!("slot-hearing-not-open")));
    }
    if now >= slot.deadline.unwrap_or(slot.starts_at) {
        return Some(Refusal::Closed(msg!("slot-claim-deadline-passed")));
    }
    if holding {
        return Some(Refusal::Conflict(msg!("conflict-already-hold-claim")));
    }
    if elsewhere.len() >= MAX_OPEN_CLAIMS {
        return Some(Refusal::Conflict(msg!(
            "conflict-too-many-claims",
            max = MAX_OPEN_CLAIMS
        )));
    }
    let clash = |o: Slot| overlaps(o.starts_at, o.minutes, slot.starts_at, slot.minutes);
    if elsewhere.into_iter().any(clash) {
        return Some(Refusal::Conflict(msg!("conflict-overlapping-claim")));
    }
    None
}

/// A roster as new claims need it, counted under the hearing lock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    pub needed: u64,
    pub confirmed: u64,
    pub waitlisted: u64,
    /// The highest queue number given so far (suspended claims keep theirs).
    pub last_seq: i64,
}

/// Where a new claim goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub status: ClaimStatus,
    /// 1-based place on the waitlist; `None` when confirmed.
    pub position: Option<i32>,
    pub seq: i64,
}

impl Queue {
    /// Places a taken claim: a confirmed place while one is free, else the
    /// end of the waitlist; always the end of the queue (behind suspended
    /// claims too).
    pub fn place(&mut self) -> Placement {
        let (status, position) = if self.confirmed < self.needed {
            self.confirmed += 1;
            (ClaimStatus::Confirmed, None)
        } else {
            self.waitlisted += 1;
            let position = i32::try_from(self.waitlisted).unwrap_or(i32::MAX);
            (ClaimStatus::Waitlisted, Some(position))
        };
        self.last_seq += 1;
        Placement {
            status,
            position,
            seq: self.last_seq,
        }
    }
}

/// Positions 1..n of the waitlisted among `statuses` (in queue order);
/// `None` for the others.
pub fn positions<I>(statuses: I) -> impl Iterator<Item = Option<i32>>
where
    I: IntoIterator<Item = Option<ClaimStatus>>,
{
    let mut next = 0;
    statuses.into_iter().map(move |s| {
        (s == Some(ClaimStatus::Waitlisted)).then(|| {
            next += 1;
            next
        })
    })
}

/// The changes that make the confirmed set the first `needed` of the active
/// claims (given as "is confirmed", in queue order): lowering the number
/// moves the latest confirmed back to the waitlist (at its front, in
/// order); raising it, or a release, promotes from the front. Yields
/// (index, new status) for each claim that changes.
pub fn rebalance<I>(confirmed: I, needed: usize) -> impl Iterator<Item = (usize, ClaimStatus)>
where
    I: IntoIterator<Item = bool>,
{
    confirmed
        .into_iter()
        .enumerate()
        .filter_map(move |(i, is_confirmed)| {
            let should = i < needed;
            (should != is_confirmed).then_some((
                i,
                if should {
                    ClaimStatus::Confirmed
                } else {
                    ClaimStatus::Waitlisted
                },
            ))
        })
}

/// The order the roster is shown in: confirmed claims, then the waitlist in
/// order, then the suspended ones; within each, queue order.
pub fn display_key(
    status: Option<ClaimStatus>,
    position: Option<i32>,
    seq: i64,
) -> (u8, Option<i32>, i64) {
    let rank = match status {
        Some(ClaimStatus::Confirmed) => 0,
        Some(ClaimStatus::Waitlisted) => 1,
        _ => 2,
    };
    (rank, position, seq)
}

/// How many of `statuses` are confirmed: the one count of confirmed claims
/// (coverage, `confirmedCount`), wherever the claims were read.
pub fn confirmed<I>(statuses: I) -> usize
where
    I: IntoIterator<Item = Option<ClaimStatus>>,
{
    statuses
        .into_iter()
        .filter(|s| *s == Some(ClaimStatus::Confirmed))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimStatus::{Confirmed, Suspended, Waitlisted};

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).expect("instant")
    }

    fn slot(start: i64) -> Slot {
        Slot {
            status: Some(HearingStatus::Scheduled),
            starts_at: at(start),
            minutes: 60,
            deadline: None,
        }
    }

    #[test]
    fn a_claim_needs_an_open_hearing_before_its_deadline() {
        let mut s = slot(10);
        assert_eq!(refusal(at(0), &s, false, [].into_iter()), None);
        assert!(matches!(
            refusal(at(10), &s, false, [].into_iter()),
            Some(Refusal::Closed(_))
        ));
        s.deadline = Some(at(5));
        assert!(matches!(
            refusal(at(5), &s, false, [].into_iter()),
            Some(Refusal::Closed(_))
        ));
        s.status = Some(HearingStatus::Postponed);
        assert!(matches!(
            refusal(at(0), &s, false, [].into_iter()),
            Some(Refusal::Closed(_))
        ));
    }

    #[test]
    fn a_claim_clashing_with_the_claimants_own_is_refused() {
        let s = slot(10);
        let conflict = |r| matches!(r, Some(Refusal::Conflict(_)));
        assert!(conflict(refusal(at(0), &s, true, [].into_iter())));
        assert!(conflict(refusal(at(0), &s, false, [slot(10)].into_iter())));
        assert_eq!(
            refusal(at(0), &s, false, [slot(11), slot(9)].into_iter()),
            None
        );
        let full: Vec<Slot> = (0..MAX_OPEN_CLAIMS as i64)
            .map(|i| slot(100 + 2 * i))
            .collect();
        assert!(conflict(refusal(at(0), &s, false, full.iter().copied())));
        assert_eq!(refusal(at(0), &s, false, full[1..].iter().copied()), None);
    }

    #[test]
    fn claims_fill_the_places_then_the_waitlist_in_order() {
        let mut q = Queue {
            needed: 2,
            confirmed: 1,
            waitlisted: 0,
            last_seq: 7,
        };
        let placed: Vec<Placement> = (0..3).map(|_| q.place()).collect();
        assert_eq!(
            placed,
            [
                Placement {
                    status: Confirmed,
                    position: None,
                    seq: 8
                },
                Placement {
                    status: Waitlisted,
                    position: Some(1),
                    seq: 9
                },
                Placement {
                    status: Waitlisted,
                    position: Some(2),
                    seq: 10
                },
            ]
        );
    }

    #[test]
    fn positions_count_the_waitlist_only() {
        let got: Vec<_> = positions([
            Some(Confirmed),
            Some(Waitlisted),
            Some(Suspended),
            Some(Waitlisted),
            None,
        ])
        .collect();
        assert_eq!(got, [None, Some(1), None, Some(2), None]);
    }

    #[test]
    fn rebalance_promotes_from_the_front_and_demotes_the_latest() {
        // A release freed a place: the first waitlisted is promoted.
        let promoted: Vec<_> = rebalance([true, false, false], 2).collect();
        assert_eq!(promoted, [(1, Confirmed)]);
        // Fewer observers needed: the latest confirmed go back, in order.
        let demoted: Vec<_> = rebalance([true, true, true, false], 1).collect();
        assert_eq!(demoted, [(1, Waitlisted), (2, Waitlisted)]);
        assert_eq!(rebalance([true, false], 1).count(), 0);
    }

    #[test]
    fn the_roster_shows_confirmed_then_waitlist_then_suspended() {
        let mut rows = [
            (Some(Suspended), None, 1),
            (Some(Waitlisted), Some(2), 5),
            (Some(Confirmed), None, 3),
            (Some(Waitlisted), Some(1), 4),
        ];
        rows.sort_by_key(|&(s, p, q)| display_key(s, p, q));
        let seqs: Vec<i64> = rows.iter().map(|r| r.2).collect();
        assert_eq!(seqs, [3, 4, 5, 1]);
        assert_eq!(confirmed(rows.iter().map(|r| r.0)), 1);
    }
}
