//! Environment bookings: requests and their conflicts, approvals against capacity (also under
//! a race), the waitlist, blackouts and their overrides, bookings against reality, and the
//! planning answers (calendar, matrix, free slots, utilization).

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use super::*;

const REQUEST: &str = "mutation($input: RequestBookingsInput!) { requestBookings(input: $input) { bookings { id status purpose startsAt endsAt recurring environment { name } release { key } phase { name } requestedByName waitlistPosition blackoutOverrideReason conflicts { id status } } } }";
const APPROVE: &str = "mutation($id: ID!) { approveBooking(input: {id: $id, comment: \"go ahead\"}) { booking { id status decidedByName decisionComment } } }";
const REJECT: &str = "mutation($id: ID!, $c: String!) { rejectBooking(input: {id: $id, comment: $c}) { booking { id status decisionComment } } }";
const CANCEL: &str = "mutation($id: ID!) { cancelBooking(input: {id: $id, reason: \"plans changed\"}) { booking { id status cancelReason } } }";
const BOOKING: &str = "query($id: ID!) { booking(id: $id) { id status waitlistPosition offeredAt conflicts { id status } } }";
const BLACKOUT: &str = "mutation($input: CreateBlackoutInput!) { createBlackout(input: $input) { blackout { id name timeZone localStartsAt localEndsAt orgWide environments { name } systems { code } } } }";

/// A whole hour two days ahead: bookings built on it are in the future and easy to read.
fn base() -> DateTime<Utc> {
    (now() + TimeDelta::days(2))
        .duration_trunc(TimeDelta::hours(1))
        .unwrap()
}

fn hour(hours: i64) -> String {
    (base() + TimeDelta::hours(hours)).to_rfc3339()
}

fn same_instant(value: &Value, expected: &str) -> bool {
    let got = DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap();
    let want = DateTime::parse_from_rfc3339(expected).unwrap();
    got == want
}

struct Fixture {
    release: String,
    other_release: String,
    phase: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let release = app.create_release("PR-1", "PROJECT", None).await;
    let other_release = app.create_release("PR-2", "PROJECT", None).await;
    let phase = app
        .ok(
            "mutation($r: ID!) { createPhase(input: {releaseId: $r, name: \"SIT\", plannedStart: \"2027-01-04\", plannedEnd: \"2027-02-01\"}) { phase { id } } }",
            json!({ "r": release }),
            Admin,
        )
        .await;
    Fixture {
        release,
        other_release,
        phase: text(&phase, "createPhase.phase.id"),
    }
}

async fn environment(app: &TestApp, name: &str, tier: &str, capacity: i32) -> String {
    let data = app
        .ok(
            "mutation($input: CreateEnvironmentInput!) { createEnvironment(input: $input) { environment { id } } }",
            json!({ "input": { "name": name, "tier": tier, "capacity": capacity } }),
            Admin,
        )
        .await;
    text(&data, "createEnvironment.environment.id")
}

async fn request(
    app: &TestApp,
    role: Role,
    envs: &[&str],
    release: &str,
    from: i64,
    to: i64,
    extra: Value,
) -> Vec<Value> {
    let mut input = json!({
        "environmentIds": envs, "releaseId": release, "startsAt": hour(from), "endsAt": hour(to),
        "purpose": "System integration test",
    });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            input.insert(k.clone(), v.clone());
        }
    }
    let data = app.ok(REQUEST, json!({ "input": input }), role).await;
    data["requestBookings"]["bookings"]
        .as_array()
        .unwrap()
        .clone()
}

async fn status_of(app: &TestApp, id: &str) -> Value {
    app.ok(BOOKING, json!({ "id": id }), Viewer).await["booking"].clone()
}

async fn a_booking_is_requested_with_its_conflicts_then_decided(app: TestApp) {
    let f = fixture(&app).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let first = request(
        &app,
        ProjectManager,
        &[&sit],
        &f.release,
        0,
        48,
        json!({ "phaseId": f.phase }),
    )
    .await;
    assert_eq!(first.len(), 1);
    let a = &first[0];
    assert_eq!(a["status"], "REQUESTED");
    assert_eq!(a["phase"]["name"], "SIT");
    assert_eq!(a["release"]["key"], "PR-1");
    assert_eq!(a["requestedByName"], "Test PROJECT_MANAGER");
    assert_eq!(a["conflicts"], json!([]));
    assert!(same_instant(&a["startsAt"], &hour(0)));
    let a_id = text(a, "id");
    assert!(a_id.starts_with("bkg_"));

    // A second request overlapping the first lists it before anyone decides.
    let second = request(
        &app,
        TestManager,
        &[&sit],
        &f.other_release,
        24,
        72,
        json!({}),
    )
    .await;
    let b_id = text(&second[0], "id");
    assert_eq!(
        second[0]["conflicts"],
        json!([{ "id": a_id, "status": "REQUESTED" }])
    );

    let approved = app
        .ok(APPROVE, json!({ "id": a_id }), EnvironmentManager)
        .await;
    assert_eq!(
        at(&approved, "approveBooking.booking"),
        &json!({ "id": a_id, "status": "APPROVED", "decidedByName": "Test ENVIRONMENT_MANAGER", "decisionComment": "go ahead" })
    );
    // Approving into the conflict fails and names the booking in the way.
    let error = app
        .fails(APPROVE, json!({ "id": b_id }), Some(Admin), "CONFLICT")
        .await;
    assert_eq!(error["extensions"]["conflicting"], json!([a_id]));
    assert!(error["message"].as_str().unwrap().contains("SIT1"));
    assert_eq!(
        status_of(&app, &b_id).await["conflicts"],
        json!([{ "id": a_id, "status": "APPROVED" }])
    );

    let rejected = app
        .ok(
            REJECT,
            json!({ "id": b_id, "c": "SIT1 is taken; use SIT2" }),
            EnvironmentManager,
        )
        .await;
    assert_eq!(at(&rejected, "rejectBooking.booking.status"), "REJECTED");
    assert_eq!(
        status_of(&app, &b_id).await["conflicts"],
        json!([]),
        "closed bookings list no conflicts"
    );

    // Found through node(id:), listed and filtered; the trail has every step.
    let node = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Booking { status environment { name } } } }",
            json!({ "id": a_id }),
            Viewer,
        )
        .await;
    assert_eq!(at(&node, "node.status"), "APPROVED");
    let list = app
        .ok(
            "query($e: ID!) { bookings(filter: {environmentIds: [$e], status: [APPROVED]}) { totalCount nodes { id } } }",
            json!({ "e": sit }),
            Viewer,
        )
        .await;
    assert_eq!(at(&list, "bookings.totalCount"), 1);
    let mine = app
        .ok(
            "{ bookings(filter: {mine: true}) { nodes { id } } }",
            json!({}),
            TestManager,
        )
        .await;
    assert_eq!(at(&mine, "bookings.nodes"), &json!([{ "id": b_id }]));
    let audit = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {entityId: $id}) { nodes { action } } }",
            json!({ "id": a_id }),
            Admin,
        )
        .await;
    let mut actions: Vec<&str> = audit["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    actions.sort();
    assert_eq!(actions, ["booking.approve", "booking.request"]);
    let history = app
        .ok(
            "query($r: ID!) { auditEvents(filter: {releaseId: $r}) { nodes { action } } }",
            json!({ "r": f.release }),
            Admin,
        )
        .await;
    assert!(
        history["auditEvents"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["action"] == "booking.approve"),
        "bookings show in the release's history"
    );
    // An environment with open bookings stays in the catalogue.
    let error = app
        .fails(
            "mutation($id: ID!) { deleteEnvironment(input: {id: $id}) { deletedId } }",
            json!({ "id": sit }),
            Some(EnvironmentManager),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["conflicting"], json!([a_id]));
}

