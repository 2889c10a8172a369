//! The README walkthroughs, run top to bottom as written (issue 21: a new
//! user following them literally hit past dates, a triage that could not
//! run and a placeholder that failed).
//!
//! The README itself is the script. In the walkthrough sections every
//! GraphQL operation — each operation of a fenced ```graphql block, and
//! each inline code span that is a whole operation (`mutation { … }`,
//! `query { … }`, `subscription { … }`, `{ field … }`) — must be preceded by
//! a hidden `<!-- run: as ACCOUNT[, ACCOUNT…][; expect CODE] -->` line (or
//! `<!-- run: skip: why -->`), and the accounts it names must be named in
//! the section's visible text. An operation without one fails the test, so
//! a new example cannot be left out silently. Each runs, as each account in
//! turn, against a server that built the demo world, with only its `<…>`
//! placeholders replaced by ids that earlier steps returned (`resolve`);
//! it must answer without errors, or with exactly the refusal `expect`
//! names, which the README states next to it.
use accord_server::demo::{ACCOUNTS, DEMO_PASSWORD};
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::helpers::*;
use crate::on_both_backends_with;

const README: &str = include_str!("../../README.md");

/// The walkthrough sections, by the start of their heading.
const WALKTHROUGHS: [&str; 7] = [
    "## Cases and who sees them",
    "## Sealed identity",
    "## Cover a trial",
    "## When consent",
    "## Report an attack",
    "## Draft a joint démarche",
    "## Languages and times",
];

#[derive(Debug, Clone, PartialEq)]
enum Directive {
    Run {
        accounts: Vec<String>,
        expect: Option<String>,
    },
    Skip,
}

#[derive(Debug)]
struct Step {
    section: String,
    /// 1-based README line of the operation (its first line for a block).
    line: usize,
    directive: Directive,
    operation: String,
}

fn parse_directive(text: &str, line: usize) -> Directive {
    let body = text.trim();
    if let Some(why) = body.strip_prefix("skip:") {
        assert!(!why.trim().is_empty(), "line {line}: a skip needs a reason");
        return Directive::Skip;
    }
    let mut parts = body.split(';').map(str::trim);
    let accounts = parts
        .next()
        .and_then(|p| p.strip_prefix("as "))
        .unwrap_or_else(|| {
            panic!("line {line}: `<!-- run: as ACCOUNT… -->` expected, got {body:?}")
        })
        .split(',')
        .map(|a| a.trim().to_owned())
        .collect::<Vec<_>>();
    let mut expect = None;
    for part in parts {
        let code = part
            .strip_prefix("expect ")
            .unwrap_or_else(|| panic!("line {line}: unknown directive part {part:?}"));
        expect = Some(code.trim().to_owned());
    }
    Directive::Run { accounts, expect }
}

/// Whether an inline code span is a whole operation meant to be sent (and
/// not a fragment such as `reviseStatement(id:, …)` or a JSON header).
fn is_operation(code: &str) -> bool {
    let code = code.trim();
    let shaped = ["mutation {", "query {", "subscription {"]
        .iter()
        .any(|p| code.starts_with(p))
        || code
            .strip_prefix("{ ")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_lowercase());
    shaped && code.ends_with('}')
}

/// The top-level operations of a GraphQL document, in order (braces inside
/// strings do not count).
fn split_operations(doc: &str) -> Vec<String> {
    let mut ops = Vec::new();
    let (mut depth, mut in_string, mut start) = (0usize, false, 0usize);
    let mut prev = ' ';
    for (i, c) in doc.char_indices() {
        match c {
            '"' if prev != '\\' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth = depth.checked_sub(1).expect("unbalanced braces");
                if depth == 0 {
                    ops.push(doc[start..=i].trim().to_owned());
                    start = i + 1;
                }
            }
            _ => {}
        }
        prev = c;
    }
    assert!(
        doc[start..].trim().is_empty() && depth == 0,
        "unbalanced document: {doc}"
    );
    ops
}

