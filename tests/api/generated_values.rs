//! Generated values count nothing a reader cannot see (SECURITY.md,
//! "generated values" and "lock before ask"; rules 1 and 9): case
//! references are random and typeable, old sequential ones keep working, two
//! worlds that differ only in cases one country cannot see look the same to
//! it (references, counts, cursors, errors), and a mutation on an unseen id
//! takes no lock.
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use regex::Regex;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{Value, json};

use crate::builders::{consent, open_case, share};
use crate::helpers::*;
use crate::on_both_backends;

const BY_REFERENCE: &str = "query($r: String!) { caseByReference(reference: $r) { id reference } }";
const BY_ID: &str = "query($id: ID!) { case(id: $id) { id reference } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { id } }";
const UPDATE: &str =
    "mutation($id: ID!) { updateCase(id: $id, input: { riskLevel: LOW }) { id riskLevel } }";
const PAGE: &str = "query($after: String) { cases(first: 2, after: $after) { totalCount
    edges { cursor node { pseudonym visibility ownerCountry reference } } pageInfo { hasNextPage endCursor } } }";

/// The documented shape of a new case reference (`PH-2026-K7QM-4TXR`).
fn random_reference() -> Regex {
    Regex::new(
        r"^PH-\d{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}$",
    )
    .expect("regex")
}

fn missing_case_id() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("Case:{}", uuid::Uuid::new_v4()))
}

on_both_backends! {
    async fn case_references_are_random_typeable_and_findable(app: TestApp) {
        let coord = app.user("COORDINATOR", "NL").await;
        let outsider = app.user("COORDINATOR", "CH").await;
        let shape = random_reference();
        let mut seen = std::collections::HashSet::new();
        for i in 0..4 {
            let case = open_case(&coord, &format!("Defender {i}"), "Name").await;
            let reference = str_of(&case["reference"], "reference");
            assert!(shape.is_match(&reference), "{reference}");
            assert!(seen.insert(reference.clone()), "{reference} issued twice");
            // As typed by hand: lower case, surrounding space.
            let typed = format!("  {}\n", reference.to_lowercase());
            let found = coord.q(BY_REFERENCE, json!({ "r": typed })).await;
            assert_eq!(found.data()["caseByReference"]["id"], case["id"]);
            // Another country: exactly as a reference nobody holds.
            let unseen = raw(&outsider, BY_REFERENCE, json!({ "r": reference })).await;
            let missing = raw(&outsider, BY_REFERENCE, json!({ "r": "PH-2026-2222-2222" })).await;
            assert_eq!(unseen.code(), Some("NOT_FOUND"));
            assert_eq!((unseen.status, &unseen.text), (missing.status, &missing.text));
        }
    }

    async fn a_case_id_in_another_spelling_is_no_id(app: TestApp) {
        use base64::Engine;
        let coord = app.user("COORDINATOR", "NL").await;
        let case = open_case(&coord, "Defender S", "Name").await;
        let id = str_of(&case["id"], "id");
        let spelled = |f: &dyn Fn(&str) -> String| {
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&id).expect("base64");
            let text = String::from_utf8(raw).expect("utf-8");
            let uuid = text.strip_prefix("Case:").expect("a case id");
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Case:{}", f(uuid)))
        };
        coord.q(BY_ID, json!({ "id": spelled(&|u| u.to_owned()) })).await.data();
        let missing = raw(&coord, BY_ID, json!({ "id": missing_case_id() })).await;
        for other in [
            spelled(&|u| u.to_uppercase()),
            spelled(&|u| format!("{{{u}}}")),
            spelled(&|u| format!("urn:uuid:{u}")),
            format!("{id}="),
        ] {
            let r = raw(&coord, BY_ID, json!({ "id": other })).await;
            assert_eq!((r.status, &r.text), (missing.status, &missing.text), "{other}");
        }
    }

    async fn sequential_references_of_older_cases_keep_working(app: TestApp) {
        let coord = app.user("COORDINATOR", "NL").await;
        let outsider = app.user("COORDINATOR", "CH").await;
        let case = open_case(&coord, "Defender Old", "Name").await;
        // A case opened before references became random keeps its number.
        app.db()
            .execute_unprepared(&format!(
                "UPDATE cases SET reference = 'PH-2025-0007' WHERE reference = '{}'",
                str_of(&case["reference"], "reference")
            ))
            .await
            .expect("old reference set");
        let found = coord.q(BY_REFERENCE, json!({ "r": "ph-2025-0007 " })).await;
        assert_eq!(found.data()["caseByReference"]["id"], case["id"]);
        assert_eq!(found.data()["caseByReference"]["reference"], "PH-2025-0007");
        let unseen = raw(&outsider, BY_REFERENCE, json!({ "r": "PH-2025-0007" })).await;
        let missing = raw(&outsider, BY_REFERENCE, json!({ "r": "PH-2025-0008" })).await;
        assert_eq!((unseen.status, &unseen.text), (missing.status, &missing.text));
        // A new case is still random, whatever old numbers exist.
        let next = open_case(&coord, "Defender New", "Name").await;
        assert!(random_reference().is_match(&str_of(&next["reference"], "reference")));
    }

    async fn two_worlds_differing_only_in_unseen_cases_look_the_same(app: TestApp) {
        // `app` is the world with every case; its twin holds only the cases
        // CH sees, opened in the same order. CH must not tell them apart.
        let backend = if app.state().config.database_url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let seed: u64 = rand::random();
        let mut rng = StdRng::seed_from_u64(seed);
        let Some(twin) = TestApp::spawn(backend).await else { return };
        let full = World::new(&app).await;
        let seen_only = World::new(&twin).await;
        let mut unseen_cases = Vec::new();
        for i in 0..(6 + rng.gen_range(0..6)) {
            let owner = ["CH", "NL", "CA"][rng.gen_range(0..3)];
            let level = (owner != "CH" && rng.gen_bool(0.5))
                .then(|| if rng.gen_bool(0.5) { "DETAIL" } else { "SUMMARY" });
            let case = full.open(owner, i, level).await;
            if owner == "CH" || level.is_some() {
                seen_only.open(owner, i, level).await;
            } else {
                unseen_cases.push(case);
            }
        }
        let (a, references) = full.view_of_ch().await;
        let (b, _) = seen_only.view_of_ch().await;
        assert_eq!(a, b, "seed {seed}: CH's view depends on cases it cannot see");
        // Every reference CH reads is random: none counts the others' cases.
        for r in &references {
            assert!(random_reference().is_match(r), "seed {seed}: {r}");
        }
        // An unseen case answers exactly like a missing one, by id, by node,
        // by reference and to a mutation.
        let ch = &full.ch;
        for case in &unseen_cases {
            let id = str_of(&case["id"], "id");
            for (query, vars, missing) in [
                (BY_ID, json!({ "id": id }), json!({ "id": missing_case_id() })),
                (NODE, json!({ "id": id }), json!({ "id": missing_case_id() })),
                (UPDATE, json!({ "id": id }), json!({ "id": missing_case_id() })),
                (BY_REFERENCE, json!({ "r": case["reference"] }), json!({ "r": "PH-2026-2222-2222" })),
            ] {
                let unseen = raw(ch, query, vars).await;
                let absent = raw(ch, query, missing).await;
                assert_eq!(
                    (unseen.status, &unseen.text),
                    (absent.status, &absent.text),
                    "seed {seed}: {query}"
                );
            }
        }
    }
}

