//! What a request costs in SQL statements (issue "Performance at scale"): the
//! viewer is resolved in one statement, and every connection costs the same
//! number of statements for a page of 2 as for a page of 12 — a page's nested
//! fields are loaded for the whole page at once.
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

/// Statements one request costs, and its `data`.
async fn cost(app: &TestApp, who: &Actor, query: &str, first: i64) -> (usize, Value) {
    let before = app.statements();
    let r = who.q(query, json!({ "first": first })).await;
    let data = r.data().clone();
    (app.statements() - before, data)
}

/// The edges of the first connection in `data`.
fn edges(data: &Value) -> usize {
    data.as_object()
        .and_then(|o| o.values().next())
        .and_then(|c| c["edges"].as_array())
        .map_or(0, Vec::len)
}

on_both_backends! {
    async fn the_viewer_costs_one_statement(app: TestApp) {
        let nl = app.diplomat("NL").await;
        let before = app.statements();
        // Nothing but the viewer is read for this request.
        nl.q("{ __typename }", json!({})).await.data();
        assert_eq!(app.statements() - before, 1, "resolving the viewer");
    }

    async fn every_connection_costs_the_same_for_2_rows_as_for_12(app: TestApp) {
        let op = app.operator().await;
        let ca_admin = app.admin("CA").await;
        let coord = app.user("COORDINATOR", "CA").await;
        for c in ["NL", "DE", "SE", "CH", "FR", "IT", "ES", "BE", "NO", "DK", "AT", "FI"] {
            app.mission(c).await;
            op.q("mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }",
                 json!({ "i": { "name": format!("Org {c}"), "hostCountry": "PH" } })).await.data();
            ca_admin.q("mutation($i: CreateCoalitionInput!) { createCoalition(input: $i) { id } }",
                 json!({ "i": { "name": format!("Group {c}"), "hostCountry": "PH", "members": [c] } })).await.data();
            app.diplomat("CA").await;
        }
        let case = coord.q("mutation { createCase(input: { pseudonym: \"D\", hostCountry: \"PH\", categories: [LAWYER],
            riskLevel: HIGH, status: ON_TRIAL }) { id } }", json!({})).await;
        let case_id = case.data()["createCase"]["id"].as_str().expect("id").to_owned();
        coord.q("mutation($c: ID!) { recordConsent(caseId: $c, input: { shareWithPartners: true, trialObservation: true,
            publicAdvocacy: false, givenBy: DEFENDER }) { id } }", json!({ "c": case_id })).await.data();
        for day in 1..=12 {
            coord.q("mutation($c: ID!, $l: String!) { scheduleHearing(caseId: $c, input: { court: \"RTC\", city: \"Manila\",
                localStart: $l, timezone: \"Asia/Manila\", durationMinutes: 60, observersNeeded: 2 }) { id } }",
                json!({ "c": case_id, "l": format!("2027-02-{day:02}T09:00:00") })).await.data();
        }
        let connections = [
            (&op, "query($first: Int) { missions(first: $first) { totalCount edges { node { id name country } } } }"),
            (&op, "query($first: Int) { organizations(first: $first) { totalCount edges { node { id name } } } }"),
            (&ca_admin, "query($first: Int) { coalitions(first: $first) { totalCount edges { node { id name members } } } }"),
            (&ca_admin, "query($first: Int) { auditEvents(first: $first) { totalCount edges { node { seq action } } } }"),
            (&coord, "query($first: Int) { hearings(first: $first) { totalCount edges { node { id startsAt confirmedCount
                coverage claims { status country } } } } }"),
        ];
        for (who, query) in connections {
            let (small, d_small) = cost(&app, who, query, 2).await;
            let (large, d_large) = cost(&app, who, query, 12).await;
            assert_eq!((edges(&d_small), edges(&d_large)), (2, 12), "{query}");
            eprintln!("{small} statements for 2 rows, {large} for 12: {}", query.split('{').nth(1).and_then(|q| q.split('(').next()).unwrap_or("").trim());
            assert_eq!(small, large, "a bigger page costs more statements: {query}");
            assert!(large <= 5, "{large} statements: {query}");
        }
        // Users of a mission, nested under it (CA's, the first mission made).
        let users = "query($first: Int) { missions(first: 1) { edges { node { country users(first: $first) {
            totalCount edges { node { id email } } } } } } }";
        let (small, d_small) = cost(&app, &op, users, 2).await;
        let (large, d_large) = cost(&app, &op, users, 12).await;
        let nested = |d: &Value| d["missions"]["edges"][0]["node"]["users"]["edges"].as_array().map_or(0, Vec::len);
        assert_eq!(d_small["missions"]["edges"][0]["node"]["country"], "CA");
        assert_eq!((nested(&d_small), nested(&d_large)), (2, 12));
        assert_eq!(small, large);
        assert!(large <= 5, "{large} statements for a mission's users");
    }

    async fn the_visible_cases_page_costs_at_most_three_statements(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        app.mission("DE").await;
        let group = app.admin("CA").await.q("mutation { createCoalition(input: { name: \"G\", hostCountry: \"PH\", members: [\"NL\", \"DE\"] }) { id } }",
            json!({})).await;
        let group = group.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        // The benchmark's page (accord-bench): nothing is read that it does not show.
        let page = "query($first: Int) { cases(first: $first) { totalCount edges { node { reference riskLevel status
            shares { country level } } } } }";
        for i in 0..12 {
            let c = coord.q("mutation($p: String!) { createCase(input: { pseudonym: $p, hostCountry: \"PH\", categories: [LAWYER],
                riskLevel: HIGH, status: ON_TRIAL }) { id } }", json!({ "p": format!("D{i}") })).await;
            let id = c.data()["createCase"]["id"].as_str().expect("id").to_owned();
            coord.q("mutation($c: ID!) { recordConsent(caseId: $c, input: { shareWithPartners: true, trialObservation: true,
                publicAdvocacy: false, givenBy: DEFENDER }) { id } }", json!({ "c": id })).await.data();
            coord.q("mutation($c: ID!) { shareCase(caseId: $c, input: { country: \"NL\", level: DETAIL }) { id } }",
                json!({ "c": id })).await.data();
            coord.q("mutation($c: ID!, $g: ID!) { shareCase(caseId: $c, input: { coalitionId: $g, level: SUMMARY }) { id } }",
                json!({ "c": id, "g": group })).await.data();
        }
        // Viewer, the page with its count riding on it, and the owner's shares.
        for (who, most) in [(&coord, 3), (&nl, 2)] {
            let (small, d_small) = cost(&app, who, page, 2).await;
            let (large, d_large) = cost(&app, who, page, 12).await;
            assert_eq!((edges(&d_small), edges(&d_large)), (2, 12));
            assert_eq!(small, large);
            assert!(large <= most, "{large} statements for the visible-cases page");
            for d in [&d_small, &d_large] {
                assert_eq!(d["cases"]["totalCount"], 12, "the count that rode on the page");
            }
        }
        // Past the last row no row carries the count: it runs alone, and
        // says the same. Narrowed by a summary field, the index rows are
        // counted, on the page's statement too.
        let past = "query($after: String) { cases(first: 5, after: $after) { totalCount
            edges { node { id } } pageInfo { hasNextPage endCursor } } }";
        let last = nl.q("{ cases(first: 100) { pageInfo { endCursor } } }", json!({})).await;
        let last = last.data()["cases"]["pageInfo"]["endCursor"].clone();
        let before = app.statements();
        let r = nl.q(past, json!({ "after": last })).await;
        assert_eq!(app.statements() - before, 3, "viewer, the empty page, its count alone");
        assert_eq!(r.data()["cases"]["totalCount"], 12);
        assert_eq!(r.data()["cases"]["edges"].as_array().map(Vec::len), Some(0));
        assert_eq!(r.data()["cases"]["pageInfo"]["hasNextPage"], false);
        for (status, want) in [("ON_TRIAL", 12), ("CLOSED", 0)] {
            let q = format!("{{ cases(first: 5, filter: {{ status: {status} }}) {{ totalCount edges {{ node {{ id }} }} }} }}");
            let before = app.statements();
            let r = nl.q(&q, json!({})).await;
            let most = if want == 0 { 3 } else { 2 };
            assert!(app.statements() - before <= most, "{status}: counted on the page's statement");
            assert_eq!(r.data()["cases"]["totalCount"], want, "{status}");
        }
        // A viewer who sees no case at all: nothing is counted.
        let liaison = app.liaison().await;
        let r = liaison.q("{ cases(first: 5) { totalCount edges { node { id } } } }", json!({})).await;
        assert_eq!(r.data()["cases"]["totalCount"], 0);
        // Everything nested a case page can show still costs a constant.
        let full = "query($first: Int) { cases(first: $first) { totalCount edges { node { reference categories
            shares { country level coalition { name members } } } } } }";
        let (small, _) = cost(&app, &coord, full, 2).await;
        let (large, d_large) = cost(&app, &coord, full, 12).await;
        assert_eq!(edges(&d_large), 12);
        assert_eq!(small, large);
        assert!(large <= 7, "{large} statements for a page with every nested field");
    }

    async fn reports_and_statements_cost_the_same_for_2_rows_as_for_12(app: TestApp) {
        let liaison = app.liaison().await;
        let nl = app.user("COORDINATOR", "NL").await;
        app.mission("CA").await;
        let case = crate::builders::open_case(&nl, "Defender A", "Name").await;
        let case_id = case["id"].as_str().expect("id").to_owned();
        let mut prior: Option<String> = None;
        for i in 0..12 {
            let mut extra = json!({ "submissionKey": format!("k{i}") });
            if let Some(p) = &prior {
                extra["priorReportIds"] = json!([p]);
            }
            let id = crate::builders::submitted(&liaison, &["NL", "CA"], extra).await;
            crate::builders::acknowledge(&nl, &id, None).await.data();
            crate::builders::link(&nl, &id, &case_id).await.data();
            prior = Some(id);
        }
        let page = "query($first: Int) { attackReports(first: $first) { totalCount edges { node { reference
            attackTypes perpetratorTypes description organization { name } recipientCountries
            responses { country state note } myResponse { state } cases { id reference } priorReports { id } } } } }";
        for who in [&liaison, &nl] {
            let (small, d_small) = cost(&app, who, page, 2).await;
            let (large, d_large) = cost(&app, who, page, 12).await;
            assert_eq!((edges(&d_small), edges(&d_large)), (2, 12));
            eprintln!("report list: {small} statements for 2 rows, {large} for 12");
            assert_eq!(small, large, "a bigger page of reports costs more statements");
            assert!(large <= 12, "{large} statements for a page of reports");
        }
        // Statements: versions, participants and linked cases for the whole page.
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_case = crate::builders::open_case(&ca, "Defender S", "Name").await;
        for i in 0..12 {
            let id = crate::builders::created(&ca, &["NL"], json!({ "title": format!("S{i}"), "caseIds": [ca_case["id"]] })).await;
            crate::builders::revise(&ca, &id, 1, "Second text.\n").await.data();
            crate::builders::approve(&nl, &id, 2).await.data();
        }
        let statements = "query($first: Int) { statements(first: $first) { totalCount edges { node { title status
            currentVersion { number body contentHash author { id } } finalVersion { number }
            participants { country role signature { status version } } signatories cases { id } } } } }";
        for who in [&ca, &nl] {
            let (small, d_small) = cost(&app, who, statements, 2).await;
            let (large, d_large) = cost(&app, who, statements, 12).await;
            assert_eq!((edges(&d_small), edges(&d_large)), (2, 12));
            eprintln!("statement list: {small} statements for 2 rows, {large} for 12");
            assert_eq!(small, large, "a bigger page of statements costs more statements");
            assert!(large <= 8, "{large} statements for a page of statements");
        }
        // Every version of each statement: the list counts its cap (100 rows)
        // in the query cost, so a page holds fewer statements; still one
        // query for all their versions.
        let versions = "query($first: Int) { statements(first: $first) { edges { node { currentVersion { number }
            versions { number contentHash } } } } }";
        for who in [&ca, &nl] {
            let (small, d_small) = cost(&app, who, versions, 2).await;
            let (large, d_large) = cost(&app, who, versions, 9).await;
            assert_eq!((edges(&d_small), edges(&d_large)), (2, 9));
            eprintln!("statement versions: {small} statements for 2 rows, {large} for 9");
            assert_eq!(small, large, "a bigger page of versions costs more statements");
            assert!(large <= 6, "{large} statements for a page of versions");
        }

        // A case's linked reports: the same for one case as for the page.
        let on_case = "query($first: Int) { cases(first: $first) { edges { node { attackReports { id attackTypes } } } } }";
        let (n, d) = cost(&app, &nl, on_case, 5).await;
        assert_eq!(d["cases"]["edges"][0]["node"]["attackReports"].as_array().map_or(0, Vec::len), 12);
        assert!(n <= 7, "{n} statements for cases with their reports");
    }
}
