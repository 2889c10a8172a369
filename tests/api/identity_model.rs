//! A property test of sealed identity: random sequences of grants,
//! revocations, deactivations, reactivations, password changes, rotations,
//! reseals, reveal requests and decisions, expiries, shares and unshares,
//! against a plain model of who may open what. After every step, every
//! (user, case) read through the API must match the model.
//!
//! The seed is printed; `ACCORD_IDENTITY_SEED=<n>` replays a run and
//! `ACCORD_IDENTITY_STEPS=<n>` sets its length.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::builders::*;
use crate::helpers::*;
use crate::identity_kit::*;
use crate::on_both_backends;

const CHANGE: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

/// One person of the world, as the model sees them.
struct Person {
    actor: Actor,
    country: &'static str,
    password: String,
    active: bool,
    /// Holds their country's key.
    custodian: bool,
}

/// One case of CA, as the model sees it.
struct Case {
    id: String,
    name: Option<String>,
    /// Shared with NL at DETAIL (consent given once).
    shared: bool,
    /// A request waits (its id).
    pending: Option<String>,
    /// Running approvals: id and expiry.
    approvals: Vec<(String, DateTime<Utc>)>,
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

on_both_backends! {
    async fn random_sequences_match_the_model_of_who_opens_what(app: TestApp) {
        let seed = env_u64("ACCORD_IDENTITY_SEED").unwrap_or_else(rand::random);
        let steps = env_u64("ACCORD_IDENTITY_STEPS").unwrap_or(200);
        eprintln!("identity model: ACCORD_IDENTITY_SEED={seed} ({steps} steps)");
        let mut rng = StdRng::seed_from_u64(seed);

        let ca = keyed(&app, "CA").await;
        let nl = keyed(&app, "NL").await;
        let mut people: Vec<Person> = Vec::new();
        let add = |actor: Actor, country: &'static str, custodian: bool, people: &mut Vec<Person>| {
            people.push(Person { actor, country, password: PASSWORD.to_owned(), active: true, custodian });
        };
        add(ca.admin.clone(), "CA", true, &mut people);
        add(member(&app, &ca.admin, "COORDINATOR", "CA").await, "CA", true, &mut people);
        add(member(&app, &ca.admin, "DIPLOMAT", "CA").await, "CA", false, &mut people);
        add(member(&app, &ca.admin, "DIPLOMAT", "CA").await, "CA", false, &mut people);
        add(nl.admin.clone(), "NL", true, &mut people);
        add(member(&app, &nl.admin, "COORDINATOR", "NL").await, "NL", true, &mut people);
        add(member(&app, &nl.admin, "DIPLOMAT", "NL").await, "NL", false, &mut people);
        const CA_ADMIN: usize = 0;
        const NL_ADMIN: usize = 4;
        const NL_DIP: usize = 6;

        let mut cases: Vec<Case> = Vec::new();
        for (i, n) in [Some("Model Person Xavier"), Some("Model Person Yolanda"), None].into_iter().enumerate() {
            let by = &people[1].actor;
            let id = match n {
                Some(n) => case_with(by, n).await,
                None => case_without(by, &format!("Defender Model {i}")).await,
            };
            consent(by, &id, true).await.data();
            let shared = i < 2;
            if shared {
                share(by, &id, "NL", "DETAIL").await.data();
            }
            cases.push(Case { id, name: n.map(str::to_owned), shared, pending: None, approvals: Vec::new() });
        }
        check(&app, &people, &cases, "start").await;

        let mut ticks = 0;
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for step in 0..steps {
            let admin = people[CA_ADMIN].actor.clone();
            let what: &str = match rng.gen_range(0..16) {
                0 => {
                    // Grant to a CA member who is active and not holding it.
                    let Some(i) = pick(&mut rng, &people, |p| p.country == "CA" && p.active && !p.custodian) else { continue };
                    admin.q(GRANT, json!({ "u": people[i].actor.id })).await.data();
                    people[i].custodian = true;
                    "grant"
                }
                1 => {
                    let Some(i) = pick(&mut rng, &people, |p| p.country == "CA" && p.custodian) else { continue };
                    // The admin who decides keeps the key (the last custodian is tried below).
                    if i == CA_ADMIN && people.iter().filter(|p| p.country == "CA" && p.custodian).count() > 1 { continue; }
                    let holders = people.iter().filter(|p| p.country == "CA" && p.custodian).count();
                    let r = admin.q(REVOKE, json!({ "u": people[i].actor.id })).await;
                    if holders == 1 {
                        r.assert_code("CONFLICT");
                    } else {
                        r.data();
                        people[i].custodian = false;
                    }
                    "revoke"
                }
                2 => {
                    let Some(i) = pick(&mut rng, &people, |p| p.country == "CA" && p.active) else { continue };
                    if i == CA_ADMIN { continue; }
                    deactivate(&admin, &people[i].actor).await;
                    people[i].active = false;
                    people[i].custodian = false;
                    "deactivate"
                }
                3 => {
                    let Some(i) = pick(&mut rng, &people, |p| !p.active) else { continue };
                    admin.q("mutation($u: ID!) { reactivateUser(userId: $u) { id } }", json!({ "u": people[i].actor.id })).await.data();
                    people[i].active = true;
                    people[i].actor = app.login(&people[i].actor.email, &people[i].password).await;
                    "reactivate"
                }
                4 => {
                    let Some(i) = pick(&mut rng, &people, |p| p.active) else { continue };
                    let new = format!("model passphrase {step} {}", rng.r#gen::<u32>());
                    people[i].actor.q(CHANGE, json!({ "c": people[i].password, "n": new })).await.data();
                    assert!(failed(&app.login_raw(&people[i].actor.email, &people[i].password).await));
                    people[i].password = new;
                    // Sometimes keep the old session, sometimes sign in again.
                    if rng.gen_bool(0.5) {
                        people[i].actor = app.login(&people[i].actor.email, &people[i].password).await;
                    }
                    "password"
                }
                5 => {
                    let who = if rng.gen_bool(0.5) { CA_ADMIN } else { NL_ADMIN };
                    let r = people[who].actor.q(ROTATE, json!({})).await;
                    assert_eq!(r.data()["rotateIdentityKey"]["status"]["pendingReseal"], 0);
                    "rotate"
                }
                6 => {
                    let r = admin.q("mutation { resealIdentities { pendingReseal } }", json!({})).await;
                    assert_eq!(r.data()["resealIdentities"]["pendingReseal"], 0);
                    "reseal"
                }
                7 | 14 => {
                    let c = rng.gen_range(0..cases.len());
                    let requester = if rng.gen_bool(0.5) { NL_DIP } else { NL_ADMIN };
                    let r = people[requester].actor.q(REQUEST, json!({ "c": cases[c].id, "m": format!("step {step}") })).await;
                    if !cases[c].shared {
                        r.assert_code("NOT_FOUND");
                    } else if cases[c].pending.is_some() {
                        r.assert_code("CONFLICT");
                    } else {
                        cases[c].pending = Some(str_of(&r.data()["requestIdentityReveal"]["id"], "id"));
                    }
                    "request"
                }
                8..=10 => {
                    let Some(c) = (0..cases.len()).find(|&c| cases[c].pending.is_some()) else { continue };
                    let rid = cases[c].pending.take().expect("pending");
                    let approve = rng.gen_bool(0.7);
                    let short = ticks < 8 && rng.gen_bool(0.3);
                    let secs = if short { 30 } else { 86_400 };
                    let input = if approve {
                        json!({ "approve": true, "motivation": "ok", "expiresAt": in_secs(&app, secs) })
                    } else {
                        json!({ "approve": false, "motivation": "no" })
                    };
                    let r = admin.q(DECIDE, json!({ "id": rid, "i": input })).await;
                    if approve && !cases[c].shared {
                        // Unshared since the request: the partner no longer sees it.
                        r.assert_code("CONFLICT");
                        cases[c].pending = Some(rid);
                        continue;
                    }
                    if approve && r.body.get("errors").is_some() {
                        panic!("approval failed at step {step}: {}", r.body);
                    }
                    r.data();
                    if approve {
                        let at = app.state().clock.now() + chrono::Duration::seconds(secs);
                        cases[c].approvals.push((rid, at));
                        "approve"
                    } else {
                        "deny"
                    }
                }
                11 => {
                    let Some(c) = (0..cases.len()).find(|&c| !cases[c].approvals.is_empty()) else { continue };
                    let (rid, _) = cases[c].approvals.remove(0);
                    let r = admin.q(REVOKE_REVEAL, json!({ "id": rid, "m": "enough" })).await;
                    r.data();
                    "revoke-reveal"
                }
                12 => {
                    if ticks >= 8 { continue; }
                    ticks += 1;
                    app.advance_clock(chrono::Duration::seconds(31));
                    "tick"
                }
                13 => {
                    // Someone signs in again (a fresh session, unlocked).
                    let Some(i) = pick(&mut rng, &people, |p| p.active) else { continue };
                    people[i].actor = app.login(&people[i].actor.email, &people[i].password).await;
                    "sign-in"
                }
                _ => {
                    let c = rng.gen_range(0..cases.len());
                    let by = &people[CA_ADMIN].actor;
                    if cases[c].shared {
                        by.q("mutation($id: ID!, $c: String!) { unshareCase(caseId: $id, input: { country: $c }) { id } }",
                            json!({ "id": cases[c].id, "c": "NL" })).await.data();
                        cases[c].shared = false;
                        // Sight lost ends the running approvals for good.
                        cases[c].approvals.clear();
                        "unshare"
                    } else {
                        share(by, &cases[c].id, "NL", "DETAIL").await.data();
                        cases[c].shared = true;
                        "share"
                    }
                }
            };
            // Expired approvals stop; the model drops them.
            let now = app.state().clock.now();
            for c in &mut cases {
                c.approvals.retain(|(_, at)| *at > now);
            }
            *counts.entry(what).or_default() += 1;
            check(&app, &people, &cases, &format!("step {step} ({what}), seed {seed}")).await;
        }
        eprintln!("identity model: {counts:?}");
    }
}

fn pick(rng: &mut StdRng, people: &[Person], ok: impl Fn(&Person) -> bool) -> Option<usize> {
    let candidates: Vec<usize> = (0..people.len()).filter(|&i| ok(&people[i])).collect();
    if candidates.is_empty() {
        None
    } else {
        Some(candidates[rng.gen_range(0..candidates.len())])
    }
}

/// What the model says `p` reads of `c`.
fn expected(p: &Person, c: &Case) -> Read {
    if p.country == "CA" {
        if p.custodian {
            Read::Name(c.name.clone())
        } else {
            locked("NOT_A_CUSTODIAN")
        }
    } else if !c.shared {
        Read::NotFound
    } else if c.approvals.is_empty() {
        Read::Null
    } else if p.custodian {
        Read::Name(c.name.clone())
    } else {
        locked("NOT_A_CUSTODIAN")
    }
}

async fn check(app: &TestApp, people: &[Person], cases: &[Case], when: &str) {
    let _ = app;
    for p in people.iter().filter(|p| p.active) {
        for c in cases {
            let got = read(&p.actor, &c.id).await;
            assert_eq!(
                got,
                expected(p, c),
                "{} reading {} at {when}",
                p.actor.email,
                c.id
            );
        }
    }
}
