//! What people ask of the booking calendar: the calendar itself, the environment × release
//! matrix, the next free slot (and alternatives), utilization, conflicts, waitlist positions,
//! and bookings against reality (deployments without a booking, idle bookings).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use entity::{BookingStatus, EnvironmentStatus, blackout, booking, deployment, environment};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Statement, Value,
};
use uuid::Uuid;

use crate::domain::booking::{HELD_AT_DEPLOYMENT, HOLDING, OPEN, fits};
use crate::domain::ids::{EnvironmentGroupId, EnvironmentId, ReleaseId};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{DomainError, DomainResult, booking::blackout as blackouts};

/// Longest range of the calendar, the matrix and utilization.
const MAX_RANGE_DAYS: i64 = 366;
/// Most bookings one calendar answers.
pub const MAX_CALENDAR: u64 = 5000;

/// Which environments a report covers: these, or a group's, or all of them.
#[derive(Default, Clone)]
pub struct Scope {
    pub environment_ids: Vec<EnvironmentId>,
    pub group_id: Option<EnvironmentGroupId>,
}

pub fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> DomainResult<()> {
    if to <= from {
        return Err(DomainError::validation("to", "must be after from"));
    }
    if to - from > TimeDelta::days(MAX_RANGE_DAYS) {
        return Err(DomainError::validation(
            "to",
            format!("the range covers at most {MAX_RANGE_DAYS} days"),
        ));
    }
    Ok(())
}

