//! Observations: one per observer and hearing, amended in place with a
//! dated, capped history (SECURITY.md, "query cost": a list without `first`
//! has a hard cap enforced on write), and withdrawn consent to trial
//! observation closing the roster for everyone, the owner country included
//! (SECURITY.md, "derived state after a change of consent or visibility").
use chrono::Duration;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::{Value, json};

use crate::builders::{claim, manila_in, observed_case, schedule};
use crate::helpers::*;
use crate::{on_both_backends, on_both_backends_with};

const OBSERVE: &str = "mutation($h: ID!, $i: ObservationInput!) { submitObservation(hearingId: $h, input: $i) { id } }";
/// Costs 1 + 1 + 50 × (6 + 1 + 3 × 5) = 1,102 (the default limit is 2,000).
const OBSERVATIONS: &str = "query($h: ID!) { hearing(id: $h) { observations {
    id country outcome notes submittedAt amendedAt
    history(last: 3) { revision outcome notes submittedAt amendedAt } } } }";
/// Every earlier content's notes: 1 + 1 + 50 × (1 + 1 + 20 × 1) = 1,102.
const NOTES: &str =
    "query($h: ID!) { hearing(id: $h) { observations { notes history { notes } } } }";
/// Every field of every revision: costs 6,102, for tests about something else.
const EVERYTHING: &str = "query($h: ID!) { hearing(id: $h) { observations {
    id country outcome notes submittedAt amendedAt
    history { revision outcome notes submittedAt amendedAt } } } }";
/// The `hearing(id:)` answer for an id that does not exist.
const MISSING_HEARING: &str = "SGVhcmluZzowMTlhMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA";

/// A CA case (shared with NL at DETAIL, DE at SUMMARY) with a hearing two
/// days ahead needing `needed` observers; returns (coordinator, case, hearing).
async fn hearing_of(app: &TestApp, needed: i32) -> (Actor, String, String) {
    let (coord, case) = observed_case(app).await;
    let r = schedule(&coord, &case, &manila_in(2), "Asia/Manila", needed).await;
    let id = str_of(&r.data()["scheduleHearing"]["id"], "hearing id");
    (coord, case, id)
}

fn input(outcome: &str, notes: &str) -> Value {
    let attended = outcome != "ACCESS_DENIED";
    json!({ "attended": attended, "outcome": outcome, "notes": notes })
}

async fn observe(by: &Actor, hearing: &str, i: Value) -> Resp {
    by.q(OBSERVE, json!({ "h": hearing, "i": i })).await
}

async fn observations(by: &Actor, hearing: &str) -> Resp {
    by.q(OBSERVATIONS, json!({ "h": hearing })).await
}

