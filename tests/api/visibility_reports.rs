//! The leak oracle for attack reports (docs/RULES.md "Visibility" rules 3, 5 and
//! 7, and the AttackReport contract). A random world of organizations and
//! their liaisons, countries with diplomats, coordinators and admins, cases
//! with consents and shares, and reports with random recipients, priors and
//! triage (acknowledge, link, close) is built through the API; consents and
//! shares then change under the links. After the world is built and again
//! after the changes, every viewer's answers are compared with a small,
//! independent model: `attackReport(id)` and `node(id)` (the report, or byte
//! for byte the answer for a missing id), `attackReports` walked page by page
//! with its totals, unfiltered and under every filter value, each report's
//! `responses`, `recipientCountries`, `myResponse`, `organization`,
//! `priorReports` and `cases`, and `case(id) { attackReports }` for every
//! case.
//!
//! The model, from the rules alone:
//! - a report is seen by every liaison of the organization that submitted it
//!   and by the mission users (diplomat, coordinator, admin) of each
//!   recipient country; a diplomat or coordinator who submits makes their
//!   own country a recipient (and the report has no organization); nobody
//!   else sees it: NOT_FOUND exactly as a missing id, not listed, not
//!   counted;
//! - `responses` (one per recipient, by country) and `recipientCountries`
//!   show to whoever sees the report; `myResponse` is the viewer's own
//!   country's response (null for liaisons);
//! - `priorReports` lists, oldest first, the priors the viewer also sees;
//! - `cases` lists, by case id, the cases any recipient linked the report
//!   to that the viewer sees (owner country; or a country it is shared with
//!   while consent to share stands; never a liaison);
//! - `Case.attackReports` lists, in incident order, the linked reports the
//!   viewer sees, on cases the viewer sees;
//! - filters: `state` is the viewer's own country's response state (a
//!   liaison: any response), `from`/`to` are inclusive incident dates; lists
//!   are newest submission first; totals obey scope and filter alike.
use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::builders::{acknowledge, close, consent, link, open_case, report_input, share};
use crate::helpers::*;
use crate::on_both_backends;
use crate::oracle::{self, Level, missing_answer, missing_id, refused, totals_are, uuid_of};

/// Countries that send and receive reports (other oracles use others).
const COUNTRIES: [&str; 5] = ["SE", "DK", "NO", "AT", "BE"];
/// Owns a case shared with recipients, but never receives a report.
const BYSTANDER: &str = "CZ";
const SEED: u64 = 0x00A7_7AC4_5EED_0003;
const HOSTS: [&str; 3] = ["PH", "CO", "GT"];
const UNUSED_HOST: &str = "MX";
const TYPES: [&str; 5] = [
    "THREAT",
    "SURVEILLANCE",
    "RAID",
    "JUDICIAL_HARASSMENT",
    "DIGITAL_ATTACK",
];
const UNUSED_TYPE: &str = "KILLING";
const STATES: [&str; 5] = [
    "RECEIVED",
    "ACKNOWLEDGED",
    "LINKED",
    "NO_ACTION",
    "ESCALATED",
];
/// Few dates, so that several reports share a day and `from`/`to` bounds
/// fall on reports.
const DATES: [&str; 6] = [
    "2025-02-10",
    "2025-03-15",
    "2025-03-16",
    "2025-05-01",
    "2025-07-20",
    "2025-09-09",
];
/// Local times in Asia/Manila (the default timezone of `report_input`).
const TIMES: [Option<&str>; 3] = [None, Some("08:15"), Some("21:40")];
const ORGS: usize = 3;
const CASES: usize = 8;
const REPORTS: usize = 15;
/// Page size for walking `attackReports`, so that paging itself is exercised.
const PAGE: i64 = 3;

macro_rules! report_fields {
    () => {
        "id reference hostCountry incidentDate incidentTime attackTypes description \
         organization { id } recipientCountries responses { country state note } \
         myResponse { country state } cases { id visibility } priorReports { id }"
    };
}

const REPORT: &str = concat!(
    "query($id: ID!) { attackReport(id: $id) { ",
    report_fields!(),
    " } }"
);
const NODE: &str = concat!(
    "query($id: ID!) { node(id: $id) { __typename ... on AttackReport { ",
    report_fields!(),
    " } } }"
);
const LIST: &str = concat!(
    "query($f: AttackReportFilter, $first: Int, $after: String) { ",
    "attackReports(filter: $f, first: $first, after: $after) { ",
    "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ",
    report_fields!(),
    " } } } }"
);
const LIST_IDS: &str = "query($f: AttackReportFilter, $first: Int, $after: String) {
    attackReports(filter: $f, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }";
const SUBMIT: &str = concat!(
    "mutation($i: SubmitAttackReportInput!) { submitAttackReport(input: $i) { ",
    report_fields!(),
    " } }"
);
const ACKNOWLEDGE: &str =
    "mutation($id: ID!) { acknowledgeAttackReport(id: $id) { id myResponse { state } } }";
const CASE: &str = "query($id: ID!) { case(id: $id) { id visibility attackReports { id } } }";
const UNSHARE: &str = "mutation($id: ID!, $c: String!) {
    unshareCase(caseId: $id, input: { country: $c }) { id } }";

// ---------------------------------------------------------------------------
// The model.

struct Case {
    id: String,
    /// The uuid inside the global id: linked cases are listed in its order.
    uuid: String,
    label: String,
    owner: &'static str,
    /// Consent to share.
    consent: bool,
    shares: BTreeMap<&'static str, Level>,
}

