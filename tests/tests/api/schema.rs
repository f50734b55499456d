//! `schema.graphql` at the root must be what the server exports.

#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let checked_in = std::fs::read_to_string(&path).expect("schema.graphql at the repository root");
    let current = heatshield::graphql::sdl();
    assert!(
        checked_in == current,
        "schema.graphql is stale: run `make schema` (heatshield export-schema -o schema.graphql) and commit it"
    );
}
