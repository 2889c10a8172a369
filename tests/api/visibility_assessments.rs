//! A fairness assessment's visibility is its own (issue 25): the owner
//! country's coordinators, admins and assessors see it; a partner sees it
//! only while the owner shares it with that country *and* the country sees
//! the case's hearings. Anyone else finds nothing — `NOT_FOUND` byte for
//! byte as a missing one, absent from `fairnessAssessments` and its count,
//! `Case.fairnessAssessment` null.
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::assessments::{READ, assessor_of, consent_with, write};
use crate::builders::observed_case;
use crate::helpers::*;
use crate::on_both_backends;

const LIST: &str = "{ fairnessAssessments(first: 10) { totalCount nodes { caseId visibility } } }";
const CASE: &str = "query($c: ID!) { case(id: $c) { id fairnessAssessment { currentVersion visibility sharedWith } } }";

/// What `who` sees of `case`'s assessment: the single read's body, the
/// case's nested field, and the list with its count.
async fn sight(who: &Actor, case: &str) -> (Value, Value, Value) {
    let single = who.q(READ, json!({ "c": case })).await.body;
    let nested =
        who.q(CASE, json!({ "c": case })).await.body["data"]["case"]["fairnessAssessment"].clone();
    let list = who.q(LIST, json!({})).await.data()["fairnessAssessments"].clone();
    (single, nested, list)
}

/// Asserts that `who` does not see the assessment, exactly as if there were
/// none (`missing`: the answer for a case id that does not exist).
async fn hidden(who: &Actor, case: &str, missing: &Value, when: &str) {
    let (single, nested, list) = sight(who, case).await;
    assert_eq!(&single, missing, "{when}: NOT_FOUND as a missing one");
    assert_eq!(nested, Value::Null, "{when}: Case.fairnessAssessment");
    assert_eq!(
        list,
        json!({ "totalCount": 0, "nodes": [] }),
        "{when}: lists and counts"
    );
}

/// Asserts that `who` sees it as a partner (no shares, no authors).
async fn seen_as_partner(who: &Actor, case: &str, when: &str) {
    let (single, nested, list) = sight(who, case).await;
    let a = &single["data"]["fairnessAssessment"];
    assert_eq!(a["visibility"], "PARTNER", "{when}: {single}");
    assert_eq!(
        a["sharedWith"],
        Value::Null,
        "{when}: the shares are the owner's"
    );
    assert_eq!(
        a["versions"][0]["author"],
        Value::Null,
        "{when}: who assessed is the owner's"
    );
    assert_eq!(a["versions"][0]["authorCountry"], "CA");
    assert_eq!(nested["visibility"], "PARTNER", "{when}");
    assert_eq!(list["totalCount"], 1, "{when}");
    assert_eq!(list["nodes"][0]["caseId"], case, "{when}");
}

async fn set_shared(by: &Actor, case: &str, country: &str, shared: bool) -> Resp {
    let op = if shared {
        "shareAssessment"
    } else {
        "unshareAssessment"
    };
    by.q(
        &format!(
            "mutation($c: ID!, $k: String!) {{ {op}(caseId: $c, country: $k) {{ sharedWith }} }}"
        ),
        json!({ "c": case, "k": country }),
    )
    .await
}

