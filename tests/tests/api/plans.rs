//! Deployment plans (runbooks): building, approving, rehearsing and executing them, with the
//! rules of each step, and the go-live command centre's `goLiveStatus` subscription.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::TimeDelta;

use super::*;

const CREATE_PLAN: &str = "mutation($i: CreateDeploymentPlanInput!) { createDeploymentPlan(input: $i) { plan { id mode } } }";
const ADD_SET: &str =
    "mutation($i: AddActivitySetInput!) { addActivitySet(input: $i) { set { id name } } }";
const ADD: &str =
    "mutation($i: AddActivityInput!) { addActivity(input: $i) { activity { id title } } }";
const UPDATE: &str = "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { id dependsOn { title } } } }";
const APPROVE: &str =
    "mutation($id: ID!) { approveDeploymentPlan(input: {id: $id}) { plan { mode approvedBy } } }";
const REOPEN: &str =
    "mutation($id: ID!) { reopenDeploymentPlan(input: {id: $id}) { plan { mode } } }";
const REHEARSE: &str =
    "mutation($id: ID!) { startRehearsal(input: {planId: $id}) { run { id kind status } } }";
const EXECUTE: &str = "mutation($id: ID!) { startExecution(input: {planId: $id}) { run { id kind status deadline } } }";
const ACT: &str = "mutation($id: ID!, $a: ActivityAction!, $n: String) { updateActivityStatus(input: {activityId: $id, action: $a, note: $n}) { status plan { mode } } }";
const DECIDE: &str = "mutation($id: ID!, $d: Decision!, $n: String) { decideActivity(input: {activityId: $id, decision: $d, note: $n}) { status plan { mode } } }";
const STATUS: &str = "query($id: ID!) { deploymentPlan(id: $id) { mode status { progress atRisk criticalPath plannedFinish projectedFinish deadline counts { pending ready inProgress done failed skipped blocked total } activities { id title status critical ownerId ownerName decision decidedBy } issues { title resolved } } } }";

/// A five-step runbook: freeze → deploy (automated) → smoke test → go/no-go → open, and a
/// side branch (notify customers) after the freeze.
struct Runbook {
    release: String,
    plan: String,
    freeze: String,
    deploy: String,
    smoke: String,
    go: String,
    open: String,
    notify: String,
}

fn at_offset(minutes: i64) -> String {
    (now() + TimeDelta::minutes(minutes)).to_rfc3339()
}

async fn add(app: &TestApp, input: Value) -> String {
    let added = app
        .ok(ADD, json!({ "i": input }), ImplementationManager)
        .await;
    text(&added, "addActivity.activity.id")
}

async fn runbook(app: &TestApp, key: &str, window: (i64, i64)) -> Runbook {
    let release = app.create_release(key, "PROJECT", None).await;
    let created = app
        .ok(
            CREATE_PLAN,
            json!({ "i": { "releaseId": release, "name": format!("{key} cut-over"), "windowStart": at_offset(window.0), "windowEnd": at_offset(window.1) } }),
            ImplementationManager,
        )
        .await;
    assert_eq!(at(&created, "createDeploymentPlan.plan.mode"), "DRAFT");
    let plan = text(&created, "createDeploymentPlan.plan.id");
    let set = app
        .ok(
            ADD_SET,
            json!({ "i": { "planId": plan, "name": "Cut-over" } }),
            ImplementationManager,
        )
        .await;
    let set = text(&set, "addActivitySet.set.id");
    let freeze = add(app, json!({ "planId": plan, "setId": set, "title": "Freeze payments batch", "kind": "MANUAL", "ownerId": app.user_id(ProjectManager), "plannedDurationMinutes": 30 })).await;
    let deploy = add(app, json!({ "planId": plan, "setId": set, "title": "Deploy core banking", "kind": "AUTOMATED", "ownerTeam": "Jenkins", "plannedDurationMinutes": 60, "dependsOn": [freeze] })).await;
    let smoke = add(app, json!({ "planId": plan, "title": "Smoke test", "kind": "MANUAL", "ownerId": app.user_id(TestManager), "plannedDurationMinutes": 45, "dependsOn": [deploy] })).await;
    let go = add(app, json!({ "planId": plan, "title": "Go/no-go", "kind": "GO_NO_GO", "plannedDurationMinutes": 15, "dependsOn": [smoke] })).await;
    let open = add(app, json!({ "planId": plan, "title": "Open to customers", "kind": "MANUAL", "ownerId": app.user_id(ServiceManager), "plannedDurationMinutes": 30, "dependsOn": [go] })).await;
    let notify = add(app, json!({ "planId": plan, "title": "Notify customers", "kind": "MANUAL", "plannedDurationMinutes": 20, "dependsOn": [freeze] })).await;
    Runbook {
        release,
        plan,
        freeze,
        deploy,
        smoke,
        go,
        open,
        notify,
    }
}

async fn act(app: &TestApp, activity: &str, action: &str, role: Role) -> Value {
    app.ok(
        ACT,
        json!({ "id": activity, "a": action, "n": "noted" }),
        role,
    )
    .await
}

async fn status(app: &TestApp, plan: &str) -> Value {
    app.ok(STATUS, json!({ "id": plan }), Viewer).await
}

