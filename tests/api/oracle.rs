//! The harness the four leak oracles share (visibility.rs for cases,
//! visibility_hearings.rs, visibility_reports.rs, visibility_statements.rs):
//! the case levels and share targets their models speak of, global ids, the
//! page walker every list check goes through, the answer for a missing id
//! (which a hidden row must match byte for byte) and the by-id check, the
//! share mutations, and the small assertions they all make. Each oracle keeps its own model (the rules, written from
//! docs/RULES.md alone) and its own world; what is here has no rule in it.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::helpers::*;

pub(crate) const ADD_MEMBER: &str = "mutation($id: ID!, $c: String!) { addCoalitionMember(coalitionId: $id, country: $c) { members } }";
pub(crate) const REMOVE_MEMBER: &str = "mutation($id: ID!, $c: String!) { removeCoalitionMember(coalitionId: $id, country: $c) { members } }";

/// `shareCase` with a country or a coalition; the shares after it.
pub(crate) const SHARE: &str =
    "mutation($id: ID!, $country: String, $coalition: ID, $level: ShareLevel!) {
    shareCase(caseId: $id, input: { country: $country, coalitionId: $coalition, level: $level }) {
      shares { country coalition { id } level } } }";
/// `unshareCase`; the shares after it.
const UNSHARE: &str = "mutation($id: ID!, $country: String, $coalition: ID) {
    unshareCase(caseId: $id, input: { country: $country, coalitionId: $coalition }) {
      shares { country coalition { id } level } } }";

/// How a viewer sees a case (and what hangs off it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Summary,
    Detail,
    Owner,
}

impl Level {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Summary => "SUMMARY",
            Level::Detail => "DETAIL",
            Level::Owner => "OWNER",
        }
    }
}

/// Whom a case is shared with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    Country(String),
    /// A coalition by its global id.
    Coalition(String),
}

impl Target {
    /// `$country` and `$coalition` of a share mutation: one of them is null.
    fn vars(&self) -> (Value, Value) {
        match self {
            Target::Country(c) => (json!(c), Value::Null),
            Target::Coalition(id) => (Value::Null, json!(id)),
        }
    }
}

/// `shareCase` of `case_id` with `target` at `level`, by `actor`; how many
/// shares the case has after it (failing the test on an error).
pub(crate) async fn share_case(
    actor: &Actor,
    case_id: &str,
    target: &Target,
    level: Level,
) -> usize {
    let (country, coalition) = target.vars();
    let vars = json!({ "id": case_id, "country": country, "coalition": coalition, "level": level.as_str() });
    let r = actor.q(SHARE, vars).await;
    r.data()["shareCase"]["shares"]
        .as_array()
        .map_or(0, Vec::len)
}

/// `unshareCase` of `case_id` from `target`, by `actor`; how many shares the
/// case has after it (failing the test on an error).
pub(crate) async fn unshare_case(actor: &Actor, case_id: &str, target: &Target) -> usize {
    let (country, coalition) = target.vars();
    let vars = json!({ "id": case_id, "country": country, "coalition": coalition });
    let r = actor.q(UNSHARE, vars).await;
    r.data()["unshareCase"]["shares"]
        .as_array()
        .map_or(0, Vec::len)
}

/// The uuid inside a global id ("Kind:<uuid>", base64url), which must be of
/// `kind`.
pub(crate) fn uuid_of(global_id: &str, kind: &str) -> String {
    let bytes = URL_SAFE_NO_PAD
        .decode(global_id)
        .unwrap_or_else(|e| panic!("global id {global_id} is not base64url: {e}"));
    let text = String::from_utf8(bytes).expect("global id is UTF-8");
    let (k, uuid) = text.split_once(':').expect("Kind:uuid");
    assert_eq!(k, kind, "{text}");
    uuid.to_owned()
}

/// A well-formed global id of `kind` that names no row.
pub(crate) fn missing_id(kind: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{}", uuid::Uuid::new_v4()))
}

/// `r` was refused with `code`.
#[track_caller]
pub(crate) fn refused(r: &Resp, code: &str, what: &str) {
    let got = r.body["errors"][0]["extensions"]["code"].as_str();
    assert_eq!(got, Some(code), "{what}: expected {code}, got {}", r.body);
}

/// Whether every page's `totalCount` (and there was one) is `n`.
pub(crate) fn totals_are(totals: &[Value], n: usize) -> bool {
    !totals.is_empty() && totals.iter().all(|t| *t == json!(n))
}

/// A list connection walked page by page.
#[derive(Default)]
pub(crate) struct Walked {
    /// The nodes, in order.
    pub nodes: Vec<Value>,
    /// The `totalCount` of every page.
    pub totals: Vec<Value>,
    pub requests: usize,
    /// What went wrong: more than `max_pages`, an error (both end the walk),
    /// a page longer than asked for.
    pub errors: Vec<String>,
    /// The errors `walk_tolerating` let through (the walk went on).
    pub tolerated: Vec<Value>,
}

