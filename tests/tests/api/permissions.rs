//! The permission matrix: every operation of the schema tried as every role (and anonymously),
//! allowed or FORBIDDEN exactly as the README's table says. Adding an operation without a row
//! here fails the test.

use std::collections::BTreeSet;

use super::*;

const ALL: &[Role] = &[
    Admin,
    ReleaseManager,
    EnvironmentManager,
    TestManager,
    ImplementationManager,
    PortfolioManager,
    ServiceManager,
    ProjectManager,
    Viewer,
];
const SYSTEMS: &[Role] = &[Admin, ReleaseManager, PortfolioManager];
const RELEASES: &[Role] = &[Admin, ReleaseManager, ProjectManager];
const CONTROL: &[Role] = &[Admin, ReleaseManager];
const ENVIRONMENTS: &[Role] = &[Admin, EnvironmentManager];
const DEPLOY: &[Role] = &[Admin, EnvironmentManager, ImplementationManager];
const AUDIT: &[Role] = &[Admin, ReleaseManager, PortfolioManager, ServiceManager];
const ADMIN: &[Role] = &[Admin];
const GATES: &[Role] = &[Admin, ReleaseManager];
const RESULTS: &[Role] = &[Admin, ReleaseManager, TestManager];
const NOT_VIEWER: &[Role] = &[
    Admin,
    ReleaseManager,
    EnvironmentManager,
    TestManager,
    ImplementationManager,
    PortfolioManager,
    ServiceManager,
    ProjectManager,
];

/// Everyone who may ask for an environment.
const BOOKERS: &[Role] = NOT_VIEWER;
const PLANS: &[Role] = &[Admin, ReleaseManager, ImplementationManager];
const RUNS: &[Role] = &[Admin, ImplementationManager];
/// Past the guard, the subject decides: releases and gates, or plans and activities.
const STAKEHOLDERS: &[Role] = &[Admin, ReleaseManager, ProjectManager, ImplementationManager];

const REL: &str = "rel_0190000000007000800000000000abcd";
const SYS: &str = "sys_0190000000007000800000000000abcd";
const ENV: &str = "env_0190000000007000800000000000abcd";
const BKG: &str = "bkg_0190000000007000800000000000abcd";
const BLK: &str = "blk_0190000000007000800000000000abcd";
const PLN: &str = "pln_0190000000007000800000000000abcd";
const ACT: &str = "act_0190000000007000800000000000abcd";

