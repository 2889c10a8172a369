//! The leak oracle for pages. A random world (seeded: countries, cases with
//! random consents and shares, hearings with claims, attack reports to random
//! recipients with triage notes, statements with random invitations) is built
//! through the API; every text anyone typed carries a unique marker. Then
//! each viewer opens every page — every object's page by id, every list, the
//! roster, the start page — and each page must show **no marker the API does
//! not show that same viewer** (the union of the API's answers to them: the
//! lists and every object by id, nested fields included), and an object the
//! API refuses them must answer the very same page as an id that never
//! existed (status and body, byte for byte). So a page shows no text, count
//! or country of anything the viewer may not read.
use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use regex::Regex;
use serde_json::json;

use crate::browser::page_cookie;
use crate::builders::{CASE_FIELDS, consent, manila_in};
use crate::helpers::*;
use crate::on_both_backends;

const COUNTRIES: [&str; 4] = ["CA", "NL", "DE", "SE"];

/// Markers: `zq` + kind letter + number + `qz`, so they survive HTML
/// escaping and never occur by chance.
fn marker(kind: char, n: usize) -> String {
    format!("zq{kind}{n}qz")
}

fn markers_in(text: &str) -> BTreeSet<String> {
    let re = Regex::new(r"zq[a-z]\d+qz").expect("marker regex");
    re.find_iter(text).map(|m| m.as_str().to_owned()).collect()
}

const HEARING_SELECTION: &str = "id court city status observersNeeded confirmedCount coverage
    claims { status position country user { email } }
    case { id pseudonym region summary }
    observations { country notes }";
const REPORT_SELECTION: &str = "id reference region description recipientCountries
    responses { country state note } myResponse { country state note }
    cases { id pseudonym region summary } priorReports { id region description }";
const STATEMENT_SELECTION: &str = "id title status leadCountry
    currentVersion { number body } versions { number body }
    participants { country role signature { status version reason } }
    cases { id pseudonym region summary }";

struct Viewer {
    name: String,
    actor: Actor,
    cookie: String,
}

struct World {
    viewers: Vec<Viewer>,
    cases: Vec<String>,
    hearings: Vec<String>,
    reports: Vec<String>,
    statements: Vec<String>,
}

