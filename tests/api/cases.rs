//! Cases: consent gates, levels, identity sealed at rest and audited,
//! nobody outside the rules sees anything.
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::builders::*;
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends! {
    async fn sharing_needs_consent_and_levels_redact(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let case = open_case(&coord, "Defender A", "Maria Reyes Santos").await;
        let id = case["id"].as_str().expect("id").to_owned();
        assert!(case["reference"].as_str().expect("ref").starts_with("PH-"));
        assert_eq!(case["visibility"], "OWNER");
        assert_eq!(case["consent"]["shareWithPartners"], false);

        share(&coord, &id, "NL", "DETAIL").await.assert_code("CONSENT_REQUIRED");
        consent(&coord, &id, true).await.data();
        share(&coord, &id, "NL", "DETAIL").await.data();
        share(&coord, &id, "DE", "SUMMARY").await.data();
        share(&coord, &id, "CA", "SUMMARY").await.assert_code("BAD_USER_INPUT");

        let nl = read_case(&app.diplomat("NL").await, &id).await;
        let nl = &nl.data()["case"];
        assert_eq!(nl["visibility"], "DETAIL");
        assert_eq!(nl["pseudonym"], "Defender A");
        assert_eq!(nl["ownerCountry"], "CA");
        assert!(nl["identity"].is_null() && nl["consent"].is_null() && nl["shares"].is_null(), "{nl}");

        let de = read_case(&app.diplomat("DE").await, &id).await;
        let de = &de.data()["case"];
        assert_eq!(de["visibility"], "SUMMARY");
        assert_eq!(de["categories"], json!(["LAND_RIGHTS", "INDIGENOUS"]));
        for hidden in ["pseudonym", "region", "summary", "ownerCountry", "identity", "consent", "shares"] {
            assert!(de[hidden].is_null(), "{hidden} leaked at SUMMARY: {de}");
        }

        // A diplomat of the owner country may not edit; a partner may not either.
        consent(&app.diplomat("CA").await, &id, false).await.assert_code("FORBIDDEN");
        consent(&app.user("COORDINATOR", "NL").await, &id, false).await.assert_code("FORBIDDEN");

        // Withdrawal suspends every share at once; re-granting restores them.
        let ch = app.diplomat("CH").await;
        let missing = read_case(&ch, &id).await;
        consent(&coord, &id, false).await.data();
        let nl_dip = app.diplomat("NL").await;
        let gone = read_case(&nl_dip, &id).await;
        gone.assert_code("NOT_FOUND");
        assert_eq!(gone.body, missing.body, "withdrawn looks exactly like never shared");
        assert_eq!(nl_dip.q("{ cases { totalCount } }", json!({})).await.data()["cases"]["totalCount"], 0);
        consent(&coord, &id, true).await.data();
        assert_eq!(read_case(&nl_dip, &id).await.data()["case"]["visibility"], "DETAIL");
    }

    async fn identity_is_sealed_owner_only_and_every_read_audited(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let case = open_case(&coord, "Defender B", "Juana Dela Cruz Unique").await;
        let id = case["id"].as_str().expect("id").to_owned();
        assert_eq!(case["identity"]["legalName"], "Juana Dela Cruz Unique");
        let reads_before = identity_reads(&app).await;
        assert_eq!(read_case(&coord, &id).await.data()["case"]["identity"]["location"], "Barangay 12");
        assert_eq!(identity_reads(&app).await, reads_before + 1);
        // A diplomat of the owner country holds no copy of the key: locked,
        // the rest of the case still read, and no identity read audited.
        let dip = app.diplomat("CA").await;
        let locked = read_case(&dip, &id).await;
        locked.assert_code("IDENTITY_LOCKED");
        assert_eq!(locked.reason(), "NOT_A_CUSTODIAN");
        assert!(locked.body["data"]["case"]["identity"].is_null(), "{}", locked.body);
        assert_eq!(locked.body["data"]["case"]["pseudonym"], "Defender B");
        assert!(!locked.body.to_string().contains("Barangay"), "{}", locked.body);
        assert_eq!(identity_reads(&app).await, reads_before + 1);

        // Not in the database in clear.
        let rows = app.db().query_all_raw(sea_orm::Statement::from_string(app.db().get_database_backend(),
            "SELECT legal_name_sealed, contact_sealed, location_sealed, notes_sealed FROM cases".to_owned())).await.expect("rows");
        let raw = format!("{rows:?}");
        assert!(!raw.contains("Juana") && !raw.contains("Barangay") && !raw.contains("Signal"), "{raw}");

        // Liaisons and the operator see no case at all.
        for outsider in [app.liaison().await, app.operator().await] {
            let r = outsider.q("{ cases { totalCount edges { node { id } } } }", json!({})).await;
            assert_eq!(r.data()["cases"]["totalCount"], 0);
            read_case(&outsider, &id).await.assert_code("NOT_FOUND");
            outsider.q("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await.assert_code("NOT_FOUND");
            let by_ref = outsider.q("query($r: String!) { caseByReference(reference: $r) { id } }", json!({ "r": case["reference"] })).await;
            by_ref.assert_code("NOT_FOUND");
        }
        // Search never matches a field the viewer cannot read.
        consent(&coord, &id, true).await.data();
        share(&coord, &id, "DE", "SUMMARY").await.data();
        let de = app.diplomat("DE").await;
        let q = "query($s: String!) { cases(filter: { search: $s }) { totalCount } }";
        assert_eq!(de.q(q, json!({ "s": "Defender B" })).await.data()["cases"]["totalCount"], 0);
        assert_eq!(de.q(q, json!({ "s": case["reference"] })).await.data()["cases"]["totalCount"], 1);
        assert_eq!(coord.q(q, json!({ "s": "defender b" })).await.data()["cases"]["totalCount"], 1);
    }
}

async fn identity_reads(app: &TestApp) -> i64 {
    let row = app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'IDENTITY_READ'".to_owned(),
        ))
        .await
        .expect("q")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_file_holds_no_identity_in_clear() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let coord = app.user("COORDINATOR", "NL").await;
    let case = open_case(&coord, "Defender C", "Xochitl Quetzalli Raw").await;
    // Sealed to NL's country key, not to the server's key ring.
    let row = sealed_row(&app, &case["id"]).await;
    assert!(row.0.is_some(), "sealed to a country key");
    assert!(row.1.starts_with("h1:"), "{}", row.1);
    let recovery = app.recovery_key("NL").await;
    let recovery_bytes = data_encoding::BASE32_NOPAD
        .decode(recovery.replace('-', "").as_bytes())
        .expect("base32");
    // Checkpoint the WAL so the main file holds everything, then grep the files.
    app.db()
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("checkpoint");
    let dir = app.data_dir();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        let hay = String::from_utf8_lossy(&bytes);
        assert!(
            !hay.contains("Xochitl"),
            "legal name in clear in the database file"
        );
        assert!(!hay.contains("prefers Signal"));
        // Nor the recovery key that opens every NL identity.
        assert!(!hay.contains(&recovery) && !hay.contains(&recovery.replace('-', "")));
        assert!(
            !bytes
                .windows(recovery_bytes.len())
                .any(|w| w == recovery_bytes),
            "recovery key in the database file"
        );
    }
}

