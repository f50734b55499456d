//! Demo bookings and blackouts: the year-end change freeze, an environment in maintenance,
//! bookings in use, an approved one ahead, a request that conflicts with it, and one waiting
//! on the waitlist. Safe to run again: bookings are found by environment, release and
//! purpose, blackouts by name.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::London;
use entity::{BookingStatus, blackout, booking, environment, phase};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{SeedReport, SeedResult, domain};
use crate::db::Store;
use crate::domain::blackout::{self as blackouts, NewBlackout};
use crate::domain::booking::{self as bookings, NewBookings};
use crate::domain::ids::{BookingId, EnvironmentId, PhaseId, ReleaseId};
use crate::domain::{Actor, clock, ids::new_uuid, release as releases};

pub const YEAR_END_FREEZE: &str = "Year-end change freeze";

type Period = (DateTime<Utc>, DateTime<Utc>);

/// The year-end freeze in force or next: 18 December to 4 January, London time.
fn year_end_freeze(today: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let year = if today.month() == 1 && today.day() < 4 {
        today.year() - 1
    } else {
        today.year()
    };
    let london = |y: i32, m: u32, d: u32| {
        London
            .with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    };
    (london(year, 12, 18), london(year + 1, 1, 4))
}

fn day_at(today: NaiveDate, offset: i64, hour: u32) -> DateTime<Utc> {
    (today + TimeDelta::days(offset))
        .and_hms_opt(hour, 0, 0)
        .unwrap_or_default()
        .and_utc()
}

/// Moves a period that would fall in the freeze to just after it (the demo runs any day).
fn clear_of(
    period: (DateTime<Utc>, DateTime<Utc>),
    freeze: (DateTime<Utc>, DateTime<Utc>),
) -> (DateTime<Utc>, DateTime<Utc>) {
    if period.0 < freeze.1 && period.1 > freeze.0 {
        let shift = freeze.1 - period.0 + TimeDelta::hours(8);
        (period.0 + shift, period.1 + shift)
    } else {
        period
    }
}

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
    let now = clock::now();
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

pub async fn seed(store: &Store, actor: &Actor, report: &mut SeedReport) -> SeedResult<()> {
    let today = Utc::now().date_naive();
    let freeze = year_end_freeze(today);

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
            (day_at(today, -1, 18), day_at(today, 5, 8)),
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
        (day_at(today, -30, 8), day_at(today, 9, 18)),
    )
    .await?;
    in_use(
        store,
        report,
        ("UAT2", "PR-3602", "UAT", "Early UAT dry run"),
        (day_at(today, -4, 8), day_at(today, 3, 18)),
    )
    .await?;
    // Ahead: UAT1 approved for PR-3602, PR-3603 asks for an overlapping slot (a conflict),
    // IR-NOTIFY-2.0 waits in line for it, PR-3656 asks for performance testing.
    let uat = clear_of((day_at(today, 2, 8), day_at(today, 12, 18)), freeze);
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
        (uat.0 + TimeDelta::days(6), uat.1 + TimeDelta::days(3)),
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
        (uat.0 + TimeDelta::days(1), uat.0 + TimeDelta::days(4)),
        Some(BookingStatus::Waitlisted),
    )
    .await?;
    let perf = clear_of((day_at(today, 35, 8), day_at(today, 40, 18)), freeze);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_freeze_runs_from_18_december_to_4_january_london_time() {
        let nov = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let (start, end) = year_end_freeze(nov);
        assert_eq!(start.to_rfc3339(), "2026-12-18T00:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2027-01-04T00:00:00+00:00");
        let new_year = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap_or_default();
        assert_eq!(year_end_freeze(new_year).0, start);
    }

    #[test]
    fn periods_in_the_freeze_move_after_it() {
        let nov = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let freeze = year_end_freeze(nov);
        let inside = (day_at(nov, 30, 8), day_at(nov, 32, 18));
        let moved = clear_of(inside, freeze);
        assert!(moved.0 >= freeze.1);
        assert_eq!(moved.1 - moved.0, inside.1 - inside.0);
        let before = (day_at(nov, 1, 8), day_at(nov, 2, 8));
        assert_eq!(clear_of(before, freeze), before);
    }
}
