//! Query plans at a size where the planner cares (issue "Performance at
//! scale"): on PostgreSQL with 50,000 cases and 5,000 hearings, no visibility
//! scope — page, count or single read, of cases or hearings — scans `cases`,
//! `case_shares` or `hearings` sequentially. Each scope is built by the
//! server's own policy functions and explained with `EXPLAIN (FORMAT JSON)`.
use accord_server::auth::Viewer;
use accord_server::domain::{CountryCode, Role};
use accord_server::policy::counts::{Index, internal_recount};
use accord_server::policy::{
    cases as case_policy, hearings as hearing_policy, reports as report_policy,
    statements as statement_policy,
};
use accord_server::store::{
    access_count, attack_report, case, case_access, hearing, hearing_access, report_access,
    statement, statement_participant,
};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Statement,
};
use serde_json::Value;

use crate::helpers::*;

const CASES: i64 = 50_000;
/// Tables whose sequential scan would make a request cost what the
/// database holds instead of what the viewer sees.
const WATCHED: [&str; 8] = [
    "cases",
    "case_shares",
    "hearings",
    "attack_reports",
    "attack_report_responses",
    "report_access",
    "statements",
    "statement_participants",
];

async fn exec(app: &TestApp, sql: &str) {
    app.db()
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

async fn one_uuid(app: &TestApp, sql: &str) -> uuid::Uuid {
    let row = app
        .db()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect("query")
        .expect("a row");
    row.try_get::<uuid::Uuid>("", "id").expect("id")
}

/// Every plan node of `plan`, depth first.
fn nodes<'a>(plan: &'a Value, out: &mut Vec<&'a Value>) {
    out.push(plan);
    for child in plan["Plans"].as_array().into_iter().flatten() {
        nodes(child, out);
    }
}

/// The sequential scans of watched tables in the plan of `stmt`.
async fn seq_scans(app: &TestApp, stmt: Statement) -> (Vec<String>, String) {
    let explain = Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("EXPLAIN (FORMAT JSON) {}", stmt.sql),
        stmt.values.map(|v| v.0).unwrap_or_default(),
    );
    let row = app
        .db()
        .query_one_raw(explain)
        .await
        .expect("EXPLAIN runs")
        .expect("a plan");
    let text: String = match row.try_get::<serde_json::Value>("", "QUERY PLAN") {
        Ok(v) => v.to_string(),
        Err(_) => row.try_get::<String>("", "QUERY PLAN").expect("plan text"),
    };
    let plan: Value = serde_json::from_str(&text).expect("JSON plan");
    let mut all = Vec::new();
    nodes(&plan[0]["Plan"], &mut all);
    let scans = all
        .iter()
        .filter(|n| n["Node Type"] == "Seq Scan")
        .filter_map(|n| n["Relation Name"].as_str())
        .filter(|r| WATCHED.contains(r))
        .map(str::to_owned)
        .collect();
    (scans, text)
}