/// `(identity_key_id, legal_name_sealed)` of a case, read underneath the API.
async fn sealed_row(app: &TestApp, case_id: &serde_json::Value) -> (Option<uuid::Uuid>, String) {
    let id = row_uuid(case_id.as_str().expect("id"));
    let row = app
        .db()
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            app.db().get_database_backend(),
            match app.db().get_database_backend() {
                sea_orm::DbBackend::Postgres => {
                    "SELECT identity_key_id AS k, legal_name_sealed AS s FROM cases WHERE id = $1"
                }
                _ => "SELECT identity_key_id AS k, legal_name_sealed AS s FROM cases WHERE id = ?",
            },
            [id.into()],
        ))
        .await
        .expect("q")
        .expect("row");
    (
        row.try_get("", "k").expect("k"),
        row.try_get("", "s").expect("s"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotating_keys_reseals_only_what_the_key_ring_still_seals() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let coord = app.user("COORDINATOR", "CA").await;
    let sealed = open_case(&coord, "Defender R", "Rotated Name").await;
    let before = sealed_row(&app, &sealed["id"]).await;
    assert!(
        before.0.is_some() && before.1.starts_with("h1:"),
        "{before:?}"
    );
    // A case from before sealed identity: its legal name still under the
    // key ring (planted underneath, as the old server wrote it).
    let legacy = open_case(&coord, "Defender Q", "Legacy Name").await;
    let legacy_id = row_uuid(legacy["id"].as_str().expect("id"));
    let ring_sealed = app
        .state()
        .keys_identity
        .seal(
            &format!("accord:case:{legacy_id}:legal_name"),
            "Legacy Name",
        )
        .expect("seal");
    assert!(ring_sealed.starts_with("v1:dev:"), "{ring_sealed}");
    app.db()
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            app.db().get_database_backend(),
            "UPDATE cases SET identity_key_id = NULL, legal_name_sealed = ?, contact_sealed = NULL,
                location_sealed = NULL, notes_sealed = NULL WHERE id = ?",
            [ring_sealed.into(), legacy_id.into()],
        ))
        .await
        .expect("plant");
    let old = "dev:YWNjb3JkLWRldi1pZGVudGl0eS1rZXktMzJieXRlcyE=";
    let mut config = test_config("unused".into());
    config.identity_keys =
        Some(format!("k2:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=,{old}").into());
    let rotated = accord_server::state::AppState::new(app.db().clone(), config).expect("state");
    let n = accord_server::service::cases::rotate_identity_keys(&rotated)
        .await
        .expect("rotate");
    assert_eq!(n, 1, "only the legacy legal name re-sealed");
    let moved = sealed_row(&app, &legacy["id"]).await;
    assert!(
        moved.0.is_none() && moved.1.starts_with("v1:k2:"),
        "{moved:?}"
    );
    // The identity sealed to CA's key is untouched, byte for byte, and
    // still opens for its custodian.
    assert_eq!(sealed_row(&app, &sealed["id"]).await, before);
    let identity = "query($id: ID!) { case(id: $id) { identity { legalName } } }";
    let r = coord.q(identity, json!({ "id": sealed["id"] })).await;
    assert_eq!(r.data()["case"]["identity"]["legalName"], "Rotated Name");
    // Running it again changes nothing; the server with only the old key can
    // no longer open the legacy field (proving it really moved to the new key).
    assert_eq!(
        accord_server::service::cases::rotate_identity_keys(&rotated)
            .await
            .expect("rotate"),
        0
    );
    let r = coord.q(identity, json!({ "id": legacy["id"] })).await;
    r.assert_code("INTERNAL");
}

