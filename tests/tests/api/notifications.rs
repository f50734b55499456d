//! Notifications to RACI people (in-app, live, and signed webhooks with retries), the
//! scheduler's exactly-once time rules across instances, and the hash-chained audit trail.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::*;

async fn gate_with_raci(app: &TestApp) -> (String, String) {
    let release = app.create_release("PR-N", "INDEPENDENT", None).await;
    let phase = app
        .ok(
            "mutation($r: ID!) { createPhase(input: {releaseId: $r, name: \"UAT\", plannedStart: \"2027-02-01\", plannedEnd: \"2027-02-19\"}) { phase { id } } }",
            json!({ "r": release }),
            ReleaseManager,
        )
        .await;
    let gate = app
        .ok(
            "mutation($p: ID!) { createGate(input: {phaseId: $p, name: \"UAT sign-off\", criteria: [{name: \"Business sign-off\", kind: MANUAL}]}) { gate { id } } }",
            json!({ "p": text(&phase, "createPhase.phase.id") }),
            ReleaseManager,
        )
        .await;
    let gate = text(&gate, "createGate.gate.id");
    for (role, raci) in [
        (TestManager, "RESPONSIBLE"),
        (ServiceManager, "ACCOUNTABLE"),
        (Viewer, "INFORMED"),
    ] {
        app.ok(
            "mutation($input: AssignRaciInput!) { assignRaci(input: $input) { assignment { id } } }",
            json!({ "input": { "subjectType": "GATE", "subjectId": gate, "userId": app.user_id(role), "role": raci } }),
            ReleaseManager,
        )
        .await;
    }
    (release, gate)
}

const MINE: &str = "{ unreadNotificationCount myNotifications { totalCount nodes { id kind title subjectId release { key } readAt } } }";

async fn raci_people_are_notified_in_app_and_live(app: TestApp) {
    let (_, gate) = gate_with_raci(&app).await;
    let mut live = app.ws_as(Viewer).await;
    live.send(json!({ "type": "subscribe", "id": "n", "payload": { "query": "subscription { notifications { notification { kind title } resyncRequired } }" } })).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    app.ok("mutation($id: ID!) { vetoGate(input: {id: $id, reason: \"Business rejected the UAT results\"}) { gate { status } } }", json!({ "id": gate }), ReleaseManager).await;

    // Everyone on the gate's RACI hears about a failure; the live subscriber at once.
    let pushed = live.next_json().await;
    assert_eq!(
        pushed["payload"]["data"]["notifications"]["notification"]["kind"], "GATE_FAILED",
        "{pushed}"
    );
    for role in [TestManager, ServiceManager, Viewer] {
        let mine = app
            .gql_with_token(MINE, json!({}), Some(app.token(role)))
            .await;
        assert_eq!(
            at(&mine, "data.unreadNotificationCount"),
            1,
            "{role}: {mine}"
        );
        assert_eq!(
            at(&mine, "data.myNotifications.nodes.0.kind"),
            "GATE_FAILED"
        );
        assert_eq!(text(&mine, "data.myNotifications.nodes.0.subjectId"), gate);
        assert_eq!(
            at(&mine, "data.myNotifications.nodes.0.release.key"),
            "PR-N"
        );
    }
    // Not on the RACI: nothing.
    assert_eq!(
        at(
            &app.gql_with_token(MINE, json!({}), Some(app.token(PortfolioManager)))
                .await,
            "data.unreadNotificationCount"
        ),
        0
    );

    // Reading: one by id, or all.
    let mine = app.ok(MINE, json!({}), TestManager).await;
    let id = text(&mine, "myNotifications.nodes.0.id");
    let marked = app
        .ok(
            "mutation($ids: [ID!]) { markNotificationsRead(input: {ids: $ids}) { marked } }",
            json!({ "ids": [id] }),
            TestManager,
        )
        .await;
    assert_eq!(at(&marked, "markNotificationsRead.marked"), 1);
    assert_eq!(
        at(
            &app.ok(MINE, json!({}), TestManager).await,
            "unreadNotificationCount"
        ),
        0
    );
    // Someone else's notification cannot be marked, nor seen through node().
    let other = app
        .ok(
            "mutation($ids: [ID!]) { markNotificationsRead(input: {ids: $ids}) { marked } }",
            json!({ "ids": [id] }),
            Viewer,
        )
        .await;
    assert_eq!(at(&other, "markNotificationsRead.marked"), 0);
    assert_eq!(
        at(
            &app.ok(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
                Viewer
            )
            .await,
            "node"
        ),
        &Value::Null
    );
}

