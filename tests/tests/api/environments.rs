use super::*;

const RECORD: &str = "mutation($input: RecordDeploymentInput!) { recordDeployment(input: $input) { deployment { id version status deployedByName environment { name } system { code } release { key } } } }";

async fn the_catalogue_keeps_groups_environments_and_hosted_systems(app: TestApp) {
    let group = app
        .ok("mutation { createEnvironmentGroup(input: {name: \"Acceptance\"}) { group { id name } } }", json!({}), EnvironmentManager)
        .await;
    let group_id = text(&group, "createEnvironmentGroup.group.id");
    let payments = app.create_system("PAYMENTS").await;
    let fraud = app.create_system("FRAUD").await;
    let created = app
        .ok(
            "mutation($input: CreateEnvironmentInput!) { createEnvironment(input: $input) { environment { id name tier status capacity url group { name } systems { code } } } }",
            json!({ "input": { "name": "UAT1", "tier": "UAT", "groupId": group_id, "capacity": 2, "url": "https://uat1.bank.example", "systemIds": [payments] } }),
            EnvironmentManager,
        )
        .await;
    let env = at(&created, "createEnvironment.environment");
    assert_eq!(env["status"], "AVAILABLE");
    assert_eq!(env["systems"], json!([{ "code": "PAYMENTS" }]));
    assert_eq!(env["group"]["name"], "Acceptance");
    let id = text(env, "id");

    app.ok(
        "mutation($id: ID!, $s: [ID!]!) { setEnvironmentSystems(input: {id: $id, systemIds: $s}) { environment { systems { code } } } }",
        json!({ "id": id, "s": [payments, fraud, fraud] }),
        EnvironmentManager,
    )
    .await;
    let by_system = app
        .ok(
            "query($s: ID!) { environments(filter: {systemId: $s}) { nodes { name } } }",
            json!({ "s": fraud }),
            Viewer,
        )
        .await;
    assert_eq!(
        at(&by_system, "environments.nodes"),
        &json!([{ "name": "UAT1" }])
    );
    let hosting = app
        .ok(
            "query($s: ID!) { system(id: $s) { environments { name } } }",
            json!({ "s": fraud }),
            Viewer,
        )
        .await;
    assert_eq!(
        at(&hosting, "system.environments"),
        &json!([{ "name": "UAT1" }])
    );

    let updated = app
        .ok("mutation($id: ID!) { updateEnvironment(input: {id: $id, status: MAINTENANCE, groupId: null}) { environment { status group { name } } } }", json!({ "id": id }), EnvironmentManager)
        .await;
    assert_eq!(
        at(&updated, "updateEnvironment.environment"),
        &json!({ "status": "MAINTENANCE", "group": null })
    );

    // Bad input and the wrong role.
    app.fails("mutation($id: ID!) { updateEnvironment(input: {id: $id, capacity: 0}) { environment { id } } }", json!({ "id": id }), Some(EnvironmentManager), "VALIDATION").await;
    app.fails("mutation($id: ID!) { updateEnvironment(input: {id: $id, url: \"ftp://x\"}) { environment { id } } }", json!({ "id": id }), Some(EnvironmentManager), "VALIDATION").await;
    app.fails(
        "mutation { createEnvironment(input: {name: \"UAT1\", tier: UAT}) { environment { id } } }",
        json!({}),
        Some(EnvironmentManager),
        "CONFLICT",
    )
    .await;
    app.fails("mutation($id: ID!) { updateEnvironment(input: {id: $id, status: DOWN}) { environment { id } } }", json!({ "id": id }), Some(ReleaseManager), "FORBIDDEN").await;
    let groups = app
        .ok(
            "{ environmentGroups { name environments { name } } }",
            json!({}),
            Viewer,
        )
        .await;
    assert_eq!(
        at(&groups, "environmentGroups"),
        &json!([{ "name": "Acceptance", "environments": [] }])
    );
}