struct Response {
    state: &'static str,
    note: Option<String>,
    case: Option<usize>,
}

struct Report {
    id: String,
    label: String,
    org: Option<usize>,
    host: &'static str,
    date: &'static str,
    time: Option<&'static str>,
    types: Vec<&'static str>,
    description: String,
    /// Indices of earlier reports, ascending (= submission order).
    priors: Vec<usize>,
    /// By recipient country.
    responses: BTreeMap<&'static str, Response>,
}

/// Whose eyes: a country's mission user, an organization's liaison, or
/// someone with neither (the operator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Country(&'static str),
    Org(usize),
    Nobody,
}

#[derive(Default, Debug)]
struct Stats {
    refused_invisible_prior: usize,
    links: usize,
    refused_link_summary: usize,
    refused_link_invisible: usize,
    refused_triage_not_recipient: usize,
    refused_triage_admin: usize,
    refused_triage_liaison: usize,
    closes: usize,
    consent_withdrawn: usize,
    share_changes: usize,
}

#[derive(Default)]
struct Model {
    /// Organizations' global ids.
    orgs: Vec<String>,
    cases: Vec<Case>,
    reports: Vec<Report>,
    stats: Stats,
}

/// A filter of `attackReports`.
#[derive(Default, Clone, Debug)]
struct Filter {
    state: Option<&'static str>,
    attack_type: Option<&'static str>,
    host: Option<&'static str>,
    from: Option<&'static str>,
    to: Option<&'static str>,
}

