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
mod measure;
mod node;
mod objects;
pub mod once;
pub mod reports;
pub mod statements;

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    MergedObject, MergedSubscription, Schema, ServerError, ServerResult, Variables,
};

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
    .limit_complexity(state.config.max_query_complexity)
    .limit_recursive_depth(32)
    .limit_directives(8)
    .disable_suggestions();
    if state.metrics.enabled() {
        // Outermost: it sees the codes the hygiene below has settled.
        builder = builder.extension(measure::Measure(state.metrics.clone()));
    }
    builder = builder
        .extension(hygiene::ErrorHygiene)
        .extension(once::OncePerRequest);
    if state.config.mode == Mode::Production {
        builder = builder
            .disable_introspection()
            .limit_depth(state.config.max_query_depth);
    } else {
        // In development the depth limit skips introspection, whose standard
        // query (graphql-js, as GraphiQL sends it) is 15 fields deep.
        builder = builder.extension(DepthOutsideIntrospection(state.config.max_query_depth));
    }
    builder.data(state).finish()
}

/// The depth limit with `__schema` and `__type` selections not counted:
/// deeper is refused as the built-in limit refuses it ("Query is nested too
/// deep.", `BAD_USER_INPUT`), before validation and before any resolver.
struct DepthOutsideIntrospection(usize);

impl ExtensionFactory for DepthOutsideIntrospection {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(DepthOutsideIntrospection(self.0))
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for DepthOutsideIntrospection {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let mut fragments = HashMap::new();
        let deepest = doc
            .operations
            .iter()
            .map(|(_, op)| depth(&doc, &op.node.selection_set.node, &mut fragments))
            .max()
            .unwrap_or(0);
        if deepest > self.0 {
            return Err(ServerError::new("Query is nested too deep.", None));
        }
        Ok(doc)
    }
}

/// How deep `set` nests, introspection not counted. Each fragment is measured
/// once (so repeated spreads cost nothing more); a fragment cycle counts 0
/// here and is refused by validation.
fn depth<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    fragments: &mut HashMap<&'d str, Option<usize>>,
) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => match f.node.name.node.as_str() {
                "__schema" | "__type" => 0,
                _ => 1 + depth(doc, &f.node.selection_set.node, fragments),
            },
            Selection::InlineFragment(f) => depth(doc, &f.node.selection_set.node, fragments),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                match fragments.get(name) {
                    Some(known) => known.unwrap_or(0),
                    None => {
                        fragments.insert(name, None);
                        let d = doc
                            .fragments
                            .get(&s.node.fragment_name.node)
                            .map_or(0, |f| depth(doc, &f.node.selection_set.node, fragments));
                        fragments.insert(name, Some(d));
                        d
                    }
                }
            }
        })
        .max()
        .unwrap_or(0)
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
