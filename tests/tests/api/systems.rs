use super::*;

const CREATE: &str = "mutation($input: CreateSystemInput!) { createSystem(input: $input) { system { id code name criticality owner } } }";

async fn systems_can_be_created_changed_listed_and_deleted(app: TestApp) {
    let data = app
        .ok(CREATE, json!({ "input": { "code": "PAY-GW", "name": "Payments gateway", "owner": "Payments", "criticality": "TIER_1" } }), ReleaseManager)
        .await;
    let id = text(&data, "createSystem.system.id");
    assert!(id.starts_with("sys_"));
    assert_eq!(at(&data, "createSystem.system.criticality"), "TIER_1");

    let updated = app
        .ok(
            "mutation($input: UpdateSystemInput!) { updateSystem(input: $input) { system { name owner criticality } } }",
            json!({ "input": { "id": id, "name": "Payments Gateway", "owner": null } }),
            ReleaseManager,
        )
        .await;
    assert_eq!(at(&updated, "updateSystem.system.name"), "Payments Gateway");
    assert_eq!(at(&updated, "updateSystem.system.owner"), &Value::Null);
    assert_eq!(
        at(&updated, "updateSystem.system.criticality"),
        "TIER_1",
        "untouched fields stay"
    );

    app.create_system("ATM").await;
    let list = app
        .ok(
            "{ systems(orderBy: {field: CODE}) { totalCount nodes { code } } }",
            json!({}),
            Viewer,
        )
        .await;
    assert_eq!(at(&list, "systems.totalCount"), 2);
    assert_eq!(at(&list, "systems.nodes.0.code"), "ATM");
    let found = app
        .ok(
            "{ systems(filter: {search: \"gateway\"}) { nodes { code } } }",
            json!({}),
            Viewer,
        )
        .await;
    assert_eq!(at(&found, "systems.nodes"), &json!([{ "code": "PAY-GW" }]));

    app.ok(
        "mutation($id: ID!) { deleteSystem(input: {id: $id}) { deletedId } }",
        json!({ "id": id }),
        Admin,
    )
    .await;
    app.fails(
        "query($id: ID!) { system(id: $id) { code } }",
        json!({ "id": id }),
        Some(Viewer),
        "NOT_FOUND",
    )
    .await;
}

async fn duplicate_codes_and_bad_input_are_refused(app: TestApp) {
    app.create_system("CORE").await;
    let error = app
        .fails(
            CREATE,
            json!({ "input": { "code": "CORE", "name": "Again" } }),
            Some(Admin),
            "CONFLICT",
        )
        .await;
    assert!(error["message"].as_str().unwrap().contains("CORE"));
    let error = app
        .fails(
            CREATE,
            json!({ "input": { "code": "bad code", "name": "x" } }),
            Some(Admin),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "code");
    let error = app
        .fails(
            CREATE,
            json!({ "input": { "code": "OK", "name": "   " } }),
            Some(Admin),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "name");
    // A type mistake is caught before anything runs.
    app.fails(
        CREATE,
        json!({ "input": { "code": "OK", "name": "x", "criticality": "HUGE" } }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    let list = app.ok("{ systems { totalCount } }", json!({}), Admin).await;
    assert_eq!(at(&list, "systems.totalCount"), 1, "nothing half-written");
}

async fn a_system_in_use_cannot_be_deleted(app: TestApp) {
    let system = app.create_system("CARDS").await;
    let release = app.create_release("PR-1", "INDEPENDENT", None).await;
    app.create_package(&release, &system, "card api", "1.0.0")
        .await;
    let error = app
        .fails(
            "mutation($id: ID!) { deleteSystem(input: {id: $id}) { deletedId } }",
            json!({ "id": system }),
            Some(Admin),
            "CONFLICT",
        )
        .await;
    assert!(error["message"].as_str().unwrap().contains("1 package"));
}

both!(
    systems_can_be_created_changed_listed_and_deleted,
    duplicate_codes_and_bad_input_are_refused,
    a_system_in_use_cannot_be_deleted
);
