//! The endpoint under hostile input: each limit answers a clean error or a 4xx, never a 5xx,
//! a hang or a crash, and the server keeps serving.

use super::*;

async fn still_serving(app: &TestApp) {
    let answer = app
        .ok("{ systems { totalCount } }", json!({}), Viewer)
        .await;
    assert!(at(&answer, "systems.totalCount").is_number());
}

async fn post_status(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(app.token(Viewer))
        .header("accept", "application/graphql-response+json")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn depth_complexity_aliases_and_size_are_limited(app: TestApp) {
    // Depth: 13 levels of nesting against a limit of 12.
    let deep = "{ releases { nodes { children { children { children { children { children { children { children { children { children { children { key } } } } } } } } } } } } }";
    let (status, body) = post_status(&app, json!({ "query": deep })).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("deep"),
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION");

    // Complexity: a page of 100 releases with a wide selection, against a limit of 500.
    let wide = "{ releases(first: 100) { nodes { key name status kind risk plannedStart plannedGoLive phases { name } milestones { name } packages { name } } } }";
    let (status, body) = post_status(&app, json!({ "query": wide })).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("complex"),
        "{body}"
    );
    let (status, _) = post_status(
        &app,
        json!({ "query": wide.replace("first: 100", "first: 5") }),
    )
    .await;
    assert_eq!(status, 200, "the same selection over a small page is fine");

    // Aliases: 31 against a limit of 30.
    let aliased: Vec<String> = (0..31).map(|n| format!("a{n}: __typename")).collect();
    let (status, body) = post_status(
        &app,
        json!({ "query": format!("{{ {} }}", aliased.join(" ")) }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("aliases"),
        "{body}"
    );

    // Body size: larger than the limit answers 413 before any parsing.
    let padding = "x".repeat(300 * 1024);
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"query\":\"{{ __typename }}\",\"extensions\":{{\"p\":\"{padding}\"}}}}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);

    // JSON nested past the parser's recursion limit is malformed JSON, not a crash.
    let nested = format!(
        "{{\"query\":\"{{ __typename }}\",\"variables\":{{\"v\":{}1{}}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(nested)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    // Fragment cycles and unknown fragments are validation errors.
    let (status, _) = post_status(
        &app,
        json!({ "query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }" }),
    )
    .await;
    assert_eq!(status, 400);

    still_serving(&app).await;
}

both_with!(
    limits,
    |s| s.limits.max_complexity = 500,
    depth_complexity_aliases_and_size_are_limited
);

/// Production mode: no introspection, no GraphiQL, no field suggestions.
async fn production_hides_the_schema(app: TestApp) {
    let introspection = app
        .gql("{ __schema { types { name } } }", json!({}), Some(Viewer))
        .await;
    assert_eq!(
        introspection["errors"][0]["message"], "introspection is disabled",
        "{introspection}"
    );
    let by_type = app
        .gql(
            "{ __type(name: \"Release\") { fields { name } } }",
            json!({}),
            Some(Viewer),
        )
        .await;
    assert!(
        by_type.get("data").is_none() && by_type["errors"].is_array(),
        "{by_type}"
    );
    let typo = app
        .gql("{ relases { totalCount } }", json!({}), Some(Viewer))
        .await;
    let message = typo["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("Did you mean"), "{message}");
    let page = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    still_serving(&app).await;
}

both_with!(
    production,
    |s| {
        s.mode = heatshield::config::RunMode::Production;
        s.introspection = false;
        s.graphiql = false;
    },
    production_hides_the_schema
);

/// Cross-origin calls only from the configured origins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_only_configured_origins() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.cors_origins = vec!["https://dash.bank.example".into()]
    })
    .await
    .unwrap();
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("https://dash.bank.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://dash.bank.example"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    assert!(refused.status().is_client_error());
    still_serving(&app).await;
}

/// An internal failure answers INTERNAL without its cause, and the server goes on.
async fn internal_errors_reveal_nothing(app: TestApp) {
    use sea_orm::ConnectionTrait;
    app.store
        .conn()
        .execute_unprepared("DROP TABLE environment_system")
        .await
        .unwrap();
    let answer = app
        .gql(
            "{ systems { nodes { environments { name } } } }",
            json!({}),
            Some(Viewer),
        )
        .await;
    assert!(
        answer.get("errors").is_none(),
        "no systems, nothing to load: {answer}"
    );
    app.create_system("SYS").await;
    let answer = app
        .gql(
            "{ systems { nodes { code environments { name } } } }",
            json!({}),
            Some(Viewer),
        )
        .await;
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{answer}");
    let text = answer.to_string().to_lowercase();
    for leak in [
        "environment_system",
        "sqlite",
        "postgres",
        "select",
        "relation",
        "table",
    ] {
        assert!(!text.contains(leak), "the error leaks '{leak}': {answer}");
    }
    still_serving(&app).await;
}

both!(internal_errors_reveal_nothing);