on_both_backends! {
    async fn owners_update_and_unshare_partners_cannot(app: TestApp) {
        let coord = app.user("COORDINATOR", "SE").await;
        let case = open_case(&coord, "Defender U", "Someone Real").await;
        let id = case["id"].as_str().expect("id").to_owned();
        consent(&coord, &id, true).await.data();
        share(&coord, &id, "NL", "DETAIL").await.data();
        let update = "mutation($id: ID!, $i: UpdateCaseInput!) { updateCase(id: $id, input: $i) { status riskLevel region categories summary } }";
        let r = coord.q(update, json!({ "id": id, "i": { "status": "DETAINED", "riskLevel": "CRITICAL", "region": "", "categories": ["STUDENT"] } })).await;
        let u = &r.data()["updateCase"];
        assert_eq!(u["status"], "DETAINED");
        assert_eq!(u["riskLevel"], "CRITICAL");
        assert!(u["region"].is_null(), "empty text clears an optional field");
        assert_eq!(u["categories"], json!(["STUDENT"]));
        coord.q(update, json!({ "id": id, "i": { "pseudonym": "  " } })).await.assert_code("BAD_USER_INPUT");
        coord.q(update, json!({ "id": id, "i": { "categories": [] } })).await.assert_code("BAD_USER_INPUT");
        coord.q(update, json!({ "id": id, "i": { "summary": "x".repeat(4001) } })).await.assert_code("BAD_USER_INPUT");

        // A partner that sees the case may not change it; an outsider cannot find it.
        let nl = app.user("COORDINATOR", "NL").await;
        nl.q(update, json!({ "id": id, "i": { "status": "RELEASED" } })).await.assert_code("FORBIDDEN");
        app.user("COORDINATOR", "DE").await.q(update, json!({ "id": id, "i": { "status": "RELEASED" } })).await.assert_code("NOT_FOUND");
        // Diplomats do not open cases.
        let dip = app.diplomat("SE").await;
        dip.q("mutation { createCase(input: { pseudonym: \"X\", hostCountry: \"PH\", categories: [OTHER], riskLevel: LOW, status: AT_RISK }) { id } }", json!({}))
            .await.assert_code("FORBIDDEN");

        let unshare = "mutation($id: ID!, $c: String!) { unshareCase(caseId: $id, input: { country: $c }) { shares { country } } }";
        let r = coord.q(unshare, json!({ "id": id, "c": "NL" })).await;
        assert_eq!(r.data()["unshareCase"]["shares"], json!([]));
        coord.q(unshare, json!({ "id": id, "c": "NL" })).await.assert_code("BAD_USER_INPUT");
        read_case(&nl, &id).await.assert_code("NOT_FOUND");
        coord.q("mutation($id: ID!) { shareCase(caseId: $id, input: { level: DETAIL }) { id } }", json!({ "id": id }))
            .await.assert_code("BAD_USER_INPUT");
        coord.q("mutation($id: ID!) { shareCase(caseId: $id, input: { country: \"NL\", coalitionId: \"x\", level: DETAIL }) { id } }", json!({ "id": id }))
            .await.assert_code("BAD_USER_INPUT");
        // A coalition the owner's country is not part of cannot be shared with,
        // and is refused exactly like one that does not exist.
        let nl_admin = app.admin("NL").await;
        let foreign = nl_admin.q("mutation { createCoalition(input: { name: \"NL only\", hostCountry: \"PH\", members: [] }) { id } }", json!({})).await;
        let foreign_id = foreign.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        let share_to = "mutation($id: ID!, $c: ID!) { shareCase(caseId: $id, input: { coalitionId: $c, level: DETAIL }) { id } }";
        let hidden = coord.q(share_to, json!({ "id": id, "c": foreign_id })).await;
        assert_eq!(hidden.field(), "coalitionId");
        let missing_id = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, format!("Coalition:{}", uuid::Uuid::now_v7()));
        let missing = coord.q(share_to, json!({ "id": id, "c": missing_id })).await;
        assert_eq!(hidden.body, missing.body);
        // Identity fields and filters are bounded.
        coord.q(update, json!({ "id": id, "i": { "identity": { "legalName": "x".repeat(501) } } })).await.assert_code("BAD_USER_INPUT");
        let search = "query($f: CaseFilter) { cases(filter: $f) { totalCount } }";
        assert_eq!(coord.q(search, json!({ "f": { "search": "x".repeat(101) } })).await.field(), "filter.search");
        assert_eq!(coord.q(search, json!({ "f": { "hostCountry": "XX" } })).await.field(), "filter.hostCountry");
    }
}