fn status_of(state: &Value, activity: &str) -> String {
    at(state, "deploymentPlan.status.activities")
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == activity)
        .map(|a| a["status"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{activity} not in {state:#}"))
}

async fn make_accountable(app: &TestApp, plan: &str, role: Role) {
    app.ok(
        "mutation($i: AssignRaciInput!) { assignRaci(input: $i) { assignment { id } } }",
        json!({ "i": { "subjectType": "DEPLOYMENT_PLAN", "subjectId": plan, "userId": app.user_id(role), "role": "ACCOUNTABLE" } }),
        ReleaseManager,
    )
    .await;
}

/// Cycles are named, approved plans are frozen, runs need an approved plan, and executions a
/// release that is going live.
async fn a_plan_is_built_with_its_rules(app: TestApp) {
    let book = runbook(&app, "PR-PLAN", (60, 12 * 60)).await;

    // A dependency back to the start would make a cycle: refused, naming it.
    let error = app
        .fails(
            UPDATE,
            json!({ "i": { "id": book.freeze, "dependsOn": [book.smoke] } }),
            Some(ImplementationManager),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "dependsOn");
    let message = error["message"].as_str().unwrap();
    for title in ["Freeze payments batch", "Deploy core banking", "Smoke test"] {
        assert!(message.contains(title), "the cycle is named: {message}");
    }
    app.fails(
        UPDATE,
        json!({ "i": { "id": book.freeze, "dependsOn": [book.freeze] } }),
        Some(ImplementationManager),
        "VALIDATION",
    )
    .await;
    // Nothing changed.
    let freeze = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Activity { dependsOn { title } } } }",
            json!({ "id": book.freeze }),
            Viewer,
        )
        .await;
    assert_eq!(at(&freeze, "node.dependsOn"), &json!([]));

    // Bad input gets coded errors.
    app.fails(
        ADD,
        json!({ "i": { "planId": book.plan, "title": " ", "kind": "MANUAL", "plannedDurationMinutes": 5 } }),
        Some(ImplementationManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        ADD,
        json!({ "i": { "planId": book.plan, "title": "Too long", "kind": "MANUAL", "plannedDurationMinutes": -1 } }),
        Some(ImplementationManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        CREATE_PLAN,
        json!({ "i": { "releaseId": book.release, "name": "Backwards", "windowStart": at_offset(60), "windowEnd": at_offset(0) } }),
        Some(ImplementationManager),
        "VALIDATION",
    )
    .await;

    // Runs start from an approved plan only.
    app.fails(
        REHEARSE,
        json!({ "id": book.plan }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
    let approved = app
        .ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    assert_eq!(at(&approved, "approveDeploymentPlan.plan.mode"), "APPROVED");
    assert!(at(&approved, "approveDeploymentPlan.plan.approvedBy").is_string());

    // Approved plans are frozen until reopened.
    let error = app
        .fails(
            ADD,
            json!({ "i": { "planId": book.plan, "title": "Late idea", "kind": "MANUAL", "plannedDurationMinutes": 5 } }),
            Some(ImplementationManager),
            "INVALID_TRANSITION",
        )
        .await;
    assert!(error["message"].as_str().unwrap().contains("reopen"));
    app.fails(
        UPDATE,
        json!({ "i": { "id": book.open, "title": "Open the doors" } }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.fails(
        "mutation($id: ID!) { deleteActivity(input: {id: $id}) { deletedId } }",
        json!({ "id": book.notify }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
    let reopened = app
        .ok(REOPEN, json!({ "id": book.plan }), ImplementationManager)
        .await;
    assert_eq!(at(&reopened, "reopenDeploymentPlan.plan.mode"), "DRAFT");
    app.ok(
        UPDATE,
        json!({ "i": { "id": book.open, "title": "Open the doors" } }),
        ImplementationManager,
    )
    .await;
    app.ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;

    // The execution needs the release in GO_LIVE.
    let error = app
        .fails(
            EXECUTE,
            json!({ "id": book.plan }),
            Some(ImplementationManager),
            "INVALID_TRANSITION",
        )
        .await;
    assert!(error["message"].as_str().unwrap().contains("GO_LIVE"));

    // Roles: a project manager neither builds nor runs plans.
    app.fails(
        REHEARSE,
        json!({ "id": book.plan }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        CREATE_PLAN,
        json!({ "i": { "releaseId": book.release, "name": "Mine", "windowStart": at_offset(0), "windowEnd": at_offset(60) } }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;

    // The release shows its plans; the plan its activities in order, with the sets.
    let release = app
        .ok(
            "query($id: ID!) { release(id: $id) { deploymentPlans { name mode sets { name activities { title } } activities { title kind owner { displayName } ownerTeam dependsOn { title } } } } }",
            json!({ "id": book.release }),
            Viewer,
        )
        .await;
    let plan = at(&release, "release.deploymentPlans.0");
    assert_eq!(plan["mode"], "APPROVED");
    assert_eq!(
        plan["sets"],
        json!([{ "name": "Cut-over", "activities": [{ "title": "Freeze payments batch" }, { "title": "Deploy core banking" }] }])
    );
    let titles: Vec<&str> = plan["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Freeze payments batch",
            "Deploy core banking",
            "Smoke test",
            "Go/no-go",
            "Open the doors",
            "Notify customers"
        ]
    );
    assert_eq!(plan["activities"][1]["ownerTeam"], "Jenkins");
    assert_eq!(
        plan["activities"][1]["dependsOn"],
        json!([{ "title": "Freeze payments batch" }])
    );

    // Every change is in the release's history.
    let history = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {releaseId: $id}, first: 100) { nodes { action } } }",
            json!({ "id": book.release }),
            Admin,
        )
        .await;
    let actions: Vec<&str> = at(&history, "auditEvents.nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    for action in [
        "plan.create",
        "activity.create",
        "plan.approve",
        "plan.reopen",
        "activity.update",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // Plans are listed across releases by mode.
    let listed = |modes: Value| {
        let app = &app;
        async move {
            let data = app
                .ok(
                    "query($m: [PlanMode!]!) { deploymentPlans(modes: $m) { id mode release { key } } }",
                    json!({ "m": modes }),
                    Viewer,
                )
                .await;
            data["deploymentPlans"].as_array().unwrap().clone()
        }
    };
    let mode = at(&status(&app, &book.plan).await, "deploymentPlan.mode").clone();
    assert_eq!(
        listed(json!([mode])).await,
        [json!({ "id": book.plan, "mode": mode, "release": { "key": "PR-PLAN" } })]
    );
    assert!(listed(json!(["EXECUTING"])).await.is_empty());

    // Whoever builds the plan names its stakeholders, but not the release's.
    let assign =
        "mutation($i: AssignRaciInput!) { assignRaci(input: $i) { assignment { id role } } }";
    let named = app
        .ok(
            assign,
            json!({ "i": { "subjectType": "DEPLOYMENT_PLAN", "subjectId": book.plan, "userId": app.user_id(ServiceManager), "role": "ACCOUNTABLE" } }),
            ImplementationManager,
        )
        .await;
    app.ok(
        assign,
        json!({ "i": { "subjectType": "ACTIVITY", "subjectId": book.smoke, "team": "QA", "role": "RESPONSIBLE" } }),
        ImplementationManager,
    )
    .await;
    let error = app
        .fails(
            assign,
            json!({ "i": { "subjectType": "RELEASE", "subjectId": book.release, "team": "Ops", "role": "INFORMED" } }),
            Some(ImplementationManager),
            "FORBIDDEN",
        )
        .await;
    assert!(
        error["message"].as_str().unwrap().contains("RELEASE"),
        "{error}"
    );
    app.ok(
        "mutation($id: ID!) { removeRaci(input: {id: $id}) { deletedId } }",
        json!({ "id": text(&named, "assignRaci.assignment.id") }),
        ImplementationManager,
    )
    .await;
}

/// A rehearsal end to end: order enforced, owners and automation move their steps, the
/// accountable decides go/no-go, issues logged, the run reports planned against actual; then
/// the execution, at risk when the window is too short.
async fn a_plan_is_rehearsed_then_executed(app: TestApp) {
    let book = runbook(&app, "PR-LIVE", (-60, 150)).await;
    app.ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    let run = app
        .ok(REHEARSE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    assert_eq!(at(&run, "startRehearsal.run.kind"), "REHEARSAL", "{run:#}");
    let state = status(&app, &book.plan).await;
    assert_eq!(at(&state, "deploymentPlan.mode"), "REHEARSAL");
    assert_eq!(status_of(&state, &book.freeze), "READY");
    assert_eq!(status_of(&state, &book.deploy), "PENDING");
    let freeze = at(&state, "deploymentPlan.status.activities")
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == book.freeze)
        .unwrap();
    assert_eq!(freeze["ownerId"], json!(app.user_id(ProjectManager)));
    assert_eq!(freeze["ownerName"], "Test PROJECT_MANAGER");
    assert_eq!(
        at(&state, "deploymentPlan.status.counts"),
        &json!({ "pending": 5, "ready": 1, "inProgress": 0, "done": 0, "failed": 0, "skipped": 0, "blocked": 0, "total": 6 })
    );
    assert_eq!(at(&state, "deploymentPlan.status.progress"), 0.0);
    // The longest chain: everything but the side branch.
    assert_eq!(
        at(&state, "deploymentPlan.status.criticalPath"),
        &json!([book.freeze, book.deploy, book.smoke, book.go, book.open])
    );
    assert_eq!(at(&state, "deploymentPlan.status.atRisk"), false);

    // Nobody is accountable for the plan yet, so nobody may decide its go/no-go.
    let error = app
        .fails(
            DECIDE,
            json!({ "id": book.go, "d": "GO" }),
            Some(ReleaseManager),
            "FORBIDDEN",
        )
        .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no accountable"),
        "{error}"
    );
    make_accountable(&app, &book.plan, ReleaseManager).await;

    // A second run cannot start while one is in progress.
    app.fails(
        REHEARSE,
        json!({ "id": book.plan }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;

    // Wrong order: the deployment waits for the freeze, and says so.
    let error = app
        .fails(
            ACT,
            json!({ "id": book.deploy, "a": "START" }),
            Some(ImplementationManager),
            "INVALID_TRANSITION",
        )
        .await;
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("waits for") && message.contains("Freeze payments batch"),
        "{message}"
    );

    // Only the owner or an implementation manager moves an activity.
    app.fails(
        ACT,
        json!({ "id": book.freeze, "a": "START" }),
        Some(TestManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        ACT,
        json!({ "id": book.freeze, "a": "START" }),
        Some(Viewer),
        "FORBIDDEN",
    )
    .await;
    let started = act(&app, &book.freeze, "START", ProjectManager).await;
    assert_eq!(at(&started, "updateActivityStatus.status"), "IN_PROGRESS");
    // Completing what is not started, or failing without a reason, is refused.
    app.fails(
        ACT,
        json!({ "id": book.deploy, "a": "COMPLETE" }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.fails(
        ACT,
        json!({ "id": book.freeze, "a": "FAIL" }),
        Some(ProjectManager),
        "VALIDATION",
    )
    .await;
    act(&app, &book.freeze, "COMPLETE", ProjectManager).await;
    let state = status(&app, &book.plan).await;
    assert_eq!(status_of(&state, &book.deploy), "READY");
    assert_eq!(status_of(&state, &book.notify), "READY");
    // 30 of 200 planned minutes.
    assert_eq!(at(&state, "deploymentPlan.status.progress"), 0.15);

    // Automation reports the automated step with its API token.
    let token = app
        .ok(
            "mutation($e: DateTime!) { createApiToken(input: {name: \"Jenkins\", roles: [IMPLEMENTATION_MANAGER], expiresAt: $e}) { secret } }",
            json!({ "e": at_offset(24 * 60) }),
            Admin,
        )
        .await;
    let secret = text(&token, "createApiToken.secret");
    for action in ["START", "COMPLETE"] {
        let answer = app
            .gql_with_token(
                ACT,
                json!({ "id": book.deploy, "a": action }),
                Some(&secret),
            )
            .await;
        assert!(answer["errors"].is_null(), "{answer:#}");
    }
    let history = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {releaseId: $id}, first: 100) { nodes { action actorName } } }",
            json!({ "id": book.release }),
            Admin,
        )
        .await;
    assert!(
        at(&history, "auditEvents.nodes")
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["action"] == "activity.complete" && n["actorName"] == "Jenkins (API token)"),
        "the automation's report is audited as the token's: {history:#}"
    );

    // The smoke test fails, an issue is logged, it is reset and passes.
    act(&app, &book.smoke, "START", TestManager).await;
    let failed = act(&app, &book.smoke, "FAIL", TestManager).await;
    assert_eq!(at(&failed, "updateActivityStatus.status"), "FAILED");
    let issue = app
        .ok(
            "mutation($i: RaiseRunIssueInput!) { raiseRunIssue(input: $i) { issue { id severity resolved raisedBy } } }",
            json!({ "i": { "planId": book.plan, "activityId": book.smoke, "title": "Login fails for business customers", "severity": "HIGH" } }),
            TestManager,
        )
        .await;
    assert_eq!(at(&issue, "raiseRunIssue.issue.severity"), "HIGH");
    let issue = text(&issue, "raiseRunIssue.issue.id");
    act(&app, &book.smoke, "RESET", TestManager).await;
    act(&app, &book.smoke, "START", TestManager).await;
    act(&app, &book.smoke, "COMPLETE", TestManager).await;
    app.ok(
        "mutation($id: ID!) { resolveRunIssue(input: {id: $id, resolution: \"Cache flushed\"}) { issue { resolved } } }",
        json!({ "id": issue }),
        TestManager,
    )
    .await;
    app.fails(
        "mutation($id: ID!) { resolveRunIssue(input: {id: $id}) { issue { resolved } } }",
        json!({ "id": issue }),
        Some(TestManager),
        "INVALID_TRANSITION",
    )
    .await;

    // Go/no-go: not moved like a task, and decided by the plan's accountable person only.
    app.fails(
        ACT,
        json!({ "id": book.go, "a": "COMPLETE" }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
    let error = app
        .fails(
            DECIDE,
            json!({ "id": book.go, "d": "GO" }),
            Some(ImplementationManager),
            "FORBIDDEN",
        )
        .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("accountable person"),
        "{error}"
    );
    app.fails(
        DECIDE,
        json!({ "id": book.go, "d": "NO_GO" }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    // The accountable was asked when it became ready.
    let asked = app
        .ok(
            "{ myNotifications(first: 20) { nodes { kind title } } }",
            json!({}),
            ReleaseManager,
        )
        .await;
    assert!(
        at(&asked, "myNotifications.nodes")
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "GO_NO_GO_REQUESTED"
                && n["title"] == "Go/no-go requested: Go/no-go"),
        "{asked:#}"
    );
    let decided = app
        .ok(
            DECIDE,
            json!({ "id": book.go, "d": "GO", "n": "All green" }),
            ReleaseManager,
        )
        .await;
    assert_eq!(at(&decided, "decideActivity.status"), "DONE");

    act(&app, &book.notify, "SKIP", ImplementationManager).await;
    act(&app, &book.open, "START", ServiceManager).await;
    let last = act(&app, &book.open, "COMPLETE", ServiceManager).await;
    // The rehearsal is over: the plan is APPROVED again for the next run.
    assert_eq!(
        at(&last, "updateActivityStatus.plan.mode"),
        "APPROVED",
        "{last:#}"
    );
    let state = status(&app, &book.plan).await;
    assert_eq!(at(&state, "deploymentPlan.status.progress"), 1.0);
    let go = at(&state, "deploymentPlan.status.activities")
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == book.go.as_str())
        .unwrap()
        .clone();
    assert_eq!(go["decision"], "GO");
    assert!(go["decidedBy"].is_string());
    assert_eq!(
        at(&state, "deploymentPlan.status.issues"),
        &json!([{ "title": "Login fails for business customers", "resolved": true }])
    );

    // The finished run reports planned against actual per activity.
    let report = app
        .ok(
            "query($id: ID!) { deploymentPlan(id: $id) { runs { kind status finishedAt report { title status plannedMinutes actualMinutes deltaMinutes actualStart actualFinish } } } }",
            json!({ "id": book.plan }),
            PortfolioManager,
        )
        .await;
    let run = at(&report, "deploymentPlan.runs.0");
    assert_eq!(run["status"], "COMPLETED");
    assert!(run["finishedAt"].is_string());
    let rows = run["report"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let deploy = rows
        .iter()
        .find(|r| r["title"] == "Deploy core banking")
        .unwrap();
    assert_eq!(deploy["plannedMinutes"], 60);
    assert_eq!(deploy["actualMinutes"], 0, "it took seconds");
    assert_eq!(deploy["deltaMinutes"], -60);
    let skipped = rows
        .iter()
        .find(|r| r["title"] == "Notify customers")
        .unwrap();
    assert_eq!(skipped["status"], "SKIPPED");

    // The execution: the release goes live first. Its window closes in 150 minutes, but 200
    // minutes of work remain, so the run is at risk from the start.
    for to in ["PLANNED", "IN_PROGRESS", "GO_LIVE"] {
        let moved = app.transition(&book.release, to).await;
        assert!(moved["errors"].is_null(), "{moved:#}");
    }
    let execution = app
        .ok(EXECUTE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    assert_eq!(at(&execution, "startExecution.run.kind"), "EXECUTION");
    let state = status(&app, &book.plan).await;
    assert_eq!(at(&state, "deploymentPlan.mode"), "EXECUTING");
    assert_eq!(
        at(&state, "deploymentPlan.status.atRisk"),
        true,
        "{state:#}"
    );
    assert_eq!(
        status_of(&state, &book.go),
        "PENDING",
        "a new run starts afresh"
    );
    let projected = at(&state, "deploymentPlan.status.projectedFinish")
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = at(&state, "deploymentPlan.status.deadline")
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        chrono::DateTime::parse_from_rfc3339(&projected).unwrap()
            > chrono::DateTime::parse_from_rfc3339(&deadline).unwrap()
    );

    // Abort needs a reason; an aborted execution leaves the plan ABORTED.
    app.fails(
        "mutation($id: ID!) { abortRun(input: {planId: $id}) { plan { mode } } }",
        json!({ "id": book.plan }),
        Some(ImplementationManager),
        "VALIDATION",
    )
    .await;
    let aborted = app
        .ok(
            "mutation($id: ID!) { abortRun(input: {planId: $id, reason: \"Payments backlog\"}) { plan { mode currentRun { id } runs { kind status } } } }",
            json!({ "id": book.plan }),
            ImplementationManager,
        )
        .await;
    assert_eq!(
        at(&aborted, "abortRun.plan"),
        &json!({ "mode": "ABORTED", "currentRun": null, "runs": [{ "kind": "EXECUTION", "status": "ABORTED" }, { "kind": "REHEARSAL", "status": "COMPLETED" }] })
    );
    app.fails(
        ACT,
        json!({ "id": book.freeze, "a": "START" }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
}

fn update_of(message: &Value) -> &Value {
    assert_eq!(message["type"], "next", "{message:#}");
    &message["payload"]["data"]["goLiveStatus"]
}

/// The command centre's feed: a snapshot first, then a delta per change with only what
/// changed, for every role that may read; unknown plans are refused.
async fn go_live_status_streams_a_snapshot_then_deltas(app: TestApp) {
    let book = runbook(&app, "PR-FEED", (0, 600)).await;
    app.ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    let document = "subscription($id: ID!) { goLiveStatus(planId: $id) { kind version resync planMode progress atRisk criticalPath run { kind } counts { done total } activities { id status critical } issues { title } } }";
    let mut wall = app.ws_as(Viewer).await;
    wall.send(json!({ "type": "subscribe", "id": "wall", "payload": { "query": document, "variables": { "id": book.plan } } }))
        .await;
    let first = wall.next_json().await;
    let snapshot = update_of(&first);
    assert_eq!(snapshot["kind"], "SNAPSHOT");
    assert_eq!(snapshot["resync"], false);
    assert_eq!(snapshot["planMode"], "APPROVED");
    assert_eq!(snapshot["run"], Value::Null);
    assert_eq!(snapshot["activities"].as_array().unwrap().len(), 6);
    let version = snapshot["version"].as_i64().unwrap();

    // Starting the rehearsal sends everything (a new run).
    app.ok(REHEARSE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    let message = wall.next_json().await;
    let started = update_of(&message);
    assert_eq!(started["kind"], "SNAPSHOT");
    assert_eq!(started["planMode"], "REHEARSAL");
    assert_eq!(started["run"]["kind"], "REHEARSAL");
    assert!(started["version"].as_i64().unwrap() > version);

    // One activity starts: the delta carries it alone.
    act(&app, &book.freeze, "START", ProjectManager).await;
    let message = wall.next_json().await;
    let delta = update_of(&message);
    assert_eq!(delta["kind"], "DELTA");
    assert_eq!(
        delta["activities"],
        json!([{ "id": book.freeze, "status": "IN_PROGRESS", "critical": true }])
    );
    // Completing it makes two more ready.
    act(&app, &book.freeze, "COMPLETE", ProjectManager).await;
    let message = wall.next_json().await;
    let delta = update_of(&message);
    let changed: BTreeSet<&str> = delta["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        changed,
        BTreeSet::from([
            book.freeze.as_str(),
            book.deploy.as_str(),
            book.notify.as_str()
        ])
    );
    assert_eq!(delta["progress"], 0.15);
    assert_eq!(delta["counts"], json!({ "done": 1, "total": 6 }));

    // Issues arrive as they are raised.
    app.ok(
        "mutation($i: RaiseRunIssueInput!) { raiseRunIssue(input: $i) { issue { id } } }",
        json!({ "i": { "planId": book.plan, "title": "Bridge line noisy" } }),
        ServiceManager,
    )
    .await;
    let message = wall.next_json().await;
    let delta = update_of(&message);
    assert_eq!(delta["issues"], json!([{ "title": "Bridge line noisy" }]));
    assert_eq!(delta["activities"], json!([]));

    // A second screen joining now starts from the current snapshot.
    let mut laptop = app.ws_as(ImplementationManager).await;
    laptop.send(json!({ "type": "subscribe", "id": "cc", "payload": { "query": document, "variables": { "id": book.plan } } }))
        .await;
    let message = laptop.next_json().await;
    let joined = update_of(&message);
    assert_eq!(joined["kind"], "SNAPSHOT");
    assert_eq!(joined["issues"], json!([{ "title": "Bridge line noisy" }]));
    assert_eq!(joined["counts"], json!({ "done": 1, "total": 6 }));

    // Both see the next change; changes to other plans do not reach them.
    let other = runbook(&app, "PR-OTHER", (0, 600)).await;
    app.ok(APPROVE, json!({ "id": other.plan }), ImplementationManager)
        .await;
    act(&app, &book.notify, "SKIP", ImplementationManager).await;
    for client in [&mut wall, &mut laptop] {
        let message = client.next_json().await;
        let delta = update_of(&message);
        assert_eq!(delta["kind"], "DELTA");
        assert_eq!(
            delta["activities"],
            json!([{ "id": book.notify, "status": "SKIPPED", "critical": false }])
        );
        client.expect_silence(Duration::from_millis(300)).await;
    }

    // Unknown plans are NOT_FOUND; bad ids VALIDATION.
    wall.send(json!({ "type": "subscribe", "id": "x", "payload": { "query": document, "variables": { "id": "pln_0190000000007000800000000000abcd" } } }))
        .await;
    let refused = wall.next_json().await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "NOT_FOUND");
    wall.send(json!({ "type": "subscribe", "id": "y", "payload": { "query": document, "variables": { "id": "rel_nope" } } }))
        .await;
    let refused = wall.next_json().await;
    assert_eq!(refused["payload"][0]["extensions"]["code"], "VALIDATION");

    // One feed serves every screen of a plan, and screens asking the same question share one
    // rendering of each change.
    assert_eq!(app.state.golive.watched(), 1);
    assert_eq!(app.shared_streams.running(), 1);
    drop(wall);
    drop(laptop);
}

/// Screens following a draft being edited see additions as deltas and a removal as a fresh
/// snapshot (a delta cannot carry an absence).
async fn a_draft_being_edited_streams_additions_and_removals(app: TestApp) {
    let book = runbook(&app, "PR-DRAFT", (0, 600)).await;
    let document = "subscription($id: ID!) { goLiveStatus(planId: $id) { kind planMode activities { id title } } }";
    let mut screen = app.ws_as(Viewer).await;
    screen
        .send(json!({ "type": "subscribe", "id": "s", "payload": { "query": document, "variables": { "id": book.plan } } }))
        .await;
    let first = screen.next_json().await;
    assert_eq!(update_of(&first)["kind"], "SNAPSHOT");
    assert_eq!(update_of(&first)["planMode"], "DRAFT");

    let added = add(&app, json!({ "planId": book.plan, "title": "Switch DNS", "kind": "MANUAL", "plannedDurationMinutes": 5, "dependsOn": [book.open] })).await;
    let message = screen.next_json().await;
    let delta = update_of(&message);
    assert_eq!(delta["kind"], "DELTA");
    assert_eq!(
        delta["activities"],
        json!([{ "id": added, "title": "Switch DNS" }])
    );

    app.ok(
        "mutation($id: ID!) { deleteActivity(input: {id: $id}) { deletedId } }",
        json!({ "id": book.notify }),
        ImplementationManager,
    )
    .await;
    let message = screen.next_json().await;
    let whole = update_of(&message);
    assert_eq!(whole["kind"], "SNAPSHOT", "{message}");
    let ids: BTreeSet<&str> = whole["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 6);
    assert!(!ids.contains(book.notify.as_str()) && ids.contains(added.as_str()));

    // Sets are renamed and removed while the plan is a draft; removing one keeps its activities.
    let sets = "query($id: ID!) { deploymentPlan(id: $id) { sets { id name activities { title } } activities { title set { name } plan { id } } } }";
    let plan = app.ok(sets, json!({ "id": book.plan }), Viewer).await;
    let set = text(&plan, "deploymentPlan.sets.0.id");
    let renamed = app
        .ok(
            "mutation($id: ID!) { renameActivitySet(input: {id: $id, name: \"Switch-over\"}) { set { name activities { title } } } }",
            json!({ "id": set }),
            ImplementationManager,
        )
        .await;
    assert_eq!(
        at(&renamed, "renameActivitySet.set"),
        &json!({ "name": "Switch-over", "activities": [{ "title": "Freeze payments batch" }, { "title": "Deploy core banking" }] })
    );
    app.fails(
        "mutation($id: ID!) { renameActivitySet(input: {id: $id, name: \" \"}) { set { name } } }",
        json!({ "id": set }),
        Some(ImplementationManager),
        "VALIDATION",
    )
    .await;
    app.ok(
        "mutation($id: ID!) { deleteActivitySet(input: {id: $id}) { deletedId } }",
        json!({ "id": set }),
        ImplementationManager,
    )
    .await;
    let plan = app.ok(sets, json!({ "id": book.plan }), Viewer).await;
    assert_eq!(at(&plan, "deploymentPlan.sets"), &json!([]));
    let activities = at(&plan, "deploymentPlan.activities").as_array().unwrap();
    assert_eq!(activities.len(), 6, "the activities stay");
    assert!(
        activities
            .iter()
            .all(|a| a["set"].is_null() && a["plan"]["id"] == book.plan)
    );

    // Once approved, the plan's sets are frozen too.
    let later = app
        .ok(
            ADD_SET,
            json!({ "i": { "planId": book.plan, "name": "Aftercare" } }),
            ImplementationManager,
        )
        .await;
    app.ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    app.fails(
        "mutation($id: ID!) { deleteActivitySet(input: {id: $id}) { deletedId } }",
        json!({ "id": text(&later, "addActivitySet.set.id") }),
        Some(ImplementationManager),
        "INVALID_TRANSITION",
    )
    .await;
}

/// An activity running past its planned duration is chased once: its owner and the plan's
/// accountable hear about it, however many instances run the scheduler.
async fn overdue_activities_are_chased_once(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let book = runbook(&app, "PR-LATE", (-60, 150)).await;
    make_accountable(&app, &book.plan, ReleaseManager).await;
    app.ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    app.ok(REHEARSE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    act(&app, &book.freeze, "START", ProjectManager).await;
    // The 30-minute freeze started 45 minutes ago (the test cannot wait that long).
    let started = now() - TimeDelta::minutes(45);
    let moved = entity::run_activity::Entity::update_many()
        .col_expr(
            entity::run_activity::Column::StartedAt,
            Expr::value(started),
        )
        .filter(entity::run_activity::Column::Status.eq(entity::ActivityStatus::InProgress))
        .exec(app.store.conn())
        .await
        .unwrap();
    assert_eq!(moved.rows_affected, 1);

    let fast = |s: &mut heatshield::config::Settings| {
        s.scheduler_interval = Duration::from_millis(100);
    };
    let first = app.second_instance(fast).await;
    let second = app.second_instance(fast).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop((first, second));

    let overdue = |role: Role| {
        let app = &app;
        async move {
            app.notifications(role)
                .await
                .into_iter()
                .filter(|(kind, _, _)| kind == "ACTIVITY_OVERDUE")
                .map(|(_, subject, title)| (subject, title))
                .collect::<Vec<_>>()
        }
    };
    let expected = vec![(
        book.freeze.clone(),
        "\"Freeze payments batch\" is overdue".to_owned(),
    )];
    assert_eq!(overdue(ProjectManager).await, expected, "the owner");
    assert_eq!(overdue(ReleaseManager).await, expected, "the accountable");
    assert!(overdue(TestManager).await.is_empty(), "nobody else");
}

both!(
    a_plan_is_built_with_its_rules,
    a_plan_is_rehearsed_then_executed,
    go_live_status_streams_a_snapshot_then_deltas,
    a_draft_being_edited_streams_additions_and_removals,
    versions_keep_growing_when_a_plan_is_watched_again,
    overdue_activities_are_chased_once
);

/// Versions only grow for a plan, also when nobody watched it for a while (the server then
/// forgets its live state and rebuilds it for the next screen): a screen that compares
/// versions never takes a newer state for an older one.
async fn versions_keep_growing_when_a_plan_is_watched_again(app: TestApp) {
    let book = runbook(&app, "PR-AGAIN", (0, 600)).await;
    let document =
        "subscription($id: ID!) { goLiveStatus(planId: $id) { kind version activities { id } } }";
    let subscribe = json!({ "type": "subscribe", "id": "s", "payload": { "query": document, "variables": { "id": book.plan } } });
    let mut screen = app.ws_as(Viewer).await;
    screen.send(subscribe.clone()).await;
    let first = screen.next_json().await;
    let seen = update_of(&first)["version"].as_i64().unwrap();
    screen.send(json!({ "type": "complete", "id": "s" })).await;
    drop(screen);
    // Nobody watches the plan now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    add(&app, json!({ "planId": book.plan, "title": "Switch DNS", "kind": "MANUAL", "plannedDurationMinutes": 5 })).await;

    let mut screen = app.ws_as(Viewer).await;
    screen.send(subscribe).await;
    let again = screen.next_json().await;
    let again = update_of(&again);
    assert_eq!(again["kind"], "SNAPSHOT");
    assert_eq!(
        again["activities"].as_array().unwrap().len(),
        7,
        "{again:#} seen {seen}"
    );
    assert!(
        again["version"].as_i64().unwrap() > seen,
        "{} after {seen}",
        again["version"]
    );
}

/// A wall screen that stops reading holds no one up: the other screens get every change as it
/// happens, and when it reads again each of its subscriptions starts over from a fresh snapshot
/// (`resync: true`) that has everything it missed. Its kernel buffers are kept small
/// (`ws_send_buffer`, and its own receive buffer) so that it stalls after a few kilobytes.
async fn a_stuck_screen_catches_up_from_a_fresh_snapshot(app: TestApp) {
    let book = runbook(&app, "PR-STUCK", (0, 600)).await;
    app.ok(APPROVE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    app.ok(REHEARSE, json!({ "id": book.plan }), ImplementationManager)
        .await;
    let document = "subscription($id: ID!) { goLiveStatus(planId: $id) { kind version resync activities { id title status } issues { id title } } }";
    let subscribe = |id: &str| json!({ "type": "subscribe", "id": id, "payload": { "query": document, "variables": { "id": book.plan } } });

    let mut healthy = app.ws_as(Viewer).await;
    healthy.send(subscribe("wall")).await;
    assert_eq!(update_of(&healthy.next_json().await)["kind"], "SNAPSHOT");

    let mut stuck =
        tests::ws::WsClient::connect_small_window(&app.address, "graphql-transport-ws").await;
    stuck.send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", app.token(Viewer)) } })).await;
    assert_eq!(stuck.next_json().await["type"], "connection_ack");
    const SCREENS: usize = 20;
    let ids: Vec<String> = (0..SCREENS).map(|i| format!("screen-{i}")).collect();
    for id in &ids {
        stuck.send(subscribe(id)).await;
    }
    // From here on the stuck client reads nothing.

    const CHANGES: usize = 60;
    for i in 0..CHANGES {
        app.ok(
            "mutation($i: RaiseRunIssueInput!) { raiseRunIssue(input: $i) { issue { id } } }",
            json!({ "i": { "planId": book.plan, "title": format!("Issue {i}") } }),
            ServiceManager,
        )
        .await;
        let message = healthy.next_json().await;
        let delta = update_of(&message);
        assert_eq!(delta["kind"], "DELTA", "{delta:#}");
        assert_eq!(delta["issues"][0]["title"], format!("Issue {i}"));
    }

    // The stuck client reads again: each subscription's merged state has every issue, and
    // each got there through a fresh snapshot rather than the deltas it could not take.
    let mut known: std::collections::HashMap<String, BTreeSet<String>> = Default::default();
    let mut resynced = BTreeSet::new();
    while let Some(received) = stuck.try_next_within(Duration::from_secs(3)).await {
        let tests::ws::Received::Json(message) = received else {
            panic!("the stuck client was disconnected: {received:?}");
        };
        let id = message["id"].as_str().expect("subscription id").to_owned();
        let update = update_of(&message);
        let titles = known.entry(id.clone()).or_default();
        if update["kind"] == "SNAPSHOT" {
            titles.clear();
            if update["resync"] == true {
                resynced.insert(id);
            }
        }
        for issue in update["issues"].as_array().expect("issues") {
            titles.insert(issue["title"].as_str().expect("title").to_owned());
        }
    }
    let everything: BTreeSet<String> = (0..CHANGES).map(|i| format!("Issue {i}")).collect();
    for id in &ids {
        assert_eq!(known.get(id), Some(&everything), "{id}");
    }
    assert_eq!(
        resynced,
        ids.iter().cloned().collect::<BTreeSet<_>>(),
        "every subscription of the stuck screen fell behind and was resynced"
    );
    // The socket stayed open throughout.
    stuck.send(json!({ "type": "ping" })).await;
    assert_eq!(stuck.next_json().await["type"], "pong");
}

both_with!(
    stuck_screen,
    |s| s.ws_send_buffer = Some(4096),
    a_stuck_screen_catches_up_from_a_fresh_snapshot
);
