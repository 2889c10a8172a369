//! Observations monitors can stand behind: structured on the OSCE/ODIHR
//! manual and TrialWatch (enums, categories of who was present, bounded
//! texts), one per observer and hearing, submitted once and then locked;
//! corrections are amendments with a reason, appended and dated, the
//! original kept readable, capped (SECURITY.md, "query cost": a list
//! without `first` has a hard cap enforced on write); and withdrawn consent
//! to trial observation closing the roster for everyone, the owner country
//! included (SECURITY.md, "derived state after a change of consent or
//! visibility").
use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::builders::{claim, manila_in, observed_case, schedule};
use crate::helpers::*;
use crate::{on_both_backends, on_both_backends_with};

const OBSERVE: &str = "mutation($h: ID!, $i: ObservationInput!) { submitObservation(hearingId: $h, input: $i) { id } }";
/// Every content field, for the structured journey.
const CONTENT: &str = "courtroomAccess accessNote publicAccess pressAccess present counselAccess
    interpretation durationMinutes adjourned adjournmentReason outcome attended defendantPresent
    illTreatmentAlleged notableEvents notes";
const AMEND: &str =
    "mutation($o: ID!, $i: AmendObservationInput!) { amendObservation(id: $o, input: $i) {
    id outcome notes amendmentReason amendedAt } }";
/// Costs 1 + 1 + 50 × (7 + 1 + 3 × 6) = 1,302 (the default limit is 2,000).
const OBSERVATIONS: &str = "query($h: ID!) { hearing(id: $h) { observations {
    id country outcome notes submittedAt amendedAt amendmentReason
    history(last: 3) { revision outcome notes amendmentReason submittedAt amendedAt } } } }";
/// Every earlier content's notes: 1 + 1 + 50 × (1 + 1 + 20 × 1) = 1,102.
const NOTES: &str =
    "query($h: ID!) { hearing(id: $h) { observations { notes history { notes } } } }";
/// The content's fields, the original and the latest two earlier contents:
/// 2 + 50 × (13 + 5 + 1 + 2 × 10) = 1,952 (the default limit is 2,000).
const EVERYTHING: &str = "query($h: ID!) { hearing(id: $h) { observations {
    id courtroomAccess publicAccess pressAccess present counselAccess interpretation
    adjourned outcome notes submittedAt amendedAt amendmentReason
    original { revision courtroomAccess outcome amendmentReason }
    history(last: 2) { revision courtroomAccess publicAccess counselAccess adjourned outcome
              notes amendmentReason submittedAt amendedAt } } } }";
/// As `EVERYTHING`, with the earlier contents' interpretation (a larger limit).
const FOLDED: &str = "query($h: ID!) { hearing(id: $h) { observations {
    id courtroomAccess publicAccess pressAccess present counselAccess interpretation
    adjourned outcome notes submittedAt amendedAt amendmentReason
    original { revision courtroomAccess outcome amendmentReason }
    history(last: 2) { revision courtroomAccess publicAccess counselAccess interpretation adjourned
              outcome notes amendmentReason submittedAt amendedAt } } } }";
/// The `hearing(id:)` answer for an id that does not exist.
const MISSING_HEARING: &str = "SGVhcmluZzowMTlhMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA";
/// An observation id that does not exist (`Observation:` + a v7 uuid).
fn missing_observation() -> String {
    use accord_server::domain::ids::{Kind, encode};
    encode(Kind::Observation, uuid::Uuid::now_v7())
}

/// A CA case (shared with NL at DETAIL, DE at SUMMARY) with a hearing two
/// days ahead needing `needed` observers; returns (coordinator, case, hearing).
async fn hearing_of(app: &TestApp, needed: i32) -> (Actor, String, String) {
    let (coord, case) = observed_case(app).await;
    let r = schedule(&coord, &case, &manila_in(2), "Asia/Manila", needed).await;
    let id = str_of(&r.data()["scheduleHearing"]["id"], "hearing id");
    (coord, case, id)
}