fn verify_signature(secret: &str, header: &str, body: &str) -> bool {
    let mut parts = header.split(',');
    let t = parts
        .next()
        .and_then(|p| p.strip_prefix("t="))
        .unwrap_or_default();
    let v1 = parts
        .next()
        .and_then(|p| p.strip_prefix("v1="))
        .unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1
}

async fn webhooks_receive_signed_notifications_with_retries(app: TestApp) {
    // The receiver fails twice, then accepts.
    let receiver = Receiver::start(vec![500, 503, 200]).await;
    let created = app
        .ok(
            "mutation($u: String!) { createWebhook(input: {name: \"ServiceNow\", url: $u, kinds: [\"GATE_FAILED\", \"GATE_WAIVED\"]}) { secret webhook { id kinds active } } }",
            json!({ "u": receiver.url }),
            Admin,
        )
        .await;
    let secret = text(&created, "createWebhook.secret");
    let hook = text(&created, "createWebhook.webhook.id");
    let (_, gate) = gate_with_raci(&app).await;
    app.ok("mutation($id: ID!) { vetoGate(input: {id: $id, reason: \"Regression suite red\"}) { gate { status } } }", json!({ "id": gate }), ReleaseManager).await;

    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while receiver.received().len() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} deliveries arrived",
            receiver.received().len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let received = receiver.received();
    let (headers, body) = &received[2];
    assert_eq!(headers.get("x-heatshield-event").unwrap(), "GATE_FAILED");
    let signature = headers
        .get("x-heatshield-signature")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        verify_signature(&secret, signature, body),
        "the signature verifies with the secret"
    );
    assert!(!verify_signature("wrong-secret", signature, body));
    assert_eq!(received[0].1, *body, "retries send the same body");
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!(payload["kind"], "GATE_FAILED");
    assert_eq!(payload["release"]["key"], "PR-N");
    let mut recipients: Vec<String> = payload["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    recipients.sort();
    assert_eq!(
        recipients,
        [
            "service_manager@test.example",
            "test_manager@test.example",
            "viewer@test.example"
        ]
    );

    // The delivery log tells the story.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = app.ok("query($id: ID!) { node(id: $id) { ... on Webhook { deliveries { nodes { kind status attempts lastStatusCode lastError } } } } }", json!({ "id": hook }), Admin).await;
    assert_eq!(
        at(&log, "node.deliveries.nodes.0"),
        &json!({ "kind": "GATE_FAILED", "status": "DELIVERED", "attempts": 3, "lastStatusCode": 200, "lastError": null })
    );

    // Kinds the webhook did not ask for are not sent; bad configurations are refused.
    app.fails(
        "mutation { createWebhook(input: {name: \"x\", url: \"ftp://x\"}) { secret } }",
        json!({}),
        Some(Admin),
        "VALIDATION",
    )
    .await;
    app.fails("mutation { createWebhook(input: {name: \"x\", url: \"https://x.example\", kinds: [\"NOPE\"]}) { secret } }", json!({}), Some(Admin), "VALIDATION").await;
    app.fails(
        "mutation { createWebhook(input: {name: \"x\", url: \"https://x.example\"}) { secret } }",
        json!({}),
        Some(ReleaseManager),
        "FORBIDDEN",
    )
    .await;
}

