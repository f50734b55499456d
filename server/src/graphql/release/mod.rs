//! Releases and what they are made of.

pub mod package;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{milestone, phase, release, release_dependency, release_impact};

use crate::domain::identity::Permission;
use crate::domain::ids::*;
use crate::domain::release::{
    self as releases, NewRelease, ReleaseFilter as DomainFilter, ReleaseOrder, ReleasePatch,
};
use crate::domain::{release::parts, release::transitions};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{
    self, ImpactKind, ReleaseKind, ReleaseStatus, RiskLevel, SortDirection,
};
use crate::graphql::environment::system::{DeletePayload, System};
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse, parse_opt, to_id};
use crate::graphql::loaders::*;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::package::Package;
use crate::graphql::scalars::{Date, DateTime};

/// A release: a planned delivery of change, from draft to go-live.
pub struct Release(pub release::Model);

async fn releases_by_ids(ctx: &Context<'_>, ids: Vec<uuid::Uuid>) -> GqlResult<Vec<Release>> {
    let keys: Vec<ReleaseById> = ids.into_iter().map(ReleaseById).collect();
    let mut found = ctx
        .loader()
        .load_many(keys.clone())
        .await
        .map_err(internal)?;
    Ok(keys
        .iter()
        .filter_map(|k| found.remove(k))
        .map(Release)
        .collect())
}