async fn bad_requests_and_wrong_moves_get_coded_errors(app: TestApp) {
    let f = fixture(&app).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let input = |changes: Value| {
        let mut input = json!({
            "environmentIds": [sit], "releaseId": f.release, "startsAt": hour(0), "endsAt": hour(8),
            "purpose": "SIT",
        });
        for (k, v) in changes.as_object().unwrap() {
            input[k] = v.clone();
        }
        json!({ "input": input })
    };
    let cases = [
        (json!({ "endsAt": hour(-1) }), "VALIDATION", Some("endsAt")),
        (json!({ "endsAt": hour(0) }), "VALIDATION", Some("endsAt")),
        (
            json!({ "startsAt": (now() - TimeDelta::days(1)).to_rfc3339() }),
            "VALIDATION",
            Some("startsAt"),
        ),
        (json!({ "purpose": "  " }), "VALIDATION", Some("purpose")),
        (
            json!({ "environmentIds": [] }),
            "VALIDATION",
            Some("environmentIds"),
        ),
        (
            json!({ "environmentIds": ["env_0190000000007000800000000000abcd"] }),
            "NOT_FOUND",
            None,
        ),
        (
            json!({ "environmentIds": ["rel_0190000000007000800000000000abcd"] }),
            "VALIDATION",
            Some("environmentIds"),
        ),
        (
            json!({ "releaseId": "rel_0190000000007000800000000000abcd" }),
            "NOT_FOUND",
            None,
        ),
        (
            json!({ "phaseId": "phs_0190000000007000800000000000abcd" }),
            "NOT_FOUND",
            None,
        ),
        (
            json!({ "releaseId": f.other_release, "phaseId": f.phase }),
            "VALIDATION",
            Some("phaseId"),
        ),
        (
            json!({ "endsAt": hour(24 * 400) }),
            "VALIDATION",
            Some("endsAt"),
        ),
        (
            json!({ "recurrence": { "frequency": "WEEKLY", "count": 0 } }),
            "VALIDATION",
            Some("recurrence.count"),
        ),
        (
            json!({ "endsAt": hour(24 * 8), "recurrence": { "frequency": "WEEKLY", "count": 2 } }),
            "VALIDATION",
            Some("recurrence.frequency"),
        ),
    ];
    for (changes, code, field) in cases {
        let error = app
            .fails(REQUEST, input(changes.clone()), Some(ProjectManager), code)
            .await;
        if let Some(field) = field {
            assert_eq!(error["extensions"]["field"], field, "{changes}");
        }
    }
    assert_eq!(
        app.ok("{ bookings { totalCount } }", json!({}), Viewer)
            .await["bookings"]["totalCount"],
        0,
        "nothing was half-written"
    );

    // Wrong moves: approving a cancelled booking, cancelling twice, rejecting without a word.
    let booking = request(&app, ProjectManager, &[&sit], &f.release, 0, 8, json!({})).await;
    let id = text(&booking[0], "id");
    app.fails(
        REJECT,
        json!({ "id": id, "c": " " }),
        Some(EnvironmentManager),
        "VALIDATION",
    )
    .await;
    app.ok(CANCEL, json!({ "id": id }), ProjectManager).await;
    app.fails(
        APPROVE,
        json!({ "id": id }),
        Some(EnvironmentManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.fails(
        CANCEL,
        json!({ "id": id }),
        Some(ProjectManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.fails(
        REJECT,
        json!({ "id": id, "c": "no" }),
        Some(EnvironmentManager),
        "INVALID_TRANSITION",
    )
    .await;
    app.fails(
        APPROVE,
        json!({ "id": "bkg_0190000000007000800000000000abcd" }),
        Some(EnvironmentManager),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        "mutation($id: ID!) { waitlistBooking(input: {id: $id}) { booking { id } } }",
        json!({ "id": id }),
        Some(ProjectManager),
        "INVALID_TRANSITION",
    )
    .await;
    // A cancelled release needs no environment.
    app.transition(&f.other_release, "CANCELLED").await;
    let error = app
        .fails(
            REQUEST,
            input(json!({ "releaseId": f.other_release })),
            Some(ProjectManager),
            "VALIDATION",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "releaseId");
}

async fn roles_decide_who_may_request_decide_and_cancel(app: TestApp) {
    let f = fixture(&app).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let input = json!({ "input": {
        "environmentIds": [sit], "releaseId": f.release, "startsAt": hour(0), "endsAt": hour(8), "purpose": "SIT",
    } });
    app.fails(REQUEST, input.clone(), Some(Viewer), "FORBIDDEN")
        .await;
    app.fails(REQUEST, input.clone(), None, "UNAUTHENTICATED")
        .await;
    let own = request(&app, ProjectManager, &[&sit], &f.release, 0, 8, json!({})).await;
    let id = text(&own[0], "id");
    for role in [ProjectManager, ReleaseManager, TestManager, Viewer] {
        app.fails(APPROVE, json!({ "id": id }), Some(role), "FORBIDDEN")
            .await;
        app.fails(
            REJECT,
            json!({ "id": id, "c": "no" }),
            Some(role),
            "FORBIDDEN",
        )
        .await;
    }
    // Someone else's booking: others may neither change nor cancel it …
    app.fails(CANCEL, json!({ "id": id }), Some(TestManager), "FORBIDDEN")
        .await;
    app.fails(
        "mutation($id: ID!) { updateBooking(input: {id: $id, purpose: \"mine now\"}) { booking { id } } }",
        json!({ "id": id }),
        Some(ReleaseManager),
        "FORBIDDEN",
    )
    .await;
    app.fails(CANCEL, json!({ "id": id }), Some(Viewer), "FORBIDDEN")
        .await;
    // … the requester may, and so may environment managers and admins.
    let changed = app
        .ok(
            "mutation($id: ID!) { updateBooking(input: {id: $id, purpose: \"SIT, second run\"}) { booking { purpose } } }",
            json!({ "id": id }),
            ProjectManager,
        )
        .await;
    assert_eq!(
        at(&changed, "updateBooking.booking.purpose"),
        "SIT, second run"
    );
    app.ok(CANCEL, json!({ "id": id }), ProjectManager).await;
    for role in [EnvironmentManager, Admin] {
        let other = request(&app, ProjectManager, &[&sit], &f.release, 0, 8, json!({})).await;
        let cancelled = app
            .ok(CANCEL, json!({ "id": text(&other[0], "id") }), role)
            .await;
        assert_eq!(at(&cancelled, "cancelBooking.booking.status"), "CANCELLED");
    }
    // Blackouts belong to environment managers and admins.
    let blackout =
        json!({ "input": { "name": "Freeze", "startsAt": hour(0), "endsAt": hour(10) } });
    for role in [ProjectManager, ReleaseManager, Viewer] {
        app.fails(BLACKOUT, blackout.clone(), Some(role), "FORBIDDEN")
            .await;
    }
    app.ok(BLACKOUT, blackout, EnvironmentManager).await;
}

async fn shared_environments_hold_capacity_concurrent_bookings(app: TestApp) {
    let f = fixture(&app).await;
    let dev = environment(&app, "DEV1", "DEV", 2).await;
    let mut ids = Vec::new();
    // [0,5) and [5,10) never run together, so [0,10) fits next to both on capacity 2.
    for (from, to) in [(0, 5), (5, 10), (0, 10), (2, 3)] {
        let created = request(
            &app,
            ProjectManager,
            &[&dev],
            &f.release,
            from,
            to,
            json!({}),
        )
        .await;
        ids.push(text(&created[0], "id"));
    }
    for id in &ids[..3] {
        let approved = app
            .ok(APPROVE, json!({ "id": id }), EnvironmentManager)
            .await;
        assert_eq!(at(&approved, "approveBooking.booking.status"), "APPROVED");
    }
    let error = app
        .fails(
            APPROVE,
            json!({ "id": ids[3] }),
            Some(EnvironmentManager),
            "CONFLICT",
        )
        .await;
    let conflicting = error["extensions"]["conflicting"].as_array().unwrap();
    assert!(conflicting.contains(&json!(ids[0])) && conflicting.contains(&json!(ids[2])));
    assert!(error["message"].as_str().unwrap().contains("capacity 2"));

    // Growing an approved booking into the full slot is refused; shrinking is always fine.
    app.fails(
        "mutation($id: ID!, $s: DateTime!) { updateBooking(input: {id: $id, startsAt: $s}) { booking { id } } }",
        json!({ "id": ids[1], "s": hour(2) }),
        Some(EnvironmentManager),
        "CONFLICT",
    )
    .await;
    let shrunk = app
        .ok(
            "mutation($id: ID!, $e: DateTime!) { updateBooking(input: {id: $id, endsAt: $e}) { booking { status endsAt } } }",
            json!({ "id": ids[2], "e": hour(2) }),
            ProjectManager,
        )
        .await;
    assert_eq!(at(&shrunk, "updateBooking.booking.status"), "APPROVED");
    let approved = app
        .ok(APPROVE, json!({ "id": ids[3] }), EnvironmentManager)
        .await;
    assert_eq!(at(&approved, "approveBooking.booking.status"), "APPROVED");
}

async fn recurring_requests_expand_into_individual_checked_bookings(app: TestApp) {
    let f = fixture(&app).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let uat = environment(&app, "UAT1", "UAT", 1).await;
    let weekly = json!({ "recurrence": { "frequency": "WEEKLY", "count": 3 } });
    let created = request(
        &app,
        ProjectManager,
        &[&sit, &uat],
        &f.release,
        0,
        4,
        weekly.clone(),
    )
    .await;
    assert_eq!(created.len(), 6);
    assert!(
        created
            .iter()
            .all(|b| b["recurring"] == true && b["status"] == "REQUESTED")
    );
    let sit_starts: Vec<&Value> = created
        .iter()
        .filter(|b| b["environment"]["name"] == "SIT1")
        .map(|b| &b["startsAt"])
        .collect();
    assert_eq!(sit_starts.len(), 3);
    assert!(same_instant(sit_starts[2], &hour(24 * 14)));

    // One occurrence in a blackout refuses the whole request, naming the blackout.
    let blackout = app
        .ok(
            BLACKOUT,
            json!({ "input": { "name": "Data centre move", "startsAt": hour(24 * 14), "endsAt": hour(24 * 14 + 2), "environmentIds": [uat] } }),
            EnvironmentManager,
        )
        .await;
    let blackout_id = text(&blackout, "createBlackout.blackout.id");
    let mut input = json!({
        "environmentIds": [sit, uat], "releaseId": f.release, "startsAt": hour(1), "endsAt": hour(3),
        "purpose": "Weekly regression", "recurrence": { "frequency": "WEEKLY", "count": 3 },
    });
    let error = app
        .fails(
            REQUEST,
            json!({ "input": input }),
            Some(ProjectManager),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["conflicting"], json!([blackout_id]));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Data centre move")
    );
    assert_eq!(
        app.ok("{ bookings { totalCount } }", json!({}), Viewer)
            .await["bookings"]["totalCount"],
        6,
        "all or nothing"
    );
    input["environmentIds"] = json!([sit]);
    let data = app
        .ok(REQUEST, json!({ "input": input }), ProjectManager)
        .await;
    let sit_again = data["requestBookings"]["bookings"].as_array().unwrap();
    assert_eq!(sit_again.len(), 3, "the blackout applies to UAT1 only");
    assert_eq!(sit_again[0]["conflicts"].as_array().unwrap().len(), 1);
}

async fn the_waitlist_offers_a_freed_slot_in_order(app: TestApp) {
    let f = fixture(&app).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let a = request(&app, ProjectManager, &[&sit], &f.release, 0, 8, json!({})).await;
    let a = text(&a[0], "id");
    app.ok(APPROVE, json!({ "id": a }), EnvironmentManager)
        .await;

    let waitlist = json!({ "waitlist": true });
    let b = request(
        &app,
        TestManager,
        &[&sit],
        &f.other_release,
        0,
        8,
        waitlist.clone(),
    )
    .await;
    assert_eq!(b[0]["status"], "WAITLISTED");
    assert_eq!(b[0]["waitlistPosition"], 1);
    let b = text(&b[0], "id");
    // The waiting booking is one of the things holding its release back.
    let blockers = app
        .ok(
            "query($id: ID!) { release(id: $id) { blockers { kind subjectId description owner { role } } } }",
            json!({ "id": f.other_release }),
            Viewer,
        )
        .await;
    let waiting: Vec<&Value> = blockers["release"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "BOOKING_CONFLICT")
        .collect();
    assert_eq!(waiting.len(), 1, "{blockers:#}");
    assert_eq!(waiting[0]["subjectId"], json!(b));
    assert_eq!(waiting[0]["owner"]["role"], "ENVIRONMENT_MANAGER");
    assert!(waiting[0]["description"].as_str().unwrap().contains(&a));
    let c = request(
        &app,
        ReleaseManager,
        &[&sit],
        &f.other_release,
        4,
        8,
        waitlist.clone(),
    )
    .await;
    assert_eq!(c[0]["waitlistPosition"], 2, "behind the earlier request");
    let c = text(&c[0], "id");
    // With room, `waitlist` changes nothing: the request is simply REQUESTED.
    let d = request(
        &app,
        ProjectManager,
        &[&sit],
        &f.release,
        100,
        108,
        waitlist,
    )
    .await;
    assert_eq!(d[0]["status"], "REQUESTED");
    assert_eq!(d[0]["waitlistPosition"], Value::Null);
    // A plain request can join the line later.
    let e = request(&app, ProjectManager, &[&sit], &f.release, 6, 7, json!({})).await;
    let e = text(&e[0], "id");
    let joined = app
        .ok(
            "mutation($id: ID!) { waitlistBooking(input: {id: $id}) { booking { status waitlistPosition } } }",
            json!({ "id": e }),
            ProjectManager,
        )
        .await;
    assert_eq!(
        at(&joined, "waitlistBooking.booking"),
        &json!({ "status": "WAITLISTED", "waitlistPosition": 3 })
    );

    // The blocking booking is cancelled: the first in line is offered the slot and holds it.
    app.ok(CANCEL, json!({ "id": a }), ProjectManager).await;
    let offered = status_of(&app, &b).await;
    assert_eq!(offered["status"], "OFFERED");
    assert!(offered["offeredAt"].is_string());
    assert_eq!(status_of(&app, &c).await["waitlistPosition"], 1);
    app.fails(
        APPROVE,
        json!({ "id": c }),
        Some(EnvironmentManager),
        "CONFLICT",
    )
    .await;
    let offer = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {entityId: $id}) { nodes { action after } } }",
            json!({ "id": b }),
            Admin,
        )
        .await;
    let offer = offer["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["action"] == "booking.offer")
        .cloned()
        .expect("a booking.offer event");
    assert_eq!(offer["after"]["requester"]["name"], "Test TEST_MANAGER");
    assert_eq!(
        offer["after"]["requester"]["id"],
        json!(app.user_id(TestManager))
    );
    app.ok(APPROVE, json!({ "id": b }), EnvironmentManager)
        .await;

    // Shortening the approved booking frees [4, 8): the next in line fits and is offered.
    app.ok(
        "mutation($id: ID!, $e: DateTime!) { updateBooking(input: {id: $id, endsAt: $e}) { booking { id } } }",
        json!({ "id": b, "e": hour(4) }),
        TestManager,
    )
    .await;
    assert_eq!(status_of(&app, &c).await["status"], "OFFERED");
    assert_eq!(
        status_of(&app, &e).await["status"],
        "WAITLISTED",
        "its slot is held by the offer ahead of it"
    );
    assert_eq!(status_of(&app, &e).await["waitlistPosition"], 1);
    // Rejecting an offer passes the slot on.
    app.ok(
        REJECT,
        json!({ "id": c, "c": "not needed after all" }),
        EnvironmentManager,
    )
    .await;
    assert_eq!(status_of(&app, &e).await["status"], "OFFERED");

    // Each requester heard what became of their booking, in the order it happened.
    let heard = |role: Role| {
        let app = &app;
        async move {
            let mut nodes: Vec<(String, String)> = app
                .notifications(role)
                .await
                .into_iter()
                .map(|(kind, subject, _)| (kind, subject))
                .collect();
            nodes.sort();
            nodes
        }
    };
    let mut expected = vec![
        ("BOOKING_APPROVED".to_owned(), b.clone()),
        ("BOOKING_OFFERED".to_owned(), b.clone()),
    ];
    expected.sort();
    assert_eq!(heard(TestManager).await, expected, "the requester of b");
    let of_c = heard(ReleaseManager).await;
    for kind in ["BOOKING_OFFERED", "BOOKING_REJECTED"] {
        assert!(
            of_c.contains(&(kind.to_owned(), c.clone())),
            "{kind} for c in {of_c:?}"
        );
    }
    let of_pm = heard(ProjectManager).await;
    assert!(
        of_pm.contains(&("BOOKING_APPROVED".to_owned(), a.clone()))
            && of_pm.contains(&("BOOKING_OFFERED".to_owned(), e.clone())),
        "{of_pm:?}"
    );
}

async fn blackouts_refuse_bookings_and_go_lives_unless_overridden(app: TestApp) {
    let f = fixture(&app).await;
    let payments = app.create_system("PAYMENTS").await;
    let sit = app.create_environment("SIT1", "SIT", &[&payments]).await;
    let uat = environment(&app, "UAT1", "UAT", 1).await;

    app.fails(
        BLACKOUT,
        json!({ "input": { "name": "Freeze", "startsAt": hour(0), "endsAt": hour(1), "timeZone": "Mars/Olympus" } }),
        Some(EnvironmentManager),
        "VALIDATION",
    )
    .await;
    app.fails(
        BLACKOUT,
        json!({ "input": { "name": "Freeze", "startsAt": hour(1), "endsAt": hour(0) } }),
        Some(EnvironmentManager),
        "VALIDATION",
    )
    .await;
    let created = app
        .ok(
            BLACKOUT,
            json!({ "input": { "name": "Payments freeze", "description": "Peak season", "startsAt": "2026-12-18T00:00:00Z", "endsAt": "2027-01-04T00:00:00Z", "timeZone": "Europe/London", "systemIds": [payments] } }),
            EnvironmentManager,
        )
        .await;
    let freeze = at(&created, "createBlackout.blackout");
    assert_eq!(freeze["timeZone"], "Europe/London");
    assert_eq!(freeze["localStartsAt"], "2026-12-18T00:00:00+00:00");
    assert_eq!(freeze["orgWide"], false);
    assert_eq!(freeze["systems"], json!([{ "code": "PAYMENTS" }]));

    // A system's blackout applies on every environment hosting it.
    let window = |env: &str| {
        json!({ "input": {
            "environmentIds": [env], "releaseId": f.release, "startsAt": "2026-12-20T09:00:00Z",
            "endsAt": "2026-12-21T17:00:00Z", "purpose": "Hotfix test",
        } })
    };
    let error = app
        .fails(REQUEST, window(&sit), Some(ProjectManager), "CONFLICT")
        .await;
    assert_eq!(
        error["extensions"]["conflicting"],
        json!([text(freeze, "id")])
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Payments freeze")
    );
    assert!(error["message"].as_str().unwrap().contains("Europe/London"));
    app.ok(REQUEST, window(&uat), ProjectManager).await;

    // An org-wide blackout now: bookings are refused unless a role that may override says why.
    let org = app
        .ok(
            BLACKOUT,
            json!({ "input": { "name": "Incident freeze", "startsAt": (now() - TimeDelta::hours(1)).to_rfc3339(), "endsAt": hour(24) } }),
            Admin,
        )
        .await;
    let org_id = text(&org, "createBlackout.blackout.id");
    assert_eq!(at(&org, "createBlackout.blackout.orgWide"), true);
    let mut input = json!({
        "environmentIds": [uat], "releaseId": f.release, "startsAt": hour(1), "endsAt": hour(2), "purpose": "Fix",
    });
    app.fails(
        REQUEST,
        json!({ "input": input }),
        Some(ProjectManager),
        "CONFLICT",
    )
    .await;
    input["overrideBlackoutReason"] = json!("P1 incident INC0042 needs a test bed");
    app.fails(
        REQUEST,
        json!({ "input": input }),
        Some(ProjectManager),
        "FORBIDDEN",
    )
    .await;
    let overridden = app
        .ok(REQUEST, json!({ "input": input }), EnvironmentManager)
        .await;
    assert_eq!(
        at(
            &overridden,
            "requestBookings.bookings.0.blackoutOverrideReason"
        ),
        "P1 incident INC0042 needs a test bed"
    );
    input["overrideBlackoutReason"] = json!("  ");
    app.fails(
        REQUEST,
        json!({ "input": input }),
        Some(EnvironmentManager),
        "CONFLICT",
    )
    .await;
    let trail = app
        .ok(
            "query($id: ID!) { auditEvents(filter: {entityId: $id}) { nodes { action after } } }",
            json!({ "id": org_id }),
            Admin,
        )
        .await;
    let overrides: Vec<&Value> = trail["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["action"] == "blackout.override")
        .collect();
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        overrides[0]["after"]["reason"],
        "P1 incident INC0042 needs a test bed"
    );

    // Releases do not go live during it either, unless overridden with a reason.
    for to in ["PLANNED", "IN_PROGRESS"] {
        assert!(app.transition(&f.release, to).await.get("errors").is_none());
    }
    // "Why is it blocked?" names the blackout, who may override it and how.
    let blockers = app
        .ok(
            "query($id: ID!) { release(id: $id) { blockers { kind blocks description action subjectId owner { role } } } }",
            json!({ "id": f.release }),
            Viewer,
        )
        .await;
    let blackout = blockers["release"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kind"] == "BLACKOUT")
        .cloned()
        .unwrap_or_else(|| panic!("a blackout blocker in {blockers:#}"));
    assert_eq!(blackout["subjectId"], json!(org_id));
    assert_eq!(blackout["blocks"], "GO_LIVE");
    assert_eq!(blackout["owner"]["role"], "RELEASE_MANAGER");
    assert!(
        blackout["description"]
            .as_str()
            .unwrap()
            .contains("Incident freeze")
    );
    let go_live = "mutation($input: TransitionReleaseInput!) { transitionRelease(input: $input) { release { status } } }";
    let error = app
        .fails(
            go_live,
            json!({ "input": { "id": f.release, "to": "GO_LIVE" } }),
            Some(ReleaseManager),
            "CONFLICT",
        )
        .await;
    assert_eq!(error["extensions"]["conflicting"], json!([org_id]));
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Incident freeze")
    );
    let live = app
        .ok(
            go_live,
            json!({ "input": { "id": f.release, "to": "GO_LIVE", "overrideBlackoutReason": "Fix for the incident itself" } }),
            ReleaseManager,
        )
        .await;
    assert_eq!(at(&live, "transitionRelease.release.status"), "GO_LIVE");
    let history = app
        .ok(
            "query($r: ID!) { auditEvents(filter: {releaseId: $r}) { nodes { action after } } }",
            json!({ "r": f.release }),
            Admin,
        )
        .await;
    assert!(
        history["auditEvents"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["action"] == "blackout.override"
                && n["after"]["reason"] == "Fix for the incident itself")
    );

    // Blackouts are listed with their scope, changed and removed.
    let listed = app
        .ok(
            "query($e: ID!) { blackouts(filter: {environmentId: $e}) { name } }",
            json!({ "e": sit }),
            Viewer,
        )
        .await;
    let names: Vec<&str> = listed["blackouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Incident freeze") && names.contains(&"Payments freeze"));
    let updated = app
        .ok(
            "mutation($id: ID!, $e: [ID!]) { updateBlackout(input: {id: $id, environmentIds: $e, timeZone: \"Europe/Berlin\"}) { blackout { orgWide timeZone environments { name } } } }",
            json!({ "id": org_id, "e": [uat] }),
            EnvironmentManager,
        )
        .await;
    assert_eq!(
        at(&updated, "updateBlackout.blackout"),
        &json!({ "orgWide": false, "timeZone": "Europe/Berlin", "environments": [{ "name": "UAT1" }] })
    );
    app.ok(
        "mutation($id: ID!) { deleteBlackout(input: {id: $id}) { deletedId } }",
        json!({ "id": org_id }),
        EnvironmentManager,
    )
    .await;
    app.fails(
        "query($id: ID!) { blackout(id: $id) { id } }",
        json!({ "id": org_id }),
        Some(Viewer),
        "NOT_FOUND",
    )
    .await;
}

