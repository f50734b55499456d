//! Environment bookings: requests (several environments and weekly repeats at once), their
//! conflicts, approval against the environment's capacity, the waitlist and its offers.
//!
//! Capacity is decided inside the write transaction: on SQLite the transaction already holds
//! the one writer lock; on PostgreSQL the environment rows are locked (`SELECT … FOR UPDATE`)
//! before the overlapping bookings are read, so two approvals of one environment are decided
//! one after the other, whichever instance serves them.

pub mod blackout;
pub mod utilization;

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use entity::{BookingStatus, RaciRole, ReleaseStatus, booking, environment};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::governance::audit::Change;
use crate::domain::governance::notify::{self, Notice, kind};
use crate::domain::identity::Permission;
use crate::domain::ids::{BookingId, EnvironmentId, PhaseId, ReleaseId, TypedId, UserId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{
    Actor, DomainError, DomainResult, clock, release as releases, release::parts, validate,
};

/// How far in the past a booking may start (clock skew, a form filled in slowly).
const PAST_GRACE: TimeDelta = TimeDelta::minutes(5);
/// Longest single booking.
const MAX_DAYS: i64 = 366;
/// Most bookings one request may create (environments × occurrences).
const MAX_PER_REQUEST: usize = 200;

/// Statuses that hold a slot of the environment's capacity.
pub const HOLDING: [BookingStatus; 2] = [BookingStatus::Approved, BookingStatus::Offered];
/// Statuses of bookings still in play (listed as conflicts).
pub const OPEN: [BookingStatus; 4] = [
    BookingStatus::Requested,
    BookingStatus::Waitlisted,
    BookingStatus::Offered,
    BookingStatus::Approved,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
}

#[derive(Debug, Clone, Copy)]
pub struct Recurrence {
    pub frequency: Frequency,
    /// Occurrences in all, the first included.
    pub count: i32,
}

pub struct NewBookings {
    pub environment_ids: Vec<EnvironmentId>,
    pub release_id: ReleaseId,
    pub phase_id: Option<PhaseId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub purpose: String,
    pub recurrence: Option<Recurrence>,
    /// Put requests whose slot is full on the waitlist straight away.
    pub waitlist: bool,
    pub override_blackout_reason: Option<String>,
}

#[derive(Default)]
pub struct BookingPatch {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub purpose: Option<String>,
    pub phase_id: Option<Option<PhaseId>>,
}

#[derive(Default, Clone)]
pub struct BookingFilter {
    pub environment_ids: Vec<EnvironmentId>,
    pub group_id: Option<crate::domain::ids::EnvironmentGroupId>,
    pub release_id: Option<ReleaseId>,
    pub statuses: Vec<BookingStatus>,
    pub requested_by: Option<UserId>,
    /// Bookings ending after `from` …
    pub from: Option<DateTime<Utc>>,
    /// … and starting before `to`.
    pub to: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy)]
pub enum BookingOrder {
    StartsAt,
    CreatedAt,
}

fn sort_key(order: BookingOrder, descending: bool) -> SortKey<booking::Entity> {
    let (name, column, value): (_, _, fn(&booking::Model) -> SortValue) = match order {
        BookingOrder::StartsAt => ("startsAt", booking::Column::StartsAt, |m| {
            SortValue::Time(m.starts_at)
        }),
        BookingOrder::CreatedAt => ("createdAt", booking::Column::CreatedAt, |m| {
            SortValue::Time(m.created_at)
        }),
    };
    SortKey {
        name,
        column,
        id_column: booking::Column::Id,
        descending,
        value,
        id: |m| m.id,
    }
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: BookingId) -> DomainResult<booking::Model> {
    booking::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Booking", id))
}