on_both_backends! {
    async fn a_page_costs_the_same_statements_whatever_its_size(app: TestApp) {
        let ca_admin = app.admin("CA").await;
        let coalition = ca_admin.q("mutation { createCoalition(input: { name: \"G\", hostCountry: \"PH\", members: [\"NL\"] }) { id } }", json!({})).await;
        let coalition_id = coalition.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        let coord = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let add_cases = async |n: usize| {
            for i in 0..n {
                let c = open_case(&coord, &format!("Defender {i}"), "Name").await;
                let id = c["id"].as_str().expect("id").to_owned();
                consent(&coord, &id, true).await.data();
                coord.q("mutation($id: ID!, $c: ID!) { shareCase(caseId: $id, input: { coalitionId: $c, level: DETAIL }) { id } }",
                    json!({ "id": id, "c": coalition_id })).await.data();
                share(&coord, &id, "DE", "SUMMARY").await.data();
            }
        };
        let page = "{ cases(first: 50) { totalCount edges { node { reference visibility pseudonym categories
            shares { country level coalition { name members } } } } } }";
        let cost = async |who: &Actor| {
            let before = app.statements();
            let r = who.q(page, json!({})).await;
            r.data();
            (app.statements() - before, r.body["data"]["cases"]["totalCount"].as_i64().expect("n"))
        };
        add_cases(5).await;
        let (owner_small, n_small) = cost(&coord).await;
        let (partner_small, _) = cost(&nl).await;
        add_cases(45).await;
        let (owner_large, n_large) = cost(&coord).await;
        let (partner_large, _) = cost(&nl).await;
        eprintln!("statements for one page: owner {owner_small} (5 cases) / {owner_large} (50); partner {partner_small} / {partner_large}");
        assert_eq!((n_small, n_large), (5, 50));
        assert_eq!(owner_small, owner_large, "owner's page of 50 costs more statements than a page of 5");
        assert_eq!(partner_small, partner_large, "partner's page of 50 costs more statements than a page of 5");
        assert!(owner_large <= 12, "{owner_large} statements for one page");
    }
}