#[Object]
impl Release {
    pub async fn id(&self) -> ID {
        to_id(ReleaseId(self.0.id))
    }
    /// Unique human key, e.g. `ER-2027.03` or `PR-3656`.
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn kind(&self) -> ReleaseKind {
        self.0.kind.into()
    }
    async fn status(&self) -> ReleaseStatus {
        self.0.status.into()
    }
    async fn risk(&self) -> RiskLevel {
        self.0.risk.into()
    }
    async fn planned_start(&self) -> Date {
        self.0.planned_start.into()
    }
    async fn planned_go_live(&self) -> Date {
        self.0.planned_go_live.into()
    }
    /// When work started (set on the move to IN_PROGRESS).
    async fn actual_start(&self) -> Option<DateTime> {
        self.0.actual_start.map(Into::into)
    }
    /// When it went live (set on the move to RELEASED).
    async fn actual_go_live(&self) -> Option<DateTime> {
        self.0.actual_go_live.map(Into::into)
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// Statuses the release may move to next.
    async fn allowed_transitions(&self) -> Vec<ReleaseStatus> {
        transitions::next_statuses(self.0.status)
            .iter()
            .map(|s| (*s).into())
            .collect()
    }
    /// The enterprise release this project release belongs to.
    async fn parent(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(ReleaseById(parent))
            .await
            .map_err(internal)?
            .map(Release))
    }
    /// Project releases grouped by this enterprise release, by planned go-live.
    async fn children(&self, ctx: &Context<'_>) -> GqlResult<Vec<Release>> {
        Ok(load_list(ctx, ChildReleases(self.0.id))
            .await?
            .into_iter()
            .map(Release)
            .collect())
    }
    async fn owner(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(owner) = self.0.owner_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(owner))
            .await
            .map_err(internal)?
            .map(User))
    }
    /// Phases in order.
    async fn phases(&self, ctx: &Context<'_>) -> GqlResult<Vec<Phase>> {
        Ok(load_list(ctx, PhasesOfRelease(self.0.id))
            .await?
            .into_iter()
            .map(Phase)
            .collect())
    }
    /// Milestones by planned date.
    async fn milestones(&self, ctx: &Context<'_>) -> GqlResult<Vec<Milestone>> {
        Ok(load_list(ctx, MilestonesOfRelease(self.0.id))
            .await?
            .into_iter()
            .map(Milestone)
            .collect())
    }
    /// Systems the release changes or must re-verify.
    async fn impacts(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReleaseImpact>> {
        Ok(load_list(ctx, ImpactsOfRelease(self.0.id))
            .await?
            .into_iter()
            .map(ReleaseImpact)
            .collect())
    }
    /// The dependency links of this release (what it waits for).
    async fn dependencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReleaseDependency>> {
        Ok(load_list(ctx, DependenciesOfRelease(self.0.id))
            .await?
            .into_iter()
            .map(ReleaseDependency)
            .collect())
    }
    /// Releases this release waits for.
    async fn depends_on(&self, ctx: &Context<'_>) -> GqlResult<Vec<Release>> {
        let links = load_list(ctx, DependenciesOfRelease(self.0.id)).await?;
        releases_by_ids(ctx, links.iter().map(|l| l.depends_on_id).collect()).await
    }
    /// Releases that wait for this one.
    async fn dependents(&self, ctx: &Context<'_>) -> GqlResult<Vec<Release>> {
        let links = load_list(ctx, DependentsOfRelease(self.0.id)).await?;
        releases_by_ids(ctx, links.iter().map(|l| l.release_id).collect()).await
    }
    /// Packages of change in this release.
    async fn packages(&self, ctx: &Context<'_>) -> GqlResult<Vec<Package>> {
        Ok(load_list(ctx, PackagesOfRelease(self.0.id))
            .await?
            .into_iter()
            .map(Package)
            .collect())
    }
    /// The phase the release is in (started, not ended).
    async fn current_phase(&self, ctx: &Context<'_>) -> GqlResult<Option<Phase>> {
        let phases = load_list(ctx, PhasesOfRelease(self.0.id)).await?;
        Ok(crate::domain::release::progress::current(&phases)
            .cloned()
            .map(Phase))
    }
    /// Gates of all phases.
    async fn gates(&self, ctx: &Context<'_>) -> GqlResult<Vec<crate::graphql::governance::Gate>> {
        crate::graphql::governance::release_gates(ctx, self.0.id).await
    }
    /// Stakeholders of the release.
    async fn raci(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::governance::RaciAssignment>> {
        crate::graphql::governance::release_raci(ctx, self.0.id).await
    }
    /// Everything that stops the release from advancing or going live now.
    async fn blockers(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::governance::Blocker>> {
        crate::graphql::governance::release_blockers(ctx, &self.0).await
    }
    /// Phases, milestones and go-live: planned, actual, slip.
    async fn planned_vs_actual(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::governance::PlannedVsActual>> {
        crate::graphql::governance::release_planned_vs_actual(ctx, &self.0).await
    }
    /// Deployment plans (runbooks) of the release.
    async fn deployment_plans(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::golive::plan::DeploymentPlan>> {
        crate::graphql::golive::plan::release_plans(ctx, self.0.id).await
    }
}

/// Loads a list-valued key; a missing entry is an empty list.
pub async fn load_list<K, V>(ctx: &Context<'_>, key: K) -> GqlResult<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: async_graphql::dataloader::Loader<K, Value = Vec<V>, Error = LoadError>,
    V: Send + Sync + Clone + 'static,
{
    Ok(ctx
        .loader()
        .load_one(key)
        .await
        .map_err(internal)?
        .unwrap_or_default())
}

/// A period of a release (Planning, Build, SIT, UAT, Pre-prod, Go-live…).
pub struct Phase(pub phase::Model);

#[Object]
impl Phase {
    pub async fn id(&self) -> ID {
        to_id(PhaseId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 1-based order inside the release.
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn planned_start(&self) -> Date {
        self.0.planned_start.into()
    }
    async fn planned_end(&self) -> Date {
        self.0.planned_end.into()
    }
    async fn actual_start(&self) -> Option<DateTime> {
        self.0.actual_start.map(Into::into)
    }
    async fn actual_end(&self) -> Option<DateTime> {
        self.0.actual_end.map(Into::into)
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    /// Gates at the exit of this phase.
    async fn gates(&self, ctx: &Context<'_>) -> GqlResult<Vec<crate::graphql::governance::Gate>> {
        crate::graphql::governance::phase_gates(ctx, self.0.id).await
    }
}

/// A dated point of a release, planned and (once reached) actual.
pub struct Milestone(pub milestone::Model);

#[Object]
impl Milestone {
    pub async fn id(&self) -> ID {
        to_id(MilestoneId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn planned_date(&self) -> Date {
        self.0.planned_date.into()
    }
    /// When it was reached; null while open.
    async fn actual_at(&self) -> Option<DateTime> {
        self.0.actual_at.map(Into::into)
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
}

/// A release × system link.
pub struct ReleaseImpact(pub release_impact::Model);

#[Object]
impl ReleaseImpact {
    pub async fn id(&self) -> ID {
        to_id(ReleaseImpactId(self.0.id))
    }
    async fn kind(&self) -> ImpactKind {
        self.0.kind.into()
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn system(&self, ctx: &Context<'_>) -> GqlResult<Option<System>> {
        Ok(ctx
            .loader()
            .load_one(SystemById(self.0.system_id))
            .await
            .map_err(internal)?
            .map(System))
    }
}

/// "`release` cannot go live before `dependsOn`."
pub struct ReleaseDependency(pub release_dependency::Model);

#[Object]
impl ReleaseDependency {
    pub async fn id(&self) -> ID {
        to_id(ReleaseDependencyId(self.0.id))
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn depends_on(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.depends_on_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

// ---------------------------------------------------------------------------------------------
// Queries

#[derive(InputObject, Default)]
pub struct ReleaseFilter {
    status: Option<Vec<ReleaseStatus>>,
    kind: Option<Vec<ReleaseKind>>,
    risk: Option<Vec<RiskLevel>>,
    /// Project releases of this enterprise release.
    parent_id: Option<ID>,
    /// true: only releases without a parent; false: only those with one.
    top_level: Option<bool>,
    /// Releases that impact this system.
    system_id: Option<ID>,
    owner_id: Option<ID>,
    /// Case-insensitive match on key or name.
    search: Option<String>,
    /// Releases whose planned window (start to go-live) overlaps [plannedFrom, plannedTo].
    planned_from: Option<Date>,
    planned_to: Option<Date>,
}

impl ReleaseFilter {
    fn into_domain(self) -> GqlResult<DomainFilter> {
        Ok(DomainFilter {
            statuses: enums::to_entity(self.status),
            kinds: enums::to_entity(self.kind),
            risks: enums::to_entity(self.risk),
            parent_id: parse_opt("filter.parentId", self.parent_id.as_ref())?,
            top_level: self.top_level,
            system_id: parse_opt("filter.systemId", self.system_id.as_ref())?,
            owner_id: parse_opt("filter.ownerId", self.owner_id.as_ref())?,
            search: self.search,
            window_from: self.planned_from.map(|d| d.0),
            window_to: self.planned_to.map(|d| d.0),
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum ReleaseOrderField {
    #[default]
    PlannedGoLive,
    PlannedStart,
    Key,
    Name,
    CreatedAt,
}

#[derive(InputObject, Default)]
pub struct ReleaseOrderBy {
    #[graphql(default)]
    field: ReleaseOrderField,
    #[graphql(default)]
    direction: SortDirection,
}

#[derive(Default)]
pub struct ReleaseQuery;

#[Object]
impl ReleaseQuery {
    /// Releases, filtered and ordered (by planned go-live unless told otherwise).
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        filter: Option<ReleaseFilter>,
        order_by: Option<ReleaseOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Release>> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let order = order_by.unwrap_or_default();
        let field = match order.field {
            ReleaseOrderField::PlannedGoLive => ReleaseOrder::PlannedGoLive,
            ReleaseOrderField::PlannedStart => ReleaseOrder::PlannedStart,
            ReleaseOrderField::Key => ReleaseOrder::Key,
            ReleaseOrderField::Name => ReleaseOrder::Name,
            ReleaseOrderField::CreatedAt => ReleaseOrder::CreatedAt,
        };
        let page = releases::list(
            ctx.store().conn(),
            &filter,
            field,
            order.direction.descending(),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Release))
    }

    /// One release by id.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn release(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Release> {
        let id = parse::<ReleaseId>("id", &id)?;
        releases::get(ctx.store().conn(), id)
            .await
            .gql()
            .map(Release)
    }

    /// One release by its key; null when there is none.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn release_by_key(&self, ctx: &Context<'_>, key: String) -> GqlResult<Option<Release>> {
        Ok(releases::find_by_key(ctx.store().conn(), &key)
            .await
            .gql()?
            .map(Release))
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations

#[derive(InputObject)]
pub struct CreateReleaseInput {
    key: String,
    name: String,
    description: Option<String>,
    kind: ReleaseKind,
    #[graphql(default_with = "RiskLevel::Medium")]
    risk: RiskLevel,
    /// The enterprise release a PROJECT release belongs to.
    parent_id: Option<ID>,
    /// Defaults to the caller.
    owner_id: Option<ID>,
    planned_start: Date,
    planned_go_live: Date,
}

#[derive(InputObject)]
pub struct UpdateReleaseInput {
    id: ID,
    key: Option<String>,
    name: Option<String>,
    description: MaybeUndefined<String>,
    kind: Option<ReleaseKind>,
    risk: Option<RiskLevel>,
    parent_id: MaybeUndefined<ID>,
    owner_id: MaybeUndefined<ID>,
    planned_start: Option<Date>,
    planned_go_live: Option<Date>,
}

#[derive(InputObject)]
pub struct DeleteReleaseInput {
    id: ID,
}

#[derive(InputObject)]
pub struct TransitionReleaseInput {
    id: ID,
    to: ReleaseStatus,
    /// Required for CANCELLED and ROLLED_BACK; kept in the audit trail.
    reason: Option<String>,
    /// Takes the release to GO_LIVE or RELEASED during a blackout (roles allowed to override
    /// blackouts only); audited as `blackout.override`.
    override_blackout_reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReleasePayload {
    release: Release,
}

impl ReleasePayload {
    pub fn new(release: Release) -> Self {
        Self { release }
    }
}

fn maybe_id<T: TypedId>(field: &str, value: MaybeUndefined<ID>) -> GqlResult<Option<Option<T>>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(id) => Ok(Some(Some(parse(field, &id)?))),
    }
}

#[derive(Default)]
pub struct ReleaseMutation;

#[Object]
impl ReleaseMutation {
    /// Creates a release in DRAFT.
    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn create_release(
        &self,
        ctx: &Context<'_>,
        input: CreateReleaseInput,
    ) -> GqlResult<ReleasePayload> {
        let model = releases::create(
            ctx.store(),
            &ctx.actor(),
            NewRelease {
                key: input.key,
                name: input.name,
                description: input.description,
                kind: input.kind.into(),
                risk: input.risk.into(),
                parent_id: parse_opt("parentId", input.parent_id.as_ref())?,
                owner_id: parse_opt("ownerId", input.owner_id.as_ref())?,
                planned_start: input.planned_start.0,
                planned_go_live: input.planned_go_live.0,
            },
        )
        .await
        .gql()?;
        Ok(ReleasePayload {
            release: Release(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn update_release(
        &self,
        ctx: &Context<'_>,
        input: UpdateReleaseInput,
    ) -> GqlResult<ReleasePayload> {
        let id = parse::<ReleaseId>("id", &input.id)?;
        let patch = ReleasePatch {
            key: input.key,
            name: input.name,
            description: input.description.into(),
            kind: input.kind.map(Into::into),
            risk: input.risk.map(Into::into),
            parent_id: maybe_id("parentId", input.parent_id)?,
            owner_id: maybe_id("ownerId", input.owner_id)?,
            planned_start: input.planned_start.map(|d| d.0),
            planned_go_live: input.planned_go_live.map(|d| d.0),
        };
        let model = releases::update(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(ReleasePayload {
            release: Release(model),
        })
    }

    /// Deletes a release that has not started (DRAFT, PLANNED or CANCELLED) with its parts.
    #[graphql(guard = "Require(Permission::ControlReleases)")]
    async fn delete_release(
        &self,
        ctx: &Context<'_>,
        input: DeleteReleaseInput,
    ) -> GqlResult<DeletePayload> {
        let id = parse::<ReleaseId>("id", &input.id)?;
        releases::delete(ctx.store(), &ctx.actor(), id)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// Moves a release to its next status; see `Release.allowedTransitions`.
    #[graphql(guard = "Require(Permission::ControlReleases)")]
    async fn transition_release(
        &self,
        ctx: &Context<'_>,
        input: TransitionReleaseInput,
    ) -> GqlResult<ReleasePayload> {
        let id = parse::<ReleaseId>("id", &input.id)?;
        let model = releases::transition(
            ctx.store(),
            &ctx.actor(),
            id,
            input.to.into(),
            input.reason,
            input.override_blackout_reason,
        )
        .await
        .gql()?;
        Ok(ReleasePayload {
            release: Release(model),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Release parts

#[derive(InputObject)]
pub struct CreatePhaseInput {
    release_id: ID,
    name: String,
    /// 1-based; appended after the last phase when omitted.
    position: Option<i32>,
    planned_start: Date,
    planned_end: Date,
}

#[derive(InputObject)]
pub struct UpdatePhaseInput {
    id: ID,
    name: Option<String>,
    /// Moves the phase; the others shift.
    position: Option<i32>,
    planned_start: Option<Date>,
    planned_end: Option<Date>,
    actual_start: MaybeUndefined<DateTime>,
    actual_end: MaybeUndefined<DateTime>,
}

#[derive(InputObject)]
pub struct DeleteByIdInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct PhasePayload {
    phase: Phase,
}

#[derive(InputObject)]
pub struct CreateMilestoneInput {
    release_id: ID,
    name: String,
    planned_date: Date,
}

#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    id: ID,
    name: Option<String>,
    planned_date: Option<Date>,
    /// When it was reached; null reopens it.
    actual_at: MaybeUndefined<DateTime>,
}

#[derive(SimpleObject)]
pub struct MilestonePayload {
    milestone: Milestone,
}

#[derive(InputObject)]
pub struct SetReleaseImpactInput {
    release_id: ID,
    system_id: ID,
    kind: ImpactKind,
    notes: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReleaseImpactPayload {
    impact: ReleaseImpact,
}

#[derive(InputObject)]
pub struct AddReleaseDependencyInput {
    /// The release that waits.
    release_id: ID,
    /// The release it waits for.
    depends_on_id: ID,
}

#[derive(SimpleObject)]
pub struct ReleaseDependencyPayload {
    dependency: ReleaseDependency,
}

fn maybe_time(value: MaybeUndefined<DateTime>) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(t) => Some(Some(t.0)),
    }
}

#[derive(Default)]
pub struct ReleasePartsMutation;

#[Object]
impl ReleasePartsMutation {
    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn create_phase(
        &self,
        ctx: &Context<'_>,
        input: CreatePhaseInput,
    ) -> GqlResult<PhasePayload> {
        let model = parts::create_phase(
            ctx.store(),
            &ctx.actor(),
            parts::NewPhase {
                release_id: parse("releaseId", &input.release_id)?,
                name: input.name,
                position: input.position,
                planned_start: input.planned_start.0,
                planned_end: input.planned_end.0,
            },
        )
        .await
        .gql()?;
        Ok(PhasePayload {
            phase: Phase(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn update_phase(
        &self,
        ctx: &Context<'_>,
        input: UpdatePhaseInput,
    ) -> GqlResult<PhasePayload> {
        let id = parse::<PhaseId>("id", &input.id)?;
        let patch = parts::PhasePatch {
            name: input.name,
            position: input.position,
            planned_start: input.planned_start.map(|d| d.0),
            planned_end: input.planned_end.map(|d| d.0),
            actual_start: maybe_time(input.actual_start),
            actual_end: maybe_time(input.actual_end),
        };
        let model = parts::update_phase(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(PhasePayload {
            phase: Phase(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn delete_phase(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        parts::delete_phase(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn create_milestone(
        &self,
        ctx: &Context<'_>,
        input: CreateMilestoneInput,
    ) -> GqlResult<MilestonePayload> {
        let model = parts::create_milestone(
            ctx.store(),
            &ctx.actor(),
            parts::NewMilestone {
                release_id: parse("releaseId", &input.release_id)?,
                name: input.name,
                planned_date: input.planned_date.0,
            },
        )
        .await
        .gql()?;
        Ok(MilestonePayload {
            milestone: Milestone(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        input: UpdateMilestoneInput,
    ) -> GqlResult<MilestonePayload> {
        let id = parse::<MilestoneId>("id", &input.id)?;
        let patch = parts::MilestonePatch {
            name: input.name,
            planned_date: input.planned_date.map(|d| d.0),
            actual_at: maybe_time(input.actual_at),
        };
        let model = parts::update_milestone(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(MilestonePayload {
            milestone: Milestone(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn delete_milestone(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        parts::delete_milestone(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// Records (or changes) how a release impacts a system.
    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn set_release_impact(
        &self,
        ctx: &Context<'_>,
        input: SetReleaseImpactInput,
    ) -> GqlResult<ReleaseImpactPayload> {
        let model = parts::set_impact(
            ctx.store(),
            &ctx.actor(),
            parse("releaseId", &input.release_id)?,
            parse("systemId", &input.system_id)?,
            input.kind.into(),
            input.notes,
        )
        .await
        .gql()?;
        Ok(ReleaseImpactPayload {
            impact: ReleaseImpact(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn remove_release_impact(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        parts::remove_impact(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// Makes a release wait for another; refused when it would create a cycle.
    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn add_release_dependency(
        &self,
        ctx: &Context<'_>,
        input: AddReleaseDependencyInput,
    ) -> GqlResult<ReleaseDependencyPayload> {
        let model = parts::add_dependency(
            ctx.store(),
            &ctx.actor(),
            parse("releaseId", &input.release_id)?,
            parse("dependsOnId", &input.depends_on_id)?,
        )
        .await
        .gql()?;
        Ok(ReleaseDependencyPayload {
            dependency: ReleaseDependency(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn remove_release_dependency(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        parts::remove_dependency(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