impl Filter {
    fn json(&self) -> Value {
        let mut f = serde_json::Map::new();
        for (k, v) in [
            ("state", self.state),
            ("attackType", self.attack_type),
            ("hostCountry", self.host),
            ("from", self.from),
            ("to", self.to),
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
    for s in STATES {
        out.push(Filter {
            state: Some(s),
            ..Filter::default()
        });
    }
    for t in TYPES.iter().copied().chain([UNUSED_TYPE]) {
        out.push(Filter {
            attack_type: Some(t),
            ..Filter::default()
        });
    }
    for h in HOSTS.iter().copied().chain([UNUSED_HOST]) {
        out.push(Filter {
            host: Some(h),
            ..Filter::default()
        });
    }
    for (from, to) in [
        (Some(DATES[2]), None),
        (None, Some(DATES[2])),
        (Some(DATES[1]), Some(DATES[3])),
        (Some(DATES[3]), Some(DATES[3])),
        (Some(DATES[5]), None),
        (None, Some(DATES[0])),
    ] {
        out.push(Filter {
            from,
            to,
            ..Filter::default()
        });
    }
    out.push(Filter {
        state: Some("ACKNOWLEDGED"),
        host: Some(HOSTS[0]),
        ..Filter::default()
    });
    out.push(Filter {
        state: Some("RECEIVED"),
        attack_type: Some(TYPES[0]),
        from: Some(DATES[1]),
        ..Filter::default()
    });
    out.push(Filter {
        state: Some("LINKED"),
        to: Some(DATES[4]),
        ..Filter::default()
    });
    out.push(Filter {
        attack_type: Some(TYPES[1]),
        host: Some(HOSTS[1]),
        from: Some(DATES[0]),
        to: Some(DATES[4]),
        ..Filter::default()
    });
    out
}

impl Model {
    /// Rules 3 and 5: the submitting organization and the recipient countries.
    fn sees(&self, who: Who, r: &Report) -> bool {
        match who {
            Who::Country(c) => r.responses.contains_key(c),
            Who::Org(o) => r.org == Some(o),
            Who::Nobody => false,
        }
    }

    /// Rule 1 (without coalitions): the owner, or a country the case is
    /// shared with while consent to share stands. Liaisons see no case.
    fn level(&self, who: Who, k: &Case) -> Option<Level> {
        let Who::Country(c) = who else {
            return None;
        };
        if c == k.owner {
            Some(Level::Owner)
        } else if k.consent {
            k.shares.get(c).copied()
        } else {
            None
        }
    }

    /// The cases a report is linked to that the viewer sees, by case id.
    fn report_cases(&self, who: Who, r: &Report) -> Vec<usize> {
        let mut out: Vec<usize> = r
            .responses
            .values()
            .filter_map(|resp| resp.case)
            .filter(|k| self.level(who, &self.cases[*k]).is_some())
            .collect::<BTreeSet<usize>>()
            .into_iter()
            .collect();
        out.sort_by(|a, b| self.cases[*a].uuid.cmp(&self.cases[*b].uuid));
        out
    }

    /// Linked cases the viewer does not see, on a report they see.
    fn hidden_cases(&self, who: Who, r: &Report) -> usize {
        r.responses
            .values()
            .filter_map(|resp| resp.case)
            .collect::<BTreeSet<usize>>()
            .len()
            - self.report_cases(who, r).len()
    }

    /// The priors the viewer also sees, oldest first.
    fn priors_seen(&self, who: Who, r: &Report) -> Vec<usize> {
        r.priors
            .iter()
            .copied()
            .filter(|p| self.sees(who, &self.reports[*p]))
            .collect()
    }

    /// Reports linked to case `k`, all of them.
    fn linked_to(&self, k: usize) -> Vec<usize> {
        (0..self.reports.len())
            .filter(|ri| {
                self.reports[*ri]
                    .responses
                    .values()
                    .any(|resp| resp.case == Some(k))
            })
            .collect()
    }

    /// The reports linked to case `k` the viewer sees, in incident order
    /// (date, then time where known — one time zone throughout — then
    /// submission).
    fn case_reports(&self, who: Who, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .linked_to(k)
            .into_iter()
            .filter(|ri| self.sees(who, &self.reports[*ri]))
            .collect();
        out.sort_by_key(|ri| {
            let r = &self.reports[*ri];
            (r.date, r.time, *ri)
        });
        out
    }

    fn matches(&self, who: Who, r: &Report, f: &Filter) -> bool {
        let state_ok = match (f.state, who) {
            (None, _) => true,
            (Some(s), Who::Country(c)) => r.responses.get(c).is_some_and(|x| x.state == s),
            (Some(s), _) => r.responses.values().any(|x| x.state == s),
        };
        state_ok
            && f.attack_type.is_none_or(|t| r.types.contains(&t))
            && f.host.is_none_or(|h| r.host == h)
            && f.from.is_none_or(|d| r.date >= d)
            && f.to.is_none_or(|d| r.date <= d)
    }

    /// The list a viewer gets under a filter: newest submission first.
    fn list(&self, who: Who, f: &Filter) -> Vec<usize> {
        (0..self.reports.len())
            .rev()
            .filter(|ri| {
                let r = &self.reports[*ri];
                self.sees(who, r) && self.matches(who, r, f)
            })
            .collect()
    }

    /// A report as a viewer who sees it must get it (without `reference`).
    fn expected(&self, who: Who, ri: usize) -> Value {
        let r = &self.reports[ri];
        let mut types = r.types.clone();
        types.sort();
        json!({
            "id": r.id,
            "hostCountry": r.host,
            "incidentDate": r.date,
            "incidentTime": r.time,
            "attackTypes": types,
            "description": r.description,
            "organization": r.org.map(|o| json!({ "id": self.orgs[o] })),
            "recipientCountries": r.responses.keys().collect::<Vec<_>>(),
            "responses": r.responses.iter().map(|(c, x)| json!({
                "country": c, "state": x.state, "note": x.note,
            })).collect::<Vec<_>>(),
            "myResponse": match who {
                Who::Country(c) => r.responses.get(c).map(|x| json!({ "country": c, "state": x.state })),
                _ => None,
            },
            "cases": self.report_cases(who, r).into_iter().map(|k| json!({
                "id": self.cases[k].id,
                "visibility": self.level(who, &self.cases[k]).map(Level::as_str),
            })).collect::<Vec<_>>(),
            "priorReports": self.priors_seen(who, r).into_iter()
                .map(|p| json!({ "id": self.reports[p].id }))
                .collect::<Vec<_>>(),
        })
    }

    /// A value for a failure message, ids replaced by labels.
    fn show(&self, v: &Value) -> String {
        let mut s = v.to_string();
        for r in &self.reports {
            s = s.replace(&r.id, &r.label);
        }
        for k in &self.cases {
            s = s.replace(&k.id, &k.label);
        }
        for (i, o) in self.orgs.iter().enumerate() {
            s = s.replace(o, &format!("org {}", i + 1));
        }
        s
    }

    fn report_index(&self, id: &str) -> Option<usize> {
        self.reports.iter().position(|r| r.id == id)
    }

    fn labels(&self, ids: &[usize]) -> Vec<&str> {
        ids.iter()
            .map(|i| self.reports[*i].label.as_str())
            .collect()
    }

    fn describe(&self, ri: usize) -> String {
        let r = &self.reports[ri];
        let resp: Vec<String> = r
            .responses
            .iter()
            .map(|(c, x)| match x.case {
                Some(k) => format!("{c} {} {}", x.state, self.cases[k].label),
                None => format!("{c} {}", x.state),
            })
            .collect();
        format!(
            "{} ({}, {} {} {:?} {:?}, priors {:?}, responses [{}])",
            r.label,
            r.org
                .map_or("a mission".to_owned(), |o| format!("org {}", o + 1)),
            r.host,
            r.date,
            r.time,
            r.types,
            self.labels(&r.priors),
            resp.join(", ")
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
    coordinators: BTreeMap<&'static str, Actor>,
    admins: BTreeMap<&'static str, Actor>,
    /// (organization, liaison, label).
    liaisons: Vec<(usize, Actor, String)>,
}

// ---------------------------------------------------------------------------
// Comparisons.

/// One visible report, as a viewer got it, against the model.
fn check_report(model: &Model, viewer: &Viewer, ri: usize, got: &Value, via: &str) -> Vec<String> {
    let r = &model.reports[ri];
    let ctx = format!("viewer {}: report {} via {via}", viewer.label, r.label);
    let mut errs = Vec::new();
    let prefix = format!("AR-{}-", r.host);
    if !got["reference"]
        .as_str()
        .is_some_and(|s| s.starts_with(&prefix))
    {
        errs.push(format!(
            "{ctx}: reference {} does not start with {prefix}",
            got["reference"]
        ));
    }
    let mut got = got.clone();
    let Some(g) = got.as_object_mut() else {
        errs.push(format!("{ctx}: expected the report, got {got}"));
        return errs;
    };
    g.remove("reference");
    g.remove("__typename");
    if let Some(Value::Array(types)) = g.get_mut("attackTypes") {
        types.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    let want = model.expected(viewer.who, ri);
    let w = want.as_object().expect("an object");
    for (k, wv) in w {
        let gv = g.get(k).unwrap_or(&Value::Null);
        if gv != wv {
            errs.push(format!(
                "{ctx}: {k}: expected {}, got {} [{}]",
                model.show(wv),
                model.show(gv),
                model.describe(ri)
            ));
        }
    }
    for k in g.keys().filter(|k| !w.contains_key(*k)) {
        errs.push(format!("{ctx}: unexpected field {k}"));
    }
    errs
}

/// What a viewer gets for ids that do not exist, per query shape.
struct Baseline {
    report: Raw,
    node: Raw,
    case: Raw,
}

async fn baseline(viewer: &Viewer) -> Baseline {
    let (a, l) = (&viewer.actor, &viewer.label);
    let id = |kind| json!({ "id": missing_id(kind) });
    let report = missing_answer(a, l, "attackReport", "id", REPORT, id("AttackReport")).await;
    let node = missing_answer(a, l, "node", "id", NODE, id("AttackReport")).await;
    let case = missing_answer(a, l, "case", "id", CASE, id("Case")).await;
    Baseline { report, node, case }
}

/// What one viewer's checks covered.
#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    requests: usize,
    /// Viewer × report pairs: not visible, visible as a recipient country,
    /// visible as the submitting organization.
    hidden: usize,
    recipient: usize,
    submitter: usize,
    /// On reports the viewer sees: linked cases shown and left out.
    links_shown: usize,
    links_hidden: usize,
    /// On reports the viewer sees: priors shown and left out.
    priors_shown: usize,
    priors_hidden: usize,
    /// On cases the viewer sees: linked reports shown and left out.
    case_reports_shown: usize,
    case_reports_hidden: usize,
    /// Viewer × case pairs the viewer does not see.
    cases_hidden: usize,
    /// List entries compared (every page, every filter).
    listed: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.requests += o.requests;
        self.hidden += o.hidden;
        self.recipient += o.recipient;
        self.submitter += o.submitter;
        self.links_shown += o.links_shown;
        self.links_hidden += o.links_hidden;
        self.priors_shown += o.priors_shown;
        self.priors_hidden += o.priors_hidden;
        self.case_reports_shown += o.case_reports_shown;
        self.case_reports_hidden += o.case_reports_hidden;
        self.cases_hidden += o.cases_hidden;
        self.listed += o.listed;
    }
}

/// `attackReport(id)` and `node(id)` for every report.
async fn check_reads(
    viewer: &Viewer,
    model: &Model,
    base: &Baseline,
    t: &mut Tally,
) -> Vec<String> {
    let mut errs = Vec::new();
    for (ri, r) in model.reports.iter().enumerate() {
        let visible = model.sees(viewer.who, r);
        match (visible, viewer.who) {
            (false, _) => t.hidden += 1,
            (true, Who::Org(_)) => t.submitter += 1,
            (true, _) => t.recipient += 1,
        }
        if visible {
            let shown = model.report_cases(viewer.who, r).len();
            t.links_shown += shown;
            t.links_hidden += model.hidden_cases(viewer.who, r);
            let priors = model.priors_seen(viewer.who, r).len();
            t.priors_shown += priors;
            t.priors_hidden += r.priors.len() - priors;
        }
        for (shape, query, missing) in [
            ("attackReport", REPORT, &base.report),
            ("node", NODE, &base.node),
        ] {
            let got = raw(&viewer.actor, query, json!({ "id": r.id })).await;
            t.requests += 1;
            let named = oracle::ById {
                hidden_as: &format!("viewer {}: report {}", viewer.label, model.describe(ri)),
                shown_as: &format!("viewer {}: report {}", viewer.label, r.label),
                noun: "report",
                missing: "id",
                typename: "AttackReport",
            };
            let show = |got: &Raw| model.show(&got.body);
            if let Some(node) =
                oracle::by_id(&named, shape, &got, missing, visible, show, &mut errs)
            {
                errs.extend(check_report(model, viewer, ri, node, shape));
            }
        }
    }
    errs
}

/// The unfiltered list (every node checked in full), each filter, and a
/// filter that must be refused.
async fn check_lists(
    viewer: &Viewer,
    model: &Model,
    filters: &[Filter],
    t: &mut Tally,
) -> Vec<String> {
    let mut errs = Vec::new();
    let all = Filter::default();
    for (f, query) in std::iter::once((&all, LIST)).chain(filters.iter().map(|f| (f, LIST_IDS))) {
        let ctx = format!(
            "viewer {}: attackReports(filter: {})",
            viewer.label,
            f.json()
        );
        let want = model.list(viewer.who, f);
        let (nodes, totals) = match oracle::walk_filtered(
            &viewer.actor,
            query,
            "attackReports",
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
            match model.report_index(&id) {
                Some(ri) if model.sees(viewer.who, &model.reports[ri]) => {
                    if query == LIST {
                        errs.extend(check_report(model, viewer, ri, node, "attackReports"));
                    }
                }
                Some(ri) => errs.push(format!(
                    "{ctx}: report {} must not be listed",
                    model.describe(ri)
                )),
                None => errs.push(format!("{ctx}: unknown report listed: {node}")),
            }
            got.push(id);
        }
        let want_ids: Vec<&String> = want.iter().map(|ri| &model.reports[*ri].id).collect();
        if got.iter().collect::<Vec<_>>() != want_ids {
            errs.push(format!(
                "{ctx}: expected {:?} (newest first), got {}",
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
    // A filter ending before it starts: refused, for everyone alike.
    let r = raw(
        &viewer.actor,
        LIST_IDS,
        json!({ "f": { "from": DATES[3], "to": DATES[1] }, "first": PAGE }),
    )
    .await;
    t.requests += 1;
    if r.code() != Some("BAD_USER_INPUT")
        || r.body["errors"][0]["extensions"]["field"] != "filter.to"
    {
        errs.push(format!(
            "viewer {}: a filter with to before from: expected BAD_USER_INPUT on filter.to, got {}",
            viewer.label, r.text
        ));
    }
    errs
}

/// `case(id) { attackReports }` for every case.
async fn check_cases(
    viewer: &Viewer,
    model: &Model,
    base: &Baseline,
    t: &mut Tally,
) -> Vec<String> {
    let mut errs = Vec::new();
    for (ki, k) in model.cases.iter().enumerate() {
        let r = raw(&viewer.actor, CASE, json!({ "id": k.id })).await;
        t.requests += 1;
        let ctx = format!(
            "viewer {}: case {} (owner {}, consent {}, shares {:?})",
            viewer.label, k.label, k.owner, k.consent, k.shares
        );
        let Some(level) = model.level(viewer.who, k) else {
            t.cases_hidden += 1;
            if r.status != base.case.status || r.text != base.case.text {
                errs.push(format!(
                    "{ctx}: case must answer exactly as for a missing id (expected {} {}, got {} {})",
                    base.case.status,
                    base.case.text,
                    r.status,
                    model.show(&r.body)
                ));
            }
            continue;
        };
        let want = model.case_reports(viewer.who, ki);
        t.case_reports_shown += want.len();
        t.case_reports_hidden += model.linked_to(ki).len() - want.len();
        let want = json!({
            "id": k.id,
            "visibility": level.as_str(),
            "attackReports": want.iter().map(|ri| json!({ "id": model.reports[*ri].id })).collect::<Vec<_>>(),
        });
        let got = &r.body["data"]["case"];
        if r.has_errors() || *got != want {
            let linked: Vec<String> = model
                .linked_to(ki)
                .into_iter()
                .map(|ri| model.describe(ri))
                .collect();
            errs.push(format!(
                "{ctx}: expected {} (incident order), got {}; linked: {}",
                model.show(&want),
                model.show(&r.body),
                linked.join("; ")
            ));
        }
    }
    errs
}

/// Every viewer against every report, list, filter and case.
async fn check_everything(world: &World, model: &Model, round: &str) -> Tally {
    let filters = filters();
    let results = join_all(world.viewers.iter().map(|viewer| {
        let filters = &filters;
        async move {
            let base = baseline(viewer).await;
            let mut t = Tally {
                requests: 3,
                ..Tally::default()
            };
            let mut errs = check_reads(viewer, model, &base, &mut t).await;
            errs.extend(check_lists(viewer, model, filters, &mut t).await);
            errs.extend(check_cases(viewer, model, &base, &mut t).await);
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

// ---------------------------------------------------------------------------
// Building the world through the API, and changing it.

async fn build_people(app: &TestApp, rng: &mut StdRng, model: &mut Model) -> World {
    let everyone: Vec<&'static str> = COUNTRIES.iter().copied().chain([BYSTANDER]).collect();
    let people = join_all(everyone.iter().map(|c| async move {
        let admin = app.admin(c).await;
        (
            *c,
            admin,
            app.diplomat(c).await,
            app.user("COORDINATOR", c).await,
        )
    }))
    .await;
    let mut world = World {
        viewers: Vec::new(),
        diplomats: BTreeMap::new(),
        coordinators: BTreeMap::new(),
        admins: BTreeMap::new(),
        liaisons: Vec::new(),
    };
    let admin_viewers: Vec<&str> = COUNTRIES.choose_multiple(rng, 2).copied().collect();
    for (c, admin, diplomat, coordinator) in people {
        world.viewers.push(Viewer {
            label: format!("DIPLOMAT of {c}"),
            who: Who::Country(c),
            actor: diplomat.clone(),
        });
        if c != BYSTANDER {
            world.viewers.push(Viewer {
                label: format!("COORDINATOR of {c}"),
                who: Who::Country(c),
                actor: coordinator.clone(),
            });
        }
        if admin_viewers.contains(&c) {
            world.viewers.push(Viewer {
                label: format!("ADMIN of {c}"),
                who: Who::Country(c),
                actor: admin.clone(),
            });
        }
        world.diplomats.insert(c, diplomat);
        world.coordinators.insert(c, coordinator);
        world.admins.insert(c, admin);
    }
    for o in 0..ORGS {
        let org = app.organization().await;
        model.orgs.push(org.clone());
        for n in 0..rng.gen_range(1..=2) {
            let actor = app.liaison_of(&org).await;
            let label = format!("LIAISON {} of org {}", n + 1, o + 1);
            world.viewers.push(Viewer {
                label: label.clone(),
                who: Who::Org(o),
                actor: actor.clone(),
            });
            world.liaisons.push((o, actor, label));
        }
    }
    // An organization that never submits.
    let silent = app.organization().await;
    model.orgs.push(silent.clone());
    world.viewers.push(Viewer {
        label: format!("LIAISON of org {} (submits nothing)", ORGS + 1),
        who: Who::Org(ORGS),
        actor: app.liaison_of(&silent).await,
    });
    world.viewers.push(Viewer {
        label: "OPERATOR".into(),
        who: Who::Nobody,
        actor: app.operator().await,
    });
    world
}

/// Cases: the bystander owns the first; every case but a few has consent to
/// share and shares with other countries at random levels.
async fn build_cases(world: &World, rng: &mut StdRng, model: &mut Model) {
    let everyone: Vec<&'static str> = COUNTRIES.iter().copied().chain([BYSTANDER]).collect();
    for i in 0..CASES {
        let owner = if i == 0 {
            BYSTANDER
        } else {
            *COUNTRIES.choose(rng).expect("owner")
        };
        let coord = &world.coordinators[owner];
        let created = open_case(coord, &format!("Defender {i}"), "Legal Name").await;
        let id = str_of(&created["id"], "case id");
        let mut k = Case {
            uuid: uuid_of(&id, "Case"),
            id,
            label: format!("K{} (of {owner})", i + 1),
            owner,
            consent: false,
            shares: BTreeMap::new(),
        };
        if i == 0 || rng.gen_bool(0.8) {
            consent(coord, &k.id, true).await.data();
            k.consent = true;
            let mut others: Vec<&'static str> =
                everyone.iter().copied().filter(|c| *c != owner).collect();
            others.shuffle(rng);
            let n = if i == 0 { 3 } else { rng.gen_range(0..=3) };
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

/// The submitters: each organization's liaisons, and the countries' diplomats
/// and coordinators (not the bystander's).
fn submitter(world: &World, rng: &mut StdRng, i: usize) -> (Actor, Who, String) {
    if i < ORGS || rng.gen_bool(0.65) {
        let pool: Vec<&(usize, Actor, String)> = if i < ORGS {
            world.liaisons.iter().filter(|(o, _, _)| *o == i).collect()
        } else {
            world.liaisons.iter().collect()
        };
        let (o, actor, label) = *pool.choose(rng).expect("liaison");
        (actor.clone(), Who::Org(*o), label.clone())
    } else {
        let c = *COUNTRIES.choose(rng).expect("country");
        if rng.gen_bool(0.5) {
            (
                world.diplomats[c].clone(),
                Who::Country(c),
                format!("DIPLOMAT of {c}"),
            )
        } else {
            (
                world.coordinators[c].clone(),
                Who::Country(c),
                format!("COORDINATOR of {c}"),
            )
        }
    }
}

async fn submit_reports(world: &World, rng: &mut StdRng, model: &mut Model) {
    for i in 0..REPORTS {
        let (actor, who, by) = submitter(world, rng, i);
        let mut recipients: Vec<&'static str> = COUNTRIES.to_vec();
        recipients.shuffle(rng);
        recipients.truncate(rng.gen_range(1..=3));
        let host = *HOSTS.choose(rng).expect("host");
        let date = *DATES.choose(rng).expect("date");
        let time = *TIMES.choose(rng).expect("time");
        let n = rng.gen_range(1..=2);
        let mut types: Vec<&'static str> = TYPES.choose_multiple(rng, n).copied().collect();
        types.sort();
        let description = format!("Incident {}: the defender was followed home.", i + 1);
        let seen: Vec<usize> = (0..model.reports.len())
            .filter(|p| model.sees(who, &model.reports[*p]))
            .collect();
        let unseen: Vec<usize> = (0..model.reports.len())
            .filter(|p| !model.sees(who, &model.reports[*p]))
            .collect();
        let mut priors: Vec<usize> = if rng.gen_bool(0.6) {
            let n = rng.gen_range(1..=2);
            seen.choose_multiple(rng, n).copied().collect()
        } else {
            Vec::new()
        };
        priors.sort();
        let ids: Vec<String> = model.reports.iter().map(|r| r.id.clone()).collect();
        let input = |priors: &[usize], extra: Option<&str>| {
            report_input(
                &recipients,
                json!({
                    "hostCountry": host, "incidentDate": date, "incidentTime": time,
                    "attackTypes": types, "description": description,
                    "priorReportIds": priors.iter().map(|p| ids[*p].as_str()).chain(extra).collect::<Vec<_>>(),
                }),
            )
        };
        // Naming an earlier report the submitter cannot see: NOT_FOUND, nothing stored.
        if let Some(p) = unseen.choose(rng).filter(|_| rng.gen_bool(0.4)) {
            let unseen = raw(
                &actor,
                SUBMIT,
                json!({ "i": input(&priors, Some(&ids[*p])) }),
            )
            .await;
            let missing = missing_id("AttackReport");
            let missing = raw(
                &actor,
                SUBMIT,
                json!({ "i": input(&priors, Some(&missing)) }),
            )
            .await;
            assert!(
                unseen.code() == Some("NOT_FOUND")
                    && (unseen.status, &unseen.text) == (missing.status, &missing.text),
                "{by} naming unseen prior {}: expected exactly the answer for a missing prior \
                 ({} {}), got {} {}",
                model.describe(*p),
                missing.status,
                missing.text,
                unseen.status,
                model.show(&unseen.body)
            );
            model.stats.refused_invisible_prior += 1;
        }
        let r = actor.q(SUBMIT, json!({ "i": input(&priors, None) })).await;
        let got = r.data()["submitAttackReport"].clone();
        let id = str_of(&got["id"], "report id");
        let mut all: BTreeSet<&'static str> = recipients.iter().copied().collect();
        if let Who::Country(c) = who {
            all.insert(c);
        }
        model.reports.push(Report {
            id,
            label: format!("R{} (by {by})", i + 1),
            org: match who {
                Who::Org(o) => Some(o),
                _ => None,
            },
            host,
            date,
            time,
            types,
            description,
            priors,
            responses: all
                .into_iter()
                .map(|c| {
                    (
                        c,
                        Response {
                            state: "RECEIVED",
                            note: None,
                            case: None,
                        },
                    )
                })
                .collect(),
        });
        let ri = model.reports.len() - 1;
        let me = Viewer {
            label: by,
            who,
            actor,
        };
        let errs = check_report(model, &me, ri, &got, "submitAttackReport");
        assert!(errs.is_empty(), "{}", errs.join("\n"));
    }
}

/// A diplomat or coordinator of `c`, at random.
fn triager<'w>(world: &'w World, rng: &mut StdRng, c: &str) -> &'w Actor {
    if rng.gen_bool(0.5) {
        &world.diplomats[c]
    } else {
        &world.coordinators[c]
    }
}

/// Links report `ri` for country `c` (its response ACKNOWLEDGED) to a case
/// `c` sees at DETAIL or owns, first trying, now and then, one it sees only
/// at SUMMARY (FORBIDDEN) or not at all (NOT_FOUND). False when there is no
/// case to link.
async fn link_one(
    world: &World,
    rng: &mut StdRng,
    model: &mut Model,
    ri: usize,
    c: &'static str,
) -> bool {
    let who = Who::Country(c);
    let by_level = |min: Option<Level>, max: Option<Level>| -> Vec<usize> {
        (0..model.cases.len())
            .filter(|k| {
                let l = model.level(who, &model.cases[*k]);
                l >= min && l <= max
            })
            .collect()
    };
    let linkable = by_level(Some(Level::Detail), Some(Level::Owner));
    let summary = by_level(Some(Level::Summary), Some(Level::Summary));
    let unseen = by_level(None, None);
    let Some(k) = linkable.choose(rng).copied() else {
        return false;
    };
    let actor = triager(world, rng, c);
    let id = model.reports[ri].id.clone();
    if let Some(s) = summary.choose(rng).filter(|_| rng.gen_bool(0.5)) {
        let r = link(actor, &id, &model.cases[*s].id).await;
        let what = format!(
            "{c} links {} to a case it sees at SUMMARY",
            model.reports[ri].label
        );
        refused(&r, "FORBIDDEN", &what);
        model.stats.refused_link_summary += 1;
    }
    if let Some(u) = unseen.choose(rng).filter(|_| rng.gen_bool(0.3)) {
        let r = link(actor, &id, &model.cases[*u].id).await;
        let what = format!(
            "{c} links {} to a case it does not see",
            model.reports[ri].label
        );
        refused(&r, "NOT_FOUND", &what);
        model.stats.refused_link_invisible += 1;
    }
    let r = link(actor, &id, &model.cases[k].id).await;
    let resp = model.reports[ri].responses.get_mut(c).expect("response");
    resp.state = "LINKED";
    resp.case = Some(k);
    model.stats.links += 1;
    let want: Vec<Value> = model
        .report_cases(who, &model.reports[ri])
        .into_iter()
        .map(|k| json!({ "id": model.cases[k].id }))
        .collect();
    let got = &r.data()["linkAttackReport"];
    assert_eq!(got["myResponse"]["state"], "LINKED", "{}", r.body);
    assert!(
        got["cases"] == json!(want),
        "{c} linked {} to {}: linkAttackReport's cases expected {}, got {}",
        model.describe(ri),
        model.cases[k].label,
        model.show(&json!(want)),
        model.show(&got["cases"])
    );
    true
}

async fn close_one(world: &World, rng: &mut StdRng, model: &mut Model, ri: usize, c: &'static str) {
    let outcome = if rng.gen_bool(0.5) {
        "NO_ACTION"
    } else {
        "ESCALATED"
    };
    let note = rng
        .gen_bool(0.5)
        .then(|| format!("{c} closed {} as {outcome}", model.reports[ri].label));
    let actor = triager(world, rng, c);
    let r = close(actor, &model.reports[ri].id, outcome, note.as_deref()).await;
    model.stats.closes += 1;
    let resp = model.reports[ri].responses.get_mut(c).expect("response");
    resp.state = outcome;
    if note.is_some() {
        resp.note = note;
    }
    assert_eq!(
        r.data()["closeAttackReport"]["myResponse"],
        json!({ "state": outcome, "note": resp.note }),
    );
}

/// Every recipient triages each report at random; refusals on the way.
async fn triage(world: &World, rng: &mut StdRng, model: &mut Model) {
    for ri in 0..model.reports.len() {
        let id = model.reports[ri].id.clone();
        let recipients: Vec<&'static str> = model.reports[ri].responses.keys().copied().collect();
        // Outsiders to the report, the recipient's admin and the liaison cannot triage.
        let others: Vec<&'static str> = COUNTRIES
            .iter()
            .copied()
            .chain([BYSTANDER])
            .filter(|c| !recipients.contains(c))
            .collect();
        if let Some(c) = others.choose(rng).filter(|_| rng.gen_bool(0.3)) {
            let actor = triager(world, rng, c);
            let r = raw(actor, ACKNOWLEDGE, json!({ "id": id })).await;
            let missing = raw(
                actor,
                ACKNOWLEDGE,
                json!({ "id": missing_id("AttackReport") }),
            )
            .await;
            assert!(
                r.code() == Some("NOT_FOUND")
                    && (r.status, &r.text) == (missing.status, &missing.text),
                "{c} (not a recipient) acknowledges {}: expected exactly the answer for a missing \
                 id ({} {}), got {} {}",
                model.describe(ri),
                missing.status,
                missing.text,
                r.status,
                model.show(&r.body)
            );
            model.stats.refused_triage_not_recipient += 1;
        }
        if rng.gen_bool(0.2) {
            let c = recipients.choose(rng).expect("recipient");
            let r = acknowledge(&world.admins[c], &id, None).await;
            refused(&r, "FORBIDDEN", &format!("the ADMIN of {c} acknowledges"));
            model.stats.refused_triage_admin += 1;
        }
        if let Some(o) = model.reports[ri].org.filter(|_| rng.gen_bool(0.2)) {
            let (_, liaison, _) = world
                .liaisons
                .iter()
                .find(|(x, _, _)| *x == o)
                .expect("liaison");
            let r = acknowledge(liaison, &id, None).await;
            refused(&r, "FORBIDDEN", "a liaison acknowledges its own report");
            model.stats.refused_triage_liaison += 1;
        }
        for c in recipients {
            if rng.gen_bool(0.3) {
                continue;
            }
            let note = rng
                .gen_bool(0.5)
                .then(|| format!("{c} looks into {}", model.reports[ri].label));
            let r = acknowledge(triager(world, rng, c), &id, note.as_deref()).await;
            let resp = model.reports[ri].responses.get_mut(c).expect("response");
            resp.state = "ACKNOWLEDGED";
            resp.note = note;
            assert_eq!(
                r.data()["acknowledgeAttackReport"]["myResponse"],
                json!({ "state": "ACKNOWLEDGED", "note": resp.note }),
            );
            match rng.gen_range(0..10) {
                0..=1 => {}
                2..=6 => {
                    if !link_one(world, rng, model, ri, c).await {
                        close_one(world, rng, model, ri, c).await;
                    }
                }
                _ => close_one(world, rng, model, ri, c).await,
            }
        }
    }
}

/// Consents withdrawn, shares lowered, raised, removed and added under the
/// links; then some acknowledged responses linked anew.
async fn change(world: &World, rng: &mut StdRng, model: &mut Model) {
    let everyone: Vec<&'static str> = COUNTRIES.iter().copied().chain([BYSTANDER]).collect();
    for ki in 0..model.cases.len() {
        let k = &model.cases[ki];
        let coord = &world.coordinators[k.owner];
        let id = k.id.clone();
        if !k.consent {
            continue;
        }
        if !k.shares.is_empty() && rng.gen_bool(0.35) {
            consent(coord, &id, false).await.data();
            model.cases[ki].consent = false;
            model.stats.consent_withdrawn += 1;
            continue;
        }
        let owner = k.owner;
        match rng.gen_range(0..4) {
            0 => {}
            1 => {
                let Some((c, l)) = k
                    .shares
                    .iter()
                    .map(|(c, l)| (*c, *l))
                    .collect::<Vec<_>>()
                    .choose(rng)
                    .copied()
                else {
                    continue;
                };
                let other = if l == Level::Detail {
                    Level::Summary
                } else {
                    Level::Detail
                };
                share(coord, &id, c, other.as_str()).await.data();
                model.cases[ki].shares.insert(c, other);
                model.stats.share_changes += 1;
            }
            2 => {
                let Some(c) = k
                    .shares
                    .keys()
                    .copied()
                    .collect::<Vec<_>>()
                    .choose(rng)
                    .copied()
                else {
                    continue;
                };
                coord.q(UNSHARE, json!({ "id": id, "c": c })).await.data();
                model.cases[ki].shares.remove(c);
                model.stats.share_changes += 1;
            }
            _ => {
                let fresh: Vec<&'static str> = everyone
                    .iter()
                    .copied()
                    .filter(|c| *c != owner && !k.shares.contains_key(c))
                    .collect();
                let Some(c) = fresh.choose(rng).copied() else {
                    continue;
                };
                share(coord, &id, c, Level::Detail.as_str()).await.data();
                model.cases[ki].shares.insert(c, Level::Detail);
                model.stats.share_changes += 1;
            }
        }
    }
    // Responses left ACKNOWLEDGED: some are linked now.
    let waiting: Vec<(usize, &'static str)> = model
        .reports
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| {
            r.responses
                .iter()
                .filter(|(_, x)| x.state == "ACKNOWLEDGED")
                .map(move |(c, _)| (ri, *c))
        })
        .collect();
    for (ri, c) in waiting {
        if rng.gen_bool(0.5) {
            link_one(world, rng, model, ri, c).await;
        }
    }
}

async fn random_world(app: TestApp) {
    let started = std::time::Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut model = Model::default();
    let world = build_people(&app, &mut rng, &mut model).await;
    build_cases(&world, &mut rng, &mut model).await;
    submit_reports(&world, &mut rng, &mut model).await;
    triage(&world, &mut rng, &mut model).await;
    let built = started.elapsed();
    let mut tally = check_everything(&world, &model, "as built").await;
    change(&world, &mut rng, &mut model).await;
    tally.add(&check_everything(&world, &model, "after consents and shares changed").await);
    eprintln!(
        "attack report oracle: {} reports, {} cases, {} viewers; {tally:?}; {:?}; \
         built in {built:.1?}, total {:.1?}",
        model.reports.len(),
        model.cases.len(),
        world.viewers.len(),
        model.stats,
        started.elapsed()
    );
    // The world must have exercised what the oracle is about.
    let t = tally;
    assert!(
        t.hidden > 0 && t.recipient > 0 && t.submitter > 0 && t.cases_hidden > 0,
        "{t:?}"
    );
    assert!(t.links_shown > 0 && t.links_hidden > 0, "{t:?}");
    assert!(t.priors_shown > 0 && t.priors_hidden > 0, "{t:?}");
    assert!(
        t.case_reports_shown > 0 && t.case_reports_hidden > 0,
        "{t:?}"
    );
    let s = &model.stats;
    assert!(
        s.refused_invisible_prior > 0 && s.refused_link_summary > 0 && s.consent_withdrawn > 0,
        "{s:?}"
    );
}

on_both_backends! {
    async fn attack_reports_match_the_oracle(app: TestApp) {
        random_world(app).await;
    }
}