/// (operation, document, roles allowed). Documents use unknown ids or invalid input where
/// they would change something, so an allowed call fails later (NOT_FOUND, VALIDATION) and
/// the matrix can be walked without side effects.
fn matrix() -> Vec<(&'static str, String, &'static [Role])> {
    vec![
        ("node", format!("{{ node(id: \"{REL}\") {{ id }} }}"), ALL),
        ("nodes", format!("{{ nodes(ids: [\"{REL}\"]) {{ id }} }}"), ALL),
        ("me", "{ me { name } }".into(), ALL),
        ("users", "{ users { totalCount } }".into(), ALL),
        ("user", "{ user(id: \"usr_0190000000007000800000000000abcd\") { id } }".into(), ALL),
        ("apiTokens", "{ apiTokens { id } }".into(), ADMIN),
        ("systems", "{ systems { totalCount } }".into(), ALL),
        ("system", format!("{{ system(id: \"{SYS}\") {{ id }} }}"), ALL),
        ("systemByCode", "{ systemByCode(code: \"X\") { id } }".into(), ALL),
        ("releases", "{ releases { totalCount } }".into(), ALL),
        ("release", format!("{{ release(id: \"{REL}\") {{ id }} }}"), ALL),
        ("releaseByKey", "{ releaseByKey(key: \"X\") { id } }".into(), ALL),
        ("packages", "{ packages { totalCount } }".into(), ALL),
        ("package", "{ package(id: \"pkg_0190000000007000800000000000abcd\") { id } }".into(), ALL),
        ("environments", "{ environments { totalCount } }".into(), ALL),
        ("environment", format!("{{ environment(id: \"{ENV}\") {{ id }} }}"), ALL),
        ("environmentGroups", "{ environmentGroups { id } }".into(), ALL),
        ("deployments", "{ deployments { totalCount } }".into(), ALL),
        ("deployment", "{ deployment(id: \"dpl_0190000000007000800000000000abcd\") { id } }".into(), ALL),
        ("whatRunsWhere", "{ whatRunsWhere { id } }".into(), ALL),
        ("gates", "{ gates { id } }".into(), ALL),
        ("deploymentPlans", "{ deploymentPlans { id } }".into(), ALL),
        ("compareEnvironments", format!("{{ compareEnvironments(leftId: \"{ENV}\", rightId: \"env_0190000000007000800000000000abcd\") {{ differences }} }}"), ALL),
        ("bookings", "{ bookings { totalCount } }".into(), ALL),
        ("booking", format!("{{ booking(id: \"{BKG}\") {{ id }} }}"), ALL),
        ("bookingCalendar", "{ bookingCalendar(filter: {from: \"2027-01-01T00:00:00Z\", to: \"2027-01-02T00:00:00Z\"}) { environment { id } } }".into(), ALL),
        ("bookingMatrix", "{ bookingMatrix(filter: {from: \"2027-01-01T00:00:00Z\", to: \"2027-01-02T00:00:00Z\"}) { approved } }".into(), ALL),
        ("nextFreeSlot", format!("{{ nextFreeSlot(environmentId: \"{ENV}\", minutes: 60) {{ alternatives {{ startsAt }} }} }}"), ALL),
        ("environmentUtilization", "{ environmentUtilization(filter: {from: \"2027-01-01T00:00:00Z\", to: \"2027-01-02T00:00:00Z\"}) { from } }".into(), ALL),
        ("idleBookings", "{ idleBookings { totalCount } }".into(), ALL),
        ("blackouts", "{ blackouts { id } }".into(), ALL),
        ("blackout", format!("{{ blackout(id: \"{BLK}\") {{ id }} }}"), ALL),
        ("auditEvents", "{ auditEvents { totalCount } }".into(), AUDIT),
        ("login", "mutation { login(input: {email: \"matrix@test.example\", password: \"matrix password\"}) { token } }".into(), ALL),
        ("changeMyPassword", "mutation { changeMyPassword(input: {currentPassword: \"wrong\", newPassword: \"new password here\"}) { user { id } } }".into(), ALL),
        ("createUser", "mutation { createUser(input: {email: \"bad\", displayName: \"X\", roles: [VIEWER]}) { user { id } } }".into(), ADMIN),
        ("updateUser", "mutation { updateUser(input: {id: \"usr_0190000000007000800000000000abcd\"}) { user { id } } }".into(), ADMIN),
        ("setUserPassword", "mutation { setUserPassword(input: {id: \"usr_0190000000007000800000000000abcd\", password: \"long enough password\"}) { user { id } } }".into(), ADMIN),
        ("createApiToken", "mutation { createApiToken(input: {name: \"\", roles: [VIEWER], expiresAt: \"2001-01-01T00:00:00Z\"}) { secret } }".into(), ADMIN),
        ("revokeApiToken", "mutation { revokeApiToken(input: {id: \"tok_0190000000007000800000000000abcd\"}) { apiToken { id } } }".into(), ADMIN),
        ("createSystem", "mutation { createSystem(input: {code: \"bad code\", name: \"X\"}) { system { id } } }".into(), SYSTEMS),
        ("updateSystem", format!("mutation {{ updateSystem(input: {{id: \"{SYS}\"}}) {{ system {{ id }} }} }}"), SYSTEMS),
        ("deleteSystem", format!("mutation {{ deleteSystem(input: {{id: \"{SYS}\"}}) {{ deletedId }} }}"), SYSTEMS),
        ("createRelease", "mutation { createRelease(input: {key: \"bad key\", name: \"X\", kind: PROJECT, plannedStart: \"2027-01-01\", plannedGoLive: \"2027-02-01\"}) { release { id } } }".into(), RELEASES),
        ("updateRelease", format!("mutation {{ updateRelease(input: {{id: \"{REL}\"}}) {{ release {{ id }} }} }}"), RELEASES),
        ("deleteRelease", format!("mutation {{ deleteRelease(input: {{id: \"{REL}\"}}) {{ deletedId }} }}"), CONTROL),
        ("transitionRelease", format!("mutation {{ transitionRelease(input: {{id: \"{REL}\", to: PLANNED}}) {{ release {{ id }} }} }}"), CONTROL),
        ("createPhase", format!("mutation {{ createPhase(input: {{releaseId: \"{REL}\", name: \"P\", plannedStart: \"2027-01-01\", plannedEnd: \"2027-01-02\"}}) {{ phase {{ id }} }} }}"), RELEASES),
        ("updatePhase", "mutation { updatePhase(input: {id: \"phs_0190000000007000800000000000abcd\"}) { phase { id } } }".into(), RELEASES),
        ("deletePhase", "mutation { deletePhase(input: {id: \"phs_0190000000007000800000000000abcd\"}) { deletedId } }".into(), RELEASES),
        ("createMilestone", format!("mutation {{ createMilestone(input: {{releaseId: \"{REL}\", name: \"M\", plannedDate: \"2027-01-01\"}}) {{ milestone {{ id }} }} }}"), RELEASES),
        ("updateMilestone", "mutation { updateMilestone(input: {id: \"mst_0190000000007000800000000000abcd\"}) { milestone { id } } }".into(), RELEASES),
        ("deleteMilestone", "mutation { deleteMilestone(input: {id: \"mst_0190000000007000800000000000abcd\"}) { deletedId } }".into(), RELEASES),
        ("setReleaseImpact", format!("mutation {{ setReleaseImpact(input: {{releaseId: \"{REL}\", systemId: \"{SYS}\", kind: DIRECT}}) {{ impact {{ id }} }} }}"), RELEASES),
        ("removeReleaseImpact", "mutation { removeReleaseImpact(input: {id: \"imp_0190000000007000800000000000abcd\"}) { deletedId } }".into(), RELEASES),
        ("addReleaseDependency", format!("mutation {{ addReleaseDependency(input: {{releaseId: \"{REL}\", dependsOnId: \"{REL}\"}}) {{ dependency {{ id }} }} }}"), RELEASES),
        ("removeReleaseDependency", "mutation { removeReleaseDependency(input: {id: \"rdp_0190000000007000800000000000abcd\"}) { deletedId } }".into(), RELEASES),
        ("createPackage", format!("mutation {{ createPackage(input: {{releaseId: \"{REL}\", systemId: \"{SYS}\", name: \"P\", version: \"1\"}}) {{ package {{ id }} }} }}"), RELEASES),
        ("updatePackage", "mutation { updatePackage(input: {id: \"pkg_0190000000007000800000000000abcd\"}) { package { id } } }".into(), RELEASES),
        ("deletePackage", "mutation { deletePackage(input: {id: \"pkg_0190000000007000800000000000abcd\"}) { deletedId } }".into(), RELEASES),
        ("createEnvironmentGroup", "mutation { createEnvironmentGroup(input: {name: \" \"}) { group { id } } }".into(), ENVIRONMENTS),
        ("updateEnvironmentGroup", "mutation { updateEnvironmentGroup(input: {id: \"eng_0190000000007000800000000000abcd\"}) { group { id } } }".into(), ENVIRONMENTS),
        ("deleteEnvironmentGroup", "mutation { deleteEnvironmentGroup(input: {id: \"eng_0190000000007000800000000000abcd\"}) { deletedId } }".into(), ENVIRONMENTS),
        ("createEnvironment", "mutation { createEnvironment(input: {name: \" \", tier: DEV}) { environment { id } } }".into(), ENVIRONMENTS),
        ("updateEnvironment", format!("mutation {{ updateEnvironment(input: {{id: \"{ENV}\"}}) {{ environment {{ id }} }} }}"), ENVIRONMENTS),
        ("setEnvironmentSystems", format!("mutation {{ setEnvironmentSystems(input: {{id: \"{ENV}\", systemIds: []}}) {{ environment {{ id }} }} }}"), ENVIRONMENTS),
        ("configureEnvironment", format!("mutation {{ configureEnvironment(input: {{id: \"{ENV}\", entries: [{{key: \"k\", value: \"v\"}}]}}) {{ environment {{ id }} }} }}"), ENVIRONMENTS),
        ("deleteEnvironment", format!("mutation {{ deleteEnvironment(input: {{id: \"{ENV}\"}}) {{ deletedId }} }}"), ENVIRONMENTS),
        ("recordDeployment", format!("mutation {{ recordDeployment(input: {{packageId: \"pkg_0190000000007000800000000000abcd\", environmentId: \"{ENV}\"}}) {{ deployment {{ id }} }} }}"), DEPLOY),
        ("updateDeployment", "mutation { updateDeployment(input: {id: \"dpl_0190000000007000800000000000abcd\"}) { deployment { id } } }".into(), ENVIRONMENTS),
        ("deleteDeployment", "mutation { deleteDeployment(input: {id: \"dpl_0190000000007000800000000000abcd\"}) { deletedId } }".into(), ENVIRONMENTS),
        ("gate", "{ gate(id: \"gat_0190000000007000800000000000abcd\") { id } }".into(), ALL),
        ("myResponsibilities", "{ myResponsibilities { id } }".into(), ALL),
        ("releaseTemplates", "{ releaseTemplates { id } }".into(), ALL),
        ("releaseTemplate", "{ releaseTemplate(id: \"tpl_0190000000007000800000000000abcd\") { id } }".into(), ALL),
        ("verifyAuditChain", "{ verifyAuditChain { intact } }".into(), AUDIT),
        ("myNotifications", "{ myNotifications { totalCount } }".into(), ALL),
        ("unreadNotificationCount", "{ unreadNotificationCount }".into(), ALL),
        ("notificationKinds", "{ notificationKinds }".into(), ALL),
        ("webhooks", "{ webhooks { id } }".into(), ADMIN),
        ("createGate", "mutation { createGate(input: {phaseId: \"phs_0190000000007000800000000000abcd\", name: \"G\"}) { gate { id } } }".into(), GATES),
        ("updateGate", "mutation { updateGate(input: {id: \"gat_0190000000007000800000000000abcd\"}) { gate { id } } }".into(), GATES),
        ("deleteGate", "mutation { deleteGate(input: {id: \"gat_0190000000007000800000000000abcd\"}) { deletedId } }".into(), GATES),
        ("addGateCriterion", "mutation { addGateCriterion(input: {gateId: \"gat_0190000000007000800000000000abcd\", criterion: {name: \"c\", kind: MANUAL}}) { criterion { id } } }".into(), GATES),
        ("removeGateCriterion", "mutation { removeGateCriterion(input: {id: \"crt_0190000000007000800000000000abcd\"}) { deletedId } }".into(), GATES),
        ("recordCriterionResult", "mutation { recordCriterionResult(input: {criterionId: \"crt_0190000000007000800000000000abcd\", passed: true, source: \"x\"}) { gate { id } } }".into(), RESULTS),
        ("requestGateApproval", "mutation { requestGateApproval(input: {id: \"gat_0190000000007000800000000000abcd\"}) { gate { id } } }".into(), NOT_VIEWER),
        ("decideGateApproval", "mutation { decideGateApproval(input: {criterionId: \"crt_0190000000007000800000000000abcd\", decision: APPROVE}) { gate { id } } }".into(), NOT_VIEWER),
        ("waiveGate", "mutation { waiveGate(input: {id: \"gat_0190000000007000800000000000abcd\", reason: \"r\"}) { gate { id } } }".into(), NOT_VIEWER),
        ("vetoGate", "mutation { vetoGate(input: {id: \"gat_0190000000007000800000000000abcd\", reason: \"r\"}) { gate { id } } }".into(), CONTROL),
        ("reopenGate", "mutation { reopenGate(input: {id: \"gat_0190000000007000800000000000abcd\"}) { gate { id } } }".into(), CONTROL),
        ("advancePhase", format!("mutation {{ advancePhase(input: {{id: \"{REL}\"}}) {{ release {{ id }} }} }}"), CONTROL),
        ("assignRaci", format!("mutation {{ assignRaci(input: {{subjectType: RELEASE, subjectId: \"{REL}\", team: \"T\", role: INFORMED}}) {{ assignment {{ id }} }} }}"), STAKEHOLDERS),
        ("removeRaci", "mutation { removeRaci(input: {id: \"rac_0190000000007000800000000000abcd\"}) { deletedId } }".into(), STAKEHOLDERS),
        ("createReleaseTemplate", "mutation { createReleaseTemplate(input: {name: \"T\", definition: {phases: []}}) { template { id } } }".into(), GATES),
        ("updateReleaseTemplate", "mutation { updateReleaseTemplate(input: {id: \"tpl_0190000000007000800000000000abcd\"}) { template { id } } }".into(), GATES),
        ("deleteReleaseTemplate", "mutation { deleteReleaseTemplate(input: {id: \"tpl_0190000000007000800000000000abcd\"}) { deletedId } }".into(), GATES),
        ("createReleaseFromTemplate", "mutation { createReleaseFromTemplate(input: {templateId: \"tpl_0190000000007000800000000000abcd\", key: \"PR-X\", name: \"X\", kind: PROJECT, start: \"2027-01-04\"}) { release { id } } }".into(), RELEASES),
        ("pushPhaseDates", format!("mutation {{ pushPhaseDates(input: {{id: \"{REL}\"}}) {{ phasesChanged }} }}"), CONTROL),
        ("markNotificationsRead", "mutation { markNotificationsRead(input: {ids: []}) { marked } }".into(), ALL),
        ("createWebhook", "mutation { createWebhook(input: {name: \"w\", url: \"ftp://x\"}) { secret } }".into(), ADMIN),
        ("updateWebhook", "mutation { updateWebhook(input: {id: \"whk_0190000000007000800000000000abcd\"}) { webhook { id } } }".into(), ADMIN),
        ("deleteWebhook", "mutation { deleteWebhook(input: {id: \"whk_0190000000007000800000000000abcd\"}) { deletedId } }".into(), ADMIN),
        ("deploymentPlan", format!("{{ deploymentPlan(id: \"{PLN}\") {{ id }} }}"), ALL),
        ("createDeploymentPlan", format!("mutation {{ createDeploymentPlan(input: {{releaseId: \"{REL}\", name: \"P\", windowStart: \"2027-01-01T00:00:00Z\", windowEnd: \"2027-01-02T00:00:00Z\"}}) {{ plan {{ id }} }} }}"), PLANS),
        ("updateDeploymentPlan", format!("mutation {{ updateDeploymentPlan(input: {{id: \"{PLN}\"}}) {{ plan {{ id }} }} }}"), PLANS),
        ("deleteDeploymentPlan", format!("mutation {{ deleteDeploymentPlan(input: {{id: \"{PLN}\"}}) {{ deletedId }} }}"), PLANS),
        ("addActivitySet", format!("mutation {{ addActivitySet(input: {{planId: \"{PLN}\", name: \"S\"}}) {{ set {{ id }} }} }}"), PLANS),
        ("renameActivitySet", "mutation { renameActivitySet(input: {id: \"ast_0190000000007000800000000000abcd\", name: \"S\"}) { set { id } } }".into(), PLANS),
        ("deleteActivitySet", "mutation { deleteActivitySet(input: {id: \"ast_0190000000007000800000000000abcd\"}) { deletedId } }".into(), PLANS),
        ("addActivity", format!("mutation {{ addActivity(input: {{planId: \"{PLN}\", title: \"A\", kind: MANUAL, plannedDurationMinutes: 5}}) {{ activity {{ id }} }} }}"), PLANS),
        ("updateActivity", format!("mutation {{ updateActivity(input: {{id: \"{ACT}\"}}) {{ activity {{ id }} }} }}"), PLANS),
        ("deleteActivity", format!("mutation {{ deleteActivity(input: {{id: \"{ACT}\"}}) {{ deletedId }} }}"), PLANS),
        ("approveDeploymentPlan", format!("mutation {{ approveDeploymentPlan(input: {{id: \"{PLN}\"}}) {{ plan {{ id }} }} }}"), PLANS),
        ("reopenDeploymentPlan", format!("mutation {{ reopenDeploymentPlan(input: {{id: \"{PLN}\"}}) {{ plan {{ id }} }} }}"), PLANS),
        ("startRehearsal", format!("mutation {{ startRehearsal(input: {{planId: \"{PLN}\"}}) {{ run {{ id }} }} }}"), RUNS),
        ("startExecution", format!("mutation {{ startExecution(input: {{planId: \"{PLN}\"}}) {{ run {{ id }} }} }}"), RUNS),
        ("abortRun", format!("mutation {{ abortRun(input: {{planId: \"{PLN}\"}}) {{ plan {{ id }} }} }}"), RUNS),
        ("updateActivityStatus", format!("mutation {{ updateActivityStatus(input: {{activityId: \"{ACT}\", action: START}}) {{ status }} }}"), NOT_VIEWER),
        ("decideActivity", format!("mutation {{ decideActivity(input: {{activityId: \"{ACT}\", decision: GO}}) {{ status }} }}"), NOT_VIEWER),
        ("raiseRunIssue", format!("mutation {{ raiseRunIssue(input: {{planId: \"{PLN}\", title: \"I\"}}) {{ issue {{ id }} }} }}"), NOT_VIEWER),
        ("resolveRunIssue", "mutation { resolveRunIssue(input: {id: \"iss_0190000000007000800000000000abcd\"}) { issue { id } } }".into(), NOT_VIEWER),
        ("requestBookings", format!("mutation {{ requestBookings(input: {{environmentIds: [\"{ENV}\"], releaseId: \"{REL}\", startsAt: \"2099-01-01T00:00:00Z\", endsAt: \"2099-01-02T00:00:00Z\", purpose: \"x\"}}) {{ bookings {{ id }} }} }}"), BOOKERS),
        ("approveBooking", format!("mutation {{ approveBooking(input: {{id: \"{BKG}\"}}) {{ booking {{ id }} }} }}"), ENVIRONMENTS),
        ("rejectBooking", format!("mutation {{ rejectBooking(input: {{id: \"{BKG}\", comment: \"no\"}}) {{ booking {{ id }} }} }}"), ENVIRONMENTS),
        ("cancelBooking", format!("mutation {{ cancelBooking(input: {{id: \"{BKG}\"}}) {{ booking {{ id }} }} }}"), BOOKERS),
        ("updateBooking", format!("mutation {{ updateBooking(input: {{id: \"{BKG}\"}}) {{ booking {{ id }} }} }}"), BOOKERS),
        ("waitlistBooking", format!("mutation {{ waitlistBooking(input: {{id: \"{BKG}\"}}) {{ booking {{ id }} }} }}"), BOOKERS),
        ("createBlackout", "mutation { createBlackout(input: {name: \" \", startsAt: \"2027-01-01T00:00:00Z\", endsAt: \"2027-01-02T00:00:00Z\"}) { blackout { id } } }".into(), ENVIRONMENTS),
        ("updateBlackout", format!("mutation {{ updateBlackout(input: {{id: \"{BLK}\"}}) {{ blackout {{ id }} }} }}"), ENVIRONMENTS),
        ("deleteBlackout", format!("mutation {{ deleteBlackout(input: {{id: \"{BLK}\"}}) {{ deletedId }} }}"), ENVIRONMENTS),
        // Last: it ends the session it is called with.
        // Before `logout`, which ends each role's session.
        ("renewSession", "mutation { renewSession { token } }".into(), ALL),
        ("logout", "mutation { logout { signedOut } }".into(), ALL),
    ]
}

