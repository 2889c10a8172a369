//! Attack reports through the API: intake and its refusals, retries with a
//! submission key (also concurrent), per-country triage, prior reports and
//! case links under rules 3 and 5, filters and totals, the rate limit.
use serde_json::{Value, json};

use crate::builders::*;
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends! {
    async fn a_liaison_submits_and_recipients_triage(app: TestApp) {
        let liaison = app.liaison().await;
        let nl = app.user("COORDINATOR", "NL").await;
        let ca = app.diplomat("CA").await;
        let de = app.diplomat("DE").await;
        let r = submit(&liaison, &["NL", "CA"], json!({})).await;
        let report = &r.data()["submitAttackReport"];
        let id = str_of(&report["id"], "id");
        assert!(report["reference"].as_str().is_some_and(|s| s.starts_with("AR-PH-")), "{report}");
        assert_eq!(report["recipientCountries"], json!(["CA", "NL"]));
        assert_eq!(report["attackTypes"], json!(["THREAT", "SURVEILLANCE"]));
        assert_eq!(report["incidentAt"], "2026-11-20T13:40:00+00:00");
        assert!(report["organization"]["name"].is_string());
        assert!(report["myResponse"].is_null(), "the organization has no response of its own");
        for resp in report["responses"].as_array().expect("responses") {
            assert_eq!(resp["state"], "RECEIVED");
        }

        // Recipients read it; a non-recipient finds nothing, like a missing id.
        let seen = read_report(&nl, &id).await;
        assert_eq!(seen.data()["attackReport"]["description"], report["description"]);
        assert_eq!(seen.data()["attackReport"]["myResponse"]["state"], "RECEIVED");
        read_report(&de, &id).await.assert_code("NOT_FOUND");
        read_report(&app.operator().await, &id).await.assert_code("NOT_FOUND");
        read_report(&app.liaison().await, &id).await.assert_code("NOT_FOUND");

        // Triage on the actor's own country's response only.
        let own_case = str_of(&open_case(&nl, "Defender A", "Name").await["id"], "id");
        link(&nl, &id, &own_case).await.assert_code("BAD_USER_INPUT");
        let ack = acknowledge(&nl, &id, Some("We are looking into it.")).await;
        assert_eq!(ack.data()["acknowledgeAttackReport"]["myResponse"]["state"], "ACKNOWLEDGED");
        acknowledge(&nl, &id, None).await.assert_code("BAD_USER_INPUT");
        acknowledge(&liaison, &id, None).await.assert_code("FORBIDDEN");
        acknowledge(&de, &id, None).await.assert_code("NOT_FOUND");
        acknowledge(&app.admin("CA").await, &id, None).await.assert_code("FORBIDDEN");
        let closed = close(&nl, &id, "ESCALATED", Some("Raised with the Foreign Ministry.")).await;
        assert_eq!(closed.data()["closeAttackReport"]["myResponse"]["state"], "ESCALATED");
        close(&nl, &id, "NO_ACTION", None).await.assert_code("BAD_USER_INPUT");
        // CA's response is untouched.
        let ca_view = read_report(&ca, &id).await;
        assert_eq!(ca_view.data()["attackReport"]["myResponse"]["state"], "RECEIVED");

        // The organization reads every response and its note.
        let mine = read_report(&liaison, &id).await;
        let responses = mine.data()["attackReport"]["responses"].clone();
        assert_eq!(responses[0]["country"], "CA");
        assert_eq!(responses[0]["state"], "RECEIVED");
        assert_eq!(responses[1]["country"], "NL");
        assert_eq!(responses[1]["state"], "ESCALATED");
        assert_eq!(responses[1]["note"], "Raised with the Foreign Ministry.");

        // Notes are sealed at rest, like the description.
        assert_eq!(app.count_rows("attack_report_responses WHERE note LIKE '%Foreign Ministry%'").await, 0);
        assert_eq!(app.count_rows("attack_report_responses WHERE note IS NOT NULL").await, 1);

        // Every transition is audited.
        assert_eq!(app.count_rows("audit_events WHERE action LIKE 'ATTACK_REPORT_%'").await, 3);
    }

    async fn without_consent_nothing_is_stored(app: TestApp) {
        let liaison = app.liaison().await;
        app.mission("NL").await;
        let audit_before = app.count_rows("audit_events").await;
        submit(&liaison, &["NL"], json!({ "victimConsent": false, "submissionKey": "k-1" }))
            .await
            .assert_code("CONSENT_REQUIRED");
        assert_eq!(app.count_rows("attack_reports").await, 0);
        assert_eq!(app.count_rows("attack_report_responses").await, 0);
        assert_eq!(app.count_rows("outbox").await, 0);
        assert_eq!(app.count_rows("audit_events").await, audit_before);
    }

    async fn every_wrong_input_is_refused_naming_its_field(app: TestApp) {
        let liaison = app.liaison().await;
        app.mission("NL").await;
        let cases: Vec<(Value, Vec<&str>, &str)> = vec![
            (json!({ "hostCountry": "XX" }), vec!["NL"], "hostCountry"),
            (json!({ "incidentDate": "20/11/2026" }), vec!["NL"], "incidentDate"),
            (json!({ "incidentDate": "2099-01-01", "incidentTime": null }), vec!["NL"], "incidentDate"),
            (json!({ "timezone": null }), vec!["NL"], "timezone"),
            (json!({ "timezone": "Mars/Olympus" }), vec!["NL"], "timezone"),
            (json!({ "incidentTime": "9pm" }), vec!["NL"], "incidentTime"),
            // The clocks skip 02:30 in Berlin on 29 March 2026.
            (json!({ "incidentDate": "2026-03-29", "incidentTime": "02:30", "timezone": "Europe/Berlin" }), vec!["NL"], "incidentTime"),
            (json!({ "attackTypes": [] }), vec!["NL"], "attackTypes"),
            (json!({ "perpetratorTypes": [] }), vec!["NL"], "perpetratorTypes"),
            (json!({ "description": "   " }), vec!["NL"], "description"),
            (json!({ "description": "x".repeat(10_001) }), vec!["NL"], "description"),
            (json!({ "region": "9.3068, 123.3054" }), vec!["NL"], "region"),
            (json!({ "region": "r".repeat(121) }), vec!["NL"], "region"),
            (json!({ "submissionKey": "k".repeat(101) }), vec!["NL"], "submissionKey"),
            (json!({}), vec![], "recipientCountries"),
            (json!({}), vec!["ZZ"], "recipientCountries[0]"),
            // A real country without a mission on the platform.
            (json!({}), vec!["NL", "JP"], "recipientCountries"),
            (json!({ "priorReportIds": ["bm9wZQ"] }), vec!["NL"], "priorReportIds[0]"),
            // Issue 21: text that reads other than it is, a date that is a typo,
            // an id in another spelling than the one the API gives.
            (json!({ "description": "Threat received \u{202E}txt.exe" }), vec!["NL"], "description"),
            (json!({ "description": "Threat\u{200B}ened" }), vec!["NL"], "description"),
            (json!({ "region": "Davao\u{202E} del Sur" }), vec!["NL"], "region"),
            (json!({ "incidentDate": "0001-01-01", "incidentTime": null }), vec!["NL"], "incidentDate"),
            (json!({ "priorReportIds": [uppercase_report_id()] }), vec!["NL"], "priorReportIds[0]"),
        ];
        for (extra, recipients, field) in cases {
            let r = submit(&liaison, &recipients, extra.clone()).await;
            r.assert_code("BAD_USER_INPUT");
            assert_eq!(r.field(), field, "{extra}: {}", r.body);
        }
        let r = submit(&liaison, &["NL"], json!({ "priorReportIds": [uppercase_report_id()] })).await;
        assert!(r.message().ends_with("is not an attack report id"), "{}", r.body);
        assert_eq!(app.count_rows("attack_reports").await, 0);
        // Admins and the operator do not submit.
        submit(&app.admin("NL").await, &["NL"], json!({})).await.assert_code("FORBIDDEN");
        submit(&app.operator().await, &["NL"], json!({})).await.assert_code("FORBIDDEN");
    }

    async fn a_retried_submission_returns_the_same_report(app: TestApp) {
        let liaison = app.liaison().await;
        app.mission("NL").await;
        let key = json!({ "submissionKey": "3f1c-retry" });
        let first = submitted(&liaison, &["NL"], key.clone()).await;
        let again = submitted(&liaison, &["NL"], key.clone()).await;
        assert_eq!(first, again);
        assert_eq!(app.count_rows("attack_reports").await, 1);
        // The same key for different content is a conflict, not the old report.
        submit(&liaison, &["NL"], json!({ "submissionKey": "3f1c-retry", "description": "Another incident." }))
            .await
            .assert_code("CONFLICT");
        // Another user's identical key is theirs alone.
        let other = app.liaison().await;
        let theirs = submitted(&other, &["NL"], key).await;
        assert_ne!(theirs, first);
        assert_eq!(app.count_rows("attack_reports").await, 2);
    }

    async fn concurrent_retries_store_one_report(app: TestApp) {
        let liaison = app.liaison().await;
        app.mission("NL").await;
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let l = liaison.clone();
                tokio::spawn(async move {
                    submit(&l, &["NL"], json!({ "submissionKey": "flaky-network-1" })).await
                })
            })
            .collect();
        let mut ids = std::collections::BTreeSet::new();
        for t in tasks {
            let r = t.await.expect("task");
            ids.insert(str_of(&r.data()["submitAttackReport"]["id"], "id"));
        }
        assert_eq!(ids.len(), 1, "one report for one key: {ids:?}");
        assert_eq!(app.count_rows("attack_reports").await, 1);
        assert_eq!(app.count_rows("attack_report_responses").await, 1);
        assert_eq!(app.count_rows("report_access").await, 2);
    }

    async fn submissions_are_rate_limited_per_user(app: TestApp) {
        let liaison = app.liaison().await;
        app.mission("NL").await;
        let limit = app.state().config.report_submissions_per_hour;
        for i in 0..limit {
            submitted(&liaison, &["NL"], json!({ "submissionKey": format!("k{i}") })).await;
        }
        let refused = submit(&liaison, &["NL"], json!({ "submissionKey": "one-too-many" })).await;
        refused.assert_code("RATE_LIMITED");
        let wait = refused.body["errors"][0]["extensions"]["retryAfterSeconds"].as_i64().expect("retry");
        assert!((1..=3600).contains(&wait), "{wait}");
        // A retry of an accepted submission is not a new one.
        submitted(&liaison, &["NL"], json!({ "submissionKey": "k0" })).await;
        // Another liaison is not held back; time frees the first.
        submitted(&app.liaison().await, &["NL"], json!({})).await;
        app.advance_clock(chrono::Duration::seconds(wait + 1));
        submitted(&liaison, &["NL"], json!({ "submissionKey": "later" })).await;
    }

    async fn concurrent_submissions_cannot_slip_past_the_limit(app: TestApp) {
        let liaison = app.liaison().await;
        app.mission("NL").await;
        let limit = app.state().config.report_submissions_per_hour as usize;
        let tasks: Vec<_> = (0..limit + 8)
            .map(|i| {
                let l = liaison.clone();
                tokio::spawn(async move {
                    submit(&l, &["NL"], json!({ "submissionKey": format!("burst-{i}") })).await
                })
            })
            .collect();
        let mut stored = 0;
        let mut limited = 0;
        for t in tasks {
            let r = t.await.expect("task");
            if r.body.get("errors").is_some() {
                r.assert_code("RATE_LIMITED");
                limited += 1;
            } else {
                stored += 1;
            }
        }
        assert_eq!((stored, limited), (limit, 8));
        assert_eq!(app.count_rows("attack_reports").await, limit as i64);
    }

    async fn a_diplomat_submits_on_behalf_of_a_source(app: TestApp) {
        let ca = app.diplomat("CA").await;
        app.mission("NL").await;
        let r = submit(&ca, &["NL"], json!({})).await;
        let report = &r.data()["submitAttackReport"];
        assert!(report["organization"].is_null());
        assert_eq!(report["recipientCountries"], json!(["CA", "NL"]), "their own country receives it too");
        assert_eq!(report["myResponse"]["state"], "RECEIVED");
    }

    async fn links_and_priors_show_only_as_far_as_the_viewer_sees(app: TestApp) {
        let org = app.organization().await;
        let liaison = app.liaison_of(&org).await;
        let colleague = app.liaison_of(&org).await;
        let nl = app.user("COORDINATOR", "NL").await;
        let ca = app.diplomat("CA").await;
        let de = app.diplomat("DE").await;

        // An earlier report to NL only, then a follow-up naming it, to NL and CA.
        let first = submitted(&liaison, &["NL"], json!({ "incidentDate": "2026-10-01", "incidentTime": null })).await;
        let second = submitted(&colleague, &["NL", "CA"], json!({ "priorReportIds": [first] })).await;
        // A report the submitter cannot see cannot be named.
        let foreign = submitted(&app.liaison().await, &["NL"], json!({})).await;
        submit(&liaison, &["NL"], json!({ "priorReportIds": [foreign] })).await.assert_code("NOT_FOUND");

        let as_nl = read_report(&nl, &second).await;
        assert_eq!(as_nl.data()["attackReport"]["priorReports"], json!([{ "id": first }]));
        let as_ca = read_report(&ca, &second).await;
        assert_eq!(as_ca.data()["attackReport"]["priorReports"], json!([]), "CA never received the first");
        let as_org = read_report(&liaison, &second).await;
        assert_eq!(as_org.data()["attackReport"]["priorReports"], json!([{ "id": first }]));

        // NL links both to its case, shared with CA at SUMMARY only.
        let case = open_case(&nl, "Defender A", "Legal Name").await;
        let case_id = str_of(&case["id"], "id");
        consent(&nl, &case_id, true).await.data();
        share(&nl, &case_id, "CA", "SUMMARY").await.data();
        for id in [&first, &second] {
            acknowledge(&nl, id, None).await.data();
            let linked = link(&nl, id, &case_id).await;
            assert_eq!(linked.data()["linkAttackReport"]["cases"], json!([{ "id": case_id }]));
        }
        // CA sees the case (summary) and the second report: the link shows.
        let as_ca = read_report(&ca, &second).await;
        assert_eq!(as_ca.data()["attackReport"]["cases"], json!([{ "id": case_id }]));
        // The organization sees no case at all.
        let as_org = read_report(&liaison, &second).await;
        assert_eq!(as_org.data()["attackReport"]["cases"], json!([]));
        assert_eq!(as_org.data()["attackReport"]["responses"][1]["state"], "LINKED");

        // The case lists its linked reports in incident order, as visible.
        let q = "query($id: ID!) { case(id: $id) { attackReports { id } } }";
        let on_case = nl.q(q, json!({ "id": case_id })).await;
        assert_eq!(on_case.data()["case"]["attackReports"], json!([{ "id": first }, { "id": second }]));
        let on_case = ca.q(q, json!({ "id": case_id })).await;
        assert_eq!(on_case.data()["case"]["attackReports"], json!([{ "id": second }]));
        nl.q(q, json!({ "id": case_id })).await.data();
        de.q(q, json!({ "id": case_id })).await.assert_code("NOT_FOUND");

        // CA cannot link to a case it sees only at SUMMARY, nor to one it cannot see.
        acknowledge(&ca, &second, None).await.data();
        link(&ca, &second, &case_id).await.assert_code("FORBIDDEN");
        let hidden = open_case(&app.user("COORDINATOR", "DE").await, "Defender B", "Other").await;
        link(&ca, &second, &str_of(&hidden["id"], "id")).await.assert_code("NOT_FOUND");

        // Withdrawn consent to share takes the link away from CA at once.
        consent(&nl, &case_id, false).await.data();
        let as_ca = read_report(&ca, &second).await;
        assert_eq!(as_ca.data()["attackReport"]["cases"], json!([]));
    }

    async fn lists_filters_and_totals_count_only_what_the_viewer_sees(app: TestApp) {
        let org = app.organization().await;
        let liaison = app.liaison_of(&org).await;
        let nl = app.user("COORDINATOR", "NL").await;
        let ca = app.diplomat("CA").await;
        let a = submitted(&liaison, &["NL"], json!({ "attackTypes": ["RAID"], "incidentDate": "2026-09-01", "incidentTime": null })).await;
        let b = submitted(&liaison, &["NL", "CA"], json!({ "hostCountry": "CO" })).await;
        let c = submitted(&app.liaison().await, &["CA"], json!({})).await;

        let (ids, total) = list_reports(&nl, json!(null)).await;
        assert_eq!((ids.clone(), total), (vec![b.clone(), a.clone()], 2), "newest first");
        let (ids, total) = list_reports(&ca, json!(null)).await;
        assert_eq!((ids, total), (vec![c.clone(), b.clone()], 2));
        let (ids, total) = list_reports(&liaison, json!(null)).await;
        assert_eq!((ids, total), (vec![b.clone(), a.clone()], 2));
        for nobody in [app.operator().await, app.diplomat("DE").await] {
            assert_eq!(list_reports(&nobody, json!(null)).await, (vec![], 0));
        }

        assert_eq!(list_reports(&nl, json!({ "attackType": "RAID" })).await, (vec![a.clone()], 1));
        assert_eq!(list_reports(&ca, json!({ "attackType": "RAID" })).await, (vec![], 0));
        assert_eq!(list_reports(&nl, json!({ "hostCountry": "CO" })).await, (vec![b.clone()], 1));
        assert_eq!(list_reports(&nl, json!({ "from": "2026-10-01" })).await, (vec![b.clone()], 1));
        assert_eq!(list_reports(&nl, json!({ "to": "2026-10-01" })).await, (vec![a.clone()], 1));
        let r = nl.q("query { attackReports(filter: { from: \"2026-10-02\", to: \"2026-10-01\" }) { totalCount } }", json!({})).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "filter.to".into()));
        let r = nl.q("query { attackReports(filter: { from: \"1 Oct\" }) { totalCount } }", json!({})).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "filter.from".into()));
        let r = nl.q("query { attackReports(filter: { hostCountry: \"XX\" }) { totalCount } }", json!({})).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "filter.hostCountry".into()));

        // State: a country filters by its own response; the organization by any.
        acknowledge(&nl, &b, None).await.data();
        assert_eq!(list_reports(&nl, json!({ "state": "ACKNOWLEDGED" })).await, (vec![b.clone()], 1));
        assert_eq!(list_reports(&ca, json!({ "state": "ACKNOWLEDGED" })).await, (vec![], 0));
        assert_eq!(list_reports(&ca, json!({ "state": "RECEIVED" })).await.1, 2);
        assert_eq!(list_reports(&liaison, json!({ "state": "ACKNOWLEDGED" })).await, (vec![b.clone()], 1));

        // Pages follow each other without gaps or repeats.
        let page = |after: Option<String>| {
            let nl = nl.clone();
            async move {
                let r = nl
                    .q("query($a: String) { attackReports(first: 1, after: $a) { pageInfo { hasNextPage endCursor } edges { node { id } } } }", json!({ "a": after }))
                    .await;
                r.data()["attackReports"].clone()
            }
        };
        let p1 = page(None).await;
        assert_eq!(p1["edges"][0]["node"]["id"], json!(b));
        assert_eq!(p1["pageInfo"]["hasNextPage"], true);
        let p2 = page(p1["pageInfo"]["endCursor"].as_str().map(str::to_owned)).await;
        assert_eq!(p2["edges"][0]["node"]["id"], json!(a));
        assert_eq!(p2["pageInfo"]["hasNextPage"], false);

        // node(id:) follows the same scope.
        let node = "query($id: ID!) { node(id: $id) { id ... on AttackReport { reference } } }";
        ca.q(node, json!({ "id": a })).await.assert_code("NOT_FOUND");
        nl.q(node, json!({ "id": a })).await.data();
    }
}

/// A well-formed attack-report id in a spelling the API never gives: the
/// uuid in upper case (`Uuid::parse_str` would take it).
fn uppercase_report_id() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "AttackReport:{}",
        uuid::Uuid::new_v4().to_string().to_uppercase()
    ))
}
