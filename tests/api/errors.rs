//! Errors never leak and always carry a code; the transport refuses what it
//! should (CSRF routes, batches, oversized or over-deep queries).
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

on_both_backends! {
    async fn query_errors_are_coded_and_suggest_nothing(app: TestApp) {
        let dip = app.diplomat("CA").await;
        let syntax = dip.q("{ me { user { id ", json!({})).await;
        syntax.assert_code("BAD_USER_INPUT");
        let unknown = dip.q("{ me { user { emial } } }", json!({})).await;
        unknown.assert_code("BAD_USER_INPUT");
        assert!(!unknown.message().contains("Did you mean"), "{}", unknown.message());
        // Depth limit: a deeply nested selection is refused before it runs.
        let mut deep = String::from("id");
        for _ in 0..8 {
            deep = format!("mission {{ users {{ edges {{ node {{ {deep} }} }} }} }}");
        }
        let r = dip.q(&format!("{{ me {{ user {{ {deep} }} }} }}"), json!({})).await;
        r.assert_code("BAD_USER_INPUT");
    }

    async fn invisible_and_missing_objects_are_the_same_not_found(app: TestApp) {
        let nl_admin = app.admin("NL").await;
        let r = nl_admin.q("mutation { createCoalition(input: { name: \"NL only\", hostCountry: \"PH\", members: [] }) { id } }", json!({})).await;
        let hidden = r.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        // Same kind, random uuid: does not exist.
        let missing = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD,
            format!("Coalition:{}", uuid::Uuid::now_v7()));
        let ca = app.diplomat("CA").await;
        let q = "query($id: ID!) { node(id: $id) { id } }";
        let a = ca.q(q, json!({ "id": hidden })).await;
        let b = ca.q(q, json!({ "id": missing })).await;
        a.assert_code("NOT_FOUND");
        assert_eq!(a.body, b.body, "byte for byte");
        let c = ca.q(q, json!({ "id": "garbage" })).await;
        assert_eq!(a.body, c.body);
        let m = "mutation($id: ID!) { addCoalitionMember(coalitionId: $id, country: \"CA\") { id } }";
        let a = app.admin("CA").await.q(m, json!({ "id": hidden })).await;
        let b = app.admin("CA").await.q(m, json!({ "id": missing })).await;
        a.assert_code("NOT_FOUND");
        assert_eq!(a.body, b.body);
    }

    async fn transport_refuses_csrf_shapes_and_batches(app: TestApp) {
        let dip = app.diplomat("CA").await;
        let http = app.http();
        // text/plain (a "simple" cross-site request) is refused.
        let r = http.post(app.url("/graphql")).bearer_auth(&dip.token)
            .header("content-type", "text/plain")
            .body(r#"{"query":"{ me { user { id } } }"}"#).send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 415);
        let body: serde_json::Value = r.json().await.expect("json");
        assert_error_codes(&body);
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        // GET never executes an operation: in development it serves GraphiQL.
        let r = http.get(app.url("/graphql?query=mutation%20%7B%20logout%20%7D")).bearer_auth(&dip.token)
            .send().await.expect("sent");
        let page = r.text().await.expect("text");
        assert!(page.contains("graphiql"));
        // Everything the page loads comes from this server, none from a CDN.
        assert!(!page.contains("https://"), "{page}");
        for (file, kind) in [("graphiql.min.js", "text/javascript"), ("graphiql.min.css", "text/css"),
            ("react.production.min.js", "text/javascript"), ("react-dom.production.min.js", "text/javascript")] {
            assert!(page.contains(&format!("/graphql/assets/{file}")), "{file}");
            let r = http.get(app.url(&format!("/graphql/assets/{file}"))).send().await.expect("sent");
            assert_eq!(r.status().as_u16(), 200, "{file}");
            let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            assert!(ct.starts_with(kind), "{file}: {ct}");
            assert!(r.bytes().await.expect("bytes").len() > 1000, "{file}");
        }
        let r = http.get(app.url("/graphql/assets/nope.js")).send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 404);
        dip.q("{ me { user { id } } }", json!({})).await.data();
        // Batches are refused.
        let r = http.post(app.url("/graphql")).bearer_auth(&dip.token)
            .json(&json!([{ "query": "{ me { user { id } } }" }, { "query": "{ me { user { id } } }" }]))
            .send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 400);
        let body: serde_json::Value = r.json().await.expect("json");
        assert_error_codes(&body);
        // Oversized bodies are refused before parsing.
        let huge = "x".repeat(300 * 1024);
        let r = http.post(app.url("/graphql")).bearer_auth(&dip.token)
            .json(&json!({ "query": "{ me { user { id } } }", "variables": { "pad": huge } }))
            .send().await.expect("sent");
        assert_eq!(r.status().as_u16(), 413);
        // Every response carries a request id for the logs.
        let r = http.get(app.url("/healthz")).send().await.expect("sent");
        assert!(r.headers().get("x-request-id").is_some());
    }
}
