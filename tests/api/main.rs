//! Accord's integration tests: the real router on a random port, a fresh
//! database per test, every scenario on SQLite and on PostgreSQL.
mod helpers;

mod abuse_cost;
mod abuse_http;
mod abuse_login;
mod abuse_size;
mod abuse_ws;
mod audit;
mod auth;
mod cases;
mod costs;
mod directory;
mod drills;
mod errors;
mod faults;
mod harm;
mod live;
mod mail;
mod metrics;
mod ops;
mod plans;
mod real_clients;
mod report_mail;
mod reports;
mod schema;
mod smtp;
mod statement_live_mail;
mod statements;
mod trials;
mod visibility;
mod visibility_hearings;
mod visibility_reports;
mod visibility_statements;
