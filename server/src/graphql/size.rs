//! The response-size bound (`ACCORD_MAX_RESPONSE_BYTES`): no GraphQL answer
//! larger than the bound is sent, over HTTP or as a WebSocket event, and none
//! is half-written. A larger one is replaced by one `BAD_USER_INPUT` error
//! (`extensions.field: "query"`, `extensions.maxResponseBytes`): the same
//! request would be refused again, so it is the client's to change (fewer
//! fields or aliases, a smaller `first:`), not a failure to retry.
//!
//! Two stops, because async-graphql builds the whole answer as a `Value` tree
//! before anything is serialized:
//! - while it is built, `Budget` adds up what each resolved field adds
//!   to the answer (its key, and its value unless that is an object, whose
//!   own fields count themselves) — a lower bound of the serialized size.
//!   Once the sum passes the bound, every field not yet resolved is refused
//!   before it runs, so the tree stops growing at about the bound instead of
//!   the 855 MB an aliased list could build; the answer is then the error.
//!   A mutation's root fields still run (their changes are made; only their
//!   answer is withheld). A field selected twice (through two fragments) is
//!   resolved, and counted, twice, as async-graphql builds it twice.
//! - when it is sent, the answer is serialized through a writer that stops at
//!   the bound (`serialize_within` over HTTP, `fits` for each WebSocket
//!   event), so the exact size decides, and no more than the bound is ever
//!   written before that is known.
//!
//! A subscription event over the bound ends the subscription: the event is
//! replaced by the error and the stream ends (`live.rs` sends it as the
//! protocol's `error` message). Skipping the event instead would leave the
//! client showing a state that is no longer true, and the next change would
//! most likely be as large.
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_graphql::extensions::{ExtensionContext, NextResolve, ResolveInfo};
use async_graphql::{ErrorExtensions, Response, ServerError, ServerResult, Value};
use futures::StreamExt;
use futures::stream::{self, BoxStream};

use crate::error::AppError;
use crate::msg;

/// The extension key that marks the refusal (and carries the bound).
pub const MARKER: &str = "maxResponseBytes";

/// The refusal of an answer larger than `max` bytes.
pub fn too_large(max: usize) -> ServerError {
    let err = AppError::bad_input("query", msg!("input-answer-too-large", max = max))
        .extend()
        .extend_with(|_, ext| ext.set(MARKER, u64::try_from(max).unwrap_or(u64::MAX)));
    let mut error = ServerError::new(err.message, None);
    error.extensions = err.extensions;
    error
}

/// `{"data": null, "errors": [too_large(max)]}`.
pub fn too_large_response(max: usize) -> Response {
    Response::from_errors(vec![too_large(max)])
}

/// Whether `response` is the refusal of an answer over the bound.
pub fn is_too_large(response: &Response) -> bool {
    response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .is_some_and(|x| x.get(MARKER).is_some())
    })
}

/// A writer that takes at most `max` bytes in all and fails on the first
/// write past them; with `keep` false it only counts.
struct Bounded {
    written: Vec<u8>,
    len: usize,
    max: usize,
    keep: bool,
}

