use super::*;

const CREATE_PHASE: &str = "mutation($input: CreatePhaseInput!) { createPhase(input: $input) { phase { id name position } } }";
const PHASES: &str = "query($id: ID!) { release(id: $id) { phases { name position plannedStart plannedEnd actualStart } } }";

fn names(data: &Value) -> Vec<String> {
    data["release"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn phases_keep_their_order_through_inserts_moves_and_deletes(app: TestApp) {
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let mut ids = Vec::new();
    for (name, start, end) in [
        ("Build", "2027-01-04", "2027-02-01"),
        ("UAT", "2027-02-02", "2027-03-01"),
        ("Go-live", "2027-03-15", "2027-03-15"),
    ] {
        let data = app
            .ok(CREATE_PHASE, json!({ "input": { "releaseId": release, "name": name, "plannedStart": start, "plannedEnd": end } }), ReleaseManager)
            .await;
        ids.push(text(&data, "createPhase.phase.id"));
    }
    // Insert SIT between Build and UAT.
    app.ok(
        CREATE_PHASE,
        json!({ "input": { "releaseId": release, "name": "SIT", "position": 2, "plannedStart": "2027-01-20", "plannedEnd": "2027-02-01" } }),
        ReleaseManager,
    )
    .await;
    assert_eq!(
        names(&app.ok(PHASES, json!({ "id": release }), Viewer).await),
        ["Build", "SIT", "UAT", "Go-live"]
    );

    // Move Go-live to the front, then delete it.
    app.ok(
        "mutation($id: ID!) { updatePhase(input: {id: $id, position: 1}) { phase { position } } }",
        json!({ "id": ids[2] }),
        ReleaseManager,
    )
    .await;
    assert_eq!(
        names(&app.ok(PHASES, json!({ "id": release }), Viewer).await),
        ["Go-live", "Build", "SIT", "UAT"]
    );
    app.ok(
        "mutation($id: ID!) { deletePhase(input: {id: $id}) { deletedId } }",
        json!({ "id": ids[2] }),
        ReleaseManager,
    )
    .await;
    let data = app.ok(PHASES, json!({ "id": release }), Viewer).await;
    assert_eq!(names(&data), ["Build", "SIT", "UAT"]);
    let positions: Vec<i64> = data["release"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3]);

    // Actual dates are recorded; an end before the start is refused.
    app.ok(
        "mutation($id: ID!) { updatePhase(input: {id: $id, actualStart: \"2027-01-05T08:00:00+01:00\"}) { phase { actualStart } } }",
        json!({ "id": ids[0] }),
        ReleaseManager,
    )
    .await;
    let data = app.ok(PHASES, json!({ "id": release }), Viewer).await;
    assert_eq!(
        data["release"]["phases"][0]["actualStart"], "2027-01-05T07:00:00Z",
        "stored and answered in UTC"
    );
    app.fails(
        "mutation($id: ID!) { updatePhase(input: {id: $id, actualEnd: \"2027-01-01T00:00:00Z\"}) { phase { id } } }",
        json!({ "id": ids[0] }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        CREATE_PHASE,
        json!({ "input": { "releaseId": release, "name": "X", "position": 9, "plannedStart": "2027-01-01", "plannedEnd": "2027-01-02" } }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        CREATE_PHASE,
        json!({ "input": { "releaseId": release, "name": "X", "plannedStart": "2027-01-05", "plannedEnd": "2027-01-02" } }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
}

async fn milestones_are_planned_and_reached(app: TestApp) {
    let release = app.create_release("PR-2", "PROJECT", None).await;
    let data = app
        .ok(
            "mutation($r: ID!) { createMilestone(input: {releaseId: $r, name: \"Code freeze\", plannedDate: \"2027-02-01\"}) { milestone { id actualAt } } }",
            json!({ "r": release }),
            ReleaseManager,
        )
        .await;
    let id = text(&data, "createMilestone.milestone.id");
    let reached = app
        .ok(
            "mutation($id: ID!) { updateMilestone(input: {id: $id, actualAt: \"2026-01-02T10:00:00Z\"}) { milestone { actualAt plannedDate } } }",
            json!({ "id": id }),
            ReleaseManager,
        )
        .await;
    assert_eq!(
        at(&reached, "updateMilestone.milestone.actualAt"),
        "2026-01-02T10:00:00Z"
    );
    app.fails(
        "mutation($id: ID!) { updateMilestone(input: {id: $id, actualAt: \"2999-01-01T00:00:00Z\"}) { milestone { id } } }",
        json!({ "id": id }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    let list = app
        .ok(
            "query($id: ID!) { release(id: $id) { milestones { name actualAt } } }",
            json!({ "id": release }),
            Viewer,
        )
        .await;
    assert_eq!(
        at(&list, "release.milestones"),
        &json!([{ "name": "Code freeze", "actualAt": "2026-01-02T10:00:00Z" }])
    );
}

async fn impacts_link_releases_and_systems_once(app: TestApp) {
    let release = app.create_release("PR-3", "PROJECT", None).await;
    let system = app.create_system("FRAUD").await;
    let set = "mutation($r: ID!, $s: ID!, $k: ImpactKind!) { setReleaseImpact(input: {releaseId: $r, systemId: $s, kind: $k}) { impact { id kind system { code } } } }";
    let first = app
        .ok(
            set,
            json!({ "r": release, "s": system, "k": "REGRESSION" }),
            ReleaseManager,
        )
        .await;
    let second = app
        .ok(
            set,
            json!({ "r": release, "s": system, "k": "DIRECT" }),
            ReleaseManager,
        )
        .await;
    assert_eq!(
        text(&first, "setReleaseImpact.impact.id"),
        text(&second, "setReleaseImpact.impact.id"),
        "one link per pair"
    );
    let data = app.ok("query($id: ID!) { release(id: $id) { impacts { kind system { code impacts { release { key } } } } } }", json!({ "id": release }), Viewer).await;
    assert_eq!(
        at(&data, "release.impacts"),
        &json!([{ "kind": "DIRECT", "system": { "code": "FRAUD", "impacts": [{ "release": { "key": "PR-3" } }] } }])
    );
    app.fails(
        set,
        json!({ "r": release, "s": "sys_0190000000007000800000000000abcd", "k": "DIRECT" }),
        Some(ReleaseManager),
        "NOT_FOUND",
    )
    .await;
    app.ok(
        "mutation($id: ID!) { removeReleaseImpact(input: {id: $id}) { deletedId } }",
        json!({ "id": text(&first, "setReleaseImpact.impact.id") }),
        ReleaseManager,
    )
    .await;
    let data = app
        .ok(
            "query($id: ID!) { release(id: $id) { impacts { kind } } }",
            json!({ "id": release }),
            Viewer,
        )
        .await;
    assert_eq!(at(&data, "release.impacts"), &json!([]));
}

both!(
    phases_keep_their_order_through_inserts_moves_and_deletes,
    milestones_are_planned_and_reached,
    impacts_link_releases_and_systems_once
);
