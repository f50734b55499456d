//! Environment bookings: requests, decisions, the waitlist, and the answers built on them
//! (calendar, environment × release matrix, free slots, utilization, idle bookings).

pub mod blackout;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::TimeDelta;
use entity::booking;

use crate::domain::booking::utilization::{self as reports, Scope};
use crate::domain::booking::{
    self as bookings, BookingFilter as DomainFilter, BookingOrder, BookingPatch, Frequency,
    NewBookings, Recurrence,
};
use crate::domain::clock;
use crate::domain::identity::Permission;
use crate::domain::ids::*;
use crate::graphql::booking::blackout::Blackout;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{self, SortDirection};
use crate::graphql::environment::{Environment, EnvironmentGroup};
use crate::graphql::error::{DomainResultExt, GqlResult, internal, validation};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse, parse_all, parse_opt, to_id};
use crate::graphql::loaders::*;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::{Phase, Release};
use crate::graphql::scalars::DateTime;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::BookingStatus")]
/// REQUESTED → APPROVED | REJECTED, or CANCELLED. A request whose slot is full may wait
/// (WAITLISTED) and is OFFERED the slot, in order, when it frees up.
pub enum BookingStatus {
    Requested,
    Waitlisted,
    Offered,
    Approved,
    Rejected,
    Cancelled,
}

/// A request to use an environment for a period, for a release (and phase).
pub struct Booking(pub booking::Model);