/// The environments of a scope, by name.
pub async fn environments_of<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
) -> DomainResult<Vec<environment::Model>> {
    let mut query = environment::Entity::find();
    if !scope.environment_ids.is_empty() {
        query = query.filter(
            environment::Column::Id.is_in(
                scope
                    .environment_ids
                    .iter()
                    .map(|e| e.0)
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if let Some(group) = scope.group_id {
        query = query.filter(environment::Column::GroupId.eq(group.0));
    }
    Ok(query
        .order_by_asc(environment::Column::Name)
        .all(conn)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Calendar

pub struct CalendarLane {
    pub environment: environment::Model,
    pub bookings: Vec<booking::Model>,
    pub blackouts: Vec<blackout::Model>,
}

/// The calendar of [from, to): per environment (of the scope, or those the release booked),
/// its bookings in the statuses asked for (open ones by default) and the blackouts on it.
pub async fn calendar<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    release: Option<ReleaseId>,
    statuses: &[BookingStatus],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<CalendarLane>> {
    check_range(from, to)?;
    let statuses: Vec<BookingStatus> = if statuses.is_empty() {
        OPEN.to_vec()
    } else {
        statuses.to_vec()
    };
    let envs = environments_of(conn, scope).await?;
    let env_ids: Vec<Uuid> = envs.iter().map(|e| e.id).collect();
    if env_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = booking::Entity::find()
        .filter(booking::Column::Status.is_in(statuses))
        .filter(booking::Column::EndsAt.gt(from))
        .filter(booking::Column::StartsAt.lt(to));
    let scoped = !scope.environment_ids.is_empty() || scope.group_id.is_some();
    if scoped {
        query = query.filter(booking::Column::EnvironmentId.is_in(env_ids.clone()));
    }
    if let Some(release) = release {
        query = query.filter(booking::Column::ReleaseId.eq(release.0));
    }
    let rows = query
        .order_by_asc(booking::Column::StartsAt)
        .order_by_asc(booking::Column::Id)
        .limit(MAX_CALENDAR + 1)
        .all(conn)
        .await?;
    if rows.len() as u64 > MAX_CALENDAR {
        return Err(DomainError::validation(
            "to",
            format!(
                "more than {MAX_CALENDAR} bookings in the range: narrow it or pick environments"
            ),
        ));
    }
    let mut by_env: HashMap<Uuid, Vec<booking::Model>> = HashMap::new();
    for row in rows {
        by_env.entry(row.environment_id).or_default().push(row);
    }
    let overlapping = blackouts::list(
        conn,
        &blackouts::BlackoutFilter {
            from: Some(from),
            to: Some(to),
            environment_id: None,
        },
    )
    .await?;
    let mut blackouts_by_env = blackouts::by_environment(conn, &overlapping, &env_ids).await?;
    Ok(envs
        .into_iter()
        .filter_map(|env| {
            let bookings = by_env.remove(&env.id).unwrap_or_default();
            // A release's calendar shows the environments it booked only.
            if release.is_some() && bookings.is_empty() {
                return None;
            }
            let blackouts = blackouts_by_env.remove(&env.id).unwrap_or_default();
            Some(CalendarLane {
                environment: env,
                bookings,
                blackouts,
            })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Environment × release matrix

#[derive(Debug, Default, Clone)]
pub struct MatrixCell {
    pub environment_id: Uuid,
    pub release_id: Uuid,
    pub counts: BTreeMap<BookingStatus, i64>,
}

/// Counts of bookings by status for every environment × release pair with bookings
/// overlapping [from, to).
pub async fn matrix<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    release_ids: &[ReleaseId],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Vec<MatrixCell>> {
    check_range(from, to)?;
    let mut query = booking::Entity::find()
        .select_only()
        .column(booking::Column::EnvironmentId)
        .column(booking::Column::ReleaseId)
        .column(booking::Column::Status)
        .column_as(
            sea_orm::sea_query::ExprTrait::count(Expr::col(booking::Column::Id)),
            "n",
        )
        .filter(booking::Column::EndsAt.gt(from))
        .filter(booking::Column::StartsAt.lt(to));
    if !scope.environment_ids.is_empty() || scope.group_id.is_some() {
        let envs: Vec<Uuid> = environments_of(conn, scope)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        query = query.filter(booking::Column::EnvironmentId.is_in(envs));
    }
    if !release_ids.is_empty() {
        query = query.filter(
            booking::Column::ReleaseId.is_in(release_ids.iter().map(|r| r.0).collect::<Vec<_>>()),
        );
    }
    let rows: Vec<(Uuid, Uuid, BookingStatus, i64)> = query
        .group_by(booking::Column::EnvironmentId)
        .group_by(booking::Column::ReleaseId)
        .group_by(booking::Column::Status)
        .into_tuple()
        .all(conn)
        .await?;
    let mut cells: BTreeMap<(Uuid, Uuid), MatrixCell> = BTreeMap::new();
    for (env, release, status, n) in rows {
        let cell = cells.entry((env, release)).or_insert_with(|| MatrixCell {
            environment_id: env,
            release_id: release,
            counts: BTreeMap::new(),
        });
        cell.counts.insert(status, n);
    }
    Ok(cells.into_values().collect())
}

// ---------------------------------------------------------------------------------------------
// Free slots

#[derive(Debug, Clone)]
pub struct FreeSlot {
    pub environment: environment::Model,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The earliest start in [not_before, not_before + horizon] where `length` fits: the
/// environment has room next to its approved and offered bookings and no blackout applies.
pub async fn next_free_slot<C: ConnectionTrait>(
    conn: &C,
    env: &environment::Model,
    length: TimeDelta,
    not_before: DateTime<Utc>,
    horizon: TimeDelta,
) -> DomainResult<Option<FreeSlot>> {
    let window_end = not_before + horizon + length;
    let holders: Vec<booking::Model> = booking::Entity::find()
        .filter(booking::Column::EnvironmentId.eq(env.id))
        .filter(booking::Column::Status.is_in(HOLDING))
        .filter(booking::Column::EndsAt.gt(not_before))
        .filter(booking::Column::StartsAt.lt(window_end))
        .order_by_asc(booking::Column::StartsAt)
        .all(conn)
        .await?;
    let closed = blackouts::overlapping_environment(conn, env.id, not_before, window_end).await?;
    let mut candidates: Vec<DateTime<Utc>> = std::iter::once(not_before)
        .chain(holders.iter().map(|b| b.ends_at))
        .chain(closed.iter().map(|b| b.ends_at))
        .filter(|t| *t >= not_before && *t <= not_before + horizon)
        .collect();
    candidates.sort();
    candidates.dedup();
    for start in candidates {
        let end = start + length;
        let blocked = closed
            .iter()
            .any(|b| b.starts_at < end && b.ends_at > start);
        if !blocked && fits(env.capacity, &holders, start, end) {
            return Ok(Some(FreeSlot {
                environment: env.clone(),
                starts_at: start,
                ends_at: end,
            }));
        }
    }
    Ok(None)
}

/// Other available environments of the same tier and group, each with its next free slot,
/// earliest first.
pub async fn alternatives<C: ConnectionTrait>(
    conn: &C,
    env: &environment::Model,
    length: TimeDelta,
    not_before: DateTime<Utc>,
    horizon: TimeDelta,
) -> DomainResult<Vec<FreeSlot>> {
    let mut query = environment::Entity::find()
        .filter(environment::Column::Id.ne(env.id))
        .filter(environment::Column::Tier.eq(env.tier))
        .filter(environment::Column::Status.eq(EnvironmentStatus::Available));
    query = match env.group_id {
        Some(group) => query.filter(environment::Column::GroupId.eq(group)),
        None => query.filter(environment::Column::GroupId.is_null()),
    };
    let others = query
        .order_by_asc(environment::Column::Name)
        .limit(20)
        .all(conn)
        .await?;
    let mut slots = Vec::new();
    for other in others {
        if let Some(slot) = next_free_slot(conn, &other, length, not_before, horizon).await? {
            slots.push(slot);
        }
    }
    slots.sort_by(|a, b| {
        a.starts_at
            .cmp(&b.starts_at)
            .then(a.environment.name.cmp(&b.environment.name))
    });
    Ok(slots)
}

// ---------------------------------------------------------------------------------------------
// Utilization

#[derive(Debug, Clone)]
pub struct EnvironmentUse {
    pub environment: environment::Model,
    pub booked_hours: f64,
    pub available_hours: f64,
    pub bookings: i64,
}

#[derive(Debug, Clone)]
pub struct GroupUse {
    pub group_id: Option<Uuid>,
    pub booked_hours: f64,
    pub available_hours: f64,
    pub environments: i64,
}

#[derive(Debug, Clone)]
pub struct ReleaseUse {
    pub release_id: Uuid,
    pub booked_hours: f64,
    pub bookings: i64,
    pub environments: i64,
}

pub struct Utilization {
    pub environments: Vec<EnvironmentUse>,
    pub groups: Vec<GroupUse>,
    pub releases: Vec<ReleaseUse>,
}

fn hours(delta: TimeDelta) -> f64 {
    delta.num_seconds() as f64 / 3600.0
}

/// Booked hours (approved bookings, clipped to [from, to)) against available hours (the
/// range's hours × capacity), per environment, per group and per release.
pub async fn utilization<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<Utilization> {
    check_range(from, to)?;
    let envs = environments_of(conn, scope).await?;
    let mut query = booking::Entity::find()
        .select_only()
        .column(booking::Column::EnvironmentId)
        .column(booking::Column::ReleaseId)
        .column(booking::Column::StartsAt)
        .column(booking::Column::EndsAt)
        .filter(booking::Column::Status.eq(BookingStatus::Approved))
        .filter(booking::Column::EndsAt.gt(from))
        .filter(booking::Column::StartsAt.lt(to));
    if !scope.environment_ids.is_empty() || scope.group_id.is_some() {
        query = query.filter(
            booking::Column::EnvironmentId.is_in(envs.iter().map(|e| e.id).collect::<Vec<_>>()),
        );
    }
    let rows: Vec<(Uuid, Uuid, DateTime<Utc>, DateTime<Utc>)> =
        query.into_tuple().all(conn).await?;
    let range_hours = hours(to - from);
    let mut booked: HashMap<Uuid, (f64, i64)> = HashMap::new();
    let mut releases: HashMap<Uuid, (f64, i64, std::collections::HashSet<Uuid>)> = HashMap::new();
    for (env, release, start, end) in rows {
        let h = hours(end.min(to) - start.max(from));
        let e = booked.entry(env).or_default();
        e.0 += h;
        e.1 += 1;
        let r = releases.entry(release).or_default();
        r.0 += h;
        r.1 += 1;
        r.2.insert(env);
    }
    let environments: Vec<EnvironmentUse> = envs
        .into_iter()
        .map(|env| {
            let (booked_hours, bookings) = booked.get(&env.id).copied().unwrap_or_default();
            EnvironmentUse {
                available_hours: range_hours * env.capacity.max(1) as f64,
                booked_hours,
                bookings,
                environment: env,
            }
        })
        .collect();
    let mut groups: BTreeMap<Option<Uuid>, GroupUse> = BTreeMap::new();
    for e in &environments {
        let g = groups.entry(e.environment.group_id).or_insert(GroupUse {
            group_id: e.environment.group_id,
            booked_hours: 0.0,
            available_hours: 0.0,
            environments: 0,
        });
        g.booked_hours += e.booked_hours;
        g.available_hours += e.available_hours;
        g.environments += 1;
    }
    let mut releases: Vec<ReleaseUse> = releases
        .into_iter()
        .map(|(release_id, (booked_hours, bookings, envs))| ReleaseUse {
            release_id,
            booked_hours,
            bookings,
            environments: envs.len() as i64,
        })
        .collect();
    releases.sort_by(|a, b| {
        b.booked_hours
            .partial_cmp(&a.booked_hours)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.release_id.cmp(&b.release_id))
    });
    Ok(Utilization {
        environments,
        groups: groups.into_values().collect(),
        releases,
    })
}

// ---------------------------------------------------------------------------------------------
// Bookings against reality

/// Approved bookings that started at least `min_age` ago, overlap [from, to), and saw no
/// deployment of their release (or of a project release of it) on their environment from
/// their start until now or their end.
pub async fn idle<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    release: Option<ReleaseId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    min_age: TimeDelta,
    page: &PageArgs,
    with_total: bool,
    now: DateTime<Utc>,
) -> DomainResult<Page<booking::Model>> {
    check_range(from, to)?;
    let mut query = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Approved))
        .filter(booking::Column::StartsAt.lte(now - min_age))
        .filter(booking::Column::EndsAt.gt(from))
        .filter(booking::Column::StartsAt.lt(to))
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM deployment d \
             WHERE d.environment_id = booking.environment_id \
             AND (d.release_id = booking.release_id \
                  OR d.release_id IN (SELECT r.id FROM \"release\" r WHERE r.parent_id = booking.release_id)) \
             AND d.deployed_at >= booking.starts_at AND d.deployed_at < booking.ends_at)",
        ));
    if !scope.environment_ids.is_empty() || scope.group_id.is_some() {
        let envs: Vec<Uuid> = environments_of(conn, scope)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        query = query.filter(booking::Column::EnvironmentId.is_in(envs));
    }
    if let Some(release) = release {
        query = query.filter(booking::Column::ReleaseId.eq(release.0));
    }
    let key = SortKey {
        name: "startsAt",
        column: booking::Column::StartsAt,
        id_column: booking::Column::Id,
        descending: false,
        value: |m: &booking::Model| SortValue::Time(m.starts_at),
        id: |m: &booking::Model| m.id,
    };
    paginate(conn, query, &key, page, with_total).await
}

/// Of the given deployments, those recorded where their release held no approved booking.
pub async fn deployments_without_booking<C: ConnectionTrait>(
    conn: &C,
    deployment_ids: &[Uuid],
) -> DomainResult<Vec<Uuid>> {
    if deployment_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(deployment::Entity::find()
        .select_only()
        .column(deployment::Column::Id)
        .filter(deployment::Column::Id.is_in(deployment_ids.to_vec()))
        .filter(Expr::cust(format!("NOT {HELD_AT_DEPLOYMENT}")))
        .into_tuple()
        .all(conn)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Conflicts and waitlist positions, for a batch of bookings at once (DataLoaders)

fn marks(backend: DbBackend, values: &mut Vec<Value>, ids: &[Uuid]) -> String {
    ids.iter()
        .map(|id| {
            values.push((*id).into());
            match backend {
                DbBackend::Postgres => format!("${}", values.len()),
                _ => "?".to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn mark(backend: DbBackend, values: &mut Vec<Value>, value: Value) -> String {
    values.push(value);
    match backend {
        DbBackend::Postgres => format!("${}", values.len()),
        _ => "?".to_owned(),
    }
}

#[derive(Debug, FromQueryResult)]
struct Pair {
    for_id: Uuid,
    other_id: Uuid,
}

/// For each open booking of `ids`, the other open bookings of its environment overlapping
/// it: (booking, conflicting booking) pairs, by the conflicting booking's start.
pub async fn conflict_pairs<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> DomainResult<Vec<(Uuid, Uuid)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = conn.get_database_backend();
    let mut values = Vec::new();
    let open: Vec<String> = OPEN
        .iter()
        .map(|s| mark(backend, &mut values, s.as_str().into()))
        .collect();
    let open_again: Vec<String> = OPEN
        .iter()
        .map(|s| mark(backend, &mut values, s.as_str().into()))
        .collect();
    let in_ids = marks(backend, &mut values, ids);
    let sql = format!(
        "SELECT b.id AS for_id, o.id AS other_id FROM booking b \
         JOIN booking o ON o.environment_id = b.environment_id AND o.id <> b.id \
           AND o.status IN ({}) AND o.starts_at < b.ends_at AND o.ends_at > b.starts_at \
         WHERE b.status IN ({}) AND b.id IN ({in_ids}) \
         ORDER BY o.starts_at, o.id",
        open.join(", "),
        open_again.join(", "),
    );
    let rows = Pair::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|p| (p.for_id, p.other_id)).collect())
}

#[derive(Debug, FromQueryResult)]
struct Position {
    id: Uuid,
    ahead: i64,
}

/// For each waitlisted booking of `ids`, its place in the line (1 = next): waitlisted
/// bookings of the same environment overlapping it that joined earlier come first.
pub async fn waitlist_positions<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> DomainResult<HashMap<Uuid, i32>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = conn.get_database_backend();
    let mut values = Vec::new();
    let w1 = mark(
        backend,
        &mut values,
        BookingStatus::Waitlisted.as_str().into(),
    );
    let w2 = mark(
        backend,
        &mut values,
        BookingStatus::Waitlisted.as_str().into(),
    );
    let in_ids = marks(backend, &mut values, ids);
    let sql = format!(
        "SELECT b.id AS id, (SELECT COUNT(*) FROM booking w \
            WHERE w.environment_id = b.environment_id AND w.status = {w1} \
              AND w.starts_at < b.ends_at AND w.ends_at > b.starts_at \
              AND (w.waitlisted_at < b.waitlisted_at \
                   OR (w.waitlisted_at = b.waitlisted_at AND w.id < b.id))) AS ahead \
         FROM booking b WHERE b.status = {w2} AND b.id IN ({in_ids})"
    );
    let rows = Position::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|p| (p.id, p.ahead as i32 + 1))
        .collect())
}