async fn build_world(app: &TestApp, seed: u64) -> World {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut next = 0usize;
    let mut mark = |kind: char| {
        next += 1;
        marker(kind, next)
    };
    let mut coordinators = Vec::new();
    let mut viewers = Vec::new();
    for country in COUNTRIES {
        let coordinator = app.user("COORDINATOR", country).await;
        let diplomat = app.diplomat(country).await;
        coordinators.push((country, coordinator.clone()));
        viewers.push((format!("{country} coordinator"), coordinator));
        viewers.push((format!("{country} diplomat"), diplomat));
        viewers.push((format!("{country} admin"), app.admin(country).await));
    }
    let liaisons = [app.liaison().await, app.liaison().await];
    for (i, liaison) in liaisons.iter().enumerate() {
        viewers.push((format!("liaison {i}"), liaison.clone()));
    }

    let mut cases = Vec::new();
    let mut hearings = Vec::new();
    for _ in 0..8 {
        let (owner, coordinator) = coordinators
            .choose(&mut rng)
            .expect("a coordinator")
            .clone();
        let created = coordinator
            .q(
                &format!("mutation($i: CreateCaseInput!) {{ createCase(input: $i) {{ {CASE_FIELDS} }} }}"),
                json!({ "i": { "pseudonym": mark('p'), "hostCountry": "PH", "region": mark('r'),
                    "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK",
                    "summary": mark('s'),
                    "identity": { "legalName": mark('n'), "contact": mark('c'), "location": mark('l'), "notes": mark('o') } } }),
            )
            .await;
        let id = str_of(&created.data()["createCase"]["id"], "case id");
        let shared = rng.gen_bool(0.7);
        consent(&coordinator, &id, shared).await.data();
        if shared {
            for other in COUNTRIES.iter().filter(|c| **c != owner) {
                if rng.gen_bool(0.5) {
                    let level = if rng.gen_bool(0.5) {
                        "DETAIL"
                    } else {
                        "SUMMARY"
                    };
                    coordinator
                        .q(
                            "mutation($id: ID!, $c: String!, $l: ShareLevel!) { shareCase(caseId: $id, input: { country: $c, level: $l }) { id } }",
                            json!({ "id": id, "c": other, "l": level }),
                        )
                        .await
                        .data();
                }
            }
        }
        if rng.gen_bool(0.6) {
            let hearing = coordinator
                .q(
                    "mutation($c: ID!, $i: ScheduleHearingInput!) { scheduleHearing(caseId: $c, input: $i) { id } }",
                    json!({ "c": id, "i": { "court": mark('h'), "city": mark('y'), "localStart": manila_in(rng.gen_range(3..20)),
                        "timezone": "Asia/Manila", "durationMinutes": 90, "observersNeeded": rng.gen_range(1..3) } }),
                )
                .await;
            hearings.push(str_of(
                &hearing.data()["scheduleHearing"]["id"],
                "hearing id",
            ));
        }
        cases.push(id);
    }
    // Diplomats claim what they can; refusals are part of the world.
    for (name, actor) in &viewers {
        if name.ends_with("diplomat") {
            for hearing in &hearings {
                if rng.gen_bool(0.5) {
                    actor
                        .q(
                            "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { id } }",
                            json!({ "h": hearing }),
                        )
                        .await;
                }
            }
        }
    }

    let mut reports = Vec::new();
    for i in 0..5 {
        let liaison = &liaisons[i % 2];
        let mut recipients: Vec<&str> = COUNTRIES
            .iter()
            .copied()
            .filter(|_| rng.gen_bool(0.5))
            .collect();
        if recipients.is_empty() {
            recipients.push(COUNTRIES[i % COUNTRIES.len()]);
        }
        let input = crate::builders::report_input(
            &recipients,
            json!({ "region": mark('g'), "description": mark('d') }),
        );
        let submitted = liaison
            .q(
                "mutation($i: SubmitAttackReportInput!) { submitAttackReport(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await;
        let id = str_of(&submitted.data()["submitAttackReport"]["id"], "report id");
        for (country, coordinator) in &coordinators {
            if recipients.contains(country) && rng.gen_bool(0.6) {
                crate::builders::acknowledge(coordinator, &id, Some(&mark('a')))
                    .await
                    .data();
            }
        }
        reports.push(id);
    }

    let mut statements = Vec::new();
    for _ in 0..3 {
        let (lead, coordinator) = coordinators
            .choose(&mut rng)
            .expect("a coordinator")
            .clone();
        let invited: Vec<&str> = COUNTRIES
            .iter()
            .copied()
            .filter(|c| *c != lead && rng.gen_bool(0.5))
            .collect();
        let id = crate::builders::created(
            &coordinator,
            &invited,
            json!({ "title": mark('t'), "body": format!("{}\n{}\n", mark('b'), mark('b')) }),
        )
        .await;
        if rng.gen_bool(0.5) {
            crate::builders::revise(&coordinator, &id, 1, &format!("{}\n", mark('v')))
                .await
                .data();
        }
        statements.push(id);
    }

    let mut signed_in = Vec::new();
    for (name, actor) in viewers {
        let cookie = page_cookie(app, &actor.email).await;
        signed_in.push(Viewer {
            name,
            actor,
            cookie,
        });
    }
    World {
        viewers: signed_in,
        cases,
        hearings,
        reports,
        statements,
    }
}

/// Everything the API shows `viewer`: every list and every object by id.
async fn api_markers(viewer: &Viewer, world: &World) -> BTreeSet<String> {
    let a = &viewer.actor;
    let mut seen = String::new();
    let lists = [
        format!(
            "{{ cases(first: 100) {{ totalCount edges {{ node {{ {CASE_FIELDS} attackReports {{ id region description }} }} }} }} }}"
        ),
        format!(
            "{{ hearings(first: 100) {{ totalCount edges {{ node {{ {HEARING_SELECTION} }} }} }} }}"
        ),
        format!(
            "{{ attackReports(first: 100) {{ totalCount edges {{ node {{ {REPORT_SELECTION} }} }} }} }}"
        ),
        format!(
            "{{ statements(first: 100) {{ totalCount edges {{ node {{ {STATEMENT_SELECTION} }} }} }} }}"
        ),
        format!("{{ myRoster {{ status position country hearing {{ {HEARING_SELECTION} }} }} }}"),
    ];
    for query in &lists {
        seen.push_str(&a.q(query, json!({})).await.body.to_string());
    }
    let by_id = [
        (
            &world.cases,
            format!(
                "query($id: ID!) {{ case(id: $id) {{ {CASE_FIELDS} attackReports {{ id region description }} }} }}"
            ),
        ),
        (
            &world.hearings,
            format!("query($id: ID!) {{ hearing(id: $id) {{ {HEARING_SELECTION} }} }}"),
        ),
        (
            &world.reports,
            format!("query($id: ID!) {{ attackReport(id: $id) {{ {REPORT_SELECTION} }} }}"),
        ),
        (
            &world.statements,
            format!("query($id: ID!) {{ statement(id: $id) {{ {STATEMENT_SELECTION} }} }}"),
        ),
    ];
    for (ids, query) in &by_id {
        for id in ids.iter() {
            seen.push_str(&a.q(query, json!({ "id": id })).await.body.to_string());
        }
    }
    markers_in(&seen)
}

/// Whether the API finds object `id` for `viewer` (by its kind's query).
async fn api_finds(viewer: &Viewer, section: &str, id: &str) -> bool {
    let query = match section {
        "cases" => "query($id: ID!) { case(id: $id) { id } }",
        "hearings" => "query($id: ID!) { hearing(id: $id) { id } }",
        "reports" => "query($id: ID!) { attackReport(id: $id) { id } }",
        _ => "query($id: ID!) { statement(id: $id) { id } }",
    };
    let r = viewer.actor.q(query, json!({ "id": id })).await;
    match r.body["errors"][0]["extensions"]["code"].as_str() {
        None => true,
        Some("NOT_FOUND") => false,
        Some(other) => panic!("{}: {section}/{id}: unexpected {other}", viewer.name),
    }
}

/// A page as `viewer`: status and body.
async fn page(app: &TestApp, viewer: &Viewer, path: &str) -> (u16, String) {
    let res = app
        .http()
        .get(app.url(path))
        .header("cookie", &viewer.cookie)
        .send()
        .await
        .expect("page answered");
    let status = res.status().as_u16();
    (status, res.text().await.expect("page body"))
}

/// A global id of `kind` that never existed.
fn never_existed(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{kind}:{}", uuid::Uuid::new_v4()))
}

/// What one viewer's pages showed: the problems, and how many markers the
/// pages showed at all (so the oracle cannot pass by showing nothing).
async fn check_viewer(app: &TestApp, viewer: &Viewer, world: &World) -> (Vec<String>, usize) {
    let allowed = api_markers(viewer, world).await;
    let mut problems = Vec::new();
    let mut shown = BTreeSet::new();
    let mut pages: Vec<String> = [
        "/",
        "/roster",
        "/hearings",
        "/cases",
        "/reports",
        "/statements",
        "/coverage",
        "/account",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    let sections = [
        ("cases", "Case", &world.cases),
        ("hearings", "Hearing", &world.hearings),
        ("reports", "AttackReport", &world.reports),
        ("statements", "Statement", &world.statements),
    ];
    for (section, kind, ids) in sections {
        let (missing_status, missing_body) =
            page(app, viewer, &format!("/{section}/{}", never_existed(kind))).await;
        for id in ids.iter() {
            let path = format!("/{section}/{id}");
            if api_finds(viewer, section, id).await {
                // The pages that show more of a visible object: the case's
                // identity (shown on request, audited, as the API reads
                // it) and a statement's earlier text (the difference page).
                match section {
                    "cases" => pages.push(format!("{path}?identity=show")),
                    "statements" => pages.push(format!("{path}/diff?from=1&to=2")),
                    _ => {}
                }
                pages.push(path);
            } else {
                let (status, body) = page(app, viewer, &path).await;
                if status != missing_status || body != missing_body {
                    problems.push(format!(
                        "{}: {path} is hidden from them by the API, but its page ({status}) differs from a missing one ({missing_status})",
                        viewer.name
                    ));
                }
            }
        }
    }
    for path in pages {
        let (status, body) = page(app, viewer, &path).await;
        if status >= 500 {
            problems.push(format!("{}: {path} failed with {status}", viewer.name));
        }
        let markers = markers_in(&body);
        let leaked: Vec<String> = markers.difference(&allowed).cloned().collect();
        shown.extend(markers);
        if !leaked.is_empty() {
            problems.push(format!(
                "{}: {path} shows {leaked:?}, which the API does not show them",
                viewer.name
            ));
        }
    }
    // Pages show what the API shows: every marker the API shows this viewer
    // appears on some page of theirs.
    let missing: Vec<&String> = allowed.difference(&shown).collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{}: the API shows them {missing:?}, which no page of theirs shows",
            viewer.name
        ));
    }
    (problems, shown.len())
}

on_both_backends! {
    async fn every_page_shows_no_more_than_the_api_shows_the_same_person(app: TestApp) {
        let seed: u64 = std::env::var("ACCORD_ORACLE_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| rand::thread_rng().r#gen());
        eprintln!("page oracle seed {seed} (ACCORD_ORACLE_SEED={seed} repeats it)");
        let world = build_world(&app, seed).await;
        let mut problems = Vec::new();
        let mut shown = 0;
        for viewer in &world.viewers {
            let (found, markers) = check_viewer(&app, viewer, &world).await;
            problems.extend(found);
            shown += markers;
        }
        assert!(problems.is_empty(), "seed {seed}:\n{}", problems.join("\n"));
        assert!(shown > 0, "no page showed anything: the oracle would prove nothing");
    }
}
