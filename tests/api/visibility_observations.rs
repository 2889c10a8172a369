//! Leak oracle for observations, their originals and amendments: an
//! observation, what it first said and every amendment (when, why, what)
//! are seen exactly where the hearing is (docs/RULES.md "Visibility": the
//! owner country always; a partner while it sees the case at DETAIL and
//! consent to trial observation stands), and nowhere else — where hidden,
//! the answer is byte for byte a missing hearing's, and so is an attempt to
//! amend. Observers' names only to their own country and the owner's.
//!
//! The model is written from the rules alone; the world is walked through
//! share and consent changes and every viewer is asked after each.
use chrono::Duration;
use serde_json::{Value, json};

use crate::builders::{claim, manila_in, observed_case, schedule, share};
use crate::helpers::*;
use crate::on_both_backends;
use crate::oracle::{missing_answer, missing_id};

/// Costs 2 + 50 × (8 + 7 + 1 + 3 × 6) = 1,702 (the limit is 2,000).
const OBSERVATIONS: &str = "query($h: ID!) { hearing(id: $h) { observations {
    id country observer { email } outcome notes amendedAt amendmentReason
    original { revision outcome notes amendmentReason submittedAt amendedAt }
    history(last: 3) { revision outcome notes amendmentReason submittedAt amendedAt } } } }";
const AMEND: &str = "mutation($o: ID!) { amendObservation(id: $o, input: {
    courtroomAccess: GRANTED, outcome: OTHER, notes: \"not mine\", reason: \"trying\" }) { id } }";
const OBSERVE: &str = "mutation($h: ID!, $i: ObservationInput!) { submitObservation(hearingId: $h, input: $i) { id } }";
const AMEND_OWN: &str =
    "mutation($o: ID!, $i: AmendObservationInput!) { amendObservation(id: $o, input: $i) { id } }";

/// The world's visibility, as the model knows it.
struct World {
    nl_detail: bool,
    se_detail: bool,
    trial_consent: bool,
}

struct Viewer {
    name: &'static str,
    actor: Actor,
    country: &'static str,
    /// The observation this viewer wrote, if any.
    observer_of: Option<String>,
}

/// Whether a viewer of `country` sees the hearing (and so its observations).
fn sees(w: &World, country: &str) -> bool {
    match country {
        "CA" => true,
        "NL" => w.nl_detail && w.trial_consent,
        "SE" => w.se_detail && w.trial_consent,
        _ => false,
    }
}

/// What `country` is shown of `truth` (the owner's view): observers' names
/// only of its own country, or of every country for the owner.
fn shown_to(truth: &Value, country: &str) -> Value {
    let mut shown = truth.clone();
    for o in shown.as_array_mut().expect("observations") {
        if country != "CA" && o["country"] != country {
            o["observer"] = Value::Null;
        }
    }
    shown
}

