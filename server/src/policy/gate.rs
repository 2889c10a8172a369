//! The single gate, checked by the test suite: outside `policy/` and `store/`
//! no code reads case, share, category, hearing, claim, observation (and
//! observation revision), attack-report or statement rows directly. Such a
//! read must either go through a policy scope (as the person who will see
//! the result) or be a `store::*::internal_*` function — the
//! greppable escape for system paths with no viewer (key rotation, the
//! outbox, reminders, roster reconciliation). A planted direct read makes
//! `the_tree_passes_the_gate` fail. Writes too: outside `store/` (and the
//! access index in `policy/`) no code builds a guarded `ActiveModel` or
//! inserts, updates or deletes guarded rows; a use case calls a named
//! `store::<table>` write (`a_planted_write_fails`).
use std::path::Path;

use regex::Regex;

/// The store modules whose rows only the policy may hand out.
const GUARDED: &str = "case|case_share|case_category|hearing|roster_claim|observation|observation_revision|attack_report|attack_report_type|attack_report_perpetrator|attack_report_response|attack_report_prior|report_access|statement|statement_version|statement_participant|statement_case";
/// Their tables, for raw SQL.
const TABLES: &str = "cases|case_shares|case_categories|hearings|roster_claims|observations|observation_revisions|attack_reports|attack_report_types|attack_report_perpetrators|attack_report_responses|attack_report_priors|report_access|statements|statement_versions|statement_participants|statement_cases";

/// The write rule's name.
const WRITE_RULE: &str = "a guarded row written outside store/";
/// Use cases whose writes have not yet moved to `store/` (issue 22): the
/// write rule skips them until they do. Shrink, never grow.
const WRITES_NOT_YET_IN_STORE: &[&str] = &["service/statements.rs"];

/// One forbidden line.
#[derive(Debug, PartialEq, Eq)]
pub struct Violation {
    pub file: String,
    pub line: usize,
    pub rule: &'static str,
}

fn rules() -> Vec<(&'static str, Regex)> {
    let build = |p: String| Regex::new(&p).expect("the gate's own patterns compile");
    vec![
        (
            "a direct find on a guarded entity",
            build(format!(r"\b({GUARDED})::Entity\s*::\s*find")),
        ),
        (
            "a guarded entity renamed or reached through a trait",
            build(format!(r"\b({GUARDED})::Entity\s+as\b")),
        ),
        (
            "a guarded entity imported by name",
            build(format!(r"store::({GUARDED})::(Entity\b|\{{[^}}]*\bEntity\b)")),
        ),
        (
            "a guarded table in a hand-built query",
            build(format!(
                r"\.(from|join|inner_join|left_join|right_join|from_subquery)\(\s*(crate::store::)?({GUARDED})::Entity"
            )),
        ),
        (
            "a guarded table in raw SQL",
            build(format!(r"(?i)\b(from|join|update|into)\s+({TABLES})\b")),
        ),
        (
            WRITE_RULE,
            build(format!(
                r"\b({GUARDED})::(ActiveModel\b|Entity\s*::\s*(insert|insert_many|update|update_many|delete|delete_many|delete_by_id)\b)|store::({GUARDED})::\{{[^}}]*\bActiveModel\b|\.(into_table|table|from_table)\(\s*(crate::store::)?({GUARDED})::Entity"
            )),
        ),
        (
            "a read through a relation",
            build(r"\.(find_related|find_also_related|find_with_related|find_linked|find_also_linked)\s*\(".into()),
        ),
    ]
}

/// The forbidden lines of one source file, given its path under `src/`.
pub fn violations(path: &str, source: &str) -> Vec<Violation> {
    let path = path.replace('\\', "/");
    if path.starts_with("policy/") || path.starts_with("store/") {
        return store_escapes(&path, source);
    }
    let rules = rules();
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (rule, re) in &rules {
            if *rule == WRITE_RULE && WRITES_NOT_YET_IN_STORE.contains(&path.as_str()) {
                continue;
            }
            if re.is_match(code) {
                found.push(Violation {
                    file: path.clone(),
                    line: n + 1,
                    rule,
                });
            }
        }
    }
    found
}

