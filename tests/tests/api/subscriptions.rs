//! GraphQL over WebSocket: authentication in `connection_init` and the protocol's close codes.

use std::time::Duration;

use tests::ws::Received;

use super::*;

const EVENTS: &str = "subscription($r: ID) { releaseEvents(releaseId: $r) { action entityType entityId releaseId release { key status } resyncRequired } }";

fn subscribe(id: &str, variables: Value) -> Value {
    json!({ "type": "subscribe", "id": id, "payload": { "query": EVENTS, "variables": variables } })
}

async fn signed_in_clients_receive_release_events(app: TestApp) {
    let mut client = app.ws_as(Viewer).await;
    client.send(subscribe("all", json!({}))).await;
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let next = client.next_json().await;
    assert_eq!(next["type"], "next");
    assert_eq!(next["id"], "all");
    assert_eq!(
        next["payload"]["data"]["releaseEvents"]["action"],
        "release.create"
    );
    assert_eq!(
        next["payload"]["data"]["releaseEvents"]["release"],
        json!({ "key": "PR-1", "status": "DRAFT" })
    );
    assert_eq!(
        next["payload"]["data"]["releaseEvents"]["releaseId"],
        release.as_str()
    );

    // A second subscription filtered to another release sees nothing of this one.
    let other = app.create_release("PR-2", "PROJECT", None).await;
    assert_eq!(
        client.next_json().await["payload"]["data"]["releaseEvents"]["action"],
        "release.create"
    );
    client.send(subscribe("one", json!({ "r": other }))).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.transition(&release, "PLANNED").await;
    let seen = client.next_json().await;
    assert_eq!(
        (
            seen["id"].as_str(),
            seen["payload"]["data"]["releaseEvents"]["action"].as_str()
        ),
        (Some("all"), Some("release.transition"))
    );
    client.expect_silence(Duration::from_millis(300)).await;

    // Completing a subscription stops it; ping answers pong.
    client
        .send(json!({ "type": "complete", "id": "all" }))
        .await;
    client.send(json!({ "type": "ping" })).await;
    assert_eq!(client.next_json().await["type"], "pong");
    app.transition(&other, "PLANNED").await;
    let only = client.next_json().await;
    assert_eq!(only["id"], "one");
    client.expect_silence(Duration::from_millis(300)).await;

    // Queries work over the socket too: one `next`, then `complete`.
    client.send(json!({ "type": "subscribe", "id": "q", "payload": { "query": "{ releases { totalCount } }" } })).await;
    let answer = client.next_json().await;
    assert_eq!(answer["payload"]["data"]["releases"]["totalCount"], 2);
    assert_eq!(
        client.next_json().await,
        json!({ "type": "complete", "id": "q" })
    );

    // An invalid operation gets an `error` message; the connection stays.
    client.send(json!({ "type": "subscribe", "id": "bad", "payload": { "query": "subscription { nope }" } })).await;
    let error = client.next_json().await;
    assert_eq!(error["type"], "error");
    assert_eq!(error["id"], "bad");
    assert_eq!(error["payload"][0]["extensions"]["code"], "VALIDATION");
    client.send(json!({ "type": "ping" })).await;
    assert_eq!(client.next_json().await["type"], "pong");
}

async fn connections_without_valid_credentials_are_closed(app: TestApp) {
    // No token.
    let mut client = app.ws("graphql-transport-ws").await;
    client.send(json!({ "type": "connection_init" })).await;
    client.expect_close(4403).await;
    // A bad token.
    let mut client = app.ws("graphql-transport-ws").await;
    client
        .send(json!({ "type": "connection_init", "payload": { "Authorization": "Bearer forged" } }))
        .await;
    client.expect_close(4403).await;
    // Subscribing before the acknowledgement.
    let mut client = app.ws("graphql-transport-ws").await;
    client.send(subscribe("1", json!({}))).await;
    client.expect_close(4401).await;
    // No connection_init in time.
    let mut client = app.ws("graphql-transport-ws").await;
    let reason = client.expect_close(4408).await;
    assert!(reason.contains("timeout"));
    // No GraphQL subprotocol offered.
    let mut client = app.ws("").await;
    client.expect_close(4406).await;
}

