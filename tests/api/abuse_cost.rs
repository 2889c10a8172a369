//! Abuse limits on what one query may ask for (issue 11, items 1 and 3):
//! connections cost what they can return, so a cyclic query
//! (`missions → users → mission → users → …`) and aliased copies of a large
//! page are refused before any resolver runs; the depth limit leaves
//! introspection alone in development, where GraphiQL needs it, and
//! production keeps introspection off.
use accord_server::config::Mode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

/// The issue's cyclic query, with every page `first: $first` (adapted to the
/// schema's `edges { node }`, which makes it 15 fields deep).
const CYCLE: &str = "query($first: Int) { missions(first: $first) { edges { node {
    users(first: $first) { edges { node { mission {
      users(first: $first) { edges { node { mission {
        users(first: $first) { edges { node { id } } } } } } }
    } } } } } } } }";

/// The same cycle one turn shorter, within the depth limit (11 deep): only
/// its cost stands between it and the database.
const SHORT_CYCLE: &str = "query($first: Int) { missions(first: $first) { edges { node {
    users(first: $first) { edges { node { mission {
      users(first: $first) { edges { node { id } } } } } } } } } } }";

/// The short cycle with no `first` at all (every page the default size).
const SHORT_CYCLE_DEFAULT_PAGES: &str =
    "{ missions { edges { node { users { edges { node { mission {
    users { edges { node { id } } } } } } } } } } }";

/// A legitimate large page.
const PAGE: &str = "missions(first: 100) { totalCount edges { node { id name country } } }";

