//! Joint statements through the API: drafting in versions (a stale base is
//! refused with the current version), invitations and co-penholders,
//! signatures pinned to a version, finalization (consent to public advocacy
//! for public kinds), delivery, export, and who sees what (rule 4).
use serde_json::{Value, json};

use crate::builders::*;
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends! {
    async fn a_statement_is_drafted_signed_finalized_and_delivered(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.user("COORDINATOR", "DE").await;
        let r = create_statement(&ca, &["NL", "DE"], json!({})).await;
        let s = r.data()["createStatement"].clone();
        let id = str_of(&s["id"], "id");
        assert_eq!(s["status"], "CIRCULATING");
        assert_eq!(s["leadCountry"], "CA");
        assert_eq!(s["myRole"], "LEAD");
        assert_eq!(s["currentVersion"]["number"], 1);
        assert_eq!(s["participants"][0]["country"], "CA");
        assert_eq!(s["participants"][0]["role"], "LEAD");
        assert_eq!(signature_of(&s, "NL"), ("PENDING".into(), None));

        approve(&nl, &id, 1).await.data();
        approve(&de, &id, 1).await.data();
        // A new version turns approvals stale; a stale base is refused with the current version.
        revise(&ca, &id, 1, "The undersigned missions express deep concern.\nWe urge a fair trial.\n").await.data();
        let stale = revise(&ca, &id, 1, "Another text.\n").await;
        stale.assert_code("CONFLICT");
        assert_eq!(stale.body["errors"][0]["extensions"]["currentVersion"], 2);
        let s = read_statement(&nl, &id).await.data()["statement"].clone();
        assert_eq!(signature_of(&s, "NL"), ("STALE".into(), Some(1)));
        assert_eq!(s["versions"].as_array().map(Vec::len), Some(2));
        // Approving an old version is a conflict; the current one is fine.
        approve(&nl, &id, 1).await.assert_code("CONFLICT");
        approve(&nl, &id, 2).await.data();
        decline(&de, &id, "Not in line with our current priorities.").await.data();
        // Invited countries do not revise or finalize.
        revise(&nl, &id, 2, "x").await.assert_code("FORBIDDEN");
        finalize(&nl, &id).await.assert_code("FORBIDDEN");
        // The lead has not answered: before the deadline it cannot finalize yet.
        finalize(&ca, &id).await.assert_code("BAD_USER_INPUT");
        approve(&ca, &id, 2).await.data();
        let done = finalize(&ca, &id).await;
        let f = &done.data()["finalizeStatement"];
        assert_eq!(f["status"], "FINAL");
        assert_eq!(f["signatories"], json!(["CA", "NL"]));
        assert_eq!(f["finalVersion"]["number"], 2);
        // Nothing changes a final statement.
        revise(&ca, &id, 2, "late").await.assert_code("CONFLICT");
        withdraw(&nl, &id).await.assert_code("CONFLICT");
        invite(&ca, &id, &["SE"], None).await.assert_code("CONFLICT");
        // Export: Markdown with the signatories, audited.
        let md = ca.q("query($id: ID!) { statement(id: $id) { exportMarkdown } }", json!({ "id": id })).await;
        let text = md.data()["statement"]["exportMarkdown"].as_str().expect("markdown").to_owned();
        assert!(text.contains("express deep concern") && text.contains("**Signatories:** Canada, Netherlands"), "{text}");
        assert_eq!(app.count_rows("audit_events WHERE action = 'STATEMENT_EXPORTED'").await, 1);
        // Delivery.
        let delivered = ca.q("mutation($id: ID!, $at: DateTime!) { markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: NOTE_VERBALE }) { status deliveredAt deliveryChannel } }",
            json!({ "id": id, "at": chrono::Utc::now().to_rfc3339() })).await;
        assert_eq!(delivered.data()["markStatementDelivered"]["status"], "DELIVERED");
        ca.q("mutation($id: ID!, $at: DateTime!) { markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: MEETING }) { status } }",
            json!({ "id": id, "at": chrono::Utc::now().to_rfc3339() })).await.assert_code("CONFLICT");
        // A diff between versions.
        let diff = nl.q("query($id: ID!) { statement(id: $id) { diff(from: 1, to: 2) } }", json!({ "id": id })).await;
        let diff = diff.data()["statement"]["diff"].as_str().expect("diff").to_owned();
        assert!(diff.contains("-The undersigned missions express concern.") && diff.contains("+The undersigned missions express deep concern."), "{diff}");
    }

    async fn only_the_lead_and_invited_countries_see_it(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.diplomat("DE").await;
        let id = created(&ca, &["NL"], json!({})).await;
        for outsider in [de.clone(), app.liaison().await, app.operator().await] {
            read_statement(&outsider, &id).await.assert_code("NOT_FOUND");
            let list = outsider.q("{ statements { totalCount edges { node { id } } } }", json!({})).await;
            assert_eq!(list.data()["statements"]["totalCount"], 0);
            outsider.q("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await.assert_code("NOT_FOUND");
        }
        let list = nl.q("{ statements { totalCount edges { node { id myRole } } } }", json!({})).await;
        assert_eq!(list.data()["statements"]["totalCount"], 1);
        assert_eq!(list.data()["statements"]["edges"][0]["node"]["myRole"], "INVITED");
        // Removed from the invitation: gone on the next request.
        uninvite(&ca, &id, &["NL"]).await.data();
        read_statement(&nl, &id).await.assert_code("NOT_FOUND");
        approve(&nl, &id, 1).await.assert_code("NOT_FOUND");
        uninvite(&ca, &id, &["CA"]).await.assert_code("BAD_USER_INPUT");
        // Co-penholders revise.
        invite(&ca, &id, &["DE"], Some("CO_PENHOLDER")).await.data();
        let de_coord = app.user("COORDINATOR", "DE").await;
        revise(&de_coord, &id, 1, "Co-drafted text.\n").await.data();
        revise(&de, &id, 2, "A diplomat does not draft.\n").await.assert_code("FORBIDDEN");
        invite(&de_coord, &id, &["SE"], None).await.assert_code("FORBIDDEN");
        // Inviting again without a role keeps a co-penholder a co-penholder.
        invite(&ca, &id, &["DE", "NL"], None).await.data();
        let s = read_statement(&ca, &id).await;
        let role = |c: &str| {
            s.data()["statement"]["participants"]
                .as_array()
                .expect("participants")
                .iter()
                .find(|p| p["country"] == c)
                .map(|p| p["role"].clone())
        };
        assert_eq!(role("DE"), Some(json!("CO_PENHOLDER")));
        assert_eq!(role("NL"), Some(json!("INVITED")));
    }

    async fn linked_cases_show_only_as_the_viewers_case_visibility_allows(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let de = app.diplomat("DE").await;
        let case = open_case(&ca, "Defender A", "Legal Name").await;
        let case_id = str_of(&case["id"], "id");
        consent(&ca, &case_id, true).await.data();
        share(&ca, &case_id, "NL", "SUMMARY").await.data();
        let id = created(&ca, &["NL", "DE"], json!({ "caseIds": [case_id] })).await;
        let cases = |r: Resp| r.data()["statement"]["cases"].clone();
        assert_eq!(cases(read_statement(&ca, &id).await), json!([{ "id": case_id }]));
        assert_eq!(cases(read_statement(&nl, &id).await), json!([{ "id": case_id }]));
        assert_eq!(cases(read_statement(&de, &id).await), json!([]), "DE does not see the case");
        // A case the creator cannot see cannot be linked.
        let hidden = open_case(&app.user("COORDINATOR", "DE").await, "Defender B", "Other").await;
        create_statement(&ca, &[], json!({ "caseIds": [hidden["id"]] })).await.assert_code("NOT_FOUND");
    }

    async fn a_public_statement_needs_consent_to_public_advocacy(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let case = open_case(&ca, "Defender A", "Legal Name").await;
        let case_id = str_of(&case["id"], "id");
        let id = created(&ca, &[], json!({ "kind": "PRESS_RELEASE", "caseIds": [case_id] })).await;
        approve(&ca, &id, 1).await.data();
        finalize(&ca, &id).await.assert_code("CONSENT_REQUIRED");
        ca.q("mutation($c: ID!) { recordConsent(caseId: $c, input: { shareWithPartners: false, trialObservation: false, publicAdvocacy: true, givenBy: DEFENDER }) { id } }",
            json!({ "c": case_id })).await.data();
        assert_eq!(finalize(&ca, &id).await.data()["finalizeStatement"]["status"], "FINAL");
        // Withdrawn after finalization: it stops delivery and export at once.
        ca.q("mutation($c: ID!) { recordConsent(caseId: $c, input: { shareWithPartners: false, trialObservation: false, publicAdvocacy: false, givenBy: FAMILY }) { id } }",
            json!({ "c": case_id })).await.data();
        let deliver = "mutation($id: ID!, $at: DateTime!) { markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: PUBLICATION }) { status } }";
        ca.q(deliver, json!({ "id": id, "at": chrono::Utc::now().to_rfc3339() })).await.assert_code("CONSENT_REQUIRED");
        ca.q("query($id: ID!) { statement(id: $id) { exportMarkdown } }", json!({ "id": id })).await.assert_code("CONSENT_REQUIRED");
        let s = read_statement(&ca, &id).await;
        assert_eq!(s.data()["statement"]["status"], "FINAL", "not delivered");
    }

    async fn after_the_deadline_the_lead_finalizes_with_those_who_approved(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        app.mission("DE").await;
        let deadline = (chrono::Utc::now() + chrono::Duration::hours(48)).to_rfc3339();
        let id = created(&ca, &["NL", "DE"], json!({ "deadline": deadline })).await;
        approve(&nl, &id, 1).await.data();
        approve(&ca, &id, 1).await.data();
        finalize(&ca, &id).await.assert_code("BAD_USER_INPUT");
        app.advance_clock(chrono::Duration::hours(49));
        let f = finalize(&ca, &id).await;
        assert_eq!(f.data()["finalizeStatement"]["signatories"], json!(["CA", "NL"]));
    }

    async fn bad_inputs_are_refused_naming_the_field(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let cases: Vec<(Value, &str)> = vec![
            (json!({ "title": " " }), "title"),
            (json!({ "title": "t".repeat(201) }), "title"),
            (json!({ "body": "" }), "body"),
            (json!({ "hostCountry": "XX" }), "hostCountry"),
            (json!({ "invitedCountries": ["ZZ"] }), "invitedCountries[0]"),
            (json!({ "invitedCountries": ["JP"] }), "invitedCountries"),
            (json!({ "deadline": "2020-01-01T00:00:00Z" }), "deadline"),
            (json!({ "caseIds": ["bm9wZQ"] }), "caseIds[0]"),
        ];
        for (extra, field) in cases {
            let r = create_statement(&ca, &[], extra.clone()).await;
            r.assert_code("BAD_USER_INPUT");
            assert_eq!(r.field(), field, "{extra}");
        }
        create_statement(&app.diplomat("CA").await, &[], json!({})).await.assert_code("FORBIDDEN");
        create_statement(&app.admin("CA").await, &[], json!({})).await.assert_code("FORBIDDEN");
        assert_eq!(app.count_rows("statements").await, 0);
    }

    async fn every_other_refusal_is_coded(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let nl = app.diplomat("NL").await;
        let id = created(&ca, &["NL"], json!({})).await;
        let field = |r: &Resp, code: &str, field: &str| {
            r.assert_code(code);
            assert_eq!(r.field(), field, "{}", r.body);
        };
        let r = nl.q("query($id: ID!) { statement(id: $id) { version(number: 9) { body } } }", json!({ "id": id })).await;
        field(&r, "BAD_USER_INPUT", "number");
        let r = nl.q("query($id: ID!) { statement(id: $id) { diff(from: 1, to: 9) } }", json!({ "id": id })).await;
        field(&r, "BAD_USER_INPUT", "to");
        field(&invite(&ca, &id, &["DE"], Some("LEAD")).await, "BAD_USER_INPUT", "role");
        field(&invite(&ca, &id, &[], None).await, "BAD_USER_INPUT", "countries");
        field(&withdraw(&nl, &id).await, "BAD_USER_INPUT", "id");
        field(&decline(&nl, &id, &"r".repeat(1001)).await, "BAD_USER_INPUT", "reason");
        let deliver = "mutation($id: ID!, $at: DateTime!) { markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: MEETING }) { status } }";
        let now = chrono::Utc::now().to_rfc3339();
        ca.q(deliver, json!({ "id": id, "at": now })).await.assert_code("CONFLICT");
        approve(&nl, &id, 1).await.data();
        approve(&ca, &id, 1).await.data();
        finalize(&ca, &id).await.data();
        let later = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
        field(&ca.q(deliver, json!({ "id": id, "at": later })).await, "BAD_USER_INPUT", "deliveredAt");
        nl.q(deliver, json!({ "id": id, "at": now })).await.assert_code("FORBIDDEN");
    }

    async fn two_revisions_from_one_base_one_wins(app: TestApp) {
        let ca = app.user("COORDINATOR", "CA").await;
        let ca2 = app.user("COORDINATOR", "CA").await;
        let id = created(&ca, &[], json!({})).await;
        for round in 0..5 {
            let base = 1 + round;
            let (text_a, text_b) = (format!("A{round}\n"), format!("B{round}\n"));
            let (a, b) = tokio::join!(
                revise(&ca, &id, base, &text_a),
                revise(&ca2, &id, base, &text_b)
            );
            let wins = [&a, &b].iter().filter(|r| r.body.get("errors").is_none()).count();
            assert_eq!(wins, 1, "{} / {}", a.body, b.body);
            let loser = if a.body.get("errors").is_some() { &a } else { &b };
            loser.assert_code("CONFLICT");
            assert_eq!(loser.body["errors"][0]["extensions"]["currentVersion"], base + 1);
        }
        assert_eq!(app.count_rows("statement_versions").await, 6);
    }
}