async fn configuration_changes_are_kept_and_secrets_masked(app: TestApp) {
    let env = app.create_environment("SIT1", "SIT", &[]).await;
    let configure = "mutation($id: ID!, $e: [ConfigEntryInput!]!) { configureEnvironment(input: {id: $id, entries: $e}) { environment { configuration { key value secret } } } }";
    app.ok(
        configure,
        json!({ "id": env, "e": [{ "key": "db.host", "value": "ora-sit1" }, { "key": "db.password", "value": "s3cret", "secret": true }] }),
        EnvironmentManager,
    )
    .await;
    app.ok(configure, json!({ "id": env, "e": [{ "key": "db.host", "value": "ora-sit1b" }, { "key": "db.password", "value": null }] }), EnvironmentManager).await;
    app.ok(
        configure,
        json!({ "id": env, "e": [{ "key": "db.password", "value": "n3w", "secret": true }] }),
        EnvironmentManager,
    )
    .await;

    let query = "query($id: ID!) { environment(id: $id) { configuration { key value } configurationHistory { key oldValue newValue changedBy } } }";
    let manager = app
        .ok(query, json!({ "id": env }), EnvironmentManager)
        .await;
    assert_eq!(
        at(&manager, "environment.configuration"),
        &json!([{ "key": "db.host", "value": "ora-sit1b" }, { "key": "db.password", "value": "n3w" }])
    );
    let history = at(&manager, "environment.configurationHistory")
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(history.len(), 5, "every change is kept: {history:#?}");
    assert_eq!(
        history[0],
        json!({ "key": "db.password", "oldValue": null, "newValue": "n3w", "changedBy": "Test ENVIRONMENT_MANAGER" })
    );
    assert!(history.contains(&json!({ "key": "db.host", "oldValue": "ora-sit1", "newValue": "ora-sit1b", "changedBy": "Test ENVIRONMENT_MANAGER" })));

    let viewer = app.ok(query, json!({ "id": env }), Viewer).await;
    assert_eq!(
        at(&viewer, "environment.configuration.1.value"),
        "••••••",
        "secrets are masked for readers"
    );
    let shown = serde_json::to_string(&viewer).unwrap();
    assert!(
        !shown.contains("s3cret") && !shown.contains("n3w"),
        "no secret leaks through history: {shown}"
    );
    let audit = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {entityId: $id}) { nodes { action after } } }",
            json!({ "id": env }),
            Admin,
        )
        .await;
    assert!(
        !serde_json::to_string(&audit).unwrap().contains("s3cret"),
        "nor through the audit trail"
    );

    app.fails(
        configure,
        json!({ "id": env, "e": [{ "key": "bad key!", "value": "x" }] }),
        Some(EnvironmentManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        configure,
        json!({ "id": env, "e": [{ "key": "a", "value": "1" }, { "key": "a", "value": "2" }] }),
        Some(EnvironmentManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        configure,
        json!({ "id": env, "e": [{ "key": "a", "value": "1" }] }),
        Some(ReleaseManager),
        "FORBIDDEN",
    )
    .await;
}

async fn deployments_tell_what_runs_where(app: TestApp) {
    let payments = app.create_system("PAYMENTS").await;
    let fraud = app.create_system("FRAUD").await;
    let sit = app
        .create_environment("SIT1", "SIT", &[&payments, &fraud])
        .await;
    let prod = app.create_environment("PROD", "PROD", &[&payments]).await;
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let v7 = app
        .create_package(&release, &payments, "SEPA adapter", "7.0.0")
        .await;
    let v71 = app
        .create_package(&release, &payments, "SEPA adapter hotfix", "7.0.1")
        .await;
    let scoring = app
        .create_package(&release, &fraud, "Scoring", "2.0.0")
        .await;

    let first = app
        .ok(RECORD, json!({ "input": { "packageId": v7, "environmentId": sit, "deployedAt": "2026-10-01T20:00:00Z" } }), ImplementationManager)
        .await;
    assert_eq!(
        at(&first, "recordDeployment.deployment"),
        &json!({ "id": at(&first, "recordDeployment.deployment.id"), "version": "7.0.0", "status": "SUCCEEDED", "deployedByName": "Test IMPLEMENTATION_MANAGER", "environment": { "name": "SIT1" }, "system": { "code": "PAYMENTS" }, "release": { "key": "PR-1" } })
    );
    app.ok(RECORD, json!({ "input": { "packageId": v71, "environmentId": sit, "deployedAt": "2026-10-02T20:00:00Z" } }), ImplementationManager).await;
    app.ok(
        RECORD,
        json!({ "input": { "packageId": scoring, "environmentId": sit } }),
        EnvironmentManager,
    )
    .await;
    let failed = app
        .ok(
            RECORD,
            json!({ "input": { "packageId": v7, "environmentId": prod, "status": "FAILED" } }),
            ImplementationManager,
        )
        .await;
    assert_eq!(at(&failed, "recordDeployment.deployment.status"), "FAILED");

    let where_query = "query($f: WhatRunsWhereFilter) { whatRunsWhere(filter: $f) { version environment { name } system { code } } }";
    let all = app.ok(where_query, json!({}), Viewer).await;
    let mut rows: Vec<String> = all["whatRunsWhere"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}/{}={}",
                r["environment"]["name"].as_str().unwrap(),
                r["system"]["code"].as_str().unwrap(),
                r["version"].as_str().unwrap()
            )
        })
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        ["SIT1/FRAUD=2.0.0", "SIT1/PAYMENTS=7.0.1"],
        "the latest successful deployment per pair; failures do not count"
    );

    // Rolling back the latest deployment shows the one before it again.
    let latest = app
        .ok("query($p: ID!, $e: ID!) { deployments(filter: {packageId: $p, environmentId: $e}) { nodes { id version } } }", json!({ "p": v71, "e": sit }), Viewer)
        .await;
    let latest_id = text(&latest, "deployments.nodes.0.id");
    app.ok("mutation($id: ID!) { updateDeployment(input: {id: $id, status: ROLLED_BACK}) { deployment { status } } }", json!({ "id": latest_id }), EnvironmentManager).await;
    let env_view = app.ok("query($e: ID!) { environment(id: $e) { deployedVersions { version system { code } } } }", json!({ "e": sit }), Viewer).await;
    let mut versions: Vec<String> = env_view["environment"]["deployedVersions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}={}",
                d["system"]["code"].as_str().unwrap(),
                d["version"].as_str().unwrap()
            )
        })
        .collect();
    versions.sort();
    assert_eq!(
        versions,
        ["FRAUD=2.0.0", "PAYMENTS=7.0.0"],
        "after a rollback the previous version runs again"
    );
    let only_prod = app
        .ok(where_query, json!({ "f": { "tiers": ["PROD"] } }), Viewer)
        .await;
    assert_eq!(at(&only_prod, "whatRunsWhere"), &json!([]));

    // A successful production deployment marks the package deployed.
    app.ok(
        RECORD,
        json!({ "input": { "packageId": v71, "environmentId": prod } }),
        ImplementationManager,
    )
    .await;
    let package = app
        .ok(
            "query($id: ID!) { package(id: $id) { status deployments { environment { name } } } }",
            json!({ "id": v71 }),
            Viewer,
        )
        .await;
    assert_eq!(at(&package, "package.status"), "DEPLOYED");
    assert_eq!(
        at(&package, "package.deployments.0.environment.name"),
        "PROD",
        "newest first"
    );

    // The rules: hosted systems only, not in the future, the right roles; history stays.
    let error = app
        .fails(
            RECORD,
            json!({ "input": { "packageId": scoring, "environmentId": prod } }),
            Some(ImplementationManager),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "environmentId");
    app.fails(RECORD, json!({ "input": { "packageId": v7, "environmentId": sit, "deployedAt": "2999-01-01T00:00:00Z" } }), Some(ImplementationManager), "VALIDATION").await;
    app.fails(
        RECORD,
        json!({ "input": { "packageId": v7, "environmentId": sit } }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        "mutation($id: ID!) { deleteEnvironment(input: {id: $id}) { deletedId } }",
        json!({ "id": sit }),
        Some(EnvironmentManager),
        "CONFLICT",
    )
    .await;
    app.fails(
        "mutation($id: ID!) { deletePackage(input: {id: $id}) { deletedId } }",
        json!({ "id": v7 }),
        Some(Admin),
        "CONFLICT",
    )
    .await;
    let history = app
        .ok(
            "query($r: ID!) { deployments(filter: {releaseId: $r}) { totalCount } }",
            json!({ "r": release }),
            Viewer,
        )
        .await;
    assert_eq!(at(&history, "deployments.totalCount"), 5);
}

