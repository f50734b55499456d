//! Demo bookings and blackouts: the year-end change freeze, an environment in maintenance,
//! bookings in use, an approved one ahead, a request that conflicts with it, and one waiting
//! on the waitlist. Safe to run again: bookings are found by environment, release and
//! purpose, blackouts by name.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{BookingStatus, blackout, booking, environment, phase};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::calendar::{Calendar, Period};
use super::{SeedReport, SeedResult, domain};
use crate::db::Store;
use crate::domain::booking::blackout::{self as blackouts, NewBlackout};
use crate::domain::booking::{self as bookings, NewBookings};
use crate::domain::ids::{BookingId, EnvironmentId, PhaseId, ReleaseId};
use crate::domain::{Actor, ids::new_uuid, release as releases};

pub const YEAR_END_FREEZE: &str = "Year-end change freeze";

struct Ids {
    environment: uuid::Uuid,
    release: uuid::Uuid,
    phase: Option<uuid::Uuid>,
}

async fn ids(store: &Store, env: &str, release: &str, phase: &str) -> SeedResult<Option<Ids>> {
    let Some(env) = environment::Entity::find()
        .filter(environment::Column::Name.eq(env))
        .one(store.conn())
        .await?
    else {
        return Ok(None);
    };
    let Some(release) = releases::find_by_key(store.conn(), release)
        .await
        .map_err(domain)?
    else {
        return Ok(None);
    };
    let phase = phase::Entity::find()
        .filter(phase::Column::ReleaseId.eq(release.id))
        .filter(phase::Column::Name.eq(phase))
        .one(store.conn())
        .await?
        .map(|p| p.id);
    Ok(Some(Ids {
        environment: env.id,
        release: release.id,
        phase,
    }))
}

async fn exists(store: &Store, ids: &Ids, purpose: &str) -> SeedResult<bool> {
    Ok(booking::Entity::find()
        .filter(booking::Column::EnvironmentId.eq(ids.environment))
        .filter(booking::Column::ReleaseId.eq(ids.release))
        .filter(booking::Column::Purpose.eq(purpose))
        .count(store.conn())
        .await?
        > 0)
}

