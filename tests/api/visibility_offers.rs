//! The leak oracle for offers of roster places (hand-overs). The model,
//! from the spec alone: an offer is seen by those who see its hearing and
//! are its offerer or named colleague, by anyone who may claim when it is
//! open, and by the case owner's country; the parties' names only by their
//! own country and the owner's. Every other viewer gets `NOT_FOUND` for the
//! offer's id, byte for byte as for a missing id (reads and steps alike),
//! and finds it in no list.
use serde_json::{Value, json};

use crate::builders::{claimed, observed_case, schedule};
use crate::handover::{OFFER_FIELDS, offered};
use crate::helpers::*;
use crate::on_both_backends;
use crate::oracle::missing_id;

const BY_ID: &str = "query($id: ID!) { claimOffer(id: $id) { id open state offeredBy { email } offeredTo { email } } }";
const ACCEPT: &str = "mutation($id: ID!) { acceptClaimOffer(id: $id) { id } }";
const WITHDRAW: &str = "mutation($id: ID!) { withdrawClaimOffer(id: $id) { id } }";

struct Offer {
    id: String,
    country: &'static str,
    by: String,
    to: Option<String>,
}

struct Viewer<'a> {
    name: &'static str,
    actor: &'a Actor,
    country: &'static str,
    sees_hearing: bool,
    owner: bool,
    may_claim: bool,
}

fn visible(v: &Viewer<'_>, o: &Offer) -> bool {
    v.sees_hearing
        && (v.owner
            || o.by == v.actor.email
            || o.to.as_deref() == Some(v.actor.email.as_str())
            || (o.to.is_none() && v.may_claim))
}

fn names_shown(v: &Viewer<'_>, o: &Offer) -> bool {
    v.owner || v.country == o.country
}

