//! Fairness assessments (issue 25): assessors appointed by their country's
//! admin write a trial's assessment in versions (a stale base is
//! `CONFLICT`, as for statements, and the versions stop at a cap the
//! database holds too), citing only observations of that trial they see;
//! the export for publication needs consent to public advocacy and names
//! nobody.
use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::builders::{claim, manila_in, observed_case, open_case, schedule};
use crate::helpers::*;
use crate::on_both_backends;

pub const WRITE: &str = "mutation($c: ID!, $i: FairnessAssessmentInput!) { writeFairnessAssessment(caseId: $c, input: $i) {
    caseId currentVersion visibility current { number grade gradeDefinition standards reasoning observationIds } } }";
pub const READ: &str = "query($c: ID!) { fairnessAssessment(caseId: $c) {
    caseId visibility currentVersion sharedWith
    versions { number grade standards reasoning observationIds authorCountry author { email } } } }";

/// `writeFairnessAssessment` on `case` by `by`.
pub async fn write(
    by: &Actor,
    case: &str,
    base: Option<i64>,
    grade: &str,
    reasoning: &str,
    cited: &[&str],
) -> Resp {
    by.q(
        WRITE,
        json!({ "c": case, "i": { "baseVersion": base, "grade": grade,
            "standards": ["ICCPR_ART_14", "UN_BASIC_PRINCIPLES_LAWYERS"],
            "reasoning": reasoning, "observationIds": cited } }),
    )
    .await
}

pub async fn read(by: &Actor, case: &str) -> Resp {
    by.q(READ, json!({ "c": case })).await
}

pub async fn appoint(by: &Actor, who: &Actor) -> Resp {
    by.q(
        "mutation($u: ID!) { appointAssessor(userId: $u) { id isAssessor } }",
        json!({ "u": who.id }),
    )
    .await
}

pub async fn dismiss(by: &Actor, who: &Actor) -> Resp {
    by.q(
        "mutation($u: ID!) { dismissAssessor(userId: $u) { id isAssessor } }",
        json!({ "u": who.id }),
    )
    .await
}

/// A hearing of `case` two days ahead (scheduled by `coord`) that
/// `observer` claims: its id. Schedule every hearing before the clock moves.
pub async fn claimed_hearing(coord: &Actor, case: &str, observer: &Actor) -> String {
    let r = schedule(coord, case, &manila_in(2), "Asia/Manila", 2).await;
    let h = str_of(&r.data()["scheduleHearing"]["id"], "hearing id");
    claim(observer, &h).await.data();
    h
}

/// `observer`'s observation of hearing `h` (once it was held): its id.
pub async fn observe(observer: &Actor, h: &str) -> String {
    let o = observer
        .q(
            "mutation($h: ID!, $i: ObservationInput!) { submitObservation(hearingId: $h, input: $i) { observations { id } } }",
            json!({ "h": h, "i": { "courtroomAccess": "GRANTED", "outcome": "HEARD", "notes": "Public gallery closed" } }),
        )
        .await;
    let list = o.data()["submitObservation"]["observations"]
        .as_array()
        .expect("observations")
        .clone();
    assert_eq!(list.len(), 1, "one observation of the hearing");
    str_of(&list[0]["id"], "observation id")
}

/// `recordConsent` with sharing and trial observation given, and public
/// advocacy `public`.
pub async fn consent_with(coord: &Actor, case: &str, trial: bool, public: bool) {
    coord
        .q(
            "mutation($c: ID!, $t: Boolean!, $p: Boolean!) { recordConsent(caseId: $c, input: { shareWithPartners: true, trialObservation: $t, publicAdvocacy: $p, givenBy: DEFENDER }) { id } }",
            json!({ "c": case, "t": trial, "p": public }),
        )
        .await
        .data();
}