async fn deployments_without_booking_and_idle_bookings_are_reported(app: TestApp) {
    let payments = app.create_system("PAYMENTS").await;
    let sit = app.create_environment("SIT1", "SIT", &[&payments]).await;
    let uat = app.create_environment("UAT1", "UAT", &[&payments]).await;
    let enterprise = app.create_release("ER-1", "ENTERPRISE", None).await;
    let project = app
        .create_release("PR-1", "PROJECT", Some(&enterprise))
        .await;
    let package = app.create_package(&project, &payments, "SEPA", "1.0").await;
    let start = (now() - TimeDelta::minutes(1)).to_rfc3339();
    let end = (now() + TimeDelta::days(3)).to_rfc3339();
    // The enterprise release books SIT1 (covering its projects); UAT1 is booked by the
    // project but nothing is deployed there.
    let mut ids = Vec::new();
    for (env, release) in [(&sit, &enterprise), (&uat, &project)] {
        let data = app
            .ok(
                REQUEST,
                json!({ "input": { "environmentIds": [env], "releaseId": release, "startsAt": start, "endsAt": end, "purpose": "Testing" } }),
                ProjectManager,
            )
            .await;
        let id = text(&data, "requestBookings.bookings.0.id");
        app.ok(APPROVE, json!({ "id": id }), EnvironmentManager)
            .await;
        ids.push(id);
    }
    let record = "mutation($p: ID!, $e: ID!, $at: DateTime) { recordDeployment(input: {packageId: $p, environmentId: $e, deployedAt: $at}) { deployment { id withoutBooking } } }";
    let covered = app
        .ok(
            record,
            json!({ "p": package, "e": sit }),
            ImplementationManager,
        )
        .await;
    assert_eq!(
        at(&covered, "recordDeployment.deployment.withoutBooking"),
        false
    );
    let earlier = (now() - TimeDelta::days(1)).to_rfc3339();
    let uncovered = app
        .ok(
            record,
            json!({ "p": package, "e": sit, "at": earlier }),
            ImplementationManager,
        )
        .await;
    assert_eq!(
        at(&uncovered, "recordDeployment.deployment.withoutBooking"),
        true
    );
    let flagged = app
        .ok(
            "{ deployments(filter: {withoutBooking: true}) { totalCount nodes { id } } covered: deployments(filter: {withoutBooking: false}) { totalCount } }",
            json!({}),
            Viewer,
        )
        .await;
    assert_eq!(at(&flagged, "deployments.totalCount"), 1);
    assert_eq!(
        at(&flagged, "deployments.nodes.0.id"),
        at(&uncovered, "recordDeployment.deployment.id")
    );
    assert_eq!(at(&flagged, "covered.totalCount"), 1);

    // Idle: approved, in use, and nothing deployed there by the release.
    let idle = app
        .ok(
            "{ idleBookings(filter: {minAgeHours: 0}) { totalCount nodes { id environment { name } } } }",
            json!({}),
            Viewer,
        )
        .await;
    assert_eq!(at(&idle, "idleBookings.totalCount"), 1);
    assert_eq!(at(&idle, "idleBookings.nodes.0.id"), &json!(ids[1]));
    let young = app
        .ok("{ idleBookings { totalCount } }", json!({}), Viewer)
        .await;
    assert_eq!(
        at(&young, "idleBookings.totalCount"),
        0,
        "bookings younger than a day are not idle yet"
    );
}