fn ids(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

on_both_backends! {
    async fn offers_are_seen_only_as_the_model_says(app: TestApp) {
        let (coord, case) = observed_case(&app).await;
        let h = str_of(&schedule(&coord, &case, &crate::builders::manila_in(10), "Asia/Manila", 2).await.data()["scheduleHearing"]["id"], "h");
        let nl_admin = app.admin("NL").await;
        let nl_giver = app.user_made_by(&nl_admin, "DIPLOMAT", "NL").await;
        let nl_open = app.user_made_by(&nl_admin, "DIPLOMAT", "NL").await;
        let nl_colleague = app.user_made_by(&nl_admin, "COORDINATOR", "NL").await;
        let nl_bystander = app.user_made_by(&nl_admin, "DIPLOMAT", "NL").await;
        let ca_giver = app.diplomat("CA").await;
        let de = app.diplomat("DE").await;
        let fr = app.diplomat("FR").await;
        let liaison = app.liaison().await;
        for who in [&nl_giver, &nl_open, &ca_giver] {
            claimed(who, &h).await;
        }
        let offers = [
            Offer { id: offered(&nl_giver, &h, Some(&nl_colleague.id)).await, country: "NL", by: nl_giver.email.clone(), to: Some(nl_colleague.email.clone()) },
            Offer { id: offered(&nl_open, &h, None).await, country: "NL", by: nl_open.email.clone(), to: None },
            Offer { id: offered(&ca_giver, &h, None).await, country: "CA", by: ca_giver.email.clone(), to: None },
        ];
        let viewers = [
            Viewer { name: "CA coordinator", actor: &coord, country: "CA", sees_hearing: true, owner: true, may_claim: true },
            Viewer { name: "CA giver", actor: &ca_giver, country: "CA", sees_hearing: true, owner: true, may_claim: true },
            Viewer { name: "NL giver", actor: &nl_giver, country: "NL", sees_hearing: true, owner: false, may_claim: true },
            Viewer { name: "NL open giver", actor: &nl_open, country: "NL", sees_hearing: true, owner: false, may_claim: true },
            Viewer { name: "NL colleague", actor: &nl_colleague, country: "NL", sees_hearing: true, owner: false, may_claim: true },
            Viewer { name: "NL bystander", actor: &nl_bystander, country: "NL", sees_hearing: true, owner: false, may_claim: true },
            Viewer { name: "NL admin", actor: &nl_admin, country: "NL", sees_hearing: true, owner: false, may_claim: false },
            Viewer { name: "DE (summary)", actor: &de, country: "DE", sees_hearing: false, owner: false, may_claim: true },
            Viewer { name: "FR (nothing)", actor: &fr, country: "FR", sees_hearing: false, owner: false, may_claim: true },
            Viewer { name: "liaison", actor: &liaison, country: "--", sees_hearing: false, owner: false, may_claim: false },
        ];
        let mut errs = Vec::new();
        for v in &viewers {
            let missing = raw(v.actor, BY_ID, json!({ "id": missing_id("ClaimOffer") })).await;
            assert_eq!(missing.code(), Some("NOT_FOUND"), "{}: a missing offer", v.name);
            let missing_accept = raw(v.actor, ACCEPT, json!({ "id": missing_id("ClaimOffer") })).await;
            let missing_withdraw = raw(v.actor, WITHDRAW, json!({ "id": missing_id("ClaimOffer") })).await;
            for (i, o) in offers.iter().enumerate() {
                let got = raw(v.actor, BY_ID, json!({ "id": o.id })).await;
                if !visible(v, o) {
                    for (what, got, missing) in [
                        ("claimOffer", got, &missing),
                        ("acceptClaimOffer", raw(v.actor, ACCEPT, json!({ "id": o.id })).await, &missing_accept),
                        ("withdrawClaimOffer", raw(v.actor, WITHDRAW, json!({ "id": o.id })).await, &missing_withdraw),
                    ] {
                        if got.status != missing.status || got.text != missing.text {
                            errs.push(format!("{}: {what} of offer {i} must answer as a missing id, got {}", v.name, got.text));
                        }
                    }
                    continue;
                }
                let node = &got.body["data"]["claimOffer"];
                if got.has_errors() || !node.is_object() {
                    errs.push(format!("{}: offer {i} should be seen: {}", v.name, got.text));
                    continue;
                }
                let shown = names_shown(v, o);
                let by = node["offeredBy"]["email"].as_str();
                if by.is_some() != shown || (shown && by != Some(o.by.as_str())) {
                    errs.push(format!("{}: offer {i} offeredBy {by:?} (names shown: {shown})", v.name));
                }
                let to = node["offeredTo"]["email"].as_str();
                let want_to = o.to.as_deref().filter(|_| shown);
                if to != want_to {
                    errs.push(format!("{}: offer {i} offeredTo {to:?}, expected {want_to:?}", v.name));
                }
            }
            // Lists: the hearing's open offers, and the viewer's own.
            let mut want: Vec<String> = offers.iter().filter(|o| visible(v, o)).map(|o| o.id.clone()).collect();
            want.sort();
            let listed = raw(v.actor, &format!("query($h: ID!) {{ hearing(id: $h) {{ offers {{ {OFFER_FIELDS} }} }} }}"), json!({ "h": h })).await;
            if v.sees_hearing {
                let got = ids(&listed.body["data"]["hearing"]["offers"]);
                if got != want {
                    errs.push(format!("{}: Hearing.offers {got:?}, expected {want:?}", v.name));
                }
            } else if listed.code() != Some("NOT_FOUND") {
                errs.push(format!("{}: the hearing itself should be NOT_FOUND: {}", v.name, listed.text));
            }
            let mine = raw(v.actor, "{ myClaimOffers { id } }", json!({})).await;
            let mut own: Vec<String> = offers
                .iter()
                .filter(|o| o.by == v.actor.email || o.to.as_deref() == Some(v.actor.email.as_str()))
                .map(|o| o.id.clone())
                .collect();
            own.sort();
            if ids(&mine.body["data"]["myClaimOffers"]) != own {
                errs.push(format!("{}: myClaimOffers {}, expected {own:?}", v.name, mine.text));
            }
        }
        assert!(errs.is_empty(), "{} leaks:\n{}", errs.len(), errs.join("\n"));

        // Sight lost: NL loses the case; its offers vanish for NL exactly
        // like missing ones (the named one is cancelled with the claims).
        coord.q("mutation($id: ID!) { unshareCase(caseId: $id, input: { country: \"NL\" }) { id } }", json!({ "id": case })).await.data();
        let missing = raw(&nl_colleague, BY_ID, json!({ "id": missing_id("ClaimOffer") })).await;
        let got = raw(&nl_colleague, BY_ID, json!({ "id": offers[0].id })).await;
        assert_eq!((got.status, got.text.clone()), (missing.status, missing.text.clone()));
        assert_eq!(raw(&nl_colleague, "{ myClaimOffers { id } }", json!({})).await.body["data"]["myClaimOffers"], json!([]));
        let owner_view = coord.q("query($h: ID!) { hearing(id: $h) { offers { id } } }", json!({ "h": h })).await;
        assert_eq!(ids(&owner_view.data()["hearing"]["offers"]), vec![offers[2].id.clone()], "only the CA offer stays open");
    }
}
