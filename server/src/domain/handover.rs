//! Hand-overs of roster claims, free of I/O: an offer's states, when it
//! expires, and who may take, decline or withdraw it. Whether the taker may
//! hold the claim at all is `domain::roster::refusal`'s (the same clash
//! check as a new claim) and the policy's (sight, consent).
//!
//! An offer expires at the hearing's claim deadline: the start, or the
//! deadline when one is set (it is never later than the start), because
//! after it no claim may be taken either. The deadline is read from the
//! hearing as it is now, so a rescheduled hearing moves its offers' expiry.
use chrono::{DateTime, Utc};
use uuid::Uuid;

stored_enum!(
    /// Where an offer stands. Only OPEN offers can change; every other state
    /// is final.
    OfferState {
        Open = "OPEN",
        Accepted = "ACCEPTED",
        Declined = "DECLINED",
        Withdrawn = "WITHDRAWN",
        Expired = "EXPIRED",
        Cancelled = "CANCELLED",
    }
);

/// Open offers named to one person at most (a list capped on write: a
/// diplomat's incoming offers are one short list).
pub const MAX_OPEN_OFFERS_RECEIVED: u64 = 20;

/// Open offers one hearing's page shows at most (newest first).
pub const MAX_OFFERS_SHOWN: u64 = 50;

/// When offers on a hearing expire: its claim deadline, never after the start.
pub fn expiry(starts_at: DateTime<Utc>, deadline: Option<DateTime<Utc>>) -> DateTime<Utc> {
    deadline.map_or(starts_at, |d| d.min(starts_at))
}

/// An offer as the rules read it.
#[derive(Clone, Copy, Debug)]
pub struct Offer {
    pub state: Option<OfferState>,
    pub offered_by: Uuid,
    /// `None`: open to anyone eligible.
    pub offered_to: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
}

/// Why a step on an offer is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Named to someone else: the viewer is not a party (`FORBIDDEN`).
    NotYours,
    /// The offerer cannot take their own offer (`BAD_USER_INPUT`).
    OwnOffer,
    /// Decided already (`CONFLICT`).
    Decided(OfferState),
    /// Past its expiry (`SLOT_UNAVAILABLE`); the caller marks it EXPIRED.
    Expired,
}

fn open(offer: &Offer, now: DateTime<Utc>) -> Result<(), Refusal> {
    match offer.state {
        Some(OfferState::Open) => {}
        Some(s) => return Err(Refusal::Decided(s)),
        None => return Err(Refusal::Decided(OfferState::Cancelled)),
    }
    if now >= offer.expires_at {
        return Err(Refusal::Expired);
    }
    Ok(())
}

/// Whether `taker` may accept: an open, unexpired offer named to them or to
/// nobody, not their own.
pub fn may_take(offer: &Offer, taker: Uuid, now: DateTime<Utc>) -> Result<(), Refusal> {
    if offer.offered_by == taker {
        return Err(Refusal::OwnOffer);
    }
    if offer.offered_to.is_some_and(|to| to != taker) {
        return Err(Refusal::NotYours);
    }
    open(offer, now)
}

/// Whether `who` may decline: only the named colleague, while open.
pub fn may_decline(offer: &Offer, who: Uuid, now: DateTime<Utc>) -> Result<(), Refusal> {
    if offer.offered_to != Some(who) {
        return Err(Refusal::NotYours);
    }
    open(offer, now)
}

/// Whether `who` may withdraw: only the offerer, until it is decided (an
/// expired offer may still be withdrawn: nothing can take it any more).
pub fn may_withdraw(offer: &Offer, who: Uuid) -> Result<(), Refusal> {
    if offer.offered_by != who {
        return Err(Refusal::NotYours);
    }
    match offer.state {
        Some(OfferState::Open) => Ok(()),
        Some(s) => Err(Refusal::Decided(s)),
        None => Err(Refusal::Decided(OfferState::Cancelled)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).expect("instant")
    }

    fn offer(to: Option<Uuid>) -> (Offer, Uuid) {
        let by = Uuid::from_u128(1);
        (
            Offer {
                state: Some(OfferState::Open),
                offered_by: by,
                offered_to: to,
                expires_at: at(10),
            },
            by,
        )
    }

    #[test]
    fn an_offer_expires_at_the_deadline_never_after_the_start() {
        assert_eq!(expiry(at(10), None), at(10));
        assert_eq!(expiry(at(10), Some(at(5))), at(5));
        assert_eq!(expiry(at(10), Some(at(12))), at(10));
    }

    #[test]
    fn a_named_offer_is_taken_or_declined_by_its_colleague_only() {
        let (colleague, other) = (Uuid::from_u128(2), Uuid::from_u128(3));
        let (o, by) = offer(Some(colleague));
        assert_eq!(may_take(&o, colleague, at(0)), Ok(()));
        assert_eq!(may_take(&o, other, at(0)), Err(Refusal::NotYours));
        assert_eq!(may_take(&o, by, at(0)), Err(Refusal::OwnOffer));
        assert_eq!(may_decline(&o, colleague, at(0)), Ok(()));
        assert_eq!(may_decline(&o, other, at(0)), Err(Refusal::NotYours));
        assert_eq!(may_decline(&o, by, at(0)), Err(Refusal::NotYours));
    }

    #[test]
    fn an_open_offer_is_taken_by_anyone_but_declined_by_nobody() {
        let (o, by) = offer(None);
        let anyone = Uuid::from_u128(9);
        assert_eq!(may_take(&o, anyone, at(0)), Ok(()));
        assert_eq!(may_take(&o, by, at(0)), Err(Refusal::OwnOffer));
        assert_eq!(may_decline(&o, anyone, at(0)), Err(Refusal::NotYours));
    }

    #[test]
    fn a_decided_or_expired_offer_changes_no_more() {
        let (mut o, by) = offer(None);
        let anyone = Uuid::from_u128(9);
        assert_eq!(may_take(&o, anyone, at(10)), Err(Refusal::Expired));
        assert_eq!(may_withdraw(&o, by), Ok(()));
        assert_eq!(may_withdraw(&o, anyone), Err(Refusal::NotYours));
        o.state = Some(OfferState::Accepted);
        assert_eq!(
            may_take(&o, anyone, at(0)),
            Err(Refusal::Decided(OfferState::Accepted))
        );
        assert_eq!(
            may_withdraw(&o, by),
            Err(Refusal::Decided(OfferState::Accepted))
        );
        o.state = None;
        assert!(matches!(
            may_take(&o, anyone, at(0)),
            Err(Refusal::Decided(_))
        ));
    }
}