pub fn select(filter: &BookingFilter) -> sea_orm::Select<booking::Entity> {
    let mut query = booking::Entity::find();
    if !filter.environment_ids.is_empty() {
        query = query.filter(
            booking::Column::EnvironmentId.is_in(
                filter
                    .environment_ids
                    .iter()
                    .map(|e| e.0)
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if let Some(group) = filter.group_id {
        query = query.filter(
            booking::Column::EnvironmentId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(environment::Column::Id)
                    .from(environment::Entity)
                    .and_where(environment::Column::GroupId.eq(group.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(release) = filter.release_id {
        query = query.filter(booking::Column::ReleaseId.eq(release.0));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(booking::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(user) = filter.requested_by {
        query = query.filter(booking::Column::RequestedBy.eq(user.0));
    }
    if let Some(from) = filter.from {
        query = query.filter(booking::Column::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(booking::Column::StartsAt.lt(to));
    }
    query
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &BookingFilter,
    order: BookingOrder,
    descending: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<booking::Model>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(DomainError::validation("to", "must be after from"));
    }
    paginate(
        conn,
        select(filter),
        &sort_key(order, descending),
        page,
        with_total,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Capacity

/// The most intervals covering one instant of `window` (intervals are half-open).
pub fn peak(
    intervals: &[(DateTime<Utc>, DateTime<Utc>)],
    window: (DateTime<Utc>, DateTime<Utc>),
) -> usize {
    let mut edges: Vec<(DateTime<Utc>, i32)> = Vec::with_capacity(intervals.len() * 2);
    for (start, end) in intervals {
        let start = (*start).max(window.0);
        let end = (*end).min(window.1);
        if start < end {
            edges.push((start, 1));
            edges.push((end, -1));
        }
    }
    // At the same instant an interval ending frees its slot before the next one takes it.
    edges.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut current: i32 = 0;
    let mut most: i32 = 0;
    for (_, delta) in edges {
        current += delta;
        most = most.max(current);
    }
    most.max(0) as usize
}

/// Bookings of the environment holding a slot (approved or offered) that overlap [start, end).
pub async fn holding_overlaps<C: ConnectionTrait>(
    conn: &C,
    environment_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    except: Option<Uuid>,
) -> DomainResult<Vec<booking::Model>> {
    let mut query = booking::Entity::find()
        .filter(booking::Column::EnvironmentId.eq(environment_id))
        .filter(booking::Column::Status.is_in(HOLDING))
        .filter(booking::Column::EndsAt.gt(start))
        .filter(booking::Column::StartsAt.lt(end));
    if let Some(id) = except {
        query = query.filter(booking::Column::Id.ne(id));
    }
    Ok(query
        .order_by_asc(booking::Column::StartsAt)
        .all(conn)
        .await?)
}

/// Whether one more booking over [start, end) fits next to `holders`.
pub fn fits(
    capacity: i32,
    holders: &[booking::Model],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> bool {
    let intervals: Vec<_> = holders.iter().map(|b| (b.starts_at, b.ends_at)).collect();
    peak(&intervals, (start, end)) < capacity.max(1) as usize
}

fn full(env: &environment::Model, holders: &[booking::Model]) -> DomainError {
    let named: Vec<String> = holders
        .iter()
        .map(|b| {
            format!(
                "{} ({}, {} – {})",
                BookingId(b.id),
                b.status,
                b.starts_at.format("%Y-%m-%d %H:%M"),
                b.ends_at.format("%Y-%m-%d %H:%M")
            )
        })
        .collect();
    DomainError::Conflict {
        message: format!(
            "{} is fully booked for that period (capacity {}): {}",
            env.name,
            env.capacity,
            named.join(", ")
        ),
        conflicting: holders.iter().map(|b| BookingId(b.id).encode()).collect(),
    }
}

/// Reads environments for a booking write; on PostgreSQL their rows stay locked until the
/// transaction ends (in id order, so two writers never wait on each other in a circle).
async fn lock_environments(tx: &WriteTx, ids: &[Uuid]) -> DomainResult<Vec<environment::Model>> {
    let mut query = environment::Entity::find()
        .filter(environment::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(environment::Column::Id);
    if tx.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let found = query.all(&**tx).await?;
    if let Some(missing) = ids.iter().find(|id| !found.iter().any(|e| e.id == **id)) {
        return Err(DomainError::not_found(
            "Environment",
            EnvironmentId(*missing),
        ));
    }
    Ok(found)
}

async fn lock_environment(tx: &WriteTx, id: Uuid) -> DomainResult<environment::Model> {
    lock_environments(tx, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DomainError::not_found("Environment", EnvironmentId(id)))
}

/// Reads a booking and locks its environment; the booking is read again after the lock so
/// its status is the one committed last.
async fn load_locked(
    tx: &WriteTx,
    id: BookingId,
) -> DomainResult<(booking::Model, environment::Model)> {
    let first = get(&**tx, id).await?;
    let env = lock_environment(tx, first.environment_id).await?;
    let booking = if tx.get_database_backend() == DbBackend::Postgres {
        get(&**tx, id).await?
    } else {
        first
    };
    Ok((booking, env))
}

// ---------------------------------------------------------------------------------------------
// Rules

fn check_period(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    start_changed: bool,
) -> DomainResult<()> {
    if end <= start {
        return Err(DomainError::validation("endsAt", "must be after startsAt"));
    }
    if start_changed && start < now - PAST_GRACE {
        return Err(DomainError::validation(
            "startsAt",
            "a booking cannot start in the past",
        ));
    }
    if end <= now {
        return Err(DomainError::validation(
            "endsAt",
            "a booking cannot end in the past",
        ));
    }
    if end - start > TimeDelta::days(MAX_DAYS) {
        return Err(DomainError::validation(
            "endsAt",
            format!("a booking can last at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

/// The requester, environment managers and admins may change or cancel a booking.
fn check_owner(actor: &Actor, booking: &booking::Model, what: &str) -> DomainResult<()> {
    let own = actor.user_id().is_some() && actor.user_id() == booking.requested_by;
    if own || Permission::DecideBookings.allows(&actor.roles) {
        Ok(())
    } else {
        Err(DomainError::forbidden(format!(
            "only the requester, an environment manager or an admin may {what} this booking"
        )))
    }
}

fn wrong_status(booking: &booking::Model, what: &str, allowed: &[BookingStatus]) -> DomainError {
    let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    DomainError::invalid_transition(format!(
        "booking {} is {}; only {} bookings can be {what}",
        BookingId(booking.id),
        booking.status,
        names.join(" or ")
    ))
}

async fn check_phase<C: ConnectionTrait>(
    conn: &C,
    release_id: Uuid,
    phase: Option<PhaseId>,
) -> DomainResult<Option<Uuid>> {
    let Some(phase) = phase else {
        return Ok(None);
    };
    let model = parts::get_phase(conn, phase).await?;
    if model.release_id != release_id {
        return Err(DomainError::validation(
            "phaseId",
            format!("phase {} belongs to another release", model.name),
        ));
    }
    Ok(Some(model.id))
}

/// Expands a (possibly recurring) period into its occurrences.
fn occurrences(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    recurrence: Option<Recurrence>,
) -> DomainResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let Some(recurrence) = recurrence else {
        return Ok(vec![(start, end)]);
    };
    if !(1..=104).contains(&recurrence.count) {
        return Err(DomainError::validation(
            "recurrence.count",
            "must be between 1 and 104",
        ));
    }
    let step = match recurrence.frequency {
        Frequency::Daily => TimeDelta::days(1),
        Frequency::Weekly => TimeDelta::weeks(1),
    };
    if end - start > step {
        return Err(DomainError::validation(
            "recurrence.frequency",
            "a repeating booking must be shorter than its repeat interval",
        ));
    }
    Ok((0..recurrence.count)
        .map(|n| (start + step * n, end + step * n))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Writes

/// Requests one booking per environment and occurrence, all or none. Each lists its
/// conflicts (see `conflicts_of`); a request whose slot is full joins the waitlist when asked.
pub async fn request(
    store: &Store,
    actor: &Actor,
    input: NewBookings,
) -> DomainResult<Vec<booking::Model>> {
    let purpose = validate::required("purpose", &input.purpose, 2000)?;
    let override_reason =
        blackout::override_reason(actor, input.override_blackout_reason.as_deref())?;
    let env_ids: Vec<Uuid> = {
        let mut seen = HashSet::new();
        input
            .environment_ids
            .iter()
            .map(|e| e.0)
            .filter(|e| seen.insert(*e))
            .collect()
    };
    if env_ids.is_empty() {
        return Err(DomainError::validation(
            "environmentIds",
            "name at least one environment",
        ));
    }
    let now = store.now();
    let (starts_at, ends_at) = (
        clock::truncate(input.starts_at),
        clock::truncate(input.ends_at),
    );
    check_period(starts_at, ends_at, now, true)?;
    let periods = occurrences(starts_at, ends_at, input.recurrence)?;
    if periods.len() * env_ids.len() > MAX_PER_REQUEST {
        return Err(DomainError::validation(
            "recurrence.count",
            format!(
                "one request creates at most {MAX_PER_REQUEST} bookings (environments × occurrences)"
            ),
        ));
    }
    let first = periods.first().map(|p| p.0).unwrap_or(starts_at);
    let last = periods.last().map(|p| p.1).unwrap_or(ends_at);

    let mut tx = store.write().await?;
    let release = releases::get(&*tx, input.release_id).await?;
    if matches!(
        release.status,
        ReleaseStatus::Cancelled | ReleaseStatus::Released
    ) {
        return Err(DomainError::validation(
            "releaseId",
            format!(
                "release {} is {} and needs no environment",
                release.key, release.status
            ),
        ));
    }
    let phase_id = check_phase(&*tx, release.id, input.phase_id).await?;
    let envs = lock_environments(&tx, &env_ids).await?;

    // Blackouts: every occurrence on every environment, refused together.
    let mut hits: Vec<blackout_hit::Hit> = Vec::new();
    for env in &envs {
        let blackouts = blackout::overlapping_environment(&*tx, env.id, first, last).await?;
        for b in blackouts {
            if periods
                .iter()
                .any(|(s, e)| b.starts_at < *e && b.ends_at > *s)
            {
                hits.push(blackout_hit::Hit {
                    blackout: b,
                    environment: env.name.clone(),
                });
            }
        }
    }
    if !hits.is_empty() && override_reason.is_none() {
        let names: Vec<&str> = hits.iter().map(|h| h.environment.as_str()).collect();
        let blackouts = blackout_hit::distinct(&hits);
        return Err(blackout::refusal(
            &format!("the booking of {}", names.join(", ")),
            &blackouts,
        ));
    }

    let series_id = (periods.len() > 1).then(new_uuid);
    let mut created = Vec::with_capacity(periods.len() * envs.len());
    for env in &envs {
        for (start, end) in &periods {
            let waitlisted = input.waitlist && {
                let holders = holding_overlaps(&*tx, env.id, *start, *end, None).await?;
                !fits(env.capacity, &holders, *start, *end)
            };
            let model = booking::ActiveModel {
                id: Set(new_uuid()),
                environment_id: Set(env.id),
                release_id: Set(release.id),
                phase_id: Set(phase_id),
                series_id: Set(series_id),
                purpose: Set(purpose.clone()),
                starts_at: Set(*start),
                ends_at: Set(*end),
                status: Set(if waitlisted {
                    BookingStatus::Waitlisted
                } else {
                    BookingStatus::Requested
                }),
                requested_by: Set(actor.user_id()),
                requested_by_name: Set(actor.name.clone()),
                decided_by: Set(None),
                decided_by_name: Set(None),
                decided_at: Set(None),
                decision_comment: Set(None),
                cancelled_at: Set(None),
                cancel_reason: Set(None),
                waitlisted_at: Set(waitlisted.then_some(now)),
                offered_at: Set(None),
                blackout_override: Set(if hits.is_empty() {
                    None
                } else {
                    override_reason.clone()
                }),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&*tx)
            .await?;
            tx.record(
                actor,
                Change::new("booking.request", "Booking", model.id)
                    .in_release(release.id)
                    .in_environment(model.environment_id)
                    .after(&model),
            )
            .await?;
            created.push(model);
        }
    }
    if let Some(reason) = &override_reason {
        let ids: Vec<String> = created.iter().map(|b| BookingId(b.id).encode()).collect();
        for b in blackout_hit::distinct(&hits) {
            blackout::record_override(
                &mut tx,
                actor,
                b,
                release.id,
                reason,
                serde_json::json!({ "bookings": ids }),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(created)
}

mod blackout_hit {
    use entity::blackout;

    pub struct Hit {
        pub blackout: blackout::Model,
        pub environment: String,
    }

    pub fn distinct(hits: &[Hit]) -> Vec<&blackout::Model> {
        let mut seen = std::collections::HashSet::new();
        hits.iter()
            .map(|h| &h.blackout)
            .filter(|b| seen.insert(b.id))
            .collect()
    }
}

/// Approves a booking if the environment has room for it over its whole period and no
/// blackout stands in the way (or the booking carries an override).
pub async fn approve(
    store: &Store,
    actor: &Actor,
    id: BookingId,
    comment: Option<String>,
    override_blackout_reason: Option<String>,
) -> DomainResult<booking::Model> {
    let comment = validate::optional("comment", comment.as_deref(), 2000)?;
    let override_reason = blackout::override_reason(actor, override_blackout_reason.as_deref())?;
    let mut tx = store.write().await?;
    let (before, env) = load_locked(&tx, id).await?;
    let decidable = [
        BookingStatus::Requested,
        BookingStatus::Waitlisted,
        BookingStatus::Offered,
    ];
    if !decidable.contains(&before.status) {
        return Err(wrong_status(&before, "approved", &decidable));
    }
    let now = store.now();
    if before.ends_at <= now {
        return Err(DomainError::invalid_transition(format!(
            "booking {} ended at {}; a past booking cannot be approved",
            BookingId(before.id),
            before.ends_at.to_rfc3339()
        )));
    }
    let blackouts =
        blackout::overlapping_environment(&*tx, env.id, before.starts_at, before.ends_at).await?;
    let mut overriding = None;
    if !blackouts.is_empty() && before.blackout_override.is_none() {
        match &override_reason {
            Some(reason) => overriding = Some(reason.clone()),
            None => {
                let all: Vec<&entity::blackout::Model> = blackouts.iter().collect();
                return Err(blackout::refusal(
                    &format!("the booking of {}", env.name),
                    &all,
                ));
            }
        }
    }
    let holders = holding_overlaps(
        &*tx,
        env.id,
        before.starts_at,
        before.ends_at,
        Some(before.id),
    )
    .await?;
    if !fits(env.capacity, &holders, before.starts_at, before.ends_at) {
        return Err(full(&env, &holders));
    }
    let mut active = before.clone().into_active_model();
    active.status = Set(BookingStatus::Approved);
    active.decided_by = Set(actor.user_id());
    active.decided_by_name = Set(Some(actor.name.clone()));
    active.decided_at = Set(Some(now));
    active.decision_comment = Set(comment);
    if overriding.is_some() {
        active.blackout_override = Set(overriding.clone());
    }
    active.updated_at = Set(now);
    let after = active.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("booking.approve", "Booking", after.id)
            .in_release(after.release_id)
            .in_environment(after.environment_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    if let Some(reason) = overriding {
        for b in &blackouts {
            blackout::record_override(
                &mut tx,
                actor,
                b,
                after.release_id,
                &reason,
                serde_json::json!({ "bookings": [BookingId(after.id).encode()] }),
            )
            .await?;
        }
    }
    tell_requester(&mut tx, &after, &env, Outcome::Approved).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn reject(
    store: &Store,
    actor: &Actor,
    id: BookingId,
    comment: &str,
) -> DomainResult<booking::Model> {
    let comment = validate::required("comment", comment, 2000)?;
    let mut tx = store.write().await?;
    let (before, env) = load_locked(&tx, id).await?;
    let decidable = [
        BookingStatus::Requested,
        BookingStatus::Waitlisted,
        BookingStatus::Offered,
    ];
    if !decidable.contains(&before.status) {
        return Err(wrong_status(&before, "rejected", &decidable));
    }
    let now = store.now();
    let mut active = before.clone().into_active_model();
    active.status = Set(BookingStatus::Rejected);
    active.decided_by = Set(actor.user_id());
    active.decided_by_name = Set(Some(actor.name.clone()));
    active.decided_at = Set(Some(now));
    active.decision_comment = Set(Some(comment));
    active.updated_at = Set(now);
    let after = active.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("booking.reject", "Booking", after.id)
            .in_release(after.release_id)
            .in_environment(after.environment_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    tell_requester(&mut tx, &after, &env, Outcome::Rejected).await?;
    if before.status == BookingStatus::Offered {
        offer_freed(&mut tx, actor, &env, before.starts_at, before.ends_at).await?;
    }
    tx.commit().await?;
    Ok(after)
}

pub async fn cancel(
    store: &Store,
    actor: &Actor,
    id: BookingId,
    reason: Option<String>,
) -> DomainResult<booking::Model> {
    let reason = validate::optional("reason", reason.as_deref(), 2000)?;
    let mut tx = store.write().await?;
    let (before, env) = load_locked(&tx, id).await?;
    check_owner(actor, &before, "cancel")?;
    if !OPEN.contains(&before.status) {
        return Err(wrong_status(&before, "cancelled", &OPEN));
    }
    let now = store.now();
    let mut active = before.clone().into_active_model();
    active.status = Set(BookingStatus::Cancelled);
    active.cancelled_at = Set(Some(now));
    active.cancel_reason = Set(reason);
    active.updated_at = Set(now);
    let after = active.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("booking.cancel", "Booking", after.id)
            .in_release(after.release_id)
            .in_environment(after.environment_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    if HOLDING.contains(&before.status) {
        offer_freed(&mut tx, actor, &env, before.starts_at, before.ends_at).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// Changes a booking's period, purpose or phase. An approved booking keeps its approval when
/// it still fits (shortening always does); the time it gives back is offered to the waitlist.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: BookingId,
    patch: BookingPatch,
) -> DomainResult<booking::Model> {
    let mut tx = store.write().await?;
    let (before, env) = load_locked(&tx, id).await?;
    check_owner(actor, &before, "change")?;
    if !OPEN.contains(&before.status) {
        return Err(wrong_status(&before, "changed", &OPEN));
    }
    let now = store.now();
    let starts_at = patch
        .starts_at
        .map(clock::truncate)
        .unwrap_or(before.starts_at);
    let ends_at = patch.ends_at.map(clock::truncate).unwrap_or(before.ends_at);
    let period_changed = starts_at != before.starts_at || ends_at != before.ends_at;
    let mut active = before.clone().into_active_model();
    if period_changed {
        check_period(starts_at, ends_at, now, starts_at != before.starts_at)?;
        let grows = starts_at < before.starts_at || ends_at > before.ends_at;
        if grows && before.blackout_override.is_none() {
            let blackouts =
                blackout::overlapping_environment(&*tx, env.id, starts_at, ends_at).await?;
            if !blackouts.is_empty() {
                let all: Vec<&entity::blackout::Model> = blackouts.iter().collect();
                return Err(blackout::refusal(
                    &format!("the booking of {}", env.name),
                    &all,
                ));
            }
        }
        if grows && HOLDING.contains(&before.status) {
            let holders =
                holding_overlaps(&*tx, env.id, starts_at, ends_at, Some(before.id)).await?;
            if !fits(env.capacity, &holders, starts_at, ends_at) {
                return Err(full(&env, &holders));
            }
        }
        active.starts_at = Set(starts_at);
        active.ends_at = Set(ends_at);
    }
    if let Some(purpose) = patch.purpose {
        active.purpose = Set(validate::required("purpose", &purpose, 2000)?);
    }
    if let Some(phase) = patch.phase_id {
        active.phase_id = Set(check_phase(&*tx, before.release_id, phase).await?);
    }
    active.updated_at = Set(now);
    let after = active.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("booking.update", "Booking", after.id)
            .in_release(after.release_id)
            .in_environment(after.environment_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    if period_changed && HOLDING.contains(&before.status) {
        offer_freed(&mut tx, actor, &env, before.starts_at, before.ends_at).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// Puts a requested booking whose slot is full on the waitlist.
pub async fn join_waitlist(
    store: &Store,
    actor: &Actor,
    id: BookingId,
) -> DomainResult<booking::Model> {
    let tx = store.write().await?;
    let (before, env) = load_locked(&tx, id).await?;
    check_owner(actor, &before, "waitlist")?;
    if before.status != BookingStatus::Requested {
        return Err(wrong_status(
            &before,
            "waitlisted",
            &[BookingStatus::Requested],
        ));
    }
    let holders = holding_overlaps(
        &*tx,
        env.id,
        before.starts_at,
        before.ends_at,
        Some(before.id),
    )
    .await?;
    if fits(env.capacity, &holders, before.starts_at, before.ends_at) {
        return Err(DomainError::invalid_transition(format!(
            "{} has room for booking {}: it can be approved as it is",
            env.name,
            BookingId(before.id)
        )));
    }
    let now = store.now();
    let mut active = before.clone().into_active_model();
    active.status = Set(BookingStatus::Waitlisted);
    active.waitlisted_at = Set(Some(now));
    active.updated_at = Set(now);
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("booking.waitlist", "Booking", after.id)
            .in_release(after.release_id)
            .in_environment(after.environment_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// After [start, end) of `env` freed up: offers the slot to waitlisted bookings overlapping
/// it, first come first served, as long as each one fits. An offer holds the slot (other
/// approvals count it) until an environment manager approves or rejects it, or the requester
/// cancels. Each offer is audited as `booking.offer`, naming the requester, for notifications.
async fn offer_freed(
    tx: &mut WriteTx,
    actor: &Actor,
    env: &environment::Model,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> DomainResult<()> {
    let now = tx.now();
    let waiting = booking::Entity::find()
        .filter(booking::Column::EnvironmentId.eq(env.id))
        .filter(booking::Column::Status.eq(BookingStatus::Waitlisted))
        .filter(booking::Column::EndsAt.gt(start.max(now)))
        .filter(booking::Column::StartsAt.lt(end))
        .order_by_asc(booking::Column::WaitlistedAt)
        .order_by_asc(booking::Column::Id)
        .all(&**tx)
        .await?;
    for candidate in waiting {
        let holders = holding_overlaps(
            &**tx,
            env.id,
            candidate.starts_at,
            candidate.ends_at,
            Some(candidate.id),
        )
        .await?;
        if !fits(
            env.capacity,
            &holders,
            candidate.starts_at,
            candidate.ends_at,
        ) {
            continue;
        }
        let mut active = candidate.clone().into_active_model();
        active.status = Set(BookingStatus::Offered);
        active.offered_at = Set(Some(now));
        active.updated_at = Set(now);
        let after = active.update(&**tx).await?;
        let mut snapshot = serde_json::to_value(&after).unwrap_or_default();
        snapshot["requester"] = serde_json::json!({
            "id": after.requested_by.map(|u| UserId(u).encode()),
            "name": after.requested_by_name,
        });
        snapshot["environment"] = serde_json::json!(env.name);
        let mut change = Change::new("booking.offer", "Booking", after.id)
            .in_release(after.release_id)
            .in_environment(after.environment_id)
            .before(&candidate);
        change.after = Some(snapshot);
        tx.record(actor, change).await?;
        tell_requester(tx, &after, env, Outcome::Offered).await?;
    }
    Ok(())
}

/// What became of a booking, for its requester.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Approved,
    Rejected,
    Offered,
}

/// Tells the requester (and the release's accountable, who answers for its environments) what
/// became of a booking, in the transaction of the decision.
async fn tell_requester(
    tx: &mut WriteTx,
    booking: &booking::Model,
    env: &environment::Model,
    outcome: Outcome,
) -> DomainResult<()> {
    let release = releases::get(&**tx, ReleaseId(booking.release_id)).await?;
    let mut audience = notify::release_audience(&**tx, &release, &[RaciRole::Accountable]).await?;
    if let Some(requester) = booking.requested_by
        && !audience.users.contains(&requester)
    {
        audience.users.push(requester);
    }
    let period = format!(
        "{} – {}",
        booking.starts_at.format("%Y-%m-%d %H:%M UTC"),
        booking.ends_at.format("%Y-%m-%d %H:%M UTC")
    );
    let comment = booking
        .decision_comment
        .as_deref()
        .map(|c| format!(" Comment: {c}"))
        .unwrap_or_default();
    let (kind, title, body, at) = match outcome {
        Outcome::Approved => (
            kind::BOOKING_APPROVED,
            format!("Booking of {} for {} approved", env.name, release.key),
            format!(
                "{} is booked for {} ({period}).{comment}",
                env.name, release.key
            ),
            booking.decided_at,
        ),
        Outcome::Rejected => (
            kind::BOOKING_REJECTED,
            format!("Booking of {} for {} rejected", env.name, release.key),
            format!(
                "The request for {} ({period}) was rejected.{comment}",
                env.name
            ),
            booking.decided_at,
        ),
        Outcome::Offered => (
            kind::BOOKING_OFFERED,
            format!("{} is free for {}", env.name, release.key),
            format!(
                "The waitlisted booking of {} ({period}) is offered its slot; an environment manager confirms it.",
                env.name
            ),
            booking.offered_at,
        ),
    };
    let notice = Notice {
        kind,
        title,
        body,
        subject_type: Some("Booking"),
        subject_id: Some(booking.id),
        release_id: Some(release.id),
        fact: format!(
            "{}:{}:{}",
            kind.to_ascii_lowercase(),
            booking.id,
            at.map(|t| t.timestamp_millis()).unwrap_or_default()
        ),
    };
    notify::send(tx, &audience, &notice).await?;
    Ok(())
}

/// Open environment bookings that would be in the way of deleting the environment.
pub async fn open_on_environment<C: ConnectionTrait>(
    conn: &C,
    environment_id: Uuid,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Uuid>> {
    Ok(booking::Entity::find()
        .select_only()
        .column(booking::Column::Id)
        .filter(booking::Column::EnvironmentId.eq(environment_id))
        .filter(booking::Column::Status.is_in(OPEN))
        .filter(booking::Column::EndsAt.gt(now))
        .limit(20)
        .into_tuple()
        .all(conn)
        .await?)
}

/// SQL condition (on a `deployment` row named `deployment`) that is true when the deploying
/// release — or the enterprise release it belongs to — held an approved booking of the
/// environment at the moment of the deployment. A booking approved then and cancelled later
/// still counts: it was held when the deployment happened.
pub const HELD_AT_DEPLOYMENT: &str = "EXISTS (SELECT 1 FROM booking b \
    WHERE b.environment_id = deployment.environment_id \
    AND (b.release_id = deployment.release_id \
         OR b.release_id = (SELECT r.parent_id FROM \"release\" r WHERE r.id = deployment.release_id)) \
    AND b.starts_at <= deployment.deployed_at AND b.ends_at > deployment.deployed_at \
    AND (b.status = 'APPROVED' \
         OR (b.status = 'CANCELLED' AND b.decided_at IS NOT NULL \
             AND b.decided_at <= deployment.deployed_at AND b.cancelled_at > deployment.deployed_at)))";

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::hours(hour)
    }

    #[test]
    fn peak_counts_concurrent_use_not_overlaps() {
        // Two bookings one after the other both overlap [0, 10) but never run together.
        let intervals = [(at(0), at(5)), (at(5), at(10))];
        assert_eq!(peak(&intervals, (at(0), at(10))), 1);
        let intervals = [(at(0), at(6)), (at(5), at(10)), (at(20), at(30))];
        assert_eq!(peak(&intervals, (at(0), at(10))), 2);
        assert_eq!(peak(&intervals, (at(6), at(10))), 1);
        assert_eq!(peak(&[], (at(0), at(1))), 0);
    }

    #[test]
    fn recurring_periods_expand_and_must_not_overlap_themselves() {
        let weekly = Some(Recurrence {
            frequency: Frequency::Weekly,
            count: 3,
        });
        let expanded = occurrences(at(0), at(8), weekly).unwrap_or_default();
        assert_eq!(expanded.len(), 3);
        assert_eq!(expanded[2].0, at(0) + TimeDelta::weeks(2));
        let daily = Some(Recurrence {
            frequency: Frequency::Daily,
            count: 2,
        });
        assert!(occurrences(at(0), at(30), daily).is_err());
        let none = Some(Recurrence {
            frequency: Frequency::Weekly,
            count: 0,
        });
        assert!(occurrences(at(0), at(1), none).is_err());
    }

    #[test]
    fn periods_must_be_ordered_and_ahead() {
        let now = at(100);
        assert!(check_period(at(101), at(102), now, true).is_ok());
        assert!(check_period(at(102), at(101), now, true).is_err());
        assert!(check_period(at(90), at(102), now, true).is_err());
        assert!(check_period(at(90), at(102), now, false).is_ok());
        assert!(check_period(at(90), at(95), now, false).is_err());
    }
}
