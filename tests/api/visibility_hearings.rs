//! The leak oracle for hearings, rosters and claims (docs/RULES.md "Visibility"
//! rules 1, 2 and 6; SECURITY.md "derived state after a change of consent or
//! visibility"). A random world of countries, coalitions, cases, consents,
//! shares, hearings and roster claims is built through the API and changed at
//! random (consent, shares, coalition membership, claims, releases); after
//! every change the owner's view of the roster is compared with a small,
//! independent model, and after every round every viewer's answers are:
//! `hearing(id)` and `node(id)` (found, or byte for byte the answer for a
//! missing id), `hearings` walked page by page with its totals, the coverage
//! filter, each visible hearing's claims and counts, `myRoster`,
//! `coverageGaps` and each claimer's calendar feed.
//!
//! The model, from the rules alone:
//! - a case is seen by its owner country at OWNER; another country sees it at
//!   the highest level among the shares reaching it (directly, or through a
//!   coalition it belongs to now), while consent to share stands;
//! - a hearing is seen by the owner country, and by a country seeing its case
//!   at DETAIL while consent to trial observation stands;
//! - the active claims (CONFIRMED, WAITLISTED) of a hearing, in claim order:
//!   the first `observersNeeded` are CONFIRMED, the rest WAITLISTED 1..n;
//! - a country losing sight of a hearing has its claims SUSPENDED at once
//!   (CONSENT_WITHDRAWN when either consent is off, else VISIBILITY_LOST): they
//!   hold no place, so the waitlist moves up; they stay SUSPENDED when sight
//!   returns until their user claims again (at the end of the queue);
//! - withdrawn consent to trial observation closes the roster for everyone:
//!   the owner country keeps sight of the hearing, but its claims are
//!   SUSPENDED (CONSENT_WITHDRAWN) and its new claims are CONSENT_REQUIRED;
//! - SUSPENDED claims show to the owner country only; a claim's `user` shows
//!   to the claimer's country and to the owner country.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeZone, Utc};
use futures::future::join_all;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::oracle::{
    self, ADD_MEMBER, Level, REMOVE_MEMBER, Target, missing_answer, missing_id, totals_are, uuid_of,
};

/// Countries of this world only (visibility.rs uses others).
const COUNTRIES: [&str; 6] = ["PT", "PL", "FI", "IE", "LU", "GR"];
const SEED: u64 = 0x4EA8_1265_C1A1_0001;
/// Host countries, with the courts' time zone.
const HOSTS: [(&str, &str); 2] = [("PH", "Asia/Manila"), ("ID", "Asia/Jakarta")];
const GIVERS: [&str; 3] = ["DEFENDER", "FAMILY", "REPRESENTATIVE"];
/// Page size for walking `hearings`, so that paging itself is exercised.
const PAGE: i64 = 4;
/// The window asked of `coverageGaps`.
const GAP_DAYS: i64 = 366;
/// One hearing is scheduled beyond the window.
const BEYOND_WINDOW_DAYS: i64 = 400;
const CASES: usize = 10;
const ROUNDS: usize = 3;
const OPS_PER_ROUND: usize = 24;

macro_rules! hearing_fields {
    () => {
        "id status startsAt observersNeeded confirmedCount coverage case { id visibility } \
         claims { status position country suspendedReason user { id } }"
    };
}

const HEARING: &str = concat!(
    "query($id: ID!) { hearing(id: $id) { ",
    hearing_fields!(),
    " } }"
);
const NODE: &str = concat!(
    "query($id: ID!) { node(id: $id) { __typename ... on Hearing { ",
    hearing_fields!(),
    " } } }"
);
const HEARINGS: &str = concat!(
    "query($first: Int, $after: String) { hearings(first: $first, after: $after) { ",
    "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ",
    hearing_fields!(),
    " } } } }"
);
const BY_COVERAGE: &str = "query($c: Coverage) { hearings(first: 50, filter: { coverage: $c }) {
    totalCount pageInfo { hasNextPage } edges { node { id } } } }";
const MY_ROSTER: &str = "{ myRoster { status position country suspendedReason hearing { id } } }";
const GAPS: &str =
    "query($d: Int!) { coverageGaps(days: $d) { hostCountry uncovered partial hearings { id } } }";
const CLAIM: &str = "mutation($h: ID!) { claimRosterSlot(hearingId: $h) {
    status position country suspendedReason user { id } hearing { id } } }";
const RELEASE: &str = concat!(
    "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { ",
    hearing_fields!(),
    " } }"
);
const ISSUE_FEED: &str = "mutation { issueCalendarFeed { url } }";
const SCHEDULE: &str = "mutation($c: ID!, $i: ScheduleHearingInput!) {
    scheduleHearing(caseId: $c, input: $i) { id startsAt observersNeeded confirmedCount coverage } }";
const CREATE_CASE: &str =
    "mutation($i: CreateCaseInput!) { createCase(input: $i) { id reference visibility } }";
const RECORD_CONSENT: &str = "mutation($id: ID!, $s: Boolean!, $t: Boolean!, $g: ConsentGiver!) {
    recordConsent(caseId: $id, input: { shareWithPartners: $s, trialObservation: $t, publicAdvocacy: false, givenBy: $g }) {
      consent { shareWithPartners trialObservation } } }";
const CREATE_COALITION: &str =
    "mutation($i: CreateCoalitionInput!) { createCoalition(input: $i) { id members } }";

// ---------------------------------------------------------------------------
// The model.

struct Coalition {
    id: String,
    convener: String,
    members: BTreeSet<String>,
}

struct Case {
    id: String,
    reference: String,
    owner: String,
    host: &'static str,
    share: bool,
    trial: bool,
    shares: BTreeMap<Target, Level>,
}

struct Claim {
    /// Index into `Model::claimers`.
    claimer: usize,
    /// Claim order: a claim made again goes to the end of the queue.
    seq: u64,
    /// Why the claim holds no place any more; `None` while active.
    suspended: Option<&'static str>,
}

struct Hearing {
    id: String,
    uuid: String,
    case: usize,
    starts_at: DateTime<Utc>,
    needed: usize,
    /// At most one per claimer: active or suspended.
    claims: Vec<Claim>,
    label: String,
}

/// Who claims: their country and user id.
struct ClaimerInfo {
    label: String,
    country: String,
    user_id: String,
}

#[derive(Default, Debug)]
struct Stats {
    claims: usize,
    reclaims_after_suspension: usize,
    /// Claims by the owner country refused while consent to trial
    /// observation is off.
    owner_claims_refused_without_trial_consent: usize,
    suspended_consent: usize,
    suspended_visibility: usize,
    promotions: usize,
    releases: usize,
    refused_not_found: usize,
    refused_conflict: usize,
    refused_nothing_to_release: usize,
    owner_checks: usize,
}

#[derive(Default)]
struct Model {
    coalitions: Vec<Coalition>,
    cases: Vec<Case>,
    hearings: Vec<Hearing>,
    claimers: Vec<ClaimerInfo>,
    seq: u64,
    stats: Stats,
}

/// A claim as a viewer sees it on a hearing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ClaimView {
    status: String,
    position: Option<i64>,
    country: String,
    reason: Option<String>,
    user: Option<String>,
}