fn only_observation(r: &Resp) -> Value {
    let list = r.data()["hearing"]["observations"]
        .as_array()
        .expect("observations")
        .clone();
    assert_eq!(list.len(), 1, "one observation per observer: {list:?}");
    list[0].clone()
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    let db = app.db();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = '{action}'"),
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

/// `recordConsent` keeping the share, with consent to trial observation `trial`.
async fn trial_consent(coord: &Actor, case: &str, trial: bool) {
    coord
        .q(
            "mutation($c: ID!, $t: Boolean!) { recordConsent(caseId: $c, input: { shareWithPartners: true, trialObservation: $t, publicAdvocacy: false, givenBy: DEFENDER }) { id } }",
            json!({ "c": case, "t": trial }),
        )
        .await
        .data();
}

on_both_backends! {
    async fn a_second_submission_amends_the_observation_and_keeps_the_first_dated(app: TestApp) {
        let (coord, _, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        app.advance_clock(Duration::days(3));
        observe(&nl, &h, input("ACCESS_DENIED", "Turned away at the gate")).await.data();
        let first = only_observation(&observations(&coord, &h).await);
        assert_eq!(first["history"], json!([]));
        assert_eq!(first["amendedAt"], Value::Null);
        assert_eq!(audited(&app, "OBSERVATION_SUBMITTED").await, 1);

        app.advance_clock(Duration::hours(2));
        observe(&nl, &h, input("HEARD", "Let in after the recess")).await.data();
        let now = only_observation(&observations(&coord, &h).await);
        assert_eq!(now["id"], first["id"], "amended in place: same id");
        assert_eq!((now["outcome"].as_str(), now["notes"].as_str()), (Some("HEARD"), Some("Let in after the recess")));
        assert_eq!(now["submittedAt"], first["submittedAt"], "submittedAt is the first submission");
        let amended = str_of(&now["amendedAt"], "amendedAt");
        assert!(amended > str_of(&first["submittedAt"], "submittedAt"), "{now}");
        assert_eq!(
            now["history"],
            json!([{ "revision": 1, "outcome": "ACCESS_DENIED", "notes": "Turned away at the gate",
                     "submittedAt": first["submittedAt"], "amendedAt": amended }]),
            "the first content, with when it was written and when it was replaced"
        );
        // The amendment is audited like the submission.
        assert_eq!(audited(&app, "OBSERVATION_SUBMITTED").await, 1);
        assert_eq!(audited(&app, "OBSERVATION_AMENDED").await, 1);
        assert_eq!(app.count_rows("observations").await, 1);
    }

    async fn amendments_stop_at_the_cap_with_a_coded_refusal(app: TestApp) {
        let (coord, _, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        app.advance_clock(Duration::days(3));
        for n in 0..=20 {
            observe(&nl, &h, input("HEARD", &format!("version {n}"))).await.data();
        }
        let refused = observe(&nl, &h, input("VERDICT", "one too many")).await;
        refused.assert_code("CONFLICT");
        assert!(refused.message().contains("20"), "the message states the cap: {}", refused.body);
        let o = only_observation(&coord.q(NOTES, json!({ "h": h })).await);
        assert_eq!(o["notes"], "version 20", "the refusal changed nothing");
        let notes: Vec<&str> = o["history"].as_array().expect("history").iter()
            .map(|r| r["notes"].as_str().expect("notes")).collect();
        let want: Vec<String> = (0..20).map(|n| format!("version {n}")).collect();
        assert_eq!(notes, want, "oldest first, all 20 kept");
        assert_eq!(audited(&app, "OBSERVATION_AMENDED").await, 20);
        // `last` takes the latest, oldest first; beyond the cap it is refused.
        let latest = only_observation(&observations(&coord, &h).await);
        let notes: Vec<&str> = latest["history"].as_array().expect("history").iter()
            .map(|r| r["notes"].as_str().expect("notes")).collect();
        assert_eq!(notes, ["version 17", "version 18", "version 19"]);
        let over = coord.q("query($h: ID!) { hearing(id: $h) { observations { history(last: 21) { notes } } } }", json!({ "h": h })).await;
        assert_eq!((over.code(), over.field()), ("BAD_USER_INPUT".to_owned(), "last".to_owned()), "{}", over.body);
    }

    async fn submissions_at_once_make_one_observation(app: TestApp) {
        let (coord, _, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        app.advance_clock(Duration::days(3));
        let answers = futures::future::join_all((0..4).map(|n| {
            let (nl, h) = (nl.clone(), h.clone());
            async move { observe(&nl, &h, input("HEARD", &format!("at once {n}"))).await }
        }))
        .await;
        for a in &answers {
            assert_eq!(a.status, 200);
            a.data();
        }
        let o = only_observation(&observations(&coord, &h).await);
        assert_eq!(o["history"].as_array().expect("history").len(), 3, "{o}");
        assert_eq!(app.count_rows("observations").await, 1);
        assert_eq!(app.count_rows("observation_revisions").await, 3);
    }

    async fn the_history_is_seen_with_the_hearing_and_nowhere_else(app: TestApp) {
        let (coord, case, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        app.advance_clock(Duration::days(3));
        observe(&nl, &h, input("ADJOURNED", "first")).await.data();
        observe(&nl, &h, input("HEARD", "second")).await.data();
        let by_owner = only_observation(&observations(&coord, &h).await);
        let by_partner = only_observation(&observations(&app.diplomat("NL").await, &h).await);
        assert_eq!(by_owner["history"][0]["notes"], "first");
        assert_eq!(by_partner["history"], by_owner["history"], "a partner seeing the hearing sees the history");
        let missing = observations(&coord, MISSING_HEARING).await;
        missing.assert_code("NOT_FOUND");
        for outsider in [app.diplomat("DE").await, app.diplomat("CH").await, app.liaison().await] {
            let r = observations(&outsider, &h).await;
            assert_eq!(r.body, missing.body, "exactly as a missing hearing");
        }
        // Consent to observation withdrawn: the partner loses the hearing and
        // its history; the owner keeps both.
        trial_consent(&coord, &case, false).await;
        assert_eq!(observations(&nl, &h).await.body, missing.body);
        let kept = only_observation(&observations(&coord, &h).await);
        assert_eq!(kept["history"], by_owner["history"]);
    }

    async fn withdrawn_consent_closes_the_roster_for_the_owner_country_too(app: TestApp) {
        let (coord, case, h) = hearing_of(&app, 2).await;
        let ca = app.diplomat("CA").await;
        let nl = app.diplomat("NL").await;
        claim(&ca, &h).await.data();
        claim(&nl, &h).await.data();
        let roster = "query($h: ID!) { hearing(id: $h) { confirmedCount claims { status country suspendedReason } } }";
        trial_consent(&coord, &case, false).await;
        let seen = coord.q(roster, json!({ "h": h })).await;
        assert_eq!(
            seen.data()["hearing"],
            json!({ "confirmedCount": 0, "claims": [
                { "status": "SUSPENDED", "country": "CA", "suspendedReason": "CONSENT_WITHDRAWN" },
                { "status": "SUSPENDED", "country": "NL", "suspendedReason": "CONSENT_WITHDRAWN" } ] })
        );
        assert_eq!(audited(&app, "ROSTER_CLAIM_SUSPENDED").await, 2);
        // The owner's diplomats still read the hearing (it is their record),
        // hold nothing and cannot claim; partners do not see it.
        assert_eq!(ca.q(roster, json!({ "h": h })).await.data()["hearing"]["confirmedCount"], 0);
        let mine = ca.q("{ myRoster { status } }", json!({})).await;
        assert_eq!(mine.data()["myRoster"], json!([]));
        claim(&ca, &h).await.assert_code("CONSENT_REQUIRED");
        claim(&app.diplomat("CA").await, &h).await.assert_code("CONSENT_REQUIRED");
        claim(&coord, &h).await.assert_code("CONSENT_REQUIRED");
        claim(&nl, &h).await.assert_code("NOT_FOUND");
        // Consent re-granted: claiming works again, for both.
        trial_consent(&coord, &case, true).await;
        let back = claim(&ca, &h).await;
        assert_eq!(back.data()["claimRosterSlot"]["status"], "CONFIRMED", "{}", back.body);
        assert_eq!(claim(&nl, &h).await.data()["claimRosterSlot"]["status"], "CONFIRMED");
        let mine = ca.q("{ myRoster { status } }", json!({})).await;
        assert_eq!(mine.data()["myRoster"], json!([{ "status": "CONFIRMED" }]));
    }

}

on_both_backends_with! {
    async fn existing_duplicate_observations_are_folded_by_the_migration(app: TestApp)
        with |c: &mut accord_server::config::Config| { c.max_query_complexity = 10_000; };
    {
        let (coord, _, h) = hearing_of(&app, 2).await;
        let (a, b) = (app.diplomat("NL").await, app.diplomat("NL").await);
        claim(&a, &h).await.data();
        claim(&b, &h).await.data();
        app.advance_clock(Duration::days(3));
        observe(&a, &h, input("ACCESS_DENIED", "version 0")).await.data();
        observe(&b, &h, input("HEARD", "b's only")).await.data();
        let db = app.db();
        use accord_server::store::observation;
        let original = observation::Entity::find()
            .all(db)
            .await
            .expect("rows")
            .into_iter()
            .find(|o| o.notes.as_deref() == Some("version 0"))
            .expect("a's observation");
        // Back to the schema before m20261206_000013, when every submission
        // was a new row.
        for sql in [
            "DROP INDEX ux_observations_hearing_observer",
            "DROP TABLE observation_revisions",
            "ALTER TABLE observations DROP COLUMN amended_at",
            "CREATE INDEX ix_observations_hearing ON observations (hearing_id)",
            "DELETE FROM seaql_migrations WHERE version = 'm20261206_000013_observation_history'",
        ] {
            db.execute_unprepared(sql).await.expect(sql);
        }
        // 22 later submissions by `a`, a minute apart: 23 rows in all.
        for k in 1..=22_i64 {
            let mut row: observation::ActiveModel = original.clone().into();
            row.id = sea_orm::ActiveValue::Set(uuid::Uuid::now_v7());
            row.notes = sea_orm::ActiveValue::Set(Some(format!("version {k}")));
            row.submitted_at = sea_orm::ActiveValue::Set(original.submitted_at + Duration::minutes(k));
            row.amended_at = sea_orm::ActiveValue::NotSet;
            observation::Entity::insert(row).exec_without_returning(db).await.expect("old row");
        }
        <accord_migrations::Migrator as accord_migrations::MigratorTrait>::up(db, None)
            .await
            .expect("the fold runs");

        let list = coord.q(EVERYTHING, json!({ "h": h })).await;
        let obs = list.data()["hearing"]["observations"].as_array().expect("observations").clone();
        assert_eq!(obs.len(), 2, "one per observer: {obs:?}");
        let folded = obs.iter().find(|o| o["notes"] == "version 22").expect("the latest is the observation");
        let untouched = obs.iter().find(|o| o["notes"] == "b's only").expect("b's");
        assert_eq!((untouched["history"].clone(), untouched["amendedAt"].clone()), (json!([]), Value::Null));
        let history = folded["history"].as_array().expect("history");
        let notes: Vec<&str> = history.iter().map(|r| r["notes"].as_str().expect("notes")).collect();
        // Capped at 20: the original and the 19 most recent earlier rows.
        let want: Vec<String> = std::iter::once(0).chain(3..=21).map(|k| format!("version {k}")).collect();
        assert_eq!(notes, want);
        let revisions: Vec<i64> = history.iter().map(|r| r["revision"].as_i64().expect("n")).collect();
        assert_eq!(revisions, (1..=20).collect::<Vec<i64>>());
        assert_eq!(folded["submittedAt"], history[0]["submittedAt"], "first submitted with the original");
        assert_eq!(folded["amendedAt"], history[19]["amendedAt"], "the last revision was replaced by the current content");
        assert_ne!(history[0]["amendedAt"], history[1]["submittedAt"], "a gap shows where rows were dropped");
        // The cap holds from here on, and the unique key too.
        observe(&a, &h, input("HEARD", "version 23")).await.assert_code("CONFLICT");
        let dup = db
            .execute_unprepared(&format!(
                "INSERT INTO observations (id, hearing_id, observer_id, country, attended, outcome, submitted_at) \
                 SELECT '{}', hearing_id, observer_id, country, attended, outcome, submitted_at FROM observations LIMIT 1",
                uuid::Uuid::now_v7()
            ))
            .await;
        assert!(dup.is_err(), "a second observation of one observer is refused by the database");
    }

    async fn the_query_cost_counts_the_caps(app: TestApp)
        with |c: &mut accord_server::config::Config| { c.max_query_complexity = 2000; };
    {
        let (coord, _, h) = hearing_of(&app, 1).await;
        // hearing 1 + observations (1 + 50 × (history: 1 + 20 × 1)) = 1052.
        let cheap = "query($h: ID!) { hearing(id: $h) { observations { history { notes } } } }";
        coord.q(cheap, json!({ "h": h })).await.data();
        // 1 + 1 + 50 × (1 + 20 × 2 + 1 + 1) = 2102: over 2000, refused before it runs.
        let dear = "query($h: ID!) { hearing(id: $h) { observations { notes history { notes amendedAt } } } }";
        coord.q(dear, json!({ "h": h })).await.assert_code("BAD_USER_INPUT");
    }
}

on_both_backends! {
    // A hearing holds at most 50 observations (one per observer, and at
    // most 50 observers at a time): an observer promoted after the start,
    // once 50 others have filed, is refused `CONFLICT`, and nothing is
    // written; the first 50 stay as they were.
    async fn a_hearing_holds_at_most_50_observations(app: TestApp) {
        let (coord, _, h) = hearing_of(&app, 50).await;
        let mut observers = Vec::new();
        for i in 0..51 {
            let d = app.diplomat(if i % 2 == 0 { "NL" } else { "CA" }).await;
            claim(&d, &h).await.data();
            observers.push(d);
        }
        app.advance_clock(Duration::days(3));
        for d in &observers[..50] {
            observe(d, &h, input("HEARD", "Present throughout")).await.data();
        }
        // The first observer hands the place on: the 51st is promoted.
        observers[0]
            .q("mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { confirmedCount } }", json!({ "h": h }))
            .await
            .data();
        let refused = observe(&observers[50], &h, input("HEARD", "Arrived late")).await;
        refused.assert_code("CONFLICT");
        assert!(refused.message().contains("holds 50 observations"), "{}", refused.body);
        let list = coord.q("query($h: ID!) { hearing(id: $h) { observations { id } } }", json!({ "h": h })).await;
        assert_eq!(list.data()["hearing"]["observations"].as_array().expect("list").len(), 50);
        assert_eq!(audited(&app, "OBSERVATION_SUBMITTED").await, 50);
    }
}
