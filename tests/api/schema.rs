//! `schema.graphql` is the server's SDL. `UPDATE_SCHEMA=1 cargo test --test api schema` rewrites it.
#[test]
fn schema_graphql_matches_the_server() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let current = accord_server::graphql::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok() {
        std::fs::write(&path, &current).expect("write schema.graphql");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == current,
        "schema.graphql differs from the server's schema; re-export it with \
         `UPDATE_SCHEMA=1 cargo test --test api schema` (or `cargo run -- export-schema --output schema.graphql`)"
    );
}