/// Every operation of the walkthrough sections of `markdown`, with its
/// directive, in document order.
fn extract(markdown: &str, walkthroughs: &[&str]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut section: Option<String> = None;
    let mut visible = HashMap::<String, String>::new();
    let mut pending: Option<(Directive, usize)> = None;
    let mut fence: Option<(String, usize, String)> = None;
    let mut take = |pending: &mut Option<(Directive, usize)>,
                    section: &str,
                    line: usize,
                    operation: String,
                    keep: bool| {
        let (directive, _) = pending.clone().unwrap_or_else(|| {
            panic!("README line {line}: operation without a `<!-- run: … -->` line before it: {operation}")
        });
        if !keep {
            *pending = None;
        }
        steps.push(Step {
            section: section.to_owned(),
            line,
            directive,
            operation,
        });
    };
    for (n, line) in markdown.lines().enumerate() {
        let n = n + 1;
        if let Some((lang, start, body)) = fence.as_mut() {
            if line.trim_start().starts_with("```") {
                if lang == "graphql"
                    && let Some(s) = section.as_deref()
                {
                    let ops = split_operations(body);
                    let count = ops.len();
                    for (i, op) in ops.into_iter().enumerate() {
                        take(&mut pending, s, *start, op, i + 1 < count);
                    }
                }
                fence = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if line.starts_with("## ") {
            if let Some((_, at)) = &pending {
                panic!("README line {at}: a `<!-- run: -->` line with no operation after it");
            }
            section = walkthroughs
                .iter()
                .find(|w| line.starts_with(*w))
                .map(|w| (*w).to_owned());
            continue;
        }
        let Some(s) = section.clone() else { continue };
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            fence = Some((lang.trim().to_owned(), n + 1, String::new()));
            continue;
        }
        // Directives and inline code spans, in the order they come.
        let mut rest = line;
        let mut shown = String::new();
        loop {
            let comment = rest.find("<!-- run:");
            let tick = rest.find('`');
            match (comment, tick) {
                (Some(c), t) if t.is_none_or(|t| c < t) => {
                    shown.push_str(&rest[..c]);
                    let after = &rest[c + "<!-- run:".len()..];
                    let end = after
                        .find("-->")
                        .unwrap_or_else(|| panic!("README line {n}: unclosed `<!-- run:`"));
                    if let Some((_, at)) = &pending {
                        panic!("README line {at}: a `<!-- run: -->` with no operation after it");
                    }
                    pending = Some((parse_directive(&after[..end], n), n));
                    rest = &after[end + 3..];
                }
                (_, Some(t)) => {
                    shown.push_str(&rest[..=t]);
                    let after = &rest[t + 1..];
                    let Some(end) = after.find('`') else {
                        shown.push_str(after);
                        break;
                    };
                    let code = &after[..end];
                    shown.push_str(code);
                    shown.push('`');
                    if is_operation(code) {
                        take(&mut pending, &s, n, code.trim().to_owned(), false);
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    shown.push_str(rest);
                    break;
                }
            }
        }
        let text = visible.entry(s).or_default();
        text.push_str(&shown);
        text.push('\n');
    }
    if let Some((_, at)) = pending {
        panic!("README line {at}: a `<!-- run: -->` line with no operation after it");
    }
    // The account a step runs as is one the reader is told about.
    for step in &steps {
        if let Directive::Run { accounts, .. } = &step.directive {
            for a in accounts {
                assert!(
                    visible[&step.section].contains(&format!("`{a}")),
                    "README line {}: runs as {a}, whom the section's text never names",
                    step.line
                );
            }
        }
    }
    steps
}

/// The value of a `<…>` placeholder: an id that an earlier step returned,
/// found by what the placeholder says, newest answer first.
fn resolve(name: &str, answers: &[Value]) -> String {
    type Pick = fn(&str, &serde_json::Map<String, Value>) -> bool;
    let pick: Pick = match name {
        "id of Defender A" => |_, o| o.get("pseudonym") == Some(&json!("Defender A")),
        "id of Defender B" => |_, o| o.get("pseudonym") == Some(&json!("Defender B")),
        "id of Defender C" => |_, o| o.get("pseudonym") == Some(&json!("Defender C")),
        "id of the coalition" => {
            |_, o| o.get("name") == Some(&json!("Like-minded HRD group — Manila"))
        }
        "id of the Davao hearing" => {
            |_, o| o.get("court") == Some(&json!("Regional Trial Court, Branch 12"))
        }
        "id of the hearing you scheduled" => |key, _| key == "scheduleHearing",
        "id of the earlier THREAT report" => |_, o| {
            o.get("attackTypes")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|x| x == "THREAT"))
        },
        "id of the PHYSICAL_ATTACK report" => |_, o| {
            o.get("attackTypes")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|x| x == "PHYSICAL_ATTACK"))
        },
        "id of the report you submitted" => |key, _| key == "submitAttackReport",
        "id of the statement you created" => |key, _| key == "createStatement",
        "id of the reveal request" => |key, _| key == "requestIdentityReveal",
        "id of the offer" => |key, _| key == "offerRosterClaim",
        "your user id" => |key, _| key == "user",
        "when it was delivered" => return chrono::Utc::now().to_rfc3339(),
        other => panic!("README placeholder <{other}> has no resolver in walkthroughs.rs"),
    };
    fn find(key: &str, v: &Value, pick: Pick) -> Option<String> {
        match v {
            Value::Object(o) => {
                if pick(key, o)
                    && let Some(id) = o.get("id").and_then(Value::as_str)
                {
                    return Some(id.to_owned());
                }
                o.iter().find_map(|(k, v)| find(k, v, pick))
            }
            Value::Array(a) => a.iter().find_map(|v| find(key, v, pick)),
            _ => None,
        }
    }
    answers
        .iter()
        .rev()
        .find_map(|a| find("", a, pick))
        .unwrap_or_else(|| panic!("no earlier step returned <{name}>"))
}