/// `totalCount` of `cases` for `who`.
async fn case_total(who: &Actor) -> i64 {
    who.q("{ cases(first: 1) { totalCount } }", json!({}))
        .await
        .data()["cases"]["totalCount"]
        .as_i64()
        .expect("totalCount")
}

on_both_backends! {
    async fn concurrent_visibility_changes_keep_the_counts_exact(app: TestApp) {
        // Unfiltered totals come from per-country count rows that every
        // index change adjusts: changes racing each other (two owner
        // countries, shares to countries and to a coalition, consent
        // withdrawn, a member leaving) must neither deadlock nor miscount.
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.user("COORDINATOR", "NL").await;
        let de = app.diplomat("DE").await;
        let se = app.diplomat("SE").await;
        let admin = app.admin("CA").await;
        let group = admin.q("mutation { createCoalition(input: { name: \"Race group\", hostCountry: \"PH\", members: [\"NL\", \"DE\", \"SE\"] }) { id } }",
            json!({})).await;
        let group = group.data()["createCoalition"]["id"].as_str().expect("id").to_owned();
        let mut cases = Vec::new();
        for (who, n) in [(&ca, 6), (&nl, 6)] {
            for i in 0..n {
                let id = open_case(who, &format!("Race {i}"), "Race Person").await["id"].as_str().expect("id").to_owned();
                consent(who, &id, true).await.data();
                cases.push((who.clone(), id));
            }
        }
        let shares: Vec<_> = cases.iter().flat_map(|(who, id)| {
            let to_de = { let (w, i) = (who.clone(), id.clone()); tokio::spawn(async move { share(&w, &i, "DE", "DETAIL").await }) };
            let to_group = { let (w, i, g) = (who.clone(), id.clone(), group.clone()); tokio::spawn(async move {
                w.q("mutation($c: ID!, $g: ID!) { shareCase(caseId: $c, input: { coalitionId: $g, level: SUMMARY }) { id } }",
                    json!({ "c": i, "g": g })).await }) };
            [to_de, to_group]
        }).collect();
        for t in shares {
            t.await.expect("task").data();
        }
        assert_access_index_holds(&app, "after concurrent shares").await;
        assert_eq!((case_total(&de).await, case_total(&se).await), (12, 12));
        // The convener's country (CA) is a member of its coalition too.
        assert_eq!((case_total(&ca).await, case_total(&nl).await), (12, 12));
        // Consent withdrawn on every other case while SE leaves the group.
        let mut changes: Vec<_> = cases.iter().step_by(2).map(|(who, id)| {
            let (w, i) = (who.clone(), id.clone());
            tokio::spawn(async move { consent(&w, &i, false).await })
        }).collect();
        let (a, g) = (admin.clone(), group.clone());
        changes.push(tokio::spawn(async move {
            a.q("mutation($g: ID!) { removeCoalitionMember(coalitionId: $g, country: \"SE\") { id } }", json!({ "g": g })).await
        }));
        for t in changes {
            t.await.expect("task").data();
        }
        assert_access_index_holds(&app, "after concurrent withdrawals and a member leaving").await;
        assert_eq!((case_total(&de).await, case_total(&se).await), (6, 0));
        // Each keeps its own and the other's cases still consented (the group).
        assert_eq!((case_total(&ca).await, case_total(&nl).await), (9, 9));
    }
}

