//! The demo data loads on every day of the year and keeps what the README promises of it:
//! the UAT1 conflict, the waitlisted request, the idle UAT2 booking, the approved cut-over
//! runbook, gates that block, and nothing the rules would refuse (no go-live or booking request
//! in a blackout).
//!
//! The year is swept on in-memory SQLite stores, one per day, each with its clock set to that
//! day (at an hour that moves through the day, so every hour is tried); a sample of days
//! around the year end runs on PostgreSQL; two days are checked end to end through the API of
//! a server started with `--demo` and `HEATSHIELD_TODAY`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeDelta, Utc};
use entity::{BookingStatus, PlanMode, ReleaseStatus};
use heatshield::config::Settings;
use heatshield::db::Store;
use heatshield::domain::booking::utilization::{self, Scope};
use heatshield::domain::clock::Clock;
use heatshield::domain::governance::blockers::{self, BlockerKind};
use heatshield::domain::page::PageArgs;
use heatshield::seed::calendar::{CUT_OVER_HOURS, overlaps};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The instant the clock of day number `n` of the sweep is set to: that day at an hour and
/// minute that move on with `n`, so the sweep meets every hour (and the minutes around
/// midnight).
fn instant(day: NaiveDate, n: u32) -> DateTime<Utc> {
    day.and_hms_opt((n * 7) % 24, (n * 13) % 60, 0)
        .unwrap()
        .and_utc()
}

async fn seeded_store(url: String, at: DateTime<Utc>) -> Store {
    let mut settings = Settings::for_tests(url, std::env::temp_dir());
    // One connection: an in-memory SQLite database lives as long as its connection.
    settings.db_max_connections = 1;
    settings.clock = Clock::starting_at(at);
    let store = heatshield::startup::open_store(&settings, Arc::default())
        .await
        .expect("store");
    heatshield::seed::demo(&store, true)
        .await
        .unwrap_or_else(|e| panic!("seeding the demo on {at}: {e:#}"));
    store
}