/// `SELECT COUNT(*)` over a scope, as the pager counts it.
fn count_of(stmt: Statement) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT COUNT(*) AS num_items FROM ({}) AS sub_query",
            stmt.sql
        ),
        stmt.values.map(|v| v.0).unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_scope_scans_the_big_tables_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let coord = app.user("COORDINATOR", "CA").await;
    let nl = app.diplomat("NL").await;
    let ca_mission = one_uuid(&app, "SELECT id FROM missions WHERE country = 'CA'").await;
    let nl_mission = one_uuid(&app, "SELECT id FROM missions WHERE country = 'NL'").await;
    let author = one_uuid(
        &app,
        &format!("SELECT id FROM users WHERE email = '{}'", coord.email),
    )
    .await;
    let nl_user = one_uuid(
        &app,
        &format!("SELECT id FROM users WHERE email = '{}'", nl.email),
    )
    .await;

    // 50,000 CA cases; NL sees one in twenty at DETAIL, DE and SE one in
    // three at SUMMARY; one case in ten has a hearing.
    exec(&app, &format!(
        "INSERT INTO cases (id, reference, owner_country, owner_mission_id, host_country, pseudonym,
            risk_level, status, consent_share, consent_trial, consent_public, consent_given_by,
            consent_recorded_at, consent_recorded_by, created_by, created_at, updated_at)
         SELECT gen_random_uuid(), 'PH-2031-' || g, 'CA', '{ca_mission}', 'PH', 'Defender ' || g,
            'HIGH', 'AT_RISK', true, true, false, 'DEFENDER', now(), '{author}', '{author}', now(), now()
         FROM generate_series(1, {CASES}) g"
    )).await;
    exec(&app, &format!(
        "INSERT INTO case_shares (id, case_id, country, coalition_id, level, created_by, created_at)
         SELECT gen_random_uuid(), id, 'NL', NULL::uuid, 'DETAIL', '{author}'::uuid, now() FROM cases WHERE abs(hashtext(id::text)) % 20 = 0
         UNION ALL
         SELECT gen_random_uuid(), id, 'DE', NULL::uuid, 'SUMMARY', '{author}'::uuid, now() FROM cases WHERE abs(hashtext(id::text)) % 3 = 0
         UNION ALL
         SELECT gen_random_uuid(), id, 'SE', NULL::uuid, 'SUMMARY', '{author}'::uuid, now() FROM cases WHERE abs(hashtext(id::text)) % 3 = 1"
    )).await;
    exec(
        &app,
        "INSERT INTO case_access (country, case_id, level, hearings)
         SELECT 'CA', id, 'OWNER', true FROM cases
         UNION ALL
         SELECT country, case_id, level, level = 'DETAIL' FROM case_shares",
    )
    .await;
    exec(&app, &format!(
        "INSERT INTO hearings (id, case_id, court, city, starts_at, timezone, duration_minutes, status,
            observers_needed, claim_deadline, created_by, created_at, updated_at)
         SELECT gen_random_uuid(), id, 'RTC', 'Manila', now() + (abs(hashtext(id::text)) % 300) * interval '1 day',
            'Asia/Manila', 60, 'SCHEDULED', 2, NULL, '{author}', now(), now()
         FROM cases WHERE abs(hashtext(id::text)) % 10 = 0"
    )).await;
    exec(
        &app,
        "INSERT INTO hearing_access (country, starts_at, hearing_id, level)
         SELECT a.country, h.starts_at, h.id, a.level FROM hearings h
         JOIN case_access a ON a.case_id = h.case_id AND a.hearings",
    )
    .await;
    // 50,000 attack reports to CA; NL receives one in twenty.
    exec(
        &app,
        &format!(
        "INSERT INTO attack_reports (id, reference, organization_id, submitted_by, host_country,
            incident_date, description_sealed, submitted_at)
         SELECT gen_random_uuid(), 'AR-PH-2031-' || g, NULL::uuid, '{author}', 'PH',
            date '2026-01-01' + (g % 300), 'sealed', now() - g * interval '1 minute'
         FROM generate_series(1, {CASES}) g"
    ),
    )
    .await;
    exec(
        &app,
        "INSERT INTO attack_report_responses (report_id, country, state, updated_at)
         SELECT id, 'CA', 'RECEIVED', now() FROM attack_reports
         UNION ALL
         SELECT id, 'NL', 'RECEIVED', now() FROM attack_reports WHERE abs(hashtext(id::text)) % 20 = 0",
    )
    .await;
    exec(
        &app,
        "INSERT INTO report_access (reader, report_id, submitted_at)
         SELECT r.country, r.report_id, a.submitted_at FROM attack_report_responses r
         JOIN attack_reports a ON a.id = r.report_id",
    )
    .await;
    // 50,000 statements led by CA; NL is invited to one in twenty.
    exec(&app, &format!(
        "INSERT INTO statements (id, title, kind, host_country, lead_country, status, current_version,
            created_by, created_at, updated_at)
         SELECT gen_random_uuid(), 'Statement ' || g, 'DEMARCHE', 'PH', 'CA', 'CIRCULATING', 1,
            '{author}', now(), now()
         FROM generate_series(1, {CASES}) g"
    )).await;
    exec(
        &app,
        "INSERT INTO statement_participants (country, statement_id, role, signature, invited_at)
         SELECT 'CA', id, 'LEAD', 'PENDING', now() FROM statements
         UNION ALL
         SELECT 'NL', id, 'INVITED', 'PENDING', now() FROM statements WHERE abs(hashtext(id::text)) % 20 = 0",
    )
    .await;
    // The counts of the indexes, as `accord rebuild-access` recomputes them
    // after a bulk load.
    for index in [Index::Cases, Index::Hearings, Index::Reports] {
        internal_recount(app.db(), index).await.expect("recount");
    }
    exec(&app, "ANALYZE").await;
    // Everything the policy needs is now there, and the index agrees with it.
    assert_access_index_holds(&app, "after the bulk load").await;

    let viewer = Viewer {
        user_id: nl_user,
        session_id: uuid::Uuid::nil(),
        role: Role::Diplomat,
        country: Some(CountryCode::parse("country", "NL").expect("NL")),
        mission_id: Some(nl_mission),
        organization_id: None,
        unlock: None,
        reading: Default::default(),
    };
    let seen_case = one_uuid(&app,
        "SELECT case_id AS id FROM case_access WHERE country = 'NL' ORDER BY case_id LIMIT 1 OFFSET 100").await;
    let seen_hearing = one_uuid(&app,
        "SELECT h.id FROM hearings h JOIN case_access a ON a.case_id = h.case_id AND a.country = 'NL' AND a.hearings LIMIT 1").await;

    let pg = DbBackend::Postgres;
    let cases_page = case_policy::visible(&viewer)
        .select_also(case_access::Entity)
        .order_by_asc(case_policy::PAGE_ORDER)
        .limit(51)
        .build(pg);
    // Unfiltered lists are counted by the index's count row (as the API does).
    let count_row = |index: &str, reader: &str| {
        access_count::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(
                &access_count::Column::IndexName,
                index,
            ))
            .filter(sea_orm::ColumnTrait::eq(
                &access_count::Column::Reader,
                reader,
            ))
            .build(pg)
    };
    let cases_count = count_row("CASES", "NL");

    let case_by_id = case_policy::visible(&viewer)
        .select_also(case_access::Entity)
        .filter(sea_orm::ColumnTrait::eq(&case::Column::Id, seen_case))
        .build(pg);
    let hearings_page = hearing_policy::visible(&viewer)
        .select_also(hearing_access::Entity)
        .order_by_asc(hearing_policy::CALENDAR_ORDER.0)
        .order_by_asc(hearing_policy::CALENDAR_ORDER.1)
        .limit(51)
        .build(pg);
    let hearings_count = count_row("HEARINGS", "NL");
    let hearing_by_id = hearing_policy::visible(&viewer)
        .select_also(hearing_access::Entity)
        .filter(sea_orm::ColumnTrait::eq(&hearing::Column::Id, seen_hearing))
        .build(pg);

    let seen_report = one_uuid(&app,
        "SELECT report_id AS id FROM report_access WHERE reader = 'NL' ORDER BY report_id LIMIT 1 OFFSET 100").await;
    let reports_page = report_policy::visible(&viewer)
        .order_by_desc(report_access::Column::SubmittedAt)
        .order_by_desc(report_access::Column::ReportId)
        .limit(51)
        .build(pg);
    let reports_count = count_row("REPORTS", "NL");
    let report_by_id = report_policy::visible(&viewer)
        .filter(sea_orm::ColumnTrait::eq(
            &attack_report::Column::Id,
            seen_report,
        ))
        .build(pg);

    let seen_statement = one_uuid(&app,
        "SELECT statement_id AS id FROM statement_participants WHERE country = 'NL' ORDER BY statement_id LIMIT 1 OFFSET 100").await;
    let statements_page = statement_policy::visible(&viewer)
        .select_also(statement_participant::Entity)
        .order_by_asc(statement_participant::Column::StatementId)
        .limit(51)
        .build(pg);
    let statements_count = count_of(
        statement_participant::Entity::find()
            .filter(sea_orm::ColumnTrait::eq(
                &statement_participant::Column::Country,
                "NL",
            ))
            .build(pg),
    );
    let statement_by_id = statement_policy::visible(&viewer)
        .select_also(statement_participant::Entity)
        .filter(sea_orm::ColumnTrait::eq(
            &statement::Column::Id,
            seen_statement,
        ))
        .build(pg);

    let mut failures = Vec::new();
    for (what, stmt) in [
        ("statements page", statements_page),
        ("statements count", statements_count),
        ("statement by id", statement_by_id),
        ("reports page", reports_page),
        ("reports count", reports_count),
        ("report by id", report_by_id),
        ("cases page", cases_page),
        ("cases count", cases_count),
        ("case by id", case_by_id),
        ("hearings page", hearings_page),
        ("hearings count", hearings_count),
        ("hearing by id", hearing_by_id),
    ] {
        let (scans, plan) = seq_scans(&app, stmt).await;
        if !scans.is_empty() {
            failures.push(format!("{what}: sequential scan of {scans:?}\n{plan}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