impl io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.len + buf.len() > self.max {
            return Err(io::Error::other("over the response bound"));
        }
        self.len += buf.len();
        if self.keep {
            self.written.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    // One call per piece serde_json writes, without the default loop.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.write(buf).map(drop)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `value` as JSON if that takes at most `max` bytes; `None` as soon as
/// it is known to take more (no more than `max` bytes are ever held).
pub fn serialize_within(value: &impl serde::Serialize, max: usize) -> Option<Vec<u8>> {
    let mut out = Bounded {
        written: Vec::new(),
        len: 0,
        max,
        keep: true,
    };
    serde_json::to_writer(&mut out, value).ok()?;
    Some(out.written)
}

/// Whether `value` serializes to at most `max` bytes (counted, not kept).
pub fn fits(value: &impl serde::Serialize, max: usize) -> bool {
    serialized_len(value, max).is_some()
}

/// The serialized length of `value`, if at most `max`.
fn serialized_len(value: &impl serde::Serialize, max: usize) -> Option<usize> {
    let mut out = Bounded {
        written: Vec::new(),
        len: 0,
        max,
        keep: false,
    };
    serde_json::to_writer(&mut out, value).ok()?;
    Some(out.len)
}

/// What a resolved value adds to the answer by itself: an object only its
/// braces (its fields are resolved, and counted, one by one), a list its
/// brackets and items, anything else its JSON. Never more than its share of
/// the serialized answer (commas are not counted).
fn own_bytes(value: &Value) -> usize {
    match value {
        Value::Object(_) => 2,
        Value::List(items) => 2 + items.iter().map(own_bytes).sum::<usize>(),
        // Counted, not serialized: this runs for every field of every answer.
        Value::String(text) => json_string_len(text),
        Value::Boolean(true) | Value::Null => 4,
        Value::Boolean(false) => 5,
        scalar => serialized_len(scalar, usize::MAX).unwrap_or(0),
    }
}

/// The length of `text` as a JSON string, as serde_json writes it: quotes,
/// two bytes for `"`, `\\` and the short control escapes, six for the rest
/// below U+0020.
fn json_string_len(text: &str) -> usize {
    2 + text.len()
        + text
            .bytes()
            .map(|b| match b {
                b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 1,
                0x00..=0x1f => 5,
                _ => 0,
            })
            .sum::<usize>()
}

/// One request's (or one subscription's, per event) running total: the
/// bound while the answer is built (see the module), applied by the
/// schema's one extension (`admission.rs`).
pub(super) struct Budget {
    max: usize,
    /// Bytes the fields resolved so far add to the answer (a lower bound).
    used: AtomicUsize,
    /// The total passed `max`: every field from now on is refused.
    over: AtomicBool,
    /// A subscription: each event is also measured exactly here, as the
    /// WebSocket has no later place that could replace it.
    streaming: AtomicBool,
}

impl Budget {
    pub(super) fn new(max: usize) -> Budget {
        Budget {
            max,
            used: AtomicUsize::new(0),
            over: AtomicBool::new(false),
            streaming: AtomicBool::new(false),
        }
    }

    /// A subscription's events, the one over the bound replaced by the
    /// refusal, which is the stream's last event.
    pub(super) fn bounded_events<'s>(
        &self,
        events: BoxStream<'s, Response>,
    ) -> BoxStream<'s, Response> {
        self.streaming.store(true, Ordering::Relaxed);
        stream::unfold((events, false), |(mut events, ended)| async move {
            if ended {
                return None;
            }
            let event = events.next().await?;
            let ends = is_too_large(&event);
            Some((event, (events, ends)))
        })
        .boxed()
    }

    /// One answer (once per HTTP request, and once per subscription event),
    /// replaced by the refusal when it went over the bound.
    pub(super) async fn execute(&self, answer: impl Future<Output = Response>) -> Response {
        self.used.store(0, Ordering::Relaxed);
        self.over.store(false, Ordering::Relaxed);
        let response = answer.await;
        let over = self.over.load(Ordering::Relaxed)
            || (self.streaming.load(Ordering::Relaxed) && !fits(&response, self.max));
        if over {
            tracing::info!(max = self.max, "answer over the response bound replaced");
            return too_large_response(self.max);
        }
        response
    }

    /// One field: refused once the answer is over the bound (but a
    /// mutation's root field), else resolved and counted.
    pub(super) async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if self.over.load(Ordering::Relaxed)
            && ctx.schema_env.registry.mutation_type.as_deref() != Some(info.parent_type)
        {
            return Err(too_large(self.max));
        }
        let key = info.alias.unwrap_or(info.name).len() + 3;
        let value = next.run(ctx, info).await?;
        let added = key + value.as_ref().map_or(4, own_bytes);
        let total = self.used.fetch_add(added, Ordering::Relaxed) + added;
        if total > self.max {
            self.over.store(true, Ordering::Relaxed);
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use async_graphql::{EmptySubscription, Object, Schema, SimpleObject};

    use super::*;

    #[derive(SimpleObject)]
    struct Version {
        number: i32,
        body: String,
    }

    /// 20 versions of 1,000 bytes: about 20 KB.
    fn twenty() -> Vec<Version> {
        (0..20)
            .map(|number| Version {
                number,
                body: "é".repeat(500),
            })
            .collect()
    }

    struct Query;

    #[Object]
    impl Query {
        async fn versions(&self, ctx: &async_graphql::Context<'_>) -> Vec<Version> {
            if let Ok(n) = ctx.data::<Arc<AtomicUsize>>() {
                n.fetch_add(1, Ordering::SeqCst);
            }
            twenty()
        }
        async fn small(&self) -> &str {
            "ok"
        }
    }

    struct Mutation;

    #[Object]
    impl Mutation {
        async fn touch(&self, ctx: &async_graphql::Context<'_>) -> Vec<Version> {
            if let Ok(n) = ctx.data::<Arc<AtomicUsize>>() {
                n.fetch_add(1, Ordering::SeqCst);
            }
            twenty()
        }
    }

    fn schema(max: usize) -> Schema<Query, Mutation, EmptySubscription> {
        Schema::build(Query, Mutation, EmptySubscription)
            .extension(crate::graphql::admission::Admission::bounded(max))
            .finish()
    }

    #[test]
    fn the_writer_stops_at_the_bound() {
        let value = serde_json::json!({ "a": "x".repeat(100) });
        let whole = serde_json::to_vec(&value).expect("json");
        assert_eq!(serialize_within(&value, whole.len()), Some(whole.clone()));
        assert_eq!(serialize_within(&value, whole.len() - 1), None);
        assert!(fits(&value, whole.len()));
        assert!(!fits(&value, whole.len() - 1));
    }

    #[test]
    fn a_string_is_counted_exactly_as_serde_json_writes_it() {
        for text in [
            "",
            "plain",
            "a\"b\\c",
            "tab\tnew\nline\r",
            "\u{1}\u{1f}\u{8}\u{c}",
            "é中/\u{7f}",
        ] {
            let json = serde_json::to_vec(&Value::String(text.to_owned())).expect("json");
            assert_eq!(json_string_len(text), json.len(), "{text:?}");
        }
    }

    #[test]
    fn what_a_value_adds_is_never_more_than_its_json() {
        let value = Value::from_json(serde_json::json!(
            ["a\"b", 12345, -1.5, true, null, [1, 2], { "x": "not counted here" }]
        ))
        .expect("value");
        let json = serde_json::to_vec(&value).expect("json").len();
        let own = own_bytes(&value);
        // 2 brackets, 5 + 5 + 4 + 4 + 4 + 5 (commas not counted), 2 braces.
        assert_eq!(own, 2 + 5 + 5 + 4 + 4 + 4 + 5 + 2);
        assert!(own <= json);
    }

    #[tokio::test]
    async fn an_answer_within_the_bound_is_untouched() {
        let response = schema(100_000)
            .execute("{ a: versions { number body } small }")
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let len = serde_json::to_vec(&response).expect("json").len();
        assert!(len > 20_000, "{len}");
    }

    #[tokio::test]
    async fn building_stops_soon_after_the_bound() {
        // Fifty aliases of 20 KB: a megabyte unbounded.
        let aliases: String = (0..50)
            .map(|i| format!("v{i}: versions {{ body }} "))
            .collect();
        let built = Arc::new(AtomicUsize::new(0));
        let request = async_graphql::Request::new(format!("{{ {aliases} }}")).data(built.clone());
        let response = schema(50_000).execute(request).await;
        assert!(is_too_large(&response), "{:?}", response.errors);
        // 20 KB each: the third passes the bound, the others never run.
        assert_eq!(built.load(Ordering::SeqCst), 3);
        assert_eq!(response.errors.len(), 1);
        assert_eq!(response.data, Value::Null);
        let message = &response.errors[0].message;
        assert!(message.contains("50000 bytes"), "{message}");
        assert!(message.contains("`first:`"), "{message}");
        let json = serde_json::to_value(&response).expect("json");
        assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(json["errors"][0]["extensions"]["field"], "query");
        assert_eq!(json["errors"][0]["extensions"]["maxResponseBytes"], 50_000);
    }

    #[tokio::test]
    async fn a_mutation_runs_even_when_its_answer_is_withheld() {
        let runs = Arc::new(AtomicUsize::new(0));
        let aliases: String = (0..5).map(|i| format!("m{i}: touch {{ body }} ")).collect();
        let request =
            async_graphql::Request::new(format!("mutation {{ {aliases} }}")).data(runs.clone());
        let response = schema(30_000).execute(request).await;
        assert!(is_too_large(&response), "{:?}", response.errors);
        assert_eq!(runs.load(Ordering::SeqCst), 5, "every root field ran");
    }
}
