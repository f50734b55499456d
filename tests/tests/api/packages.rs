use super::*;

async fn packages_belong_to_a_release_and_a_system(app: TestApp) {
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let system = app.create_system("PAYMENTS").await;
    let data = app
        .ok(
            "mutation($input: CreatePackageInput!) { createPackage(input: $input) { package { id name version kind status jiraKey release { key } system { code } } } }",
            json!({ "input": { "releaseId": release, "systemId": system, "name": "SEPA adapter", "version": "7.0.0", "jiraKey": "PAY-1", "status": "IN_PROGRESS" } }),
            ProjectManager,
        )
        .await;
    let package = at(&data, "createPackage.package");
    assert_eq!(package["kind"], "DEPLOYMENT");
    assert_eq!(package["status"], "IN_PROGRESS");
    assert_eq!(package["release"]["key"], "PR-1");
    let id = text(package, "id");

    // The package's system became a direct impact of the release.
    let impacts = app.ok("query($id: ID!) { release(id: $id) { impacts { kind system { code } } packages { name } } }", json!({ "id": release }), Viewer).await;
    assert_eq!(
        at(&impacts, "release.impacts"),
        &json!([{ "kind": "DIRECT", "system": { "code": "PAYMENTS" } }])
    );
    assert_eq!(
        at(&impacts, "release.packages"),
        &json!([{ "name": "SEPA adapter" }])
    );

    let updated = app
        .ok(
            "mutation($id: ID!) { updatePackage(input: {id: $id, version: \"7.0.1\", status: READY, jiraKey: null}) { package { version status jiraKey } } }",
            json!({ "id": id }),
            ProjectManager,
        )
        .await;
    assert_eq!(
        at(&updated, "updatePackage.package"),
        &json!({ "version": "7.0.1", "status": "READY", "jiraKey": null })
    );
    app.fails(
        "mutation($id: ID!) { updatePackage(input: {id: $id, version: \"7 0\"}) { package { version } } }",
        json!({ "id": id }),
        Some(ProjectManager),
        "VALIDATION",
    )
    .await;

    let listed = app
        .ok("query($r: ID!) { packages(filter: {releaseId: $r, status: [READY]}) { totalCount nodes { version } } }", json!({ "r": release }), Viewer)
        .await;
    assert_eq!(at(&listed, "packages.totalCount"), 1);
    app.fails(
        "mutation($input: CreatePackageInput!) { createPackage(input: $input) { package { id } } }",
        json!({ "input": { "releaseId": release, "systemId": system, "name": "x", "version": "1" } }),
        Some(Viewer),
        "FORBIDDEN",
    )
    .await;

    app.ok(
        "mutation($id: ID!) { deletePackage(input: {id: $id}) { deletedId } }",
        json!({ "id": id }),
        ProjectManager,
    )
    .await;
    app.fails(
        "query($id: ID!) { package(id: $id) { id } }",
        json!({ "id": id }),
        Some(Viewer),
        "NOT_FOUND",
    )
    .await;
}

both!(packages_belong_to_a_release_and_a_system);
