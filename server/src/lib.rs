//! Accord: embassies coordinating support for human rights defenders at risk.
//! Read `server/src/policy/` to learn who can see what.

/// Start-up as a type, used by `main` and by the tests alike.
pub mod app;
/// The append-only, hash-chained audit trail.
pub mod audit;
/// Who is asking: viewer, passwords, tokens.
pub mod auth;
/// Group commit: jobs contending for one key, run together in batches.
pub mod batch;
/// The command line: serve, migrate, create-admin, export-schema, audit verify.
pub mod cli;
/// Injectable time.
pub mod clock;
/// Typed configuration from the environment, with production refusals.
pub mod config;
/// Sealing identity fields at rest (AEAD, key ring with rotation).
pub mod crypto;
/// Connecting to and migrating SQLite or PostgreSQL.
pub mod db;
/// The demo world built on an empty development database.
pub mod demo;
/// Plain rules and types, free of I/O.
pub mod domain;
/// The one error type and its GraphQL codes.
pub mod error;
/// GraphQL transport: schema, segments, objects, ids, connections.
pub mod graphql;
/// HTTP: the router, limits, the POST handler, the WebSocket protocol, feeds, the listener.
pub mod http;
/// Text people read, in their language (Fluent bundles).
pub mod i18n;
/// Periodic system work: reminders, retention, statement deadlines, outbox delivery.
pub mod jobs;
/// The import floors, checked by a test.
#[cfg(test)]
mod layers;
/// Live roster updates across processes.
pub mod live;
/// Email: notices, the outbox they are queued in, rendering, the SMTP transport.
pub mod mail;
/// Prometheus metrics, on their own listener.
pub mod metrics;
/// What a viewer may see and do: the one place.
pub mod policy;
/// Use cases: transaction, policy, rule, write, audit.
pub mod service;
/// Shared per-process state.
pub mod state;
/// sea-orm entities.
pub mod store;
/// Logging set-up.
pub mod telemetry;
/// The web client: server-rendered pages on the same services and policy.
pub mod web;
/// Bounded pools for blocking work: password checks and CPU-heavy fields.
pub mod work;
