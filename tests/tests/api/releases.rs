use super::*;

const CREATE: &str = "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { release { id key name kind status risk plannedStart plannedGoLive owner { email } parent { key } allowedTransitions } } }";

fn input(key: &str, kind: &str) -> Value {
    json!({ "key": key, "name": format!("Release {key}"), "kind": kind, "plannedStart": "2027-01-04", "plannedGoLive": "2027-03-15" })
}

async fn a_release_is_created_in_draft_and_read_back(app: TestApp) {
    let data = app
        .ok(
            CREATE,
            json!({ "input": input("ER-2027.03", "ENTERPRISE") }),
            ReleaseManager,
        )
        .await;
    let release = at(&data, "createRelease.release");
    assert!(text(release, "id").starts_with("rel_"));
    assert_eq!(release["status"], "DRAFT");
    assert_eq!(release["risk"], "MEDIUM");
    assert_eq!(release["plannedGoLive"], "2027-03-15");
    assert_eq!(
        release["owner"]["email"], "release_manager@test.example",
        "the creator owns it by default"
    );
    assert_eq!(
        release["allowedTransitions"],
        json!(["PLANNED", "CANCELLED"])
    );

    let id = text(release, "id");
    let by_id = app.ok("query($id: ID!) { release(id: $id) { key } node(id: $id) { id ... on Release { name } } }", json!({ "id": id }), Viewer).await;
    assert_eq!(at(&by_id, "release.key"), "ER-2027.03");
    assert_eq!(at(&by_id, "node.name"), "Release ER-2027.03");
    let by_key = app
        .ok(
            "{ releaseByKey(key: \"ER-2027.03\") { id } }",
            json!({}),
            Viewer,
        )
        .await;
    assert_eq!(text(&by_key, "releaseByKey.id"), id);

    // The change is in the audit trail, with who did it.
    let audit = app
        .ok("query($id: ID!) { auditEvents(filter: {entityId: $id}) { nodes { action actorName entityId after } } }", json!({ "id": id }), Admin)
        .await;
    assert_eq!(at(&audit, "auditEvents.nodes.0.action"), "release.create");
    assert_eq!(
        at(&audit, "auditEvents.nodes.0.actorName"),
        "Test RELEASE_MANAGER"
    );
    assert_eq!(text(&audit, "auditEvents.nodes.0.entityId"), id);
    assert_eq!(at(&audit, "auditEvents.nodes.0.after.key"), "ER-2027.03");
}

async fn keys_are_unique_and_input_is_validated(app: TestApp) {
    app.ok(
        CREATE,
        json!({ "input": input("PR-3656", "PROJECT") }),
        Admin,
    )
    .await;
    let error = app
        .fails(
            CREATE,
            json!({ "input": input("PR-3656", "PROJECT") }),
            Some(Admin),
            "CONFLICT",
        )
        .await;
    assert!(
        error["extensions"]["conflicting"][0]
            .as_str()
            .unwrap()
            .starts_with("rel_")
    );

    let mut bad_dates = input("PR-1", "PROJECT");
    bad_dates["plannedGoLive"] = json!("2026-12-01");
    let error = app
        .fails(
            CREATE,
            json!({ "input": bad_dates }),
            Some(Admin),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "plannedGoLive");

    let mut bad_date = input("PR-2", "PROJECT");
    bad_date["plannedStart"] = json!("2027-02-30");
    app.fails(
        CREATE,
        json!({ "input": bad_date }),
        Some(Admin),
        "VALIDATION",
    )
    .await;

    let error = app
        .fails(
            CREATE,
            json!({ "input": input("lower case", "PROJECT") }),
            Some(Admin),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "key");

    let mut long_name = input("PR-3", "PROJECT");
    long_name["name"] = json!("x".repeat(201));
    app.fails(
        CREATE,
        json!({ "input": long_name }),
        Some(Admin),
        "VALIDATION",
    )
    .await;

    let count = app
        .ok("{ releases { totalCount } }", json!({}), Admin)
        .await;
    assert_eq!(at(&count, "releases.totalCount"), 1);
}