/// Walks `field(filter: $f)` of `query` as `actor`, `page` nodes at a time
/// (30 pages at most), counting its requests into `requests`: the nodes in
/// order and the `totalCount` of every page, or the first thing that went wrong.
pub(crate) async fn walk_filtered(
    actor: &Actor,
    query: &str,
    field: &str,
    filter: &Value,
    page: i64,
    requests: &mut usize,
) -> Result<(Vec<Value>, Vec<Value>), String> {
    let w = walk(actor, query, field, json!({ "f": filter }), page, 30).await;
    *requests += w.requests;
    match w.errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok((w.nodes, w.totals)),
    }
}

/// Walks the connection `field` of `query` (which takes `$first` and
/// `$after`) as `actor`, `page` nodes at a time, from `vars`.
pub(crate) async fn walk(
    actor: &Actor,
    query: &str,
    field: &str,
    vars: Value,
    page: i64,
    max_pages: usize,
) -> Walked {
    walk_tolerating(actor, query, field, vars, page, max_pages, |_| false).await
}

/// `walk`, but a page whose every error passes `tolerate` is kept (its
/// errors gathered in `tolerated`): a field refused inside a listed node.
pub(crate) async fn walk_tolerating(
    actor: &Actor,
    query: &str,
    field: &str,
    mut vars: Value,
    page: i64,
    max_pages: usize,
    tolerate: impl Fn(&Value) -> bool,
) -> Walked {
    let mut w = Walked::default();
    vars["first"] = json!(page);
    for n in 0.. {
        if n > max_pages {
            w.errors.push(format!("more than {max_pages} pages"));
            break;
        }
        let r = raw(actor, query, vars.clone()).await;
        w.requests += 1;
        if r.has_errors() {
            let errors = r.body["errors"].as_array().cloned().unwrap_or_default();
            if errors.is_empty() || !errors.iter().all(&tolerate) {
                w.errors.push(format!("unexpected errors: {}", r.text));
                break;
            }
            w.tolerated.extend(errors);
        }
        let conn = &r.body["data"][field];
        w.totals.push(conn["totalCount"].clone());
        let edges = conn["edges"].as_array().cloned().unwrap_or_default();
        if edges.len() as i64 > page {
            w.errors
                .push(format!("{} edges on a page of {page}", edges.len()));
        }
        w.nodes.extend(edges.into_iter().map(|e| e["node"].clone()));
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        vars["after"] = conn["pageInfo"]["endCursor"].clone();
    }
    w
}

/// `query` with `vars` naming no row, as `actor`: it must be refused as
/// NOT_FOUND, and is what a hidden row's answer is compared with, byte for
/// byte (`what` names the row in the message: "id", "hearing", "case").
pub(crate) async fn missing_answer(
    actor: &Actor,
    viewer: &str,
    shape: &str,
    what: &str,
    query: &str,
    vars: Value,
) -> Raw {
    let r = raw(actor, query, vars).await;
    assert_eq!(
        r.code(),
        Some("NOT_FOUND"),
        "{viewer}: {shape} of a missing {what}: {}",
        r.text
    );
    r
}

/// How an oracle names one row it reads by id in its messages.
pub(crate) struct ById<'a> {
    /// "viewer V: report R", as the row is named when it must stay hidden.
    pub hidden_as: &'a str,
    /// The same when it must be shown.
    pub shown_as: &'a str,
    /// "report": "expected the report".
    pub noun: &'a str,
    /// "id": "exactly as for a missing id".
    pub missing: &'a str,
    /// What `node` must say it is.
    pub typename: &'a str,
}

/// One read by id (`shape` is the field read) against `missing`: a row the
/// viewer may not see answers exactly as a missing one; a row it sees comes
/// back as an object, of its type through `node`. The object to compare
/// field by field, when there is one; `show` renders an answer in a message.
pub(crate) fn by_id<'r>(
    named: &ById<'_>,
    shape: &str,
    got: &'r Raw,
    missing: &Raw,
    visible: bool,
    show: impl Fn(&Raw) -> String,
    errs: &mut Vec<String>,
) -> Option<&'r Value> {
    if !visible {
        if got.status != missing.status || got.text != missing.text {
            errs.push(format!(
                "{}: {shape} must answer exactly as for a missing {} \
                 (expected {} {}, got {} {})",
                named.hidden_as,
                named.missing,
                missing.status,
                missing.text,
                got.status,
                show(got)
            ));
        }
        return None;
    }
    let node = &got.body["data"][shape];
    if got.has_errors() || !node.is_object() {
        errs.push(format!(
            "{}: {shape}: expected the {}, got {}",
            named.shown_as,
            named.noun,
            show(got)
        ));
        return None;
    }
    if shape == "node" && node["__typename"] != named.typename {
        errs.push(format!(
            "{}: node: __typename {}",
            named.shown_as, node["__typename"]
        ));
    }
    Some(node)
}