async fn the_calendar_matrix_free_slots_and_utilization_answer_planners(app: TestApp) {
    let f = fixture(&app).await;
    let group = app
        .ok(
            "mutation { createEnvironmentGroup(input: {name: \"Acceptance\"}) { group { id } } }",
            json!({}),
            EnvironmentManager,
        )
        .await;
    let group = text(&group, "createEnvironmentGroup.group.id");
    let mut envs = Vec::new();
    for name in ["UAT1", "UAT2"] {
        let data = app
            .ok(
                "mutation($input: CreateEnvironmentInput!) { createEnvironment(input: $input) { environment { id } } }",
                json!({ "input": { "name": name, "tier": "UAT", "groupId": group } }),
                Admin,
            )
            .await;
        envs.push(text(&data, "createEnvironment.environment.id"));
    }
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let approved = request(
        &app,
        ProjectManager,
        &[&envs[0]],
        &f.release,
        2,
        10,
        json!({}),
    )
    .await;
    app.ok(
        APPROVE,
        json!({ "id": text(&approved[0], "id") }),
        EnvironmentManager,
    )
    .await;
    let requested = request(
        &app,
        ProjectManager,
        &[&envs[0]],
        &f.other_release,
        4,
        6,
        json!({}),
    )
    .await;
    let rejected = request(
        &app,
        ProjectManager,
        &[&sit],
        &f.other_release,
        0,
        4,
        json!({}),
    )
    .await;
    app.ok(
        REJECT,
        json!({ "id": text(&rejected[0], "id"), "c": "no" }),
        EnvironmentManager,
    )
    .await;
    app.ok(
        BLACKOUT,
        json!({ "input": { "name": "UAT2 refresh", "startsAt": hour(0), "endsAt": hour(3), "environmentIds": [envs[1]] } }),
        EnvironmentManager,
    )
    .await;

    let calendar = app
        .ok(
            "query($f: BookingCalendarFilter!) { bookingCalendar(filter: $f) { environment { name } bookings { status release { key } } blackouts { name } } }",
            json!({ "f": { "from": hour(0), "to": hour(24), "groupId": group } }),
            Viewer,
        )
        .await;
    assert_eq!(
        calendar["bookingCalendar"],
        json!([
            { "environment": { "name": "UAT1" }, "bookings": [{ "status": "APPROVED", "release": { "key": "PR-1" } }, { "status": "REQUESTED", "release": { "key": "PR-2" } }], "blackouts": [] },
            { "environment": { "name": "UAT2" }, "bookings": [], "blackouts": [{ "name": "UAT2 refresh" }] },
        ])
    );
    let by_release = app
        .ok(
            "query($f: BookingCalendarFilter!) { bookingCalendar(filter: $f) { environment { name } bookings { status } } }",
            json!({ "f": { "from": hour(0), "to": hour(24), "releaseId": f.other_release, "status": ["REQUESTED", "REJECTED"] } }),
            Viewer,
        )
        .await;
    assert_eq!(
        by_release["bookingCalendar"],
        json!([
            { "environment": { "name": "SIT1" }, "bookings": [{ "status": "REJECTED" }] },
            { "environment": { "name": "UAT1" }, "bookings": [{ "status": "REQUESTED" }] },
        ])
    );
    app.fails(
        "query($f: BookingCalendarFilter!) { bookingCalendar(filter: $f) { environment { name } } }",
        json!({ "f": { "from": hour(24), "to": hour(0) } }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;

    let matrix = app
        .ok(
            "query($f: BookingMatrixFilter!) { bookingMatrix(filter: $f) { environment { name } release { key } approved requested rejected } }",
            json!({ "f": { "from": hour(0), "to": hour(24) } }),
            Viewer,
        )
        .await;
    let mut cells: Vec<String> = matrix["bookingMatrix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}/{} a{} r{} x{}",
                c["environment"]["name"].as_str().unwrap(),
                c["release"]["key"].as_str().unwrap(),
                c["approved"],
                c["requested"],
                c["rejected"]
            )
        })
        .collect();
    cells.sort();
    assert_eq!(
        cells,
        [
            "SIT1/PR-2 a0 r0 x1",
            "UAT1/PR-1 a1 r0 x0",
            "UAT1/PR-2 a0 r1 x0"
        ]
    );

    // UAT1 is taken from +2h to +10h: an 8-hour slot from now starts when it ends; UAT2,
    // same tier and group, is free once its refresh is over.
    let slot = app
        .ok(
            "query($e: ID!, $n: DateTime) { nextFreeSlot(environmentId: $e, minutes: 480, notBefore: $n) { slot { environment { name } startsAt endsAt } alternatives { environment { name } startsAt } } }",
            json!({ "e": envs[0], "n": hour(0) }),
            Viewer,
        )
        .await;
    let answer = &slot["nextFreeSlot"];
    assert!(same_instant(&answer["slot"]["startsAt"], &hour(10)));
    assert!(same_instant(&answer["slot"]["endsAt"], &hour(18)));
    assert_eq!(answer["alternatives"].as_array().unwrap().len(), 1);
    assert_eq!(answer["alternatives"][0]["environment"]["name"], "UAT2");
    assert!(same_instant(
        &answer["alternatives"][0]["startsAt"],
        &hour(3)
    ));
    app.fails(
        "query($e: ID!) { nextFreeSlot(environmentId: $e, minutes: 1) { alternatives { startsAt } } }",
        json!({ "e": envs[0] }),
        Some(Viewer),
        "VALIDATION",
    )
    .await;

    let usage = app
        .ok(
            "query($f: UtilizationFilter!) { environmentUtilization(filter: $f) { environments { environment { name } bookedHours availableHours utilization bookings } groups { group { name } bookedHours availableHours utilization environments } releases { release { key } bookedHours bookings environments } } }",
            json!({ "f": { "from": hour(0), "to": hour(24), "groupId": group } }),
            Viewer,
        )
        .await;
    let report = &usage["environmentUtilization"];
    assert_eq!(
        report["environments"][0],
        json!({ "environment": { "name": "UAT1" }, "bookedHours": 8.0, "availableHours": 24.0, "utilization": 0.3333, "bookings": 1 })
    );
    assert_eq!(
        report["groups"],
        json!([{ "group": { "name": "Acceptance" }, "bookedHours": 8.0, "availableHours": 48.0, "utilization": 0.1667, "environments": 2 }])
    );
    assert_eq!(
        report["releases"],
        json!([{ "release": { "key": "PR-1" }, "bookedHours": 8.0, "bookings": 1, "environments": 1 }])
    );
    let _ = requested;
}

