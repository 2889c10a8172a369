//! Transport only: the schema, its segments per area, objects that wrap what
//! the policy hands out, global ids and connections. No rule lives here.
//!
//! The schema has depth and complexity limits, suggestions disabled and
//! introspection off in production; a hygiene extension turns any uncoded
//! error, and any panic, into `INTERNAL`. Global ids are
//! `base64url("Kind:uuid")`, accepted only in that one spelling (lower-case
//! hyphenated uuid, no padding). One keyset pager (`connection.rs`: a scope, an
//! order and a load) serves every connection, whose `totalCount` counts the
//! policy scope; `size.rs` holds answers to `ACCORD_MAX_RESPONSE_BYTES`;
//! `live.rs` holds the subscription roots (the WebSocket protocol is
//! `http/websocket.rs`); `documents.rs` parses each query text once.
//!
//! Every field of an object is resolved in a future as large as the largest
//! of that object's resolvers, and async-graphql moves that future for each
//! field it resolves: a resolver that awaits a service or the policy (a case
//! lookup, an identity read, an export) boxes that call
//! (`Box::pin(…).await`), so the case's `reference` does not carry the
//! state of its `identity` (5 KB, moved on every field of every listed case).
/// A GraphQL enum mirroring a domain enum variant for variant (the
/// `remote` conversion fails to compile if the two drift apart).
macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident, $remote:literal, $gql:literal { $($(#[$vm:meta])* $v:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
        #[graphql(remote = $remote, name = $gql)]
        pub enum $name { $($(#[$vm])* $v),* }
    };
}

mod admission;
pub mod assessments;
mod audit;
mod auth;
pub mod cases;
mod connection;
mod context;
mod digest;
mod directory;
mod documents;
pub mod handover;
pub mod hearings;
mod hygiene;
mod identity;
mod ids;
pub mod live;
pub mod loaders;
mod measure;
mod node;
mod objects;
pub mod once;
mod preferences;
mod recovery;
pub mod reports;
mod second_factor;
mod security_keys;
mod sessions;
pub mod size;
mod sso;
pub mod statements;

use std::sync::Arc;

use async_graphql::{MergedObject, MergedSubscription, Schema};

use admission::{Admission, DepthLimit};

use crate::config::Mode;
use crate::state::AppState;

pub use auth::only_signs_in;
pub use context::ContextExt;

#[derive(MergedObject, Default)]
pub struct Query(
    auth::AuthQuery,
    directory::DirectoryQuery,
    cases::CaseQuery,
    hearings::HearingQuery,
    reports::ReportQuery,
    statements::StatementQuery,
    identity::IdentityQuery,
    audit::AuditQuery,
    node::NodeQuery,
    assessments::AssessmentQuery,
    handover::HandoverQuery,
    preferences::PreferencesQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    directory::DirectoryMutation,
    cases::CaseMutation,
    hearings::HearingMutation,
    reports::ReportMutation,
    statements::StatementMutation,
    identity::IdentityMutation,
    digest::DigestMutation,
    assessments::AssessmentMutation,
    handover::HandoverMutation,
    preferences::PreferencesMutation,
    sessions::SessionMutation,
    sso::SsoMutation,
    second_factor::SecondFactorMutation,
    recovery::RecoveryMutation,
    security_keys::SecurityKeyMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(live::LiveSubscription);

pub type AccordSchema = Schema<Query, Mutation, Subscription>;

/// The schema as served: limits on depth and complexity, no field suggestions,
/// introspection only in development, and one extension for the rest
/// (`admission.rs`: limits, response bound, error hygiene, metrics).
pub fn build_schema(state: AppState) -> AccordSchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_recursive_depth(32)
    .limit_directives(8)
    .disable_suggestions();
    let production = state.config.mode == Mode::Production;
    if production {
        builder = builder.disable_introspection();
    }
    builder = builder.extension(Admission {
        complexity: state.config.max_query_complexity,
        depth: if production {
            DepthLimit::Validated(state.config.max_query_depth)
        } else {
            // In development the depth limit skips introspection, whose
            // standard query (graphql-js, as GraphiQL sends it) is 15 fields
            // deep.
            DepthLimit::OutsideIntrospection(state.config.max_query_depth)
        },
        max_response_bytes: state.config.max_response_bytes,
        metrics: state.metrics.enabled().then(|| state.metrics.clone()),
        documents: Arc::default(),
    });
    builder.data(state).finish()
}

/// The SDL that `schema.graphql` must match.
pub fn sdl() -> String {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .finish()
    .sdl()
}