fn codes(answer: &Value) -> Vec<String> {
    answer["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn every_operation_is_guarded_as_the_matrix_says(app: TestApp) {
    heatshield::domain::identity::users::create(
        &app.store,
        &heatshield::domain::Actor::system("matrix"),
        heatshield::domain::identity::users::NewUser {
            email: "matrix@test.example".into(),
            display_name: "Matrix".into(),
            password: Some("matrix password".into()),
            roles: vec![Viewer],
        },
    )
    .await
    .unwrap();

    // The matrix covers exactly the operations of the schema.
    let schema = app
        .ok(
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }",
            json!({}),
            Viewer,
        )
        .await;
    let mut in_schema = BTreeSet::new();
    for root in ["queryType", "mutationType"] {
        for field in schema["__schema"][root]["fields"].as_array().unwrap() {
            in_schema.insert(field["name"].as_str().unwrap().to_owned());
        }
    }
    let in_matrix: BTreeSet<String> = matrix()
        .iter()
        .map(|(name, _, _)| (*name).to_owned())
        .collect();
    assert_eq!(
        in_schema, in_matrix,
        "every operation needs a row in the permission matrix"
    );

    let mut mismatches = Vec::new();
    for (name, document, allowed) in matrix() {
        for role in Role::all() {
            let answer = app.gql(&document, json!({}), Some(*role)).await;
            let codes = codes(&answer);
            let refused = codes
                .iter()
                .any(|c| c == "FORBIDDEN" || c == "UNAUTHENTICATED");
            let expected_allowed = allowed.contains(role);
            if refused == expected_allowed
                || (!expected_allowed && !codes.contains(&"FORBIDDEN".to_owned()))
            {
                mismatches.push(format!(
                    "{name} as {role}: expected {}, got {answer}",
                    if expected_allowed {
                        "allowed"
                    } else {
                        "FORBIDDEN"
                    }
                ));
            }
        }
        // Anonymous callers reach login only.
        let anonymous = app.gql(&document, json!({}), None).await;
        let anonymous_codes = codes(&anonymous);
        if name == "login" {
            if !anonymous_codes.is_empty() {
                mismatches.push(format!("login anonymously: {anonymous}"));
            }
        } else if !anonymous_codes.contains(&"UNAUTHENTICATED".to_owned()) {
            mismatches.push(format!(
                "{name} anonymously: expected UNAUTHENTICATED, got {anonymous}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Guarded objects reached through `node(id:)` keep their own rules.
async fn node_respects_the_rules_of_each_type(app: TestApp) {
    let expires = (now() + chrono::Duration::days(1)).to_rfc3339();
    let created = app
        .ok("mutation($e: DateTime!) { createApiToken(input: {name: \"CI\", roles: [VIEWER], expiresAt: $e}) { apiToken { id } } }", json!({ "e": expires }), Admin)
        .await;
    let token_id = text(&created, "createApiToken.apiToken.id");
    app.fails(
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": token_id }),
        Some(Viewer),
        "FORBIDDEN",
    )
    .await;
    let admin = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on ApiToken { name } } }",
            json!({ "id": token_id }),
            Admin,
        )
        .await;
    assert_eq!(at(&admin, "node.name"), "CI");
    let audit = app
        .ok(
            "{ auditEvents(first: 1) { nodes { id } } }",
            json!({}),
            Admin,
        )
        .await;
    let event = text(&audit, "auditEvents.nodes.0.id");
    app.fails(
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": event }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
    app.ok(
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": event }),
        ServiceManager,
    )
    .await;
}

/// Subscriptions: (operation, document, roles allowed). Anonymous sockets never get past
/// `connection_init` (see the subscription tests).
fn subscription_matrix() -> Vec<(&'static str, &'static str, &'static [Role])> {
    vec![
        (
            "releaseEvents",
            "subscription { releaseEvents { action } }",
            ALL,
        ),
        (
            "notifications",
            "subscription { notifications { resyncRequired } }",
            ALL,
        ),
        (
            "bookingEvents",
            "subscription { bookingEvents { action } }",
            ALL,
        ),
        (
            "goLiveStatus",
            "subscription { goLiveStatus(planId: \"pln_0190000000007000800000000000abcd\") { version } }",
            ALL,
        ),
    ]
}

async fn every_subscription_is_guarded_as_the_matrix_says(app: TestApp) {
    let schema = app
        .ok(
            "{ __schema { subscriptionType { fields { name } } } }",
            json!({}),
            Viewer,
        )
        .await;
    let in_schema: BTreeSet<String> = schema["__schema"]["subscriptionType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    let in_matrix: BTreeSet<String> = subscription_matrix()
        .iter()
        .map(|(name, _, _)| (*name).to_owned())
        .collect();
    assert_eq!(
        in_schema, in_matrix,
        "every subscription needs a row in the permission matrix"
    );

    for (name, document, allowed) in subscription_matrix() {
        for role in Role::all() {
            let mut client = app.ws_as(*role).await;
            client
                .send(json!({ "type": "subscribe", "id": "m", "payload": { "query": document } }))
                .await;
            // A refused subscription answers `error` at once; an accepted one stays quiet
            // until something happens.
            match client
                .try_next_within(std::time::Duration::from_millis(300))
                .await
            {
                None => assert!(
                    allowed.contains(role),
                    "{name} as {role}: expected FORBIDDEN, the subscription was accepted"
                ),
                // Past the guard, an unknown id is NOT_FOUND.
                Some(tests::ws::Received::Json(first))
                    if first["type"] == "error"
                        && first["payload"][0]["extensions"]["code"] == "NOT_FOUND" =>
                {
                    assert!(allowed.contains(role), "{name} as {role}: {first}");
                }
                Some(tests::ws::Received::Json(first)) if first["type"] == "error" => {
                    assert!(!allowed.contains(role), "{name} as {role}: {first}");
                    assert_eq!(
                        first["payload"][0]["extensions"]["code"], "FORBIDDEN",
                        "{name} as {role}"
                    );
                }
                Some(other) => panic!("{name} as {role}: unexpected {other:?}"),
            }
        }
    }
}

both!(
    every_operation_is_guarded_as_the_matrix_says,
    every_subscription_is_guarded_as_the_matrix_says,
    node_respects_the_rules_of_each_type
);
