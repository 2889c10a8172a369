//! The leak oracle for joint statements (docs/RULES.md "Visibility" rules 4, 5, 6
//! and 7, and the Statement contract), and a property test of signatures
//! over random action sequences.
//!
//! The oracle: a random world of countries (diplomats, coordinators, admins),
//! a liaison and the operator, cases with consents and shares, and statements
//! created by random coordinators with random invitations and linked cases,
//! then invited to, uninvited from, revised, approved, declined, withdrawn,
//! finalized and delivered, all through the API. After the world is built and
//! again after consents to share are withdrawn under linked cases and
//! countries are removed from invitations, every viewer's answers are
//! compared with a small, independent model: `statement(id)` and `node(id)`
//! (the statement, or byte for byte the answer for a missing id), and
//! `statements` walked three at a time with its totals, unfiltered and under
//! every `status`, `kind` and `hostCountry` value, each statement's `myRole`,
//! versions, participants with their signatures, signatories and `cases`.
//! A country removed from an invitation is checked at once: the very next
//! request no longer finds the statement.
//!
//! The model, from the rules alone:
//! - a statement is seen by the mission users (diplomat, coordinator, admin)
//!   of the lead country and of every country currently invited (as INVITED
//!   or CO_PENHOLDER); nobody else — other countries, liaisons, the operator
//!   — sees it: NOT_FOUND exactly as a missing id, not listed, not counted;
//! - `myRole` is the viewer's country's part; participants are the lead first,
//!   then by country, each with its signature (APPROVED and STALE carry the
//!   version approved, DECLINED its reason);
//! - `cases` lists, by case id, the linked cases the viewer's country sees
//!   (owner; or a country it is shared with while consent to share stands),
//!   at that level;
//! - lists are oldest first (statement id order); totals obey scope and
//!   filter alike.
//!
//! The property test keeps, per statement, each country's *last action*
//! (approved version n of text t, declined, withdrew, nothing) and derives
//! every signature from it and the current version; random revisions,
//! approvals (sometimes of an old version), declines, withdrawals, invites,
//! uninvites and finalizations by random participants — and by outsiders,
//! who must get NOT_FOUND — are checked step by step: the outcome (success
//! or the exact refusal), the signatures, that every APPROVED or STALE
//! signature points at a version whose `contentHash` is the hash of the text
//! the country approved, and at finalization that `signatories` is exactly
//! the countries whose last action approved the final version, after which
//! every change is refused with CONFLICT.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use futures::future::join_all;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::builders::{
    approve, decline, finalize, invite, open_case, revise, share, uninvite, withdraw,
};
use crate::helpers::*;
use crate::on_both_backends;
use crate::oracle::{self, Level, missing_answer, missing_id, refused, totals_are, uuid_of};

/// Countries that lead and are invited (other oracles use others).
const COUNTRIES: [&str; 5] = ["HU", "RO", "BG", "HR", "SI"];
/// Owns a case shared with participants, but never takes part in a statement.
const BYSTANDER: &str = "SK";
const SEED: u64 = 0x57A7_E3E7_5EED_0004;
const HOSTS: [&str; 3] = ["PH", "CO", "GT"];
const UNUSED_HOST: &str = "MX";
const KINDS: [&str; 4] = ["DEMARCHE", "PUBLIC_STATEMENT", "PRESS_RELEASE", "LETTER"];
const STATUSES: [&str; 4] = ["DRAFT", "CIRCULATING", "FINAL", "DELIVERED"];
const CASES: usize = 8;
const STATEMENTS: usize = 10;
/// Page size for walking `statements`, so that paging itself is exercised.
const PAGE: i64 = 3;

macro_rules! statement_fields {
    () => {
        "id title kind hostCountry status leadCountry myRole \
         currentVersion { number body contentHash author { id country } } \
         versions { number contentHash } \
         participants { country role signature { status version reason } } \
         signatories cases { id visibility }"
    };
}

const STATEMENT: &str = concat!(
    "query($id: ID!) { statement(id: $id) { ",
    statement_fields!(),
    " } }"
);
const NODE: &str = concat!(
    "query($id: ID!) { node(id: $id) { __typename ... on Statement { ",
    statement_fields!(),
    " } } }"
);
const LIST: &str = concat!(
    "query($f: StatementFilter, $first: Int, $after: String) { ",
    "statements(filter: $f, first: $first, after: $after) { ",
    "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ",
    statement_fields!(),
    " } } } }"
);
const LIST_IDS: &str = "query($f: StatementFilter, $first: Int, $after: String) {
    statements(filter: $f, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id cases { id visibility } } } } }";
const CREATE: &str = concat!(
    "mutation($i: CreateStatementInput!) { createStatement(input: $i) { ",
    statement_fields!(),
    " } }"
);
const RECORD_CONSENT: &str = "mutation($id: ID!, $s: Boolean!, $p: Boolean!) {
    recordConsent(caseId: $id, input: { shareWithPartners: $s, trialObservation: true,
      publicAdvocacy: $p, givenBy: DEFENDER }) { id } }";
const DELIVER: &str = "mutation($id: ID!, $at: DateTime!) {
    markStatementDelivered(id: $id, input: { deliveredAt: $at, channel: NOTE_VERBALE }) { status } }";

/// SHA-256 of a text, hex: what the server must call its content hash.
fn hash(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

async fn record_consent(by: &Actor, case_id: &str, share: bool, public: bool) {
    by.q(
        RECORD_CONSENT,
        json!({ "id": case_id, "s": share, "p": public }),
    )
    .await
    .data();
}

// ---------------------------------------------------------------------------
// The oracle's model.

struct Case {
    id: String,
    /// The uuid inside the global id: linked cases are listed in its order.
    uuid: String,
    label: String,
    owner: &'static str,
    share_consent: bool,
    public_consent: bool,
    shares: BTreeMap<&'static str, Level>,
}

#[derive(Clone, Debug, PartialEq)]
enum Sig {
    Pending,
    Approved(i64),
    Stale(i64),
    Declined(Option<String>),
}

impl Sig {
    fn json(&self) -> Value {
        match self {
            Sig::Pending => json!({ "status": "PENDING", "version": null, "reason": null }),
            Sig::Approved(v) => json!({ "status": "APPROVED", "version": v, "reason": null }),
            Sig::Stale(v) => json!({ "status": "STALE", "version": v, "reason": null }),
            Sig::Declined(r) => json!({ "status": "DECLINED", "version": null, "reason": r }),
        }
    }
}

struct Part {
    role: &'static str,
    sig: Sig,
}

struct Version {
    body: String,
    author_id: String,
    author_country: &'static str,
}

struct Statement {
    id: String,
    uuid: String,
    label: String,
    title: String,
    kind: &'static str,
    host: &'static str,
    lead: &'static str,
    status: &'static str,
    versions: Vec<Version>,
    /// By country; the lead included.
    parts: BTreeMap<&'static str, Part>,
    /// Linked cases (indices).
    cases: Vec<usize>,
    final_version: Option<i64>,
}

impl Statement {
    fn current(&self) -> i64 {
        self.versions.len() as i64
    }

    fn is_open(&self) -> bool {
        matches!(self.status, "DRAFT" | "CIRCULATING")
    }

    /// The participating countries other than the lead.
    fn others(&self) -> Vec<&'static str> {
        self.parts
            .keys()
            .copied()
            .filter(|c| *c != self.lead)
            .collect()
    }
}

/// Whose eyes: a country's mission user, or someone without a country
/// (a liaison, the operator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Country(&'static str),
    Nobody,
}

#[derive(Default, Debug)]
struct Stats {
    refused_unseen_case: usize,
    invites: usize,
    role_changes: usize,
    uninvites: usize,
    revisions: usize,
    refused_stale_base: usize,
    approvals: usize,
    declines: usize,
    withdrawals: usize,
    refused_outsider_writes: usize,
    finalized: usize,
    refused_consent_required: usize,
    delivered: usize,
    consent_withdrawn: usize,
    lost_at_once: usize,
    reinvited: usize,
}

#[derive(Default)]
struct Model {
    cases: Vec<Case>,
    statements: Vec<Statement>,
    stats: Stats,
}

/// A filter of `statements`.
#[derive(Default, Clone, Debug)]
struct Filter {
    status: Option<&'static str>,
    kind: Option<&'static str>,
    host: Option<&'static str>,
}

impl Filter {
    fn json(&self) -> Value {
        let mut f = serde_json::Map::new();
        for (k, v) in [
            ("status", self.status),
            ("kind", self.kind),
            ("hostCountry", self.host),
        ] {
            if let Some(v) = v {
                f.insert(k.into(), json!(v));
            }
        }
        Value::Object(f)
    }
}

/// Every filter each viewer walks: each value alone, then some together.
fn filters() -> Vec<Filter> {
    let mut out = Vec::new();
    for s in STATUSES {
        out.push(Filter {
            status: Some(s),
            ..Filter::default()
        });
    }
    for k in KINDS {
        out.push(Filter {
            kind: Some(k),
            ..Filter::default()
        });
    }
    for h in HOSTS.iter().copied().chain([UNUSED_HOST]) {
        out.push(Filter {
            host: Some(h),
            ..Filter::default()
        });
    }
    out.push(Filter {
        status: Some("CIRCULATING"),
        kind: Some(KINDS[0]),
        ..Filter::default()
    });
    out.push(Filter {
        status: Some("FINAL"),
        host: Some(HOSTS[0]),
        ..Filter::default()
    });
    out.push(Filter {
        kind: Some(KINDS[2]),
        host: Some(HOSTS[1]),
        ..Filter::default()
    });
    out.push(Filter {
        status: Some("CIRCULATING"),
        kind: Some(KINDS[1]),
        host: Some(HOSTS[2]),
    });
    out
}

