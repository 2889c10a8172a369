//! Everything the schema does around a request, as one extension
//! (`Admission`): async-graphql gives every resolved field one more boxed
//! future and one more step of its chain per extension, so the stages share
//! one (each stage's rules stay in its own module):
//! - a fresh `once::Used` for the request (`once.rs`);
//! - its document parsed once per text (`documents.rs`), then, in
//!   development, the depth limit outside introspection;
//! - the complexity limit (and in production the depth limit) as
//!   async-graphql applies them after validation, with a message that says
//!   what the query cost, what the limit is and what to change (the built-in
//!   limits say only "Query is too complex."); still before any resolver
//!   runs, and a document that is also invalid gets its validation errors
//!   first;
//! - the response bound while the answer is built (`size.rs`);
//! - the error hygiene, on every answer and event and around every field
//!   (`hygiene.rs`);
//! - the request's metrics, when they are on (`measure.rs`), over the codes
//!   the hygiene has settled.
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextResolve, NextSubscribe, NextValidation, ResolveInfo,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    Request, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};
use futures::stream::BoxStream;
use futures::{FutureExt, StreamExt};

use super::documents::Documents;
use super::measure::Measured;
use super::size::Budget;
use super::{hygiene, once};
use crate::metrics::Metrics;

/// How deep a query may nest.
#[derive(Clone, Copy, Debug)]
pub enum DepthLimit {
    /// Checked after validation, as async-graphql counts it (production,
    /// where introspection is off).
    Validated(usize),
    /// Checked on the parsed document with `__schema` and `__type`
    /// selections not counted (development: the standard introspection
    /// query GraphiQL sends is 15 fields deep).
    OutsideIntrospection(usize),
    /// None (the tests of the other stages).
    #[cfg(test)]
    None,
}

/// The one extension's configuration, shared by every request.
pub struct Admission {
    pub complexity: usize,
    pub depth: DepthLimit,
    pub max_response_bytes: usize,
    /// Counted and timed when set.
    pub metrics: Option<Arc<Metrics>>,
    /// Parsed documents, shared by every request.
    pub documents: Arc<Documents>,
}

impl Admission {
    /// No limit but the response bound; hygiene always.
    #[cfg(test)]
    pub fn bounded(max_response_bytes: usize) -> Admission {
        Admission {
            complexity: usize::MAX,
            depth: DepthLimit::None,
            max_response_bytes,
            metrics: None,
            documents: Arc::default(),
        }
    }
}

impl ExtensionFactory for Admission {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Admitted {
            complexity: self.complexity,
            depth: self.depth,
            documents: self.documents.clone(),
            budget: Budget::new(self.max_response_bytes),
            measured: self.metrics.clone().map(Measured::new),
        })
    }
}

/// One request's (or one subscription's) admission.
struct Admitted {
    complexity: usize,
    depth: DepthLimit,
    documents: Arc<Documents>,
    budget: Budget,
    measured: Option<Measured>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Admitted {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(hygiene::sanitize);
        if let Some(measured) = &self.measured {
            measured.record(started, &response);
        }
        response
    }

    /// Everything over the WebSocket (subscription events, and queries sent
    /// there) passes here instead of through `request`.
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        self.budget
            .bounded_events(next.run(ctx, stream))
            .map(|mut response| {
                response.errors.iter_mut().for_each(hygiene::sanitize);
                response
            })
            .boxed()
    }

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
        let doc = self.documents.parse(ctx, query, variables, next).await?;
        if let DepthLimit::OutsideIntrospection(limit) = self.depth {
            let deepest = deepest_outside_introspection(&doc);
            if deepest > limit {
                return Err(ServerError::new(too_deep(deepest, limit), None));
            }
        }
        if let Some(measured) = &self.measured {
            measured.note(ctx, &doc);
        }
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let DepthLimit::Validated(limit) = self.depth
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

    /// Once per HTTP request, and once per subscription event.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.budget.execute(next.run(ctx, operation_name)).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        // Borrowed from the document: no copy for every field resolved.
        let field = info.name;
        let pos = info.field.selection_set.pos;
        match AssertUnwindSafe(self.budget.resolve(ctx, info, next))
            .catch_unwind()
            .await
        {
            Ok(result) => result,
            Err(_) => Err(hygiene::panicked(field, pos)),
        }
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

/// How deep the deepest operation of `doc` nests, introspection not counted.
fn deepest_outside_introspection(doc: &ExecutableDocument) -> usize {
    let mut fragments = HashMap::new();
    doc.operations
        .iter()
        .map(|(_, op)| depth(doc, &op.node.selection_set.node, &mut fragments))
        .max()
        .unwrap_or(0)
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