/// STAGING against PROD: which systems run other versions, which keys differ; secrets are
/// compared on the server and masked for those who may not read them.
async fn two_environments_compare_side_by_side(app: TestApp) {
    let payments = app.create_system("PAYMENTS").await;
    let fraud = app.create_system("FRAUD").await;
    let cards = app.create_system("CARDS").await;
    let staging = app
        .create_environment("STAGING", "STAGING", &[&payments, &fraud, &cards])
        .await;
    let prod = app
        .create_environment("PROD", "PROD", &[&payments, &fraud])
        .await;
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let deploy = |package: String, env: String| {
        let app = &app;
        async move {
            app.ok(
                RECORD,
                json!({ "input": { "packageId": package, "environmentId": env } }),
                ImplementationManager,
            )
            .await;
        }
    };
    let sepa7 = app
        .create_package(&release, &payments, "SEPA", "7.0.0")
        .await;
    let sepa6 = app
        .create_package(&release, &payments, "SEPA", "6.9.0")
        .await;
    let scoring = app
        .create_package(&release, &fraud, "Scoring", "2.0.0")
        .await;
    let cards1 = app
        .create_package(&release, &cards, "Controls", "1.0.0")
        .await;
    deploy(sepa7, staging.clone()).await;
    deploy(sepa6, prod.clone()).await;
    deploy(scoring.clone(), staging.clone()).await;
    deploy(scoring, prod.clone()).await;
    deploy(cards1, staging.clone()).await;
    let configure = "mutation($id: ID!, $e: [ConfigEntryInput!]!) { configureEnvironment(input: {id: $id, entries: $e}) { environment { id } } }";
    app.ok(configure, json!({ "id": staging, "e": [
        { "key": "db.host", "value": "ora-stg" }, { "key": "feature.instant", "value": "on" },
        { "key": "db.password", "value": "stg-secret", "secret": true }, { "key": "log.level", "value": "info" },
    ] }), EnvironmentManager).await;
    app.ok(configure, json!({ "id": prod, "e": [
        { "key": "db.host", "value": "ora-prd" }, { "key": "db.password", "value": "prd-secret", "secret": true },
        { "key": "log.level", "value": "info" },
    ] }), EnvironmentManager).await;

    let compare = "query($l: ID!, $r: ID!, $o: Boolean! = true) { compareEnvironments(leftId: $l, rightId: $r, onlyDifferences: $o) { left { name } right { name } differences systems { system { code } state hostedLeft hostedRight left { version } right { version } } configuration { key state left { value } right { value } } } }";
    let viewer = app
        .ok(compare, json!({ "l": staging, "r": prod }), Viewer)
        .await;
    let drift = at(&viewer, "compareEnvironments");
    assert_eq!(drift["left"]["name"], "STAGING");
    assert_eq!(drift["differences"], 5);
    assert_eq!(
        drift["systems"],
        json!([
            { "system": { "code": "CARDS" }, "state": "ONLY_LEFT", "hostedLeft": true, "hostedRight": false, "left": { "version": "1.0.0" }, "right": null },
            { "system": { "code": "PAYMENTS" }, "state": "DIFFERENT", "hostedLeft": true, "hostedRight": true, "left": { "version": "7.0.0" }, "right": { "version": "6.9.0" } },
        ]),
        "FRAUD runs 2.0.0 on both and is left out"
    );
    assert_eq!(
        drift["configuration"],
        json!([
            { "key": "db.host", "state": "DIFFERENT", "left": { "value": "ora-stg" }, "right": { "value": "ora-prd" } },
            { "key": "db.password", "state": "DIFFERENT", "left": { "value": "••••••" }, "right": { "value": "••••••" } },
            { "key": "feature.instant", "state": "ONLY_LEFT", "left": { "value": "on" }, "right": null },
        ])
    );
    let manager = app
        .ok(
            compare,
            json!({ "l": staging, "r": prod, "o": false }),
            EnvironmentManager,
        )
        .await;
    let drift = at(&manager, "compareEnvironments");
    assert_eq!(
        drift["differences"], 5,
        "the count does not depend on the filter"
    );
    assert_eq!(drift["systems"].as_array().unwrap().len(), 3);
    assert_eq!(drift["systems"][1]["state"], "SAME");
    assert_eq!(
        drift["configuration"][1],
        json!({ "key": "db.password", "state": "DIFFERENT", "left": { "value": "stg-secret" }, "right": { "value": "prd-secret" } })
    );
    assert_eq!(
        drift["configuration"][3],
        json!({ "key": "log.level", "state": "SAME", "left": { "value": "info" }, "right": { "value": "info" } })
    );

    let error = app
        .fails(
            compare,
            json!({ "l": prod, "r": prod }),
            Some(Viewer),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "rightId");
    app.fails(
        compare,
        json!({ "l": prod, "r": "env_0190000000007000800000000000abcd" }),
        Some(Viewer),
        "NOT_FOUND",
    )
    .await;
}

both!(
    the_catalogue_keeps_groups_environments_and_hosted_systems,
    configuration_changes_are_kept_and_secrets_masked,
    deployments_tell_what_runs_where,
    two_environments_compare_side_by_side
);