impl Model {
    /// Rule 4: the lead and the invited countries; nobody without a country.
    fn role(&self, who: Who, s: &Statement) -> Option<&'static str> {
        match who {
            Who::Country(c) => s.parts.get(c).map(|p| p.role),
            Who::Nobody => None,
        }
    }

    fn sees(&self, who: Who, s: &Statement) -> bool {
        self.role(who, s).is_some()
    }

    /// Rule 1 (without coalitions): the owner, or a country the case is
    /// shared with while consent to share stands.
    fn level(&self, who: Who, k: &Case) -> Option<Level> {
        let Who::Country(c) = who else {
            return None;
        };
        if c == k.owner {
            Some(Level::Owner)
        } else if k.share_consent {
            k.shares.get(c).copied()
        } else {
            None
        }
    }

    /// The linked cases the viewer sees, by case id.
    fn statement_cases(&self, who: Who, s: &Statement) -> Vec<usize> {
        let mut out: Vec<usize> = s
            .cases
            .iter()
            .copied()
            .filter(|k| self.level(who, &self.cases[*k]).is_some())
            .collect();
        out.sort_by(|a, b| self.cases[*a].uuid.cmp(&self.cases[*b].uuid));
        out
    }

    fn signatories(&self, s: &Statement) -> Vec<&'static str> {
        match s.final_version {
            Some(v) => s
                .parts
                .iter()
                .filter(|(_, p)| p.sig == Sig::Approved(v))
                .map(|(c, _)| *c)
                .collect(),
            None => Vec::new(),
        }
    }

    /// A statement as a viewer who sees it must get it.
    fn expected(&self, who: Who, si: usize) -> Value {
        let s = &self.statements[si];
        let current = &s.versions[s.versions.len() - 1];
        let mut order: Vec<&'static str> = s.parts.keys().copied().collect();
        order.sort_by_key(|c| (*c != s.lead, *c));
        json!({
            "id": s.id,
            "title": s.title,
            "kind": s.kind,
            "hostCountry": s.host,
            "status": s.status,
            "leadCountry": s.lead,
            "myRole": self.role(who, s),
            "currentVersion": {
                "number": s.current(),
                "body": current.body,
                "contentHash": hash(&current.body),
                "author": { "id": current.author_id, "country": current.author_country },
            },
            "versions": s.versions.iter().enumerate().map(|(i, v)| json!({
                "number": i + 1, "contentHash": hash(&v.body),
            })).collect::<Vec<_>>(),
            "participants": order.iter().map(|c| json!({
                "country": c, "role": s.parts[c].role, "signature": s.parts[c].sig.json(),
            })).collect::<Vec<_>>(),
            "signatories": self.signatories(s),
            "cases": self.cases_json(who, s),
        })
    }

    fn cases_json(&self, who: Who, s: &Statement) -> Value {
        json!(
            self.statement_cases(who, s)
                .into_iter()
                .map(|k| json!({
                    "id": self.cases[k].id,
                    "visibility": self.level(who, &self.cases[k]).map(Level::as_str),
                }))
                .collect::<Vec<_>>()
        )
    }

    fn matches(&self, s: &Statement, f: &Filter) -> bool {
        f.status.is_none_or(|x| s.status == x)
            && f.kind.is_none_or(|x| s.kind == x)
            && f.host.is_none_or(|x| s.host == x)
    }

    /// The list a viewer gets under a filter: statement id order.
    fn list(&self, who: Who, f: &Filter) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.statements.len())
            .filter(|si| {
                let s = &self.statements[*si];
                self.sees(who, s) && self.matches(s, f)
            })
            .collect();
        out.sort_by(|a, b| self.statements[*a].uuid.cmp(&self.statements[*b].uuid));
        out
    }

    /// A value for a failure message, ids replaced by labels.
    fn show(&self, v: &Value) -> String {
        let mut s = v.to_string();
        for x in &self.statements {
            s = s.replace(&x.id, &x.label);
        }
        for k in &self.cases {
            s = s.replace(&k.id, &k.label);
        }
        s
    }

    fn statement_index(&self, id: &str) -> Option<usize> {
        self.statements.iter().position(|s| s.id == id)
    }

    fn labels(&self, ids: &[usize]) -> Vec<&str> {
        ids.iter()
            .map(|i| self.statements[*i].label.as_str())
            .collect()
    }

    fn describe(&self, si: usize) -> String {
        let s = &self.statements[si];
        let parts: Vec<String> = s
            .parts
            .iter()
            .map(|(c, p)| format!("{c} {} {:?}", p.role, p.sig))
            .collect();
        let cases: Vec<String> = s
            .cases
            .iter()
            .map(|k| {
                let k = &self.cases[*k];
                format!(
                    "{} (share consent {}, shares {:?})",
                    k.label, k.share_consent, k.shares
                )
            })
            .collect();
        format!(
            "{} ({} {}, {} version(s), participants [{}], cases [{}])",
            s.label,
            s.status,
            s.host,
            s.versions.len(),
            parts.join(", "),
            cases.join(", ")
        )
    }
}

// ---------------------------------------------------------------------------
// Actors.

struct Viewer {
    label: String,
    who: Who,
    actor: Actor,
}

struct World {
    viewers: Vec<Viewer>,
    diplomats: BTreeMap<&'static str, Actor>,
    /// Two per country.
    coordinators: BTreeMap<&'static str, Vec<Actor>>,
    admins: BTreeMap<&'static str, Actor>,
    liaison: Actor,
}

impl World {
    fn coordinator(&self, rng: &mut StdRng, c: &str) -> (&Actor, String) {
        let n = rng.gen_range(0..self.coordinators[c].len());
        (
            &self.coordinators[c][n],
            format!("COORDINATOR {} of {c}", n + 1),
        )
    }

    /// A diplomat or a coordinator of `c`: who signs for it.
    fn signer(&self, rng: &mut StdRng, c: &str) -> (&Actor, String) {
        if rng.gen_bool(0.5) {
            (&self.diplomats[c], format!("DIPLOMAT of {c}"))
        } else {
            self.coordinator(rng, c)
        }
    }
}

// ---------------------------------------------------------------------------
// Comparisons.

/// One visible statement, as a viewer got it, against the model.
fn check_statement(
    model: &Model,
    viewer: &Viewer,
    si: usize,
    got: &Value,
    via: &str,
) -> Vec<String> {
    let s = &model.statements[si];
    let ctx = format!("viewer {}: statement {} via {via}", viewer.label, s.label);
    let mut got = got.clone();
    let Some(g) = got.as_object_mut() else {
        return vec![format!("{ctx}: expected the statement, got {got}")];
    };
    g.remove("__typename");
    let want = model.expected(viewer.who, si);
    let w = want.as_object().expect("an object");
    let mut errs = Vec::new();
    for (k, wv) in w {
        let gv = g.get(k).unwrap_or(&Value::Null);
        if gv != wv {
            errs.push(format!(
                "{ctx}: {k}: expected {}, got {} [{}]",
                model.show(wv),
                model.show(gv),
                model.describe(si)
            ));
        }
    }
    for k in g.keys().filter(|k| !w.contains_key(*k)) {
        errs.push(format!("{ctx}: unexpected field {k}"));
    }
    errs
}

/// What a viewer gets for a statement id that does not exist, per query shape.
struct Baseline {
    statement: Raw,
    node: Raw,
}

async fn baseline(viewer: &Viewer) -> Baseline {
    let (a, l) = (&viewer.actor, &viewer.label);
    let id = || json!({ "id": missing_id("Statement") });
    let statement = missing_answer(a, l, "statement", "id", STATEMENT, id()).await;
    let node = missing_answer(a, l, "node", "id", NODE, id()).await;
    Baseline { statement, node }
}

/// What the checks covered.
#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    requests: usize,
    /// Viewer × statement pairs: hidden, and visible per role.
    hidden: usize,
    as_lead: usize,
    as_co_penholder: usize,
    as_invited: usize,
    /// On statements the viewer sees: linked cases shown and left out.
    cases_shown: usize,
    cases_hidden: usize,
    /// List entries compared (every page, every filter).
    listed: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.requests += o.requests;
        self.hidden += o.hidden;
        self.as_lead += o.as_lead;
        self.as_co_penholder += o.as_co_penholder;
        self.as_invited += o.as_invited;
        self.cases_shown += o.cases_shown;
        self.cases_hidden += o.cases_hidden;
        self.listed += o.listed;
    }
}

/// `statement(id)` and `node(id)` for every statement.
async fn check_reads(
    viewer: &Viewer,
    model: &Model,
    base: &Baseline,
    t: &mut Tally,
) -> Vec<String> {
    let mut errs = Vec::new();
    for (si, s) in model.statements.iter().enumerate() {
        match model.role(viewer.who, s) {
            None => t.hidden += 1,
            Some("LEAD") => t.as_lead += 1,
            Some("CO_PENHOLDER") => t.as_co_penholder += 1,
            Some(_) => t.as_invited += 1,
        }
        let visible = model.sees(viewer.who, s);
        if visible {
            let shown = model.statement_cases(viewer.who, s).len();
            t.cases_shown += shown;
            t.cases_hidden += s.cases.len() - shown;
        }
        for (shape, query, missing) in [
            ("statement", STATEMENT, &base.statement),
            ("node", NODE, &base.node),
        ] {
            let got = raw(&viewer.actor, query, json!({ "id": s.id })).await;
            t.requests += 1;
            let named = oracle::ById {
                hidden_as: &format!("viewer {}: statement {}", viewer.label, model.describe(si)),
                shown_as: &format!("viewer {}: statement {}", viewer.label, s.label),
                noun: "statement",
                missing: "id",
                typename: "Statement",
            };
            let show = |got: &Raw| model.show(&got.body);
            if let Some(node) =
                oracle::by_id(&named, shape, &got, missing, visible, show, &mut errs)
            {
                errs.extend(check_statement(model, viewer, si, node, shape));
            }
        }
    }
    errs
}

