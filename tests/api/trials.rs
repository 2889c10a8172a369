//! Hearings in local time, the roster under contention, observations,
//! the trial calendar and the coverage overview.
use chrono::Duration;
use serde_json::{Value, json};

use crate::builders::*;
use crate::helpers::*;
use crate::on_both_backends;

async fn release(by: &Actor, hearing: &str) -> Resp {
    by.q(
        &format!("mutation($h: ID!) {{ releaseRosterSlot(hearingId: $h) {{ {HEARING_FIELDS} }} }}"),
        json!({ "h": hearing }),
    )
    .await
}

async fn hearing(by: &Actor, id: &str) -> Resp {
    by.q(&format!("query($h: ID!) {{ hearing(id: $h) {{ {HEARING_FIELDS} observations {{ country attended courtroomAccess outcome publicAccess notes observer {{ email }} }} }} }}"), json!({ "h": id })).await
}

fn statuses(h: &Value) -> Vec<(String, Option<i64>)> {
    h["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap_or("").to_owned(),
                c["position"].as_i64(),
            )
        })
        .collect()
}

on_both_backends! {
    async fn hearings_are_entered_in_local_time(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let r = schedule(&coord, &case, "2026-12-01T09:30:00", "Asia/Manila", 2).await;
        let h = &r.data()["scheduleHearing"];
        assert_eq!(h["startsAt"], "2026-12-01T01:30:00+00:00");
        assert_eq!(h["localStart"], "2026-12-01T09:30:00");
        assert_eq!(h["utcOffset"], "+08:00");
        assert_eq!(h["coverage"], "UNCOVERED");

        // Europe/Berlin, 29 March 2026: 02:00–03:00 does not exist.
        let gap = schedule(&coord, &case, "2026-03-29T02:30:00", "Europe/Berlin", 1).await;
        assert_eq!((gap.code(), gap.field()), ("BAD_USER_INPUT".into(), "localStart".into()));
        assert!(gap.message().contains("does not exist"), "{}", gap.message());
        // 25 October 2026: 02:00–03:00 happens twice.
        let overlap = schedule(&coord, &case, "2026-10-25T02:30:00", "Europe/Berlin", 1).await;
        assert_eq!((overlap.code(), overlap.field()), ("BAD_USER_INPUT".into(), "utcOffset".into()));
        let second = coord.q(
            "mutation($c: ID!) { scheduleHearing(caseId: $c, input: { court: \"Amtsgericht\", city: \"Berlin\", localStart: \"2026-10-25T02:30:00\",
              timezone: \"Europe/Berlin\", utcOffset: \"+01:00\", durationMinutes: 60, observersNeeded: 1 }) { startsAt localStart utcOffset } }",
            json!({ "c": case })).await;
        assert_eq!(second.data()["scheduleHearing"]["startsAt"], "2026-10-25T01:30:00+00:00");
        assert_eq!(second.data()["scheduleHearing"]["utcOffset"], "+01:00");
        let unknown = schedule(&coord, &case, "2026-12-01T09:30:00", "Asia/Atlantis", 1).await;
        assert_eq!(unknown.field(), "timezone");
        let bad = schedule(&coord, &case, "01/12/2026 9:30", "Asia/Manila", 1).await;
        assert_eq!(bad.field(), "localStart");
        assert_eq!(schedule(&coord, &case, "2026-12-01T09:30:00", "Asia/Manila", 51).await.field(), "observersNeeded");
        let late_deadline = coord.q(
            "mutation($c: ID!) { scheduleHearing(caseId: $c, input: { court: \"C\", city: \"Davao\", localStart: \"2026-12-01T09:30:00\",
              timezone: \"Asia/Manila\", durationMinutes: 60, observersNeeded: 1, claimDeadline: \"2026-12-02T00:00:00Z\" }) { id } }",
            json!({ "c": case })).await;
        assert_eq!(late_deadline.field(), "claimDeadline");
        let zero = coord.q(
            "mutation($c: ID!) { scheduleHearing(caseId: $c, input: { court: \" \", city: \"Davao\", localStart: \"2026-12-01T09:30:00\",
              timezone: \"Asia/Manila\", durationMinutes: 0, observersNeeded: 1 }) { id } }",
            json!({ "c": case })).await;
        assert_eq!(zero.field(), "court");
        let long = coord.q(
            "mutation($c: ID!) { scheduleHearing(caseId: $c, input: { court: \"C\", city: \"Davao\", localStart: \"2026-12-01T09:30:00\",
              timezone: \"Asia/Manila\", durationMinutes: 1441, observersNeeded: 1 }) { id } }",
            json!({ "c": case })).await;
        assert_eq!(long.field(), "durationMinutes");
        let filter = "query($f: HearingFilter) { hearings(filter: $f) { totalCount } }";
        assert_eq!(coord.q(filter, json!({ "f": { "caseId": "nonsense" } })).await.field(), "filter.caseId");
        assert_eq!(coord.q(filter, json!({ "f": { "hostCountry": "XX" } })).await.field(), "filter.hostCountry");
        coord.q("{ hearings(after: \"bogus\") { totalCount } }", json!({})).await.assert_code("BAD_USER_INPUT");
    }

    async fn scheduling_needs_the_owner_and_consent_and_visibility_follows_the_case(app: TestApp) {
        let coord = app.user("COORDINATOR", "CA").await;
        let c = open_case(&coord, "Defender N", "No Consent").await;
        let case = c["id"].as_str().expect("id").to_owned();
        schedule(&coord, &case, &manila_in(5), "Asia/Manila", 1).await.assert_code("CONSENT_REQUIRED");
        consent(&coord, &case, true).await.data();
        share(&coord, &case, "NL", "DETAIL").await.data();
        share(&coord, &case, "DE", "SUMMARY").await.data();
        schedule(&app.diplomat("CA").await, &case, &manila_in(5), "Asia/Manila", 1).await.assert_code("FORBIDDEN");
        schedule(&app.user("COORDINATOR", "NL").await, &case, &manila_in(5), "Asia/Manila", 1).await.assert_code("FORBIDDEN");
        let r = schedule(&coord, &case, &manila_in(5), "Asia/Manila", 1).await;
        let id = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();

        hearing(&app.diplomat("NL").await, &id).await.data();
        let summary_only = hearing(&app.diplomat("DE").await, &id).await;
        let missing = hearing(&app.diplomat("DE").await, "SGVhcmluZzowMTlhMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA").await;
        summary_only.assert_code("NOT_FOUND");
        assert_eq!(summary_only.body, missing.body);
        for outsider in [app.diplomat("CH").await, app.liaison().await, app.operator().await] {
            hearing(&outsider, &id).await.assert_code("NOT_FOUND");
            let list = outsider.q("{ hearings { totalCount } }", json!({})).await;
            assert_eq!(list.data()["hearings"]["totalCount"], 0);
        }
        // Consent to observation withdrawn: no new hearings.
        coord.q("mutation($id: ID!) { recordConsent(caseId: $id, input: { shareWithPartners: true, trialObservation: false, publicAdvocacy: false, givenBy: FAMILY }) { id } }",
            json!({ "id": case })).await.data();
        schedule(&coord, &case, &manila_in(6), "Asia/Manila", 1).await.assert_code("CONSENT_REQUIRED");
        // Withdrawn consent to share: partners lose the hearing too.
        consent(&coord, &case, false).await.data();
        hearing(&app.diplomat("NL").await, &id).await.assert_code("NOT_FOUND");
    }

    async fn the_roster_fills_waitlists_promotes_and_rebalances(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let r = schedule(&coord, &case, &manila_in(7), "Asia/Manila", 2).await;
        let id = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let ca = app.diplomat("CA").await;
        let nl1 = app.diplomat("NL").await;
        let nl2 = app.user("COORDINATOR", "NL").await;
        let nl3 = app.diplomat("NL").await;
        assert_eq!(claim(&ca, &id).await.data()["claimRosterSlot"]["status"], "CONFIRMED");
        assert_eq!(claim(&nl1, &id).await.data()["claimRosterSlot"]["status"], "CONFIRMED");
        let w1 = claim(&nl2, &id).await;
        assert_eq!((w1.data()["claimRosterSlot"]["status"].clone(), w1.data()["claimRosterSlot"]["position"].clone()), (json!("WAITLISTED"), json!(1)));
        assert_eq!(claim(&nl3, &id).await.data()["claimRosterSlot"]["position"], 2);
        claim(&nl3, &id).await.assert_code("CONFLICT");
        // Who may claim: not admins, not SUMMARY-level countries, not liaisons.
        claim(&app.admin("CA").await, &id).await.assert_code("FORBIDDEN");
        claim(&app.diplomat("DE").await, &id).await.assert_code("NOT_FOUND");
        claim(&app.liaison().await, &id).await.assert_code("NOT_FOUND");

        let h = hearing(&coord, &id).await;
        let h = &h.data()["hearing"];
        assert_eq!(h["coverage"], "COVERED");
        assert_eq!(statuses(h), vec![("CONFIRMED".into(), None), ("CONFIRMED".into(), None), ("WAITLISTED".into(), Some(1)), ("WAITLISTED".into(), Some(2))]);
        // The owner country sees every observer; NL sees only its own people.
        assert!(h["claims"].as_array().expect("claims").iter().all(|c| c["user"]["email"].is_string()));
        let seen_by_nl = hearing(&nl1, &id).await;
        for c in seen_by_nl.data()["hearing"]["claims"].as_array().expect("claims") {
            assert_eq!(c["user"].is_null(), c["country"] == "CA", "{c}");
        }

        // Releasing a confirmed place promotes the first of the waitlist.
        let after = release(&ca, &id).await;
        let after = &after.data()["releaseRosterSlot"];
        assert_eq!(statuses(after), vec![("CONFIRMED".into(), None), ("CONFIRMED".into(), None), ("WAITLISTED".into(), Some(1))]);
        release(&ca, &id).await.assert_code("BAD_USER_INPUT");
        let mine = nl2.q("{ myRoster { status position hearing { id } } }", json!({})).await;
        assert_eq!(mine.data()["myRoster"][0]["status"], "CONFIRMED");

        // Fewer places: the latest confirmed goes back to the front of the waitlist.
        let fewer = coord.q(&format!("mutation($h: ID!) {{ updateHearing(id: $h, input: {{ observersNeeded: 1 }}) {{ {HEARING_FIELDS} }} }}"), json!({ "h": id })).await;
        let fewer = &fewer.data()["updateHearing"];
        assert_eq!(statuses(fewer), vec![("CONFIRMED".into(), None), ("WAITLISTED".into(), Some(1)), ("WAITLISTED".into(), Some(2))]);
        assert_eq!(fewer["coverage"], "COVERED");
        let mine = nl2.q("{ myRoster { status position } }", json!({})).await;
        assert_eq!(mine.data()["myRoster"][0], json!({ "status": "WAITLISTED", "position": 1 }));
    }

    async fn no_claims_after_the_deadline_on_closed_or_overlapping_hearings(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let first = schedule(&coord, &case, &manila_in(3), "Asia/Manila", 3).await;
        let a = first.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let same_time = schedule(&coord, &case, &manila_in(3), "Asia/Manila", 3).await;
        let b = same_time.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let later = schedule(&coord, &case, &manila_in(9), "Asia/Manila", 3).await;
        let c = later.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let dip = app.diplomat("NL").await;
        claim(&dip, &a).await.data();
        claim(&dip, &b).await.assert_code("CONFLICT");
        coord.q("mutation($h: ID!) { updateHearing(id: $h, input: { status: CANCELLED }) { status } }", json!({ "h": b })).await.data();
        claim(&app.diplomat("NL").await, &b).await.assert_code("SLOT_UNAVAILABLE");
        coord.q("mutation($h: ID!) { updateHearing(id: $h, input: { status: SCHEDULED }) { status } }", json!({ "h": b }))
            .await.assert_code("CONFLICT");
        let postpone = "mutation($h: ID!) { updateHearing(id: $h, input: { status: POSTPONED }) { status } }";
        app.user("COORDINATOR", "NL").await.q(postpone, json!({ "h": c })).await.assert_code("FORBIDDEN");
        app.user("COORDINATOR", "CH").await.q(postpone, json!({ "h": c })).await.assert_code("NOT_FOUND");
        coord.q("mutation($h: ID!) { updateHearing(id: $h, input: { localStart: \"2026-03-29T02:30:00\", timezone: \"Europe/Berlin\" }) { status } }",
            json!({ "h": c })).await.assert_code("BAD_USER_INPUT");
        app.advance_clock(Duration::days(10));
        claim(&app.diplomat("NL").await, &c).await.assert_code("SLOT_UNAVAILABLE");
        // A cancelled hearing takes no observation, even from a confirmed observer.
        coord.q("mutation($h: ID!) { updateHearing(id: $h, input: { status: CANCELLED }) { status } }", json!({ "h": a })).await.data();
        dip.q("mutation($h: ID!) { submitObservation(hearingId: $h, input: { courtroomAccess: GRANTED, outcome: HEARD }) { id } }", json!({ "h": a }))
            .await.assert_code("CONFLICT");
    }

    async fn observers_report_after_the_start(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let r = schedule(&coord, &case, &manila_in(2), "Asia/Manila", 1).await;
        let id = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let nl = app.diplomat("NL").await;
        let waiting = app.diplomat("NL").await;
        claim(&nl, &id).await.data();
        claim(&waiting, &id).await.data();
        let observe = "mutation($h: ID!, $i: ObservationInput!) { submitObservation(hearingId: $h, input: $i) { observations { country attended outcome publicAccess } } }";
        let denied = json!({ "courtroomAccess": "DENIED", "outcome": "ACCESS_DENIED", "publicAccess": "CLOSED", "notes": "Turned away at the gate" });
        nl.q(observe, json!({ "h": id, "i": denied })).await.assert_code("BAD_USER_INPUT");
        app.advance_clock(Duration::days(3));
        waiting.q(observe, json!({ "h": id, "i": denied })).await.assert_code("FORBIDDEN");
        nl.q(observe, json!({ "h": id, "i": { "courtroomAccess": "DENIED", "outcome": "HEARD" } })).await.assert_code("BAD_USER_INPUT");
        let ok = nl.q(observe, json!({ "h": id, "i": denied })).await;
        assert_eq!(ok.data()["submitObservation"]["observations"], json!([{ "country": "NL", "attended": false, "outcome": "ACCESS_DENIED", "publicAccess": "CLOSED" }]));
        // Locked: a second submission is refused (amendObservation corrects it).
        nl.q(observe, json!({ "h": id, "i": { "courtroomAccess": "GRANTED", "outcome": "ADJOURNED", "defendantPresent": true } })).await.assert_code("CONFLICT");
        let seen = hearing(&coord, &id).await;
        let obs = seen.data()["hearing"]["observations"].as_array().expect("obs").clone();
        assert_eq!(obs.len(), 1, "one per observer");
        assert_eq!((obs[0]["outcome"].clone(), obs[0]["courtroomAccess"].clone()), (json!("ACCESS_DENIED"), json!("DENIED")));
        assert!(obs[0]["observer"]["email"].is_string(), "the owner country sees who observed");
        let by_other_nl = hearing(&app.diplomat("NL").await, &id).await;
        assert!(by_other_nl.data()["hearing"]["observations"][0]["observer"]["email"].is_string(), "own country too");
    }

    async fn the_calendar_filters_and_the_coverage_overview(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let mut ids = Vec::new();
        for (days, needed) in [(4, 2), (2, 1), (6, 0), (30, 1)] {
            let r = schedule(&coord, &case, &manila_in(days), "Asia/Manila", needed).await;
            ids.push(r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned());
        }
        let nl = app.diplomat("NL").await;
        claim(&nl, &ids[0]).await.data();
        let page = "query($after: String, $f: HearingFilter) { hearings(first: 2, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { id coverage } } } }";
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let r = nl.q(page, json!({ "after": after, "f": null })).await;
            let h = &r.data()["hearings"];
            assert_eq!(h["totalCount"], 4);
            seen.extend(h["edges"].as_array().expect("edges").iter().map(|e| e["node"]["id"].as_str().unwrap_or("").to_owned()));
            if h["pageInfo"]["hasNextPage"] != true { break; }
            after = h["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen, vec![ids[1].clone(), ids[0].clone(), ids[2].clone(), ids[3].clone()], "by start time");
        let count = async |f: Value| nl.q(page, json!({ "after": null, "f": f })).await.data()["hearings"]["totalCount"].as_i64().expect("n");
        assert_eq!(count(json!({ "coverage": "PARTIAL" })).await, 1);
        assert_eq!(count(json!({ "coverage": "UNCOVERED" })).await, 2);
        assert_eq!(count(json!({ "coverage": "COVERED" })).await, 1);
        assert_eq!(count(json!({ "onlyMine": true })).await, 1);
        assert_eq!(count(json!({ "hostCountry": "PH" })).await, 4);
        assert_eq!(count(json!({ "hostCountry": "TH" })).await, 0);

        let gaps = coord.q("{ coverageGaps(days: 14) { hostCountry uncovered partial hearings { id } } }", json!({})).await;
        let g = &gaps.data()["coverageGaps"];
        assert_eq!(g[0]["hostCountry"], "PH");
        assert_eq!((g[0]["uncovered"].clone(), g[0]["partial"].clone()), (json!(1), json!(1)));
        nl.q("{ coverageGaps { hostCountry } }", json!({})).await.assert_code("FORBIDDEN");
        coord.q("{ coverageGaps(days: 0) { hostCountry } }", json!({})).await.assert_code("BAD_USER_INPUT");
    }

    async fn two_hundred_concurrent_claims_never_overbook(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let r = schedule(&coord, &case, &manila_in(10), "Asia/Manila", 3).await;
        let id = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let admin = app.admin("NL").await;
        let mission = app.mission("NL").await;
        let mut claimers = Vec::new();
        for i in 0..200 {
            let email = format!("crowd{i}@test.example");
            admin.create_user(&email, "DIPLOMAT", Some(&mission), None).await.data();
            claimers.push(app.login(&email, PASSWORD).await);
        }
        let started = std::time::Instant::now();
        let tasks: Vec<_> = claimers.into_iter().map(|who| {
            let id = id.clone();
            tokio::spawn(async move { claim(&who, &id).await })
        }).collect();
        let mut confirmed = 0;
        let mut positions = Vec::new();
        for t in tasks {
            let r = t.await.expect("task");
            let c = &r.data()["claimRosterSlot"];
            match c["status"].as_str() {
                Some("CONFIRMED") => confirmed += 1,
                Some("WAITLISTED") => positions.push(c["position"].as_i64().expect("position")),
                other => panic!("unexpected {other:?}"),
            }
        }
        eprintln!("200 concurrent claims answered in {:?}", started.elapsed());
        assert_eq!(confirmed, 3);
        positions.sort();
        assert_eq!(positions, (1..=197).collect::<Vec<i64>>(), "positions 1..n, no gaps, no duplicates");
        let h = hearing(&coord, &id).await;
        assert_eq!(h.data()["hearing"]["confirmedCount"], 3);
        let stored: Vec<i64> = h.data()["hearing"]["claims"].as_array().expect("claims").iter().filter_map(|c| c["position"].as_i64()).collect();
        assert_eq!(stored, (1..=197).collect::<Vec<i64>>());
    }

    async fn claims_decided_together_each_get_their_own_answer(app: TestApp) {
        // Concurrent claims on one hearing are decided in batches under one
        // lock: a refused claim must not change any other claim's answer.
        let (coord, case) = observed_case(&app).await;
        let r = schedule(&coord, &case, &manila_in(12), "Asia/Manila", 2).await;
        let id = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let mut crowd: Vec<(Actor, &str)> = Vec::new();
        for _ in 0..8 {
            crowd.push((app.diplomat("NL").await, "OK"));
        }
        let twice = app.diplomat("NL").await;
        for _ in 0..3 {
            crowd.push((twice.clone(), "ONE OF THREE"));
        }
        for _ in 0..3 {
            // DE sees the case at SUMMARY only: not the hearing.
            crowd.push((app.diplomat("DE").await, "NOT_FOUND"));
        }
        crowd.push((app.admin("NL").await, "FORBIDDEN"));
        let tasks: Vec<_> = crowd.into_iter().map(|(who, expect)| {
            let id = id.clone();
            tokio::spawn(async move { (expect, claim(&who, &id).await) })
        }).collect();
        let (mut positions, mut confirmed, mut repeated_ok, mut repeated_conflict) = (Vec::new(), 0, 0, 0);
        for t in tasks {
            let (expect, r) = t.await.expect("task");
            match expect {
                "NOT_FOUND" | "FORBIDDEN" => {
                    r.assert_code(expect);
                }
                _ => {
                    let won = r.body["errors"].is_null();
                    if expect == "ONE OF THREE" {
                        if won { repeated_ok += 1 } else { r.assert_code("CONFLICT"); repeated_conflict += 1; continue }
                    }
                    let c = &r.data()["claimRosterSlot"];
                    match c["status"].as_str() {
                        Some("CONFIRMED") => confirmed += 1,
                        Some("WAITLISTED") => positions.push(c["position"].as_i64().expect("position")),
                        other => panic!("unexpected {other:?}"),
                    }
                }
            }
        }
        assert_eq!((repeated_ok, repeated_conflict), (1, 2), "one claim per diplomat");
        assert_eq!(confirmed, 2);
        positions.sort();
        assert_eq!(positions, (1..=7).collect::<Vec<i64>>());
        let h = hearing(&coord, &id).await;
        assert_eq!(h.data()["hearing"]["confirmedCount"], 2);
        assert_eq!(h.data()["hearing"]["claims"].as_array().map(Vec::len), Some(9));
        // Each accepted claim is audited once, and the chain holds.
        let events = sea_orm::ConnectionTrait::query_one_raw(app.db(), sea_orm::Statement::from_string(sea_orm::ConnectionTrait::get_database_backend(app.db()),
            "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'ROSTER_CLAIMED'")).await.expect("count").expect("row");
        assert_eq!(events.try_get::<i64>("", "n").expect("n"), 9);
        assert!(matches!(accord_server::audit::verify(app.db()).await.expect("verify"),
            accord_server::audit::Verification::Intact { .. }));
    }
}

on_both_backends! {
    async fn a_private_calendar_feed_lists_confirmed_hearings_without_defender_data(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let r = schedule(&coord, &case, "2027-12-01T09:30:00", "Asia/Manila", 1).await;
        let confirmed = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let r = schedule(&coord, &case, "2027-12-02T09:30:00", "Asia/Manila", 0).await;
        let waitlisted = r.data()["scheduleHearing"]["id"].as_str().expect("id").to_owned();
        let nl = app.diplomat("NL").await;
        claim(&nl, &confirmed).await.data();
        claim(&nl, &waitlisted).await.data();
        let issue = "mutation { issueCalendarFeed { url } }";
        let url = nl.q(issue, json!({})).await.data()["issueCalendarFeed"]["url"].as_str().expect("url").to_owned();
        let path = url.split_once("/calendar/").map(|(_, p)| format!("/calendar/{p}")).expect("path");
        let res = app.http().get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"].to_str().expect("ct").starts_with("text/calendar"));
        let ics = res.text().await.expect("body");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.trim_end().ends_with("END:VCALENDAR"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "only the confirmed claim: {ics}");
        assert!(ics.contains("DTSTART:20271201T013000Z"), "{ics}");
        assert!(ics.contains("Regional Trial Court Branch 12") && ics.contains("Davao"), "{ics}");
        // Read back by a real iCalendar parser: one event, at the instant
        // scheduled, linking to the hearing's page (with the API's id).
        let parsed: icalendar::Calendar = ics.parse().expect("the feed parses as iCalendar");
        let events: Vec<&icalendar::Event> = parsed
            .components
            .iter()
            .filter_map(|c| match c {
                icalendar::CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 1, "{ics}");
        use icalendar::Component;
        let starts = events[0].get_start().expect("DTSTART");
        assert_eq!(
            starts,
            icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(
                "2027-12-01T01:30:00Z".parse().expect("instant")
            ))
        );
        assert_eq!(
            events[0].property_value("URL"),
            Some(format!("http://127.0.0.1:8080/hearings/{confirmed}").as_str()),
            "{ics}"
        );
        for secret in ["Defender T", "Trial Person", "PH-20", "Community leader", "Mindanao"] {
            assert!(!ics.contains(secret), "{secret} leaked into the feed");
        }
        // Re-issuing replaces the URL; revoking ends it; unknown tokens are 404.
        let again = nl.q(issue, json!({})).await.data()["issueCalendarFeed"]["url"].as_str().expect("url").to_owned();
        assert_ne!(again, url);
        assert_eq!(app.http().get(app.url(&path)).send().await.expect("sent").status().as_u16(), 404);
        let new_path = again.split_once("/calendar/").map(|(_, p)| format!("/calendar/{p}")).expect("path");
        assert_eq!(app.http().get(app.url(&new_path)).send().await.expect("sent").status().as_u16(), 200);
        assert_eq!(nl.q("mutation { revokeCalendarFeed }", json!({})).await.data()["revokeCalendarFeed"], true);
        assert_eq!(app.http().get(app.url(&new_path)).send().await.expect("sent").status().as_u16(), 404);
        assert_eq!(app.http().get(app.url("/calendar/nope.ics")).send().await.expect("sent").status().as_u16(), 404);
        app.liaison().await.q(issue, json!({})).await.assert_code("FORBIDDEN");
    }
}

on_both_backends! {
    // Issue 21 (docs/RULES.md rule 10): `myRoster` is a list, so it is
    // capped on write: at most 100 claims on open hearings per diplomat.
    // A cancelled hearing leaves the roster and frees its place.
    async fn a_diplomat_holds_at_most_100_claims_on_open_hearings(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let nl = app.diplomat("NL").await;
        let mut ids = Vec::new();
        for day in 0..101 {
            let h = schedule(&coord, &case, &manila_in(day + 2), "Asia/Manila", 2).await;
            ids.push(str_of(&h.data()["scheduleHearing"]["id"], "id"));
        }
        for id in &ids[..100] {
            claim(&nl, id).await.data();
        }
        let refused = claim(&nl, &ids[100]).await;
        refused.assert_code("CONFLICT");
        assert!(refused.message().contains("100 open hearings"), "{}", refused.body);
        let roster = nl.q("{ myRoster { status hearing { id } } }", json!({})).await;
        assert_eq!(roster.data()["myRoster"].as_array().expect("list").len(), 100);
        coord
            .q(
                "mutation($h: ID!) { updateHearing(id: $h, input: { status: CANCELLED }) { status } }",
                json!({ "h": ids[0] }),
            )
            .await
            .data();
        let roster = nl.q("{ myRoster { status hearing { id } } }", json!({})).await;
        let listed = roster.data()["myRoster"].as_array().expect("list").clone();
        assert_eq!(listed.len(), 99);
        assert!(listed.iter().all(|c| c["hearing"]["id"] != ids[0].as_str()));
        claim(&nl, &ids[100]).await.data();
    }
}
