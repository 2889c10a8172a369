//! The leak oracle (SECURITY.md, "How the best test it"): random worlds of
//! countries, coalitions, cases, consents and shares are built through the API,
//! and every viewer's answers — single reads by id, by reference and through
//! `node`, lists with their totals, filters and search — are compared with a
//! small, independent model of docs/RULES.md's visibility rules.
use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::oracle::{
    self, ADD_MEMBER, Level, REMOVE_MEMBER, Target, missing_answer, missing_id, totals_are,
};

/// One world per seed; each world uses its own countries so worlds never touch.
const WORLDS: [(u64, [&str; 6]); 2] = [
    (0x00AC_C0D5_EED0_0001, ["CA", "NL", "DE", "SE", "CH", "FR"]),
    (0x00AC_C0D5_EED0_0002, ["IT", "ES", "BE", "NO", "DK", "AT"]),
];
const HOSTS: [&str; 2] = ["PH", "ID"];
const CATEGORIES: [&str; 10] = [
    "WOMAN_HRD",
    "ENVIRONMENTAL",
    "LAND_RIGHTS",
    "INDIGENOUS",
    "LGBTI",
    "JOURNALIST",
    "LAWYER",
    "TRADE_UNIONIST",
    "STUDENT",
    "OTHER",
];
const RISKS: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const STATUSES: [&str; 6] = [
    "AT_RISK",
    "DETAINED",
    "ON_TRIAL",
    "RELEASED",
    "RELOCATED",
    "CLOSED",
];
const GIVERS: [&str; 3] = ["DEFENDER", "FAMILY", "REPRESENTATIVE"];
/// Page size used to walk every list, so that paging itself is exercised.
const PAGE: i64 = 7;

macro_rules! case_fields {
    () => {
        "id reference pseudonym hostCountry region categories riskLevel status summary \
         ownerCountry visibility createdAt updatedAt \
         identity { legalName contact location notes } \
         consent { shareWithPartners trialObservation publicAdvocacy givenBy recordedAt } \
         shares { country coalition { id name } level }"
    };
}

const CASE_BY_ID: &str = concat!("query($id: ID!) { case(id: $id) { ", case_fields!(), " } }");
const CASE_BY_REF: &str = concat!(
    "query($r: String!) { caseByReference(reference: $r) { ",
    case_fields!(),
    " } }"
);
const NODE: &str = concat!(
    "query($id: ID!) { node(id: $id) { __typename ... on Case { ",
    case_fields!(),
    " } } }"
);
const CASES: &str = concat!(
    "query($first: Int, $after: String, $hostCountry: String, $status: CaseStatus, ",
    "$riskLevel: RiskLevel, $category: CaseCategory, $updatedSince: DateTime, $search: String) { ",
    "cases(first: $first, after: $after, filter: { hostCountry: $hostCountry, status: $status, ",
    "riskLevel: $riskLevel, category: $category, updatedSince: $updatedSince, search: $search }) { ",
    "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ",
    case_fields!(),
    " } } } }"
);
const CREATE_CASE: &str = "mutation($p: String!, $h: String!, $region: String, $cats: [CaseCategory!]!, \
    $risk: RiskLevel!, $status: CaseStatus!, $summary: String, $ln: String, $ct: String, $loc: String, $notes: String) {
    createCase(input: { pseudonym: $p, hostCountry: $h, region: $region, categories: $cats, riskLevel: $risk,
        status: $status, summary: $summary,
        identity: { legalName: $ln, contact: $ct, location: $loc, notes: $notes } }) {
      id reference visibility ownerCountry
      consent { shareWithPartners trialObservation publicAdvocacy } } }";
const RECORD_CONSENT: &str = "mutation($id: ID!, $s: Boolean!, $t: Boolean!, $pa: Boolean!, $g: ConsentGiver!) {
    recordConsent(caseId: $id, input: { shareWithPartners: $s, trialObservation: $t, publicAdvocacy: $pa, givenBy: $g }) {
      consent { shareWithPartners trialObservation publicAdvocacy givenBy } } }";
const CREATE_COALITION: &str = "mutation($i: CreateCoalitionInput!) { createCoalition(input: $i) { id name convener members } }";

// ---------------------------------------------------------------------------
// The model: docs/RULES.md's rules, written from the rules alone.

struct Coalition {
    id: String,
    name: String,
    convener: String,
    members: BTreeSet<String>,
}

#[derive(Clone, Default)]
struct Consent {
    share: bool,
    trial: bool,
    public: bool,
    /// `None` until consent is first recorded.
    given_by: Option<&'static str>,
}

struct Identity {
    legal_name: String,
    contact: String,
    location: String,
    notes: Option<String>,
}

struct Case {
    id: String,
    reference: String,
    pseudonym: String,
    host: &'static str,
    region: Option<String>,
    categories: BTreeSet<&'static str>,
    risk: &'static str,
    status: &'static str,
    summary: Option<String>,
    owner: String,
    identity: Identity,
    consent: Consent,
    shares: BTreeMap<Target, Level>,
    /// Unique words, to aim `search` at one field of one case.
    pseudonym_word: String,
    region_word: Option<String>,
    summary_word: Option<String>,
    identity_word: String,
}

struct Model {
    coalitions: Vec<Coalition>,
    cases: Vec<Case>,
    /// Words that several cases' summaries share.
    group_words: Vec<String>,
    /// Every word handed out so far (all of one length, so none contains another).
    words: BTreeSet<String>,
    /// An instant before any case existed, for `updatedSince`.
    before_the_world: String,
}