/// The unfiltered list (every node checked in full), each filter (ids and
/// nested cases), and a filter value that must be refused.
async fn check_lists(
    viewer: &Viewer,
    model: &Model,
    filters: &[Filter],
    t: &mut Tally,
) -> Vec<String> {
    let mut errs = Vec::new();
    let all = Filter::default();
    for (f, query) in std::iter::once((&all, LIST)).chain(filters.iter().map(|f| (f, LIST_IDS))) {
        let ctx = format!("viewer {}: statements(filter: {})", viewer.label, f.json());
        let want = model.list(viewer.who, f);
        let (nodes, totals) = match oracle::walk_filtered(
            &viewer.actor,
            query,
            "statements",
            &f.json(),
            PAGE,
            &mut t.requests,
        )
        .await
        {
            Ok(x) => x,
            Err(e) => {
                errs.push(format!("{ctx}: {e}"));
                continue;
            }
        };
        t.listed += nodes.len();
        let mut got: Vec<String> = Vec::new();
        for node in &nodes {
            let id = node["id"].as_str().unwrap_or("<no id>").to_owned();
            match model.statement_index(&id) {
                Some(si) if model.sees(viewer.who, &model.statements[si]) => {
                    if query == LIST {
                        errs.extend(check_statement(model, viewer, si, node, "statements"));
                    } else {
                        let want = model.cases_json(viewer.who, &model.statements[si]);
                        if node["cases"] != want {
                            errs.push(format!(
                                "{ctx}: statement {}: cases expected {}, got {}",
                                model.describe(si),
                                model.show(&want),
                                model.show(&node["cases"])
                            ));
                        }
                    }
                }
                Some(si) => errs.push(format!(
                    "{ctx}: statement {} must not be listed",
                    model.describe(si)
                )),
                None => errs.push(format!("{ctx}: unknown statement listed: {node}")),
            }
            got.push(id);
        }
        let want_ids: Vec<&String> = want.iter().map(|si| &model.statements[*si].id).collect();
        if got.iter().collect::<Vec<_>>() != want_ids {
            errs.push(format!(
                "{ctx}: expected {:?} (oldest first), got {}",
                model.labels(&want),
                model.show(&json!(got))
            ));
        }
        if !totals_are(&totals, want.len()) {
            errs.push(format!(
                "{ctx}: totalCount expected {} on every page, got {totals:?}",
                want.len()
            ));
        }
    }
    let r = raw(
        &viewer.actor,
        LIST_IDS,
        json!({ "f": { "hostCountry": "XX" }, "first": PAGE }),
    )
    .await;
    t.requests += 1;
    if r.code() != Some("BAD_USER_INPUT")
        || r.body["errors"][0]["extensions"]["field"] != "filter.hostCountry"
    {
        errs.push(format!(
            "viewer {}: an unknown hostCountry filter: expected BAD_USER_INPUT on \
             filter.hostCountry, got {}",
            viewer.label, r.text
        ));
    }
    errs
}