async fn protocol_violations_close_with_their_codes(app: TestApp) {
    let mut client = app.ws_as(Viewer).await;
    client.send(subscribe("1", json!({}))).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.send(subscribe("1", json!({}))).await;
    let reason = client.expect_close(4409).await;
    assert_eq!(reason, "Subscriber for 1 already exists");

    let mut client = app.ws_as(Viewer).await;
    client.send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", app.token(Viewer)) } })).await;
    client.expect_close(4429).await;

    for bad in [
        "not json",
        "{\"type\":\"subscribe\",\"payload\":{\"query\":\"{a}\"}}",
        "{\"type\":\"next\",\"id\":\"1\",\"payload\":{}}",
    ] {
        let mut client = app.ws_as(Viewer).await;
        client.send_text(bad).await;
        client.expect_close(4400).await;
    }
}

async fn the_legacy_protocol_is_spoken_too(app: TestApp) {
    let mut client = app.ws("graphql-ws").await;
    client
        .send(json!({ "type": "connection_init", "payload": { "authToken": app.token(Viewer) } }))
        .await;
    assert_eq!(client.next_json().await["type"], "connection_ack");
    client
        .send(json!({ "type": "start", "id": "7", "payload": { "query": EVENTS } }))
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    app.create_release("PR-L", "PROJECT", None).await;
    let data = client.next_json().await;
    assert_eq!(data["type"], "data");
    assert_eq!(
        data["payload"]["data"]["releaseEvents"]["release"]["key"],
        "PR-L"
    );
    client.send(json!({ "type": "stop", "id": "7" })).await;
    client.send(json!({ "type": "connection_terminate" })).await;
    client.expect_close(1000).await;

    let mut refused = app.ws("graphql-ws").await;
    refused
        .send(json!({ "type": "connection_init", "payload": {} }))
        .await;
    assert_eq!(refused.next_json().await["type"], "connection_error");
    refused.expect_close(4403).await;
}

async fn a_graceful_stop_closes_subscriptions(app: TestApp) {
    let mut client = app.ws_as(Viewer).await;
    client.send(subscribe("1", json!({}))).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    let stop = app.stop_gracefully();
    let (_, closed) = tokio::join!(stop, client.next());
    assert_eq!(
        closed,
        Received::Closed(1001, "The server is shutting down".into())
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the stop did not wait for the socket"
    );
}

both!(
    signed_in_clients_receive_release_events,
    connections_without_valid_credentials_are_closed,
    protocol_violations_close_with_their_codes,
    the_legacy_protocol_is_spoken_too,
    a_graceful_stop_closes_subscriptions
);

/// Deactivating a user ends their open subscriptions at the next credential check.
async fn deactivation_ends_open_subscriptions(app: TestApp) {
    let mut client = app.ws_as(ProjectManager).await;
    client.send(subscribe("1", json!({}))).await;
    let id = app.user_id(ProjectManager);
    app.ok(
        "mutation($id: ID!) { updateUser(input: {id: $id, active: false}) { user { active } } }",
        json!({ "id": id }),
        Admin,
    )
    .await;
    loop {
        match client.next_within(Duration::from_secs(5)).await {
            Received::Closed(code, _) => {
                assert_eq!(code, 4403);
                break;
            }
            Received::Json(message) => assert_eq!(message["type"], "next", "{message}"),
        }
    }
}

mod reauthentication {
    use super::*;

    async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, |s| {
            s.ws_reauth_interval = Duration::from_millis(300)
        })
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        if let Some(app) = spawn(Backend::Sqlite).await {
            deactivation_ends_open_subscriptions(app).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = spawn(Backend::Postgres).await {
            deactivation_ends_open_subscriptions(app).await;
        }
    }
}
