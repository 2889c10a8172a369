//! Counts and times each GraphQL request by its root field and outcome code
//! (`crate::metrics`). The root field is read from the parsed document and
//! kept only when the schema has it, so a label never carries text a client
//! made up; the code is `OK` or one of `ERROR_CODES`.
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::ExtensionContext;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{Response, Value};
use metrics::SharedString;

use crate::error::ERROR_CODES;
use crate::metrics::Metrics;

/// One request's measurement, taken by the schema's one extension
/// (`admission.rs`).
pub(super) struct Measured {
    metrics: Arc<Metrics>,
    /// The first root field of the operation run, as the schema names it.
    operation: Mutex<Option<SharedString>>,
}

impl Measured {
    pub(super) fn new(metrics: Arc<Metrics>) -> Measured {
        Measured {
            metrics,
            operation: Mutex::new(None),
        }
    }

    /// Keeps the operation's root field from its parsed document.
    pub(super) fn note(&self, ctx: &ExtensionContext<'_>, document: &ExecutableDocument) {
        if let Some(field) = first_root_field(ctx, document)
            && let Ok(mut operation) = self.operation.lock()
        {
            *operation = Some(field);
        }
    }

    /// Counts the request that began at `started` and answered `response`.
    pub(super) fn record(&self, started: Instant, response: &Response) {
        let operation = self
            .operation
            .lock()
            .ok()
            .and_then(|mut o| o.take())
            .unwrap_or(SharedString::const_str("-"));
        let code = outcome(response);
        if code == "RATE_LIMITED" {
            self.metrics.rate_limited("graphql");
        }
        self.metrics
            .graphql_request(operation, code, started.elapsed());
    }
}

/// `OK`, or the first error's code (anything unknown counts as `INTERNAL`).
fn outcome(response: &Response) -> &'static str {
    let Some(first) = response.errors.first() else {
        return "OK";
    };
    let code = first.extensions.as_ref().and_then(|x| x.get("code"));
    ERROR_CODES
        .iter()
        .copied()
        .find(|known| matches!(code, Some(Value::String(c)) if c == known))
        .unwrap_or("INTERNAL")
}

/// The first field selected at the root of the operation that will run (the
/// only one, or the one named), if the root type has a field of that name.
fn first_root_field(
    ctx: &ExtensionContext<'_>,
    document: &ExecutableDocument,
) -> Option<SharedString> {
    let operation = document.operations.iter().next()?.1;
    let registry = &ctx.schema_env.registry;
    let root = match operation.node.ty {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    }?;
    let field = operation
        .node
        .selection_set
        .node
        .items
        .iter()
        .find_map(|item| match &item.node {
            Selection::Field(f) => Some(f.node.name.node.as_str()),
            _ => None,
        })?;
    let known = registry.types.get(root)?.field_by_name(field)?;
    Some(SharedString::from_owned(known.name.clone()))
}