#[Object]
impl Booking {
    pub async fn id(&self) -> ID {
        to_id(BookingId(self.0.id))
    }
    async fn status(&self) -> BookingStatus {
        self.0.status.into()
    }
    async fn purpose(&self) -> &str {
        &self.0.purpose
    }
    /// Start of the booked period (inclusive).
    async fn starts_at(&self) -> DateTime {
        self.0.starts_at.into()
    }
    /// End of the booked period (exclusive).
    async fn ends_at(&self) -> DateTime {
        self.0.ends_at.into()
    }
    async fn environment(&self, ctx: &Context<'_>) -> GqlResult<Option<Environment>> {
        Ok(ctx
            .loader()
            .load_one(EnvironmentById(self.0.environment_id))
            .await
            .map_err(internal)?
            .map(Environment))
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn phase(&self, ctx: &Context<'_>) -> GqlResult<Option<Phase>> {
        let Some(phase) = self.0.phase_id else {
            return Ok(None);
        };
        let phases =
            crate::graphql::release::load_list(ctx, PhasesOfRelease(self.0.release_id)).await?;
        Ok(phases.into_iter().find(|p| p.id == phase).map(Phase))
    }
    /// Who asked for it (null for API tokens and removed users; see requestedByName).
    async fn requested_by(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(user) = self.0.requested_by else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(user))
            .await
            .map_err(internal)?
            .map(User))
    }
    async fn requested_by_name(&self) -> &str {
        &self.0.requested_by_name
    }
    async fn requested_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// Who approved or rejected it.
    async fn decided_by_name(&self) -> Option<&str> {
        self.0.decided_by_name.as_deref()
    }
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// The approver's or rejecter's comment.
    async fn decision_comment(&self) -> Option<&str> {
        self.0.decision_comment.as_deref()
    }
    async fn cancelled_at(&self) -> Option<DateTime> {
        self.0.cancelled_at.map(Into::into)
    }
    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }
    /// When it joined the waitlist.
    async fn waitlisted_at(&self) -> Option<DateTime> {
        self.0.waitlisted_at.map(Into::into)
    }
    /// Its place in the line while WAITLISTED (1 = next to be offered the slot).
    async fn waitlist_position(&self, ctx: &Context<'_>) -> GqlResult<Option<i32>> {
        if self.0.status != entity::BookingStatus::Waitlisted {
            return Ok(None);
        }
        ctx.loader()
            .load_one(WaitlistPosition(self.0.id))
            .await
            .map_err(internal)
    }
    /// When the freed slot was offered to it.
    async fn offered_at(&self) -> Option<DateTime> {
        self.0.offered_at.map(Into::into)
    }
    /// The reason given for booking into a blackout, when one was overridden.
    async fn blackout_override_reason(&self) -> Option<&str> {
        self.0.blackout_override.as_deref()
    }
    /// True when it is one occurrence of a repeating request.
    async fn recurring(&self) -> bool {
        self.0.series_id.is_some()
    }
    /// Other open bookings of the environment overlapping this one (empty once it is closed).
    /// APPROVED and OFFERED ones hold the environment's capacity; REQUESTED and WAITLISTED
    /// ones compete for it.
    async fn conflicts(&self, ctx: &Context<'_>) -> GqlResult<Vec<Booking>> {
        Ok(
            crate::graphql::release::load_list(ctx, ConflictsOfBooking(self.0.id))
                .await?
                .into_iter()
                .map(Booking)
                .collect(),
        )
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

// ---------------------------------------------------------------------------------------------
// Queries

#[derive(InputObject, Default)]
pub struct BookingFilter {
    environment_ids: Option<Vec<ID>>,
    /// Bookings of the environments of this group.
    group_id: Option<ID>,
    release_id: Option<ID>,
    status: Option<Vec<BookingStatus>>,
    requested_by_id: Option<ID>,
    /// Only the caller's own requests.
    mine: Option<bool>,
    /// Bookings ending after this instant …
    from: Option<DateTime>,
    /// … and starting before this one.
    to: Option<DateTime>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum BookingOrderField {
    #[default]
    StartsAt,
    CreatedAt,
}

#[derive(InputObject, Default)]
pub struct BookingOrderBy {
    #[graphql(default)]
    field: BookingOrderField,
    #[graphql(default)]
    direction: SortDirection,
}

#[derive(InputObject)]
pub struct BookingCalendarFilter {
    from: DateTime,
    to: DateTime,
    environment_ids: Option<Vec<ID>>,
    group_id: Option<ID>,
    /// Only this release's bookings, on the environments it booked.
    release_id: Option<ID>,
    /// Default: the open ones (REQUESTED, WAITLISTED, OFFERED, APPROVED).
    status: Option<Vec<BookingStatus>>,
}

/// One environment's row of the calendar.
pub struct CalendarLane(reports::CalendarLane);

#[Object]
impl CalendarLane {
    async fn environment(&self) -> Environment {
        Environment(self.0.environment.clone())
    }
    /// Bookings overlapping the range, by start.
    async fn bookings(&self) -> Vec<Booking> {
        self.0.bookings.iter().cloned().map(Booking).collect()
    }
    /// Blackouts overlapping the range that apply to the environment.
    async fn blackouts(&self) -> Vec<Blackout> {
        self.0.blackouts.iter().cloned().map(Blackout).collect()
    }
}

#[derive(InputObject)]
pub struct BookingMatrixFilter {
    from: DateTime,
    to: DateTime,
    environment_ids: Option<Vec<ID>>,
    group_id: Option<ID>,
    release_ids: Option<Vec<ID>>,
}

/// Bookings of one release on one environment in the range, by status.
pub struct BookingMatrixCell(reports::MatrixCell);

impl BookingMatrixCell {
    fn count(&self, status: entity::BookingStatus) -> i32 {
        self.0.counts.get(&status).copied().unwrap_or_default() as i32
    }
}

#[Object]
impl BookingMatrixCell {
    async fn environment(&self, ctx: &Context<'_>) -> GqlResult<Option<Environment>> {
        Ok(ctx
            .loader()
            .load_one(EnvironmentById(self.0.environment_id))
            .await
            .map_err(internal)?
            .map(Environment))
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn approved(&self) -> i32 {
        self.count(entity::BookingStatus::Approved)
    }
    async fn requested(&self) -> i32 {
        self.count(entity::BookingStatus::Requested)
    }
    async fn waitlisted(&self) -> i32 {
        self.count(entity::BookingStatus::Waitlisted)
    }
    async fn offered(&self) -> i32 {
        self.count(entity::BookingStatus::Offered)
    }
    async fn rejected(&self) -> i32 {
        self.count(entity::BookingStatus::Rejected)
    }
    async fn cancelled(&self) -> i32 {
        self.count(entity::BookingStatus::Cancelled)
    }
}

/// A period an environment is free for.
#[derive(SimpleObject)]
pub struct FreeSlot {
    environment: Environment,
    starts_at: DateTime,
    ends_at: DateTime,
}

impl From<reports::FreeSlot> for FreeSlot {
    fn from(slot: reports::FreeSlot) -> Self {
        Self {
            environment: Environment(slot.environment),
            starts_at: slot.starts_at.into(),
            ends_at: slot.ends_at.into(),
        }
    }
}

/// The next free slot of an environment, and other environments of its tier and group with
/// theirs.
#[derive(SimpleObject)]
pub struct NextFreeSlot {
    /// Null when the environment has no room within the horizon.
    slot: Option<FreeSlot>,
    /// Available environments of the same tier and group, each with its next free slot,
    /// earliest first.
    alternatives: Vec<FreeSlot>,
}

#[derive(InputObject)]
pub struct UtilizationFilter {
    from: DateTime,
    to: DateTime,
    environment_ids: Option<Vec<ID>>,
    group_id: Option<ID>,
}

/// Use of one environment over the range.
pub struct EnvironmentUtilization(reports::EnvironmentUse);

fn ratio(booked: f64, available: f64) -> f64 {
    if available > 0.0 {
        ((booked / available) * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

fn round2(hours: f64) -> f64 {
    (hours * 100.0).round() / 100.0
}

#[Object]
impl EnvironmentUtilization {
    async fn environment(&self) -> Environment {
        Environment(self.0.environment.clone())
    }
    /// Hours of approved bookings inside the range (concurrent bookings add up).
    async fn booked_hours(&self) -> f64 {
        round2(self.0.booked_hours)
    }
    /// Hours of the range × the environment's capacity.
    async fn available_hours(&self) -> f64 {
        round2(self.0.available_hours)
    }
    /// bookedHours / availableHours, from 0 to 1.
    async fn utilization(&self) -> f64 {
        ratio(self.0.booked_hours, self.0.available_hours)
    }
    /// Approved bookings overlapping the range.
    async fn bookings(&self) -> i32 {
        self.0.bookings as i32
    }
}

/// Use of a group's environments over the range (null group: ungrouped environments).
pub struct GroupUtilization(reports::GroupUse);

#[Object]
impl GroupUtilization {
    async fn group(&self, ctx: &Context<'_>) -> GqlResult<Option<EnvironmentGroup>> {
        let Some(group) = self.0.group_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(EnvironmentGroupById(group))
            .await
            .map_err(internal)?
            .map(EnvironmentGroup))
    }
    async fn booked_hours(&self) -> f64 {
        round2(self.0.booked_hours)
    }
    async fn available_hours(&self) -> f64 {
        round2(self.0.available_hours)
    }
    async fn utilization(&self) -> f64 {
        ratio(self.0.booked_hours, self.0.available_hours)
    }
    async fn environments(&self) -> i32 {
        self.0.environments as i32
    }
}

/// Environment time a release holds over the range.
pub struct ReleaseUtilization(reports::ReleaseUse);

#[Object]
impl ReleaseUtilization {
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    /// Hours of its approved bookings inside the range, over all environments.
    async fn booked_hours(&self) -> f64 {
        round2(self.0.booked_hours)
    }
    async fn bookings(&self) -> i32 {
        self.0.bookings as i32
    }
    /// Distinct environments it booked.
    async fn environments(&self) -> i32 {
        self.0.environments as i32
    }
}

#[derive(SimpleObject)]
pub struct UtilizationReport {
    from: DateTime,
    to: DateTime,
    environments: Vec<EnvironmentUtilization>,
    groups: Vec<GroupUtilization>,
    /// Releases by booked hours, most first.
    releases: Vec<ReleaseUtilization>,
}

#[derive(InputObject, Default)]
pub struct IdleBookingsFilter {
    environment_ids: Option<Vec<ID>>,
    group_id: Option<ID>,
    release_id: Option<ID>,
    /// Default: 30 days ago.
    from: Option<DateTime>,
    /// Default: now.
    to: Option<DateTime>,
    /// Bookings younger than this are not idle yet. Default 24.
    min_age_hours: Option<i32>,
}

fn scope(environment_ids: Option<Vec<ID>>, group_id: Option<ID>) -> GqlResult<Scope> {
    Ok(Scope {
        environment_ids: parse_all(
            "filter.environmentIds",
            &environment_ids.unwrap_or_default(),
        )?,
        group_id: parse_opt("filter.groupId", group_id.as_ref())?,
    })
}

#[derive(Default)]
pub struct BookingQuery;

#[Object]
impl BookingQuery {
    /// Bookings, by start unless told otherwise.
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn bookings(
        &self,
        ctx: &Context<'_>,
        filter: Option<BookingFilter>,
        order_by: Option<BookingOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Booking>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let mut requested_by =
            parse_opt::<UserId>("filter.requestedById", filter.requested_by_id.as_ref())?;
        if filter.mine == Some(true) {
            requested_by = Some(UserId(
                ctx.viewer()
                    .user()
                    .map(|u| u.id)
                    .unwrap_or_else(uuid::Uuid::nil),
            ));
        }
        let domain_filter = DomainFilter {
            environment_ids: parse_all(
                "filter.environmentIds",
                &filter.environment_ids.unwrap_or_default(),
            )?,
            group_id: parse_opt("filter.groupId", filter.group_id.as_ref())?,
            release_id: parse_opt("filter.releaseId", filter.release_id.as_ref())?,
            statuses: enums::to_entity(filter.status),
            requested_by,
            from: filter.from.map(|t| t.0),
            to: filter.to.map(|t| t.0),
        };
        let field = match order.field {
            BookingOrderField::StartsAt => BookingOrder::StartsAt,
            BookingOrderField::CreatedAt => BookingOrder::CreatedAt,
        };
        let page = bookings::list(
            ctx.store().conn(),
            &domain_filter,
            field,
            order.direction.descending(),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Booking))
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn booking(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Booking> {
        let id = parse::<BookingId>("id", &id)?;
        bookings::get(ctx.store().conn(), id)
            .await
            .gql()
            .map(Booking)
    }

    /// The booking calendar of a range (at most 366 days), one lane per environment: by
    /// environments, a group, or a release (its booked environments only).
    #[graphql(guard = "Require(Permission::Read)")]
    async fn booking_calendar(
        &self,
        ctx: &Context<'_>,
        filter: BookingCalendarFilter,
    ) -> GqlResult<Vec<CalendarLane>> {
        let scope = scope(filter.environment_ids, filter.group_id)?;
        let release = parse_opt::<ReleaseId>("filter.releaseId", filter.release_id.as_ref())?;
        let lanes = reports::calendar(
            ctx.store().conn(),
            &scope,
            release,
            &enums::to_entity(filter.status),
            filter.from.0,
            filter.to.0,
        )
        .await
        .gql()?;
        Ok(lanes.into_iter().map(CalendarLane).collect())
    }

    /// The environment × release impact matrix: bookings overlapping the range per pair, by
    /// status.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn booking_matrix(
        &self,
        ctx: &Context<'_>,
        filter: BookingMatrixFilter,
    ) -> GqlResult<Vec<BookingMatrixCell>> {
        let scope = scope(filter.environment_ids, filter.group_id)?;
        let releases =
            parse_all::<ReleaseId>("filter.releaseIds", &filter.release_ids.unwrap_or_default())?;
        let cells = reports::matrix(
            ctx.store().conn(),
            &scope,
            &releases,
            filter.from.0,
            filter.to.0,
        )
        .await
        .gql()?;
        Ok(cells.into_iter().map(BookingMatrixCell).collect())
    }

    /// The earliest period of `minutes` from `notBefore` (default now) within `withinDays`
    /// (default 90) when the environment has room and no blackout applies; and the
    /// alternatives of the same tier and group.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn next_free_slot(
        &self,
        ctx: &Context<'_>,
        environment_id: ID,
        minutes: i32,
        not_before: Option<DateTime>,
        #[graphql(default = 90)] within_days: i32,
    ) -> GqlResult<NextFreeSlot> {
        let id = parse::<EnvironmentId>("environmentId", &environment_id)?;
        if !(15..=366 * 24 * 60).contains(&minutes) {
            return Err(validation(
                "minutes",
                "minutes: must be between 15 and 527040 (366 days)",
            ));
        }
        if !(1..=366).contains(&within_days) {
            return Err(validation(
                "withinDays",
                "withinDays: must be between 1 and 366",
            ));
        }
        let now = ctx.store().now();
        let not_before = not_before
            .map(|t| clock::truncate(t.0))
            .unwrap_or(now)
            .max(now);
        let length = TimeDelta::minutes(minutes as i64);
        let horizon = TimeDelta::days(within_days as i64);
        let conn = ctx.store().conn();
        let env = crate::domain::environment::get(conn, id).await.gql()?;
        let slot = reports::next_free_slot(conn, &env, length, not_before, horizon)
            .await
            .gql()?;
        let alternatives = reports::alternatives(conn, &env, length, not_before, horizon)
            .await
            .gql()?;
        Ok(NextFreeSlot {
            slot: slot.map(Into::into),
            alternatives: alternatives.into_iter().map(Into::into).collect(),
        })
    }

    /// Utilization over a range (at most 366 days): booked hours of approved bookings against
    /// available hours (range × capacity), per environment, group and release.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn environment_utilization(
        &self,
        ctx: &Context<'_>,
        filter: UtilizationFilter,
    ) -> GqlResult<UtilizationReport> {
        let scope = scope(filter.environment_ids, filter.group_id)?;
        let report = reports::utilization(ctx.store().conn(), &scope, filter.from.0, filter.to.0)
            .await
            .gql()?;
        Ok(UtilizationReport {
            from: filter.from,
            to: filter.to,
            environments: report
                .environments
                .into_iter()
                .map(EnvironmentUtilization)
                .collect(),
            groups: report.groups.into_iter().map(GroupUtilization).collect(),
            releases: report
                .releases
                .into_iter()
                .map(ReleaseUtilization)
                .collect(),
        })
    }

    /// Approved bookings in use for at least `minAgeHours` that saw no deployment of their
    /// release (or its project releases) on their environment: booked but idle.
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn idle_bookings(
        &self,
        ctx: &Context<'_>,
        filter: Option<IdleBookingsFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Booking>> {
        let filter = filter.unwrap_or_default();
        let scope = scope(filter.environment_ids, filter.group_id)?;
        let release = parse_opt::<ReleaseId>("filter.releaseId", filter.release_id.as_ref())?;
        let min_age = filter.min_age_hours.unwrap_or(24);
        if !(0..=24 * 366).contains(&min_age) {
            return Err(validation(
                "filter.minAgeHours",
                "filter.minAgeHours: must be between 0 and 8784",
            ));
        }
        let now = ctx.store().now();
        let to = filter.to.map(|t| t.0).unwrap_or(now);
        let from = filter.from.map(|t| t.0).unwrap_or(to - TimeDelta::days(30));
        let page = reports::idle(
            ctx.store().conn(),
            &scope,
            release,
            from,
            to,
            TimeDelta::hours(min_age as i64),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
            now,
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Booking))
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum RecurrenceFrequency {
    Daily,
    Weekly,
}

#[derive(InputObject)]
pub struct RecurrenceInput {
    #[graphql(default_with = "RecurrenceFrequency::Weekly")]
    frequency: RecurrenceFrequency,
    /// Occurrences in all, the first included (1–104).
    count: i32,
}

#[derive(InputObject)]
pub struct RequestBookingsInput {
    /// One booking is requested per environment (and occurrence).
    environment_ids: Vec<ID>,
    release_id: ID,
    phase_id: Option<ID>,
    starts_at: DateTime,
    ends_at: DateTime,
    purpose: String,
    /// Repeats the period; each occurrence becomes a booking of its own.
    recurrence: Option<RecurrenceInput>,
    /// Requests whose slot is already full join the waitlist at once.
    #[graphql(default)]
    waitlist: bool,
    /// Books into a blackout (roles allowed to override blackouts only); audited.
    override_blackout_reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct RequestBookingsPayload {
    /// The bookings created, by environment then start; each lists its conflicts.
    bookings: Vec<Booking>,
}

#[derive(InputObject)]
pub struct ApproveBookingInput {
    id: ID,
    comment: Option<String>,
    /// Approves into a blackout that began after the request (roles allowed to override).
    override_blackout_reason: Option<String>,
}

#[derive(InputObject)]
pub struct RejectBookingInput {
    id: ID,
    /// Why; shown to the requester.
    comment: String,
}

#[derive(InputObject)]
pub struct CancelBookingInput {
    id: ID,
    reason: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateBookingInput {
    id: ID,
    starts_at: Option<DateTime>,
    ends_at: Option<DateTime>,
    purpose: Option<String>,
    phase_id: MaybeUndefined<ID>,
}

#[derive(InputObject)]
pub struct WaitlistBookingInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct BookingPayload {
    booking: Booking,
}

#[derive(Default)]
pub struct BookingMutation;

#[Object]
impl BookingMutation {
    /// Requests environments for a period, for a release (and phase).
    #[graphql(guard = "Require(Permission::RequestBookings)")]
    async fn request_bookings(
        &self,
        ctx: &Context<'_>,
        input: RequestBookingsInput,
    ) -> GqlResult<RequestBookingsPayload> {
        let created = bookings::request(
            ctx.store(),
            &ctx.actor(),
            NewBookings {
                environment_ids: parse_all("environmentIds", &input.environment_ids)?,
                release_id: parse("releaseId", &input.release_id)?,
                phase_id: parse_opt("phaseId", input.phase_id.as_ref())?,
                starts_at: input.starts_at.0,
                ends_at: input.ends_at.0,
                purpose: input.purpose,
                recurrence: input.recurrence.map(|r| Recurrence {
                    frequency: match r.frequency {
                        RecurrenceFrequency::Daily => Frequency::Daily,
                        RecurrenceFrequency::Weekly => Frequency::Weekly,
                    },
                    count: r.count,
                }),
                waitlist: input.waitlist,
                override_blackout_reason: input.override_blackout_reason,
            },
        )
        .await
        .gql()?;
        Ok(RequestBookingsPayload {
            bookings: created.into_iter().map(Booking).collect(),
        })
    }

    /// Approves a booking; CONFLICT (naming the bookings in the way) when the environment
    /// has no room left for its period.
    #[graphql(guard = "Require(Permission::DecideBookings)")]
    async fn approve_booking(
        &self,
        ctx: &Context<'_>,
        input: ApproveBookingInput,
    ) -> GqlResult<BookingPayload> {
        let id = parse::<BookingId>("id", &input.id)?;
        let model = bookings::approve(
            ctx.store(),
            &ctx.actor(),
            id,
            input.comment,
            input.override_blackout_reason,
        )
        .await
        .gql()?;
        Ok(BookingPayload {
            booking: Booking(model),
        })
    }

    #[graphql(guard = "Require(Permission::DecideBookings)")]
    async fn reject_booking(
        &self,
        ctx: &Context<'_>,
        input: RejectBookingInput,
    ) -> GqlResult<BookingPayload> {
        let id = parse::<BookingId>("id", &input.id)?;
        let model = bookings::reject(ctx.store(), &ctx.actor(), id, &input.comment)
            .await
            .gql()?;
        Ok(BookingPayload {
            booking: Booking(model),
        })
    }

    /// Cancels a booking (the requester, environment managers and admins). The freed slot
    /// is offered to the waitlist.
    #[graphql(guard = "Require(Permission::RequestBookings)")]
    async fn cancel_booking(
        &self,
        ctx: &Context<'_>,
        input: CancelBookingInput,
    ) -> GqlResult<BookingPayload> {
        let id = parse::<BookingId>("id", &input.id)?;
        let model = bookings::cancel(ctx.store(), &ctx.actor(), id, input.reason)
            .await
            .gql()?;
        Ok(BookingPayload {
            booking: Booking(model),
        })
    }

    /// Changes a booking's period, purpose or phase (the requester, environment managers and
    /// admins). An approved booking stays approved if it still fits; time given back is
    /// offered to the waitlist.
    #[graphql(guard = "Require(Permission::RequestBookings)")]
    async fn update_booking(
        &self,
        ctx: &Context<'_>,
        input: UpdateBookingInput,
    ) -> GqlResult<BookingPayload> {
        let id = parse::<BookingId>("id", &input.id)?;
        let phase_id = match input.phase_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(phase) => Some(Some(parse("phaseId", &phase)?)),
        };
        let model = bookings::update(
            ctx.store(),
            &ctx.actor(),
            id,
            BookingPatch {
                starts_at: input.starts_at.map(|t| t.0),
                ends_at: input.ends_at.map(|t| t.0),
                purpose: input.purpose,
                phase_id,
            },
        )
        .await
        .gql()?;
        Ok(BookingPayload {
            booking: Booking(model),
        })
    }

    /// Puts a requested booking whose slot is full on the waitlist for it.
    #[graphql(guard = "Require(Permission::RequestBookings)")]
    async fn waitlist_booking(
        &self,
        ctx: &Context<'_>,
        input: WaitlistBookingInput,
    ) -> GqlResult<BookingPayload> {
        let id = parse::<BookingId>("id", &input.id)?;
        let model = bookings::join_waitlist(ctx.store(), &ctx.actor(), id)
            .await
            .gql()?;
        Ok(BookingPayload {
            booking: Booking(model),
        })
    }
}