/// `totalCount` and the ids of every page of `field(filter: $f)` for `who`.
async fn filtered_walk(who: &Actor, field: &str, filter: serde_json::Value) -> (i64, usize) {
    let q = format!(
        "query($f: {}Filter) {{ {field}(first: 50, filter: $f) {{ totalCount edges {{ node {{ id }} }} }} }}",
        if field == "cases" { "Case" } else { "Hearing" }
    );
    let r = who.q(&q, json!({ "f": filter })).await;
    let conn = &r.data()[field];
    (
        conn["totalCount"].as_i64().expect("totalCount"),
        conn["edges"].as_array().expect("edges").len(),
    )
}

on_both_backends! {
    async fn filtered_counts_follow_a_change_of_status(app: TestApp) {
        // Counts narrowed by status, risk and host are read from the access
        // index's copies of those fields; the database rewrites the copies
        // in the statement that changes the case or hearing.
        let (coord, case_id) = observed_case(&app).await;
        let nl = app.diplomat("NL").await;
        let de = app.diplomat("DE").await;
        let other = open_case(&coord, "Defender U", "Other Person").await;
        let other_id = other["id"].as_str().expect("id").to_owned();
        consent(&coord, &other_id, true).await.data();
        share(&coord, &other_id, "NL", "SUMMARY").await.data();
        let hearing = schedule(&coord, &case_id, &manila_in(30), "Asia/Manila", 2).await;
        let hearing_id = hearing.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let on_trial = json!({ "status": "ON_TRIAL" });
        let at_risk = json!({ "status": "AT_RISK" });
        for who in [&coord, &nl] {
            assert_eq!(filtered_walk(who, "cases", at_risk.clone()).await, (2, 2));
            assert_eq!(filtered_walk(who, "cases", on_trial.clone()).await, (0, 0));
        }
        assert_eq!(filtered_walk(&de, "cases", at_risk.clone()).await, (1, 1));

        let update = "mutation($id: ID!, $i: UpdateCaseInput!) { updateCase(id: $id, input: $i) { status } }";
        coord.q(update, json!({ "id": case_id, "i": { "status": "ON_TRIAL", "riskLevel": "CRITICAL" } })).await.data();
        for who in [&coord, &nl] {
            assert_eq!(filtered_walk(who, "cases", at_risk.clone()).await, (1, 1));
            assert_eq!(filtered_walk(who, "cases", on_trial.clone()).await, (1, 1));
            assert_eq!(filtered_walk(who, "cases", json!({ "status": "ON_TRIAL", "riskLevel": "CRITICAL", "hostCountry": "PH" })).await, (1, 1));
            assert_eq!(filtered_walk(who, "cases", json!({ "riskLevel": "HIGH" })).await, (1, 1));
            assert_eq!(filtered_walk(who, "cases", json!({ "hostCountry": "GT" })).await, (0, 0));
        }
        assert_eq!(filtered_walk(&de, "cases", on_trial.clone()).await, (1, 1));
        assert_eq!(filtered_walk(&de, "cases", at_risk.clone()).await, (0, 0));

        let scheduled = json!({ "status": "SCHEDULED" });
        let postponed = json!({ "status": "POSTPONED" });
        for who in [&coord, &nl] {
            assert_eq!(filtered_walk(who, "hearings", scheduled.clone()).await, (1, 1));
        }
        // DE sees the case at SUMMARY: no hearing, whatever the filter.
        assert_eq!(filtered_walk(&de, "hearings", scheduled.clone()).await, (0, 0));
        coord.q("mutation($id: ID!) { updateHearing(id: $id, input: { status: POSTPONED }) { status } }",
            json!({ "id": hearing_id })).await.data();
        for who in [&coord, &nl] {
            assert_eq!(filtered_walk(who, "hearings", scheduled.clone()).await, (0, 0));
            assert_eq!(filtered_walk(who, "hearings", postponed.clone()).await, (1, 1));
        }
        assert_access_index_holds(&app, "after the changes of status").await;

        // An index row whose copy differs from its case is refused by the
        // database itself.
        let wrong = app.db().execute_unprepared(
            "UPDATE case_access SET status = 'CLOSED' WHERE country = 'NL'").await;
        assert!(wrong.is_err(), "an index row disagreeing with its case was stored");
    }
}

