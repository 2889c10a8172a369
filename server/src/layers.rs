//! The import floors of `server/src`, checked by the test suite: each
//! top-level room (a file or folder under `src/`) sits on a floor, and a room
//! may name (`crate::x`) only rooms on floors below its own — never one on
//! its floor or above. So no import points up and there is no cycle between
//! rooms; inside a room (the GraphQL object graph in `graphql/`, say) files
//! may reference each other freely. `super::` never leaves a room.
//!
//! A new room must be given a floor here; an import that breaks the order is
//! printed with its file and line.
use std::collections::BTreeMap;
use std::path::Path;

/// The floors, lowest first. A room may import only rooms listed on
/// earlier lines. Keep README "Architecture" in step.
const FLOORS: &[&[&str]] = &[
    // Text people read: message bundles, dates and times per language.
    &["i18n", "msg"],
    // Plain types, rules and time, free of I/O.
    &["clock", "domain"],
    // The one error type (it tells an outage from a mistake).
    &["error"],
    &["crypto", "work", "batch"],
    &["config"],
    // Connecting; entities; the cross-process change hub; logging.
    &["db", "store", "live", "telemetry"],
    &["auth", "metrics"],
    // Who may see what; the audit trail; email (notices, outbox, transport).
    &["policy", "audit", "mail"],
    // Per-process state (it names the claim queue's answer, a `Seen` hearing).
    &["state"],
    // Use cases.
    &["service"],
    // Periodic system work; the demo world; the GraphQL schema; the pages.
    &["jobs", "demo", "graphql", "web"],
    &["http"],
    &["app"],
    &["cli"],
    // The binary and the table of contents name the crate, not `crate::`.
    &["main", "lib"],
];

/// Known upward imports, each to be removed by the change named with it.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// This file: its tests plant upward imports in strings.
const SELF: &str = "layers.rs";

/// One import against the floors.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
    why: &'static str,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}` imports `{}`: {}",
            self.file, self.line, self.from, self.to, self.why
        )
    }
}

/// The floor of each room.
fn floors() -> BTreeMap<&'static str, usize> {
    let mut floor_of = BTreeMap::new();
    for (floor, rooms) in FLOORS.iter().enumerate() {
        for room in *rooms {
            assert!(
                floor_of.insert(*room, floor).is_none(),
                "{room} is on two floors"
            );
        }
    }
    floor_of
}