/// Claims for a failure message, users by their label in the world.
fn show(model: &Model, claims: &[ClaimView]) -> String {
    let parts: Vec<String> = claims
        .iter()
        .map(|c| {
            let mut s = format!("{} {}", c.country, c.status);
            if let Some(p) = c.position {
                s.push_str(&format!(" #{p}"));
            }
            if let Some(r) = &c.reason {
                s.push_str(&format!(" ({r})"));
            }
            if let Some(u) = &c.user {
                let who = model
                    .claimers
                    .iter()
                    .find(|k| k.user_id == *u)
                    .map_or(u.as_str(), |k| k.label.as_str());
                s.push_str(&format!(" by {who}"));
            }
            s
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

impl Model {
    fn coalition(&self, id: &str) -> &Coalition {
        self.coalitions
            .iter()
            .find(|c| c.id == id)
            .expect("coalition in the model")
    }

    /// The viewer country's level for a case (rule 1).
    fn level(&self, country: Option<&str>, case: &Case) -> Option<Level> {
        let country = country?;
        if country == case.owner {
            return Some(Level::Owner);
        }
        if !case.share {
            return None;
        }
        case.shares
            .iter()
            .filter(|(target, _)| match target {
                Target::Country(c) => c == country,
                Target::Coalition(id) => self.coalition(id).members.contains(country),
            })
            .map(|(_, level)| *level)
            .max()
    }

    /// Whether a country sees a hearing (rule 2).
    fn sees(&self, country: Option<&str>, h: &Hearing) -> bool {
        let case = &self.cases[h.case];
        match self.level(country, case) {
            Some(Level::Owner) => true,
            Some(Level::Detail) => case.trial,
            _ => false,
        }
    }

    /// Whether a country's claims on a hearing may hold a place: it sees the
    /// hearing and consent to trial observation stands (for the owner too).
    fn holds(&self, country: Option<&str>, h: &Hearing) -> bool {
        self.sees(country, h) && self.cases[h.case].trial
    }

    /// The active claims in claim order, with their status and waitlist position.
    fn roster(&self, h: &Hearing) -> Vec<(usize, &'static str, Option<i64>)> {
        let mut active: Vec<&Claim> = h.claims.iter().filter(|c| c.suspended.is_none()).collect();
        active.sort_by_key(|c| c.seq);
        active
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < h.needed {
                    (c.claimer, "CONFIRMED", None)
                } else {
                    (c.claimer, "WAITLISTED", Some((i - h.needed + 1) as i64))
                }
            })
            .collect()
    }

    fn confirmed(&self, h: &Hearing) -> usize {
        self.roster(h)
            .iter()
            .filter(|(_, s, _)| *s == "CONFIRMED")
            .count()
    }

    fn coverage(&self, h: &Hearing) -> &'static str {
        let n = self.confirmed(h);
        if n >= h.needed {
            "COVERED"
        } else if n == 0 {
            "UNCOVERED"
        } else {
            "PARTIAL"
        }
    }

    /// The claims a viewer country sees on a hearing it sees: confirmed (in
    /// any order), the waitlist (in order), suspended (owner only, any order).
    fn claims_seen(
        &self,
        viewer: &str,
        h: &Hearing,
    ) -> (Vec<ClaimView>, Vec<ClaimView>, Vec<ClaimView>) {
        let owner = viewer == self.cases[h.case].owner;
        let user_of = |claimer: usize| {
            let c = &self.claimers[claimer];
            (owner || c.country == viewer).then(|| c.user_id.clone())
        };
        let mut confirmed = Vec::new();
        let mut waitlisted = Vec::new();
        for (claimer, status, position) in self.roster(h) {
            let v = ClaimView {
                status: status.to_owned(),
                position,
                country: self.claimers[claimer].country.clone(),
                reason: None,
                user: user_of(claimer),
            };
            if status == "CONFIRMED" {
                confirmed.push(v);
            } else {
                waitlisted.push(v);
            }
        }
        confirmed.sort();
        let mut suspended: Vec<ClaimView> = if owner {
            h.claims
                .iter()
                .filter_map(|c| {
                    Some(ClaimView {
                        status: "SUSPENDED".into(),
                        position: None,
                        country: self.claimers[c.claimer].country.clone(),
                        reason: Some(c.suspended?.to_owned()),
                        user: user_of(c.claimer),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        suspended.sort();
        (confirmed, waitlisted, suspended)
    }

    /// Every active claim whose country lost sight of its hearing is
    /// suspended, with the reason as of now; the waitlist moves up.
    fn settle(&mut self) {
        let before = self.statuses();
        for hi in 0..self.hearings.len() {
            let case = &self.cases[self.hearings[hi].case];
            let reason = if !case.share || !case.trial {
                "CONSENT_WITHDRAWN"
            } else {
                "VISIBILITY_LOST"
            };
            let lost: Vec<usize> = self.hearings[hi]
                .claims
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    c.suspended.is_none()
                        && !self.holds(
                            Some(self.claimers[c.claimer].country.as_str()),
                            &self.hearings[hi],
                        )
                })
                .map(|(i, _)| i)
                .collect();
            for i in lost {
                self.hearings[hi].claims[i].suspended = Some(reason);
                if reason == "CONSENT_WITHDRAWN" {
                    self.stats.suspended_consent += 1;
                } else {
                    self.stats.suspended_visibility += 1;
                }
            }
        }
        self.count_promotions(&before);
    }

    /// Counts the claims promoted from the waitlist since `before`.
    fn count_promotions(&mut self, before: &BTreeMap<(usize, usize), &'static str>) {
        let after = self.statuses();
        self.stats.promotions += after
            .iter()
            .filter(|(k, s)| **s == "CONFIRMED" && before.get(*k) == Some(&"WAITLISTED"))
            .count();
    }

    /// (hearing, claimer) -> status of every active claim.
    fn statuses(&self) -> BTreeMap<(usize, usize), &'static str> {
        let mut out = BTreeMap::new();
        for (hi, h) in self.hearings.iter().enumerate() {
            for (claimer, status, _) in self.roster(h) {
                out.insert((hi, claimer), status);
            }
        }
        out
    }

    fn claim_of(&self, hi: usize, claimer: usize) -> Option<&Claim> {
        self.hearings[hi]
            .claims
            .iter()
            .find(|c| c.claimer == claimer)
    }

    /// A claimer's own active claims on hearings they see, soonest first.
    fn my_roster(&self, claimer: usize) -> Vec<(String, &'static str, Option<i64>)> {
        let country = self.claimers[claimer].country.as_str();
        let mut mine: Vec<(DateTime<Utc>, String, &'static str, Option<i64>)> = Vec::new();
        for h in &self.hearings {
            if !self.sees(Some(country), h) {
                continue;
            }
            for (c, status, position) in self.roster(h) {
                if c == claimer {
                    mine.push((h.starts_at, h.id.clone(), status, position));
                }
            }
        }
        mine.sort();
        mine.into_iter().map(|(_, id, s, p)| (id, s, p)).collect()
    }

    fn hearing_by_id(&self, id: &str) -> Option<&Hearing> {
        self.hearings.iter().find(|h| h.id == id)
    }
}

// ---------------------------------------------------------------------------
// Actors.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Diplomat,
    Coordinator,
    Admin,
    Outsider,
}

struct Viewer {
    label: String,
    country: Option<String>,
    role: Role,
    actor: Actor,
}

struct Claimer {
    actor: Actor,
    /// The calendar feed's path on the test server.
    feed: String,
}

struct World {
    app: TestApp,
    admins: BTreeMap<String, Actor>,
    coordinators: BTreeMap<String, Actor>,
    /// Indexed like `Model::claimers`.
    claimers: Vec<Claimer>,
    viewers: Vec<Viewer>,
    /// Days from now of the next hearing: each hearing on its own day, so no
    /// claimer ever holds overlapping hearings.
    next_day: i64,
}

// ---------------------------------------------------------------------------
// Raw requests: NOT_FOUND bodies are compared byte for byte.

// ---------------------------------------------------------------------------
// Comparisons.

fn claim_view(c: &Value) -> ClaimView {
    ClaimView {
        status: c["status"].as_str().unwrap_or("<none>").to_owned(),
        position: c["position"].as_i64(),
        country: c["country"].as_str().unwrap_or("<none>").to_owned(),
        reason: c["suspendedReason"].as_str().map(str::to_owned),
        user: if c["user"].is_null() {
            None
        } else {
            Some(c["user"]["id"].as_str().unwrap_or("<no id>").to_owned())
        },
    }
}

/// One visible hearing, as a viewer country got it, against the model.
fn check_hearing(
    viewer: &str,
    country: &str,
    model: &Model,
    h: &Hearing,
    got: &Value,
) -> Vec<String> {
    let mut errs = Vec::new();
    let ctx = format!("viewer {viewer}: hearing {}", h.label);
    let mut expect = |field: &str, want: Value, actual: &Value| {
        if &want != actual {
            errs.push(format!("{ctx}: {field}: expected {want}, got {actual}"));
        }
    };
    let case = &model.cases[h.case];
    let owner = country == case.owner;
    expect("id", json!(h.id), &got["id"]);
    expect("status", json!("SCHEDULED"), &got["status"]);
    expect("observersNeeded", json!(h.needed), &got["observersNeeded"]);
    expect(
        "confirmedCount",
        json!(model.confirmed(h)),
        &got["confirmedCount"],
    );
    expect("coverage", json!(model.coverage(h)), &got["coverage"]);
    expect("case.id", json!(case.id), &got["case"]["id"]);
    let level = if owner { Level::Owner } else { Level::Detail };
    expect(
        "case.visibility",
        json!(level.as_str()),
        &got["case"]["visibility"],
    );
    let starts = got["startsAt"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    if starts != Some(h.starts_at) {
        expect(
            "startsAt",
            json!(h.starts_at.to_rfc3339()),
            &got["startsAt"],
        );
    }

    let Some(claims) = got["claims"].as_array() else {
        errs.push(format!("{ctx}: claims missing: {got}"));
        return errs;
    };
    let got: Vec<ClaimView> = claims.iter().map(claim_view).collect();
    let rank = |s: &str| match s {
        "CONFIRMED" => 0,
        "WAITLISTED" => 1,
        "SUSPENDED" => 2,
        _ => 3,
    };
    let ordered = got
        .windows(2)
        .all(|w| rank(&w[0].status) <= rank(&w[1].status));
    let mut got_confirmed: Vec<ClaimView> = got
        .iter()
        .filter(|c| c.status == "CONFIRMED")
        .cloned()
        .collect();
    got_confirmed.sort();
    let got_waitlisted: Vec<ClaimView> = got
        .iter()
        .filter(|c| c.status == "WAITLISTED")
        .cloned()
        .collect();
    let mut got_suspended: Vec<ClaimView> = got
        .iter()
        .filter(|c| c.status == "SUSPENDED")
        .cloned()
        .collect();
    got_suspended.sort();
    let other = got.iter().filter(|c| rank(&c.status) == 3).count();
    let (confirmed, waitlisted, suspended) = model.claims_seen(country, h);
    if !ordered
        || other > 0
        || got_confirmed != confirmed
        || got_waitlisted != waitlisted
        || got_suspended != suspended
    {
        let mut want = confirmed;
        want.extend(waitlisted);
        want.extend(suspended);
        errs.push(format!(
            "{ctx} (case {}, owner {}, consent share {} trial {}): claims: expected {}, got {}",
            case.reference,
            case.owner,
            case.share,
            case.trial,
            show(model, &want),
            show(model, &got)
        ));
    }
    errs
}

/// What a viewer gets for a hearing that does not exist, per query shape.
struct Baseline {
    hearing: Raw,
    node: Raw,
}

async fn baseline(viewer: &Viewer) -> Baseline {
    let (a, l) = (&viewer.actor, &viewer.label);
    let id = || json!({ "id": missing_id("Hearing") });
    let hearing = missing_answer(a, l, "hearing", "hearing", HEARING, id()).await;
    let node = missing_answer(a, l, "node", "hearing", NODE, id()).await;
    Baseline { hearing, node }
}

/// `hearing(id)` and `node(id)` for one viewer and one hearing.
async fn check_reads(viewer: &Viewer, model: &Model, h: &Hearing, base: &Baseline) -> Vec<String> {
    let country = viewer.country.as_deref();
    let visible = model.sees(country, h);
    let mut errs = Vec::new();
    let by_id = raw(&viewer.actor, HEARING, json!({ "id": h.id })).await;
    let node = raw(&viewer.actor, NODE, json!({ "id": h.id })).await;
    for (shape, r, missing) in [
        ("hearing", &by_id, &base.hearing),
        ("node", &node, &base.node),
    ] {
        let named = oracle::ById {
            hidden_as: &format!("viewer {}: hearing {}", viewer.label, h.label),
            shown_as: &format!("viewer {}: hearing {}", viewer.label, h.label),
            noun: "hearing",
            missing: "hearing",
            typename: "Hearing",
        };
        let show = |r: &Raw| r.text.clone();
        let Some(got) = oracle::by_id(&named, shape, r, missing, visible, show, &mut errs) else {
            continue;
        };
        let country = country.expect("a viewer who sees has a country");
        errs.extend(
            check_hearing(&viewer.label, country, model, h, got)
                .into_iter()
                .map(|e| format!("{e} (via {shape})")),
        );
    }
    errs
}

/// The hearings a viewer sees, soonest first.
fn visible_ids(model: &Model, country: Option<&str>) -> Vec<String> {
    let mut v: Vec<(DateTime<Utc>, String)> = model
        .hearings
        .iter()
        .filter(|h| model.sees(country, h))
        .map(|h| (h.starts_at, h.id.clone()))
        .collect();
    v.sort();
    v.into_iter().map(|(_, id)| id).collect()
}

fn labels(model: &Model, ids: &[&String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            model
                .hearing_by_id(id)
                .map_or_else(|| id.to_string(), |h| h.label.clone())
        })
        .collect()
}

/// Walks every page of `hearings`, then the coverage filter.
async fn check_lists(viewer: &Viewer, model: &Model) -> Vec<String> {
    let country = viewer.country.as_deref();
    let want = visible_ids(model, country);
    let ctx = format!("viewer {}: hearings", viewer.label);
    let walked = oracle::walk(&viewer.actor, HEARINGS, "hearings", json!({}), PAGE, 40).await;
    let mut errs: Vec<String> = walked
        .errors
        .iter()
        .map(|e| format!("{ctx}: {e}"))
        .collect();
    let totals = walked.totals;
    let mut seen: Vec<String> = Vec::new();
    for node in &walked.nodes {
        let id = node["id"].as_str().unwrap_or("<no id>").to_owned();
        match model.hearing_by_id(&id) {
            Some(h) if model.sees(country, h) => errs.extend(
                check_hearing(&viewer.label, country.expect("country"), model, h, node)
                    .into_iter()
                    .map(|e| format!("{e} (in hearings)")),
            ),
            Some(h) => errs.push(format!("{ctx}: hearing {} must not be listed", h.label)),
            None => errs.push(format!("{ctx}: unknown hearing listed: {node}")),
        }
        seen.push(id);
    }
    if seen != want {
        let got: BTreeSet<&String> = seen.iter().collect();
        let wanted: BTreeSet<&String> = want.iter().collect();
        errs.push(format!(
            "{ctx}: expected {} hearings soonest first, got {} (missing {:?}, unexpected {:?}, order {:?})",
            want.len(),
            seen.len(),
            labels(model, &wanted.difference(&got).copied().collect::<Vec<_>>()),
            labels(model, &got.difference(&wanted).copied().collect::<Vec<_>>()),
            labels(model, &seen.iter().collect::<Vec<_>>()),
        ));
    }
    if !totals_are(&totals, want.len()) {
        errs.push(format!(
            "{ctx}: totalCount expected {}, got {totals:?}",
            want.len()
        ));
    }

    for coverage in ["UNCOVERED", "PARTIAL", "COVERED"] {
        let want: BTreeSet<String> = model
            .hearings
            .iter()
            .filter(|h| model.sees(country, h) && model.coverage(h) == coverage)
            .map(|h| h.id.clone())
            .collect();
        let r = raw(&viewer.actor, BY_COVERAGE, json!({ "c": coverage })).await;
        if r.has_errors() {
            errs.push(format!(
                "{ctx}(coverage {coverage}): unexpected errors: {}",
                r.text
            ));
            continue;
        }
        let conn = &r.body["data"]["hearings"];
        let got: BTreeSet<String> = conn["edges"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["node"]["id"].as_str().unwrap_or("<no id>").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        if got != want || conn["totalCount"] != json!(want.len()) {
            errs.push(format!(
                "{ctx}(coverage {coverage}): expected {} {:?}, got totalCount {} {:?}",
                want.len(),
                labels(model, &want.iter().collect::<Vec<_>>()),
                conn["totalCount"],
                labels(model, &got.iter().collect::<Vec<_>>()),
            ));
        }
    }
    errs
}

/// `coverageGaps(days)`: coordinators and admins get the upcoming hearings
/// they see that lack confirmed observers, by host country; others FORBIDDEN.
async fn check_gaps(viewer: &Viewer, model: &Model) -> Vec<String> {
    let r = raw(&viewer.actor, GAPS, json!({ "d": GAP_DAYS })).await;
    let ctx = format!("viewer {}: coverageGaps({GAP_DAYS})", viewer.label);
    if matches!(viewer.role, Role::Diplomat | Role::Outsider) {
        return if r.code() == Some("FORBIDDEN") {
            Vec::new()
        } else {
            vec![format!("{ctx}: expected FORBIDDEN, got {}", r.text)]
        };
    }
    if r.has_errors() {
        return vec![format!("{ctx}: unexpected errors: {}", r.text)];
    }
    let horizon = Utc::now() + chrono::Duration::days(GAP_DAYS);
    let mut want: BTreeMap<String, (usize, usize, BTreeSet<String>)> = BTreeMap::new();
    for h in &model.hearings {
        if !model.sees(viewer.country.as_deref(), h) || h.starts_at > horizon {
            continue;
        }
        let n = model.confirmed(h);
        if n >= h.needed {
            continue;
        }
        let e = want.entry(model.cases[h.case].host.to_owned()).or_default();
        if n == 0 {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
        e.2.insert(h.id.clone());
    }
    let mut got: BTreeMap<String, (usize, usize, BTreeSet<String>)> = BTreeMap::new();
    let groups = r.body["data"]["coverageGaps"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for g in &groups {
        let ids: BTreeSet<String> = g["hearings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|h| h["id"].as_str().unwrap_or("<no id>").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let host = g["hostCountry"].as_str().unwrap_or("<none>").to_owned();
        let entry = (
            g["uncovered"].as_u64().unwrap_or(u64::MAX) as usize,
            g["partial"].as_u64().unwrap_or(u64::MAX) as usize,
            ids,
        );
        if got.insert(host.clone(), entry).is_some() {
            return vec![format!("{ctx}: host {host} listed twice: {}", r.text)];
        }
    }
    if got != want {
        let describe = |m: &BTreeMap<String, (usize, usize, BTreeSet<String>)>| -> String {
            m.iter()
                .map(|(host, (u, p, ids))| {
                    format!(
                        "{host}: uncovered {u} partial {p} {:?}",
                        labels(model, &ids.iter().collect::<Vec<_>>())
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        return vec![format!(
            "{ctx}: expected {{{}}}, got {{{}}}",
            describe(&want),
            describe(&got)
        )];
    }
    Vec::new()
}

/// `myRoster` and the calendar feed of one claimer.
async fn check_claimer(world: &World, model: &Model, u: usize) -> Vec<String> {
    let info = &model.claimers[u];
    let claimer = &world.claimers[u];
    let mut errs = Vec::new();
    let r = raw(&claimer.actor, MY_ROSTER, json!({})).await;
    let want = model.my_roster(u);
    let got: Vec<(String, String, Option<i64>)> = r.body["data"]["myRoster"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["hearing"]["id"].as_str().unwrap_or("<none>").to_owned(),
                        c["status"].as_str().unwrap_or("<none>").to_owned(),
                        c["position"].as_i64(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let want_owned: Vec<(String, String, Option<i64>)> = want
        .iter()
        .map(|(id, s, p)| (id.clone(), (*s).to_owned(), *p))
        .collect();
    let countries_ok = r.body["data"]["myRoster"]
        .as_array()
        .is_some_and(|a| a.iter().all(|c| c["country"] == json!(info.country)));
    if r.has_errors() || got != want_owned || !countries_ok {
        let name = |v: &[(String, String, Option<i64>)]| -> Vec<String> {
            v.iter()
                .map(|(id, s, p)| {
                    let l = model
                        .hearing_by_id(id)
                        .map_or(id.as_str(), |h| h.label.as_str());
                    format!("{l} {s}{}", p.map_or(String::new(), |p| format!(" #{p}")))
                })
                .collect()
        };
        errs.push(format!(
            "claimer {}: myRoster: expected {:?}, got {:?} ({})",
            info.label,
            name(&want_owned),
            name(&got),
            r.text
        ));
    }

    let res = world
        .app
        .http()
        .get(world.app.url(&claimer.feed))
        .send()
        .await
        .expect("feed sent");
    let status = res.status().as_u16();
    let ics = res.text().await.expect("feed body");
    if status != 200 {
        errs.push(format!(
            "claimer {}: calendar feed: HTTP {status}",
            info.label
        ));
        return errs;
    }
    let uids: Vec<String> = ics
        .lines()
        .filter_map(|l| l.trim_end().strip_prefix("UID:"))
        .map(|uid| uid.trim_end_matches("@accord").to_owned())
        .collect();
    let got: BTreeSet<String> = uids.iter().cloned().collect();
    let want: BTreeSet<String> = model
        .hearings
        .iter()
        .filter(|h| {
            model.sees(Some(info.country.as_str()), h)
                && model
                    .roster(h)
                    .iter()
                    .any(|(c, s, _)| *c == u && *s == "CONFIRMED")
        })
        .map(|h| h.uuid.clone())
        .collect();
    let events = ics.matches("BEGIN:VEVENT").count();
    if got != want || uids.len() != got.len() || events != want.len() {
        let name = |s: &BTreeSet<String>| -> Vec<String> {
            s.iter()
                .map(|uuid| {
                    model
                        .hearings
                        .iter()
                        .find(|h| h.uuid == *uuid)
                        .map_or_else(|| uuid.clone(), |h| h.label.clone())
                })
                .collect()
        };
        errs.push(format!(
            "claimer {}: calendar feed: expected {:?}, got {:?} ({events} VEVENTs)",
            info.label,
            name(&want),
            name(&got)
        ));
    }
    errs
}

/// What users without a country get from the roster queries.
async fn check_outsider_roster(viewer: &Viewer) -> Vec<String> {
    let r = raw(&viewer.actor, MY_ROSTER, json!({})).await;
    let empty = !r.has_errors() && r.body["data"]["myRoster"] == json!([]);
    if empty || r.code() == Some("FORBIDDEN") {
        Vec::new()
    } else {
        vec![format!(
            "viewer {}: myRoster: expected nothing, got {}",
            viewer.label, r.text
        )]
    }
}

/// Every viewer against every hearing, list and aggregate, and every
/// claimer's roster and calendar; returns viewer × hearing pairs by what the
/// model expects (not visible, visible as a partner, visible as the owner).
async fn check_everything(world: &World, model: &Model, round: &str) -> [usize; 3] {
    let results = join_all(world.viewers.iter().map(|viewer| async move {
        let base = baseline(viewer).await;
        let mut errs = Vec::new();
        let mut pairs = [0; 3];
        for h in &model.hearings {
            errs.extend(check_reads(viewer, model, h, &base).await);
            let country = viewer.country.as_deref();
            pairs[if !model.sees(country, h) {
                0
            } else if country == Some(model.cases[h.case].owner.as_str()) {
                2
            } else {
                1
            }] += 1;
        }
        errs.extend(check_lists(viewer, model).await);
        errs.extend(check_gaps(viewer, model).await);
        if viewer.role == Role::Outsider {
            errs.extend(check_outsider_roster(viewer).await);
        }
        (pairs, errs)
    }))
    .await;
    let claimers =
        join_all((0..world.claimers.len()).map(|u| check_claimer(world, model, u))).await;
    let mut pairs = [0; 3];
    for (p, _) in &results {
        for (total, n) in pairs.iter_mut().zip(p) {
            *total += n;
        }
    }
    let errs: Vec<&String> = results
        .iter()
        .flat_map(|(_, e)| e)
        .chain(claimers.iter().flatten())
        .collect();
    assert!(
        errs.is_empty(),
        "{round}: {} discrepancies with the model:\n{}",
        errs.len(),
        errs.iter()
            .take(60)
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    pairs
}

/// Right after a change: the owner country's view of the hearings of `cases`
/// (every claim, suspended ones with their reason).
async fn check_owner_now(world: &World, model: &mut Model, cases: &BTreeSet<usize>, what: &str) {
    let mut errs = Vec::new();
    for h in model.hearings.iter().filter(|h| cases.contains(&h.case)) {
        let owner = &model.cases[h.case].owner;
        let r = world.coordinators[owner]
            .q(HEARING, json!({ "id": h.id }))
            .await;
        errs.extend(check_hearing(
            &format!("COORDINATOR of {owner}"),
            owner,
            model,
            h,
            &r.data()["hearing"],
        ));
    }
    model.stats.owner_checks += 1;
    assert!(errs.is_empty(), "right after {what}:\n{}", errs.join("\n"));
}

// ---------------------------------------------------------------------------
// Changes, each applied to the API and to the model.

async fn create_coalition(world: &World, model: &mut Model, convener: &str, members: &[String]) {
    let name = format!("Trial observers {}", model.coalitions.len() + 1);
    let r = world.admins[convener]
        .q(
            CREATE_COALITION,
            json!({ "i": { "name": name, "hostCountry": "PH", "members": members } }),
        )
        .await;
    let c = &r.data()["createCoalition"];
    let mut all: BTreeSet<String> = members.iter().cloned().collect();
    all.insert(convener.to_owned());
    assert_eq!(c["members"], json!(all), "members of {name}");
    model.coalitions.push(Coalition {
        id: str_of(&c["id"], "coalition id"),
        convener: convener.to_owned(),
        members: all,
    });
}

/// Adds or removes a member; returns a description.
async fn set_member(
    world: &World,
    model: &mut Model,
    ci: usize,
    country: &str,
    member: bool,
) -> String {
    let (id, convener) = {
        let c = &model.coalitions[ci];
        (c.id.clone(), c.convener.clone())
    };
    let query = if member { ADD_MEMBER } else { REMOVE_MEMBER };
    let r = world.admins[&convener]
        .q(query, json!({ "id": id, "c": country }))
        .await;
    let field = if member {
        "addCoalitionMember"
    } else {
        "removeCoalitionMember"
    };
    let c = &mut model.coalitions[ci];
    if member {
        c.members.insert(country.to_owned());
    } else {
        c.members.remove(country);
    }
    assert_eq!(
        r.data()[field]["members"],
        json!(c.members),
        "{field} {country}"
    );
    format!("{field} {country} (coalition {})", ci + 1)
}

async fn record_consent(
    world: &World,
    model: &mut Model,
    rng: &mut StdRng,
    idx: usize,
    share: bool,
    trial: bool,
) -> String {
    let case = &mut model.cases[idx];
    let r = world.coordinators[&case.owner]
        .q(
            RECORD_CONSENT,
            json!({ "id": case.id, "s": share, "t": trial, "g": GIVERS.choose(rng).expect("giver") }),
        )
        .await;
    assert_eq!(
        r.data()["recordConsent"]["consent"],
        json!({ "shareWithPartners": share, "trialObservation": trial }),
        "consent of {}",
        case.reference
    );
    case.share = share;
    case.trial = trial;
    format!(
        "recordConsent on {} (share {share}, trial {trial})",
        case.reference
    )
}

fn target_name(model: &Model, target: &Target) -> String {
    match target {
        Target::Country(c) => c.clone(),
        Target::Coalition(id) => {
            let i = model
                .coalitions
                .iter()
                .position(|c| c.id == *id)
                .expect("coalition");
            format!("coalition {}", i + 1)
        }
    }
}

async fn share(
    world: &World,
    model: &mut Model,
    idx: usize,
    target: Target,
    level: Level,
) -> String {
    let case = &model.cases[idx];
    let n = oracle::share_case(&world.coordinators[&case.owner], &case.id, &target, level).await;
    let what = format!(
        "shareCase {} with {} at {}",
        case.reference,
        target_name(model, &target),
        level.as_str()
    );
    let case = &mut model.cases[idx];
    case.shares.insert(target, level);
    assert_eq!(n, case.shares.len(), "shares after {what}");
    what
}

async fn unshare(world: &World, model: &mut Model, idx: usize, target: Target) -> String {
    let case = &model.cases[idx];
    let n = oracle::unshare_case(&world.coordinators[&case.owner], &case.id, &target).await;
    let what = format!(
        "unshareCase {} from {}",
        case.reference,
        target_name(model, &target)
    );
    let case = &mut model.cases[idx];
    case.shares.remove(&target);
    assert_eq!(n, case.shares.len(), "shares after {what}");
    what
}

enum Acted {
    /// NOT_FOUND, as the model said: the hearing is out of the claimer's sight.
    Refused(String),
    /// The answer to check further.
    Answered(String, Resp),
}

/// Claimer `u` sends `mutation` on hearing `hi`; a hearing they cannot see
/// must answer NOT_FOUND.
async fn act(
    world: &World,
    model: &mut Model,
    u: usize,
    hi: usize,
    verb: &str,
    mutation: &str,
) -> Acted {
    let country = model.claimers[u].country.clone();
    let h = &model.hearings[hi];
    let what = format!("{} {verb} {}", model.claimers[u].label, h.label);
    let r = world.claimers[u]
        .actor
        .q(mutation, json!({ "h": h.id }))
        .await;
    if !model.sees(Some(country.as_str()), h) {
        assert_eq!(
            r.code(),
            "NOT_FOUND",
            "{what}: the hearing is not visible: {}",
            r.body
        );
        model.stats.refused_not_found += 1;
        return Acted::Refused(what);
    }
    Acted::Answered(what, r)
}

/// `claimRosterSlot` by claimer `u` on hearing `hi`, with the model's answer.
async fn claim(world: &World, model: &mut Model, u: usize, hi: usize) -> String {
    let (what, r) = match act(world, model, u, hi, "claims", CLAIM).await {
        Acted::Refused(what) => return what,
        Acted::Answered(what, r) => (what, r),
    };
    let country = model.claimers[u].country.clone();
    let existing = model.claim_of(hi, u).map(|c| c.suspended);
    if existing == Some(None) {
        assert_eq!(
            r.code(),
            "CONFLICT",
            "{what}: an active claim exists: {}",
            r.body
        );
        model.stats.refused_conflict += 1;
        return what;
    }
    let case = &model.cases[model.hearings[hi].case];
    if case.owner == country && !case.trial {
        assert_eq!(
            r.code(),
            "CONSENT_REQUIRED",
            "{what}: the roster is closed without consent to trial observation: {}",
            r.body
        );
        model.stats.owner_claims_refused_without_trial_consent += 1;
        return what;
    }
    let got = r.data()["claimRosterSlot"].clone();
    if existing.is_some() {
        model.stats.reclaims_after_suspension += 1;
    }
    model.seq += 1;
    let seq = model.seq;
    let h = &mut model.hearings[hi];
    h.claims.retain(|c| c.claimer != u);
    h.claims.push(Claim {
        claimer: u,
        seq,
        suspended: None,
    });
    model.stats.claims += 1;
    let h = &model.hearings[hi];
    let (_, status, position) = model
        .roster(h)
        .into_iter()
        .find(|(c, _, _)| *c == u)
        .expect("the new claim is active");
    let want = json!({
        "status": status,
        "position": position,
        "country": country,
        "suspendedReason": null,
        "user": { "id": model.claimers[u].user_id },
        "hearing": { "id": h.id },
    });
    assert_eq!(got, want, "{what}");
    format!("{what} ({status})")
}

/// `releaseRosterSlot` by claimer `u` on hearing `hi`, with the model's answer.
async fn release(world: &World, model: &mut Model, u: usize, hi: usize) -> String {
    let (what, r) = match act(world, model, u, hi, "releases", RELEASE).await {
        Acted::Refused(what) => return what,
        Acted::Answered(what, r) => (what, r),
    };
    let country = model.claimers[u].country.clone();
    match model.claim_of(hi, u).map(|c| c.suspended) {
        Some(None) => {}
        None => {
            assert_eq!(
                r.code(),
                "BAD_USER_INPUT",
                "{what}: no claim to release: {}",
                r.body
            );
            model.stats.refused_nothing_to_release += 1;
            return what;
        }
        Some(Some(_)) => unreachable!("releasing a suspended claim is not exercised"),
    }
    let got = r.data()["releaseRosterSlot"].clone();
    let before = model.statuses();
    model.hearings[hi].claims.retain(|c| c.claimer != u);
    model.stats.releases += 1;
    model.count_promotions(&before);
    let errs = check_hearing(
        &model.claimers[u].label,
        &country,
        model,
        &model.hearings[hi],
        &got,
    );
    assert!(errs.is_empty(), "{what}:\n{}", errs.join("\n"));
    what
}

/// A share target for a case: another country, or a coalition its owner is in.
fn random_target(model: &Model, rng: &mut StdRng, owner: &str) -> Target {
    let coalitions: Vec<&Coalition> = model
        .coalitions
        .iter()
        .filter(|c| c.members.contains(owner))
        .collect();
    if !coalitions.is_empty() && rng.gen_bool(0.4) {
        Target::Coalition(coalitions.choose(rng).expect("coalition").id.clone())
    } else {
        let others: Vec<&str> = COUNTRIES.iter().copied().filter(|c| *c != owner).collect();
        Target::Country((*others.choose(rng).expect("country")).to_owned())
    }
}

fn random_level(rng: &mut StdRng) -> Level {
    if rng.gen_bool(0.3) {
        Level::Summary
    } else {
        Level::Detail
    }
}

/// Whether the owner can still address this share (not a coalition it has left).
fn reachable(model: &Model, case: &Case, target: &Target) -> bool {
    match target {
        Target::Country(_) => true,
        Target::Coalition(id) => model.coalition(id).members.contains(&case.owner),
    }
}

/// Cases whose sight may change with a coalition's membership.
fn cases_shared_with(model: &Model, coalition: &str) -> BTreeSet<usize> {
    model
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.shares
                .contains_key(&Target::Coalition(coalition.to_owned()))
        })
        .map(|(i, _)| i)
        .collect()
}

async fn schedule(
    world: &mut World,
    model: &mut Model,
    rng: &mut StdRng,
    idx: usize,
    days: Option<i64>,
) {
    let days = days.unwrap_or_else(|| {
        world.next_day += rng.gen_range(1..=3);
        world.next_day
    });
    let case = &model.cases[idx];
    let tz_name = HOSTS.iter().find(|(h, _)| *h == case.host).expect("host").1;
    let tz: chrono_tz::Tz = tz_name.parse().expect("tz");
    let date = (Utc::now() + chrono::Duration::days(days))
        .with_timezone(&tz)
        .date_naive();
    let local = date.and_hms_opt(10, 0, 0).expect("10:00");
    let starts_at = tz
        .from_local_datetime(&local)
        .single()
        .expect("no DST in the tropics")
        .with_timezone(&Utc);
    let needed = rng.gen_range(1..=2usize);
    let r = world.coordinators[&case.owner]
        .q(
            SCHEDULE,
            json!({ "c": case.id, "i": { "court": "Regional Trial Court", "city": "Davao",
                "localStart": local.format("%Y-%m-%dT%H:%M:%S").to_string(), "timezone": tz_name,
                "durationMinutes": 120, "observersNeeded": needed } }),
        )
        .await;
    let got = &r.data()["scheduleHearing"];
    let id = str_of(&got["id"], "hearing id");
    let label = format!(
        "H{} (case {} of {}, day {days}, needs {needed})",
        model.hearings.len() + 1,
        case.reference,
        case.owner
    );
    model.hearings.push(Hearing {
        uuid: uuid_of(&id, "Hearing"),
        id,
        case: idx,
        starts_at,
        needed,
        claims: Vec::new(),
        label,
    });
    let h = model.hearings.last().expect("hearing");
    let errs = check_hearing(
        "the scheduling coordinator",
        &model.cases[idx].owner,
        model,
        h,
        &json!({
            "id": got["id"], "status": "SCHEDULED", "startsAt": got["startsAt"],
            "observersNeeded": got["observersNeeded"], "confirmedCount": got["confirmedCount"],
            "coverage": got["coverage"], "case": { "id": model.cases[idx].id, "visibility": "OWNER" },
            "claims": [],
        }),
    );
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

async fn build_world(app: &TestApp, rng: &mut StdRng, model: &mut Model) -> World {
    let mut admins = BTreeMap::new();
    for c in COUNTRIES {
        admins.insert(c.to_owned(), app.admin(c).await);
    }
    let users = join_all(COUNTRIES.iter().map(|c| async move {
        (
            app.diplomat(c).await,
            app.user("COORDINATOR", c).await,
            app.diplomat(c).await,
        )
    }))
    .await;
    let mut coordinators = BTreeMap::new();
    let mut claimers = Vec::new();
    let mut viewers = Vec::new();
    for (c, (d1, coord, d2)) in COUNTRIES.iter().zip(users) {
        coordinators.insert((*c).to_owned(), coord.clone());
        viewers.push(Viewer {
            label: format!("DIPLOMAT of {c}"),
            country: Some((*c).to_owned()),
            role: Role::Diplomat,
            actor: d1.clone(),
        });
        viewers.push(Viewer {
            label: format!("COORDINATOR of {c}"),
            country: Some((*c).to_owned()),
            role: Role::Coordinator,
            actor: coord.clone(),
        });
        for (label, actor) in [
            (format!("DIPLOMAT of {c}"), d1),
            (format!("COORDINATOR of {c}"), coord),
            (format!("second DIPLOMAT of {c}"), d2),
        ] {
            let url = actor.q(ISSUE_FEED, json!({})).await.data()["issueCalendarFeed"]["url"]
                .as_str()
                .expect("feed url")
                .to_owned();
            let (_, token) = url.split_once("/calendar/").expect("a /calendar/ URL");
            model.claimers.push(ClaimerInfo {
                label,
                country: (*c).to_owned(),
                user_id: actor.id.clone(),
            });
            claimers.push(Claimer {
                actor,
                feed: format!("/calendar/{token}"),
            });
        }
    }
    let admin_country = *COUNTRIES.choose(rng).expect("country");
    viewers.push(Viewer {
        label: format!("ADMIN of {admin_country}"),
        country: Some(admin_country.to_owned()),
        role: Role::Admin,
        actor: admins[admin_country].clone(),
    });
    let liaison = app.liaison().await;
    liaison
        .q(ISSUE_FEED, json!({}))
        .await
        .assert_code("FORBIDDEN");
    viewers.push(Viewer {
        label: "LIAISON".into(),
        country: None,
        role: Role::Outsider,
        actor: liaison,
    });
    viewers.push(Viewer {
        label: "OPERATOR".into(),
        country: None,
        role: Role::Outsider,
        actor: app.operator().await,
    });
    let mut world = World {
        app: app.clone(),
        admins,
        coordinators,
        claimers,
        viewers,
        next_day: 20,
    };

    for _ in 0..3 {
        let convener = *COUNTRIES.choose(rng).expect("convener");
        let mut others: Vec<String> = COUNTRIES
            .iter()
            .filter(|c| **c != convener)
            .map(|c| (*c).to_owned())
            .collect();
        others.shuffle(rng);
        others.truncate(rng.gen_range(1..=3));
        create_coalition(&world, model, convener, &others).await;
    }

    for i in 0..CASES {
        // Every country owns at least one case.
        let owner = match COUNTRIES.get(i) {
            Some(c) => *c,
            None => *COUNTRIES.choose(rng).expect("owner"),
        };
        let host = HOSTS.choose(rng).expect("host").0;
        let r = world.coordinators[owner]
            .q(
                CREATE_CASE,
                json!({ "i": { "pseudonym": format!("Defender {i}"), "hostCountry": host,
                    "categories": ["JOURNALIST"], "riskLevel": "HIGH", "status": "ON_TRIAL" } }),
            )
            .await;
        let created = &r.data()["createCase"];
        assert_eq!(created["visibility"], "OWNER");
        model.cases.push(Case {
            id: str_of(&created["id"], "case id"),
            reference: str_of(&created["reference"], "reference"),
            owner: owner.to_owned(),
            host,
            share: false,
            trial: false,
            shares: BTreeMap::new(),
        });
        let idx = model.cases.len() - 1;
        if i == 0 {
            // Scheduling needs consent to trial observation.
            let r = world.coordinators[owner]
                .q(
                    SCHEDULE,
                    json!({ "c": model.cases[idx].id, "i": { "court": "C", "city": "Davao",
                        "localStart": "2027-03-01T09:30:00", "timezone": "Asia/Manila",
                        "durationMinutes": 60, "observersNeeded": 1 } }),
                )
                .await;
            r.assert_code("CONSENT_REQUIRED");
        }
        record_consent(&world, model, rng, idx, true, true).await;
        for _ in 0..rng.gen_range(1..=3) {
            schedule(&mut world, model, rng, idx, None).await;
        }
        for _ in 0..rng.gen_range(2..=4) {
            let target = random_target(model, rng, owner);
            let level = random_level(rng);
            share(&world, model, idx, target, level).await;
        }
    }
    // One hearing beyond the coverage-gap window.
    let idx = rng.gen_range(0..model.cases.len());
    schedule(&mut world, model, rng, idx, Some(BEYOND_WINDOW_DAYS)).await;

    // Claims: each claimer takes some of the hearings their country sees.
    let mut wanted: Vec<(usize, usize)> = Vec::new();
    for hi in 0..model.hearings.len() {
        for u in 0..model.claimers.len() {
            let country = model.claimers[u].country.as_str();
            if model.sees(Some(country), &model.hearings[hi]) && rng.gen_bool(0.45) {
                wanted.push((u, hi));
            }
        }
    }
    wanted.shuffle(rng);
    for (u, hi) in wanted {
        claim(&world, model, u, hi).await;
    }
    // Admins do not claim.
    let hi = rng.gen_range(0..model.hearings.len());
    let owner = model.cases[model.hearings[hi].case].owner.clone();
    world.admins[&owner]
        .q(CLAIM, json!({ "h": model.hearings[hi].id }))
        .await
        .assert_code("FORBIDDEN");

    // Consents now vary.
    for idx in 0..model.cases.len() {
        if rng.gen_bool(0.5) {
            let (s, t) = (rng.gen_bool(0.75), rng.gen_bool(0.65));
            let what = record_consent(&world, model, rng, idx, s, t).await;
            model.settle();
            check_owner_now(&world, model, &BTreeSet::from([idx]), &what).await;
        }
    }
    world
}

/// One random change, applied to the API and the model, then the owner's
/// view of the hearings concerned checked at once.
async fn mutate(world: &World, model: &mut Model, rng: &mut StdRng, ops: usize) {
    let mut done = 0;
    while done < ops {
        let (what, touched): (String, BTreeSet<usize>) = match rng.gen_range(0..12) {
            0 | 1 => {
                let ci = rng.gen_range(0..model.coalitions.len());
                let c = &model.coalitions[ci];
                let outside: Vec<&str> = COUNTRIES
                    .iter()
                    .copied()
                    .filter(|x| !c.members.contains(*x))
                    .collect();
                let removable: Vec<String> = c
                    .members
                    .iter()
                    .filter(|x| **x != c.convener)
                    .cloned()
                    .collect();
                let touched = cases_shared_with(model, &c.id);
                let what = match (
                    rng.gen_bool(0.5),
                    outside.choose(rng),
                    removable.choose(rng),
                ) {
                    (true, Some(x), _) => {
                        let x = (*x).to_owned();
                        set_member(world, model, ci, &x, true).await
                    }
                    (false, _, Some(x)) => {
                        let x = x.clone();
                        set_member(world, model, ci, &x, false).await
                    }
                    _ => continue,
                };
                (what, touched)
            }
            2 | 3 => {
                let idx = rng.gen_range(0..model.cases.len());
                let (s, t) = (rng.gen_bool(0.75), rng.gen_bool(0.7));
                let what = record_consent(world, model, rng, idx, s, t).await;
                (what, BTreeSet::from([idx]))
            }
            4 => {
                let idx = rng.gen_range(0..model.cases.len());
                let case = &model.cases[idx];
                let targets: Vec<Target> = case
                    .shares
                    .keys()
                    .filter(|t| reachable(model, case, t))
                    .cloned()
                    .collect();
                match targets.choose(rng) {
                    Some(t) if case.share => {
                        let t = t.clone();
                        (unshare(world, model, idx, t).await, BTreeSet::from([idx]))
                    }
                    _ => continue,
                }
            }
            5 => {
                let idx = rng.gen_range(0..model.cases.len());
                let case = &model.cases[idx];
                if !case.share {
                    continue;
                }
                let existing: Vec<(Target, Level)> = case
                    .shares
                    .iter()
                    .filter(|(t, _)| reachable(model, case, t))
                    .map(|(t, l)| (t.clone(), *l))
                    .collect();
                let (target, level) = match existing.choose(rng) {
                    // The same target at the other level: DETAIL lowered to SUMMARY and back.
                    Some((t, l)) if rng.gen_bool(0.6) => (
                        t.clone(),
                        if *l == Level::Detail {
                            Level::Summary
                        } else {
                            Level::Detail
                        },
                    ),
                    _ => {
                        let owner = case.owner.clone();
                        (random_target(model, rng, &owner), random_level(rng))
                    }
                };
                (
                    share(world, model, idx, target, level).await,
                    BTreeSet::from([idx]),
                )
            }
            6..=9 => {
                // Preferably a claim made again after sight came back.
                let again: Vec<(usize, usize)> = (0..model.hearings.len())
                    .flat_map(|hi| {
                        model.hearings[hi]
                            .claims
                            .iter()
                            .filter(|c| c.suspended.is_some())
                            .map(move |c| (c.claimer, hi))
                    })
                    .filter(|(u, hi)| {
                        model.sees(
                            Some(model.claimers[*u].country.as_str()),
                            &model.hearings[*hi],
                        )
                    })
                    .collect();
                let (u, hi) = match again.choose(rng) {
                    Some(p) if rng.gen_bool(0.6) => *p,
                    _ => (
                        rng.gen_range(0..model.claimers.len()),
                        rng.gen_range(0..model.hearings.len()),
                    ),
                };
                let case = model.hearings[hi].case;
                (claim(world, model, u, hi).await, BTreeSet::from([case]))
            }
            _ => {
                let active: Vec<(usize, usize)> = (0..model.hearings.len())
                    .flat_map(|hi| {
                        model.hearings[hi]
                            .claims
                            .iter()
                            .filter(|c| c.suspended.is_none())
                            .map(move |c| (c.claimer, hi))
                    })
                    .collect();
                let (u, hi) = match active.choose(rng) {
                    Some(p) if rng.gen_bool(0.85) => *p,
                    _ => (
                        rng.gen_range(0..model.claimers.len()),
                        rng.gen_range(0..model.hearings.len()),
                    ),
                };
                let suspended_but_seen =
                    model.claim_of(hi, u).is_some_and(|c| c.suspended.is_some())
                        && model.sees(
                            Some(model.claimers[u].country.as_str()),
                            &model.hearings[hi],
                        );
                if suspended_but_seen {
                    continue;
                }
                let case = model.hearings[hi].case;
                (release(world, model, u, hi).await, BTreeSet::from([case]))
            }
        };
        model.settle();
        check_owner_now(world, model, &touched, &what).await;
        done += 1;
    }
}

async fn random_world(app: TestApp) {
    let started = std::time::Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut model = Model::default();
    let world = build_world(&app, &mut rng, &mut model).await;
    let built = started.elapsed();
    let mut pairs = [0; 3];
    let mut tally = |p: [usize; 3]| {
        for (total, n) in pairs.iter_mut().zip(p) {
            *total += n;
        }
    };
    tally(check_everything(&world, &model, "as built").await);
    assert_access_index_holds(&app, "as built").await;
    for round in 1..=ROUNDS {
        mutate(&world, &mut model, &mut rng, OPS_PER_ROUND).await;
        let when = format!("after round {round} of changes");
        tally(check_everything(&world, &model, &when).await);
        assert_access_index_holds(&app, &when).await;
    }
    let s = &model.stats;
    eprintln!(
        "hearing visibility oracle: {} viewer x hearing pairs (not visible {}, partner {}, owner {}) \
         over {} hearings of {} cases, {} viewers, {} claimers; {s:?}; built in {:.1?}, total {:.1?}",
        pairs.iter().sum::<usize>(),
        pairs[0],
        pairs[1],
        pairs[2],
        model.hearings.len(),
        model.cases.len(),
        world.viewers.len(),
        world.claimers.len(),
        built,
        started.elapsed()
    );
    // The world must have exercised what the oracle is about.
    assert!(pairs.iter().all(|n| *n > 0), "{pairs:?}");
    assert!(
        s.suspended_consent > 0 && s.suspended_visibility > 0,
        "{s:?}"
    );
    assert!(s.promotions > 0 && s.reclaims_after_suspension > 0, "{s:?}");
    assert!(s.refused_not_found > 0 && s.releases > 0, "{s:?}");
    assert!(s.owner_claims_refused_without_trial_consent > 0, "{s:?}");
}

on_both_backends! {
    async fn hearings_rosters_and_claims_match_the_oracle(app: TestApp) {
        random_world(app).await;
    }
}