/// Every viewer against every statement, list and filter.
async fn check_everything(world: &World, model: &Model, round: &str) -> Tally {
    let filters = filters();
    let results = join_all(world.viewers.iter().map(|viewer| {
        let filters = &filters;
        async move {
            let base = baseline(viewer).await;
            let mut t = Tally {
                requests: 2,
                ..Tally::default()
            };
            let mut errs = check_reads(viewer, model, &base, &mut t).await;
            errs.extend(check_lists(viewer, model, filters, &mut t).await);
            (t, errs)
        }
    }))
    .await;
    let mut tally = Tally::default();
    for (t, _) in &results {
        tally.add(t);
    }
    let errs: Vec<&String> = results.iter().flat_map(|(_, e)| e).collect();
    assert!(
        errs.is_empty(),
        "{round}: {} discrepancies with the model:\n{}",
        errs.len(),
        errs.iter()
            .take(40)
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    tally
}

/// Removed from the invitation: the very next request of each of the
/// country's users finds nothing — reads answer as for a missing id, the
/// list neither shows nor counts it — and signing for it is refused as for
/// a missing statement.
async fn assert_lost_at_once(world: &World, model: &mut Model, si: usize, c: &'static str) {
    let s = &model.statements[si];
    let who = Who::Country(c);
    for viewer in world.viewers.iter().filter(|v| v.who == who) {
        let base = baseline(viewer).await;
        for (shape, query, missing) in [
            ("statement", STATEMENT, &base.statement),
            ("node", NODE, &base.node),
        ] {
            let got = raw(&viewer.actor, query, json!({ "id": s.id })).await;
            assert!(
                got.status == missing.status && got.text == missing.text,
                "{} removed from {}: {shape} must at once answer exactly as for a missing id \
                 (expected {} {}, got {} {})",
                viewer.label,
                model.describe(si),
                missing.status,
                missing.text,
                got.status,
                model.show(&got.body)
            );
        }
        let list = raw(&viewer.actor, LIST_IDS, json!({ "first": 100 })).await;
        let conn = &list.body["data"]["statements"];
        let ids: Vec<&str> = conn["edges"]
            .as_array()
            .map(|e| e.iter().filter_map(|e| e["node"]["id"].as_str()).collect())
            .unwrap_or_default();
        let want = model.list(who, &Filter::default()).len();
        assert!(
            !list.has_errors() && !ids.contains(&s.id.as_str()) && conn["totalCount"] == want,
            "{} removed from {}: statements must at once leave it out (total {want}), got {}",
            viewer.label,
            s.label,
            model.show(&list.body)
        );
    }
    let dip = &world.diplomats[c];
    let got = approve(dip, &s.id, s.current()).await;
    let missing = approve(dip, &missing_id("Statement"), s.current()).await;
    assert!(
        got.body == missing.body && got.code() == "NOT_FOUND",
        "{c} removed from {}: approving must answer as for a missing statement ({}), got {}",
        s.label,
        missing.body,
        model.show(&got.body)
    );
    model.stats.lost_at_once += 1;
}

// ---------------------------------------------------------------------------
// Building the world through the API, and changing it.

async fn build_people(app: &TestApp, rng: &mut StdRng) -> World {
    let everyone: Vec<&'static str> = COUNTRIES.iter().copied().chain([BYSTANDER]).collect();
    let people = join_all(everyone.iter().map(|c| async move {
        let admin = app.admin(c).await;
        let diplomat = app.diplomat(c).await;
        let coordinators = vec![
            app.user("COORDINATOR", c).await,
            app.user("COORDINATOR", c).await,
        ];
        (*c, admin, diplomat, coordinators)
    }))
    .await;
    let mut world = World {
        viewers: Vec::new(),
        diplomats: BTreeMap::new(),
        coordinators: BTreeMap::new(),
        admins: BTreeMap::new(),
        liaison: app.liaison().await,
    };
    let second_coordinator: Vec<&str> = COUNTRIES.choose_multiple(rng, 2).copied().collect();
    for (c, admin, diplomat, coordinators) in people {
        let who = Who::Country(c);
        world.viewers.push(Viewer {
            label: format!("DIPLOMAT of {c}"),
            who,
            actor: diplomat.clone(),
        });
        world.viewers.push(Viewer {
            label: format!("COORDINATOR 1 of {c}"),
            who,
            actor: coordinators[0].clone(),
        });
        if second_coordinator.contains(&c) {
            world.viewers.push(Viewer {
                label: format!("COORDINATOR 2 of {c}"),
                who,
                actor: coordinators[1].clone(),
            });
        }
        world.viewers.push(Viewer {
            label: format!("ADMIN of {c}"),
            who,
            actor: admin.clone(),
        });
        world.diplomats.insert(c, diplomat);
        world.coordinators.insert(c, coordinators);
        world.admins.insert(c, admin);
    }
    world.viewers.push(Viewer {
        label: "LIAISON".into(),
        who: Who::Nobody,
        actor: world.liaison.clone(),
    });
    world.viewers.push(Viewer {
        label: "OPERATOR".into(),
        who: Who::Nobody,
        actor: app.operator().await,
    });
    world
}

/// Cases: the bystander owns the first (shared with three participants);
/// most others have consent to share and shares at random levels; consent
/// to public advocacy at random.
async fn build_cases(world: &World, rng: &mut StdRng, model: &mut Model) {
    let everyone: Vec<&'static str> = COUNTRIES.iter().copied().chain([BYSTANDER]).collect();
    for i in 0..CASES {
        let owner = if i == 0 {
            BYSTANDER
        } else {
            *COUNTRIES.choose(rng).expect("owner")
        };
        let (coord, _) = world.coordinator(rng, owner);
        let created = open_case(coord, &format!("Defender {i}"), "Legal Name").await;
        let id = str_of(&created["id"], "case id");
        let mut k = Case {
            uuid: uuid_of(&id, "Case"),
            id,
            label: format!("K{} (of {owner})", i + 1),
            owner,
            share_consent: false,
            public_consent: false,
            shares: BTreeMap::new(),
        };
        let share_consent = i == 0 || rng.gen_bool(0.8);
        let public_consent = rng.gen_bool(0.5);
        if share_consent || public_consent {
            record_consent(coord, &k.id, share_consent, public_consent).await;
            k.share_consent = share_consent;
            k.public_consent = public_consent;
        }
        if share_consent {
            let mut others: Vec<&'static str> =
                everyone.iter().copied().filter(|c| *c != owner).collect();
            others.shuffle(rng);
            let n = if i == 0 { 3 } else { rng.gen_range(1..=3) };
            for c in others.into_iter().take(n) {
                let level = if rng.gen_bool(0.35) {
                    Level::Summary
                } else {
                    Level::Detail
                };
                share(coord, &k.id, c, level.as_str()).await.data();
                k.shares.insert(c, level);
            }
        }
        model.cases.push(k);
    }
}

/// Statements by random coordinators; the first one is never circulated.
async fn create_statements(world: &World, rng: &mut StdRng, model: &mut Model) {
    for i in 0..STATEMENTS {
        let lead = *COUNTRIES.choose(rng).expect("lead");
        let (coord, by) = world.coordinator(rng, lead);
        let mut invited: Vec<&'static str> =
            COUNTRIES.iter().copied().filter(|c| *c != lead).collect();
        invited.shuffle(rng);
        invited.truncate(if i == 0 { 0 } else { rng.gen_range(0..=3) });
        let mut asked = invited.clone();
        if rng.gen_bool(0.2) {
            // Naming one's own country: it leads, it is not invited too.
            asked.push(lead);
        }
        let seen: Vec<usize> = (0..model.cases.len())
            .filter(|k| model.level(Who::Country(lead), &model.cases[*k]).is_some())
            .collect();
        let unseen: Vec<usize> = (0..model.cases.len())
            .filter(|k| model.level(Who::Country(lead), &model.cases[*k]).is_none())
            .collect();
        let n = if rng.gen_bool(0.75) {
            rng.gen_range(1..=2)
        } else {
            0
        };
        let mut cases: Vec<usize> = seen.choose_multiple(rng, n).copied().collect();
        cases.sort();
        let kind = *KINDS.choose(rng).expect("kind");
        let host = *HOSTS.choose(rng).expect("host");
        let title = format!("Statement {} on the situation in {host}", i + 1);
        let body = format!(
            "S{}: the undersigned missions follow the situation closely.",
            i + 1
        );
        let input = |extra: Option<&str>| {
            json!({ "i": {
                "title": title, "kind": kind, "hostCountry": host, "body": body,
                "invitedCountries": asked,
                "caseIds": cases.iter().map(|k| model.cases[*k].id.as_str()).chain(extra).collect::<Vec<_>>(),
            } })
        };
        // Linking a case the creator's country does not see: NOT_FOUND
        // exactly as a missing case, nothing stored.
        if let Some(u) = unseen.choose(rng).filter(|_| rng.gen_bool(0.4)) {
            let hidden = raw(coord, CREATE, input(Some(&model.cases[*u].id))).await;
            let missing = raw(coord, CREATE, input(Some(&missing_id("Case")))).await;
            assert!(
                hidden.code() == Some("NOT_FOUND")
                    && (hidden.status, &hidden.text) == (missing.status, &missing.text),
                "{by} links unseen case {}: expected exactly the answer for a missing case \
                 ({} {}), got {} {}",
                model.cases[*u].label,
                missing.status,
                missing.text,
                hidden.status,
                hidden.text
            );
            model.stats.refused_unseen_case += 1;
        }
        let r = coord.q(CREATE, input(None)).await;
        let got = r.data()["createStatement"].clone();
        let id = str_of(&got["id"], "statement id");
        let mut parts = BTreeMap::new();
        parts.insert(
            lead,
            Part {
                role: "LEAD",
                sig: Sig::Pending,
            },
        );
        for c in &invited {
            parts.insert(
                *c,
                Part {
                    role: "INVITED",
                    sig: Sig::Pending,
                },
            );
        }
        model.statements.push(Statement {
            uuid: uuid_of(&id, "Statement"),
            id,
            label: format!("S{} (lead {lead}, {kind})", i + 1),
            title,
            kind,
            host,
            lead,
            status: if invited.is_empty() {
                "DRAFT"
            } else {
                "CIRCULATING"
            },
            versions: vec![Version {
                body,
                author_id: coord.id.clone(),
                author_country: lead,
            }],
            parts,
            cases,
            final_version: None,
        });
        let si = model.statements.len() - 1;
        let me = Viewer {
            label: by,
            who: Who::Country(lead),
            actor: coord.clone(),
        };
        let errs = check_statement(model, &me, si, &got, "createStatement");
        assert!(errs.is_empty(), "{}", errs.join("\n"));
    }
}

/// The lead invites one or two countries, as INVITED or CO_PENHOLDER (which
/// also promotes, or demotes, a country already taking part).
async fn invite_some(world: &World, rng: &mut StdRng, model: &mut Model, si: usize) {
    let s = &model.statements[si];
    let lead = s.lead;
    let mut pool: Vec<&'static str> = COUNTRIES.iter().copied().filter(|c| *c != lead).collect();
    pool.shuffle(rng);
    pool.truncate(rng.gen_range(1..=2));
    let role = if rng.gen_bool(0.4) {
        Some("CO_PENHOLDER")
    } else if rng.gen_bool(0.5) {
        Some("INVITED")
    } else {
        None
    };
    let (coord, _) = world.coordinator(rng, lead);
    invite(coord, &s.id, &pool, role).await.data();
    let role = role.unwrap_or("INVITED");
    let s = &mut model.statements[si];
    for c in pool {
        match s.parts.get_mut(c) {
            Some(p) => {
                if p.role != role {
                    p.role = role;
                    model.stats.role_changes += 1;
                }
            }
            None => {
                s.parts.insert(
                    c,
                    Part {
                        role,
                        sig: Sig::Pending,
                    },
                );
            }
        }
    }
    s.status = "CIRCULATING";
    model.stats.invites += 1;
}

/// The lead or a co-penholder's coordinator revises on the current version
/// (after, now and then, a refused attempt on a stale base).
async fn revise_one(world: &World, rng: &mut StdRng, model: &mut Model, si: usize) {
    let s = &model.statements[si];
    let pens: Vec<&'static str> = s
        .parts
        .iter()
        .filter(|(_, p)| matches!(p.role, "LEAD" | "CO_PENHOLDER"))
        .map(|(c, _)| *c)
        .collect();
    let c = *pens.choose(rng).expect("the lead holds the pen");
    let (coord, by) = world.coordinator(rng, c);
    let current = s.current();
    let body = format!(
        "{}: version {} by {c}.\nThe undersigned missions urge restraint.",
        s.label,
        current + 1
    );
    if current > 1 && rng.gen_bool(0.4) {
        let base = rng.gen_range(1..current);
        let r = revise(coord, &s.id, base, "A text on a stale base.\n").await;
        refused(
            &r,
            "CONFLICT",
            &format!("{by} revises {} on {base}", s.label),
        );
        assert_eq!(
            r.body["errors"][0]["extensions"]["currentVersion"], current,
            "{}",
            r.body
        );
        model.stats.refused_stale_base += 1;
    }
    revise(coord, &s.id, current, &body).await.data();
    let author_id = coord.id.clone();
    let s = &mut model.statements[si];
    s.versions.push(Version {
        body,
        author_id,
        author_country: c,
    });
    for p in s.parts.values_mut() {
        if let Sig::Approved(v) = p.sig {
            p.sig = Sig::Stale(v);
        }
    }
    model.stats.revisions += 1;
}

/// A participating country answers: approves the current version, declines,
/// or withdraws its approval.
async fn answer_one(world: &World, rng: &mut StdRng, model: &mut Model, si: usize, what: u8) {
    let s = &model.statements[si];
    let id = s.id.clone();
    let current = s.current();
    match what {
        0 => {
            let c = *s
                .parts
                .keys()
                .copied()
                .collect::<Vec<_>>()
                .choose(rng)
                .expect("lead");
            let (actor, _) = world.signer(rng, c);
            approve(actor, &id, current).await.data();
            let p = model.statements[si].parts.get_mut(c).expect("part");
            p.sig = Sig::Approved(current);
            model.stats.approvals += 1;
        }
        1 => {
            let c = *s
                .parts
                .keys()
                .copied()
                .collect::<Vec<_>>()
                .choose(rng)
                .expect("lead");
            let (actor, _) = world.signer(rng, c);
            let reason = rng
                .gen_bool(0.6)
                .then(|| format!("{c} cannot join {}", s.label));
            decline(actor, &id, reason.as_deref().unwrap_or(""))
                .await
                .data();
            let p = model.statements[si].parts.get_mut(c).expect("part");
            p.sig = Sig::Declined(reason);
            model.stats.declines += 1;
        }
        _ => {
            let approving: Vec<&'static str> = s
                .parts
                .iter()
                .filter(|(_, p)| matches!(p.sig, Sig::Approved(_) | Sig::Stale(_)))
                .map(|(c, _)| *c)
                .collect();
            let c = match approving.choose(rng).copied() {
                Some(c) => c,
                None => {
                    // Nobody's approval to withdraw: one approves first.
                    let c = *s
                        .parts
                        .keys()
                        .copied()
                        .collect::<Vec<_>>()
                        .choose(rng)
                        .expect("lead");
                    let (actor, _) = world.signer(rng, c);
                    approve(actor, &id, current).await.data();
                    model.stats.approvals += 1;
                    c
                }
            };
            let (actor, _) = world.signer(rng, c);
            withdraw(actor, &id).await.data();
            let p = model.statements[si].parts.get_mut(c).expect("part");
            p.sig = Sig::Pending;
            model.stats.withdrawals += 1;
        }
    }
}

/// A write by someone who does not see the statement: answered exactly as
/// for a missing statement.
async fn outsider_write(world: &World, rng: &mut StdRng, model: &mut Model, si: usize) {
    let s = &model.statements[si];
    let outsiders: Vec<&'static str> = COUNTRIES
        .iter()
        .copied()
        .chain([BYSTANDER])
        .filter(|c| !s.parts.contains_key(c))
        .collect();
    let (actor, by) = match outsiders.choose(rng) {
        Some(c) if rng.gen_bool(0.8) => world.signer(rng, c),
        _ => (&world.liaison, "LIAISON".to_owned()),
    };
    let current = s.current();
    let missing = missing_id("Statement");
    let (got, want) = match rng.gen_range(0..4) {
        0 => (
            approve(actor, &s.id, current).await,
            approve(actor, &missing, current).await,
        ),
        1 => (
            decline(actor, &s.id, "no").await,
            decline(actor, &missing, "no").await,
        ),
        2 => (
            revise(actor, &s.id, current, "Outsider text.\n").await,
            revise(actor, &missing, current, "Outsider text.\n").await,
        ),
        _ => (
            finalize(actor, &s.id).await,
            finalize(actor, &missing).await,
        ),
    };
    assert!(
        got.body == want.body && got.code() == "NOT_FOUND",
        "{by} writes on {} it does not see: expected exactly {}, got {}",
        model.describe(si),
        want.body,
        model.show(&got.body)
    );
    model.stats.refused_outsider_writes += 1;
}

/// Random work on every statement but the first.
async fn activity(world: &World, rng: &mut StdRng, model: &mut Model) {
    for si in 1..model.statements.len() {
        for _ in 0..rng.gen_range(3..=8) {
            match rng.gen_range(0..14) {
                0..=2 => invite_some(world, rng, model, si).await,
                3 => {
                    let others = model.statements[si].others();
                    if let Some(c) = others.choose(rng).copied() {
                        let (coord, _) = world.coordinator(rng, model.statements[si].lead);
                        uninvite(coord, &model.statements[si].id, &[c]).await.data();
                        model.statements[si].parts.remove(c);
                        model.stats.uninvites += 1;
                        assert_lost_at_once(world, model, si, c).await;
                    }
                }
                4..=5 => revise_one(world, rng, model, si).await,
                6..=9 => answer_one(world, rng, model, si, 0).await,
                10 => answer_one(world, rng, model, si, 1).await,
                11 => answer_one(world, rng, model, si, 2).await,
                _ => outsider_write(world, rng, model, si).await,
            }
        }
    }
}

/// Some statements are answered by every participant and finalized (a
/// public one about a case without consent to public advocacy first
/// refused, then finalized once the defender consents); one is delivered.
async fn finalize_some(world: &World, rng: &mut StdRng, model: &mut Model) {
    let mut candidates: Vec<usize> = (1..model.statements.len())
        .filter(|si| model.statements[*si].parts.len() >= 2)
        .collect();
    candidates.shuffle(rng);
    // A public statement with a case lacking consent first, when there is one.
    candidates.sort_by_key(|si| {
        let s = &model.statements[*si];
        let blocked = matches!(s.kind, "PUBLIC_STATEMENT" | "PRESS_RELEASE")
            && s.cases.iter().any(|k| !model.cases[*k].public_consent);
        !blocked
    });
    for (n, si) in candidates.into_iter().take(3).enumerate() {
        let current = model.statements[si].current();
        let id = model.statements[si].id.clone();
        let lead = model.statements[si].lead;
        let waiting: Vec<&'static str> = model.statements[si]
            .parts
            .iter()
            .filter(|(_, p)| p.sig != Sig::Approved(current) && !matches!(p.sig, Sig::Declined(_)))
            .map(|(c, _)| *c)
            .collect();
        for c in waiting {
            let (actor, _) = world.signer(rng, c);
            if c == lead || rng.gen_bool(0.75) {
                approve(actor, &id, current).await.data();
                model.statements[si].parts.get_mut(c).expect("part").sig = Sig::Approved(current);
                model.stats.approvals += 1;
            } else {
                decline(actor, &id, "").await.data();
                model.statements[si].parts.get_mut(c).expect("part").sig = Sig::Declined(None);
                model.stats.declines += 1;
            }
        }
        if model.statements[si].parts[lead].sig != Sig::Approved(current) {
            let (actor, _) = world.signer(rng, lead);
            approve(actor, &id, current).await.data();
            model.statements[si].parts.get_mut(lead).expect("lead").sig = Sig::Approved(current);
        }
        let (coord, _) = world.coordinator(rng, lead);
        let s = &model.statements[si];
        let blocked: Vec<usize> = if matches!(s.kind, "PUBLIC_STATEMENT" | "PRESS_RELEASE") {
            s.cases
                .iter()
                .copied()
                .filter(|k| !model.cases[*k].public_consent)
                .collect()
        } else {
            Vec::new()
        };
        if !blocked.is_empty() {
            refused(
                &finalize(coord, &id).await,
                "CONSENT_REQUIRED",
                &format!("finalizing {}", model.describe(si)),
            );
            model.stats.refused_consent_required += 1;
            for k in blocked {
                let (owner_coord, _) = world.coordinator(rng, model.cases[k].owner);
                let share_consent = model.cases[k].share_consent;
                record_consent(owner_coord, &model.cases[k].id, share_consent, true).await;
                model.cases[k].public_consent = true;
            }
        }
        let r = finalize(coord, &id).await;
        let s = &mut model.statements[si];
        s.status = "FINAL";
        s.final_version = Some(current);
        model.stats.finalized += 1;
        let want = model.signatories(&model.statements[si]);
        assert_eq!(
            r.data()["finalizeStatement"]["signatories"],
            json!(want),
            "{}",
            model.describe(si)
        );
        if n == 0 {
            coord
                .q(DELIVER, json!({ "id": id, "at": Utc::now().to_rfc3339() }))
                .await
                .data();
            model.statements[si].status = "DELIVERED";
            model.stats.delivered += 1;
        }
    }
}

/// Consents to share withdrawn under linked cases; countries removed from
/// invitations (each checked at once), one of them invited back; a
/// revision turns approvals stale.
async fn change(world: &World, rng: &mut StdRng, model: &mut Model) {
    let linked: BTreeSet<usize> = model
        .statements
        .iter()
        .flat_map(|s| s.cases.iter().copied())
        .collect();
    let mut withdrawn = 0;
    for (n, k) in linked.iter().copied().enumerate() {
        let case = &model.cases[k];
        let last = n + 1 == linked.len();
        if case.share_consent
            && !case.shares.is_empty()
            && (rng.gen_bool(0.5) || (last && withdrawn == 0))
        {
            let (coord, _) = world.coordinator(rng, case.owner);
            record_consent(coord, &case.id, false, case.public_consent).await;
            model.cases[k].share_consent = false;
            model.stats.consent_withdrawn += 1;
            withdrawn += 1;
        }
    }
    let mut removed: Vec<(usize, &'static str)> = Vec::new();
    for si in 1..model.statements.len() {
        let s = &model.statements[si];
        let others = s.others();
        let Some(c) = others.choose(rng).copied() else {
            continue;
        };
        let (coord, _) = world.coordinator(rng, s.lead);
        if !s.is_open() {
            let r = uninvite(coord, &s.id, &[c]).await;
            refused(
                &r,
                "CONFLICT",
                &format!("uninviting from final {}", s.label),
            );
            continue;
        }
        if removed.len() < 2 || rng.gen_bool(0.5) {
            uninvite(coord, &s.id, &[c]).await.data();
            model.statements[si].parts.remove(c);
            model.stats.uninvites += 1;
            assert_lost_at_once(world, model, si, c).await;
            removed.push((si, c));
        }
    }
    if let Some((si, c)) = removed.first().copied() {
        let (coord, _) = world.coordinator(rng, model.statements[si].lead);
        invite(coord, &model.statements[si].id, &[c], None)
            .await
            .data();
        model.statements[si].parts.insert(
            c,
            Part {
                role: "INVITED",
                sig: Sig::Pending,
            },
        );
        model.stats.reinvited += 1;
    }
    let open: Vec<usize> = (1..model.statements.len())
        .filter(|si| model.statements[*si].is_open())
        .collect();
    if let Some(si) = open.choose(rng).copied() {
        revise_one(world, rng, model, si).await;
    }
}

async fn random_world(app: TestApp) {
    let started = std::time::Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut model = Model::default();
    let world = build_people(&app, &mut rng).await;
    build_cases(&world, &mut rng, &mut model).await;
    create_statements(&world, &mut rng, &mut model).await;
    activity(&world, &mut rng, &mut model).await;
    finalize_some(&world, &mut rng, &mut model).await;
    let built = started.elapsed();
    let mut tally = check_everything(&world, &model, "as built").await;
    change(&world, &mut rng, &mut model).await;
    tally.add(
        &check_everything(
            &world,
            &model,
            "after consents withdrawn and invitations removed",
        )
        .await,
    );
    eprintln!(
        "statement oracle: {} statements, {} cases, {} viewers; {tally:?}; {:?}; \
         built in {built:.1?}, total {:.1?}",
        model.statements.len(),
        model.cases.len(),
        world.viewers.len(),
        model.stats,
        started.elapsed()
    );
    // The world must have exercised what the oracle is about.
    let t = tally;
    assert!(
        t.hidden > 0 && t.as_lead > 0 && t.as_co_penholder > 0 && t.as_invited > 0,
        "{t:?}"
    );
    assert!(t.cases_shown > 0 && t.cases_hidden > 0, "{t:?}");
    for status in STATUSES {
        assert!(
            model.statements.iter().any(|s| s.status == status),
            "no {status} statement"
        );
    }
    let s = &model.stats;
    assert!(
        s.lost_at_once >= 2
            && s.consent_withdrawn > 0
            && s.refused_unseen_case > 0
            && s.refused_outsider_writes > 0
            && s.reinvited > 0,
        "{s:?}"
    );
}

// ---------------------------------------------------------------------------
// The property test: signatures over random action sequences.

const PROP_SEED: u64 = 0x51C0_A7E5_0000_0100;
const PROP_SEEDS: u64 = 6;
const PROP_ACTIONS: usize = 25;

/// A country's last action on a statement since it was (last) invited.
#[derive(Clone, Debug, PartialEq)]
enum Last {
    Nothing,
    /// Approved version `version`, whose text then hashed to `hash`.
    Approved {
        version: i64,
        hash: String,
    },
    Declined(Option<String>),
    Withdrew,
}

struct PPart {
    role: &'static str,
    last: Last,
}

struct PStatement {
    id: String,
    label: String,
    lead: &'static str,
    kind: &'static str,
    bodies: Vec<String>,
    parts: BTreeMap<&'static str, PPart>,
    status: &'static str,
    final_version: Option<i64>,
    deadline: Option<DateTime<Utc>>,
    /// The linked case (owned by the lead) and whether the defender
    /// consented to public advocacy.
    case: Option<(String, bool)>,
}

impl PStatement {
    fn current(&self) -> i64 {
        self.bodies.len() as i64
    }

    fn is_open(&self) -> bool {
        matches!(self.status, "DRAFT" | "CIRCULATING")
    }

    /// The signature the rules derive from the last action: an approval of
    /// the current text is APPROVED, of an older one STALE.
    fn signature(&self, c: &str) -> Value {
        let current = self.current();
        match &self.parts[c].last {
            Last::Nothing | Last::Withdrew => {
                json!({ "status": "PENDING", "version": null, "reason": null })
            }
            Last::Approved { version, .. } if *version == current => {
                json!({ "status": "APPROVED", "version": version, "reason": null })
            }
            Last::Approved { version, .. } => {
                json!({ "status": "STALE", "version": version, "reason": null })
            }
            Last::Declined(r) => json!({ "status": "DECLINED", "version": null, "reason": r }),
        }
    }

    fn approves(&self, c: &str, version: i64) -> bool {
        matches!(&self.parts[c].last, Last::Approved { version: v, .. } if *v == version)
    }

    fn answered(&self, c: &str) -> bool {
        matches!(self.parts[c].last, Last::Declined(_)) || self.approves(c, self.current())
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|(c, p)| format!("{c} {} {:?}", p.role, p.last))
            .collect();
        format!(
            "{} ({} {}, version {}, deadline {:?}, case {:?}, [{}])",
            self.label,
            self.status,
            self.kind,
            self.current(),
            self.deadline,
            self.case,
            parts.join(", ")
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PRole {
    Diplomat,
    Coordinator,
    Admin,
    Liaison,
    Operator,
}

#[derive(Clone, Copy, Debug)]
struct By {
    country: Option<&'static str>,
    role: PRole,
}

impl By {
    fn label(&self) -> String {
        match self.country {
            Some(c) => format!("{:?} of {c}", self.role),
            None => format!("{:?}", self.role),
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Revise { base: i64, body: String },
    Approve(i64),
    Decline(Option<String>),
    Withdraw,
    Invite(Vec<&'static str>, &'static str),
    Uninvite(Vec<&'static str>),
    Finalize,
}

impl Op {
    fn name(&self) -> &'static str {
        match self {
            Op::Revise { .. } => "revise",
            Op::Approve(_) => "approve",
            Op::Decline(_) => "decline",
            Op::Withdraw => "withdraw",
            Op::Invite(..) => "invite",
            Op::Uninvite(_) => "uninvite",
            Op::Finalize => "finalize",
        }
    }
}

/// What the rules say an action does: `Ok`, or the refusal's code (with the
/// current version for a stale one).
type Expect = Result<(), (&'static str, Option<i64>)>;

struct People {
    diplomats: BTreeMap<&'static str, Actor>,
    coordinators: BTreeMap<&'static str, Actor>,
    admins: BTreeMap<&'static str, Actor>,
    liaison: Actor,
    operator: Actor,
}

impl People {
    fn actor(&self, by: By) -> &Actor {
        match (by.role, by.country) {
            (PRole::Diplomat, Some(c)) => &self.diplomats[c],
            (PRole::Coordinator, Some(c)) => &self.coordinators[c],
            (PRole::Admin, Some(c)) => &self.admins[c],
            (PRole::Operator, _) => &self.operator,
            _ => &self.liaison,
        }
    }
}

fn predict(s: &PStatement, by: By, op: &Op, deadline_passed: bool) -> Expect {
    let country = match by.role {
        PRole::Diplomat | PRole::Coordinator | PRole::Admin => by.country,
        PRole::Liaison | PRole::Operator => None,
    };
    let Some(me) = country.and_then(|c| s.parts.get(c)) else {
        return Err(("NOT_FOUND", None));
    };
    if !s.is_open() {
        return Err(("CONFLICT", None));
    }
    let current = s.current();
    let leads = me.role == "LEAD" && by.role == PRole::Coordinator;
    let signs = matches!(by.role, PRole::Diplomat | PRole::Coordinator);
    match op {
        Op::Revise { base, .. } => {
            if !(matches!(me.role, "LEAD" | "CO_PENHOLDER") && by.role == PRole::Coordinator) {
                Err(("FORBIDDEN", None))
            } else if *base != current {
                Err(("CONFLICT", Some(current)))
            } else {
                Ok(())
            }
        }
        Op::Approve(v) => {
            if !signs {
                Err(("FORBIDDEN", None))
            } else if *v != current {
                Err(("CONFLICT", Some(current)))
            } else {
                Ok(())
            }
        }
        Op::Decline(_) => {
            if signs {
                Ok(())
            } else {
                Err(("FORBIDDEN", None))
            }
        }
        Op::Withdraw => {
            let c = country.expect("a country");
            if !signs {
                Err(("FORBIDDEN", None))
            } else if !matches!(s.parts[c].last, Last::Approved { .. }) {
                Err(("BAD_USER_INPUT", None))
            } else {
                Ok(())
            }
        }
        Op::Invite(cs, _) | Op::Uninvite(cs) => {
            if !leads {
                Err(("FORBIDDEN", None))
            } else if cs.contains(&s.lead) {
                Err(("BAD_USER_INPUT", None))
            } else {
                Ok(())
            }
        }
        Op::Finalize => {
            let approved = s.parts.keys().filter(|c| s.approves(c, current)).count();
            let unanswered = s.parts.keys().filter(|c| !s.answered(c)).count();
            let public = matches!(s.kind, "PUBLIC_STATEMENT" | "PRESS_RELEASE");
            if !leads {
                Err(("FORBIDDEN", None))
            } else if approved == 0 || (unanswered > 0 && !deadline_passed) {
                Err(("BAD_USER_INPUT", None))
            } else if public && s.case.as_ref().is_some_and(|(_, consent)| !consent) {
                Err(("CONSENT_REQUIRED", None))
            } else {
                Ok(())
            }
        }
    }
}

/// Applies an action the rules allowed.
fn apply(s: &mut PStatement, by: By, op: &Op) {
    let current = s.current();
    match op {
        Op::Revise { body, .. } => s.bodies.push(body.clone()),
        Op::Approve(v) => {
            let hash = hash(&s.bodies[(*v - 1) as usize]);
            s.parts
                .get_mut(by.country.expect("country"))
                .expect("part")
                .last = Last::Approved { version: *v, hash };
        }
        Op::Decline(r) => {
            s.parts
                .get_mut(by.country.expect("country"))
                .expect("part")
                .last = Last::Declined(r.clone());
        }
        Op::Withdraw => {
            s.parts
                .get_mut(by.country.expect("country"))
                .expect("part")
                .last = Last::Withdrew;
        }
        Op::Invite(cs, role) => {
            for c in cs {
                match s.parts.get_mut(c) {
                    Some(p) => p.role = role,
                    None => {
                        s.parts.insert(
                            *c,
                            PPart {
                                role,
                                last: Last::Nothing,
                            },
                        );
                    }
                }
            }
            s.status = "CIRCULATING";
        }
        Op::Uninvite(cs) => {
            for c in cs {
                s.parts.remove(c);
            }
        }
        Op::Finalize => {
            s.status = "FINAL";
            s.final_version = Some(current);
        }
    }
}

/// Sends an action on statement `id`.
async fn perform(actor: &Actor, id: &str, op: &Op) -> Resp {
    match op {
        Op::Revise { base, body } => revise(actor, id, *base, body).await,
        Op::Approve(v) => approve(actor, id, *v).await,
        Op::Decline(r) => decline(actor, id, r.as_deref().unwrap_or("")).await,
        Op::Withdraw => withdraw(actor, id).await,
        Op::Invite(cs, role) => invite(actor, id, cs, Some(role)).await,
        Op::Uninvite(cs) => uninvite(actor, id, cs).await,
        Op::Finalize => finalize(actor, id).await,
    }
}

const PROP_FIELDS: &str = "query($id: ID!) { statement(id: $id) { status myRole
    currentVersion { number body contentHash } versions { number contentHash }
    participants { country role signature { status version reason } }
    signatories finalVersion { number } } }";

#[derive(Default, Debug)]
struct PStats {
    steps: usize,
    statements: usize,
    /// "<op> <outcome>" → how often.
    outcomes: BTreeMap<String, usize>,
    finalized: usize,
    finalized_after_deadline: usize,
    /// Participants left out of the signatories while their last action
    /// approved an older version (STALE at finalization).
    stale_left_out: usize,
    /// Participants left out while they had declined, withdrawn or not answered.
    others_left_out: usize,
    refused_after_final: usize,
    deadlines_passed: usize,
    approvals_checked: usize,
}

struct Prop<'a> {
    app: &'a TestApp,
    people: &'a People,
    /// How far the server's clock has been moved forward.
    shift: Duration,
    stats: PStats,
}

impl Prop<'_> {
    fn server_now(&self) -> DateTime<Utc> {
        Utc::now() + self.shift
    }

    /// A new statement led by a random country, some invited, maybe a
    /// deadline, maybe a case of the lead's linked.
    async fn open(&mut self, rng: &mut StdRng, seed: u64) -> PStatement {
        let lead = *COUNTRIES.choose(rng).expect("lead");
        let mut invited: Vec<&'static str> =
            COUNTRIES.iter().copied().filter(|c| *c != lead).collect();
        invited.shuffle(rng);
        invited.truncate(rng.gen_range(1..=3));
        let kind = *KINDS.choose(rng).expect("kind");
        let coord = &self.people.coordinators[lead];
        let deadline = rng
            .gen_bool(0.7)
            .then(|| self.server_now() + Duration::hours(48));
        let case = if rng.gen_bool(0.6) {
            let created = open_case(coord, "Defender P", "Legal Name").await;
            let id = str_of(&created["id"], "case id");
            let public = rng.gen_bool(0.5);
            if public {
                record_consent(coord, &id, false, true).await;
            }
            Some((id, public))
        } else {
            None
        };
        self.stats.statements += 1;
        let label = format!("seed {seed} statement {}", self.stats.statements);
        let body = format!("{label}, version 1: the undersigned missions are concerned.");
        let r = coord
            .q(
                CREATE,
                json!({ "i": {
                    "title": label, "kind": kind, "hostCountry": "PH", "body": body,
                    "invitedCountries": invited,
                    "caseIds": case.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
                    "deadline": deadline.map(|d| d.to_rfc3339()),
                } }),
            )
            .await;
        let id = str_of(&r.data()["createStatement"]["id"], "statement id");
        let mut parts = BTreeMap::new();
        parts.insert(
            lead,
            PPart {
                role: "LEAD",
                last: Last::Nothing,
            },
        );
        for c in invited {
            parts.insert(
                c,
                PPart {
                    role: "INVITED",
                    last: Last::Nothing,
                },
            );
        }
        let s = PStatement {
            id,
            label,
            lead,
            kind,
            bodies: vec![body],
            parts,
            status: "CIRCULATING",
            final_version: None,
            deadline,
            case,
        };
        self.verify(&s, "created").await;
        s
    }

    fn deadline_passed(&self, s: &PStatement) -> bool {
        s.deadline.is_some_and(|d| d <= self.server_now())
    }

    /// One action: the model's prediction against the API's answer, then
    /// the statement read back against the model.
    async fn act(&mut self, s: &mut PStatement, by: By, op: Op) -> Expect {
        let expect = predict(s, by, &op, self.deadline_passed(s));
        let what = format!("{} {} on {}", by.label(), op.name(), s.describe());
        let actor = self.people.actor(by);
        let r = perform(actor, &s.id, &op).await;
        match expect {
            Ok(()) => {
                r.data();
                if let Op::Finalize = op {
                    self.check_finalized(s, &r);
                }
                apply(s, by, &op);
            }
            Err((code, current)) => {
                refused(&r, code, &what);
                if let Some(current) = current {
                    assert_eq!(
                        r.body["errors"][0]["extensions"]["currentVersion"], current,
                        "{what}: {}",
                        r.body
                    );
                }
                if code == "NOT_FOUND" {
                    let missing = perform(actor, &missing_id("Statement"), &op).await;
                    assert_eq!(
                        r.body, missing.body,
                        "{what}: must answer exactly as for a missing statement"
                    );
                }
            }
        }
        let outcome = match expect {
            Ok(()) => "ok",
            Err((code, _)) => code,
        };
        *self
            .stats
            .outcomes
            .entry(format!("{} {outcome}", op.name()))
            .or_default() += 1;
        self.stats.steps += 1;
        self.verify(s, &what).await;
        expect
    }

    /// Before the model applies a finalization: who is left out, and why.
    fn check_finalized(&mut self, s: &PStatement, r: &Resp) {
        let current = s.current();
        let want: Vec<&str> = s
            .parts
            .keys()
            .copied()
            .filter(|c| s.approves(c, current))
            .collect();
        let got = &r.data()["finalizeStatement"];
        assert_eq!(
            got["signatories"],
            json!(want),
            "finalizing {}: signatories must be the countries whose last action approved \
             version {current}",
            s.describe()
        );
        assert_eq!(got["finalVersion"]["number"], current, "{}", s.describe());
        for p in s.parts.values() {
            match &p.last {
                Last::Approved { version, .. } if *version != current => {
                    self.stats.stale_left_out += 1;
                }
                Last::Approved { .. } => {}
                _ => self.stats.others_left_out += 1,
            }
        }
        self.stats.finalized += 1;
        if self.deadline_passed(s) {
            self.stats.finalized_after_deadline += 1;
        }
    }

    /// The statement as the lead's diplomat reads it, against the model.
    async fn verify(&mut self, s: &PStatement, after: &str) {
        let r = self.people.diplomats[s.lead]
            .q(PROP_FIELDS, json!({ "id": s.id }))
            .await;
        let got = r.data()["statement"].clone();
        let ctx = format!("after {after}");
        assert_eq!(got["status"], s.status, "{ctx}: status: {got}");
        assert_eq!(got["myRole"], "LEAD", "{ctx}");
        let versions: Vec<Value> = s
            .bodies
            .iter()
            .enumerate()
            .map(|(i, b)| json!({ "number": i + 1, "contentHash": hash(b) }))
            .collect();
        assert_eq!(got["versions"], json!(versions), "{ctx}: versions");
        let current = s.bodies.last().expect("a version");
        assert_eq!(
            got["currentVersion"],
            json!({ "number": s.current(), "body": current, "contentHash": hash(current) }),
            "{ctx}: currentVersion"
        );
        let mut order: Vec<&'static str> = s.parts.keys().copied().collect();
        order.sort_by_key(|c| (*c != s.lead, *c));
        let want: Vec<Value> = order
            .iter()
            .map(|c| json!({ "country": c, "role": s.parts[c].role, "signature": s.signature(c) }))
            .collect();
        assert_eq!(
            got["participants"],
            json!(want),
            "{ctx}: participants and signatures (model: {})",
            s.describe()
        );
        // No approval points at a text other than the one approved.
        let listed = got["participants"].as_array().cloned().unwrap_or_default();
        for p in &listed {
            let status = p["signature"]["status"].as_str().unwrap_or("");
            if !matches!(status, "APPROVED" | "STALE") {
                continue;
            }
            let c = p["country"].as_str().unwrap_or("");
            let n = p["signature"]["version"]
                .as_i64()
                .unwrap_or_else(|| panic!("{ctx}: {status} without a version: {p}"));
            let version = got["versions"]
                .as_array()
                .and_then(|vs| vs.iter().find(|v| v["number"] == n))
                .unwrap_or_else(|| panic!("{ctx}: {c} approved version {n}, which is not listed"));
            let Some(PPart {
                last: Last::Approved { hash: approved, .. },
                ..
            }) = s.parts.get(c)
            else {
                panic!("{ctx}: {c} is {status} but its last action was not an approval");
            };
            assert_eq!(
                version["contentHash"].as_str(),
                Some(approved.as_str()),
                "{ctx}: {c}'s approval points at version {n}, whose text is not the one it approved"
            );
            self.stats.approvals_checked += 1;
        }
        let signatories: Vec<&str> = match s.final_version {
            Some(v) => s
                .parts
                .keys()
                .copied()
                .filter(|c| s.approves(c, v))
                .collect(),
            None => Vec::new(),
        };
        assert_eq!(got["signatories"], json!(signatories), "{ctx}: signatories");
        assert_eq!(
            got["finalVersion"],
            s.final_version
                .map_or(Value::Null, |v| json!({ "number": v })),
            "{ctx}: finalVersion"
        );
    }

    /// After finalization every change, by whoever could make it before, is
    /// refused with CONFLICT, and nothing moves.
    async fn nothing_changes(&mut self, rng: &mut StdRng, s: &mut PStatement) {
        let lead = By {
            country: Some(s.lead),
            role: PRole::Coordinator,
        };
        let others: Vec<&'static str> = s.parts.keys().copied().filter(|c| *c != s.lead).collect();
        let signer = By {
            country: Some(*others.choose(rng).unwrap_or(&s.lead)),
            role: if rng.gen_bool(0.5) {
                PRole::Diplomat
            } else {
                PRole::Coordinator
            },
        };
        let outsider = COUNTRIES.iter().copied().find(|c| !s.parts.contains_key(c));
        let current = s.current();
        let attempts = [
            (
                lead,
                Op::Revise {
                    base: current,
                    body: "After the end.\n".into(),
                },
            ),
            (signer, Op::Approve(current)),
            (signer, Op::Decline(Some("Too late".into()))),
            (signer, Op::Withdraw),
            (
                lead,
                Op::Invite(
                    vec![outsider.unwrap_or(others.first().copied().unwrap_or(s.lead))],
                    "INVITED",
                ),
            ),
            (lead, Op::Uninvite(others.iter().take(1).copied().collect())),
            (lead, Op::Finalize),
        ];
        for (by, op) in attempts {
            if let Op::Uninvite(cs) = &op
                && cs.is_empty()
            {
                continue;
            }
            assert_eq!(
                self.act(s, by, op).await,
                Err(("CONFLICT", None)),
                "{}",
                s.describe()
            );
            self.stats.refused_after_final += 1;
        }
    }
}

impl Prop<'_> {
    /// The statement's sign-on deadline passes (the server's clock moves).
    fn deadline_passes(&mut self, s: &PStatement) {
        if let Some(d) = s.deadline.filter(|d| *d > self.server_now()) {
            let by = d - self.server_now() + Duration::hours(1);
            self.app.advance_clock(by);
            self.shift += by;
            self.stats.deadlines_passed += 1;
        }
    }

    /// Countries yet to answer the current text answer it, each with
    /// probability `p`: mostly approving, sometimes declining.
    async fn answer_some(&mut self, rng: &mut StdRng, s: &mut PStatement, p: f64) {
        let waiting: Vec<&'static str> =
            s.parts.keys().copied().filter(|c| !s.answered(c)).collect();
        for c in waiting {
            if !rng.gen_bool(p) {
                continue;
            }
            let role = if rng.gen_bool(0.5) {
                PRole::Diplomat
            } else {
                PRole::Coordinator
            };
            let by = By {
                country: Some(c),
                role,
            };
            let op = if rng.gen_bool(0.8) {
                Op::Approve(s.current())
            } else {
                Op::Decline(None)
            };
            let _ = self.act(s, by, op).await;
        }
    }

    /// An action, then what follows it: after a finalization every change
    /// is tried and refused; after CONSENT_REQUIRED the defender consents to
    /// public advocacy, now and then.
    async fn act_then(&mut self, rng: &mut StdRng, s: &mut PStatement, by: By, op: Op) {
        let finalizing = matches!(op, Op::Finalize);
        match self.act(s, by, op).await {
            Ok(()) if finalizing => self.nothing_changes(rng, s).await,
            Err(("CONSENT_REQUIRED", _)) if rng.gen_bool(0.7) => {
                let (case_id, consent) = s.case.as_mut().expect("a linked case");
                record_consent(&self.people.coordinators[s.lead], case_id, false, true).await;
                *consent = true;
            }
            _ => {}
        }
    }

    /// A common end: some approve, a pen holder revises (their approvals go
    /// stale), some approve the new text, the deadline passes, the lead
    /// finalizes — every step checked like any other.
    async fn endgame(&mut self, rng: &mut StdRng, s: &mut PStatement, step: usize) {
        self.answer_some(rng, s, 0.6).await;
        let pens: Vec<&'static str> = s
            .parts
            .iter()
            .filter(|(_, p)| matches!(p.role, "LEAD" | "CO_PENHOLDER"))
            .map(|(c, _)| *c)
            .collect();
        let pen = By {
            country: pens.choose(rng).copied(),
            role: PRole::Coordinator,
        };
        let body = format!(
            "{}, step {step}: the last revision.\nThe undersigned missions call for release.",
            s.label
        );
        let base = s.current();
        let _ = self.act(s, pen, Op::Revise { base, body }).await;
        self.answer_some(rng, s, 0.5).await;
        if rng.gen_bool(0.8) {
            self.deadline_passes(s);
        }
        let lead = By {
            country: Some(s.lead),
            role: PRole::Coordinator,
        };
        self.act_then(rng, s, lead, Op::Finalize).await;
    }
}

/// Someone taking part: a random participating country's diplomat or
/// coordinator (now and then its admin).
fn participant(rng: &mut StdRng, s: &PStatement) -> By {
    let c = *s
        .parts
        .keys()
        .copied()
        .collect::<Vec<_>>()
        .choose(rng)
        .expect("lead");
    let role = match rng.gen_range(0..20) {
        0..=8 => PRole::Diplomat,
        9..=18 => PRole::Coordinator,
        _ => PRole::Admin,
    };
    By {
        country: Some(c),
        role,
    }
}

/// Mostly the lead's coordinator; sometimes another participant.
fn leader(rng: &mut StdRng, s: &PStatement) -> By {
    if rng.gen_bool(0.8) {
        By {
            country: Some(s.lead),
            role: if rng.gen_bool(0.9) {
                PRole::Coordinator
            } else {
                PRole::Diplomat
            },
        }
    } else {
        participant(rng, s)
    }
}

/// Someone who does not take part: another country's user, a liaison, the
/// operator.
fn outsider(rng: &mut StdRng, s: &PStatement) -> By {
    let countries: Vec<&'static str> = COUNTRIES
        .iter()
        .copied()
        .chain([BYSTANDER])
        .filter(|c| !s.parts.contains_key(c))
        .collect();
    match rng.gen_range(0..10) {
        0 => By {
            country: None,
            role: PRole::Liaison,
        },
        1 => By {
            country: None,
            role: PRole::Operator,
        },
        n => By {
            country: Some(*countries.choose(rng).expect("the bystander at least")),
            role: match n % 3 {
                0 => PRole::Diplomat,
                1 => PRole::Coordinator,
                _ => PRole::Admin,
            },
        },
    }
}

/// A random action on `s`.
fn random_op(rng: &mut StdRng, s: &PStatement, step: usize) -> (By, Op) {
    let current = s.current();
    let old = |rng: &mut StdRng| {
        if current > 1 && rng.gen_bool(0.7) {
            rng.gen_range(1..current)
        } else {
            current + 1
        }
    };
    match rng.gen_range(0..100) {
        0..=16 => {
            let base = if rng.gen_bool(0.8) { current } else { old(rng) };
            let body = format!(
                "{}, step {step}: revised text {}.\nThe undersigned missions urge restraint.",
                s.label,
                rng.gen_range(0..1_000_000)
            );
            (leader(rng, s), Op::Revise { base, body })
        }
        17..=43 => {
            let v = if rng.gen_bool(0.75) {
                current
            } else {
                old(rng)
            };
            (participant(rng, s), Op::Approve(v))
        }
        44..=51 => {
            let reason = rng
                .gen_bool(0.5)
                .then(|| format!("Declined at step {step}"));
            (participant(rng, s), Op::Decline(reason))
        }
        52..=59 => (participant(rng, s), Op::Withdraw),
        60..=67 => {
            let mut cs: Vec<&'static str> = COUNTRIES.to_vec();
            cs.shuffle(rng);
            cs.truncate(rng.gen_range(1..=2));
            if rng.gen_bool(0.7) {
                cs.retain(|c| *c != s.lead);
                if cs.is_empty() {
                    cs.push(if s.lead == COUNTRIES[0] {
                        COUNTRIES[1]
                    } else {
                        COUNTRIES[0]
                    });
                }
            }
            let role = if rng.gen_bool(0.35) {
                "CO_PENHOLDER"
            } else {
                "INVITED"
            };
            (leader(rng, s), Op::Invite(cs, role))
        }
        68..=73 => {
            let mut cs: Vec<&'static str> = s.parts.keys().copied().collect();
            if rng.gen_bool(0.85) {
                cs.retain(|c| *c != s.lead);
            }
            cs.shuffle(rng);
            cs.truncate(1);
            if cs.is_empty() {
                cs.push(BYSTANDER);
            }
            (leader(rng, s), Op::Uninvite(cs))
        }
        _ => (leader(rng, s), Op::Finalize),
    }
}

async fn signatures_follow_random_actions(app: TestApp) {
    let started = std::time::Instant::now();
    let everyone: Vec<&'static str> = COUNTRIES.iter().copied().chain([BYSTANDER]).collect();
    let staff = join_all(everyone.iter().map(|c| {
        let app = &app;
        async move {
            (
                *c,
                app.admin(c).await,
                app.diplomat(c).await,
                app.user("COORDINATOR", c).await,
            )
        }
    }))
    .await;
    let mut people = People {
        diplomats: BTreeMap::new(),
        coordinators: BTreeMap::new(),
        admins: BTreeMap::new(),
        liaison: app.liaison().await,
        operator: app.operator().await,
    };
    for (c, admin, diplomat, coordinator) in staff {
        people.admins.insert(c, admin);
        people.diplomats.insert(c, diplomat);
        people.coordinators.insert(c, coordinator);
    }
    let mut prop = Prop {
        app: &app,
        people: &people,
        shift: Duration::zero(),
        stats: PStats::default(),
    };
    for seed in 0..PROP_SEEDS {
        let mut rng = StdRng::seed_from_u64(PROP_SEED + seed);
        let mut pool: Vec<PStatement> = vec![prop.open(&mut rng, seed).await];
        let mut step = 0;
        while step < PROP_ACTIONS {
            step += 1;
            let latest = pool.len() - 1;
            if !pool[latest].is_open() {
                pool.push(prop.open(&mut rng, seed).await);
                continue;
            }
            let si = if pool.len() > 1 && rng.gen_bool(0.1) {
                rng.gen_range(0..pool.len())
            } else {
                latest
            };
            let s = &mut pool[si];
            match rng.gen_range(0..100) {
                0..=5 => prop.deadline_passes(s),
                6..=12 => prop.answer_some(&mut rng, s, 0.75).await,
                13..=18 => prop.endgame(&mut rng, s, step).await,
                // Someone who does not take part tries anything.
                19..=25 => {
                    let by = outsider(&mut rng, s);
                    let (_, op) = random_op(&mut rng, s, step);
                    let got = prop.act(s, by, op).await;
                    assert_eq!(got, Err(("NOT_FOUND", None)));
                }
                _ => {
                    let (by, op) = random_op(&mut rng, s, step);
                    prop.act_then(&mut rng, s, by, op).await;
                }
            }
        }
    }
    let stats = prop.stats;
    eprintln!(
        "statement property test: {PROP_SEEDS} seeds × {PROP_ACTIONS} actions; {stats:?}; {:.1?}",
        started.elapsed()
    );
    // The sequences must have exercised what the property is about.
    let n = |k: &str| stats.outcomes.get(k).copied().unwrap_or(0);
    assert!(
        stats.finalized >= 3 && stats.finalized_after_deadline > 0 && stats.stale_left_out > 0,
        "{stats:?}"
    );
    assert!(
        n("approve ok") > 0
            && n("approve CONFLICT") > 0
            && n("revise ok") > 0
            && n("revise CONFLICT") > 0
            && n("withdraw ok") > 0
            && n("decline ok") > 0
            && n("uninvite ok") > 0
            && n("invite ok") > 0
            && n("finalize BAD_USER_INPUT") > 0
            && n("approve NOT_FOUND") + n("revise NOT_FOUND") + n("finalize NOT_FOUND") > 0
            && stats.approvals_checked > 0,
        "{stats:?}"
    );
}

on_both_backends! {
    async fn statements_match_the_oracle(app: TestApp) {
        random_world(app).await;
    }

    async fn signatures_hold_over_random_action_sequences(app: TestApp) {
        signatures_follow_random_actions(app).await;
    }
}