/// The room of a file, from its path under `src/`: `http/mod.rs` → `http`.
fn room_of(path: &str) -> &str {
    let first = path.split('/').next().unwrap_or(path);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// The source without its comments (line comments and doc comments; block
/// comments are not used in this crate), so prose naming a path is no import.
fn code_of(source: &str) -> String {
    source
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rooms named by `crate::` paths in `code`, with the offset of each:
/// `crate::x::…` names `x`; `crate::{x, y::z}` names `x` and `y`.
fn references(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("crate::") {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b == b'$' || b == b'_' || b.is_ascii_alphanumeric()) {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let start = at + "crate::{".len();
            let mut depth = 1;
            let mut item_start = true;
            let mut ident = String::new();
            for (i, c) in group.char_indices() {
                if c == '_' || c.is_ascii_alphanumeric() {
                    if depth == 1 && item_start {
                        ident.push(c);
                    }
                    continue;
                }
                if !ident.is_empty() {
                    found.push((start + i - ident.len(), std::mem::take(&mut ident)));
                    item_start = false;
                }
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => item_start = true,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            }
        } else {
            let ident: String = rest
                .chars()
                .take_while(|c| *c == '_' || c.is_ascii_alphanumeric())
                .collect();
            found.push((at, ident));
        }
    }
    found.retain(|(_, room)| !room.is_empty() && room != "self");
    found
}

/// The imports of one file (path under `src/`) that break the floors.
fn violations(path: &str, source: &str) -> Vec<Violation> {
    let floor_of = floors();
    let from = room_of(path);
    let code = code_of(source);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut report = |at: usize, to: String, why: &'static str| {
        found.push(Violation {
            file: path.to_owned(),
            line: line_of(at),
            from: from.to_owned(),
            to,
            why,
        });
    };
    let Some(&here) = floor_of.get(from) else {
        report(
            0,
            from.to_owned(),
            "this room has no floor (add it to `FLOORS`)",
        );
        return found;
    };
    // `super::` stays in the room: a top-level file's own `use super::…`
    // (not indented, so not in an inline module) and any `super::super::`
    // would reach the crate root unchecked.
    let top_level =
        !path.contains('/') || (path.ends_with("/mod.rs") && path.matches('/').count() == 1);
    for (at, _) in code.match_indices("super::") {
        let climbs = code[at..].starts_with("super::super::");
        let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
        let from_root =
            top_level && code[line_start..at].starts_with("use ") && line_start + 4 == at;
        if climbs || from_root {
            report(
                at,
                "super::".into(),
                "a `super::` path out of the room (name it `crate::`)",
            );
        }
    }
    for (at, to) in references(&code) {
        if to == from || EXCEPTIONS.contains(&(from, to.as_str())) {
            continue;
        }
        match floor_of.get(to.as_str()) {
            None => report(
                at,
                format!("crate::{to}"),
                "no such room has a floor (add it to `FLOORS`)",
            ),
            Some(&there) if there > here => {
                report(at, format!("crate::{to}"), "an import pointing up")
            }
            Some(&there) if there == here => report(
                at,
                format!("crate::{to}"),
                "an import between rooms of one floor",
            ),
            Some(_) => {}
        }
    }
    found
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, root, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .map_err(std::io::Error::other)?
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

#[test]
fn no_import_points_up_and_no_room_imports_its_own_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files).expect("server/src is readable");
    assert!(files.len() > 50, "found only {} files", files.len());
    let found: Vec<String> = files
        .iter()
        .filter(|(path, _)| path != SELF)
        .flat_map(|(path, source)| violations(path, source))
        .map(|v| v.to_string())
        .collect();
    assert!(
        found.is_empty(),
        "imports against the floors:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_planted_upward_import_fails() {
    let planted = "use crate::error::AppError;\nuse crate::http::router;\n";
    let found = violations("mail/render.rs", planted);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].to_string(),
        "mail/render.rs:2: `mail` imports `crate::http`: an import pointing up"
    );
    // In a group, across lines, and as a path in an expression.
    let grouped = "use crate::{\n    domain,\n    service::auth::{self, x},\n};\nfn f() { crate::jobs::spawn(); }\n";
    let found = violations("policy/cases.rs", grouped);
    let named: Vec<(usize, &str)> = found.iter().map(|v| (v.line, v.to.as_str())).collect();
    assert_eq!(
        named,
        [(3, "crate::service"), (5, "crate::jobs")],
        "{found:?}"
    );
    // One floor: `mail` and `policy` may not name each other.
    assert_eq!(violations("mail/mod.rs", "use crate::policy::x;").len(), 1);
    // A comment is no import; `$crate` and `a_crate::` are not `crate::`.
    assert!(
        violations(
            "store/case.rs",
            "/// see crate::http\nlet a = $crate::x; my_crate::http;"
        )
        .is_empty()
    );
    // A room without a floor is told.
    assert_eq!(
        violations("newroom.rs", "")[0].why,
        "this room has no floor (add it to `FLOORS`)"
    );
    // `super::` may not leave the room.
    assert_eq!(violations("state.rs", "use super::service::x;").len(), 1);
    assert_eq!(
        violations("http/limits.rs", "use super::super::jobs;").len(),
        1
    );
    assert!(violations("state.rs", "mod tests {\n    use super::*;\n}").is_empty());
    // Downward and same-room imports pass.
    assert!(
        violations(
            "http/graphql.rs",
            "use crate::graphql::x; use crate::http::y; use super::z;"
        )
        .is_empty()
    );
}
