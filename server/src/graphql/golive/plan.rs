//! Deployment plans (runbooks), their runs, and the live go-live status.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{activity, activity_set, deployment_plan, plan_run, run_issue};

use crate::domain::golive::live::{self, ActivityState, GoLiveState};
use crate::domain::golive::{plan as plans, run as runs};
use crate::domain::identity::Permission;
use crate::domain::ids::*;
use crate::golive::Update;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::*;
use crate::graphql::environment::system::DeletePayload;
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse, parse_all, parse_opt, to_id};
use crate::graphql::loaders::*;
use crate::graphql::release::{DeleteByIdInput, Release, load_list};
use crate::graphql::scalars::DateTime;

/// The go-live playbook of a release: ordered activities with owners and dependencies.
pub struct DeploymentPlan(pub deployment_plan::Model);

#[Object]
impl DeploymentPlan {
    pub async fn id(&self) -> ID {
        to_id(DeploymentPlanId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn mode(&self) -> PlanMode {
        self.0.mode.into()
    }
    /// The change window the execution must fit in.
    async fn window_start(&self) -> DateTime {
        self.0.window_start.into()
    }
    async fn window_end(&self) -> DateTime {
        self.0.window_end.into()
    }
    async fn approved_by(&self) -> Option<&str> {
        self.0.approved_by_name.as_deref()
    }
    async fn approved_at(&self) -> Option<DateTime> {
        self.0.approved_at.map(Into::into)
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn sets(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActivitySet>> {
        Ok(load_list(ctx, SetsOfPlan(self.0.id))
            .await?
            .into_iter()
            .map(ActivitySet)
            .collect())
    }
    async fn activities(&self, ctx: &Context<'_>) -> GqlResult<Vec<Activity>> {
        Ok(load_list(ctx, ActivitiesOfPlan(self.0.id))
            .await?
            .into_iter()
            .map(Activity)
            .collect())
    }
    /// Rehearsals and executions, newest first.
    async fn runs(&self, ctx: &Context<'_>) -> GqlResult<Vec<PlanRun>> {
        Ok(load_list(ctx, RunsOfPlan(self.0.id))
            .await?
            .into_iter()
            .map(PlanRun)
            .collect())
    }
    async fn current_run(&self, ctx: &Context<'_>) -> GqlResult<Option<PlanRun>> {
        let Some(run) = self.0.current_run_id else {
            return Ok(None);
        };
        Ok(load_list(ctx, RunsOfPlan(self.0.id))
            .await?
            .into_iter()
            .find(|r| r.id == run)
            .map(PlanRun))
    }
    /// Stakeholders; the accountable decides checkpoints and go/no-go.
    async fn raci(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::governance::RaciAssignment>> {
        Ok(load_list(ctx, RaciOfSubject(self.0.id))
            .await?
            .into_iter()
            .map(crate::graphql::governance::RaciAssignment)
            .collect())
    }
    /// The plan's live state: the current (or last) run, or the plan itself.
    async fn status(&self, ctx: &Context<'_>) -> GqlResult<GoLiveStatus> {
        let state = live::compute(
            ctx.store().conn(),
            DeploymentPlanId(self.0.id),
            ctx.store().now(),
        )
        .await
        .gql()?;
        Ok(GoLiveStatus(Arc::new(state)))
    }
}

/// A group of activities (e.g. "Database", "Payments switch-over").
pub struct ActivitySet(pub activity_set::Model);

#[Object]
impl ActivitySet {
    pub async fn id(&self) -> ID {
        to_id(ActivitySetId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn activities(&self, ctx: &Context<'_>) -> GqlResult<Vec<Activity>> {
        Ok(load_list(ctx, ActivitiesOfSet(self.0.id))
            .await?
            .into_iter()
            .map(Activity)
            .collect())
    }
}

/// A step of a runbook.
pub struct Activity(pub activity::Model);

#[Object]
impl Activity {
    pub async fn id(&self) -> ID {
        to_id(ActivityId(self.0.id))
    }
    /// The plan it belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> GqlResult<DeploymentPlan> {
        ctx.loader()
            .load_one(PlanById(self.0.plan_id))
            .await
            .map_err(internal)?
            .map(DeploymentPlan)
            .ok_or_else(|| internal("the activity's plan is missing"))
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn kind(&self) -> ActivityKind {
        self.0.kind.into()
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
    async fn owner_team(&self) -> Option<&str> {
        self.0.owner_team.as_deref()
    }
    /// Minutes from the start of the window before which it does not start.
    async fn planned_offset_minutes(&self) -> i32 {
        self.0.planned_offset_minutes
    }
    async fn planned_duration_minutes(&self) -> i32 {
        self.0.planned_duration_minutes
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn set(&self, ctx: &Context<'_>) -> GqlResult<Option<ActivitySet>> {
        let Some(set) = self.0.set_id else {
            return Ok(None);
        };
        Ok(load_list(ctx, SetsOfPlan(self.0.plan_id))
            .await?
            .into_iter()
            .find(|s| s.id == set)
            .map(ActivitySet))
    }
    /// What must be done (or skipped) before this starts.
    async fn depends_on(&self, ctx: &Context<'_>) -> GqlResult<Vec<Activity>> {
        let links = load_list(ctx, DependenciesOfActivity(self.0.id)).await?;
        let keys: Vec<ActivityById> = links
            .iter()
            .map(|l| ActivityById(l.depends_on_id))
            .collect();
        let mut found = ctx
            .loader()
            .load_many(keys.clone())
            .await
            .map_err(internal)?;
        Ok(keys
            .iter()
            .filter_map(|k| found.remove(k))
            .map(Activity)
            .collect())
    }
    async fn raci(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::governance::RaciAssignment>> {
        Ok(load_list(ctx, RaciOfSubject(self.0.id))
            .await?
            .into_iter()
            .map(crate::graphql::governance::RaciAssignment)
            .collect())
    }
}

/// One rehearsal or execution of a plan.
pub struct PlanRun(pub plan_run::Model);

/// An activity of a run, planned against actual.
#[derive(SimpleObject)]
pub struct ActivityReport {
    activity_id: ID,
    title: String,
    status: ActivityStatus,
    planned_start: DateTime,
    planned_minutes: i32,
    actual_start: Option<DateTime>,
    actual_finish: Option<DateTime>,
    actual_minutes: Option<i32>,
    /// Actual minus planned duration.
    delta_minutes: Option<i32>,
    /// Minutes it started after (negative: before) the plan.
    start_delay_minutes: Option<i32>,
}

#[Object]
impl PlanRun {
    pub async fn id(&self) -> ID {
        to_id(PlanRunId(self.0.id))
    }
    async fn kind(&self) -> RunKind {
        self.0.kind.into()
    }
    async fn status(&self) -> RunStatus {
        self.0.status.into()
    }
    async fn started_at(&self) -> DateTime {
        self.0.started_at.into()
    }
    async fn finished_at(&self) -> Option<DateTime> {
        self.0.finished_at.map(Into::into)
    }
    async fn started_by(&self) -> &str {
        &self.0.started_by_name
    }
    /// When it must be finished: the window end, or the plan's length after a rehearsal's start.
    async fn deadline(&self) -> DateTime {
        self.0.deadline.into()
    }
    async fn issues(&self, ctx: &Context<'_>) -> GqlResult<Vec<RunIssue>> {
        Ok(load_list(ctx, IssuesOfRun(self.0.id))
            .await?
            .into_iter()
            .map(RunIssue)
            .collect())
    }
    /// Planned against actual, per activity.
    async fn report(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActivityReport>> {
        let plan = plans::get(ctx.store().conn(), DeploymentPlanId(self.0.plan_id))
            .await
            .gql()?;
        let state = live::compute_for(
            ctx.store().conn(),
            plan,
            Some(self.0.clone()),
            ctx.store().now(),
        )
        .await
        .gql()?;
        Ok(live::report(&state)
            .into_iter()
            .map(|r| ActivityReport {
                activity_id: to_id(ActivityId(r.activity_id)),
                title: r.title,
                status: r.status.into(),
                planned_start: r.planned_start.into(),
                planned_minutes: r.planned_minutes as i32,
                actual_start: r.actual_start.map(Into::into),
                actual_finish: r.actual_finish.map(Into::into),
                actual_minutes: r.actual_minutes.map(|m| m as i32),
                delta_minutes: r.delta_minutes.map(|m| m as i32),
                start_delay_minutes: r.start_delay_minutes.map(|m| m as i32),
            })
            .collect())
    }
}

/// A problem raised during a run.
pub struct RunIssue(pub run_issue::Model);

#[Object]
impl RunIssue {
    pub async fn id(&self) -> ID {
        to_id(RunIssueId(self.0.id))
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn severity(&self) -> IssueSeverity {
        self.0.severity.into()
    }
    async fn resolved(&self) -> bool {
        self.0.resolved
    }
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    async fn activity_id(&self) -> Option<ID> {
        self.0.activity_id.map(|a| to_id(ActivityId(a)))
    }
    async fn raised_by(&self) -> &str {
        &self.0.raised_by_name
    }
    async fn raised_at(&self) -> DateTime {
        self.0.raised_at.into()
    }
    async fn resolved_at(&self) -> Option<DateTime> {
        self.0.resolved_at.map(Into::into)
    }
}

// ---------------------------------------------------------------------------------------------
// Live status (computed, no lookups: it is resolved for every watcher)

/// An activity as the command centre shows it.
pub struct LiveActivity<'a>(&'a ActivityState);

#[Object]
impl LiveActivity<'_> {
    /// The activity's id.
    async fn id(&self) -> ID {
        to_id(ActivityId(self.0.activity.id))
    }
    async fn title(&self) -> &str {
        &self.0.activity.title
    }
    async fn kind(&self) -> ActivityKind {
        self.0.activity.kind.into()
    }
    async fn status(&self) -> ActivityStatus {
        self.0.status.into()
    }
    /// The owning user's id, so a screen can offer the controls to the owner.
    async fn owner_id(&self) -> Option<ID> {
        self.0.activity.owner_id.map(|u| to_id(UserId(u)))
    }
    async fn owner_name(&self) -> Option<&str> {
        self.0.owner_name.as_deref()
    }
    async fn owner_team(&self) -> Option<&str> {
        self.0.activity.owner_team.as_deref()
    }
    async fn set_id(&self) -> Option<ID> {
        self.0.activity.set_id.map(|s| to_id(ActivitySetId(s)))
    }
    async fn depends_on(&self) -> Vec<ID> {
        self.0
            .depends_on
            .iter()
            .map(|d| to_id(ActivityId(*d)))
            .collect()
    }
    async fn planned_start(&self) -> DateTime {
        self.0.planned_start.into()
    }
    async fn planned_finish(&self) -> DateTime {
        self.0.planned_finish.into()
    }
    /// Expected from the pace so far.
    async fn projected_start(&self) -> DateTime {
        self.0.projected_start.into()
    }
    async fn projected_finish(&self) -> DateTime {
        self.0.projected_finish.into()
    }
    async fn started_at(&self) -> Option<DateTime> {
        self.0
            .run_activity
            .as_ref()
            .and_then(|r| r.started_at)
            .map(Into::into)
    }
    async fn finished_at(&self) -> Option<DateTime> {
        self.0
            .run_activity
            .as_ref()
            .and_then(|r| r.finished_at)
            .map(Into::into)
    }
    /// On the chain that decides when the run finishes.
    async fn critical(&self) -> bool {
        self.0.critical
    }
    async fn decision(&self) -> Option<Decision> {
        self.0
            .run_activity
            .as_ref()
            .and_then(|r| r.decision)
            .map(Into::into)
    }
    async fn decided_by(&self) -> Option<&str> {
        self.0
            .run_activity
            .as_ref()
            .and_then(|r| r.decided_by_name.as_deref())
    }
    async fn updated_by(&self) -> Option<&str> {
        self.0
            .run_activity
            .as_ref()
            .and_then(|r| r.updated_by_name.as_deref())
    }
    /// Why it failed, was skipped or is blocked.
    async fn note(&self) -> Option<&str> {
        self.0.run_activity.as_ref().and_then(|r| r.note.as_deref())
    }
}

/// How many activities are in each state.
#[derive(SimpleObject)]
pub struct ActivityCounts {
    pending: i32,
    ready: i32,
    in_progress: i32,
    done: i32,
    failed: i32,
    skipped: i32,
    blocked: i32,
    total: i32,
}

fn counts(state: &GoLiveState) -> ActivityCounts {
    let n = |s: entity::ActivityStatus| state.count(s) as i32;
    ActivityCounts {
        pending: n(entity::ActivityStatus::Pending),
        ready: n(entity::ActivityStatus::Ready),
        in_progress: n(entity::ActivityStatus::InProgress),
        done: n(entity::ActivityStatus::Done),
        failed: n(entity::ActivityStatus::Failed),
        skipped: n(entity::ActivityStatus::Skipped),
        blocked: n(entity::ActivityStatus::Blocked),
        total: state.activities.len() as i32,
    }
}

/// Where a plan stands now.
pub struct GoLiveStatus(pub Arc<GoLiveState>);

#[Object]
impl GoLiveStatus {
    async fn plan_id(&self) -> ID {
        to_id(DeploymentPlanId(self.0.plan.id))
    }
    async fn plan_mode(&self) -> PlanMode {
        self.0.plan.mode.into()
    }
    async fn run(&self) -> Option<PlanRun> {
        self.0.run.clone().map(PlanRun)
    }
    /// Done or skipped share of the planned work, 0 to 1, weighted by planned duration.
    async fn progress(&self) -> f64 {
        self.0.progress
    }
    async fn planned_finish(&self) -> DateTime {
        self.0.planned_finish.into()
    }
    /// When the run will end at its pace so far.
    async fn projected_finish(&self) -> DateTime {
        self.0.projected_finish.into()
    }
    async fn deadline(&self) -> DateTime {
        self.0.deadline.into()
    }
    /// The projected finish passes the deadline.
    async fn at_risk(&self) -> bool {
        self.0.at_risk
    }
    async fn critical_path(&self) -> Vec<ID> {
        self.0
            .critical_path
            .iter()
            .map(|a| to_id(ActivityId(*a)))
            .collect()
    }
    async fn counts(&self) -> ActivityCounts {
        counts(&self.0)
    }
    async fn activities(&self) -> Vec<LiveActivity<'_>> {
        self.0.activities.iter().map(LiveActivity).collect()
    }
    async fn issues(&self) -> Vec<RunIssue> {
        self.0.issues.iter().cloned().map(RunIssue).collect()
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum GoLiveUpdateKind {
    /// Everything: the first message, and after falling behind.
    Snapshot,
    /// Only the activities and issues that changed, with the current summary.
    Delta,
}

/// One message of `goLiveStatus`: a snapshot first, then deltas. Apply deltas by id; a
/// snapshot replaces everything.
pub struct GoLiveUpdate {
    pub update: Arc<Update>,
    /// A snapshot sent because the subscriber fell behind.
    pub resync: bool,
}

#[Object]
impl GoLiveUpdate {
    async fn kind(&self) -> GoLiveUpdateKind {
        if self.update.is_snapshot() {
            GoLiveUpdateKind::Snapshot
        } else {
            GoLiveUpdateKind::Delta
        }
    }
    /// Increases with every change of the plan.
    async fn version(&self) -> i64 {
        self.update.version as i64
    }
    async fn resync(&self) -> bool {
        self.resync
    }
    async fn plan_id(&self) -> ID {
        to_id(DeploymentPlanId(self.update.state.plan.id))
    }
    async fn plan_mode(&self) -> PlanMode {
        self.update.state.plan.mode.into()
    }
    async fn run(&self) -> Option<PlanRun> {
        self.update.state.run.clone().map(PlanRun)
    }
    async fn progress(&self) -> f64 {
        self.update.state.progress
    }
    async fn planned_finish(&self) -> DateTime {
        self.update.state.planned_finish.into()
    }
    async fn projected_finish(&self) -> DateTime {
        self.update.state.projected_finish.into()
    }
    async fn deadline(&self) -> DateTime {
        self.update.state.deadline.into()
    }
    async fn at_risk(&self) -> bool {
        self.update.state.at_risk
    }
    async fn critical_path(&self) -> Vec<ID> {
        self.update
            .state
            .critical_path
            .iter()
            .map(|a| to_id(ActivityId(*a)))
            .collect()
    }
    async fn counts(&self) -> ActivityCounts {
        counts(&self.update.state)
    }
    /// All activities (snapshot) or those that changed (delta).
    async fn activities(&self) -> Vec<LiveActivity<'_>> {
        self.update
            .activities()
            .into_iter()
            .map(LiveActivity)
            .collect()
    }
    /// All issues (snapshot) or those raised or resolved (delta).
    async fn issues(&self) -> Vec<RunIssue> {
        self.update
            .issues()
            .into_iter()
            .cloned()
            .map(RunIssue)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Queries and mutations

#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    #[graphql(guard = "Require(Permission::Read)")]
    async fn deployment_plan(&self, ctx: &Context<'_>, id: ID) -> GqlResult<DeploymentPlan> {
        plans::get(ctx.store().conn(), parse("id", &id)?)
            .await
            .gql()
            .map(DeploymentPlan)
    }

    /// Deployment plans across releases, by the start of their change window (at most 500):
    /// those in `modes` (any when empty), optionally of one release.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn deployment_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] modes: Vec<PlanMode>,
        release_id: Option<ID>,
    ) -> GqlResult<Vec<DeploymentPlan>> {
        let modes: Vec<entity::PlanMode> = modes.into_iter().map(Into::into).collect();
        let release = parse_opt("releaseId", release_id.as_ref())?;
        Ok(plans::list(ctx.store().conn(), &modes, release, 500)
            .await
            .gql()?
            .into_iter()
            .map(DeploymentPlan)
            .collect())
    }
}

#[derive(InputObject)]
pub struct RenameActivitySetInput {
    id: ID,
    name: String,
}

#[derive(InputObject)]
pub struct CreateDeploymentPlanInput {
    release_id: ID,
    name: String,
    window_start: DateTime,
    window_end: DateTime,
}

#[derive(InputObject)]
pub struct UpdateDeploymentPlanInput {
    id: ID,
    name: Option<String>,
    window_start: Option<DateTime>,
    window_end: Option<DateTime>,
}

#[derive(SimpleObject)]
pub struct DeploymentPlanPayload {
    plan: DeploymentPlan,
}

#[derive(InputObject)]
pub struct AddActivitySetInput {
    plan_id: ID,
    name: String,
}

#[derive(SimpleObject)]
pub struct ActivitySetPayload {
    set: ActivitySet,
}

#[derive(InputObject)]
pub struct AddActivityInput {
    plan_id: ID,
    set_id: Option<ID>,
    title: String,
    description: Option<String>,
    kind: ActivityKind,
    owner_id: Option<ID>,
    owner_team: Option<String>,
    #[graphql(default)]
    planned_offset_minutes: i32,
    planned_duration_minutes: i32,
    #[graphql(default)]
    depends_on: Vec<ID>,
}

#[derive(InputObject)]
pub struct UpdateActivityInput {
    id: ID,
    set_id: MaybeUndefined<ID>,
    title: Option<String>,
    description: MaybeUndefined<String>,
    kind: Option<ActivityKind>,
    owner_id: MaybeUndefined<ID>,
    owner_team: MaybeUndefined<String>,
    planned_offset_minutes: Option<i32>,
    planned_duration_minutes: Option<i32>,
    /// The complete list; cycles are refused with the cycle named.
    depends_on: Option<Vec<ID>>,
}

#[derive(SimpleObject)]
pub struct ActivityPayload {
    activity: Activity,
}

#[derive(InputObject)]
pub struct PlanIdInput {
    id: ID,
}

#[derive(InputObject)]
pub struct StartRunInput {
    plan_id: ID,
}

#[derive(InputObject)]
pub struct AbortRunInput {
    plan_id: ID,
    reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct RunPayload {
    run: PlanRun,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ActivityAction {
    Start,
    Complete,
    Fail,
    Skip,
    Reset,
    Block,
    Unblock,
}

#[derive(InputObject)]
pub struct UpdateActivityStatusInput {
    activity_id: ID,
    action: ActivityAction,
    /// Required to fail, skip or block.
    note: Option<String>,
}

#[derive(InputObject)]
pub struct DecideActivityInput {
    activity_id: ID,
    decision: Decision,
    /// Required for NO_GO.
    note: Option<String>,
}

#[derive(SimpleObject)]
pub struct ActivityStatusPayload {
    activity_id: ID,
    status: ActivityStatus,
    plan: DeploymentPlan,
}

#[derive(InputObject)]
pub struct RaiseRunIssueInput {
    plan_id: ID,
    activity_id: Option<ID>,
    title: String,
    description: Option<String>,
    #[graphql(default_with = "IssueSeverity::Medium")]
    severity: IssueSeverity,
}

#[derive(InputObject)]
pub struct ResolveRunIssueInput {
    id: ID,
    resolution: Option<String>,
}

#[derive(SimpleObject)]
pub struct RunIssuePayload {
    issue: RunIssue,
}

fn maybe_id<T: TypedId>(field: &str, value: MaybeUndefined<ID>) -> GqlResult<Option<Option<T>>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(id) => Ok(Some(Some(parse(field, &id)?))),
    }
}

async fn status_payload(
    ctx: &Context<'_>,
    row: entity::run_activity::Model,
) -> GqlResult<ActivityStatusPayload> {
    let plan = plans::get(ctx.store().conn(), DeploymentPlanId(row.plan_id))
        .await
        .gql()?;
    Ok(ActivityStatusPayload {
        activity_id: to_id(ActivityId(row.activity_id)),
        status: row.status.into(),
        plan: DeploymentPlan(plan),
    })
}

#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn create_deployment_plan(
        &self,
        ctx: &Context<'_>,
        input: CreateDeploymentPlanInput,
    ) -> GqlResult<DeploymentPlanPayload> {
        let model = plans::create(
            ctx.store(),
            &ctx.actor(),
            plans::NewPlan {
                release_id: parse("releaseId", &input.release_id)?,
                name: input.name,
                window_start: input.window_start.0,
                window_end: input.window_end.0,
            },
        )
        .await
        .gql()?;
        Ok(DeploymentPlanPayload {
            plan: DeploymentPlan(model),
        })
    }

    /// Renames or re-times a DRAFT plan.
    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn update_deployment_plan(
        &self,
        ctx: &Context<'_>,
        input: UpdateDeploymentPlanInput,
    ) -> GqlResult<DeploymentPlanPayload> {
        let model = plans::update(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            input.name,
            input.window_start.map(|t| t.0),
            input.window_end.map(|t| t.0),
        )
        .await
        .gql()?;
        Ok(DeploymentPlanPayload {
            plan: DeploymentPlan(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn delete_deployment_plan(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        plans::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn add_activity_set(
        &self,
        ctx: &Context<'_>,
        input: AddActivitySetInput,
    ) -> GqlResult<ActivitySetPayload> {
        let model = plans::add_set(
            ctx.store(),
            &ctx.actor(),
            parse("planId", &input.plan_id)?,
            &input.name,
        )
        .await
        .gql()?;
        Ok(ActivitySetPayload {
            set: ActivitySet(model),
        })
    }

    /// Renames an activity set (plans that can still be edited).
    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn rename_activity_set(
        &self,
        ctx: &Context<'_>,
        input: RenameActivitySetInput,
    ) -> GqlResult<ActivitySetPayload> {
        let model = plans::rename_set(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            &input.name,
        )
        .await
        .gql()?;
        Ok(ActivitySetPayload {
            set: ActivitySet(model),
        })
    }

    /// Removes an activity set; its activities stay in the plan, outside any set.
    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn delete_activity_set(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        plans::delete_set(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn add_activity(
        &self,
        ctx: &Context<'_>,
        input: AddActivityInput,
    ) -> GqlResult<ActivityPayload> {
        let model = plans::add_activity(
            ctx.store(),
            &ctx.actor(),
            plans::NewActivity {
                plan_id: parse("planId", &input.plan_id)?,
                set_id: parse_opt("setId", input.set_id.as_ref())?,
                title: input.title,
                description: input.description,
                kind: input.kind.into(),
                owner_id: parse_opt("ownerId", input.owner_id.as_ref())?,
                owner_team: input.owner_team,
                planned_offset_minutes: input.planned_offset_minutes,
                planned_duration_minutes: input.planned_duration_minutes,
                depends_on: parse_all("dependsOn", &input.depends_on)?,
            },
        )
        .await
        .gql()?;
        Ok(ActivityPayload {
            activity: Activity(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn update_activity(
        &self,
        ctx: &Context<'_>,
        input: UpdateActivityInput,
    ) -> GqlResult<ActivityPayload> {
        let patch = plans::ActivityPatch {
            set_id: maybe_id("setId", input.set_id)?,
            title: input.title,
            description: input.description.into(),
            kind: input.kind.map(Into::into),
            owner_id: maybe_id("ownerId", input.owner_id)?,
            owner_team: input.owner_team.into(),
            planned_offset_minutes: input.planned_offset_minutes,
            planned_duration_minutes: input.planned_duration_minutes,
            depends_on: input
                .depends_on
                .map(|d| parse_all("dependsOn", &d))
                .transpose()?,
        };
        let model =
            plans::update_activity(ctx.store(), &ctx.actor(), parse("id", &input.id)?, patch)
                .await
                .gql()?;
        Ok(ActivityPayload {
            activity: Activity(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn delete_activity(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        plans::delete_activity(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// DRAFT → APPROVED: frozen for rehearsals and the execution.
    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn approve_deployment_plan(
        &self,
        ctx: &Context<'_>,
        input: PlanIdInput,
    ) -> GqlResult<DeploymentPlanPayload> {
        let model = plans::approve(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeploymentPlanPayload {
            plan: DeploymentPlan(model),
        })
    }

    /// APPROVED → DRAFT, to edit again.
    #[graphql(guard = "Require(Permission::ManagePlans)")]
    async fn reopen_deployment_plan(
        &self,
        ctx: &Context<'_>,
        input: PlanIdInput,
    ) -> GqlResult<DeploymentPlanPayload> {
        let model = plans::reopen(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeploymentPlanPayload {
            plan: DeploymentPlan(model),
        })
    }

    #[graphql(guard = "Require(Permission::RunPlans)")]
    async fn start_rehearsal(
        &self,
        ctx: &Context<'_>,
        input: StartRunInput,
    ) -> GqlResult<RunPayload> {
        let run = runs::start(
            ctx.store(),
            &ctx.actor(),
            parse("planId", &input.plan_id)?,
            entity::RunKind::Rehearsal,
        )
        .await
        .gql()?;
        Ok(RunPayload { run: PlanRun(run) })
    }

    /// Starts the go-live execution (the release must be GO_LIVE).
    #[graphql(guard = "Require(Permission::RunPlans)")]
    async fn start_execution(
        &self,
        ctx: &Context<'_>,
        input: StartRunInput,
    ) -> GqlResult<RunPayload> {
        let run = runs::start(
            ctx.store(),
            &ctx.actor(),
            parse("planId", &input.plan_id)?,
            entity::RunKind::Execution,
        )
        .await
        .gql()?;
        Ok(RunPayload { run: PlanRun(run) })
    }

    #[graphql(guard = "Require(Permission::RunPlans)")]
    async fn abort_run(
        &self,
        ctx: &Context<'_>,
        input: AbortRunInput,
    ) -> GqlResult<DeploymentPlanPayload> {
        let model = runs::abort(
            ctx.store(),
            &ctx.actor(),
            parse("planId", &input.plan_id)?,
            input.reason,
        )
        .await
        .gql()?;
        Ok(DeploymentPlanPayload {
            plan: DeploymentPlan(model),
        })
    }

    /// Starts, completes, fails, skips, resets, blocks or unblocks an activity of the current run.
    #[graphql(guard = "Require(Permission::OperateActivities)")]
    async fn update_activity_status(
        &self,
        ctx: &Context<'_>,
        input: UpdateActivityStatusInput,
    ) -> GqlResult<ActivityStatusPayload> {
        let action = match input.action {
            ActivityAction::Start => runs::Action::Start,
            ActivityAction::Complete => runs::Action::Complete,
            ActivityAction::Fail => runs::Action::Fail,
            ActivityAction::Skip => runs::Action::Skip,
            ActivityAction::Reset => runs::Action::Reset,
            ActivityAction::Block => runs::Action::Block,
            ActivityAction::Unblock => runs::Action::Unblock,
        };
        let row = runs::act(
            ctx.store(),
            &ctx.actor(),
            parse("activityId", &input.activity_id)?,
            action,
            input.note,
        )
        .await
        .gql()?;
        status_payload(ctx, row).await
    }

    /// The plan's accountable person decides a checkpoint or go/no-go.
    #[graphql(guard = "Require(Permission::OperateActivities)")]
    async fn decide_activity(
        &self,
        ctx: &Context<'_>,
        input: DecideActivityInput,
    ) -> GqlResult<ActivityStatusPayload> {
        let row = runs::decide(
            ctx.store(),
            &ctx.actor(),
            parse("activityId", &input.activity_id)?,
            input.decision.into(),
            input.note,
        )
        .await
        .gql()?;
        status_payload(ctx, row).await
    }

    #[graphql(guard = "Require(Permission::OperateActivities)")]
    async fn raise_run_issue(
        &self,
        ctx: &Context<'_>,
        input: RaiseRunIssueInput,
    ) -> GqlResult<RunIssuePayload> {
        let model = runs::raise_issue(
            ctx.store(),
            &ctx.actor(),
            runs::NewIssue {
                plan_id: parse("planId", &input.plan_id)?,
                activity_id: parse_opt("activityId", input.activity_id.as_ref())?,
                title: input.title,
                description: input.description,
                severity: input.severity.into(),
            },
        )
        .await
        .gql()?;
        Ok(RunIssuePayload {
            issue: RunIssue(model),
        })
    }

    #[graphql(guard = "Require(Permission::OperateActivities)")]
    async fn resolve_run_issue(
        &self,
        ctx: &Context<'_>,
        input: ResolveRunIssueInput,
    ) -> GqlResult<RunIssuePayload> {
        let model = runs::resolve_issue(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            input.resolution,
        )
        .await
        .gql()?;
        Ok(RunIssuePayload {
            issue: RunIssue(model),
        })
    }
}

/// Plans of a release (for `Release.deploymentPlans`).
pub async fn release_plans(
    ctx: &Context<'_>,
    release_id: uuid::Uuid,
) -> GqlResult<Vec<DeploymentPlan>> {
    Ok(load_list(ctx, PlansOfRelease(release_id))
        .await?
        .into_iter()
        .map(DeploymentPlan)
        .collect())
}
