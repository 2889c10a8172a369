//! Every write appends to the hash chain; tampering is found and named.
use accord_server::audit::{self, Verification};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

on_both_backends! {
    async fn writes_and_logins_are_audited_and_tampering_is_detected(app: TestApp) {
        let before = app.count_rows("audit_events").await;
        let admin = app.admin("CA").await; // mission + admin + logins
        app.login_raw("admin.ca@test.example", "wrong password!!").await.assert_code("UNAUTHENTICATED");
        admin.q("mutation { createCoalition(input: { name: \"G\", hostCountry: \"PH\", members: [\"NL\"] }) { id } }", json!({})).await.data();
        let after = app.count_rows("audit_events").await;
        assert!(after >= before + 5, "{before} -> {after}");
        let actions: Vec<String> = {
            let rows = app.db().query_all_raw(sea_orm::Statement::from_string(
                app.db().get_database_backend(), "SELECT action FROM audit_events ORDER BY seq".to_owned())).await.expect("rows");
            rows.iter().map(|r| r.try_get::<String>("", "action").expect("action")).collect()
        };
        for expected in ["OPERATOR_BOOTSTRAPPED", "MISSION_CREATED", "USER_CREATED", "LOGIN_SUCCEEDED", "LOGIN_FAILED", "COALITION_CREATED"] {
            assert!(actions.iter().any(|a| a == expected), "{expected} missing from {actions:?}");
        }
        assert_eq!(audit::verify(app.db()).await.expect("verify"), Verification::Intact { events: after as u64 });

        // Edit one event underneath the API: the chain names it.
        app.db().execute_unprepared("UPDATE audit_events SET detail = 'role=ADMIN' WHERE seq = 3").await.expect("tamper");
        match audit::verify(app.db()).await.expect("verify") {
            Verification::Broken { seq, .. } => assert_eq!(seq, 3),
            other => panic!("tampering not detected: {other:?}"),
        }
    }

    async fn concurrent_writes_keep_one_unbroken_chain(app: TestApp) {
        let op = app.operator().await;
        let mut tasks = Vec::new();
        for i in 0..20 {
            let op = op.clone();
            tasks.push(tokio::spawn(async move {
                op.q("mutation($n: String!) { createOrganization(input: { name: $n, hostCountry: \"PH\" }) { id } }",
                     json!({ "n": format!("Org {i}") })).await
            }));
        }
        for t in tasks {
            t.await.expect("task").data();
        }
        let events = app.count_rows("audit_events").await;
        assert_eq!(audit::verify(app.db()).await.expect("verify"), Verification::Intact { events: events as u64 });
    }
}

on_both_backends! {
    async fn admins_read_their_own_countrys_trail_only(app: TestApp) {
        let ca = app.admin("CA").await;
        let nl = app.admin("NL").await;
        app.diplomat("CA").await;
        let q = "query($a: String) { auditEvents(filter: { action: $a }, first: 100) { totalCount edges { node { seq action objectCountry actorCountry hash prevHash } } } }";
        let mine = ca.q(q, json!({ "a": null })).await;
        let events = mine.data()["auditEvents"]["edges"].as_array().expect("edges").clone();
        assert!(!events.is_empty());
        for e in &events {
            let n = &e["node"];
            assert!(n["objectCountry"] == "CA" || n["actorCountry"] == "CA", "foreign event: {n}");
        }
        let seqs: Vec<i64> = events.iter().map(|e| e["node"]["seq"].as_i64().expect("seq")).collect();
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
        let created = ca.q(q, json!({ "a": "USER_CREATED" })).await;
        assert!(created.data()["auditEvents"]["totalCount"].as_i64().expect("n") >= 2);
        // NL's admin sees none of CA's user creations.
        let theirs = nl.q(q, json!({ "a": "USER_CREATED" })).await;
        for e in theirs.data()["auditEvents"]["edges"].as_array().expect("edges") {
            assert_ne!(e["node"]["objectCountry"], "CA");
        }
        for outsider in [app.diplomat("CA").await, app.operator().await, app.liaison().await] {
            outsider.q(q, json!({ "a": null })).await.assert_code("FORBIDDEN");
        }
    }
}