async fn deliveries_that_keep_failing_give_up(app: TestApp) {
    let receiver = Receiver::start(vec![500]).await;
    app.ok(
        "mutation($u: String!) { createWebhook(input: {name: \"Down\", url: $u}) { secret } }",
        json!({ "u": receiver.url }),
        Admin,
    )
    .await;
    let (_, gate) = gate_with_raci(&app).await;
    app.ok(
        "mutation($id: ID!) { vetoGate(input: {id: $id, reason: \"no\"}) { gate { status } } }",
        json!({ "id": gate }),
        ReleaseManager,
    )
    .await;
    let query = "{ webhooks { deliveries { nodes { status attempts lastStatusCode } } } }";
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let log = app.ok(query, json!({}), Admin).await;
        if at(&log, "webhooks.0.deliveries.nodes.0.status") == "FAILED" {
            assert_eq!(
                at(&log, "webhooks.0.deliveries.nodes.0.attempts"),
                app.settings.webhook_max_attempts
            );
            assert_eq!(
                at(&log, "webhooks.0.deliveries.nodes.0.lastStatusCode"),
                500
            );
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{log}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        receiver.received().len() as i32,
        app.settings.webhook_max_attempts
    );
}

/// Two instances on one database run the scheduler at once; each fact reaches each person,
/// and each webhook, exactly once.
async fn time_rules_notify_exactly_once_across_instances(app: TestApp) {
    let receiver = Receiver::start(vec![200]).await;
    app.ok(
        "mutation($u: String!) { createWebhook(input: {name: \"All\", url: $u}) { secret } }",
        json!({ "u": receiver.url }),
        Admin,
    )
    .await;
    let (release, gate) = gate_with_raci(&app).await;
    // Due within 24 hours, and a milestone that was missed yesterday.
    let soon = (now() + chrono::Duration::hours(3)).to_rfc3339();
    app.ok("mutation($id: ID!, $d: DateTime!) { updateGate(input: {id: $id, dueAt: $d}) { gate { dueAt } } }", json!({ "id": gate, "d": soon }), ReleaseManager).await;
    let yesterday = (now() - chrono::Duration::days(1)).date_naive().to_string();
    app.ok("mutation($r: ID!, $d: Date!) { createMilestone(input: {releaseId: $r, name: \"Code freeze\", plannedDate: $d}) { milestone { id } } }", json!({ "r": release, "d": yesterday }), ReleaseManager).await;
    app.ok(
        "mutation($input: AssignRaciInput!) { assignRaci(input: $input) { assignment { id } } }",
        json!({ "input": { "subjectType": "RELEASE", "subjectId": release, "userId": app.user_id(ReleaseManager), "role": "ACCOUNTABLE" } }),
        ReleaseManager,
    )
    .await;

    let fast = |s: &mut heatshield::config::Settings| {
        s.scheduler_interval = Duration::from_millis(100);
        s.webhook_interval = Duration::from_millis(100);
    };
    let first = app.second_instance(fast).await;
    let second = app.second_instance(fast).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop((first, second));

    let kinds = |data: &Value| -> Vec<String> {
        let mut kinds: Vec<String> = data["myNotifications"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_owned())
            .collect();
        kinds.sort();
        kinds
    };
    assert_eq!(
        kinds(&app.ok(MINE, json!({}), TestManager).await),
        ["GATE_DUE"],
        "the gate's responsible"
    );
    assert_eq!(
        kinds(&app.ok(MINE, json!({}), ServiceManager).await),
        ["GATE_DUE"],
        "the gate's accountable"
    );
    assert_eq!(
        kinds(&app.ok(MINE, json!({}), Viewer).await),
        Vec::<String>::new(),
        "informed people are not chased for due dates"
    );
    assert_eq!(
        kinds(&app.ok(MINE, json!({}), ReleaseManager).await),
        ["MILESTONE_MISSED"],
        "the release's accountable"
    );
    let mut delivered: Vec<String> = receiver
        .received()
        .iter()
        .map(|(headers, _)| {
            headers
                .get("x-heatshield-event")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    delivered.sort();
    assert_eq!(
        delivered,
        ["GATE_DUE", "MILESTONE_MISSED"],
        "one delivery per fact"
    );
}

async fn the_audit_chain_detects_tampering(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let (release, _) = gate_with_raci(&app).await;
    app.transition(&release, "PLANNED").await;
    let verify = "{ verifyAuditChain { intact checked headSequence firstBroken { sequence eventId reason } } }";
    let clean = app.ok(verify, json!({}), ServiceManager).await;
    assert_eq!(at(&clean, "verifyAuditChain.intact"), true, "{clean}");
    let head = at(&clean, "verifyAuditChain.headSequence")
        .as_i64()
        .unwrap();
    assert!(head >= 8);
    assert_eq!(at(&clean, "verifyAuditChain.checked"), head);
    app.fails(verify, json!({}), Some(ProjectManager), "FORBIDDEN")
        .await;

    // Someone with database access rewrites history: the chain names the first broken link.
    let original: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::audit_event::Entity::find()
            .filter(entity::audit_event::Column::Sequence.eq(5))
            .one(app.store.conn())
            .await
            .unwrap()
            .unwrap()
            .actor_name
    };
    app.store
        .conn()
        .execute_unprepared("UPDATE audit_event SET actor_name = 'Mallory' WHERE sequence = 5")
        .await
        .unwrap();
    let tampered = app.ok(verify, json!({}), ServiceManager).await;
    assert_eq!(at(&tampered, "verifyAuditChain.intact"), false);
    assert_eq!(at(&tampered, "verifyAuditChain.firstBroken.sequence"), 5);
    assert!(text(&tampered, "verifyAuditChain.firstBroken.reason").contains("altered"));
    assert_eq!(at(&tampered, "verifyAuditChain.checked"), 4);

    // Deleting an event is found as well.
    app.store
        .conn()
        .execute_unprepared(&format!(
            "UPDATE audit_event SET actor_name = '{original}' WHERE sequence = 5"
        ))
        .await
        .unwrap();
    let repaired = app.ok(verify, json!({}), ServiceManager).await;
    assert_eq!(
        at(&repaired, "verifyAuditChain.intact"),
        true,
        "the original content hashes again: {repaired}"
    );
    app.store
        .conn()
        .execute_unprepared("DELETE FROM audit_event WHERE sequence = 7")
        .await
        .unwrap();
    let gap = app.ok(verify, json!({}), ServiceManager).await;
    assert_eq!(at(&gap, "verifyAuditChain.firstBroken.sequence"), 7);
    assert!(text(&gap, "verifyAuditChain.firstBroken.reason").contains("missing"));

    // The API offers no way to change or delete events.
    let schema = app
        .ok(
            "{ __schema { mutationType { fields { name } } } }",
            json!({}),
            Admin,
        )
        .await;
    let names: Vec<&str> = schema["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.to_lowercase().contains("audit")),
        "{names:?}"
    );
}

async fn the_database_holds_one_accountable_per_subject(app: TestApp) {
    use sea_orm::ConnectionTrait;
    let (_, gate) = gate_with_raci(&app).await;
    let (_, uuid) = heatshield::domain::ids::split(&gate).unwrap();
    let sql = |user: &str| {
        let (_, user) = heatshield::domain::ids::split(user).unwrap();
        let backend = app.store.conn().get_database_backend();
        let (gate_value, user_value) = match backend {
            sea_orm::DbBackend::Postgres => (format!("'{uuid}'"), format!("'{user}'")),
            _ => (
                format!("X'{}'", uuid.simple()),
                format!("X'{}'", user.simple()),
            ),
        };
        let id = match backend {
            sea_orm::DbBackend::Postgres => format!("'{}'", uuid::Uuid::now_v7()),
            _ => format!("X'{}'", uuid::Uuid::now_v7().simple()),
        };
        format!(
            "INSERT INTO raci_assignment (id, subject_type, subject_id, release_id, user_id, team, role, created_at) VALUES ({id}, 'GATE', {gate_value}, NULL, {user_value}, NULL, 'ACCOUNTABLE', '2027-01-01T00:00:00Z')"
        )
    };
    // Bypassing the API, a second accountable is still refused.
    let result = app
        .store
        .conn()
        .execute_unprepared(&sql(&app.user_id(PortfolioManager)))
        .await;
    assert!(
        result.is_err(),
        "the database accepted a second accountable"
    );
    assert!(
        app.store
            .conn()
            .execute_unprepared(
                &sql(&app.user_id(PortfolioManager)).replace("'ACCOUNTABLE'", "'CONSULTED'")
            )
            .await
            .is_ok()
    );
}

async fn the_trail_of_a_release_includes_its_project_releases(app: TestApp) {
    let enterprise = app.create_release("ER-A", "ENTERPRISE", None).await;
    let project = app
        .create_release("PR-A", "PROJECT", Some(&enterprise))
        .await;
    let system = app.create_system("SYS-A").await;
    app.create_package(&project, &system, "pkg", "1.0").await;
    let query = "query($r: ID!, $c: Boolean) { auditEvents(filter: {releaseId: $r, includeChildren: $c}, first: 50) { nodes { action entityType } } }";
    let all = app
        .ok(query, json!({ "r": enterprise, "c": true }), ReleaseManager)
        .await;
    let actions: Vec<&str> = all["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    for expected in ["release.create", "package.create", "impact.create"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let own = app
        .ok(
            query,
            json!({ "r": enterprise, "c": false }),
            ReleaseManager,
        )
        .await;
    assert_eq!(own["auditEvents"]["nodes"].as_array().unwrap().len(), 1);

    // Narrowed to entity types and actions.
    let narrowed = "query($r: ID!, $t: [String!], $a: [String!]) { auditEvents(filter: {releaseId: $r, entityTypes: $t, actions: $a}, first: 50) { totalCount nodes { action entityType } } }";
    let packages = app
        .ok(
            narrowed,
            json!({ "r": enterprise, "t": ["Package"] }),
            ReleaseManager,
        )
        .await;
    assert_eq!(
        packages["auditEvents"]["nodes"],
        json!([{ "action": "package.create", "entityType": "Package" }])
    );
    let created = app
        .ok(
            narrowed,
            json!({ "r": enterprise, "a": ["release.create", "impact.create"] }),
            ReleaseManager,
        )
        .await;
    let mut actions: Vec<&str> = created["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        ["impact.create", "release.create", "release.create"]
    );
    let too_many: Vec<String> = (0..51).map(|i| format!("a{i}")).collect();
    let error = app
        .fails(
            narrowed,
            json!({ "r": enterprise, "a": too_many }),
            Some(ReleaseManager),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "filter.actions");
}

both!(
    raci_people_are_notified_in_app_and_live,
    the_audit_chain_detects_tampering,
    the_database_holds_one_accountable_per_subject,
    the_trail_of_a_release_includes_its_project_releases
);

macro_rules! with_workers {
    ($($name:ident),+) => {$(
        mod $name {
            use super::*;

            async fn spawn(backend: Backend) -> Option<TestApp> {
                TestApp::spawn_with(backend, |s| {
                    s.webhook_interval = Duration::from_millis(100);
                    s.webhook_first_backoff = Duration::from_millis(200);
                })
                .await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = spawn(Backend::Sqlite).await {
                    super::$name(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = spawn(Backend::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )+};
}

with_workers!(
    webhooks_receive_signed_notifications_with_retries,
    deliveries_that_keep_failing_give_up
);

mod scheduling {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        if let Some(app) = TestApp::spawn(Backend::Sqlite).await {
            time_rules_notify_exactly_once_across_instances(app).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = TestApp::spawn(Backend::Postgres).await {
            time_rules_notify_exactly_once_across_instances(app).await;
        }
    }
}
