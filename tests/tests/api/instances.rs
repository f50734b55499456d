//! Several `heatshield` processes on one PostgreSQL database: a change made through one
//! reaches the subscribers of the other (LISTEN/NOTIFY). SQLite runs a single instance, with
//! in-process broadcast (the other tests).

use std::collections::{HashMap, VecDeque};
use std::process::{Child, Stdio};
use std::time::Duration;

use super::process::{free_port, heatshield, wait_until_healthy};
use super::*;

/// A served instance, stopped when dropped.
struct Process {
    child: Child,
    base: String,
}

impl Process {
    fn start(url: &str, data: &std::path::Path) -> Process {
        let port = free_port();
        let mut child = heatshield(url, data)
            .env(
                "HEATSHIELD_JWT_SECRET",
                "shared-secret-shared-secret-shared!!",
            )
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_until_healthy(port, &mut child);
        Process {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let mut request = reqwest::Client::new().post(format!("{}/graphql", self.base));
        if !token.is_empty() {
            request = request.bearer_auth(token);
        }
        let answer: Value = request
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer["errors"].is_null(), "{answer:#}");
        answer["data"].clone()
    }

    async fn subscriber(&self, token: &str) -> tests::ws::WsClient {
        let mut client = tests::ws::WsClient::connect(&self.base, "graphql-transport-ws").await;
        client
            .send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }))
            .await;
        assert_eq!(client.next_json().await["type"], "connection_ack");
        client
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A socket whose messages are sorted by subscription id, so one subscription can be read
/// while the other's messages wait their turn.
struct Inbox {
    client: tests::ws::WsClient,
    waiting: HashMap<String, VecDeque<Value>>,
}

impl Inbox {
    fn new(client: tests::ws::WsClient) -> Inbox {
        Inbox {
            client,
            waiting: HashMap::new(),
        }
    }

    async fn send(&mut self, message: Value) {
        self.client.send(message).await;
    }

    async fn next_for(&mut self, id: &str) -> Value {
        loop {
            if let Some(message) = self.waiting.get_mut(id).and_then(VecDeque::pop_front) {
                return message;
            }
            match self.client.next_within(Duration::from_secs(10)).await {
                tests::ws::Received::Json(value) => {
                    let of = value["id"].as_str().unwrap_or_default().to_owned();
                    self.waiting.entry(of).or_default().push_back(value);
                }
                other => panic!("expected a message for {id}, got {other:?}"),
            }
        }
    }
}

fn summary(update: &Value) -> Value {
    json!({ "kind": update["kind"], "planMode": update["planMode"], "counts": update["counts"] })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_on_one_instance_see_changes_made_through_another() {
    let Some((url, _database)) = fresh_database(Backend::Postgres).await else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let seeded = heatshield(&url, data.path()).arg("seed").output().unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Process::start(&url, data_a.path());
    let b = Process::start(&url, data_b.path());

    // A session from one instance is good on the other (same secret, same users).
    let login = a
        .gql(
            "",
            "mutation { login(input: {email: \"ian.implementer@heatshield.demo\", password: \"heatshield-demo\"}) { token } }",
            json!({}),
        )
        .await;
    let token = text(&login, "login.token");

    // A plan built through A.
    let release = b
        .gql(
            &token,
            "{ releaseByKey(key: \"PR-3601\") { id } }",
            json!({}),
        )
        .await;
    let release = text(&release, "releaseByKey.id");
    let plan = a
        .gql(
            &token,
            "mutation($r: ID!) { createDeploymentPlan(input: {releaseId: $r, name: \"Two instances\", windowStart: \"2027-01-09T18:00:00Z\", windowEnd: \"2027-01-10T06:00:00Z\"}) { plan { id } } }",
            json!({ "r": release }),
        )
        .await;
    let plan = text(&plan, "createDeploymentPlan.plan.id");
    let first = a
        .gql(
            &token,
            "mutation($p: ID!) { addActivity(input: {planId: $p, title: \"Stop batch\", kind: MANUAL, plannedDurationMinutes: 10}) { activity { id } } }",
            json!({ "p": plan }),
        )
        .await;
    let first = text(&first, "addActivity.activity.id");
    a.gql(
        &token,
        "mutation($p: ID!, $d: [ID!]!) { addActivity(input: {planId: $p, title: \"Deploy\", kind: AUTOMATED, plannedDurationMinutes: 30, dependsOn: $d}) { activity { id } } }",
        json!({ "p": plan, "d": [first] }),
    )
    .await;
    a.gql(
        &token,
        "mutation($p: ID!) { approveDeploymentPlan(input: {id: $p}) { plan { mode } } }",
        json!({ "p": plan }),
    )
    .await;

    // A wall screen on B watches the plan and the release.
    let mut wall = Inbox::new(b.subscriber(&token).await);
    wall.send(json!({ "type": "subscribe", "id": "live", "payload": { "query": "subscription($p: ID!) { goLiveStatus(planId: $p) { kind planMode counts { ready inProgress } } }", "variables": { "p": plan } } }))
        .await;
    wall.send(json!({ "type": "subscribe", "id": "events", "payload": { "query": "subscription($r: ID) { releaseEvents(releaseId: $r) { action } }", "variables": { "r": release } } }))
        .await;
    let snapshot = wall.next_for("live").await;
    assert_eq!(
        summary(&snapshot["payload"]["data"]["goLiveStatus"]),
        json!({ "kind": "SNAPSHOT", "planMode": "APPROVED", "counts": { "ready": 0, "inProgress": 0 } })
    );
    // Let B's subscriptions settle before A changes anything.
    tokio::time::sleep(Duration::from_millis(200)).await;

    // The rehearsal starts through A; B's screen follows.
    a.gql(
        &token,
        "mutation($p: ID!) { startRehearsal(input: {planId: $p}) { run { id } } }",
        json!({ "p": plan }),
    )
    .await;
    let started = wall.next_for("live").await;
    assert_eq!(
        summary(&started["payload"]["data"]["goLiveStatus"]),
        json!({ "kind": "SNAPSHOT", "planMode": "REHEARSAL", "counts": { "ready": 1, "inProgress": 0 } })
    );
    let event = wall.next_for("events").await;
    assert_eq!(
        event["payload"]["data"]["releaseEvents"]["action"],
        "run.start"
    );
    a.gql(
        &token,
        "mutation($id: ID!) { updateActivityStatus(input: {activityId: $id, action: START}) { status } }",
        json!({ "id": first }),
    )
    .await;
    let delta = wall.next_for("live").await;
    assert_eq!(
        summary(&delta["payload"]["data"]["goLiveStatus"]),
        json!({ "kind": "DELTA", "planMode": "REHEARSAL", "counts": { "ready": 0, "inProgress": 1 } })
    );

    // And the other way round: a change through B reaches a subscriber on A.
    let mut desk = Inbox::new(a.subscriber(&token).await);
    desk.send(json!({ "type": "subscribe", "id": "events", "payload": { "query": "subscription($r: ID) { releaseEvents(releaseId: $r) { action } }", "variables": { "r": release } } }))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    b.gql(
        &token,
        "mutation($id: ID!) { updateActivityStatus(input: {activityId: $id, action: COMPLETE}) { status } }",
        json!({ "id": first }),
    )
    .await;
    let event = desk.next_for("events").await;
    assert_eq!(
        event["payload"]["data"]["releaseEvents"]["action"],
        "activity.complete"
    );
}
