//! Database schema for Accord, one file per change. Every migration must run
//! unchanged on SQLite and PostgreSQL, and an applied migration is never edited.
#![allow(elided_lifetimes_in_paths)] // MigrationTrait is an async_trait whose signatures elide them.
pub use sea_orm_migration::prelude::*;

mod m20261125_000001_directory;
mod m20261125_000002_auth;
pub mod m20261125_000003_audit;
mod m20261125_000004_cases;
mod m20261125_000005_trials;
mod m20261126_000006_do_no_harm;
mod m20261126_000007_case_access;
mod m20261127_000008_attack_reports;
mod m20261128_000009_statements;
mod m20261201_000010_access_counts;
mod m20261201_000011_outbox_topics;
mod m20261206_000012_statement_version_cap;
mod m20261206_000013_observation_history;
mod m20261206_000014_random_case_references;
mod m20261206_000015_web_sessions;
mod m20261207_000016_sealed_identity;
mod m20261207_000017_claim_offers;
mod m20261207_000018_structured_observations;
mod m20261207_000019_fairness_assessments;
mod m20261207_000020_coverage_digest;
mod m20261208_000021_user_preferences;
mod m20261209_000022_sign_in_methods;
mod m20261209_000023_second_factors;
mod m20261209_000024_security_keys;
mod m20261209_000025_single_sign_on;
mod m20261209_000026_account_recovery;
mod m20261210_000027_filtered_counts;
mod m20261211_000028_outbox_lease_token;
mod shared;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_directory::Migration),
            Box::new(m20261125_000002_auth::Migration),
            Box::new(m20261125_000003_audit::Migration),
            Box::new(m20261125_000004_cases::Migration),
            Box::new(m20261125_000005_trials::Migration),
            Box::new(m20261126_000006_do_no_harm::Migration),
            Box::new(m20261126_000007_case_access::Migration),
            Box::new(m20261127_000008_attack_reports::Migration),
            Box::new(m20261128_000009_statements::Migration),
            Box::new(m20261201_000010_access_counts::Migration),
            Box::new(m20261201_000011_outbox_topics::Migration),
            Box::new(m20261206_000012_statement_version_cap::Migration),
            Box::new(m20261206_000013_observation_history::Migration),
            Box::new(m20261206_000014_random_case_references::Migration),
            Box::new(m20261206_000015_web_sessions::Migration),
            Box::new(m20261207_000016_sealed_identity::Migration),
            Box::new(m20261207_000017_claim_offers::Migration),
            Box::new(m20261207_000018_structured_observations::Migration),
            Box::new(m20261207_000019_fairness_assessments::Migration),
            Box::new(m20261207_000020_coverage_digest::Migration),
            Box::new(m20261208_000021_user_preferences::Migration),
            Box::new(m20261209_000022_sign_in_methods::Migration),
            Box::new(m20261209_000025_single_sign_on::Migration),
            Box::new(m20261209_000023_second_factors::Migration),
            Box::new(m20261209_000026_account_recovery::Migration),
            Box::new(m20261209_000024_security_keys::Migration),
            Box::new(m20261210_000027_filtered_counts::Migration),
            Box::new(m20261211_000028_outbox_lease_token::Migration),
        ]
    }
}