/// What the README promises of the demo, checked on a seeded store; the broken promises.
async fn broken_promises(store: &Store) -> Vec<String> {
    let conn = store.conn();
    let now = store.now();
    let mut broken = Vec::new();

    let releases: HashMap<uuid::Uuid, entity::release::Model> = entity::release::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let key_of = |id: uuid::Uuid| releases.get(&id).map(|r| r.key.as_str()).unwrap_or("?");
    let environments: HashMap<uuid::Uuid, String> = entity::environment::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let blackouts = entity::blackout::Entity::find().all(conn).await.unwrap();
    let freeze = blackouts
        .iter()
        .find(|b| b.org_wide && b.name == "Year-end change freeze")
        .map(|b| (b.starts_at, b.ends_at));
    let Some(freeze) = freeze else {
        return vec!["there is no org-wide year-end freeze".into()];
    };

    // Go-lives ahead keep their cut-over window out of the freeze.
    for release in releases.values() {
        let ahead = !matches!(
            release.status,
            ReleaseStatus::Released | ReleaseStatus::Cancelled | ReleaseStatus::RolledBack
        ) && release.planned_go_live >= now.date_naive();
        let window =
            heatshield::domain::golive::plan::default_window_start(release.planned_go_live);
        if ahead && overlaps((window, window + TimeDelta::hours(CUT_OVER_HOURS)), freeze) {
            broken.push(format!(
                "{} goes live on {} in the freeze",
                release.key, release.planned_go_live
            ));
        }
    }
    // Dependencies never wait for a release that goes live later.
    for dependency in entity::release_dependency::Entity::find()
        .all(conn)
        .await
        .unwrap()
    {
        let (waiting, waited_for) = (
            &releases[&dependency.release_id],
            &releases[&dependency.depends_on_id],
        );
        if waited_for.planned_go_live > waiting.planned_go_live {
            broken.push(format!(
                "{} goes live before {}, which it waits for",
                waiting.key, waited_for.key
            ));
        }
    }

    let bookings = entity::booking::Entity::find().all(conn).await.unwrap();
    let find = |env: &str, release: &str, status: BookingStatus| {
        bookings.iter().find(|b| {
            environments[&b.environment_id] == env
                && key_of(b.release_id) == release
                && b.status == status
        })
    };
    let approved = find("UAT1", "PR-3602", BookingStatus::Approved);
    let conflicting = find("UAT1", "PR-3603", BookingStatus::Requested);
    let waitlisted = find("UAT1", "IR-NOTIFY-2.0", BookingStatus::Waitlisted);
    match (approved, conflicting, waitlisted) {
        (Some(a), Some(c), Some(w)) => {
            if !overlaps((a.starts_at, a.ends_at), (c.starts_at, c.ends_at)) {
                broken.push("PR-3603's UAT1 request does not conflict with PR-3602's".into());
            }
            if !overlaps((a.starts_at, a.ends_at), (w.starts_at, w.ends_at)) {
                broken.push("IR-NOTIFY-2.0 waits for a slot nobody holds".into());
            }
        }
        other => broken.push(format!(
            "UAT1: approved {}, conflicting request {}, waitlisted {}",
            other.0.is_some(),
            other.1.is_some(),
            other.2.is_some()
        )),
    }
    if find("PERF1", "PR-3656", BookingStatus::Requested).is_none() {
        broken.push("no PERF1 request of PR-3656".into());
    }
    match find("SIT1", "PR-3601", BookingStatus::Approved) {
        Some(b) if b.starts_at <= now && b.ends_at > now => {}
        _ => broken.push("SIT1 is not in use by PR-3601".into()),
    }
    // Requests made through the rules stay clear of the blackouts of their environment.
    for booking in bookings.iter().filter(|b| b.starts_at > now) {
        let hits = heatshield::domain::booking::blackout::overlapping_environment(
            conn,
            booking.environment_id,
            booking.starts_at,
            booking.ends_at,
        )
        .await
        .unwrap();
        if let Some(hit) = hits.first() {
            broken.push(format!(
                "the {} booking of {} ({} – {}) falls in blackout {}",
                environments[&booking.environment_id],
                key_of(booking.release_id),
                booking.starts_at,
                booking.ends_at,
                hit.name
            ));
        }
    }
    let idle = utilization::idle(
        conn,
        &Scope::default(),
        None,
        now - Duration::days(30),
        now,
        TimeDelta::hours(24),
        &PageArgs::default(),
        false,
        now,
    )
    .await
    .unwrap();
    if !idle.items.iter().any(|(_, b)| {
        environments[&b.environment_id] == "UAT2" && key_of(b.release_id) == "PR-3602"
    }) {
        broken.push("UAT2's booking by PR-3602 is not reported idle".into());
    }

    let plans = entity::deployment_plan::Entity::find()
        .filter(entity::deployment_plan::Column::Name.eq("ER-2026.12 production cut-over"))
        .all(conn)
        .await
        .unwrap();
    match plans.as_slice() {
        [plan] => {
            let activities = entity::activity::Entity::find()
                .filter(entity::activity::Column::PlanId.eq(plan.id))
                .count(conn)
                .await
                .unwrap();
            if plan.mode != PlanMode::Approved || activities != 13 {
                broken.push(format!(
                    "the cut-over runbook is {:?} with {activities} activities",
                    plan.mode
                ));
            }
            if overlaps((plan.window_start, plan.window_end), freeze) {
                broken.push("the cut-over window is in the freeze".into());
            }
        }
        _ => broken.push(format!("{} cut-over runbooks", plans.len())),
    }

    let mut gate_blockers = 0;
    for key in ["PR-3601", "PR-3602", "PR-3603"] {
        let release = releases.values().find(|r| r.key == key).unwrap();
        gate_blockers += blockers::for_release(conn, release, now)
            .await
            .unwrap()
            .iter()
            .filter(|b| {
                matches!(
                    b.kind,
                    BlockerKind::UnmetCriterion | BlockerKind::PendingApproval
                )
            })
            .count();
    }
    if gate_blockers == 0 {
        broken.push("no gate holds the December project releases back".into());
    }
    broken
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_loads_on_every_day_of_the_year_sqlite() {
    // A whole year that straddles two year ends, two days at a time (one per core).
    let first = date(2026, 6, 1);
    let days: Vec<(u32, NaiveDate)> = (0..366u32)
        .map(|n| (n, first + Duration::days(n as i64)))
        .collect();
    let mut failures = Vec::new();
    for pair in days.chunks(2) {
        let runs = pair.iter().map(|(n, day)| async move {
            let at = instant(*day, *n);
            let store = seeded_store("sqlite::memory:".into(), at).await;
            let broken = broken_promises(&store).await;
            store.conn().clone().close().await.ok();
            (at, broken)
        });
        for (at, broken) in futures_util::future::join_all(runs).await {
            if !broken.is_empty() {
                failures.push(format!("{at}: {}", broken.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_loads_around_the_year_end_postgres() {
    let Some(server) = postgres::server() else {
        return;
    };
    let mut failures = Vec::new();
    let days = [
        date(2026, 11, 28),
        date(2026, 12, 3),
        date(2026, 12, 5),
        date(2026, 12, 14),
        date(2026, 12, 17),
        date(2026, 12, 18),
        date(2026, 12, 20),
        date(2026, 12, 31),
        date(2027, 1, 3),
        date(2027, 1, 4),
    ];
    for (n, day) in days.into_iter().enumerate() {
        let database = server.create_database().await;
        let at = instant(day, n as u32 * 5);
        let store = seeded_store(database.url.clone(), at).await;
        let broken = broken_promises(&store).await;
        store.conn().clone().close().await.ok();
        database.drop_now().await;
        if !broken.is_empty() {
            failures.push(format!("{at}: {}", broken.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inside the freeze, through the API: the demo's requests wait after it, the releases in
/// flight show the freeze as a blocker, and the runbook is approved for after it.
async fn inside_the_freeze(app: TestApp) {
    let data = app
        .ok(
            r#"{
              bookings(first: 100, filter: {status: [REQUESTED, WAITLISTED, APPROVED]}) {
                nodes { status purpose startsAt environment { name } }
              }
              releaseByKey(key: "PR-3601") { blockers { kind description } }
              deploymentPlans(modes: [APPROVED]) { name mode windowStart }
            }"#,
            json!({}),
            Viewer,
        )
        .await;
    let bookings = data["bookings"]["nodes"].as_array().unwrap();
    let request = bookings
        .iter()
        .find(|b| b["purpose"] == "UAT of card controls")
        .expect("the conflicting request");
    assert_eq!(request["status"], "REQUESTED");
    assert!(
        text(request, "startsAt").as_str() >= "2027-01-04",
        "{request}"
    );
    let waiting = bookings
        .iter()
        .find(|b| b["purpose"] == "Notification templates sign-off")
        .expect("the waitlisted request");
    assert_eq!(waiting["status"], "WAITLISTED");
    let kinds: Vec<&str> = data["releaseByKey"]["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"BLACKOUT"), "{kinds:?}");
    assert!(kinds.contains(&"UNMET_CRITERION"), "{kinds:?}");
    let plan = &data["deploymentPlans"][0];
    assert_eq!(plan["name"], "ER-2026.12 production cut-over");
    assert!(text(plan, "windowStart").as_str() >= "2027-01-04", "{plan}");
}

both_with!(
    demo_inside_the_freeze,
    |settings: &mut Settings| {
        settings.demo = true;
        settings.clock =
            Clock::starting_at(date(2026, 12, 20).and_hms_opt(10, 0, 0).unwrap().and_utc());
    },
    inside_the_freeze
);
