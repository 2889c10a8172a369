//! Query plans at a size where the planner cares (issue "Performance at
//! scale"): on PostgreSQL with 50,000 cases and 5,000 hearings, no visibility
//! scope — page, count or single read, of cases or hearings — scans `cases`,
//! `case_shares` or `hearings` sequentially; and at 1,000,000 cases (issue
//! 28) neither do the lists and counts narrowed by a case's status, risk
//! level or host country or a hearing's status. Each scope is built by the
//! server's own policy functions and explained with `EXPLAIN (FORMAT JSON)`.
use accord_server::auth::Viewer;
use accord_server::domain::case::{CaseStatus, RiskLevel};
use accord_server::domain::hearing::HearingStatus;
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
    Statement, TransactionTrait,
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

/// A CA coordinator (who owns the seeded cases) and an NL diplomat (a
/// partner): (CA mission, NL mission, the coordinator's id, the diplomat's id).
async fn owner_and_partner(app: &TestApp) -> (uuid::Uuid, uuid::Uuid, uuid::Uuid, uuid::Uuid) {
    let coord = app.user("COORDINATOR", "CA").await;
    let nl = app.diplomat("NL").await;
    let user_id = |email: String| async move {
        one_uuid(
            app,
            &format!("SELECT id FROM users WHERE email = '{email}'"),
        )
        .await
    };
    (
        one_uuid(app, "SELECT id FROM missions WHERE country = 'CA'").await,
        one_uuid(app, "SELECT id FROM missions WHERE country = 'NL'").await,
        user_id(coord.email).await,
        user_id(nl.email).await,
    )
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
    let (ca_mission, nl_mission, author, nl_user) = owner_and_partner(&app).await;

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
        "INSERT INTO case_access (country, case_id, level, hearings, status, risk_level, host_country)
         SELECT 'CA', id, 'OWNER', true, status, risk_level, host_country FROM cases
         UNION ALL
         SELECT s.country, s.case_id, s.level, s.level = 'DETAIL', c.status, c.risk_level, c.host_country
         FROM case_shares s JOIN cases c ON c.id = s.case_id",
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
        "INSERT INTO hearing_access (country, starts_at, hearing_id, level, status)
         SELECT a.country, h.starts_at, h.id, a.level, h.status FROM hearings h
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

/// A diplomat of `country` (the plans need only the viewer's fields).
fn diplomat_of(app_user: uuid::Uuid, country: &str, mission: uuid::Uuid) -> Viewer {
    Viewer {
        user_id: app_user,
        session_id: uuid::Uuid::nil(),
        role: Role::Diplomat,
        country: Some(CountryCode::parse("country", country).expect("country")),
        mission_id: Some(mission),
        organization_id: None,
        unlock: None,
        reading: Default::default(),
    }
}

const MILLION: i64 = 1_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_lists_and_counts_read_the_index_at_a_million_cases_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let (ca_mission, nl_mission, author, nl_user) = owner_and_partner(&app).await;

    // 1,000,000 CA cases over six statuses, four risk levels and four host
    // countries; NL sees one in twenty at DETAIL; one case in ten has a
    // hearing, over the four hearing statuses. Loaded in one transaction
    // with the foreign keys' triggers off (as a restore loads), since every
    // row is built from rows that exist; the index rows copy the case's
    // fields exactly as `policy::access::rebuild` does, and the first
    // change to any of them would be refused if they did not. Case ids
    // ascend (as the server's time-ordered ids do), so that every index
    // grows at its end: random ones made the load twice as slow.
    let started = std::time::Instant::now();
    let txn = app.db().begin().await.expect("begin");
    for sql in [
        "SET LOCAL session_replication_role = replica".to_owned(),
        format!(
            "INSERT INTO cases (id, reference, owner_country, owner_mission_id, host_country, pseudonym,
                risk_level, status, consent_share, consent_trial, consent_public, consent_given_by,
                consent_recorded_at, consent_recorded_by, created_by, created_at, updated_at)
             SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
                'PH-2031-' || lpad(g::text, 7, '0'), 'CA', '{ca_mission}',
                (ARRAY['PH', 'GT', 'KE', 'CO'])[1 + g % 4], 'Defender ' || g,
                (ARRAY['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])[1 + (g / 4) % 4],
                (ARRAY['AT_RISK', 'DETAINED', 'ON_TRIAL', 'RELEASED', 'RELOCATED', 'CLOSED'])[1 + g % 6],
                true, true, false, 'DEFENDER', now(), '{author}', '{author}', now(), now()
             FROM generate_series(1, {MILLION}) g"
        ),
        format!(
            "INSERT INTO case_shares (id, case_id, country, coalition_id, level, created_by, created_at)
             SELECT gen_random_uuid(), id, 'NL', NULL, 'DETAIL', '{author}', now() FROM cases
             WHERE abs(hashtext(id::text)) % 20 = 0"
        ),
        "INSERT INTO case_access (country, case_id, level, hearings, status, risk_level, host_country)
         SELECT 'CA', id, 'OWNER', true, status, risk_level, host_country FROM cases
         UNION ALL
         SELECT s.country, c.id, s.level, true, c.status, c.risk_level, c.host_country
         FROM case_shares s JOIN cases c ON c.id = s.case_id"
            .to_owned(),
        format!(
            "INSERT INTO hearings (id, case_id, court, city, starts_at, timezone, duration_minutes, status,
                observers_needed, claim_deadline, created_by, created_at, updated_at)
             SELECT gen_random_uuid(), id, 'RTC', 'Manila', now() + (abs(hashtext(id::text)) % 300) * interval '1 day',
                'Asia/Manila', 60,
                (ARRAY['SCHEDULED', 'POSTPONED', 'HELD', 'CANCELLED'])[1 + abs(hashtext(id::text)) % 4],
                2, NULL, '{author}', now(), now()
             FROM cases WHERE abs(hashtext(id::text)) % 10 = 0"
        ),
        "INSERT INTO hearing_access (country, starts_at, hearing_id, level, status)
         SELECT a.country, h.starts_at, h.id, a.level, h.status FROM hearings h
         JOIN case_access a ON a.case_id = h.case_id AND a.hearings"
            .to_owned(),
    ] {
        txn.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
    for index in [Index::Cases, Index::Hearings] {
        internal_recount(&txn, index).await.expect("recount");
    }
    txn.commit().await.expect("commit");
    exec(
        &app,
        "ANALYZE cases; ANALYZE case_shares; ANALYZE case_access; ANALYZE hearings; ANALYZE hearing_access",
    )
    .await;
    eprintln!(
        "seeded {MILLION} cases in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let pg = DbBackend::Postgres;
    let nl = diplomat_of(nl_user, "NL", nl_mission);
    let ca = diplomat_of(author, "CA", ca_mission);
    let host = |c: &str| Some(CountryCode::parse("host", c).expect("host"));
    let filters = || {
        [
            (
                "status",
                case_policy::CaseFilter {
                    status: Some(CaseStatus::OnTrial),
                    ..Default::default()
                },
            ),
            (
                "status and risk",
                case_policy::CaseFilter {
                    status: Some(CaseStatus::Detained),
                    risk_level: Some(RiskLevel::Critical),
                    ..Default::default()
                },
            ),
            (
                "risk",
                case_policy::CaseFilter {
                    risk_level: Some(RiskLevel::High),
                    ..Default::default()
                },
            ),
            (
                "host and status",
                case_policy::CaseFilter {
                    host_country: host("KE"),
                    status: Some(CaseStatus::AtRisk),
                    ..Default::default()
                },
            ),
        ]
    };
    let mut explained = Vec::new();
    for (who, viewer) in [("NL", &nl), ("CA", &ca)] {
        for (what, f) in filters() {
            let rows = case_policy::index_rows(viewer, &f).expect("counted on the index");
            explained.push((
                format!("{who} cases count by {what}"),
                count_of(rows.build(pg)),
            ));
            let page = case_policy::visible(viewer)
                .filter(case_policy::filter(f).expect("filter"))
                .select_also(case_access::Entity)
                .order_by_asc(case_policy::PAGE_ORDER)
                .limit(51)
                .build(pg);
            explained.push((format!("{who} cases page by {what}"), page));
        }
        let country = viewer.country.expect("country");
        let calendar =
            hearing_policy::calendar_rows(country, None, None, Some(HearingStatus::Held));
        explained.push((
            format!("{who} hearings count by status"),
            count_of(calendar.build(pg)),
        ));
        let page = hearing_policy::visible(viewer)
            .filter(hearing_policy::filter(
                viewer,
                hearing_policy::HearingFilter {
                    status: Some(HearingStatus::Postponed),
                    ..Default::default()
                },
            ))
            .select_also(hearing_access::Entity)
            .order_by_asc(hearing_policy::CALENDAR_ORDER.0)
            .order_by_asc(hearing_policy::CALENDAR_ORDER.1)
            .limit(51)
            .build(pg);
        explained.push((format!("{who} hearings page by status"), page));
    }
    let mut failures = Vec::new();
    for (what, stmt) in explained {
        let (scans, plan) = seq_scans(&app, stmt).await;
        if !scans.is_empty() {
            failures.push(format!("{what}: sequential scan of {scans:?}\n{plan}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // The counts are the rows a viewer pages through.
    for (who, viewer) in [("NL", &nl), ("CA", &ca)] {
        let f = case_policy::CaseFilter {
            status: Some(CaseStatus::OnTrial),
            ..Default::default()
        };
        let counted = sea_orm::PaginatorTrait::count(
            case_policy::index_rows(viewer, &f).expect("on the index"),
            app.db(),
        )
        .await
        .expect("count");
        let joined = sea_orm::PaginatorTrait::count(
            case_policy::visible(viewer).filter(case_policy::filter(f).expect("filter")),
            app.db(),
        )
        .await
        .expect("count");
        assert_eq!(counted, joined, "{who}: ON_TRIAL counted on the index");
        assert!(counted > 0, "{who} sees ON_TRIAL cases");
    }
}
