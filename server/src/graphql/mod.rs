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

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
    NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    MergedObject, MergedSubscription, Request, Schema, ServerError, ServerResult, ValidationResult,
    Variables,
};

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
/// introspection only in development, and the error-hygiene extension.
pub fn build_schema(state: AppState) -> AccordSchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_recursive_depth(32)
    .limit_directives(8)
    .disable_suggestions();
    if state.metrics.enabled() {
        // Outermost: it sees the codes the hygiene below has settled.
        builder = builder.extension(measure::Measure(state.metrics.clone()));
    }
    builder = builder
        .extension(hygiene::ErrorHygiene)
        .extension(size::ResponseBound(state.config.max_response_bytes));
    let limits = Limits {
        complexity: state.config.max_query_complexity,
        depth: None,
        documents: Arc::default(),
    };
    if state.config.mode == Mode::Production {
        builder = builder.disable_introspection().extension(Limits {
            depth: Some(state.config.max_query_depth),
            ..limits
        });
    } else {
        // In development the depth limit skips introspection, whose standard
        // query (graphql-js, as GraphiQL sends it) is 15 fields deep.
        // Registered before `Limits`, so outside its kept documents.
        builder = builder
            .extension(DepthOutsideIntrospection(state.config.max_query_depth))
            .extension(limits);
    }
    builder.data(state).finish()
}

/// What a request is admitted with, in one extension (every extension
/// costs each resolved field one more boxed future, so the stages that
/// touch only the request share one): a fresh `once::Used` for it, its
/// document parsed once per text (`documents.rs`; registered last, so that
/// is innermost), and the complexity limit (and in production the depth
/// limit) as async-graphql applies them after validation, with a message
/// that says what the query cost, what the limit is and what to change: the
/// built-in limits say only "Query is too complex.". Still before any
/// resolver runs. (A document that is also invalid gets its validation
/// errors first.)
struct Limits {
    complexity: usize,
    depth: Option<usize>,
    /// Shared by every request (the factory's copy is cloned into each).
    documents: Arc<documents::Documents>,
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Limits {
            complexity: self.complexity,
            depth: self.depth,
            documents: self.documents.clone(),
        })
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Limits {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        next.run(ctx, once::fresh(request)).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        self.documents.parse(ctx, query, variables, next).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(limit) = self.depth
            && result.depth > limit
        {
            return Err(vec![ServerError::new(too_deep(result.depth, limit), None)]);
        }
        if result.complexity > self.complexity {
            return Err(vec![ServerError::new(
                too_complex(result.complexity, self.complexity),
                None,
            )]);
        }
        Ok(result)
    }
}

/// `BAD_USER_INPUT` (set by the hygiene, as for every query error) when a
/// query costs more than the limit.
fn too_complex(cost: usize, limit: usize) -> String {
    format!(
        "Query is too complex: it costs {cost}, the limit is {limit}; ask for fewer fields or a smaller `first:`"
    )
}

/// When a query nests deeper than the limit.
fn too_deep(depth: usize, limit: usize) -> String {
    format!(
        "Query is nested too deep: {depth} levels, the limit is {limit}; ask for fewer nested fields"
    )
}

/// The depth limit with `__schema` and `__type` selections not counted:
/// deeper is refused as in production (`too_deep`, `BAD_USER_INPUT`),
/// before validation and before any resolver.
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
            return Err(ServerError::new(too_deep(deepest, self.0), None));
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