async fn check(
    app_step: &str,
    w: &World,
    viewers: &[Viewer],
    h: &str,
    truth: &Value,
    missing: &Raw,
    missing_amend: &Raw,
) {
    let mut errs = Vec::new();
    for v in viewers {
        let got = raw(&v.actor, OBSERVATIONS, json!({ "h": h })).await;
        if sees(w, v.country) {
            let want = shown_to(truth, v.country);
            if got.body["data"]["hearing"]["observations"] != want {
                errs.push(format!(
                    "{app_step}: {}: expected {want}, got {}",
                    v.name, got.text
                ));
            }
        } else if (got.status, &got.text) != (missing.status, &missing.text) {
            errs.push(format!(
                "{app_step}: {}: must answer as a missing hearing, got {}",
                v.name, got.text
            ));
        }
        // Amending another's observation: FORBIDDEN where seen, else a
        // missing id's answer; nothing changes either way.
        for o in truth.as_array().expect("observations") {
            let id = o["id"].as_str().expect("id");
            if v.observer_of.as_deref() == Some(id) {
                continue;
            }
            let tried = raw(&v.actor, AMEND, json!({ "o": id })).await;
            if sees(w, v.country) {
                if tried.code() != Some("FORBIDDEN") {
                    errs.push(format!(
                        "{app_step}: {} amending {id}: expected FORBIDDEN, got {}",
                        v.name, tried.text
                    ));
                }
            } else if (tried.status, &tried.text) != (missing_amend.status, &missing_amend.text) {
                errs.push(format!(
                    "{app_step}: {} amending {id}: must answer as a missing id, got {}",
                    v.name, tried.text
                ));
            }
        }
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

on_both_backends! {
    async fn observations_and_their_amendments_are_seen_exactly_where_the_hearing_is(app: TestApp) {
        let (coord, case) = observed_case(&app).await; // CA; NL at DETAIL, DE at SUMMARY
        share(&coord, &case, "SE", "DETAIL").await.data();
        let r = schedule(&coord, &case, &manila_in(2), "Asia/Manila", 2).await;
        let h = str_of(&r.data()["scheduleHearing"]["id"], "hearing");
        let (nl_obs, se_obs) = (app.diplomat("NL").await, app.diplomat("SE").await);
        claim(&nl_obs, &h).await.data();
        claim(&se_obs, &h).await.data();
        app.advance_clock(Duration::days(3));
        let content = |outcome: &str, notes: &str| {
            let access = if outcome == "ACCESS_DENIED" { "DENIED" } else { "GRANTED" };
            json!({ "courtroomAccess": access, "outcome": outcome, "notes": notes })
        };
        nl_obs.q(OBSERVE, json!({ "h": h, "i": content("ACCESS_DENIED", "nl v0") })).await.data();
        se_obs.q(OBSERVE, json!({ "h": h, "i": content("HEARD", "se v0") })).await.data();
        let ids = coord.q("query($h: ID!) { hearing(id: $h) { observations { id country } } }", json!({ "h": h })).await;
        let id_of = |country: &str| {
            ids.data()["hearing"]["observations"].as_array().expect("list").iter()
                .find(|o| o["country"] == country).map(|o| str_of(&o["id"], "id")).expect("observation")
        };
        let (nl_id, se_id) = (id_of("NL"), id_of("SE"));
        for (n, reason) in ["let in after all", "verdict read later"].iter().enumerate() {
            app.advance_clock(Duration::minutes(30));
            let mut i = content(if n == 0 { "HEARD" } else { "VERDICT" }, &format!("nl v{}", n + 1));
            i["reason"] = json!(reason);
            nl_obs.q(AMEND_OWN, json!({ "o": nl_id, "i": i })).await.data();
        }

        // The truth, from the owner, checked against what was written.
        let truth = coord.q(OBSERVATIONS, json!({ "h": h })).await.data()["hearing"]["observations"].clone();
        let nl = truth.as_array().expect("list").iter().find(|o| o["id"] == json!(nl_id)).expect("nl").clone();
        let se = truth.as_array().expect("list").iter().find(|o| o["id"] == json!(se_id)).expect("se").clone();
        assert_eq!((nl["notes"].clone(), nl["amendmentReason"].clone()), (json!("nl v2"), json!("verdict read later")));
        assert_eq!((nl["original"]["notes"].clone(), nl["original"]["amendmentReason"].clone()), (json!("nl v0"), Value::Null));
        let reasons: Vec<Value> = nl["history"].as_array().expect("history").iter().map(|r| r["amendmentReason"].clone()).collect();
        assert_eq!(reasons, [Value::Null, json!("let in after all")]);
        assert_eq!((se["original"].clone(), se["history"].clone()), (Value::Null, json!([])));
        assert!(nl["observer"]["email"].is_string() && se["observer"]["email"].is_string(), "the owner sees who observed");

        let viewer = |name, actor, country, observer_of: Option<&String>| Viewer { name, actor, country, observer_of: observer_of.cloned() };
        let viewers = vec![
            viewer("CA coordinator", coord.clone(), "CA", None),
            viewer("CA diplomat", app.diplomat("CA").await, "CA", None),
            viewer("NL observer", nl_obs.clone(), "NL", Some(&nl_id)),
            viewer("NL colleague", app.diplomat("NL").await, "NL", None),
            viewer("SE observer", se_obs.clone(), "SE", Some(&se_id)),
            viewer("DE at SUMMARY", app.diplomat("DE").await, "DE", None),
            viewer("CH, not shared", app.diplomat("CH").await, "CH", None),
            viewer("liaison", app.liaison().await, "--", None),
        ];
        let mut missing = Vec::new();
        for v in &viewers {
            let m = missing_answer(&v.actor, v.name, "hearing", "hearing", OBSERVATIONS, json!({ "h": missing_id("Hearing") })).await;
            let a = raw(&v.actor, AMEND, json!({ "o": missing_id("Observation") })).await;
            assert_eq!(a.code(), Some("NOT_FOUND"), "{}", a.text);
            missing.push((m, a));
        }
        // Every viewer gets the same missing answers (no viewer-specific text).
        for (m, a) in &missing[1..] {
            assert_eq!((&m.text, &a.text), (&missing[0].0.text, &missing[0].1.text));
        }
        let (missing, missing_amend) = (&missing[0].0, &missing[0].1);

        let mut w = World { nl_detail: true, se_detail: true, trial_consent: true };
        check("start", &w, &viewers, &h, &truth, missing, missing_amend).await;
        share(&coord, &case, "NL", "SUMMARY").await.data();
        w.nl_detail = false;
        check("NL down to SUMMARY", &w, &viewers, &h, &truth, missing, missing_amend).await;
        share(&coord, &case, "NL", "DETAIL").await.data();
        w.nl_detail = true;
        check("NL back at DETAIL", &w, &viewers, &h, &truth, missing, missing_amend).await;
        let trial = "mutation($c: ID!, $t: Boolean!) { recordConsent(caseId: $c, input: { shareWithPartners: true, trialObservation: $t, publicAdvocacy: false, givenBy: DEFENDER }) { id } }";
        coord.q(trial, json!({ "c": case, "t": false })).await.data();
        w.trial_consent = false;
        check("consent to trial observation withdrawn", &w, &viewers, &h, &truth, missing, missing_amend).await;
        coord.q(trial, json!({ "c": case, "t": true })).await.data();
        w.trial_consent = true;
        check("consent re-granted", &w, &viewers, &h, &truth, missing, missing_amend).await;
        coord.q("mutation($id: ID!) { unshareCase(caseId: $id, input: { country: \"SE\" }) { id } }", json!({ "id": case })).await.data();
        w.se_detail = false;
        check("SE unshared", &w, &viewers, &h, &truth, missing, missing_amend).await;
        // The refusals changed nothing.
        assert_eq!(coord.q(OBSERVATIONS, json!({ "h": h })).await.data()["hearing"]["observations"], truth);
    }
}
