//! GraphQL over WebSocket: authentication in `connection_init` and the protocol's close codes.

use std::time::Duration;

use tests::ws::Received;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};

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

fn text_fragment(text: &str, opcode: OpCode, fin: bool) -> Message {
    Message::Frame(Frame::message(text.as_bytes().to_vec(), opcode, fin))
}

async fn websocket_frames_follow_rfc_6455(app: TestApp) {
    let mut client = app.ws("graphql-transport-ws").await;
    // A ping frame is answered with a pong carrying the same bytes.
    client
        .send_raw(Message::Ping(b"are you there".to_vec().into()))
        .await;
    assert_eq!(
        client.next_raw().await,
        Some(Message::Pong(b"are you there".to_vec().into()))
    );
    // A message sent in fragments, with a ping between them, is read as one message.
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", app.token(Viewer)) } }).to_string();
    let (head, tail) = init.split_at(20);
    let (middle, tail) = tail.split_at(tail.len() / 2);
    client
        .send_raw(text_fragment(head, OpCode::Data(Data::Text), false))
        .await;
    client
        .send_raw(text_fragment(middle, OpCode::Data(Data::Continue), false))
        .await;
    client.send_raw(Message::Ping(b"1".to_vec().into())).await;
    client
        .send_raw(text_fragment(tail, OpCode::Data(Data::Continue), true))
        .await;
    assert_eq!(
        client.next_raw().await,
        Some(Message::Pong(b"1".to_vec().into()))
    );
    assert_eq!(client.next_json().await["type"], "connection_ack");
    // Messages bigger than a frame's short length forms go both ways.
    let big_id = "i".repeat(70_000);
    client.send(json!({ "type": "subscribe", "id": big_id, "payload": { "query": "subscription { goLiveStatus(planId: \"pln_missing\") { kind } }" } })).await;
    let error = client.next_json().await;
    assert_eq!(error["type"], "error");
    assert_eq!(error["id"], big_id.as_str());
    // The client's close is answered with its code.
    client
        .send_raw(Message::Close(Some(CloseFrame {
            code: CloseCode::Normal,
            reason: "bye".into(),
        })))
        .await;
    client.expect_close(1000).await;
}

async fn broken_frames_close_with_their_rfc_codes(app: TestApp) {
    // Text that is not UTF-8: 1007.
    let mut client = app.ws_as(Viewer).await;
    client
        .send_raw(Message::Frame(Frame::message(
            vec![b'{', 0xff, b'}'],
            OpCode::Data(Data::Text),
            true,
        )))
        .await;
    client.expect_close(1007).await;
    // A message over the request size limit: 1009, refused from its header.
    let mut client = app.ws_as(Viewer).await;
    let limit = app.settings.limits.max_body_bytes;
    client.send_text(&"x".repeat(limit + 1)).await;
    client.expect_close(1009).await;
    // So is one assembled from fragments that are each small enough.
    let mut client = app.ws_as(Viewer).await;
    let half = "x".repeat(limit / 2 + 1);
    client
        .send_raw(text_fragment(&half, OpCode::Data(Data::Text), false))
        .await;
    client
        .send_raw(text_fragment(&half, OpCode::Data(Data::Continue), true))
        .await;
    client.expect_close(1009).await;
    // A continuation that continues nothing: 1002.
    let mut client = app.ws_as(Viewer).await;
    client
        .send_raw(text_fragment("{}", OpCode::Data(Data::Continue), true))
        .await;
    client.expect_close(1002).await;
    // Binary messages are not part of the GraphQL protocols: 4400.
    let mut client = app.ws_as(Viewer).await;
    client.send_raw(Message::Binary(vec![1, 2, 3].into())).await;
    client.expect_close(4400).await;
    // An unmasked client frame (no library sends one, so by hand): 1002.
    let mut raw = tests::ws::RawSocket::handshake(&app.address, "graphql-transport-ws").await;
    raw.write(&[0x81, 0x02, b'{', b'}']).await;
    assert_eq!(raw.close_code().await, 1002);
}

async fn upgrades_are_served_on_graphql_only(app: TestApp) {
    let base = app.address.replacen("http", "ws", 1);
    for (path, status) in [("/elsewhere", 404), ("/", 404), ("/healthz", 404)] {
        match tokio_tungstenite::connect_async(format!("{base}{path}")).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status().as_u16(), status, "{path}");
            }
            other => panic!("{path}: expected {status}, got {other:?}"),
        }
    }
    // The accepted upgrade carries a request id like every other answer.
    let request = format!("{base}/graphql")
        .into_client_request()
        .expect("request");
    let mut request = request;
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    request
        .headers_mut()
        .insert("x-request-id", "wall-display-7".parse().unwrap());
    let (_socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade");
    assert_eq!(response.status().as_u16(), 101);
    assert_eq!(response.headers()["x-request-id"], "wall-display-7");
    // Plain HTTP on the same connection-handling path is unchanged.
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
}

both!(
    signed_in_clients_receive_release_events,
    connections_without_valid_credentials_are_closed,
    protocol_violations_close_with_their_codes,
    the_legacy_protocol_is_spoken_too,
    a_graceful_stop_closes_subscriptions,
    websocket_frames_follow_rfc_6455,
    broken_frames_close_with_their_rfc_codes,
    upgrades_are_served_on_graphql_only
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

both_with!(
    reauthentication,
    |s| { s.ws_reauth_interval = Duration::from_millis(300) },
    deactivation_ends_open_subscriptions
);