/// A minimal content: in the courtroom unless the outcome is ACCESS_DENIED.
fn input(outcome: &str, notes: &str) -> Value {
    let access = if outcome == "ACCESS_DENIED" {
        "DENIED"
    } else {
        "GRANTED"
    };
    json!({ "courtroomAccess": access, "outcome": outcome, "notes": notes })
}

/// `content` with `reason`, as `amendObservation` takes it.
fn amendment(mut content: Value, reason: &str) -> Value {
    content["reason"] = json!(reason);
    content
}

async fn observe(by: &Actor, hearing: &str, i: Value) -> Resp {
    by.q(OBSERVE, json!({ "h": hearing, "i": i })).await
}

async fn amend(by: &Actor, observation: &str, i: Value) -> Resp {
    by.q(AMEND, json!({ "o": observation, "i": i })).await
}

/// Submits `i` and returns the observation's id.
async fn observed(by: &Actor, hearing: &str, i: Value) -> String {
    observe(by, hearing, i).await.data();
    let r = by
        .q(
            "query($h: ID!) { hearing(id: $h) { observations { id observer { id } } } }",
            json!({ "h": hearing }),
        )
        .await;
    let mine = r.data()["hearing"]["observations"]
        .as_array()
        .expect("observations")
        .last()
        .expect("one")
        .clone();
    str_of(&mine["id"], "observation id")
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
    async fn submitted_once_then_amended_with_a_reason_the_original_kept_and_dated(app: TestApp) {
        let (coord, _, h) = hearing_of(&app, 2).await;
        let nl = app.diplomat("NL").await;
        let colleague = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        claim(&colleague, &h).await.data();
        app.advance_clock(Duration::days(3));
        let first = json!({
            "courtroomAccess": "GRANTED_AFTER_DELAY", "accessNote": "  After a 40-minute wait and a search ",
            "publicAccess": "RESTRICTED", "pressAccess": "CLOSED",
            "present": ["PRESS", "FAMILY", "SECURITY_FORCES", "FAMILY"],
            "counselAccess": "RESTRICTED", "interpretation": "INADEQUATE", "durationMinutes": 95,
            "adjourned": true, "adjournmentReason": "Prosecution witness absent", "outcome": "ADJOURNED",
            "defendantPresent": true, "notableEvents": "Judge cut the defence short twice.", "notes": "   "
        });
        let id = observed(&nl, &h, first.clone()).await;
        let query = format!("query($h: ID!) {{ hearing(id: $h) {{ observations {{ id {CONTENT} amendedAt amendmentReason submittedAt
            original {{ revision }} history(last: 1) {{ revision }} }} }} }}");
        let seen = only_observation(&coord.q(&query, json!({ "h": h })).await);
        assert_eq!(seen["id"], id);
        for (field, want) in [
            ("courtroomAccess", json!("GRANTED_AFTER_DELAY")), ("accessNote", json!("After a 40-minute wait and a search")),
            ("publicAccess", json!("RESTRICTED")), ("pressAccess", json!("CLOSED")),
            ("present", json!(["FAMILY", "PRESS", "SECURITY_FORCES"])), ("counselAccess", json!("RESTRICTED")),
            ("interpretation", json!("INADEQUATE")), ("durationMinutes", json!(95)), ("adjourned", json!(true)),
            ("adjournmentReason", json!("Prosecution witness absent")), ("outcome", json!("ADJOURNED")),
            ("attended", json!(true)), ("defendantPresent", json!(true)), ("illTreatmentAlleged", Value::Null),
            ("notableEvents", json!("Judge cut the defence short twice.")), ("notes", Value::Null),
            ("amendedAt", Value::Null), ("amendmentReason", Value::Null), ("original", Value::Null), ("history", json!([])),
        ] {
            assert_eq!(seen[field], want, "{field}: trimmed, categories a set in order, blank absent: {seen}");
        }
        assert_eq!(audited(&app, "OBSERVATION_SUBMITTED").await, 1);

        // Locked: submitting again is refused and says how to correct it.
        let again = observe(&nl, &h, input("HEARD", "second go")).await;
        again.assert_code("CONFLICT");
        assert!(again.message().contains("amend"), "{}", again.body);
        // Only the observer amends: a colleague who sees it is FORBIDDEN;
        // an outsider gets exactly a missing id's answer, whatever the input.
        let fix = amendment(input("HEARD", "Let in after the recess"), "I misread the usher: I was let in");
        amend(&colleague, &id, fix.clone()).await.assert_code("FORBIDDEN");
        amend(&coord, &id, fix.clone()).await.assert_code("FORBIDDEN");
        let missing = amend(&nl, &missing_observation(), fix.clone()).await;
        missing.assert_code("NOT_FOUND");
        for outsider in [app.diplomat("DE").await, app.diplomat("CH").await] {
            assert_eq!(amend(&outsider, &id, fix.clone()).await.body, missing.body);
            assert_eq!(amend(&outsider, &id, amendment(input("HEARD", "x"), "")).await.body, missing.body, "no input check before sight");
        }
        // A hearing's id is not an observation's: as a missing one.
        assert_eq!(amend(&nl, &h, fix.clone()).await.body, missing.body);
        // The reason is required and bounded; the content is checked as a submission.
        for (bad, field) in [
            (amendment(input("HEARD", "x"), "  "), "reason"),
            (amendment(input("HEARD", "x"), &"r".repeat(1001)), "reason"),
            (amendment(json!({ "courtroomAccess": "DENIED", "outcome": "HEARD" }), "why"), "outcome"),
        ] {
            let r = amend(&nl, &id, bad).await;
            assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".to_owned(), field.to_owned()), "{}", r.body);
        }
        assert_eq!(audited(&app, "OBSERVATION_AMENDED").await, 0, "refusals write nothing");
        assert_eq!(app.count_rows("observation_revisions").await, 0);

        app.advance_clock(Duration::hours(2));
        let amended = amend(&nl, &id, fix).await;
        let a = &amended.data()["amendObservation"];
        assert_eq!((a["id"].clone(), a["outcome"].clone(), a["notes"].clone()), (json!(id), json!("HEARD"), json!("Let in after the recess")));
        assert_eq!(a["amendmentReason"], "I misread the usher: I was let in");
        let all = only_observation(&coord.q(EVERYTHING, json!({ "h": h })).await);
        assert_eq!(all["id"], id, "amended in place: same id");
        // The top-level fields are the full corrected content (absent ones reset).
        assert_eq!((all["courtroomAccess"].clone(), all["present"].clone(), all["pressAccess"].clone(), all["adjourned"].clone()),
            (json!("GRANTED"), json!([]), json!("NOT_OBSERVED"), json!(false)));
        let amended_at = str_of(&all["amendedAt"], "amendedAt");
        assert!(amended_at > str_of(&all["submittedAt"], "submittedAt"), "{all}");
        assert_eq!(all["original"], json!({ "revision": 1, "courtroomAccess": "GRANTED_AFTER_DELAY", "outcome": "ADJOURNED", "amendmentReason": null }));
        assert_eq!(
            all["history"],
            json!([{ "revision": 1, "courtroomAccess": "GRANTED_AFTER_DELAY", "publicAccess": "RESTRICTED",
                     "counselAccess": "RESTRICTED", "adjourned": true,
                     "outcome": "ADJOURNED", "notes": null, "amendmentReason": null,
                     "submittedAt": all["submittedAt"], "amendedAt": amended_at }]),
            "the original, with when it was written and when it was replaced"
        );
        // A second amendment: each says when and why, oldest first.
        app.advance_clock(Duration::hours(1));
        amend(&nl, &id, amendment(input("VERDICT", "Verdict read at the end"), "the verdict came after I wrote")).await.data();
        let o = only_observation(&observations(&coord, &h).await);
        assert_eq!(o["amendmentReason"], "the verdict came after I wrote");
        let reasons: Vec<Value> = o["history"].as_array().expect("history").iter().map(|r| r["amendmentReason"].clone()).collect();
        assert_eq!(reasons, [Value::Null, json!("I misread the usher: I was let in")]);
        assert_eq!(o["history"][1]["submittedAt"], json!(amended_at), "each amendment dated");
        assert_eq!(o["history"][1]["amendedAt"], o["amendedAt"]);
        assert_eq!(audited(&app, "OBSERVATION_SUBMITTED").await, 1);
        assert_eq!(audited(&app, "OBSERVATION_AMENDED").await, 2);
        assert_eq!(app.count_rows("observations").await, 1);
    }

    async fn a_submission_is_refused_beside_its_field_and_writes_nothing(app: TestApp) {
        let (_, _, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        let waiting = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        claim(&waiting, &h).await.data();
        // Before the start.
        let early = observe(&nl, &h, input("HEARD", "early")).await;
        assert_eq!((early.code(), early.field()), ("BAD_USER_INPUT".to_owned(), "hearingId".to_owned()));
        app.advance_clock(Duration::days(3));
        // Not confirmed (waitlisted), not on the roster, not seeing it.
        observe(&waiting, &h, input("HEARD", "x")).await.assert_code("FORBIDDEN");
        observe(&app.diplomat("NL").await, &h, input("HEARD", "x")).await.assert_code("FORBIDDEN");
        observe(&app.diplomat("DE").await, &h, input("HEARD", "x")).await.assert_code("NOT_FOUND");
        // Bad enums and sets are refused by the schema.
        for bad in [
            json!({ "courtroomAccess": "MAYBE", "outcome": "HEARD" }),
            json!({ "courtroomAccess": "GRANTED", "outcome": "HEARD", "present": ["JUDGE_S_COUSIN"] }),
            json!({ "courtroomAccess": "GRANTED", "outcome": "HEARD", "counselAccess": "FINE" }),
            json!({ "courtroomAccess": "GRANTED", "outcome": "HEARD", "fairness": "B" }),
        ] {
            observe(&nl, &h, bad).await.assert_code("BAD_USER_INPUT");
        }
        // Inconsistent facts and oversized texts, each beside its field.
        let with = |extra: Value| {
            let mut i = input("HEARD", "n");
            for (k, v) in extra.as_object().expect("object") {
                i[k] = v.clone();
            }
            i
        };
        for (bad, field) in [
            (json!({ "courtroomAccess": "DENIED", "outcome": "HEARD" }), "outcome"),
            (json!({ "courtroomAccess": "GRANTED", "outcome": "ACCESS_DENIED" }), "outcome"),
            (json!({ "courtroomAccess": "DENIED", "outcome": "ACCESS_DENIED", "present": ["PUBLIC"] }), "present"),
            (with(json!({ "durationMinutes": -1 })), "durationMinutes"),
            (with(json!({ "durationMinutes": 1441 })), "durationMinutes"),
            (with(json!({ "adjournmentReason": "no witness" })), "adjournmentReason"),
            (with(json!({ "adjourned": true, "adjournmentReason": "w".repeat(501) })), "adjournmentReason"),
            (with(json!({ "accessNote": "a".repeat(501) })), "accessNote"),
            (with(json!({ "notableEvents": "e".repeat(4001) })), "notableEvents"),
            (with(json!({ "notes": "n".repeat(4001) })), "notes"),
            (with(json!({ "notes": "spoof\u{202E}gnp.exe" })), "notes"),
        ] {
            let r = observe(&nl, &h, bad).await;
            assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".to_owned(), field.to_owned()), "{}", r.body);
        }
        assert_eq!(app.count_rows("observations").await, 0);
        assert_eq!(audited(&app, "OBSERVATION_SUBMITTED").await, 0);
        // At the bounds it is taken.
        observe(&nl, &h, with(json!({ "durationMinutes": 1440, "adjourned": true, "adjournmentReason": "w".repeat(500),
            "accessNote": "a".repeat(500), "notableEvents": "e".repeat(4000), "notes": "n".repeat(4000) }))).await.data();
        assert_eq!(app.count_rows("observations").await, 1);
    }

    async fn amendments_stop_at_the_cap_with_a_coded_refusal(app: TestApp) {
        let (coord, _, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        app.advance_clock(Duration::days(3));
        let id = observed(&nl, &h, input("HEARD", "version 0")).await;
        for n in 1..=20 {
            amend(&nl, &id, amendment(input("HEARD", &format!("version {n}")), &format!("fix {n}"))).await.data();
        }
        let refused = amend(&nl, &id, amendment(input("VERDICT", "one too many"), "again")).await;
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
        // The database holds the cap whatever writes.
        let db = app.db();
        let over_cap = db.execute_unprepared(
            "UPDATE observation_revisions SET revision = 21 WHERE revision = 20").await;
        assert!(over_cap.is_err(), "revision 21 is refused by the database");
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
        let taken = answers.iter().filter(|a| a.body["errors"].is_null()).count();
        assert_eq!(taken, 1, "exactly one submission is taken");
        for a in answers.iter().filter(|a| !a.body["errors"].is_null()) {
            a.assert_code("CONFLICT");
        }
        let o = only_observation(&observations(&coord, &h).await);
        assert_eq!(o["history"], json!([]), "{o}");
        assert_eq!(app.count_rows("observations").await, 1);
        assert_eq!(app.count_rows("observation_revisions").await, 0);
    }

    async fn the_history_is_seen_with_the_hearing_and_nowhere_else(app: TestApp) {
        let (coord, case, h) = hearing_of(&app, 1).await;
        let nl = app.diplomat("NL").await;
        claim(&nl, &h).await.data();
        app.advance_clock(Duration::days(3));
        let id = observed(&nl, &h, input("ADJOURNED", "first")).await;
        amend(&nl, &id, amendment(input("HEARD", "second"), "heard after all")).await.data();
        let by_owner = only_observation(&observations(&coord, &h).await);
        let by_partner = only_observation(&observations(&app.diplomat("NL").await, &h).await);
        assert_eq!(by_owner["history"][0]["notes"], "first");
        assert_eq!(by_owner["amendmentReason"], "heard after all");
        assert_eq!(by_partner["history"], by_owner["history"], "a partner seeing the hearing sees the history");
        assert_eq!(by_partner["amendmentReason"], by_owner["amendmentReason"]);
        let missing = observations(&coord, MISSING_HEARING).await;
        missing.assert_code("NOT_FOUND");
        for outsider in [app.diplomat("DE").await, app.diplomat("CH").await, app.liaison().await] {
            let r = observations(&outsider, &h).await;
            assert_eq!(r.body, missing.body, "exactly as a missing hearing");
        }
        // Consent to observation withdrawn: the partner loses the hearing and
        // its history, and may no longer amend (as for a missing id); the
        // owner keeps both.
        trial_consent(&coord, &case, false).await;
        assert_eq!(observations(&nl, &h).await.body, missing.body);
        let gone = amend(&nl, &id, amendment(input("HEARD", "third"), "why")).await;
        assert_eq!(gone.body, amend(&nl, &missing_observation(), amendment(input("HEARD", "third"), "why")).await.body);
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
    async fn observations_of_booleans_are_folded_into_the_structure(app: TestApp)
        with |c: &mut accord_server::config::Config| { c.max_query_complexity = 10_000; };
    {
        let (coord, _, h) = hearing_of(&app, 2).await;
        let (a, b) = (app.diplomat("NL").await, app.diplomat("NL").await);
        claim(&a, &h).await.data();
        claim(&b, &h).await.data();
        app.advance_clock(Duration::days(3));
        let id = observed(&a, &h, input("ACCESS_DENIED", "version 0")).await;
        amend(&a, &id, amendment(input("ADJOURNED", "version 1"), "let in")).await.data();
        observe(&b, &h, input("HEARD", "b's only")).await.data();
        // Back to the tables before m20261207_000018 (booleans, no reasons),
        // with the values they held then.
        let db = app.db();
        let old = "observer_id, country, outcome, notes, submitted_at";
        for sql in [
            format!("CREATE TABLE old_observations AS SELECT id, hearing_id, {old}, amended_at, \
                     (courtroom_access <> 'DENIED') AS attended, (outcome = 'ADJOURNED') AS public_access, \
                     (outcome = 'HEARD') AS defendant_present, (outcome = 'ADJOURNED') AS access_to_counsel, \
                     (outcome = 'HEARD') AS interpretation, defendant_present AS ill_treatment_alleged FROM observations"),
            "UPDATE old_observations SET public_access = NULL, access_to_counsel = NULL, interpretation = NULL WHERE outcome = 'HEARD'".to_owned(),
            "CREATE TABLE old_revisions AS SELECT observation_id, revision, outcome, notes, submitted_at, amended_at, \
                     (courtroom_access <> 'DENIED') AS attended, (outcome <> 'ACCESS_DENIED') AS public_access, \
                     defendant_present, (outcome <> 'ACCESS_DENIED') AS access_to_counsel, \
                     (outcome = 'ACCESS_DENIED') AS interpretation, defendant_present AS ill_treatment_alleged FROM observation_revisions".to_owned(),
            "DROP TABLE observation_revisions".to_owned(),
            "DROP TABLE observations".to_owned(),
            "ALTER TABLE old_observations RENAME TO observations".to_owned(),
            "ALTER TABLE old_revisions RENAME TO observation_revisions".to_owned(),
            "DELETE FROM seaql_migrations WHERE version = 'm20261207_000018_structured_observations'".to_owned(),
        ] {
            db.execute_unprepared(&sql).await.expect(&sql);
        }
        <accord_migrations::Migrator as accord_migrations::MigratorTrait>::up(db, None)
            .await
            .expect("the fold runs");

        let list = coord.q(FOLDED, json!({ "h": h })).await;
        let obs = list.data()["hearing"]["observations"].as_array().expect("observations").clone();
        assert_eq!(obs.len(), 2, "{obs:?}");
        let folded = obs.iter().find(|o| o["id"] == json!(id)).expect("a's");
        let heard = obs.iter().find(|o| o["notes"] == "b's only").expect("b's");
        let pick = |o: &Value, fields: &[&str]| fields.iter().map(|f| o[*f].clone()).collect::<Vec<_>>();
        let content = ["courtroomAccess", "publicAccess", "pressAccess", "present", "counselAccess", "interpretation", "adjourned", "outcome"];
        assert_eq!(pick(folded, &content), [json!("GRANTED"), json!("OPEN"), json!("NOT_OBSERVED"), json!([]),
            json!("UNRESTRICTED"), json!("NOT_PROVIDED"), json!(true), json!("ADJOURNED")]);
        assert_eq!(pick(heard, &content), [json!("GRANTED"), json!("NOT_OBSERVED"), json!("NOT_OBSERVED"), json!([]),
            json!("NOT_OBSERVED"), Value::Null, json!(false), json!("HEARD")]);
        assert_eq!(heard["amendmentReason"], Value::Null);
        assert!(folded["amendmentReason"].as_str().is_some_and(|r| r.contains("before")), "an old amendment says it had no reason: {folded}");
        assert_eq!(folded["original"], json!({ "revision": 1, "courtroomAccess": "DENIED", "outcome": "ACCESS_DENIED", "amendmentReason": null }));
        assert_eq!(pick(&folded["history"][0], &["publicAccess", "counselAccess", "interpretation", "adjourned", "notes"]),
            [json!("CLOSED"), json!("DENIED"), json!("PROVIDED"), json!(false), json!("version 0")]);
        // Locked and amendable from here on, and the unique key holds.
        observe(&a, &h, input("HEARD", "again")).await.assert_code("CONFLICT");
        amend(&a, &id, amendment(input("VERDICT", "version 2"), "verdict")).await.data();
        let dup = db
            .execute_unprepared(&format!(
                "INSERT INTO observations (id, hearing_id, observer_id, country, submitted_at, {}) \
                 SELECT '{}', hearing_id, observer_id, country, submitted_at, {} FROM observations LIMIT 1",
                "courtroom_access, public_access, press_access, present, counsel_access, adjourned, outcome",
                uuid::Uuid::now_v7(),
                "courtroom_access, public_access, press_access, present, counsel_access, adjourned, outcome",
            ))
            .await;
        assert!(dup.is_err(), "a second observation of one observer is refused by the database");
        let bad = db
            .execute_unprepared("UPDATE observations SET present = 512")
            .await;
        assert!(bad.is_err(), "the database bounds the categories");
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
