//! Transport only: the schema, its segments per area, objects that wrap what
//! the policy hands out, global ids and connections. No rule lives here.
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

mod audit;
mod auth;
pub mod cases;
mod connection;
mod context;
mod directory;
pub mod hearings;
mod hygiene;
mod ids;
pub mod live;
pub mod loaders;
mod node;
mod objects;
pub mod reports;
pub mod statements;

use async_graphql::{MergedObject, MergedSubscription, Schema};

use crate::config::Mode;
use crate::state::AppState;

pub use context::ContextExt;

#[derive(MergedObject, Default)]
pub struct Query(
    auth::AuthQuery,
    directory::DirectoryQuery,
    cases::CaseQuery,
    hearings::HearingQuery,
    reports::ReportQuery,
    statements::StatementQuery,
    audit::AuditQuery,
    node::NodeQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    directory::DirectoryMutation,
    cases::CaseMutation,
    hearings::HearingMutation,
    reports::ReportMutation,
    statements::StatementMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(live::LiveSubscription);

pub type AccordSchema = Schema<Query, Mutation, Subscription>;

/// The schema as served: limits on depth and complexity, no field suggestions,
/// introspection only in development, and the error-hygiene extension.
pub fn build_schema(state: AppState) -> AccordSchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_depth(state.config.max_query_depth)
    .limit_complexity(state.config.max_query_complexity)
    .limit_recursive_depth(32)
    .limit_directives(8)
    .disable_suggestions()
    .extension(hygiene::ErrorHygiene);
    if state.config.mode == Mode::Production {
        builder = builder.disable_introspection();
    }
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