/// `operation` with each `<…>` replaced.
fn substitute(operation: &str, answers: &[Value]) -> String {
    let mut out = String::new();
    let mut rest = operation;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .map(|c| open + c)
            .unwrap_or_else(|| panic!("unclosed placeholder in {operation}"));
        out.push_str(&rest[..open]);
        out.push_str(&resolve(&rest[open + 1..close], answers));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_extraction_finds_blocks_and_inline_operations_and_needs_a_directive() {
    let md = "# x\n## Walk\nAs `a-user`: <!-- run: as a-user --> `{ me { id } }`, not `reviseStatement(id:)`.\n\
              <!-- run: as a-user; expect NOT_FOUND -->\n```graphql\nmutation { a(s: \"}\") { id } }\n\
              mutation { b { id } }\n```\n```sh\ncurl `{ x }`\n```\n## Other\n`{ me { id } }`\n";
    let steps = extract(md, &["## Walk"]);
    let ops: Vec<&str> = steps.iter().map(|s| s.operation.as_str()).collect();
    assert_eq!(
        ops,
        [
            "{ me { id } }",
            "mutation { a(s: \"}\") { id } }",
            "mutation { b { id } }"
        ]
    );
    assert_eq!(
        steps[2].directive,
        Directive::Run {
            accounts: vec!["a-user".into()],
            expect: Some("NOT_FOUND".into())
        }
    );
    let without =
        std::panic::catch_unwind(|| extract("## Walk\n`mutation { x { id } }`\n", &["## Walk"]));
    assert!(without.is_err(), "an operation without a directive passed");
    let unnamed = std::panic::catch_unwind(|| {
        extract(
            "## Walk\n<!-- run: as b-user --> `{ me { id } }`\n",
            &["## Walk"],
        )
    });
    assert!(unnamed.is_err(), "an account the text never names passed");
    assert_eq!(
        substitute(
            "{ x(id: \"<id of the hearing you scheduled>\") }",
            &[json!({ "scheduleHearing": { "id": "H1" } })]
        ),
        "{ x(id: \"H1\") }"
    );
}

on_both_backends_with! {
    async fn the_readme_walkthroughs_run_as_written(app: TestApp) with |c| {
        c.demo = None;
        c.bootstrap_admin_email = None;
    }; {
        let steps = extract(README, &WALKTHROUGHS);
        for w in WALKTHROUGHS {
            assert!(
                steps.iter().any(|s| s.section == w && matches!(s.directive, Directive::Run { .. })),
                "nothing to run in {w}"
            );
        }
        let mut tokens: HashMap<String, String> = HashMap::new();
        let mut answers: Vec<Value> = Vec::new();
        let mut ran = 0;
        for step in &steps {
            let Directive::Run { accounts, expect } = &step.directive else {
                continue;
            };
            for account in accounts {
                let email = format!("{account}@accord.example");
                assert!(
                    ACCOUNTS.iter().any(|a| a.email == email),
                    "README line {}: {account} is not a demo account",
                    step.line
                );
                if !tokens.contains_key(&email) {
                    let actor = app.login(&email, DEMO_PASSWORD).await;
                    tokens.insert(email.clone(), actor.token);
                }
                let operation = substitute(&step.operation, &answers);
                let r = app.gql(Some(&tokens[&email]), &operation, json!({})).await;
                let errors = r.body.get("errors").and_then(Value::as_array).map_or(0, Vec::len);
                match expect {
                    None => assert!(
                        errors == 0 && !r.body["data"].is_null(),
                        "README line {} as {account}: {operation}\n→ {}",
                        step.line,
                        r.body
                    ),
                    Some(code) => assert_eq!(
                        r.body["errors"][0]["extensions"]["code"].as_str(),
                        Some(code.as_str()),
                        "README line {} as {account} should be refused with {code}: {operation}\n→ {}",
                        step.line,
                        r.body
                    ),
                }
                // ACCORD_TEST_PRINT_WALKTHROUGH=1 shows what a reader would see.
                if std::env::var("ACCORD_TEST_PRINT_WALKTHROUGH").is_ok_and(|v| v == "1") {
                    eprintln!("line {} as {account}: {operation}\n  → {}", step.line, r.body);
                }
                answers.push(r.body["data"].clone());
                ran += 1;
            }
        }
        assert!(ran >= 40, "only {ran} operations ran");
    }
}

/// The README once cited a DESIGN.md that was not in the repository: every
/// `*.md` file the documentation names (as a link or in the text) exists,
/// next to the citing file or from the repository's root.
#[test]
fn the_documentation_cites_only_files_in_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for doc in [
        "README.md",
        "docs/RULES.md",
        "docs/SECURITY.md",
        "ops/README.md",
        "bench/README.md",
    ] {
        let path = root.join(doc);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let here = path.parent().expect("a folder");
        let names = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || "/_.-".contains(c)))
            .filter(|w| w.ends_with(".md") && w.len() > 3)
            .map(|w| w.trim_start_matches("./"));
        for name in names {
            assert!(
                here.join(name).exists() || root.join(name).exists(),
                "{doc} cites {name}, which is not in the repository"
            );
        }
    }
}