pub async fn audited(app: &TestApp, action: &str) -> i64 {
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

fn numbers(r: &Resp) -> Vec<i64> {
    r.data()["fairnessAssessment"]["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["number"].as_i64().expect("number"))
        .collect()
}

on_both_backends! {
    async fn appointed_assessors_write_versions_and_everyone_else_is_refused(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let nl = app.diplomat("NL").await;
        let h = claimed_hearing(&coord, &case, &nl).await;
        // An observation of another trial of the same country, and one of a
        // trial CA does not see at all.
        let (coord2, other_case) = observed_case(&app).await;
        let ca_observer = app.diplomat("CA").await;
        let other_h = claimed_hearing(&coord2, &other_case, &ca_observer).await;
        let ch_coord = app.user("COORDINATOR", "CH").await;
        let ch_case = str_of(&open_case(&ch_coord, "Defender Z", "Zed Person").await["id"], "case");
        consent_with(&ch_coord, &ch_case, true, false).await;
        let ch_observer = app.diplomat("CH").await;
        let ch_h = claimed_hearing(&ch_coord, &ch_case, &ch_observer).await;
        app.advance_clock(Duration::days(3));
        let cited = observe(&nl, &h).await;
        let other_trial = observe(&ca_observer, &other_h).await;
        let invisible = observe(&ch_observer, &ch_h).await;

        let ca_admin = app.admin("CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        // Nobody writes before an admin appoints them: not a diplomat, not a coordinator.
        for who in [&ca_diplomat, &coord] {
            write(who, &case, None, "B", "Reasoning", &[]).await.assert_code("FORBIDDEN");
        }
        // Appointing is an admin's, for their own country's users only.
        appoint(&ca_diplomat, &ca_diplomat).await.assert_code("FORBIDDEN");
        appoint(&coord, &ca_diplomat).await.assert_code("FORBIDDEN");
        appoint(&app.admin("NL").await, &ca_diplomat).await.assert_code("NOT_FOUND");
        appoint(&ca_admin, &app.liaison().await).await.assert_code("NOT_FOUND");
        let made = appoint(&ca_admin, &ca_diplomat).await;
        assert_eq!(made.data()["appointAssessor"]["isAssessor"], true);
        appoint(&ca_admin, &ca_diplomat).await.data();
        assert_eq!(audited(&app, "ASSESSOR_APPOINTED").await, 1, "appointing twice changes nothing");
        let assessor = ca_diplomat;
        // Assessors of other countries: FORBIDDEN where their country sees
        // the case (NL, at DETAIL), NOT_FOUND where it does not (CH).
        write(&assessor_of(&app, "NL").await, &case, None, "B", "Reasoning", &[]).await.assert_code("FORBIDDEN");
        write(&assessor_of(&app, "CH").await, &case, None, "B", "Reasoning", &[]).await.assert_code("NOT_FOUND");

        // Bad input, each naming its field; nothing is written.
        let bad = |standards: Value, reasoning: &str| json!({ "c": case, "i": { "grade": "B", "standards": standards, "reasoning": reasoning } });
        let r = assessor.q(WRITE, bad(json!([]), "Reasoning")).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "input.standards".into()));
        let r = assessor.q(WRITE, bad(json!(["ECHR_ART_6"]), "   ")).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "input.reasoning".into()));
        let r = assessor.q(WRITE, bad(json!(["ECHR_ART_6"]), &"x".repeat(20_001))).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "input.reasoning".into()));
        // An observation of another trial, one CA cannot see, a malformed id:
        // one refusal, word for word (it tells nothing of the others).
        let mut refusals = Vec::new();
        for o in [other_trial.as_str(), invisible.as_str(), "not-an-id", case.as_str()] {
            refusals.push(write(&assessor, &case, None, "B", "Reasoning", &[o]).await);
        }
        for r in &refusals {
            assert_eq!(r.body, refusals[0].body, "identical refusals");
        }
        assert_eq!((refusals[0].code(), refusals[0].field()), ("BAD_USER_INPUT".into(), "input.observationIds[0]".into()));
        let many: Vec<String> = (0..51).map(|_| cited.clone()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let r = write(&assessor, &case, None, "B", "Reasoning", &many).await;
        assert_eq!((r.code(), r.field()), ("BAD_USER_INPUT".into(), "input.observationIds".into()));
        assert_eq!(app.count_rows("fairness_assessments").await, 0);

        // Version 1, citing the trial's observation.
        let v1 = write(&assessor, &case, None, "C", "Counsel was kept from the defendant.", &[&cited]).await;
        let v1 = &v1.data()["writeFairnessAssessment"];
        assert_eq!(v1["currentVersion"], 1);
        assert_eq!(v1["visibility"], "OWNER");
        assert_eq!(v1["current"]["grade"], "C");
        assert!(str_of(&v1["current"]["gradeDefinition"], "definition").contains("may have affected the outcome"));
        assert_eq!(v1["current"]["standards"], json!(["ICCPR_ART_14", "UN_BASIC_PRINCIPLES_LAWYERS"]));
        assert_eq!(v1["current"]["observationIds"], json!([cited]));
        // A second "first" version is stale: there is one now.
        let stale = write(&assessor, &case, None, "B", "Again", &[]).await;
        stale.assert_code("CONFLICT");
        assert_eq!(stale.body["errors"][0]["extensions"]["currentVersion"], 1);
        // Version 2 on top of 1; then 1 is a stale base.
        write(&assessor, &case, Some(1), "D", "The verdict rested on a coerced statement.", &[]).await.data();
        let stale = write(&assessor, &case, Some(1), "A", "Late edit", &[]).await;
        stale.assert_code("CONFLICT");
        assert_eq!(stale.body["errors"][0]["extensions"]["currentVersion"], 2);
        write(&assessor, &case, Some(7), "A", "From the future", &[]).await.assert_code("CONFLICT");

        // Every version stays readable, oldest first, with its author.
        let seen = read(&coord, &case).await;
        assert_eq!(numbers(&seen), [1, 2]);
        let versions = &seen.data()["fairnessAssessment"]["versions"];
        assert_eq!((versions[0]["grade"].as_str(), versions[1]["grade"].as_str()), (Some("C"), Some("D")));
        assert_eq!(versions[0]["observationIds"], json!([cited]));
        assert_eq!(versions[1]["author"]["email"], assessor.email.as_str());
        assert_eq!(versions[1]["authorCountry"], "CA");
        assert_eq!(audited(&app, "FAIRNESS_ASSESSMENT_WRITTEN").await, 2);

        // Dismissed: the grant ends at once; the versions stay.
        let gone = dismiss(&ca_admin, &assessor).await;
        assert_eq!(gone.data()["dismissAssessor"]["isAssessor"], false);
        write(&assessor, &case, Some(2), "B", "After dismissal", &[]).await.assert_code("FORBIDDEN");
        read(&assessor, &case).await.assert_code("NOT_FOUND");
        assert_eq!(numbers(&read(&coord, &case).await), [1, 2]);
        assert_eq!(audited(&app, "ASSESSOR_DISMISSED").await, 1);
        // A new assessor takes over from the current version.
        let next = assessor_of(&app, "CA").await;
        write(&next, &case, Some(2), "D", "Confirmed on appeal.", &[]).await.data();
        assert_eq!(numbers(&read(&next, &case).await), [1, 2, 3]);
    }

    async fn versions_stop_at_the_cap_which_the_database_holds_too(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let assessor = assessor_of(&app, "CA").await;
        for n in 1..=50 {
            let base = (n > 1).then_some(n - 1);
            write(&assessor, &case, base, "B", &format!("version {n}"), &[]).await.data();
        }
        let refused = write(&assessor, &case, Some(50), "C", "one too many", &[]).await;
        refused.assert_code("CONFLICT");
        assert!(refused.message().contains("50"), "{}", refused.body);
        assert_eq!(numbers(&read(&coord, &case).await).len(), 50);
        // Underneath the service, the database refuses a 51st version.
        let db = app.db();
        let insert = "INSERT INTO fairness_assessment_versions (assessment_id, number, grade, standards, reasoning, observation_ids, author_id, author_country, created_at) \
             SELECT assessment_id, 51, grade, standards, reasoning, observation_ids, author_id, author_country, created_at \
             FROM fairness_assessment_versions WHERE number = 50";
        assert!(db.execute_unprepared(insert).await.is_err(), "the CHECK refuses version 51");
        assert!(
            db.execute_unprepared("UPDATE fairness_assessment_versions SET grade = 'E' WHERE number = 1").await.is_err(),
            "grades are A, B, C, D, F"
        );
        assert_eq!(app.count_rows("fairness_assessment_versions").await, 50);
    }

    async fn the_export_needs_consent_to_public_advocacy_and_names_nobody(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let assessor = assessor_of(&app, "CA").await;
        write(&assessor, &case, None, "F",
            "Defender T was convicted for a speech; defender t had no counsel at any hearing.", &[]).await.data();
        let export = "query($c: ID!) { publishableAssessment(caseId: $c) { grade gradeDefinition standards standardTitles reasoning version text firstAssessedAt assessedAt } }";
        let refused = coord.q(export, json!({ "c": case })).await;
        refused.assert_code("CONSENT_REQUIRED");
        assert_eq!(audited(&app, "FAIRNESS_ASSESSMENT_EXPORTED").await, 0);

        consent_with(&coord, &case, true, true).await;
        let r = assessor.q(export, json!({ "c": case })).await;
        let p = &r.data()["publishableAssessment"];
        assert_eq!(p["grade"], "F");
        assert_eq!(p["version"], 1);
        assert_eq!(p["standards"], json!(["ICCPR_ART_14", "UN_BASIC_PRINCIPLES_LAWYERS"]));
        let text = str_of(&p["text"], "text");
        assert!(text.contains("Trial fairness grade: F"), "{text}");
        assert!(text.contains(str_of(&p["gradeDefinition"], "definition").as_str()), "{text}");
        assert!(text.contains("UN Basic Principles on the Role of Lawyers"), "{text}");
        assert!(text.contains("the defendant was convicted for a speech"), "{text}");
        // No identity, pseudonym, reference, assessor or monitor in it.
        let case_row = crate::builders::read_case(&coord, &case).await;
        let reference = str_of(&case_row.data()["case"]["reference"], "reference");
        for secret in ["Defender T", "defender t", "Trial Person", "Barangay", reference.as_str(), assessor.email.as_str()] {
            assert!(!text.contains(secret), "{secret:?} in {text}");
            assert!(!p.to_string().contains(secret), "{secret:?} in {p}");
        }
        assert_eq!(audited(&app, "FAIRNESS_ASSESSMENT_EXPORTED").await, 1);

        // Partners never export, even when shared; others find nothing.
        coord.q("mutation($c: ID!) { shareAssessment(caseId: $c, country: \"NL\") { caseId } }", json!({ "c": case })).await.data();
        let nl = app.diplomat("NL").await;
        nl.q(export, json!({ "c": case })).await.assert_code("FORBIDDEN");
        app.diplomat("DE").await.q(export, json!({ "c": case })).await.assert_code("NOT_FOUND");
        // A CA diplomat who is not an assessor does not see it at all.
        app.diplomat("CA").await.q(export, json!({ "c": case })).await.assert_code("NOT_FOUND");
        // Consent withdrawn: no export any more.
        consent_with(&coord, &case, true, false).await;
        assessor.q(export, json!({ "c": case })).await.assert_code("CONSENT_REQUIRED");
        assert_eq!(audited(&app, "FAIRNESS_ASSESSMENT_EXPORTED").await, 1);
    }
}

/// A current assessor of `country` (a fresh diplomat, appointed by its admin).
pub async fn assessor_of(app: &TestApp, country: &str) -> Actor {
    let who = app.diplomat(country).await;
    appoint(&app.admin(country).await, &who).await.data();
    who
}