/// One test world: a coordinator each for CH (the reader), NL and CA.
struct World {
    ch: Actor,
    nl: Actor,
    ca: Actor,
}

/// What CH can observe of the cases, with the values that are random in
/// every world (ids, references, cursors) reduced to their shape (the
/// references come apart: their shape is checked on their own).
#[derive(Debug, PartialEq)]
struct View {
    total_counts: Vec<Value>,
    rows: Vec<(Value, Value, Value)>,
    has_next: Vec<Value>,
    cursor_lengths: Vec<usize>,
}

impl World {
    async fn new(app: &TestApp) -> World {
        World {
            ch: app.user("COORDINATOR", "CH").await,
            nl: app.user("COORDINATOR", "NL").await,
            ca: app.user("COORDINATOR", "CA").await,
        }
    }

    async fn open(&self, owner: &str, i: usize, shared_with_ch: Option<&str>) -> Value {
        let by = match owner {
            "CH" => &self.ch,
            "NL" => &self.nl,
            _ => &self.ca,
        };
        let case = open_case(by, &format!("Defender {owner}{i}"), "Name").await;
        if let Some(level) = shared_with_ch {
            let id = str_of(&case["id"], "id");
            consent(by, &id, true).await.data();
            share(by, &id, "CH", level).await.data();
        }
        case
    }

    async fn view_of_ch(&self) -> (View, Vec<String>) {
        let mut view = View {
            total_counts: Vec::new(),
            rows: Vec::new(),
            has_next: Vec::new(),
            cursor_lengths: Vec::new(),
        };
        let mut references = Vec::new();
        let mut after = Value::Null;
        loop {
            let r = self.ch.q(PAGE, json!({ "after": after })).await;
            let page = &r.data()["cases"];
            view.total_counts.push(page["totalCount"].clone());
            for edge in page["edges"].as_array().expect("edges") {
                let n = &edge["node"];
                view.rows.push((
                    n["pseudonym"].clone(),
                    n["visibility"].clone(),
                    n["ownerCountry"].clone(),
                ));
                view.cursor_lengths
                    .push(str_of(&edge["cursor"], "cursor").len());
                references.push(str_of(&n["reference"], "reference"));
            }
            view.has_next.push(page["pageInfo"]["hasNextPage"].clone());
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        (view, references)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_on_an_unseen_case_takes_no_lock() {
    // PostgreSQL only: SQLite has no row locks (one writer at a time, so an
    // unseen id cannot hold anything a missing one does not).
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let owner = app.user("COORDINATOR", "NL").await;
    let outsider = app.user("COORDINATOR", "CH").await;
    let case = open_case(&owner, "Defender L", "Name").await;
    let id = str_of(&case["id"], "id");
    // Another session holds the case row locked for as long as it likes.
    let holder = app.db().begin().await.expect("txn");
    holder
        .execute_unprepared(&format!(
            "SELECT id FROM cases WHERE reference = '{}' FOR UPDATE",
            str_of(&case["reference"], "reference")
        ))
        .await
        .expect("row locked");
    // The outsider's mutation is answered while the lock is held: it never
    // waited for the row, because it never reached it.
    let answered = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        raw(&outsider, UPDATE, json!({ "id": id })),
    )
    .await
    .expect("an unseen id must not wait for the row lock");
    let missing = raw(&outsider, UPDATE, json!({ "id": missing_case_id() })).await;
    assert_eq!(answered.code(), Some("NOT_FOUND"));
    assert_eq!(
        (answered.status, &answered.text),
        (missing.status, &missing.text)
    );
    holder.rollback().await.expect("released");
    // The owner's write still goes through the lock, and succeeds.
    let changed = owner.q(UPDATE, json!({ "id": id })).await;
    assert_eq!(changed.data()["updateCase"]["riskLevel"], "LOW");
}