async fn booking_events_stream_to_subscribers(app: TestApp) {
    let f = fixture(&app).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    let uat = environment(&app, "UAT1", "UAT", 1).await;
    let mut client = app.ws_as(Viewer).await;
    client
        .send(json!({ "type": "subscribe", "id": "b", "payload": {
            "query": "subscription($e: ID) { bookingEvents(environmentId: $e) { action entityType environmentId releaseId booking { status } } }",
            "variables": { "e": sit },
        } }))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    request(&app, ProjectManager, &[&uat], &f.release, 0, 4, json!({})).await;
    let booked = request(&app, ProjectManager, &[&sit], &f.release, 0, 4, json!({})).await;
    let next = client.next_json().await;
    assert_eq!(
        next["payload"]["data"]["bookingEvents"],
        json!({ "action": "booking.request", "entityType": "Booking", "environmentId": sit, "releaseId": f.release, "booking": { "status": "REQUESTED" } }),
        "only SIT1's events: {next}"
    );
    app.ok(
        APPROVE,
        json!({ "id": text(&booked[0], "id") }),
        EnvironmentManager,
    )
    .await;
    let next = client.next_json().await;
    assert_eq!(
        next["payload"]["data"]["bookingEvents"]["action"],
        "booking.approve"
    );
    app.ok(
        "mutation($id: ID!) { updateEnvironment(input: {id: $id, status: DOWN}) { environment { id } } }",
        json!({ "id": sit }),
        EnvironmentManager,
    )
    .await;
    let next = client.next_json().await;
    assert_eq!(
        next["payload"]["data"]["bookingEvents"]["action"],
        "environment.statusChange"
    );
}

