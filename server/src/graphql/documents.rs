//! Parsed documents kept by their query text: a client sends the same few
//! queries over and over (the visible-cases page sends one text with other
//! variables), and parsing one with pest cost about 260,000 instructions
//! of the page's 7.1 million (issue 28, README "The page nearer the floor").
//!
//! Only parsing is kept. Everything that depends on the request still runs
//! on every request, on a copy of the document: validation with the
//! request's variables, the complexity and depth limits (`admission.rs`),
//! the per-request `once` limits, the
//! response bound, the viewer and the policy. The cache is the innermost
//! stage of parsing (`admission.rs`), so the stages after it see every
//! document as if it had just been parsed. A text is kept only once it parsed and passed
//! async-graphql's own checks on the parsed document (recursion depth,
//! directives per field), which depend on the text alone; a text that
//! failed is parsed again (and refused again) every time. No viewer's data
//! is in a document.
//!
//! Bounded: texts up to `MAX_TEXT` bytes, at most `2 * PER_GENERATION`
//! documents. When the current generation is full it becomes the previous
//! one and the older is dropped; a text found in the previous generation
//! moves to the current, so the texts in use stay while a flood of
//! one-off texts only makes every request parse again, as before the cache.
use std::collections::HashMap;
use std::sync::Mutex;

use async_graphql::extensions::{ExtensionContext, NextParseQuery};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerResult, Variables};

/// The longest text kept (longer ones are parsed every time).
pub const MAX_TEXT: usize = 4096;
/// Documents per generation.
pub const PER_GENERATION: usize = 128;

/// The two generations of kept documents.
#[derive(Default)]
struct Generations {
    current: HashMap<Box<str>, ExecutableDocument>,
    previous: HashMap<Box<str>, ExecutableDocument>,
}

/// Documents by their exact text, shared by every request.
#[derive(Default)]
pub struct Documents {
    kept: Mutex<Generations>,
}

impl Documents {
    /// A copy of the document kept for `text`, if any.
    fn get(&self, text: &str) -> Option<ExecutableDocument> {
        let mut kept = self.kept.lock().ok()?;
        if let Some(doc) = kept.current.get(text) {
            return Some(doc.clone());
        }
        let (text, doc) = kept.previous.remove_entry(text)?;
        let copy = doc.clone();
        kept.insert(text, doc);
        Some(copy)
    }

    /// Keeps `doc` for `text`, if the text is short enough.
    fn keep(&self, text: &str, doc: &ExecutableDocument) {
        if text.len() > MAX_TEXT {
            return;
        }
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(text.into(), doc.clone());
        }
    }

    /// How many documents are kept (for the tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept
            .lock()
            .map(|k| k.current.len() + k.previous.len())
            .unwrap_or(0)
    }

    /// The document of `query`: a copy of the kept one, or parsed (and
    /// checked) by `next` and kept. For the admission's `parse_query`
    /// (`admission.rs`), before its other stages.
    pub async fn parse(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Some(doc) = self.get(query) {
            return Ok(doc);
        }
        let doc = next.run(ctx, query, variables).await?;
        self.keep(query, &doc);
        Ok(doc)
    }
}

