//! Gates and criteria, approvals with a quorum, waivers and vetoes, phase progress, RACI,
//! blockers and the planned-vs-actual report.

use super::*;

const CREATE_GATE: &str = "mutation($input: CreateGateInput!) { createGate(input: $input) { gate { id status dueAt criteria { id name kind state } } } }";

struct Fixture {
    release: String,
    phases: Vec<String>,
}

/// A release in progress with three phases, the first one started.
async fn release_with_phases(app: &TestApp) -> Fixture {
    let release = app.create_release("PR-GOV", "INDEPENDENT", None).await;
    let mut phases = Vec::new();
    for (name, start, end) in [
        ("Build", "2027-01-04", "2027-01-29"),
        ("SIT", "2027-02-01", "2027-02-19"),
        ("Go-live", "2027-03-15", "2027-03-15"),
    ] {
        let data = app
            .ok(
                "mutation($input: CreatePhaseInput!) { createPhase(input: $input) { phase { id } } }",
                json!({ "input": { "releaseId": release, "name": name, "plannedStart": start, "plannedEnd": end } }),
                ReleaseManager,
            )
            .await;
        phases.push(text(&data, "createPhase.phase.id"));
    }
    for step in ["PLANNED", "IN_PROGRESS"] {
        app.transition(&release, step).await;
    }
    app.ok(
        "mutation($id: ID!) { advancePhase(input: {id: $id}) { release { key } } }",
        json!({ "id": release }),
        ReleaseManager,
    )
    .await;
    Fixture { release, phases }
}

async fn assign(app: &TestApp, kind: &str, subject: &str, role: Role, raci: &str) -> Value {
    app.gql(
        "mutation($input: AssignRaciInput!) { assignRaci(input: $input) { assignment { id role } } }",
        json!({ "input": { "subjectType": kind, "subjectId": subject, "userId": app.user_id(role), "role": raci } }),
        Some(ReleaseManager),
    )
    .await
}