/// Nested booking fields load through DataLoaders: 5 or 40 bookings, the same statements.
async fn booking_lists_cost_the_same_statements_whatever_their_length(app: TestApp) {
    let f = fixture(&app).await;
    let dev = environment(&app, "DEV1", "DEV", 3).await;
    let sit = environment(&app, "SIT1", "SIT", 1).await;
    for n in 0..20 {
        request(
            &app,
            ProjectManager,
            &[&dev, &sit],
            &f.release,
            n * 2,
            n * 2 + 3,
            json!({ "waitlist": n % 2 == 0 }),
        )
        .await;
    }
    let query = "query($n: Int!) { bookings(first: $n) { nodes { id environment { name } release { key } phase { name } requestedBy { email } waitlistPosition conflicts { id release { key } } } } }";
    let (few, _) = app
        .statements_during(app.ok(query, json!({ "n": 5 }), Viewer))
        .await;
    let (many, data) = app
        .statements_during(app.ok(query, json!({ "n": 40 }), Viewer))
        .await;
    assert_eq!(data["bookings"]["nodes"].as_array().unwrap().len(), 40);
    assert_eq!(few, many);
}

both!(
    a_booking_is_requested_with_its_conflicts_then_decided,
    bad_requests_and_wrong_moves_get_coded_errors,
    roles_decide_who_may_request_decide_and_cancel,
    shared_environments_hold_capacity_concurrent_bookings,
    recurring_requests_expand_into_individual_checked_bookings,
    the_waitlist_offers_a_freed_slot_in_order,
    blackouts_refuse_bookings_and_go_lives_unless_overridden,
    deployments_without_booking_and_idle_bookings_are_reported,
    the_calendar_matrix_free_slots_and_utilization_answer_planners,
    booking_events_stream_to_subscribers,
    booking_lists_cost_the_same_statements_whatever_their_length
);