impl Generations {
    fn insert(&mut self, text: Box<str>, doc: ExecutableDocument) {
        if self.current.len() >= PER_GENERATION && !self.current.contains_key(&text) {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(text, doc);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use async_graphql::{
        Context, EmptyMutation, EmptySubscription, ErrorExtensions, Object, Schema,
    };

    use super::*;
    use crate::graphql::admission::{Admission, DepthLimit};
    use crate::graphql::once::{self, Scarce};

    struct Query;

    #[Object]
    impl Query {
        #[graphql(complexity = "first.unwrap_or(1) as usize + child_complexity")]
        async fn items(&self, first: Option<i32>) -> Vec<i32> {
            (0..first.unwrap_or(1)).collect()
        }

        /// A field a request may ask for once.
        async fn scarce(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
            once::claim(ctx, Scarce::Diff, "scarce").map_err(|e| e.extend())?;
            Ok(1)
        }
    }

    /// The schema with the production's limits (complexity 10, depth 3)
    /// over `docs`.
    struct Docs(Arc<Documents>);

    impl Docs {
        fn new() -> Docs {
            Docs(Arc::default())
        }

        fn len(&self) -> usize {
            self.0.len()
        }

        fn get(&self, text: &str) -> Option<ExecutableDocument> {
            self.0.get(text)
        }
    }

    fn schema(docs: &Docs) -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .limit_recursive_depth(4)
            .extension(Admission {
                complexity: 10,
                depth: DepthLimit::Validated(3),
                documents: docs.0.clone(),
                ..Admission::bounded(usize::MAX)
            })
            .finish()
    }

    fn request(query: &str, first: i32) -> async_graphql::Request {
        async_graphql::Request::new(query)
            .variables(Variables::from_json(serde_json::json!({ "n": first })))
    }

    #[tokio::test]
    async fn a_kept_text_is_still_validated_with_each_requests_variables() {
        let docs = Docs::new();
        let schema = schema(&docs);
        let q = "query($n: Int) { items(first: $n) }";
        let small = schema.execute(request(q, 3)).await;
        assert!(small.errors.is_empty(), "{:?}", small.errors);
        assert_eq!(docs.len(), 1);
        // The same text, now over the complexity limit through its variable:
        // refused although its document is kept.
        let big = schema.execute(request(q, 50)).await;
        assert_eq!(big.errors.len(), 1, "{:?}", big.errors);
        assert!(
            big.errors[0].message.contains("too complex"),
            "{:?}",
            big.errors
        );
        // And answered again within it.
        let again = schema.execute(request(q, 2)).await;
        assert!(again.errors.is_empty(), "{:?}", again.errors);
        assert_eq!(
            again.data.into_json().ok(),
            Some(serde_json::json!({ "items": [0, 1] }))
        );
    }

    #[tokio::test]
    async fn a_kept_text_still_gets_its_limits_and_once_per_request() {
        let docs = Docs::new();
        let schema = schema(&docs);
        for _ in 0..3 {
            // One scarce field per request, on every request of the text.
            let twice = schema.execute("{ a: scarce b: scarce }").await;
            assert_eq!(twice.errors.len(), 1, "{:?}", twice.errors);
            assert!(
                twice.errors[0].message.contains("only one diff"),
                "{:?}",
                twice.errors
            );
            let once = schema.execute("{ scarce }").await;
            assert!(once.errors.is_empty(), "{:?}", once.errors);
            // Too complex through literals alone, refused every time.
            let wide = schema.execute("{ items(first: 11) }").await;
            assert!(
                wide.errors[0].message.contains("too complex"),
                "{:?}",
                wide.errors
            );
        }
        assert_eq!(docs.len(), 3);
    }

    #[tokio::test]
    async fn texts_that_fail_are_not_kept_and_fail_every_time() {
        let docs = Docs::new();
        let schema = schema(&docs);
        let bad = [
            "{ items",
            "{ a { b { c { d { e { f { g } } } } } } }",
            "{ nope }",
        ];
        for text in bad {
            for _ in 0..2 {
                let res = schema.execute(text).await;
                assert!(!res.errors.is_empty(), "{text}");
            }
        }
        // `{ nope }` parses (validation refuses it) and is kept; the other
        // two never parse to a kept document.
        assert_eq!(docs.len(), 1);
    }

    #[tokio::test]
    async fn the_cache_stays_bounded() {
        let docs = Docs::new();
        let schema = schema(&docs);
        let hot = "{ items }";
        for i in 0..(3 * PER_GENERATION) {
            let res = schema.execute(format!("{{ a{i}: items }}")).await;
            assert!(res.errors.is_empty());
            // A text in use survives the flood.
            assert!(schema.execute(hot).await.errors.is_empty());
            assert!(docs.len() <= 2 * PER_GENERATION);
        }
        assert!(docs.get(hot).is_some());
        let long = format!("{{ items {} }}", " ".repeat(MAX_TEXT));
        assert!(schema.execute(long.as_str()).await.errors.is_empty());
        assert!(docs.get(&long).is_none());
    }
}