async fn enterprise_releases_group_project_releases(app: TestApp) {
    let enterprise = app.create_release("ER-1", "ENTERPRISE", None).await;
    let project = app
        .create_release("PR-1", "PROJECT", Some(&enterprise))
        .await;
    app.create_release("PR-2", "PROJECT", Some(&enterprise))
        .await;

    let data = app
        .ok(
            "query($id: ID!) { release(id: $id) { children { key parent { key } } } }",
            json!({ "id": enterprise }),
            Viewer,
        )
        .await;
    assert_eq!(
        at(&data, "release.children"),
        &json!([{ "key": "PR-1", "parent": { "key": "ER-1" } }, { "key": "PR-2", "parent": { "key": "ER-1" } }])
    );

    // Only PROJECT releases go under an ENTERPRISE one.
    let mut wrong_kind = input("IR-1", "INDEPENDENT");
    wrong_kind["parentId"] = json!(enterprise);
    app.fails(
        CREATE,
        json!({ "input": wrong_kind }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    let mut wrong_parent = input("PR-9", "PROJECT");
    wrong_parent["parentId"] = json!(project);
    let error = app
        .fails(
            CREATE,
            json!({ "input": wrong_parent }),
            Some(Admin),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "parentId");

    // An enterprise release that groups projects stays enterprise and cannot be deleted.
    app.fails(
        "mutation($id: ID!) { updateRelease(input: {id: $id, kind: INDEPENDENT}) { release { kind } } }",
        json!({ "id": enterprise }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    let error = app
        .fails(
            "mutation($id: ID!) { deleteRelease(input: {id: $id}) { deletedId } }",
            json!({ "id": enterprise }),
            Some(Admin),
            "CONFLICT",
        )
        .await;
    assert_eq!(
        error["extensions"]["conflicting"].as_array().unwrap().len(),
        2
    );

    // Project managers shape project releases only.
    app.fails(
        CREATE,
        json!({ "input": input("ER-PM", "ENTERPRISE") }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
    app.ok(
        CREATE,
        json!({ "input": input("PR-PM", "PROJECT") }),
        ProjectManager,
    )
    .await;
}

async fn releases_move_only_through_allowed_transitions(app: TestApp) {
    let id = app.create_release("PR-10", "INDEPENDENT", None).await;
    let answer = app.transition(&id, "RELEASED").await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "INVALID_TRANSITION"
    );
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("allowed next: PLANNED, CANCELLED")
    );

    for step in ["PLANNED", "IN_PROGRESS", "GO_LIVE", "RELEASED"] {
        let answer = app.transition(&id, step).await;
        assert!(answer.get("errors").is_none(), "{step}: {answer:#}");
        assert_eq!(
            answer["data"]["transitionRelease"]["release"]["status"],
            step
        );
    }
    let data = app
        .ok(
            "query($id: ID!) { release(id: $id) { actualStart actualGoLive allowedTransitions } }",
            json!({ "id": id }),
            Viewer,
        )
        .await;
    assert!(
        at(&data, "release.actualStart")
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert!(at(&data, "release.actualGoLive").is_string());
    assert_eq!(
        at(&data, "release.allowedTransitions"),
        &json!(["ROLLED_BACK"])
    );

    // Cancelling or rolling back needs a reason; released releases cannot be deleted.
    app.fails(
        "mutation($id: ID!) { transitionRelease(input: {id: $id, to: ROLLED_BACK}) { release { status } } }",
        json!({ "id": id }),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    app.fails(
        "mutation($id: ID!) { deleteRelease(input: {id: $id}) { deletedId } }",
        json!({ "id": id }),
        Some(Admin),
        "CONFLICT",
    )
    .await;

    // Only release managers and admins move releases.
    let other = app.create_release("PR-11", "PROJECT", None).await;
    app.fails(
        "mutation($id: ID!) { transitionRelease(input: {id: $id, to: PLANNED}) { release { status } } }",
        json!({ "id": other }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
}

async fn dependencies_hold_back_go_live_and_cycles_are_refused(app: TestApp) {
    let a = app.create_release("PR-A", "INDEPENDENT", None).await;
    let b = app.create_release("PR-B", "INDEPENDENT", None).await;
    let c = app.create_release("PR-C", "INDEPENDENT", None).await;
    let add = "mutation($r: ID!, $d: ID!) { addReleaseDependency(input: {releaseId: $r, dependsOnId: $d}) { dependency { id release { key } dependsOn { key } } } }";
    app.ok(add, json!({ "r": a, "d": b }), ReleaseManager).await;
    app.ok(add, json!({ "r": b, "d": c }), ReleaseManager).await;

    let error = app
        .fails(
            add,
            json!({ "r": c, "d": a }),
            Some(ReleaseManager),
            "VALIDATION",
        )
        .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("PR-C → PR-A → PR-B → PR-C"),
        "{error:#}"
    );
    app.fails(
        add,
        json!({ "r": a, "d": a }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        add,
        json!({ "r": a, "d": b }),
        Some(ReleaseManager),
        "CONFLICT",
    )
    .await;

    let data = app
        .ok(
            "query($id: ID!) { release(id: $id) { dependsOn { key } dependents { key } } }",
            json!({ "id": b }),
            Viewer,
        )
        .await;
    assert_eq!(at(&data, "release.dependsOn"), &json!([{ "key": "PR-C" }]));
    assert_eq!(at(&data, "release.dependents"), &json!([{ "key": "PR-A" }]));

    for step in ["PLANNED", "IN_PROGRESS"] {
        app.transition(&a, step).await;
    }
    let answer = app.transition(&a, "GO_LIVE").await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "INVALID_TRANSITION"
    );
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("PR-B (DRAFT)")
    );
}

async fn unknown_and_malformed_ids_are_told_apart(app: TestApp) {
    let system = app.create_system("SYS").await;
    let missing = "rel_0190000000007000800000000000abcd";
    app.fails(
        "query($id: ID!) { release(id: $id) { key } }",
        json!({ "id": missing }),
        Some(Viewer),
        "NOT_FOUND",
    )
    .await;
    let node = app
        .ok(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": missing }),
            Viewer,
        )
        .await;
    assert_eq!(
        node["node"],
        Value::Null,
        "node() answers null for unknown ids"
    );
    let error = app
        .fails(
            "query($id: ID!) { release(id: $id) { key } }",
            json!({ "id": "nonsense" }),
            Some(Viewer),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "id");
    // A system id where a release id belongs.
    app.fails(
        "query($id: ID!) { release(id: $id) { key } }",
        json!({ "id": system }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;
    app.fails(
        "mutation($id: ID!) { transitionRelease(input: {id: $id, to: PLANNED}) { release { key } } }",
        json!({ "id": missing }),
        Some(Admin),
        "NOT_FOUND",
    )
    .await;
}

async fn releases_are_filtered_ordered_and_paged(app: TestApp) {
    let payments = app.create_system("PAYMENTS").await;
    let create = |key: &'static str,
                  kind: &'static str,
                  start: &'static str,
                  go_live: &'static str| {
        let app = &app;
        async move {
            app.ok(
                CREATE,
                json!({ "input": { "key": key, "name": format!("{key} Instant payments"), "kind": kind, "plannedStart": start, "plannedGoLive": go_live } }),
                Admin,
            )
            .await["createRelease"]["release"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let r1 = create("PR-100", "PROJECT", "2027-01-01", "2027-02-01").await;
    create("PR-101", "PROJECT", "2027-03-01", "2027-04-01").await;
    create("EM-1", "EMERGENCY", "2027-05-01", "2027-05-02").await;
    for n in 0..7 {
        app.create_release(&format!("IR-{n}"), "INDEPENDENT", None)
            .await;
    }
    app.ok(
        "mutation($r: ID!, $s: ID!) { setReleaseImpact(input: {releaseId: $r, systemId: $s, kind: DIRECT}) { impact { kind } } }",
        json!({ "r": r1, "s": payments }),
        Admin,
    )
    .await;
    app.transition(&r1, "PLANNED").await;

    let query = "query($f: ReleaseFilter, $o: ReleaseOrderBy, $first: Int, $after: String, $last: Int, $before: String) {
        releases(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { key } } }";
    let keys = |data: &Value| -> Vec<String> {
        data["releases"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["key"].as_str().unwrap().to_owned())
            .collect()
    };

    let by_status = app
        .ok(query, json!({ "f": { "status": ["PLANNED"] } }), Viewer)
        .await;
    assert_eq!(keys(&by_status), ["PR-100"]);
    let by_kind = app
        .ok(
            query,
            json!({ "f": { "kind": ["EMERGENCY", "PROJECT"] }, "o": { "field": "KEY" } }),
            Viewer,
        )
        .await;
    assert_eq!(keys(&by_kind), ["EM-1", "PR-100", "PR-101"]);
    let by_system = app
        .ok(query, json!({ "f": { "systemId": payments } }), Viewer)
        .await;
    assert_eq!(keys(&by_system), ["PR-100"]);
    let by_text = app.ok(query, json!({ "f": { "search": "INSTANT pay" }, "o": { "field": "KEY", "direction": "DESC" } }), Viewer).await;
    assert_eq!(keys(&by_text), ["PR-101", "PR-100", "EM-1"]);
    let literal_percent = app
        .ok(query, json!({ "f": { "search": "%" } }), Viewer)
        .await;
    assert_eq!(
        keys(&literal_percent),
        Vec::<String>::new(),
        "% is matched literally"
    );
    let by_window = app
        .ok(
            query,
            json!({ "f": { "plannedFrom": "2027-03-15", "plannedTo": "2027-04-30" } }),
            Viewer,
        )
        .await;
    let window = keys(&by_window);
    assert!(
        window.contains(&"PR-101".to_owned())
            && !window.contains(&"PR-100".to_owned())
            && !window.contains(&"EM-1".to_owned()),
        "{window:?}"
    );
    app.fails(
        query,
        json!({ "f": { "plannedFrom": "2027-05-01", "plannedTo": "2027-01-01" } }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;

    // Walk all ten by key, three at a time, forwards then backwards.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = app
            .ok(
                query,
                json!({ "o": { "field": "KEY" }, "first": 3, "after": after }),
                Viewer,
            )
            .await;
        assert_eq!(page["releases"]["totalCount"], 10);
        seen.extend(keys(&page));
        if !page["releases"]["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap()
        {
            break;
        }
        after = Some(
            page["releases"]["pageInfo"]["endCursor"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 10);
    let last = app
        .ok(query, json!({ "o": { "field": "KEY" }, "last": 2 }), Viewer)
        .await;
    assert_eq!(keys(&last), seen[8..].to_vec());
    let before = last["releases"]["pageInfo"]["startCursor"]
        .as_str()
        .unwrap();
    let previous = app
        .ok(
            query,
            json!({ "o": { "field": "KEY" }, "last": 3, "before": before }),
            Viewer,
        )
        .await;
    assert_eq!(keys(&previous), seen[5..8].to_vec());

    // Oversize and contradictory pages, and cursors of another ordering, are refused.
    let error = app
        .fails(query, json!({ "first": 101 }), Some(Viewer), "VALIDATION")
        .await;
    assert_eq!(error["extensions"]["field"], "first");
    app.fails(
        query,
        json!({ "first": 1, "last": 1 }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;
    app.fails(query, json!({ "first": -1 }), Some(Viewer), "VALIDATION")
        .await;
    let cursor = last["releases"]["pageInfo"]["endCursor"].as_str().unwrap();
    app.fails(
        query,
        json!({ "o": { "field": "NAME" }, "after": cursor }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;
    app.fails(
        query,
        json!({ "after": "garbage" }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;
}

both!(
    a_release_is_created_in_draft_and_read_back,
    keys_are_unique_and_input_is_validated,
    enterprise_releases_group_project_releases,
    releases_move_only_through_allowed_transitions,
    dependencies_hold_back_go_live_and_cycles_are_refused,
    unknown_and_malformed_ids_are_told_apart,
    releases_are_filtered_ordered_and_paged
);