on_both_backends! {
    async fn migration_027_copies_the_fields_into_an_existing_index(app: TestApp) {
        // A database from before m20261210_000027, with cases, shares and a
        // hearing in its index, gets the copies from the rows themselves.
        let (coord, case_id) = observed_case(&app).await;
        let nl = app.diplomat("NL").await;
        let hearing = schedule(&coord, &case_id, &manila_in(30), "Asia/Manila", 2).await;
        let hearing_id = hearing.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let update = "mutation($id: ID!, $i: UpdateCaseInput!) { updateCase(id: $id, input: $i) { status } }";
        coord.q(update, json!({ "id": case_id, "i": { "status": "DETAINED" } })).await.data();
        let db = app.db();
        for sql in [
            "CREATE TABLE old_case_access AS SELECT country, case_id, level, hearings FROM case_access",
            "CREATE TABLE old_hearing_access AS SELECT country, starts_at, hearing_id, level FROM hearing_access",
            "DROP TABLE case_access",
            "DROP TABLE hearing_access",
            "DROP INDEX ux_cases_summary",
            "DROP INDEX ux_hearings_status",
            "ALTER TABLE old_case_access RENAME TO case_access",
            "ALTER TABLE old_hearing_access RENAME TO hearing_access",
            "DELETE FROM seaql_migrations WHERE version = 'm20261210_000027_filtered_counts'",
        ] {
            db.execute_unprepared(sql).await.expect(sql);
        }
        <accord_migrations::Migrator as accord_migrations::MigratorTrait>::up(db, None)
            .await
            .expect("migration 027 runs on a filled index");
        assert_access_index_holds(&app, "after migration 027").await;
        for who in [&coord, &nl] {
            assert_eq!(filtered_walk(who, "cases", json!({ "status": "DETAINED", "riskLevel": "HIGH", "hostCountry": "PH" })).await, (1, 1));
            assert_eq!(filtered_walk(who, "cases", json!({ "status": "AT_RISK" })).await, (0, 0));
            assert_eq!(filtered_walk(who, "hearings", json!({ "status": "SCHEDULED" })).await, (1, 1));
        }
        // The keys follow the rows from now on.
        coord.q(update, json!({ "id": case_id, "i": { "status": "RELEASED" } })).await.data();
        coord.q("mutation($id: ID!) { updateHearing(id: $id, input: { status: CANCELLED }) { status } }",
            json!({ "id": hearing_id })).await.data();
        assert_eq!(filtered_walk(&nl, "cases", json!({ "status": "RELEASED" })).await, (1, 1));
        assert_eq!(filtered_walk(&nl, "hearings", json!({ "status": "CANCELLED" })).await, (1, 1));
        assert_access_index_holds(&app, "after changes following migration 027").await;
    }
}
