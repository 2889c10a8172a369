//! The safety net behind `AppError`: whatever error escapes without a known
//! code becomes `INTERNAL` (its text logged, not sent), query errors from
//! parsing and validation become `BAD_USER_INPUT`, and a panicking resolver
//! becomes `INTERNAL` instead of tearing down the request. Applied by the
//! schema's one extension (`admission.rs`) to every answer, every event and
//! around every field.
use async_graphql::{ErrorExtensions, Pos, ServerError, Value};

use crate::error::{AppError, ERROR_CODES, InternalCause};

/// The error of a resolver that panicked (logged with the field's name,
/// never sent).
pub(super) fn panicked(field: &str, pos: Pos) -> ServerError {
    tracing::error!(field = %field, "resolver panicked");
    AppError::internal("resolver panicked")
        .extend()
        .into_server_error(pos)
}

/// Gives an error without a known code one: `BAD_USER_INPUT` for a query
/// error, else `INTERNAL` with its text logged, not sent.
pub(super) fn sanitize(err: &mut ServerError) {
    if let Some(cause) = err.source::<InternalCause>() {
        tracing::error!(cause = %cause, path = ?err.path, "internal error");
        err.source = None;
    }
    let known = err
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .is_some_and(|code| matches!(code, Value::String(c) if ERROR_CODES.contains(&c.as_str())));
    if known {
        return;
    }
    let about_the_query = err.path.is_empty()
        || err.message.starts_with("Failed to parse")
        || err.message.starts_with("Invalid value");
    if about_the_query {
        err.extensions
            .get_or_insert_with(Default::default)
            .set("code", "BAD_USER_INPUT");
    } else {
        tracing::error!(error = %err.message, path = ?err.path, "uncoded error hidden from client");
        let hidden = AppError::internal("uncoded error");
        err.message = hidden.to_string();
        let mut ext = async_graphql::ErrorExtensionValues::default();
        ext.set("code", hidden.code());
        err.extensions = Some(ext);
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Response, Schema};

    use super::*;

    struct Query;

    #[allow(unreachable_code, clippy::diverging_sub_expression)]
    #[Object]
    impl Query {
        async fn boom(&self) -> i32 {
            panic!("resolver bug with secret detail")
        }
        async fn leaky(&self) -> async_graphql::Result<i32> {
            Err("SELECT * FROM users WHERE email = 'x' failed at /srv/db.rs:12".into())
        }
        async fn fine(&self) -> i32 {
            7
        }
    }

    fn schema() -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .extension(crate::graphql::admission::Admission::bounded(usize::MAX))
            .finish()
    }

    fn codes(res: &Response) -> Vec<(String, String)> {
        res.errors
            .iter()
            .map(|e| {
                let code = match e.extensions.as_ref().and_then(|x| x.get("code")) {
                    Some(Value::String(c)) => c.clone(),
                    _ => "<none>".into(),
                };
                (code, e.message.clone())
            })
            .collect()
    }

    #[tokio::test]
    async fn a_panicking_resolver_becomes_internal_and_the_rest_still_answers() {
        let res = schema().execute("{ boom fine }").await;
        assert_eq!(
            codes(&res),
            vec![("INTERNAL".into(), "internal error".into())]
        );
        let data = res.data.into_json().expect("json");
        assert_eq!(data["fine"], 7);
    }

    #[tokio::test]
    async fn an_uncoded_error_is_hidden_as_internal() {
        let res = schema().execute("{ leaky }").await;
        assert_eq!(
            codes(&res),
            vec![("INTERNAL".into(), "internal error".into())]
        );
    }

    #[tokio::test]
    async fn query_mistakes_are_bad_user_input() {
        for q in ["{ fine", "{ nope }", "{ fine(x: 1) }"] {
            let res = schema().execute(q).await;
            assert!(!res.errors.is_empty(), "{q}");
            assert!(
                codes(&res).iter().all(|(c, _)| c == "BAD_USER_INPUT"),
                "{q}: {:?}",
                codes(&res)
            );
        }
    }
}
