//! Counts and times each GraphQL request by its root field and outcome code
//! (`crate::metrics`). The root field is read from the parsed document and
//! kept only when the schema has it, so a label never carries text a client
//! made up; the code is `OK` or one of `ERROR_CODES`.
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{Response, ServerResult, Value, Variables};
use metrics::SharedString;

use crate::error::ERROR_CODES;
use crate::metrics::Metrics;

pub struct Measure(pub Arc<Metrics>);

impl ExtensionFactory for Measure {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Measured {
            metrics: self.0.clone(),
            operation: Mutex::new(None),
        })
    }
}

struct Measured {
    metrics: Arc<Metrics>,
    /// The first root field of the operation run, as the schema names it.
    operation: Mutex<Option<SharedString>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Measured {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let operation = self
            .operation
            .lock()
            .ok()
            .and_then(|mut o| o.take())
            .unwrap_or(SharedString::const_str("-"));
        let code = outcome(&response);
        if code == "RATE_LIMITED" {
            self.metrics.rate_limited("graphql");
        }
        self.metrics
            .graphql_request(operation, code, started.elapsed());
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Some(field) = first_root_field(ctx, &document)
            && let Ok(mut operation) = self.operation.lock()
        {
            *operation = Some(field);
        }
        Ok(document)
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