/// graphql-js 16's `getIntrospectionQuery()` with its default options: what
/// GraphiQL sends to load the schema (15 fields deep).
const INTROSPECTION: &str = r#"
    query IntrospectionQuery {
      __schema {
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types {
          ...FullType
        }
        directives {
          name
          description
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                    ofType {
                      kind
                      name
                      ofType {
                        kind
                        name
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
"#;

/// Refused with `BAD_USER_INPUT` "too complex" (the message goes on with
/// the cost and the limit), at a cost of at most the one statement that
/// resolves the viewer.
#[track_caller]
fn assert_too_complex(r: &Raw, statements: usize, what: &str) {
    assert_refused(r, statements, "Query is too complex:", what);
}

/// Refused with `BAD_USER_INPUT` and a message starting with `message`,
/// having run at most the one statement that resolves the viewer.
#[track_caller]
fn assert_refused(r: &Raw, statements: usize, message: &str, what: &str) {
    assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{what}: {}", r.text);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(message)),
        "{what}: {}",
        r.text
    );
    assert!(r.body["data"].is_null(), "{what}: {}", r.text);
    assert!(statements <= 1, "{what}: {statements} statements ran");
}

/// Missions with `users` users each (the operator sees them all).
async fn world(app: &TestApp, users: usize) -> Actor {
    let op = app.operator().await;
    for c in ["NL", "DE", "SE"] {
        app.mission(c).await;
        for _ in 0..users {
            app.diplomat(c).await;
        }
    }
    op
}

on_both_backends! {
    // SECURITY.md, "query cost": the issue's cycle is refused before it
    // touches the database, with any first from 1 to 100 (it is 15 deep).
    async fn the_issues_cyclic_query_is_refused_before_the_database(app: TestApp) {
        let op = world(&app, 2).await;
        for first in 1..=100 {
            let before = app.statements();
            let r = raw(&op, CYCLE, json!({ "first": first })).await;
            assert_refused(&r, app.statements() - before, "Query is nested too deep:", &format!("first: {first}"));
        }
    }

    // SECURITY.md, "query cost": a cycle through connections within the
    // depth limit costs what it can return (1 + 3n + 4n² + 3n³ for pages of
    // n) and is refused by cost before it touches the database.
    async fn a_cycle_within_the_depth_limit_is_refused_by_cost(app: TestApp) {
        let op = world(&app, 2).await;
        for first in [9, 10, 25, 50, 100] {
            let before = app.statements();
            let r = raw(&op, SHORT_CYCLE, json!({ "first": first })).await;
            assert_too_complex(&r, app.statements() - before, &format!("first: {first}"));
        }
        let before = app.statements();
        let r = raw(&op, SHORT_CYCLE_DEFAULT_PAGES, json!({})).await;
        assert_too_complex(&r, app.statements() - before, "default pages");
        // Pages of 8 cost 1,817 and return at most 8³ ids: answered.
        let r = op.q(SHORT_CYCLE, json!({ "first": 8 })).await;
        let users = &r.data()["missions"]["edges"][0]["node"]["users"]["edges"];
        assert!(users.as_array().is_some_and(|a| !a.is_empty()), "{}", r.body);
    }

    // SECURITY.md, "query cost": a legitimate page is answered, sixteen
    // aliased copies of it are refused by cost (not by a timeout).
    async fn aliased_copies_of_a_large_page_are_refused(app: TestApp) {
        let op = world(&app, 0).await;
        let one = op.q(&format!("{{ {PAGE} }}"), json!({})).await;
        assert_eq!(one.data()["missions"]["totalCount"], 3);
        // The README's queries (at their default pages) are within the cost.
        for q in [
            "{ me { user { email role } country } missions(first: 10) { totalCount edges { node { name country } } } }",
            "{ cases { totalCount edges { node { reference visibility pseudonym categories riskLevel status ownerCountry
                identity { legalName } consent { shareWithPartners } } } } }",
            "{ attackReports { totalCount edges { node { reference submittedAt responses { country state note updatedAt }
                priorReports { id } } } } }",
        ] {
            let r = raw(&op, q, json!({})).await;
            assert!(!r.text.contains("too complex"), "{q}: {}", r.text);
        }
        let copies: String = (0..16).map(|i| format!("p{i}: {PAGE} ")).collect();
        let before = app.statements();
        let r = raw(&op, &format!("{{ {copies} }}"), json!({})).await;
        assert_too_complex(&r, app.statements() - before, "16 aliased pages");
        // Nested lists without `first` count as LIST_ROWS rows each, and a
        // nested connection with no `first` as a default page.
        let before = app.statements();
        let r = raw(&op, "{ missions { edges { node { users { edges { node { email } } } } } } }", json!({})).await;
        assert_too_complex(&r, app.statements() - before, "default pages nested");
    }

    // SECURITY.md, "query cost": the depth limit does not refuse the
    // standard introspection query in development (GraphiQL loads the
    // schema) but still refuses a deep query.
    async fn development_introspection_passes_the_depth_limit(app: TestApp) {
        let nl = app.diplomat("NL").await;
        let r = app.anon(INTROSPECTION, json!({})).await;
        let types = r.data()["__schema"]["types"].as_array().cloned().unwrap_or_default();
        assert!(types.iter().any(|t| t["name"] == "Query"), "{}", r.body);
        assert_eq!(r.data()["__schema"]["queryType"]["name"], "Query");
        // 13 fields deep, outside introspection: refused before the database.
        let deep = "{ me { user { mission { users(first: 1) { edges { node { mission {
            users(first: 1) { edges { node { mission { users(first: 1) { totalCount } } } } } } } } } } } } }";
        let before = app.statements();
        let r = raw(&nl, deep, json!({})).await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{}", r.text);
        assert!(r.text.contains("nested too deep"), "{}", r.text);
        assert!(app.statements() - before <= 1);
        // Twelve deep is fine.
        let twelve = "{ me { user { mission { users(first: 1) { edges { node { mission {
            users(first: 1) { edges { node { mission { id } } } } } } } } } } } }";
        nl.q(twelve, json!({})).await.data();
    }
}

/// Production keeps introspection off, whatever the depth.
mod production_refuses_introspection {
    use super::*;

    async fn scenario(backend: Backend) {
        let Some(app) = TestApp::spawn_with(backend, |c| {
            c.mode = Mode::Production;
            c.demo = None;
            c.identity_keys = Some("k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
            c.argon2_memory_kib = 19 * 1024;
            c.argon2_iterations = 2;
        })
        .await
        else {
            return;
        };
        // SECURITY.md, "query cost": no schema for strangers in production.
        for q in [
            INTROSPECTION,
            "{ __schema { types { name } } }",
            "{ __type(name: \"Query\") { name } }",
        ] {
            let r = app.anon(q, json!({})).await;
            let body: &Value = &r.body;
            assert!(
                body["data"].is_null()
                    || body["data"]["__schema"].is_null() && body["data"]["__type"].is_null(),
                "{body}"
            );
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        scenario(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        scenario(Backend::Postgres).await;
    }
}