/// A booking that has been in use since before the seeding day: history, written directly.
async fn in_use(
    store: &Store,
    report: &mut SeedReport,
    (env, release, phase, purpose): (&str, &str, &str, &str),
    period: (DateTime<Utc>, DateTime<Utc>),
) -> SeedResult<()> {
    let Some(ids) = ids(store, env, release, phase).await? else {
        return Ok(());
    };
    if exists(store, &ids, purpose).await? {
        report.existing += 1;
        return Ok(());
    }
    let now = store.now();
    let tx = store.write().await?;
    booking::ActiveModel {
        id: Set(new_uuid()),
        environment_id: Set(ids.environment),
        release_id: Set(ids.release),
        phase_id: Set(ids.phase),
        series_id: Set(None),
        purpose: Set(purpose.to_owned()),
        starts_at: Set(period.0),
        ends_at: Set(period.1),
        status: Set(BookingStatus::Approved),
        requested_by: Set(None),
        requested_by_name: Set("Pete Project".into()),
        decided_by: Set(None),
        decided_by_name: Set(Some("Eric Environments".into())),
        decided_at: Set(Some(period.0 - TimeDelta::days(3))),
        decision_comment: Set(Some("Approved at the weekly environment board".into())),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        waitlisted_at: Set(None),
        offered_at: Set(None),
        blackout_override: Set(None),
        created_at: Set(period.0 - TimeDelta::days(7)),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit().await?;
    report.created += 1;
    Ok(())
}

/// A booking made through the rules (request, then approval when asked).
async fn through_the_rules(
    store: &Store,
    actor: &Actor,
    report: &mut SeedReport,
    (env, release, phase, purpose): (&str, &str, &str, &str),
    period: (DateTime<Utc>, DateTime<Utc>),
    then: Option<BookingStatus>,
) -> SeedResult<()> {
    let Some(ids) = ids(store, env, release, phase).await? else {
        return Ok(());
    };
    if exists(store, &ids, purpose).await? {
        report.existing += 1;
        return Ok(());
    }
    let created = bookings::request(
        store,
        actor,
        NewBookings {
            environment_ids: vec![EnvironmentId(ids.environment)],
            release_id: ReleaseId(ids.release),
            phase_id: ids.phase.map(PhaseId),
            starts_at: period.0,
            ends_at: period.1,
            purpose: purpose.to_owned(),
            recurrence: None,
            waitlist: then == Some(BookingStatus::Waitlisted),
            override_blackout_reason: None,
        },
    )
    .await
    .map_err(domain)?;
    report.created += created.len();
    if then == Some(BookingStatus::Approved) {
        for booking in created {
            bookings::approve(
                store,
                actor,
                BookingId(booking.id),
                Some("Approved at the weekly environment board".into()),
                None,
            )
            .await
            .map_err(domain)?;
        }
    }
    Ok(())
}

pub async fn seed(
    store: &Store,
    actor: &Actor,
    report: &mut SeedReport,
    calendar: &Calendar,
) -> SeedResult<()> {
    let freeze = calendar.freeze;

    // Blackouts.
    let specs: [(&str, &str, Period, &[&str]); 2] = [
        (
            YEAR_END_FREEZE,
            "No production changes and no new environment bookings over the holidays.",
            freeze,
            &[],
        ),
        (
            "SIT2 Oracle patching",
            "SIT2 is rebuilt on the new Oracle patch set.",
            (calendar.at(-1, 18), calendar.at(5, 8)),
            &["SIT2"],
        ),
    ];
    for (name, description, period, envs) in specs {
        let exists = blackout::Entity::find()
            .filter(blackout::Column::Name.eq(name))
            .count(store.conn())
            .await?
            > 0;
        if exists {
            report.existing += 1;
            continue;
        }
        let mut environment_ids = Vec::new();
        for env in envs {
            if let Some(model) = environment::Entity::find()
                .filter(environment::Column::Name.eq(*env))
                .one(store.conn())
                .await?
            {
                environment_ids.push(EnvironmentId(model.id));
            }
        }
        blackouts::create(
            store,
            actor,
            NewBlackout {
                name: name.to_owned(),
                description: Some(description.to_owned()),
                starts_at: period.0,
                ends_at: period.1,
                time_zone: "Europe/London".into(),
                environment_ids,
                system_ids: Vec::new(),
            },
        )
        .await
        .map_err(domain)?;
        report.created += 1;
    }

    // In use now: SIT1 covers PR-3601's SIT deployments; UAT2 sits idle.
    in_use(
        store,
        report,
        (
            "SIT1",
            "PR-3601",
            "SIT",
            "SIT of the instant payments adapter",
        ),
        (calendar.at(-30, 8), calendar.at(9, 18)),
    )
    .await?;
    in_use(
        store,
        report,
        ("UAT2", "PR-3602", "UAT", "Early UAT dry run"),
        (calendar.at(-4, 8), calendar.at(3, 18)),
    )
    .await?;
    // Ahead: UAT1 approved for PR-3602, PR-3603 asks for an overlapping slot (a conflict),
    // IR-NOTIFY-2.0 waits in line for it, PR-3656 asks for performance testing.
    // The three UAT1 periods move together, so the conflict and the waitlist hold.
    let uat = (calendar.at(2, 8), calendar.at(12, 18));
    let [uat, card_controls, notify] = calendar.clear([
        uat,
        (uat.0 + TimeDelta::days(6), uat.1 + TimeDelta::days(3)),
        (uat.0 + TimeDelta::days(1), uat.0 + TimeDelta::days(4)),
    ]);
    through_the_rules(
        store,
        actor,
        report,
        (
            "UAT1",
            "PR-3602",
            "UAT",
            "Business UAT with the lending team",
        ),
        uat,
        Some(BookingStatus::Approved),
    )
    .await?;
    through_the_rules(
        store,
        actor,
        report,
        ("UAT1", "PR-3603", "UAT", "UAT of card controls"),
        card_controls,
        None,
    )
    .await?;
    through_the_rules(
        store,
        actor,
        report,
        (
            "UAT1",
            "IR-NOTIFY-2.0",
            "UAT",
            "Notification templates sign-off",
        ),
        notify,
        Some(BookingStatus::Waitlisted),
    )
    .await?;
    let [perf] = calendar.clear([(calendar.at(35, 8), calendar.at(40, 18))]);
    through_the_rules(
        store,
        actor,
        report,
        ("PERF1", "PR-3656", "SIT", "Peak-load test of SEPA instant"),
        perf,
        None,
    )
    .await?;
    Ok(())
}