async fn a_gate_blocks_its_phase_until_its_criteria_are_met(app: TestApp) {
    let f = release_with_phases(&app).await;
    let gate = app
        .ok(
            CREATE_GATE,
            json!({ "input": { "phaseId": f.phases[0], "name": "Build exit", "criteria": [
                { "name": "Unit test pass rate", "kind": "METRIC", "comparator": "GTE", "threshold": 95, "unit": "%" },
                { "name": "Open critical defects", "kind": "METRIC", "comparator": "EQ", "threshold": 0 },
                { "name": "Release notes reviewed", "kind": "MANUAL" }
            ] } }),
            ReleaseManager,
        )
        .await;
    let gate = at(&gate, "createGate.gate").clone();
    assert_eq!(gate["status"], "PENDING");
    // A second gate, due later: the queue lists the soonest due first.
    app.ok(
        "mutation($input: CreateGateInput!) { createGate(input: $input) { gate { id } } }",
        json!({ "input": { "phaseId": f.phases[1], "name": "Security review", "criteria": [{ "name": "Pen test", "kind": "MANUAL" }] } }),
        ReleaseManager,
    )
    .await;
    let queue = "query($s: [GateStatus!]! = [PENDING]) { gates(statuses: $s) { name status release { key } } }";
    let pending = app.ok(queue, json!({}), TestManager).await;
    assert_eq!(
        pending["gates"],
        json!([
            { "name": "Build exit", "status": "PENDING", "release": { "key": "PR-GOV" } },
            { "name": "Security review", "status": "PENDING", "release": { "key": "PR-GOV" } },
        ])
    );
    assert_eq!(
        gate["dueAt"], "2027-01-30T00:00:00Z",
        "due at the end of the phase"
    );
    let criteria: Vec<String> = gate["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();

    // Leaving the phase is refused while criteria are unmet, listing them.
    let error = app
        .fails(
            "mutation($id: ID!) { advancePhase(input: {id: $id}) { release { key } } }",
            json!({ "id": f.release }),
            Some(ReleaseManager),
            "GATE_BLOCKED",
        )
        .await;
    assert_eq!(
        error["extensions"]["unmet"].as_array().unwrap().len(),
        3,
        "{error:#}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Unit test pass rate")
    );

    // A CI tool with a test manager's token records results; a failing value keeps it blocked.
    let expires = (now() + chrono::Duration::days(1)).to_rfc3339();
    let token = app
        .ok("mutation($e: DateTime!) { createApiToken(input: {name: \"Jenkins\", roles: [TEST_MANAGER], expiresAt: $e}) { secret } }", json!({ "e": expires }), Admin)
        .await;
    let token = text(&token, "createApiToken.secret");
    let record = "mutation($input: RecordCriterionResultInput!) { recordCriterionResult(input: $input) { result { passed value recordedBy } gate { status criteria { state lastValue } } } }";
    let low = app
        .gql_with_token(record, json!({ "input": { "criterionId": criteria[0], "value": 91.5, "source": "Jenkins", "link": "https://ci.bank.example/job/42" } }), Some(&token))
        .await;
    assert_eq!(
        at(&low, "data.recordCriterionResult.result"),
        &json!({ "passed": false, "value": 91.5, "recordedBy": "Jenkins (API token)" })
    );
    let blockers = app
        .ok(
            "query($id: ID!) { release(id: $id) { blockers { kind blocks description action } } }",
            json!({ "id": f.release }),
            Viewer,
        )
        .await;
    let first = &blockers["release"]["blockers"][0];
    assert_eq!(first["kind"], "UNMET_CRITERION");
    assert_eq!(first["blocks"], "ADVANCE");
    assert!(
        first["description"]
            .as_str()
            .unwrap()
            .contains("is at 91.5 (needs ≥ 95 %)"),
        "{first}"
    );

    app.gql_with_token(
        record,
        json!({ "input": { "criterionId": criteria[0], "value": 97.2, "source": "Jenkins" } }),
        Some(&token),
    )
    .await;
    app.ok(
        record,
        json!({ "input": { "criterionId": criteria[1], "value": 0, "source": "Jira" } }),
        TestManager,
    )
    .await;
    let passed = app.ok(record, json!({ "input": { "criterionId": criteria[2], "passed": true, "source": "manual check" } }), TestManager).await;
    assert_eq!(
        at(&passed, "recordCriterionResult.gate.status"),
        "PASSED",
        "{passed:#}"
    );
    let names = |data: &Value| -> Vec<String> {
        data["gates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&app.ok(queue, json!({}), TestManager).await),
        ["Security review"]
    );
    assert_eq!(
        names(&app.ok(queue, json!({ "s": ["PASSED"] }), Viewer).await),
        ["Build exit"]
    );

    // Closed gates take no more results; the phase can now be left.
    app.fails(
        record,
        json!({ "input": { "criterionId": criteria[2], "passed": false, "source": "x" } }),
        Some(TestManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.ok(
        "mutation($id: ID!) { advancePhase(input: {id: $id}) { release { key } } }",
        json!({ "id": f.release }),
        ReleaseManager,
    )
    .await;
    let phases = app.ok("query($id: ID!) { release(id: $id) { currentPhase { name } phases { name actualStart actualEnd } } }", json!({ "id": f.release }), Viewer).await;
    assert_eq!(at(&phases, "release.currentPhase.name"), "SIT");
    assert!(at(&phases, "release.phases.0.actualEnd").is_string());

    // Bad results and the wrong roles.
    app.fails(
        record,
        json!({ "input": { "criterionId": criteria[0], "source": "x" } }),
        Some(TestManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.fails(
        record,
        json!({ "input": { "criterionId": criteria[0], "value": 1, "source": "x" } }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        CREATE_GATE,
        json!({ "input": { "phaseId": f.phases[1], "name": "Bad", "criteria": [{ "name": "rate", "kind": "METRIC" }] } }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        CREATE_GATE,
        json!({ "input": { "phaseId": f.phases[1], "name": "X" } }),
        Some(TestManager),
        "FORBIDDEN",
    )
    .await;
}

/// A gate's due date can be moved and cleared; leaving it out of an update keeps it.
async fn a_gate_due_date_is_moved_or_cleared(app: TestApp) {
    let f = release_with_phases(&app).await;
    let gate = app
        .ok(
            CREATE_GATE,
            json!({ "input": { "phaseId": f.phases[0], "name": "Build exit" } }),
            ReleaseManager,
        )
        .await;
    let id = text(&gate, "createGate.gate.id");
    let planned = at(&gate, "createGate.gate.dueAt").clone();
    assert!(planned.is_string(), "due at the phase's end by default");
    let update = "mutation($i: UpdateGateInput!) { updateGate(input: $i) { gate { name dueAt } } }";
    let renamed = app
        .ok(
            update,
            json!({ "i": { "id": id, "name": "Build exit (v2)" } }),
            ReleaseManager,
        )
        .await;
    assert_eq!(
        at(&renamed, "updateGate.gate"),
        &json!({ "name": "Build exit (v2)", "dueAt": planned })
    );
    let moved = app
        .ok(
            update,
            json!({ "i": { "id": id, "dueAt": "2026-12-24T18:00:00Z" } }),
            ReleaseManager,
        )
        .await;
    let moved = at(&moved, "updateGate.gate.dueAt")
        .as_str()
        .unwrap()
        .to_owned();
    assert!(moved.starts_with("2026-12-24T18:00:00"), "{moved}");
    let cleared = app
        .ok(
            update,
            json!({ "i": { "id": id, "dueAt": null } }),
            ReleaseManager,
        )
        .await;
    assert_eq!(at(&cleared, "updateGate.gate.dueAt"), &Value::Null);
    let read = app
        .ok(
            "query($id: ID!) { gate(id: $id) { dueAt } }",
            json!({ "id": id }),
            Viewer,
        )
        .await;
    assert_eq!(read["gate"]["dueAt"], Value::Null, "cleared for good");
    let trail = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {entityId: $id, actions: [\"gate.update\"]}) { nodes { action } } }",
            json!({ "id": id }),
            Admin,
        )
        .await;
    let updates = trail["auditEvents"]["nodes"].as_array().unwrap().len();
    assert_eq!(updates, 3, "each update audited");
}

async fn approvals_need_a_quorum_of_others(app: TestApp) {
    let f = release_with_phases(&app).await;
    let gate = app
        .ok(
            CREATE_GATE,
            json!({ "input": { "phaseId": f.phases[0], "name": "CAB", "criteria": [{ "name": "Change advisory board", "kind": "APPROVAL", "approverRole": "RELEASE_MANAGER", "quorum": 2 }] } }),
            ReleaseManager,
        )
        .await;
    let gate_id = text(&gate, "createGate.gate.id");
    let criterion = text(&gate, "createGate.gate.criteria.0.id");
    // A second release manager (the harness has one per role).
    let second = app
        .ok("mutation { createUser(input: {email: \"rm2@test.example\", displayName: \"Second RM\", password: \"second password here\", roles: [RELEASE_MANAGER]}) { user { id } } }", json!({}), Admin)
        .await;
    let _ = second;
    let second_token = text(&app.gql("mutation { login(input: {email: \"rm2@test.example\", password: \"second password here\"}) { token } }", json!({}), None).await, "data.login.token");

    // The release manager asks; they may not approve their own request.
    app.ok("mutation($id: ID!) { requestGateApproval(input: {id: $id}) { gate { approvalRequestedAt } } }", json!({ "id": gate_id }), ReleaseManager).await;
    let decide = "mutation($c: ID!, $d: ApprovalDecision!) { decideGateApproval(input: {criterionId: $c, decision: $d}) { approval { decision approverName } gate { status criteria { state approvals { decision } } } } }";
    let own = app
        .fails(
            decide,
            json!({ "c": criterion, "d": "APPROVE" }),
            Some(ReleaseManager),
            "FORBIDDEN",
        )
        .await;
    assert!(
        own["message"]
            .as_str()
            .unwrap()
            .contains("cannot give it yourself")
    );
    // Without the role: refused.
    app.fails(
        decide,
        json!({ "c": criterion, "d": "APPROVE" }),
        Some(TestManager),
        "FORBIDDEN",
    )
    .await;

    let one = app
        .gql_with_token(
            decide,
            json!({ "c": criterion, "d": "APPROVE" }),
            Some(&second_token),
        )
        .await;
    assert_eq!(
        at(&one, "data.decideGateApproval.gate.status"),
        "PENDING",
        "one of two: {one:#}"
    );
    // The same person approving again does not make two.
    let again = app
        .gql_with_token(
            decide,
            json!({ "c": criterion, "d": "APPROVE" }),
            Some(&second_token),
        )
        .await;
    assert_eq!(
        at(&again, "data.decideGateApproval.gate.criteria.0.approvals")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // An admin with the role too.
    app.ok("mutation($id: ID!) { updateUser(input: {id: $id, roles: [ADMIN, RELEASE_MANAGER]}) { user { id } } }", json!({ "id": app.user_id(Admin) }), Admin).await;
    let two = app
        .ok(decide, json!({ "c": criterion, "d": "APPROVE" }), Admin)
        .await;
    assert_eq!(at(&two, "decideGateApproval.gate.status"), "PASSED");

    // API tokens never approve.
    let expires = (now() + chrono::Duration::days(1)).to_rfc3339();
    let token = text(
        &app.ok("mutation($e: DateTime!) { createApiToken(input: {name: \"bot\", roles: [RELEASE_MANAGER], expiresAt: $e}) { secret } }", json!({ "e": expires }), Admin).await,
        "createApiToken.secret",
    );
    let gate2 = app
        .ok(CREATE_GATE, json!({ "input": { "phaseId": f.phases[1], "name": "G2", "criteria": [{ "name": "ok", "kind": "APPROVAL", "approverRole": "RELEASE_MANAGER" }] } }), ReleaseManager)
        .await;
    let bot = app
        .gql_with_token(
            decide,
            json!({ "c": text(&gate2, "createGate.gate.criteria.0.id"), "d": "APPROVE" }),
            Some(&token),
        )
        .await;
    assert_eq!(bot["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

async fn only_the_accountable_waives_and_release_managers_veto(app: TestApp) {
    let f = release_with_phases(&app).await;
    let gate = app.ok(CREATE_GATE, json!({ "input": { "phaseId": f.phases[0], "name": "Security review", "criteria": [{ "name": "Pen test", "kind": "MANUAL" }] } }), ReleaseManager).await;
    let gate_id = text(&gate, "createGate.gate.id");
    let waive = "mutation($id: ID!, $r: String) { waiveGate(input: {id: $id, reason: $r}) { gate { status decisionReason decidedBy } } }";

    // Exactly one accountable per subject.
    assign(&app, "GATE", &gate_id, ServiceManager, "ACCOUNTABLE").await;
    let second = assign(&app, "GATE", &gate_id, PortfolioManager, "ACCOUNTABLE").await;
    assert_eq!(
        second["errors"][0]["extensions"]["code"], "CONFLICT",
        "{second}"
    );
    assign(&app, "GATE", &gate_id, TestManager, "RESPONSIBLE").await;

    app.fails(
        waive,
        json!({ "id": gate_id, "r": "accepted risk" }),
        Some(TestManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        waive,
        json!({ "id": gate_id }),
        Some(ServiceManager),
        "VALIDATION",
    )
    .await;
    let waived = app
        .ok(
            waive,
            json!({ "id": gate_id, "r": "Pen test booked after go-live; risk accepted by CISO" }),
            ServiceManager,
        )
        .await;
    assert_eq!(at(&waived, "waiveGate.gate.status"), "WAIVED");
    assert_eq!(
        at(&waived, "waiveGate.gate.decidedBy"),
        "Test SERVICE_MANAGER"
    );

    // Veto: release managers only, with a reason; reopening brings it back.
    let gate2 = app.ok(CREATE_GATE, json!({ "input": { "phaseId": f.phases[1], "name": "SIT exit", "criteria": [{ "name": "Regression", "kind": "MANUAL" }] } }), ReleaseManager).await;
    let gate2 = text(&gate2, "createGate.gate.id");
    let veto = "mutation($id: ID!, $r: String) { vetoGate(input: {id: $id, reason: $r}) { gate { status } } }";
    app.fails(
        veto,
        json!({ "id": gate2, "r": "no" }),
        Some(TestManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        veto,
        json!({ "id": gate2 }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
    assert_eq!(
        at(
            &app.ok(
                veto,
                json!({ "id": gate2, "r": "Regression suite red" }),
                ReleaseManager
            )
            .await,
            "vetoGate.gate.status"
        ),
        "FAILED"
    );
    app.fails(
        veto,
        json!({ "id": gate2, "r": "again" }),
        Some(ReleaseManager),
        "INVALID_TRANSITION",
    )
    .await;
    let blockers = app
        .ok(
            "query($id: ID!) { release(id: $id) { blockers { kind blocks } } }",
            json!({ "id": f.release }),
            Viewer,
        )
        .await;
    assert!(
        blockers["release"]["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["kind"] == "GATE_FAILED" && b["blocks"] == "GO_LIVE"),
        "{blockers}"
    );
    // Going live is refused while a gate before go-live is failed.
    let answer = app.transition(&f.release, "GO_LIVE").await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "GATE_BLOCKED");
    app.ok(
        "mutation($id: ID!) { reopenGate(input: {id: $id}) { gate { status } } }",
        json!({ "id": gate2 }),
        ReleaseManager,
    )
    .await;

    // myResponsibilities lists R and A with what is due when.
    let mine = app
        .gql_with_token(
            "{ myResponsibilities { role subjectType dueAt gate { name } } }",
            json!({}),
            Some(app.token(TestManager)),
        )
        .await;
    assert_eq!(
        at(&mine, "data.myResponsibilities"),
        &json!([{ "role": "RESPONSIBLE", "subjectType": "GATE", "dueAt": "2027-01-30T00:00:00Z", "gate": { "name": "Security review" } }])
    );
}

async fn dependencies_and_project_releases_show_as_blockers_with_owners(app: TestApp) {
    let enterprise = app.create_release("ER-B", "ENTERPRISE", None).await;
    let project = app
        .create_release("PR-B", "PROJECT", Some(&enterprise))
        .await;
    let other = app.create_release("IR-B", "INDEPENDENT", None).await;
    app.ok("mutation($r: ID!, $d: ID!) { addReleaseDependency(input: {releaseId: $r, dependsOnId: $d}) { dependency { id } } }", json!({ "r": enterprise, "d": other }), ReleaseManager).await;
    assign(
        &app,
        "RELEASE",
        &other,
        ImplementationManager,
        "ACCOUNTABLE",
    )
    .await;
    let blockers = app
        .ok("query($id: ID!) { release(id: $id) { blockers { kind blocks action owner { user { email } team role } subjectId } } }", json!({ "id": enterprise }), Viewer)
        .await;
    let list = blockers["release"]["blockers"].as_array().unwrap();
    let dependency = list
        .iter()
        .find(|b| b["kind"] == "UNFINISHED_DEPENDENCY")
        .unwrap();
    assert_eq!(
        dependency["owner"]["user"]["email"],
        "implementation_manager@test.example"
    );
    assert_eq!(dependency["subjectId"], other.as_str());
    let child = list
        .iter()
        .find(|b| b["kind"] == "OPEN_PROJECT_RELEASE")
        .unwrap();
    assert_eq!(child["subjectId"], project.as_str());
    assert_eq!(child["blocks"], "GO_LIVE");
}

async fn planned_vs_actual_reports_slip(app: TestApp) {
    let f = release_with_phases(&app).await;
    app.ok(
        "mutation($r: ID!) { createMilestone(input: {releaseId: $r, name: \"Code freeze\", plannedDate: \"2027-01-20\"}) { milestone { id } } }",
        json!({ "r": f.release }),
        ReleaseManager,
    )
    .await;
    let report = app.ok("query($id: ID!) { release(id: $id) { plannedVsActual { kind name planned actual slipDays timeliness } } }", json!({ "id": f.release }), Viewer).await;
    let items = report["release"]["plannedVsActual"].as_array().unwrap();
    assert_eq!(
        items.len(),
        3 * 2 + 1 + 1,
        "phase starts and ends, the milestone, go-live"
    );
    let build_start = items
        .iter()
        .find(|i| i["kind"] == "PHASE_START" && i["name"] == "Build")
        .unwrap();
    // Build started today, planned for 2027-01-04: early by the days in between.
    let today = now().date_naive();
    let expected = (today - chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()).num_days();
    assert_eq!(build_start["slipDays"], expected);
    assert_eq!(
        build_start["timeliness"],
        if expected < 0 {
            "EARLY"
        } else if expected == 0 {
            "ON_TIME"
        } else {
            "LATE"
        }
    );
    let go_live = items.iter().find(|i| i["kind"] == "GO_LIVE").unwrap();
    assert_eq!(go_live["actual"], Value::Null);
}

async fn templates_lay_releases_out(app: TestApp) {
    let definition = json!({
        "phases": [
            { "name": "Build", "offsetDays": 0, "durationDays": 20 },
            { "name": "SIT", "offsetDays": 20, "durationDays": 10 },
            { "name": "UAT", "offsetDays": 30, "durationDays": 10 },
            { "name": "Go-live", "offsetDays": 42, "durationDays": 1 }
        ],
        "milestones": [{ "name": "Code freeze", "offsetDays": 19 }, { "name": "Go/No-go", "offsetDays": 41 }],
        "gates": [
            { "phase": "SIT", "name": "SIT exit", "criteria": [{ "name": "Pass rate", "kind": "METRIC", "comparator": "GTE", "threshold": 95, "unit": "%" }] },
            { "phase": "UAT", "name": "UAT sign-off", "criteria": [{ "name": "Business sign-off", "kind": "APPROVAL", "byAccountable": true }] }
        ],
        "raci": [
            { "userEmail": "release_manager@test.example", "role": "ACCOUNTABLE" },
            { "team": "Payments Squad", "role": "RESPONSIBLE" },
            { "gate": "UAT sign-off", "userEmail": "portfolio_manager@test.example", "role": "ACCOUNTABLE" }
        ],
        "plan": [{ "title": "Deploy database", "kind": "AUTOMATED", "durationMinutes": 30 }, { "title": "Smoke test", "kind": "MANUAL", "durationMinutes": 20, "dependsOn": ["Deploy database"] }]
    });
    let created = app
        .ok(
            "mutation($d: TemplateDefinitionInput!) { createReleaseTemplate(input: {name: \"Quarterly project\", definition: $d}) { template { id definition { phases { name } gates { name criteria { kind } } plan { title dependsOn } } } } }",
            json!({ "d": definition }),
            ReleaseManager,
        )
        .await;
    let template = text(&created, "createReleaseTemplate.template.id");
    assert_eq!(
        at(
            &created,
            "createReleaseTemplate.template.definition.plan.1.dependsOn"
        ),
        &json!(["Deploy database"])
    );

    let release = app
        .ok(
            "mutation($t: ID!) { createReleaseFromTemplate(input: {templateId: $t, key: \"PR-T1\", name: \"Savings goals\", kind: PROJECT, start: \"2027-01-04\"}) { release { id plannedStart plannedGoLive phases { name plannedStart plannedEnd gates { name dueAt criteria { kind } raci { role user { email } } } } milestones { name plannedDate } raci { role team user { email } } } } }",
            json!({ "t": template }),
            ProjectManager,
        )
        .await;
    let r = at(&release, "createReleaseFromTemplate.release");
    assert_eq!(r["plannedStart"], "2027-01-04");
    assert_eq!(r["plannedGoLive"], "2027-02-15");
    assert_eq!(
        r["phases"][1],
        json!({ "name": "SIT", "plannedStart": "2027-01-24", "plannedEnd": "2027-02-02", "gates": [{ "name": "SIT exit", "dueAt": "2027-02-03T00:00:00Z", "criteria": [{ "kind": "METRIC" }], "raci": [] }] })
    );
    assert_eq!(
        r["phases"][2]["gates"][0]["raci"],
        json!([{ "role": "ACCOUNTABLE", "user": { "email": "portfolio_manager@test.example" } }])
    );
    assert_eq!(
        r["milestones"],
        json!([{ "name": "Code freeze", "plannedDate": "2027-01-23" }, { "name": "Go/No-go", "plannedDate": "2027-02-14" }])
    );
    assert_eq!(
        r["raci"],
        json!([{ "role": "ACCOUNTABLE", "team": null, "user": { "email": "release_manager@test.example" } }, { "role": "RESPONSIBLE", "team": "Payments Squad", "user": null }])
    );
    // The plan skeleton becomes a draft runbook in a window on the evening of the go-live day.
    let plans = app
        .ok(
            "query($id: ID!) { release(id: $id) { deploymentPlans { name mode windowStart windowEnd activities { title kind dependsOn { title } } } } }",
            json!({ "id": r["id"] }),
            Viewer,
        )
        .await;
    assert_eq!(
        plans["release"]["deploymentPlans"],
        json!([{
            "name": "PR-T1 deployment plan", "mode": "DRAFT",
            "windowStart": "2027-02-15T20:00:00Z", "windowEnd": "2027-02-15T21:00:00Z",
            "activities": [
                { "title": "Deploy database", "kind": "AUTOMATED", "dependsOn": [] },
                { "title": "Smoke test", "kind": "MANUAL", "dependsOn": [{ "title": "Deploy database" }] },
            ],
        }])
    );

    // Asked to, the layout steps around an org-wide blackout: UAT (3–12 February) would cross
    // the 5–7 February freeze, so it and everything after it move five days later.
    app.ok(
        "mutation($i: CreateBlackoutInput!) { createBlackout(input: $i) { blackout { id } } }",
        json!({ "i": { "name": "Board freeze", "startsAt": "2027-02-05T00:00:00Z", "endsAt": "2027-02-08T00:00:00Z" } }),
        EnvironmentManager,
    )
    .await;
    let moved = app
        .ok(
            "mutation($t: ID!) { createReleaseFromTemplate(input: {templateId: $t, key: \"PR-T2\", name: \"Round-ups\", kind: PROJECT, start: \"2027-01-04\", skipBlackouts: true}) { release { plannedGoLive phases { name plannedStart plannedEnd } } } }",
            json!({ "t": template }),
            ReleaseManager,
        )
        .await;
    let m = at(&moved, "createReleaseFromTemplate.release");
    assert_eq!(
        m["phases"],
        json!([
            { "name": "Build", "plannedStart": "2027-01-04", "plannedEnd": "2027-01-23" },
            { "name": "SIT", "plannedStart": "2027-01-24", "plannedEnd": "2027-02-02" },
            { "name": "UAT", "plannedStart": "2027-02-08", "plannedEnd": "2027-02-17" },
            { "name": "Go-live", "plannedStart": "2027-02-20", "plannedEnd": "2027-02-20" },
        ])
    );
    assert_eq!(m["plannedGoLive"], "2027-02-20");

    // Bad definitions are refused as a whole.
    let bad = |d: Value| {
        app.gql("mutation($d: TemplateDefinitionInput!) { createReleaseTemplate(input: {name: \"Bad\", definition: $d}) { template { id } } }", json!({ "d": d }), Some(ReleaseManager))
    };
    for (d, field) in [
        (json!({ "phases": [] }), "phases"),
        (
            json!({ "phases": [{ "name": "A", "offsetDays": 0, "durationDays": 0 }] }),
            "phases[0].durationDays",
        ),
        (
            json!({ "phases": [{ "name": "A", "offsetDays": 0, "durationDays": 1 }], "gates": [{ "phase": "Nope", "name": "G", "criteria": [] }] }),
            "gates[0].phase",
        ),
        (
            json!({ "phases": [{ "name": "A", "offsetDays": 0, "durationDays": 1 }], "raci": [{ "userEmail": "nobody@x.example", "role": "INFORMED" }] }),
            "raci[0].userEmail",
        ),
        (
            json!({ "phases": [{ "name": "A", "offsetDays": 0, "durationDays": 1 }], "raci": [{ "team": "A", "role": "ACCOUNTABLE" }, { "team": "B", "role": "ACCOUNTABLE" }] }),
            "raci[1].role",
        ),
        (
            json!({ "phases": [{ "name": "A", "offsetDays": 0, "durationDays": 1 }], "plan": [{ "title": "Deploy", "kind": "TELEPORT", "durationMinutes": 5 }] }),
            "plan[0].kind",
        ),
    ] {
        let answer = bad(d).await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "VALIDATION",
            "{answer}"
        );
        assert_eq!(answer["errors"][0]["extensions"]["field"], field);
    }
    app.fails(
        "mutation($d: TemplateDefinitionInput!) { createReleaseTemplate(input: {name: \"X\", definition: $d}) { template { id } } }",
        json!({ "d": { "phases": [{ "name": "A", "offsetDays": 0, "durationDays": 1 }] } }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
}

async fn enterprise_phase_dates_push_down_to_project_releases(app: TestApp) {
    let enterprise = app.create_release("ER-P", "ENTERPRISE", None).await;
    let project = app
        .create_release("PR-P", "PROJECT", Some(&enterprise))
        .await;
    for (release, start, end) in [
        (&enterprise, "2027-02-01", "2027-02-20"),
        (&project, "2027-02-05", "2027-02-25"),
    ] {
        app.ok(
            "mutation($input: CreatePhaseInput!) { createPhase(input: $input) { phase { id } } }",
            json!({ "input": { "releaseId": release, "name": "SIT", "plannedStart": start, "plannedEnd": end } }),
            ReleaseManager,
        )
        .await;
    }
    let pushed = app
        .ok(
            "mutation($id: ID!) { pushPhaseDates(input: {id: $id}) { phasesChanged } }",
            json!({ "id": enterprise }),
            ReleaseManager,
        )
        .await;
    assert_eq!(at(&pushed, "pushPhaseDates.phasesChanged"), 1);
    let child = app
        .ok(
            "query($id: ID!) { release(id: $id) { phases { plannedStart plannedEnd } } }",
            json!({ "id": project }),
            Viewer,
        )
        .await;
    assert_eq!(
        at(&child, "release.phases.0"),
        &json!({ "plannedStart": "2027-02-01", "plannedEnd": "2027-02-20" })
    );
    app.fails(
        "mutation($id: ID!) { pushPhaseDates(input: {id: $id}) { phasesChanged } }",
        json!({ "id": project }),
        Some(ReleaseManager),
        "VALIDATION",
    )
    .await;
}

both!(
    a_gate_due_date_is_moved_or_cleared,
    a_gate_blocks_its_phase_until_its_criteria_are_met,
    approvals_need_a_quorum_of_others,
    only_the_accountable_waives_and_release_managers_veto,
    dependencies_and_project_releases_show_as_blockers_with_owners,
    planned_vs_actual_reports_slip,
    templates_lay_releases_out,
    enterprise_phase_dates_push_down_to_project_releases
);
