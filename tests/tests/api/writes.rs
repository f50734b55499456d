//! Writes under concurrency: no "database is locked", no lost or half-written changes.

use super::*;

async fn concurrent_mutations_all_succeed(app: TestApp) {
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let system = app.create_system("SYS").await;
    let mut tasks = Vec::new();
    for n in 0..40 {
        let client = app.client.clone();
        let url = app.url("/graphql");
        let token = app.token(Admin).to_owned();
        let (release, system) = (release.clone(), system.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({
                "query": "mutation($input: CreatePackageInput!) { createPackage(input: $input) { package { id } } }",
                "variables": { "input": { "releaseId": release, "systemId": system, "name": format!("pkg {n}"), "version": format!("1.{n}") } }
            });
            let response = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            response.json::<Value>().await.unwrap()
        }));
    }
    for task in tasks {
        let answer = task.await.unwrap();
        assert!(answer.get("errors").is_none(), "{answer:#}");
    }
    let count = app
        .ok(
            "query($r: ID!) { packages(filter: {releaseId: $r}) { totalCount } }",
            json!({ "r": release }),
            Viewer,
        )
        .await;
    assert_eq!(at(&count, "packages.totalCount"), 40);
    let audit = app
        .ok(
            "query($r: ID!) { auditEvents(filter: {releaseId: $r}, first: 100) { totalCount } }",
            json!({ "r": release }),
            Admin,
        )
        .await;
    // The release, 40 packages and the one impact the first package created.
    assert_eq!(at(&audit, "auditEvents.totalCount"), 42);
}

both!(concurrent_mutations_all_succeed);