/// The race: 60 overlapping requests fired at once on one environment, then 60 approvals at
/// once; on an exclusive environment (capacity 1) and a shared one (capacity 2). Exactly
/// `capacity` end approved, every other approval gets CONFLICT, and no request or decision is
/// lost or half-written.
async fn concurrent_approvals_never_exceed_capacity(app: TestApp) {
    let app = std::sync::Arc::new(app);
    for (capacity, key) in [(1, "PR-ONE"), (2, "PR-TWO")] {
        race(&app, capacity, key).await;
    }
}

async fn race(app: &std::sync::Arc<TestApp>, capacity: usize, key: &str) {
    const N: usize = 60;
    let release = app.create_release(key, "PROJECT", None).await;
    let env = environment(app, &format!("PERF-{capacity}"), "PERF", capacity as i32).await;
    let requests = (0..N).map(|n| {
        let app = app.clone();
        let env = env.clone();
        let release = release.clone();
        async move {
            let answer = app
                .gql(
                    REQUEST,
                    json!({ "input": {
                        "environmentIds": [env], "releaseId": release, "purpose": format!("Load test {n}"),
                        "startsAt": hour(n as i64 % 3), "endsAt": hour(10),
                    } }),
                    Some(if n % 2 == 0 { ProjectManager } else { TestManager }),
                )
                .await;
            assert!(answer.get("errors").is_none(), "{answer}");
            text(&answer, "data.requestBookings.bookings.0.id")
        }
    });
    let ids: Vec<String> = futures_util::future::join_all(requests).await;
    assert_eq!(
        ids.iter().collect::<std::collections::HashSet<_>>().len(),
        N
    );

    let approvals = ids.iter().enumerate().map(|(n, id)| {
        let app = app.clone();
        let id = id.clone();
        async move {
            let role = if n % 2 == 0 {
                EnvironmentManager
            } else {
                Admin
            };
            app.gql(APPROVE, json!({ "id": id }), Some(role)).await
        }
    });
    let answers = futures_util::future::join_all(approvals).await;
    let mut approved = 0;
    let mut conflicts = 0;
    for answer in &answers {
        match answer["errors"][0]["extensions"]["code"].as_str() {
            None => {
                assert_eq!(
                    answer["data"]["approveBooking"]["booking"]["status"],
                    "APPROVED"
                );
                approved += 1;
            }
            Some("CONFLICT") => conflicts += 1,
            Some(other) => panic!("unexpected {other}: {answer}"),
        }
    }
    assert_eq!(
        (approved, conflicts),
        (capacity, N - capacity),
        "capacity {capacity}"
    );

    let stored = app
        .ok(
            "query($e: ID!) { all: bookings(filter: {environmentIds: [$e]}) { totalCount } approved: bookings(filter: {environmentIds: [$e], status: [APPROVED]}) { totalCount } requested: bookings(filter: {environmentIds: [$e], status: [REQUESTED]}) { totalCount } }",
            json!({ "e": env }),
            Viewer,
        )
        .await;
    assert_eq!(at(&stored, "all.totalCount"), N);
    assert_eq!(at(&stored, "approved.totalCount"), capacity);
    assert_eq!(at(&stored, "requested.totalCount"), N - capacity);
    let trail = app
        .ok(
            "query($r: ID!) { auditEvents(filter: {releaseId: $r}, first: 100) { nodes { action } } }",
            json!({ "r": release }),
            Admin,
        )
        .await;
    let count = |action: &str| {
        trail["auditEvents"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["action"] == action)
            .count()
    };
    assert_eq!(
        (count("booking.request"), count("booking.approve")),
        (N, capacity)
    );
}

// Enough pooled connections for every concurrent request to reach the row lock.
both_with!(
    concurrent_approvals_never_exceed_capacity,
    |s| s.db_max_connections = 32,
    concurrent_approvals_never_exceed_capacity
);