/// In `store/`, a public function that reads a guarded table must say so in
/// its name (`internal_*`), so that every unchecked read can be found.
fn store_escapes(path: &str, source: &str) -> Vec<Violation> {
    let Some(module) = path
        .strip_prefix("store/")
        .and_then(|p| p.strip_suffix(".rs"))
    else {
        return Vec::new();
    };
    if !GUARDED.split('|').any(|g| g == module) {
        return Vec::new();
    }
    let header = Regex::new(r"^pub (async )?fn ([a-z_0-9]+)").expect("pattern compiles");
    let mut found = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut reads = false;
    let close = |current: &Option<(usize, String)>, reads: bool, found: &mut Vec<Violation>| {
        if let Some((line, name)) = current
            && reads
            && !name.starts_with("internal_")
        {
            found.push(Violation {
                file: path.to_owned(),
                line: *line,
                rule: "a store read not named internal_*",
            });
        }
    };
    for (n, line) in source.lines().enumerate() {
        if let Some(c) = header.captures(line) {
            close(&current, reads, &mut found);
            current = Some((n + 1, c[2].to_owned()));
            reads = false;
        } else if line.starts_with('}') {
            close(&current, reads, &mut found);
            current = None;
            reads = false;
        } else if current.is_some() && line.contains("find") {
            reads = true;
        }
    }
    close(&current, reads, &mut found);
    found
}

/// Every violation under `root` (the crate's `src/`).
pub fn scan(root: &Path) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                // The gate's own patterns and planted examples.
                if rel == "policy/gate.rs" {
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                found.extend(violations(&rel, &source));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_passes_the_gate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let found = scan(&root);
        assert!(
            found.is_empty(),
            "direct reads of guarded rows outside policy/ and store/ (go through policy/, or add a store::*::internal_* for a path with no viewer):\n{found:#?}"
        );
    }

    #[test]
    fn a_planted_read_in_graphql_fails() {
        let planted = "async fn leak(db: &DatabaseConnection) {\n    let all = hearing::Entity::find().all(db).await;\n}\n";
        let found = violations("graphql/hearings.rs", planted);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 2);
    }

    #[test]
    fn a_planted_read_in_mail_fails() {
        for planted in [
            "let h = crate::store::hearing::Entity::find_by_id(id).one(db).await?;",
            "use crate::store::roster_claim::Entity as Claims;",
            "use crate::store::case::{Column, Entity};",
            "let q = Query::select().from(case::Entity).to_owned();",
            "db.query_all_raw(Statement::from_string(b, \"SELECT * FROM roster_claims\")).await?;",
            "let shares = c.find_related(case_share::Entity).all(db).await?;",
        ] {
            assert!(
                !violations("mail/worker.rs", planted).is_empty(),
                "not caught: {planted}"
            );
        }
    }

    #[test]
    fn a_planted_write_fails() {
        for planted in [
            "let row = hearing::ActiveModel { id: Set(id), ..Default::default() };",
            "let mut m: case::ActiveModel = seen.model().clone().into();",
            "use crate::store::statement::{ActiveModel, Column};",
            "roster_claim::Entity::insert_many(rows).exec(txn).await?;",
            "case_share::Entity::delete_many().filter(c).exec(txn).await?;",
            "attack_report::Entity :: update_many().exec(txn).await?;",
            "roster_claim::Entity::delete_by_id(id).exec(txn).await?;",
            "let q = Query::insert().into_table(observation::Entity).to_owned();",
            "let q = Query::update().table(crate::store::statement::Entity).to_owned();",
            "txn.execute_unprepared(\"DELETE FROM roster_claims WHERE id = 1\").await?;",
            "txn.execute_unprepared(\"INSERT INTO cases (id) VALUES (1)\").await?;",
            "txn.execute_unprepared(\"UPDATE hearings SET city = 'x'\").await?;",
        ] {
            assert!(
                !violations("service/hearings.rs", planted).is_empty(),
                "not caught: {planted}"
            );
        }
        let fine = "hearing::insert(&txn, row).await?;\nuser::Entity::update_many().exec(db).await?;\nlet a = outbox::ActiveModel { id: Set(id) };";
        assert!(violations("service/hearings.rs", fine).is_empty());
    }

    #[test]
    fn comments_and_other_tables_pass() {
        let fine = "// hearing::Entity::find() is for the policy\nlet u = user::Entity::find_by_id(id);\nlet o = outbox::Entity::find();";
        assert!(violations("mail/worker.rs", fine).is_empty());
    }

    #[test]
    fn policy_may_read_and_store_reads_are_named() {
        let read = "pub async fn find(db: &D) {\n    Entity::find().one(db).await\n}\n";
        assert!(violations("policy/hearings.rs", read).is_empty());
        assert_eq!(violations("store/hearing.rs", read).len(), 1);
        let named = read.replace("fn find", "fn internal_find");
        assert!(violations("store/hearing.rs", &named).is_empty());
        assert!(violations("store/user.rs", read).is_empty());
    }
}