on_both_backends! {
    async fn a_partner_sees_the_assessment_only_while_shared_and_seeing_the_trial(app: TestApp) {
        // CA owns the case; NL sees it at DETAIL (and so its hearings), DE
        // at SUMMARY; CH not at all.
        let (coord, case) = observed_case(&app).await;
        let missing_case = accord_server::domain::ids::encode(
            accord_server::domain::ids::Kind::Case,
            uuid::Uuid::now_v7(),
        );
        let nl = app.diplomat("NL").await;
        let (de, ch) = (app.diplomat("DE").await, app.diplomat("CH").await);
        let missing = nl.q(READ, json!({ "c": missing_case })).await.body;
        assert_eq!(missing["errors"][0]["extensions"]["code"], "NOT_FOUND");
        // No assessment yet: the same answer for everyone.
        hidden(&coord, &case, &missing, "before any version").await;

        let assessor = assessor_of(&app, "CA").await;
        write(&assessor, &case, None, "D", "Counsel was barred from the hearing.", &[]).await.data();

        // The owner's coordinators, admins and assessors see it; a CA
        // diplomat who is not an assessor does not.
        for who in [&coord, &app.admin("CA").await, &assessor] {
            let (single, nested, list) = sight(who, &case).await;
            assert_eq!(single["data"]["fairnessAssessment"]["visibility"], "OWNER");
            assert_eq!(nested["sharedWith"], json!([]));
            assert_eq!(list["totalCount"], 1);
        }
        hidden(&app.diplomat("CA").await, &case, &missing, "a CA diplomat, not an assessor").await;

        // NL sees the case at DETAIL, but not the assessment until shared.
        assert_eq!(nl.q(CASE, json!({ "c": case })).await.data()["case"]["id"], case.as_str());
        hidden(&nl, &case, &missing, "NL, not shared").await;
        // Only the owner's coordinators and admins share; to others the
        // assessment is not there to share.
        set_shared(&assessor, &case, "NL", true).await.assert_code("FORBIDDEN");
        let no_case = set_shared(&coord, &missing_case, "NL", true).await.body;
        assert_eq!(no_case["errors"][0]["extensions"]["code"], "NOT_FOUND");
        assert_eq!(set_shared(&nl, &case, "NL", true).await.body, no_case);
        assert_eq!(set_shared(&ch, &case, "CH", true).await.body, no_case);
        set_shared(&coord, &case, "CA", true).await.assert_code("BAD_USER_INPUT");
        set_shared(&coord, &case, "XX", true).await.assert_code("BAD_USER_INPUT");

        for country in ["NL", "DE", "CH"] {
            set_shared(&coord, &case, country, true).await.data();
        }
        let shared = set_shared(&coord, &case, "NL", true).await;
        assert_eq!(shared.data()["shareAssessment"]["sharedWith"], json!(["CH", "DE", "NL"]));
        seen_as_partner(&nl, &case, "NL, shared").await;
        // Sharing never reveals a trial the partner cannot see.
        hidden(&de, &case, &missing, "DE sees the case at SUMMARY only").await;
        hidden(&ch, &case, &missing, "CH does not see the case").await;
        // A partner may read, never share or write.
        assert_eq!(set_shared(&nl, &case, "DE", false).await.code(), "FORBIDDEN");
        write(&assessor_of(&app, "NL").await, &case, Some(1), "A", "x", &[]).await.assert_code("FORBIDDEN");

        // Unsharing hides it at once; sharing again shows it.
        set_shared(&coord, &case, "NL", false).await.data();
        hidden(&nl, &case, &missing, "NL, unshared").await;
        set_shared(&coord, &case, "NL", true).await.data();
        seen_as_partner(&nl, &case, "NL, shared again").await;

        // Consent to trial observation withdrawn: the partner loses the
        // hearings and with them the assessment; the owner keeps it.
        consent_with(&coord, &case, false, false).await;
        hidden(&nl, &case, &missing, "consent to trial observation withdrawn").await;
        assert_eq!(sight(&coord, &case).await.2["totalCount"], 1);
        consent_with(&coord, &case, true, false).await;
        seen_as_partner(&nl, &case, "consent given again").await;

        // The case's share lowered to SUMMARY, then removed: hidden, though
        // the assessment share stands.
        coord.q("mutation($c: ID!) { shareCase(caseId: $c, input: { country: \"NL\", level: SUMMARY }) { id } }", json!({ "c": case })).await.data();
        hidden(&nl, &case, &missing, "the case at SUMMARY").await;
        coord.q("mutation($c: ID!) { unshareCase(caseId: $c, input: { country: \"NL\" }) { id } }", json!({ "c": case })).await.data();
        hidden(&nl, &case, &missing, "the case unshared").await;
        let still = coord.q(CASE, json!({ "c": case })).await;
        assert_eq!(still.data()["case"]["fairnessAssessment"]["sharedWith"], json!(["CH", "DE", "NL"]));
        // The case shared at DETAIL again: the standing share applies.
        coord.q("mutation($c: ID!) { shareCase(caseId: $c, input: { country: \"NL\", level: DETAIL }) { id } }", json!({ "c": case })).await.data();
        seen_as_partner(&nl, &case, "the case shared again").await;

        // Liaisons and the operator never see one.
        for who in [app.liaison().await, app.operator().await] {
            let list = who.q(LIST, json!({})).await;
            assert_eq!(list.data()["fairnessAssessments"], json!({ "totalCount": 0, "nodes": [] }));
            assert_eq!(who.q(READ, json!({ "c": case })).await.body, missing);
        }
        assert_eq!(app.count_rows("fairness_assessment_shares").await, 3);
    }

    async fn the_list_counts_only_what_each_country_sees(app: TestApp) {
        // Three CA cases with assessments: one shared with NL, one not, one
        // shared with NL whose case NL does not see.
        let assessor = assessor_of(&app, "CA").await;
        let mut cases = Vec::new();
        for _ in 0..3 {
            let (coord, case) = observed_case(&app).await;
            write(&assessor, &case, None, "B", "Minor delays.", &[]).await.data();
            cases.push((coord, case));
        }
        set_shared(&cases[0].0, &cases[0].1, "NL", true).await.data();
        set_shared(&cases[2].0, &cases[2].1, "NL", true).await.data();
        cases[2].0.q("mutation($c: ID!) { unshareCase(caseId: $c, input: { country: \"NL\" }) { id } }", json!({ "c": cases[2].1 })).await.data();
        let nl = app.diplomat("NL").await;
        let list = nl.q(LIST, json!({})).await;
        assert_eq!(
            list.data()["fairnessAssessments"],
            json!({ "totalCount": 1, "nodes": [{ "caseId": cases[0].1, "visibility": "PARTNER" }] })
        );
        let owner = cases[0].0.q(LIST, json!({})).await;
        assert_eq!(owner.data()["fairnessAssessments"]["totalCount"], 3);
        let one = cases[0].0.q("{ fairnessAssessments(first: 1) { totalCount nodes { caseId } } }", json!({})).await;
        assert_eq!(one.data()["fairnessAssessments"]["totalCount"], 3);
        assert_eq!(one.data()["fairnessAssessments"]["nodes"].as_array().map(Vec::len), Some(1));
        let over = nl.q("{ fairnessAssessments(first: 101) { totalCount } }", json!({})).await;
        assert_eq!((over.code(), over.field()), ("BAD_USER_INPUT".into(), "first".into()));
    }

    async fn the_oracle_agrees_with_the_rule_over_random_changes(app: TestApp) {
        // The rule, written from issue 25 alone: a partner sees the
        // assessment iff the defender consents to sharing and to trial
        // observation, the case is shared with it at DETAIL, and the
        // assessment is shared with it. Random changes by the owner; after
        // each, every partner's single read, nested field and list agree.
        const PARTNERS: [&str; 3] = ["NL", "DE", "CH"];
        let (coord, case) = observed_case(&app).await;
        let missing_case = accord_server::domain::ids::encode(
            accord_server::domain::ids::Kind::Case,
            uuid::Uuid::now_v7(),
        );
        let assessor = assessor_of(&app, "CA").await;
        write(&assessor, &case, None, "C", "Oracle", &[]).await.data();
        let mut readers = Vec::new();
        for p in PARTNERS {
            readers.push(app.diplomat(p).await);
        }
        let missing = readers[0].q(READ, json!({ "c": missing_case })).await.body;
        // observed_case: consent to share and observe; NL at DETAIL, DE at SUMMARY.
        let (mut consent_share, mut consent_trial) = (true, true);
        let mut level: [Option<&str>; 3] = [Some("DETAIL"), Some("SUMMARY"), None];
        let mut shared = [false; 3];
        let seed: u64 = rand::random();
        let mut rng = StdRng::seed_from_u64(seed);
        for round in 0..14 {
            let i = rng.gen_range(0..PARTNERS.len());
            let p = PARTNERS[i];
            let what = rng.gen_range(0..5);
            let done = match what {
                0 => {
                    let l = if rng.gen_bool(0.6) { "DETAIL" } else { "SUMMARY" };
                    let r = coord.q("mutation($c: ID!, $k: String!, $l: ShareLevel!) { shareCase(caseId: $c, input: { country: $k, level: $l }) { id } }", json!({ "c": case, "k": p, "l": l })).await;
                    if consent_share {
                        r.data();
                        level[i] = Some(l);
                    } else {
                        r.assert_code("CONSENT_REQUIRED");
                    }
                    format!("share case with {p} at {l}")
                }
                1 => {
                    let r = coord.q("mutation($c: ID!, $k: String!) { unshareCase(caseId: $c, input: { country: $k }) { id } }", json!({ "c": case, "k": p })).await;
                    if level[i].is_some() {
                        r.data();
                    }
                    level[i] = None;
                    format!("unshare case from {p}")
                }
                2 | 3 => {
                    let on = what == 2;
                    set_shared(&coord, &case, p, on).await.data();
                    shared[i] = on;
                    format!("{} the assessment with {p}", if on { "share" } else { "unshare" })
                }
                _ => {
                    if rng.gen_bool(0.5) {
                        consent_trial = !consent_trial;
                    } else {
                        consent_share = !consent_share;
                    }
                    coord.q("mutation($c: ID!, $s: Boolean!, $t: Boolean!) { recordConsent(caseId: $c, input: { shareWithPartners: $s, trialObservation: $t, publicAdvocacy: false, givenBy: DEFENDER }) { id } }",
                        json!({ "c": case, "s": consent_share, "t": consent_trial })).await.data();
                    format!("consent share={consent_share} trial={consent_trial}")
                }
            };
            for (j, reader) in readers.iter().enumerate() {
                let sees = consent_share && consent_trial && level[j] == Some("DETAIL") && shared[j];
                let when = format!("seed {seed}, round {round} ({done}), {}", PARTNERS[j]);
                if sees {
                    seen_as_partner(reader, &case, &when).await;
                } else {
                    hidden(reader, &case, &missing, &when).await;
                }
            }
            // The owner always sees it, with every standing assessment share.
            let owner = coord.q(CASE, json!({ "c": case })).await;
            let want: Vec<&str> = {
                let mut v: Vec<&str> = PARTNERS.iter().zip(shared).filter(|(_, s)| *s).map(|(p, _)| *p).collect();
                v.sort_unstable();
                v
            };
            assert_eq!(owner.data()["case"]["fairnessAssessment"]["sharedWith"], json!(want), "seed {seed}, round {round}");
        }
    }
}
