//! The HTTP surface: GraphQL-over-HTTP behaviour, health, metrics, request ids.

use super::*;

async fn post_raw(
    app: &TestApp,
    body: &str,
    content_type: Option<&str>,
    accept: Option<&str>,
) -> reqwest::Response {
    let mut request = app.client.post(app.url("/graphql")).body(body.to_owned());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    request.send().await.unwrap()
}

async fn graphql_over_http_negotiates_and_answers_with_the_right_status(app: TestApp) {
    let query = r#"{"query":"{ __typename }"}"#;
    let graphql_json = "application/graphql-response+json";
    let response = post_raw(&app, query, Some("application/json"), Some(graphql_json)).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with(graphql_json)
    );
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "data": { "__typename": "Query" } })
    );

    let response = post_raw(
        &app,
        query,
        Some("application/json"),
        Some("application/json"),
    )
    .await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let response = post_raw(&app, query, Some("application/json"), None).await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "no Accept means JSON"
    );
    assert_eq!(
        post_raw(&app, query, Some("application/json"), Some("text/plain"))
            .await
            .status(),
        406
    );

    // Not GraphQL-over-HTTP at all: 4xx whatever the Accept.
    assert_eq!(
        post_raw(
            &app,
            "{not json",
            Some("application/json"),
            Some(graphql_json)
        )
        .await
        .status(),
        400
    );
    assert_eq!(
        post_raw(&app, query, Some("text/plain"), Some(graphql_json))
            .await
            .status(),
        415
    );
    assert_eq!(
        post_raw(&app, query, None, Some(graphql_json))
            .await
            .status(),
        415
    );

    // Request errors: 400 without data for graphql-response+json, 200 for plain JSON clients.
    let bad_document = r#"{"query":"{ releases { "}"#;
    let response = post_raw(
        &app,
        bad_document,
        Some("application/json"),
        Some(graphql_json),
    )
    .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION");
    let response = post_raw(
        &app,
        bad_document,
        Some("application/json"),
        Some("application/json"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let unknown_field = r#"{"query":"{ noSuchField }"}"#;
    assert_eq!(
        post_raw(
            &app,
            unknown_field,
            Some("application/json"),
            Some(graphql_json)
        )
        .await
        .status(),
        400
    );
    assert_eq!(
        post_raw(
            &app,
            r#"{"query":"{ __typename }","variables":"x"}"#,
            Some("application/json"),
            Some(graphql_json)
        )
        .await
        .status(),
        400
    );
    assert_eq!(
        post_raw(
            &app,
            r#"{"variables":{}}"#,
            Some("application/json"),
            Some(graphql_json)
        )
        .await
        .status(),
        400
    );

    // A field error is not a request error: data is present and the status is 200.
    let response = post_raw(
        &app,
        r#"{"query":"{ releases { totalCount } }"}"#,
        Some("application/json"),
        Some(graphql_json),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"], Value::Null);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // Credentials that are presented and refused stop the request with 401.
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth("not-a-token")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

async fn get_serves_queries_but_never_mutations(app: TestApp) {
    let token = app.token(Viewer).to_owned();
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[
            (
                "query",
                "query($k: String!) { releaseByKey(key: $k) { id } }",
            ),
            ("variables", r#"{"k":"NONE"}"#),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({ "data": { "releaseByKey": null } })
    );

    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { deleteSystem(input: {id: \"sys_0190000000007000800000000000abcd\"}) { deletedId } }")])
        .bearer_auth(app.token(Admin))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");

    // A browser asking for HTML gets GraphiQL.
    let page = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
    let put = app.client.put(app.url("/graphql")).send().await.unwrap();
    assert_eq!(put.status(), 405);
}

async fn health_metrics_and_request_ids(app: TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(
        ready.json::<Value>().await.unwrap(),
        json!({ "status": "ready" })
    );

    // Metrics are for admins and the scrape token only.
    assert_eq!(
        app.client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        app.client
            .get(app.url("/metrics"))
            .bearer_auth(app.token(Viewer))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(app.token(Admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "heatshield_db_statements_total",
        "heatshield_http_requests_total",
        "heatshield_http_request_duration_seconds_bucket",
        "heatshield_graphql_requests_total",
    ] {
        assert!(text.contains(name), "{name} missing");
    }

    // Every answer carries a request id; a plain id sent by the caller is kept, and the audit
    // trail records it.
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(app.token(Admin))
        .header("x-request-id", "trace-42")
        .json(&json!({ "query": "mutation { createSystem(input: {code: \"TRACE\", name: \"Traced\"}) { system { id } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-42");
    let id = response.json::<Value>().await.unwrap()["data"]["createSystem"]["system"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let audit = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {entityId: $id}) { nodes { requestId } } }",
            json!({ "id": id }),
            Admin,
        )
        .await;
    assert_eq!(at(&audit, "auditEvents.nodes.0.requestId"), "trace-42");
    let generated = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "bad id\twith tab")
        .send()
        .await
        .unwrap();
    assert_ne!(generated.headers()["x-request-id"], "bad id\twith tab");
}

async fn batches_run_each_operation(app: TestApp) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(app.token(Viewer))
        .json(&json!([{ "query": "{ __typename }" }, { "query": "{ systems { totalCount } }" }, { "nope": 1 }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body[0]["data"]["__typename"], "Query");
    assert_eq!(body[1]["data"]["systems"]["totalCount"], 0);
    assert_eq!(body[2]["errors"][0]["extensions"]["code"], "VALIDATION");
    let too_many: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ __typename }" }))
        .collect();
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

both!(
    graphql_over_http_negotiates_and_answers_with_the_right_status,
    get_serves_queries_but_never_mutations,
    health_metrics_and_request_ids,
    batches_run_each_operation
);
