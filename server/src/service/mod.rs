//! Use cases: each reads find through the policy scope → decide (a rule in
//! `domain/`) → write (a named `store/` function) → audit → notify.
//!
//! Rosters (`roster.rs`, rules in `domain::roster`): every roster change locks
//! the hearing row first (`SELECT … FOR UPDATE`; SQLite serialises writes),
//! then asks the policy in that transaction, so confirmed claims never exceed
//! `observersNeeded`. Claims are group-committed (`crate::batch`): the claims
//! waiting for one hearing in a process are decided together in one
//! transaction, each with its own answer in arrival order. Waitlist positions
//! are ranks in claim order, so they have no gaps. `roster::reconcile` runs in
//! the transaction of every change that can take sight away (consent, share,
//! coalition membership): it suspends the claims that lost sight and moves the
//! waitlists up. `hearings.rs` schedules, updates and observes; `calendar.rs`
//! serves the private `.ics` feeds.
pub mod account;
pub mod assessments;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod digest;
pub mod directory;
pub mod handover;
pub mod hearings;
pub mod identity;
pub mod missions;
pub mod recovery;
pub mod reports;
pub mod reveals;
pub mod roster;
pub mod second_factor;
pub mod security_keys;
pub mod sso;
pub mod statements;
