//! Use cases: open a transaction, ask the policy, apply the rule, write, audit.
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod directory;
pub mod hearings;
pub mod missions;
pub mod reports;
pub mod roster;
pub mod statements;