impl Model {
    /// The viewer's level for a case: OWNER for the owner country; otherwise,
    /// while consent to share holds, the highest direct or coalition share
    /// reaching the viewer's country as of now; otherwise nothing.
    fn level(&self, viewer: Option<&str>, case: &Case) -> Option<Level> {
        let country = viewer?;
        if country == case.owner {
            return Some(Level::Owner);
        }
        if !case.consent.share {
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

    fn coalition(&self, id: &str) -> &Coalition {
        self.coalitions
            .iter()
            .find(|c| c.id == id)
            .expect("coalition in the model")
    }

    fn coalition_mut(&mut self, id: &str) -> &mut Coalition {
        self.coalitions
            .iter_mut()
            .find(|c| c.id == id)
            .expect("coalition in the model")
    }

    fn word(&mut self, rng: &mut StdRng) -> String {
        loop {
            let w: String = (0..10)
                .map(|_| char::from(b'a' + rng.gen_range(0..26u8)))
                .collect();
            if self.words.insert(w.clone()) {
                return w;
            }
        }
    }

    fn matches(&self, f: &Filter, case: &Case, level: Level) -> bool {
        let readable = level >= Level::Detail;
        if f.host.is_some_and(|h| h != case.host)
            || f.status.is_some_and(|s| s != case.status)
            || f.risk.is_some_and(|r| r != case.risk)
            || f.category.is_some_and(|c| !case.categories.contains(c))
        {
            return false;
        }
        match f.updated_since {
            Some(Since::BeforeTheWorld) if !readable => return false,
            Some(Since::FarFuture) => return false,
            _ => {}
        }
        if let Some(term) = &f.search {
            let in_reference = case.reference.contains(term.as_str());
            let in_text = readable
                && (case.pseudonym.contains(term.as_str())
                    || case
                        .region
                        .as_deref()
                        .is_some_and(|r| r.contains(term.as_str()))
                    || case
                        .summary
                        .as_deref()
                        .is_some_and(|s| s.contains(term.as_str())));
            if !in_reference && !in_text {
                return false;
            }
        }
        true
    }

    /// The ids a viewer's `cases(filter)` must return, with each case's level.
    fn expected(&self, viewer: Option<&str>, f: &Filter) -> BTreeMap<String, Level> {
        self.cases
            .iter()
            .filter_map(|c| {
                let level = self.level(viewer, c)?;
                self.matches(f, c, level).then(|| (c.id.clone(), level))
            })
            .collect()
    }

    fn by_id(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }
}

#[derive(Clone, Copy, Debug)]
enum Since {
    BeforeTheWorld,
    FarFuture,
}

#[derive(Clone, Debug, Default)]
struct Filter {
    host: Option<&'static str>,
    status: Option<&'static str>,
    risk: Option<&'static str>,
    category: Option<&'static str>,
    updated_since: Option<Since>,
    search: Option<String>,
}

// ---------------------------------------------------------------------------
// Actors.

struct Viewer {
    label: String,
    country: Option<String>,
    actor: Actor,
    /// Holds a copy of the country's identity key (its ADMIN; a DIPLOMAT
    /// does not): owner cases' identities open, instead of IDENTITY_LOCKED.
    custodian: bool,
}

/// An error that is `IDENTITY_LOCKED` / NOT_A_CUSTODIAN on an `identity` field.
fn locked_identity(e: &Value) -> bool {
    e["extensions"]["code"] == "IDENTITY_LOCKED"
        && e["extensions"]["reason"] == "NOT_A_CUSTODIAN"
        && e["path"]
            .as_array()
            .and_then(|p| p.last())
            .is_some_and(|last| last == "identity")
}

struct World {
    countries: Vec<String>,
    admins: BTreeMap<String, Actor>,
    coordinators: BTreeMap<String, Actor>,
    diplomats: BTreeMap<String, Actor>,
}

impl World {
    /// A COORDINATOR (mostly) or the ADMIN of `country`: either may manage its cases.
    fn case_manager(&self, rng: &mut StdRng, country: &str) -> &Actor {
        if rng.gen_bool(0.8) {
            &self.coordinators[country]
        } else {
            &self.admins[country]
        }
    }
}

// ---------------------------------------------------------------------------
// Raw requests: NOT_FOUND bodies are compared byte for byte.

/// A well-formed id of a case that does not exist.
fn random_case_id() -> String {
    missing_id("Case")
}

/// A well-formed reference no case has.
fn missing_reference(model: &Model) -> String {
    let taken: BTreeSet<&str> = model.cases.iter().map(|c| c.reference.as_str()).collect();
    let sample = model
        .cases
        .first()
        .map_or("PH-2026-0001", |c| c.reference.as_str());
    let prefix = sample.rsplit_once('-').map_or(sample, |(p, _)| p);
    let candidate = format!("{prefix}-9999");
    assert!(!taken.contains(candidate.as_str()), "{candidate} exists");
    candidate
}

/// What a viewer gets for a case that does not exist, per query shape.
struct Baseline {
    by_id: Raw,
    by_ref: Raw,
    node: Raw,
}

async fn baseline(viewer: &Viewer, model: &Model) -> Baseline {
    let (a, l) = (&viewer.actor, &viewer.label);
    let id = || json!({ "id": random_case_id() });
    let by_id = missing_answer(a, l, "case", "case", CASE_BY_ID, id()).await;
    let by_ref = json!({ "r": missing_reference(model) });
    let by_ref = missing_answer(a, l, "caseByReference", "case", CASE_BY_REF, by_ref).await;
    let node = missing_answer(a, l, "node", "case", NODE, id()).await;
    Baseline {
        by_id,
        by_ref,
        node,
    }
}

// ---------------------------------------------------------------------------
// The comparison of one case as seen by one viewer.

fn check_case(
    viewer: &Viewer,
    model: &Model,
    case: &Case,
    level: Level,
    got: &Value,
) -> Vec<String> {
    let custodian = viewer.custodian;
    let viewer = viewer.label.as_str();
    let mut errs = Vec::new();
    let mut expect = |field: &str, want: Value, actual: &Value| {
        if &want != actual {
            errs.push(format!(
                "viewer {viewer}: case {}: field {field}: expected {want}, got {actual}",
                case.reference
            ));
        }
    };
    let detail = level >= Level::Detail;
    let owner = level == Level::Owner;
    let or_null = |on: bool, v: Value| if on { v } else { Value::Null };

    expect("id", json!(case.id), &got["id"]);
    expect("reference", json!(case.reference), &got["reference"]);
    expect("hostCountry", json!(case.host), &got["hostCountry"]);
    let categories: Option<BTreeSet<&str>> = got["categories"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    let listed = got["categories"].as_array().map_or(0, Vec::len);
    if categories.as_ref() != Some(&case.categories) || listed != case.categories.len() {
        expect("categories", json!(case.categories), &got["categories"]);
    }
    expect("riskLevel", json!(case.risk), &got["riskLevel"]);
    expect("status", json!(case.status), &got["status"]);
    expect("visibility", json!(level.as_str()), &got["visibility"]);

    expect(
        "pseudonym",
        or_null(detail, json!(case.pseudonym)),
        &got["pseudonym"],
    );
    expect(
        "region",
        or_null(detail, json!(case.region)),
        &got["region"],
    );
    expect(
        "summary",
        or_null(detail, json!(case.summary)),
        &got["summary"],
    );
    expect(
        "ownerCountry",
        or_null(detail, json!(case.owner)),
        &got["ownerCountry"],
    );
    for field in ["createdAt", "updatedAt"] {
        match (detail, &got[field]) {
            (true, Value::String(_)) | (false, Value::Null) => {}
            (true, other) => expect(field, json!("<an instant>"), other),
            (false, other) => expect(field, Value::Null, other),
        }
    }

    let identity = json!({
        "legalName": case.identity.legal_name,
        "contact": case.identity.contact,
        "location": case.identity.location,
        "notes": case.identity.notes,
    });
    expect(
        "identity",
        or_null(owner && custodian, identity),
        &got["identity"],
    );

    if owner {
        let c = &case.consent;
        let consent = &got["consent"];
        expect(
            "consent.shareWithPartners",
            json!(c.share),
            &consent["shareWithPartners"],
        );
        expect(
            "consent.trialObservation",
            json!(c.trial),
            &consent["trialObservation"],
        );
        expect(
            "consent.publicAdvocacy",
            json!(c.public),
            &consent["publicAdvocacy"],
        );
        if let Some(g) = c.given_by {
            expect("consent.givenBy", json!(g), &consent["givenBy"]);
            if !consent["recordedAt"].is_string() {
                expect(
                    "consent.recordedAt",
                    json!("<an instant>"),
                    &consent["recordedAt"],
                );
            }
        }
        let want: Vec<(Value, Value, Value, bool)> = case
            .shares
            .iter()
            .map(|(target, level)| match target {
                Target::Country(c) => (json!(c), Value::Null, json!(level.as_str()), false),
                Target::Coalition(id) => {
                    let coalition = model.coalition(id);
                    (
                        Value::Null,
                        json!({ "id": id, "name": coalition.name }),
                        json!(level.as_str()),
                        !coalition.members.contains(&case.owner),
                    )
                }
            })
            .collect();
        let mut remaining: Vec<(Value, Value, Value)> = got["shares"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        (
                            s["country"].clone(),
                            s["coalition"].clone(),
                            s["level"].clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut same = got["shares"].is_array() && remaining.len() == want.len();
        for (country, coalition, level, owner_left) in &want {
            let exact = (country.clone(), coalition.clone(), level.clone());
            // A coalition the owner's country has since left may show as null
            // to it: a link to an object it can no longer see.
            let hidden = (Value::Null, Value::Null, level.clone());
            match remaining
                .iter()
                .position(|g| *g == exact || (*owner_left && *g == hidden))
            {
                Some(p) => {
                    remaining.remove(p);
                }
                None => same = false,
            }
        }
        if !same || !remaining.is_empty() {
            let want: Vec<Value> = want
                .into_iter()
                .map(|(country, coalition, level, _)| json!({ "country": country, "coalition": coalition, "level": level }))
                .collect();
            expect("shares", json!(want), &got["shares"]);
        }
    } else {
        expect("consent", Value::Null, &got["consent"]);
        expect("shares", Value::Null, &got["shares"]);
    }
    errs
}

/// `case(id)`, `caseByReference` and `node` for one viewer and one case.
async fn check_reads(viewer: &Viewer, model: &Model, case: &Case, base: &Baseline) -> Vec<String> {
    let level = model.level(viewer.country.as_deref(), case);
    let by_id = raw(&viewer.actor, CASE_BY_ID, json!({ "id": case.id })).await;
    let by_ref = raw(&viewer.actor, CASE_BY_REF, json!({ "r": case.reference })).await;
    let node = raw(&viewer.actor, NODE, json!({ "id": case.id })).await;
    let mut errs = Vec::new();
    let shapes = [
        ("case", &by_id, &base.by_id),
        ("caseByReference", &by_ref, &base.by_ref),
        ("node", &node, &base.node),
    ];
    for (shape, r, missing) in shapes {
        let key = shape;
        match level {
            None => {
                if r.status != missing.status || r.text != missing.text {
                    errs.push(format!(
                        "viewer {}: case {}: {shape} must answer exactly as for a missing case \
                         (expected {} {}, got {} {})",
                        viewer.label,
                        case.reference,
                        missing.status,
                        missing.text,
                        r.status,
                        r.text
                    ));
                }
            }
            Some(level) => {
                // The owner country's non-custodian reads the case, its
                // identity refused (and only that).
                let locked = level == Level::Owner && !viewer.custodian;
                let errors = r.body["errors"].as_array().cloned().unwrap_or_default();
                let refused_as_expected = if locked {
                    errors.len() == 1 && locked_identity(&errors[0])
                } else {
                    !r.has_errors()
                };
                if !refused_as_expected || !r.body["data"][key].is_object() {
                    errs.push(format!(
                        "viewer {}: case {}: {shape}: expected the case at {}, got {}",
                        viewer.label,
                        case.reference,
                        level.as_str(),
                        r.text
                    ));
                    continue;
                }
                let got = &r.body["data"][key];
                if shape == "node" && got["__typename"] != "Case" {
                    errs.push(format!(
                        "viewer {}: case {}: node: __typename {}",
                        viewer.label, case.reference, got["__typename"]
                    ));
                }
                errs.extend(
                    check_case(viewer, model, case, level, got)
                        .into_iter()
                        .map(|e| format!("{e} (via {shape})")),
                );
            }
        }
    }
    errs
}

/// Walks every page of `cases(filter)` and compares ids, totals and each node.
async fn check_list(viewer: &Viewer, model: &Model, f: &Filter, what: &str) -> Vec<String> {
    let want = model.expected(viewer.country.as_deref(), f);
    let vars = json!({
        "hostCountry": f.host,
        "status": f.status,
        "riskLevel": f.risk,
        "category": f.category,
        "search": f.search,
        "updatedSince": match f.updated_since {
            None => Value::Null,
            Some(Since::BeforeTheWorld) => json!(model.before_the_world),
            Some(Since::FarFuture) => json!("2999-01-01T00:00:00Z"),
        },
    });
    let ctx = format!("viewer {}: cases({what})", viewer.label);
    let walked = oracle::walk_tolerating(
        &viewer.actor,
        CASES,
        "cases",
        vars,
        PAGE,
        40,
        locked_identity,
    )
    .await;
    let mut errs: Vec<String> = walked
        .errors
        .iter()
        .map(|e| format!("{ctx}: {e}"))
        .collect();
    let totals = walked.totals;
    let mut seen: Vec<String> = Vec::new();
    for node in &walked.nodes {
        let id = node["id"].as_str().unwrap_or("<no id>").to_owned();
        match (want.get(&id), model.by_id(&id)) {
            (Some(level), Some(case)) => errs.extend(
                check_case(viewer, model, case, *level, node)
                    .into_iter()
                    .map(|e| format!("{e} (in cases({what}))")),
            ),
            (None, Some(case)) => errs.push(format!(
                "{ctx}: case {} must not be listed (level {:?}): {node}",
                case.reference,
                model.level(viewer.country.as_deref(), case)
            )),
            (_, None) => errs.push(format!("{ctx}: unknown case listed: {node}")),
        }
        seen.push(id);
    }
    // One IDENTITY_LOCKED per owner case listed to a non-custodian, none else.
    let owned = walked
        .nodes
        .iter()
        .filter(|n| {
            let id = n["id"].as_str().unwrap_or_default();
            want.get(id) == Some(&Level::Owner)
        })
        .count();
    let locked = if viewer.custodian { 0 } else { owned };
    if walked.tolerated.len() != locked {
        errs.push(format!(
            "{ctx}: {} IDENTITY_LOCKED errors for {locked} owner cases not opened: {:?}",
            walked.tolerated.len(),
            walked.tolerated
        ));
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    if unique.len() != seen.len() {
        errs.push(format!("{ctx}: a case was listed twice: {seen:?}"));
    }
    let want_ids: BTreeSet<&String> = want.keys().collect();
    if unique != want_ids {
        let refs = |ids: Vec<&&String>| -> Vec<String> {
            ids.into_iter()
                .map(|id| {
                    model
                        .by_id(id)
                        .map_or_else(|| id.to_string(), |c| c.reference.clone())
                })
                .collect()
        };
        errs.push(format!(
            "{ctx}: missing {:?}, unexpected {:?}",
            refs(want_ids.difference(&unique).collect()),
            refs(unique.difference(&want_ids).collect()),
        ));
    }
    if !totals_are(&totals, want.len()) {
        errs.push(format!(
            "{ctx}: totalCount expected {}, got {totals:?}",
            want.len()
        ));
    }
    errs
}

/// Every list shape for one viewer: the unfiltered walk, filters and searches.
fn list_filters(viewer: &Viewer, model: &Model, rng: &mut StdRng) -> Vec<(Filter, String)> {
    let mut out = vec![(Filter::default(), "no filter".to_owned())];
    let mut statuses = STATUSES.to_vec();
    statuses.shuffle(rng);
    for s in statuses.into_iter().take(2) {
        out.push((
            Filter {
                status: Some(s),
                ..Filter::default()
            },
            format!("status {s}"),
        ));
    }
    let risk = *RISKS.choose(rng).expect("risk");
    out.push((
        Filter {
            risk: Some(risk),
            ..Filter::default()
        },
        format!("riskLevel {risk}"),
    ));
    let category = *CATEGORIES.choose(rng).expect("category");
    out.push((
        Filter {
            category: Some(category),
            ..Filter::default()
        },
        format!("category {category}"),
    ));
    let host = *HOSTS.choose(rng).expect("host");
    out.push((
        Filter {
            host: Some(host),
            ..Filter::default()
        },
        format!("hostCountry {host}"),
    ));
    out.push((
        Filter {
            updated_since: Some(Since::BeforeTheWorld),
            ..Filter::default()
        },
        "updatedSince before the world".to_owned(),
    ));
    out.push((
        Filter {
            updated_since: Some(Since::FarFuture),
            ..Filter::default()
        },
        "updatedSince far future".to_owned(),
    ));

    // Searches aimed at fields this viewer can and cannot read.
    let by_level = |want: &dyn Fn(Option<Level>) -> bool| -> Vec<&Case> {
        model
            .cases
            .iter()
            .filter(|c| want(model.level(viewer.country.as_deref(), c)))
            .collect()
    };
    let summary_only = by_level(&|l| l == Some(Level::Summary));
    let readable = by_level(&|l| l >= Some(Level::Detail));
    let invisible = by_level(&|l| l.is_none());
    let mut search = |term: String, why: &str| {
        out.push((
            Filter {
                search: Some(term.clone()),
                ..Filter::default()
            },
            format!("search {term:?}: {why}"),
        ));
    };
    for (cases, what) in [
        (&summary_only, "seen at SUMMARY"),
        (&invisible, "invisible"),
        (&readable, "readable"),
    ] {
        if let Some(c) = cases.choose(rng) {
            // Only references no other reference contains, so the answer is exact.
            if model
                .cases
                .iter()
                .filter(|o| o.reference.contains(&c.reference))
                .count()
                == 1
            {
                search(c.reference.clone(), &format!("reference of a case {what}"));
            }
        }
    }
    if let Some(c) = summary_only.choose(rng) {
        search(
            c.pseudonym_word.clone(),
            "pseudonym of a case seen at SUMMARY",
        );
        if let Some(w) = c.summary_word.clone().or_else(|| c.region_word.clone()) {
            search(w, "summary or region of a case seen at SUMMARY");
        }
    }
    if let Some(c) = readable.choose(rng) {
        search(c.pseudonym_word.clone(), "pseudonym of a readable case");
    }
    if let Some(c) = invisible.choose(rng) {
        search(c.pseudonym_word.clone(), "pseudonym of an invisible case");
    }
    let all: Vec<&Case> = model.cases.iter().collect();
    if let Some(c) = all.choose(rng) {
        if let Some(w) = c.region_word.clone().or_else(|| c.summary_word.clone()) {
            search(w, "region or summary of any case");
        }
        search(c.identity_word.clone(), "identity (never searchable)");
    }
    if let Some(w) = model.group_words.choose(rng) {
        search(w.clone(), "a word several summaries share");
    }
    out
}

/// Every viewer against each of `cases` (single reads) and against every case
/// (lists, totals, filters, search); returns the number of viewer × case pairs
/// read, by the level the model expects (none, SUMMARY, DETAIL, OWNER). Fails
/// with every discrepancy found.
async fn check_everything(
    viewers: &[&Viewer],
    model: &Model,
    cases: &[&Case],
    seed: u64,
    round: &str,
) -> [usize; 4] {
    let results = join_all(viewers.iter().enumerate().map(|(i, viewer)| async move {
        let mut rng = StdRng::seed_from_u64(seed ^ ((i as u64 + 1) * 0x9E37_79B9));
        let base = baseline(viewer, model).await;
        let mut errs = Vec::new();
        let mut pairs = [0; 4];
        for case in cases {
            errs.extend(check_reads(viewer, model, case, &base).await);
            pairs[model
                .level(viewer.country.as_deref(), case)
                .map_or(0, |l| l as usize + 1)] += 1;
        }
        for (filter, what) in list_filters(viewer, model, &mut rng) {
            errs.extend(check_list(viewer, model, &filter, &what).await);
        }
        (pairs, errs)
    }))
    .await;
    let mut pairs = [0; 4];
    for (p, _) in &results {
        for (total, n) in pairs.iter_mut().zip(p) {
            *total += n;
        }
    }
    let errs: Vec<&String> = results.iter().flat_map(|(_, e)| e).collect();
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

/// One viewer, one case, right now: the three reads must follow the model.
async fn check_now(viewer: &Viewer, model: &Model, case: &Case, what: &str) {
    let base = baseline(viewer, model).await;
    let errs = check_reads(viewer, model, case, &base).await;
    assert!(errs.is_empty(), "{what}:\n{}", errs.join("\n"));
    let errs = check_list(viewer, model, &Filter::default(), what).await;
    assert!(errs.is_empty(), "{what}:\n{}", errs.join("\n"));
}

// ---------------------------------------------------------------------------
// Mutations, each applied to the API and to the model.

async fn create_coalition(
    world: &World,
    model: &mut Model,
    convener: &str,
    members: &[String],
    name: String,
) -> String {
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
    let id = str_of(&c["id"], "coalition id");
    model.coalitions.push(Coalition {
        id: id.clone(),
        name,
        convener: convener.to_owned(),
        members: all,
    });
    id
}

async fn set_member(
    world: &World,
    model: &mut Model,
    coalition: &str,
    country: &str,
    member: bool,
) {
    let convener = model.coalition(coalition).convener.clone();
    let query = if member { ADD_MEMBER } else { REMOVE_MEMBER };
    let r = world.admins[&convener]
        .q(query, json!({ "id": coalition, "c": country }))
        .await;
    let field = if member {
        "addCoalitionMember"
    } else {
        "removeCoalitionMember"
    };
    let c = model.coalition_mut(coalition);
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
}

async fn record_consent(
    world: &World,
    model: &mut Model,
    rng: &mut StdRng,
    idx: usize,
    share: bool,
) {
    let consent = Consent {
        share,
        trial: rng.gen_bool(0.5),
        public: rng.gen_bool(0.5),
        given_by: Some(GIVERS.choose(rng).expect("giver")),
    };
    let case = &mut model.cases[idx];
    let actor = world.case_manager(rng, &case.owner);
    let r = actor
        .q(
            RECORD_CONSENT,
            json!({ "id": case.id, "s": consent.share, "t": consent.trial, "pa": consent.public, "g": consent.given_by }),
        )
        .await;
    let got = &r.data()["recordConsent"]["consent"];
    assert_eq!(
        got["shareWithPartners"],
        json!(share),
        "consent of {}",
        case.reference
    );
    case.consent = consent;
}

async fn share(
    world: &World,
    model: &mut Model,
    rng: &mut StdRng,
    idx: usize,
    target: Target,
    level: Level,
) {
    let case = &model.cases[idx];
    let actor = world.case_manager(rng, &case.owner);
    let n = oracle::share_case(actor, &case.id, &target, level).await;
    let case = &mut model.cases[idx];
    case.shares.insert(target, level);
    assert_eq!(
        n,
        case.shares.len(),
        "shares of {} after shareCase",
        case.reference
    );
}

async fn unshare(world: &World, model: &mut Model, rng: &mut StdRng, idx: usize, target: Target) {
    let case = &model.cases[idx];
    let actor = world.case_manager(rng, &case.owner);
    let n = oracle::unshare_case(actor, &case.id, &target).await;
    let case = &mut model.cases[idx];
    case.shares.remove(&target);
    assert_eq!(
        n,
        case.shares.len(),
        "shares of {} after unshareCase",
        case.reference
    );
}

/// A share target for a case: another country, or a coalition its owner is in.
fn random_target(model: &Model, world: &World, rng: &mut StdRng, owner: &str) -> Target {
    let coalitions: Vec<&Coalition> = model
        .coalitions
        .iter()
        .filter(|c| c.members.contains(owner) && world.countries.contains(&c.convener))
        .collect();
    if !coalitions.is_empty() && rng.gen_bool(0.5) {
        Target::Coalition(coalitions.choose(rng).expect("coalition").id.clone())
    } else {
        let others: Vec<&String> = world.countries.iter().filter(|c| *c != owner).collect();
        Target::Country((*others.choose(rng).expect("country")).clone())
    }
}

fn random_level(rng: &mut StdRng) -> Level {
    if rng.gen_bool(0.5) {
        Level::Summary
    } else {
        Level::Detail
    }
}

/// Whether the owner can still address this share (a coalition it is no longer in is out of its reach).
fn reachable(model: &Model, case: &Case, target: &Target) -> bool {
    match target {
        Target::Country(_) => true,
        Target::Coalition(id) => model.coalition(id).members.contains(&case.owner),
    }
}

async fn build_world(
    app: &TestApp,
    rng: &mut StdRng,
    countries: &[&str],
    model: &mut Model,
    seed: u64,
) -> World {
    let mut countries: Vec<String> = countries.iter().map(|c| (*c).to_owned()).collect();
    countries.truncate(rng.gen_range(5..=6));
    let mut admins = BTreeMap::new();
    for c in &countries {
        admins.insert(c.clone(), app.admin(c).await);
    }
    let users = join_all(
        countries
            .iter()
            .map(|c| async move { (app.user("COORDINATOR", c).await, app.diplomat(c).await) }),
    )
    .await;
    let mut coordinators = BTreeMap::new();
    let mut diplomats = BTreeMap::new();
    for (c, (coord, dip)) in countries.iter().zip(users) {
        coordinators.insert(c.clone(), coord);
        diplomats.insert(c.clone(), dip);
    }
    let world = World {
        countries,
        admins,
        coordinators,
        diplomats,
    };

    for i in 0..rng.gen_range(2..=3) {
        let convener = world.countries.choose(rng).expect("convener").clone();
        let mut others: Vec<String> = world
            .countries
            .iter()
            .filter(|c| **c != convener)
            .cloned()
            .collect();
        others.shuffle(rng);
        others.truncate(rng.gen_range(1..=4));
        create_coalition(
            &world,
            model,
            &convener,
            &others,
            format!("Like-minded group {seed:x}-{i}"),
        )
        .await;
    }

    let group_words: Vec<String> = (0..2).map(|_| model.word(rng)).collect();
    model.group_words.extend(group_words.iter().cloned());
    let first_case = model.cases.len();
    for _ in 0..rng.gen_range(15..=22) {
        let owner = world.countries.choose(rng).expect("owner").clone();
        let pseudonym_word = model.word(rng);
        let region_word = rng.gen_bool(0.75).then(|| model.word(rng));
        let summary_word = rng.gen_bool(0.8).then(|| model.word(rng));
        let identity_word = model.word(rng);
        let summary = summary_word
            .as_ref()
            .map(|w| match group_words.choose(rng) {
                Some(g) if rng.gen_bool(0.4) => format!("Followed since spring; {w}; {g}"),
                _ => format!("Followed since spring; {w}"),
            });
        let mut categories: Vec<&'static str> = CATEGORIES.to_vec();
        categories.shuffle(rng);
        categories.truncate(rng.gen_range(1..=3));
        let case = Case {
            id: String::new(),
            reference: String::new(),
            pseudonym: format!("Defender {pseudonym_word}"),
            host: HOSTS.choose(rng).expect("host"),
            region: region_word.as_ref().map(|w| format!("Province {w}")),
            categories: categories.into_iter().collect(),
            risk: RISKS.choose(rng).expect("risk"),
            status: STATUSES.choose(rng).expect("status"),
            summary,
            owner: owner.clone(),
            identity: Identity {
                legal_name: format!("Legal {identity_word}"),
                contact: format!("+63 917 {}", rng.gen_range(100_000..999_999)),
                location: format!("Barangay {}", rng.gen_range(1..400)),
                notes: rng
                    .gen_bool(0.7)
                    .then(|| "met at the field office".to_owned()),
            },
            consent: Consent::default(),
            shares: BTreeMap::new(),
            pseudonym_word,
            region_word,
            summary_word,
            identity_word,
        };
        let actor = world.case_manager(rng, &owner);
        let r = actor
            .q(
                CREATE_CASE,
                json!({
                    "p": case.pseudonym, "h": case.host, "region": case.region,
                    "cats": case.categories, "risk": case.risk, "status": case.status,
                    "summary": case.summary, "ln": case.identity.legal_name,
                    "ct": case.identity.contact, "loc": case.identity.location,
                    "notes": case.identity.notes,
                }),
            )
            .await;
        let created = &r.data()["createCase"];
        assert_eq!(created["visibility"], "OWNER");
        assert_eq!(created["ownerCountry"], json!(owner));
        assert_eq!(
            created["consent"],
            json!({ "shareWithPartners": false, "trialObservation": false, "publicAdvocacy": false }),
            "a new case has no consent"
        );
        model.cases.push(Case {
            id: str_of(&created["id"], "case id"),
            reference: str_of(&created["reference"], "reference"),
            ..case
        });
    }

    let ours: Vec<usize> = (first_case..model.cases.len()).collect();
    let mut refused_once = false;
    for &idx in &ours {
        match rng.gen_range(0..10) {
            0 => {}
            1 => record_consent(&world, model, rng, idx, false).await,
            _ => record_consent(&world, model, rng, idx, true).await,
        }
        if !model.cases[idx].consent.share {
            if !refused_once {
                // Sharing needs consent, and a refusal changes nothing.
                refused_once = true;
                let case = &model.cases[idx];
                let other = world
                    .countries
                    .iter()
                    .find(|c| **c != case.owner)
                    .expect("other");
                world.coordinators[&case.owner]
                    .q(oracle::SHARE, json!({ "id": case.id, "country": other, "coalition": null, "level": "DETAIL" }))
                    .await
                    .assert_code("CONSENT_REQUIRED");
            }
            continue;
        }
        for _ in 0..rng.gen_range(1..=4) {
            let target = random_target(model, &world, rng, &model.cases[idx].owner.clone());
            let level = random_level(rng);
            share(&world, model, rng, idx, target, level).await;
        }
    }
    world
}

/// Random changes: membership, consent withdrawn or granted again, unshare, re-share.
async fn mutate(world: &World, model: &mut Model, rng: &mut StdRng, first_case: usize, ops: usize) {
    let ours: Vec<usize> = (first_case..model.cases.len()).collect();
    let mut done = 0;
    while done < ops {
        match rng.gen_range(0..6) {
            0 | 1 => {
                let ids: Vec<String> = model
                    .coalitions
                    .iter()
                    .filter(|c| world.countries.contains(&c.convener))
                    .map(|c| c.id.clone())
                    .collect();
                let id = ids.choose(rng).expect("coalition").clone();
                let c = model.coalition(&id);
                let outside: Vec<String> = world
                    .countries
                    .iter()
                    .filter(|x| !c.members.contains(*x))
                    .cloned()
                    .collect();
                let removable: Vec<String> = c
                    .members
                    .iter()
                    .filter(|x| **x != c.convener)
                    .cloned()
                    .collect();
                let add = rng.gen_bool(0.5);
                match (add, outside.choose(rng), removable.choose(rng)) {
                    (true, Some(x), _) => set_member(world, model, &id, x, true).await,
                    (false, _, Some(x)) => set_member(world, model, &id, x, false).await,
                    _ => continue,
                }
            }
            2 => {
                let idx = *ours.choose(rng).expect("case");
                let share = !model.cases[idx].consent.share;
                record_consent(world, model, rng, idx, share).await;
            }
            3 => {
                let idx = *ours.choose(rng).expect("case");
                let case = &model.cases[idx];
                let targets: Vec<Target> = case
                    .shares
                    .keys()
                    .filter(|t| reachable(model, case, t))
                    .cloned()
                    .collect();
                match targets.choose(rng) {
                    Some(t) if case.consent.share => {
                        unshare(world, model, rng, idx, t.clone()).await
                    }
                    _ => continue,
                }
            }
            _ => {
                let idx = *ours.choose(rng).expect("case");
                let case = &model.cases[idx];
                if !case.consent.share {
                    continue;
                }
                let existing: Vec<(Target, Level)> = case
                    .shares
                    .iter()
                    .filter(|(t, _)| reachable(model, case, t))
                    .map(|(t, l)| (t.clone(), *l))
                    .collect();
                let (target, level) = match existing.choose(rng) {
                    // Share again with the same target at the other level.
                    Some((t, l)) if rng.gen_bool(0.6) => (
                        t.clone(),
                        if *l == Level::Detail {
                            Level::Summary
                        } else {
                            Level::Detail
                        },
                    ),
                    _ => (
                        random_target(model, world, rng, &case.owner.clone()),
                        random_level(rng),
                    ),
                };
                share(world, model, rng, idx, target, level).await;
            }
        }
        done += 1;
    }
}

/// A membership change and a consent withdrawal take effect on the very next request.
async fn immediate_effects(
    world: &World,
    model: &mut Model,
    rng: &mut StdRng,
    first_case: usize,
    seed: u64,
) {
    let ours: Vec<usize> = (first_case..model.cases.len()).collect();
    let idx = *ours.choose(rng).expect("case");
    if !model.cases[idx].consent.share {
        record_consent(world, model, rng, idx, true).await;
    }
    let owner = model.cases[idx].owner.clone();
    let others: Vec<String> = world
        .countries
        .iter()
        .filter(|c| **c != owner)
        .cloned()
        .collect();
    // The viewer: preferably a country that does not see the case yet.
    let x = others
        .iter()
        .min_by_key(|c| model.level(Some(c.as_str()), &model.cases[idx]))
        .expect("viewer country")
        .clone();
    let y = others
        .iter()
        .find(|c| **c != x)
        .expect("another country")
        .clone();
    let viewer = Viewer {
        label: format!("DIPLOMAT of {x}"),
        country: Some(x.clone()),
        actor: world.diplomats[&x].clone(),
        custodian: false,
    };
    let k = create_coalition(
        world,
        model,
        &owner,
        std::slice::from_ref(&y),
        format!("Rapid response {seed:x}"),
    )
    .await;
    share(
        world,
        model,
        rng,
        idx,
        Target::Coalition(k.clone()),
        Level::Detail,
    )
    .await;

    let reference = model.cases[idx].reference.clone();
    let step = |what: &str| format!("{what} (case {reference}, viewer {x})");
    let what = step("before joining the coalition");
    check_now(&viewer, model, &model.cases[idx], &what).await;

    set_member(world, model, &k, &x, true).await;
    assert!(model.level(Some(x.as_str()), &model.cases[idx]) >= Some(Level::Detail));
    let what = step("right after joining the coalition");
    check_now(&viewer, model, &model.cases[idx], &what).await;

    set_member(world, model, &k, &x, false).await;
    let what = step("right after leaving the coalition");
    check_now(&viewer, model, &model.cases[idx], &what).await;

    set_member(world, model, &k, &x, true).await;
    let what = step("right after joining again");
    check_now(&viewer, model, &model.cases[idx], &what).await;

    record_consent(world, model, rng, idx, false).await;
    assert_eq!(model.level(Some(x.as_str()), &model.cases[idx]), None);
    let what = step("right after consent was withdrawn");
    check_now(&viewer, model, &model.cases[idx], &what).await;

    record_consent(world, model, rng, idx, true).await;
    let what = step("right after consent was given again");
    check_now(&viewer, model, &model.cases[idx], &what).await;
}

/// Reads `reads` (indexes into the model's cases) one by one, and every list.
async fn check_round(
    viewers: &[&Viewer],
    model: &Model,
    reads: &[usize],
    seed: u64,
    round: &str,
) -> [usize; 4] {
    let cases: Vec<&Case> = reads.iter().map(|i| &model.cases[*i]).collect();
    check_everything(viewers, model, &cases, seed, round).await
}

async fn random_worlds(app: TestApp) {
    let started = std::time::Instant::now();
    let liaison = Viewer {
        label: "LIAISON".into(),
        country: None,
        actor: app.liaison().await,
        custodian: false,
    };
    let operator = Viewer {
        label: "OPERATOR".into(),
        country: None,
        actor: app.operator().await,
        custodian: false,
    };
    let mut model = Model {
        coalitions: Vec::new(),
        cases: Vec::new(),
        group_words: Vec::new(),
        words: BTreeSet::new(),
        before_the_world: (chrono::Utc::now() - chrono::Duration::minutes(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let mut pairs = [0; 4];
    for (seed, countries) in WORLDS {
        let mut rng = StdRng::seed_from_u64(seed);
        let first_case = model.cases.len();
        let world = build_world(&app, &mut rng, &countries, &mut model, seed).await;
        let mut viewers: Vec<Viewer> = world
            .countries
            .iter()
            .map(|c| Viewer {
                label: format!("DIPLOMAT of {c}"),
                country: Some(c.clone()),
                actor: world.diplomats[c].clone(),
                custodian: false,
            })
            .collect();
        let c = world.countries.choose(&mut rng).expect("country").clone();
        viewers.push(Viewer {
            label: format!("ADMIN of {c}"),
            country: Some(c.clone()),
            actor: world.admins[&c].clone(),
            custodian: true,
        });
        let all: Vec<&Viewer> = viewers.iter().chain([&liaison, &operator]).collect();
        // Single reads: this world's cases and a few from earlier worlds
        // (lists, totals and search always span every case).
        let mut reads: Vec<usize> = (0..first_case).collect();
        reads.shuffle(&mut rng);
        reads.truncate(3);
        reads.extend(first_case..model.cases.len());

        let mut tally = |counts: [usize; 4]| {
            for (total, n) in pairs.iter_mut().zip(counts) {
                *total += n;
            }
        };
        if first_case == 0 {
            let round = format!("world {seed:x}, as built");
            tally(check_round(&all, &model, &reads, seed, &round).await);
            assert_access_index_holds(&app, &round).await;
        }
        mutate(&world, &mut model, &mut rng, first_case, 14).await;
        let round = format!("world {seed:x}, after random changes");
        tally(check_round(&all, &model, &reads, seed + 1, &round).await);
        assert_access_index_holds(&app, &round).await;
        immediate_effects(&world, &mut model, &mut rng, first_case, seed).await;
        mutate(&world, &mut model, &mut rng, first_case, 8).await;
        let round = format!("world {seed:x}, final");
        tally(check_round(&all, &model, &reads, seed + 2, &round).await);
        assert_access_index_holds(&app, &round).await;
    }
    eprintln!(
        "visibility oracle: {} viewer x case pairs (not visible {}, SUMMARY {}, DETAIL {}, OWNER {}) \
         over {} cases and {} coalitions in {:.1?}",
        pairs.iter().sum::<usize>(),
        pairs[0],
        pairs[1],
        pairs[2],
        pairs[3],
        model.cases.len(),
        model.coalitions.len(),
        started.elapsed()
    );
}

on_both_backends! {
    async fn random_worlds_match_the_oracle(app: TestApp) {
        random_worlds(app).await;
    }
}
