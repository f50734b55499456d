//! Gates and their criteria, RACI, blockers, phase progress, templates and the audit chain.

pub mod audit;
pub mod notification;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{
    criterion_result, gate, gate_approval, gate_criterion, raci_assignment, release_template,
};

use crate::domain::identity::Permission;
use crate::domain::ids::*;
use crate::domain::{
    governance::blockers, governance::gate as gates, governance::raci, release::progress,
    release::report, release::template,
};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::*;
use crate::graphql::environment::system::DeletePayload;
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse, parse_opt, to_id};
use crate::graphql::loaders::*;
use crate::graphql::release::{DeleteByIdInput, Phase, Release, load_list};
use crate::graphql::scalars::{Date, DateTime};

// ---------------------------------------------------------------------------------------------
// Gates

/// A checkpoint at the exit of a phase: the release cannot leave the phase before it is
/// passed or waived.
pub struct Gate(pub gate::Model);

#[Object]
impl Gate {
    pub async fn id(&self) -> ID {
        to_id(GateId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn status(&self) -> GateStatus {
        self.0.status.into()
    }
    async fn due_at(&self) -> Option<DateTime> {
        self.0.due_at.map(Into::into)
    }
    /// When approvals were asked for (whoever asked may not approve).
    async fn approval_requested_at(&self) -> Option<DateTime> {
        self.0.requested_at.map(Into::into)
    }
    async fn decided_at(&self) -> Option<DateTime> {
        self.0.decided_at.map(Into::into)
    }
    /// Who closed it (or "all criteria met").
    async fn decided_by(&self) -> Option<&str> {
        self.0.decided_by_name.as_deref()
    }
    /// Why it was waived or vetoed.
    async fn decision_reason(&self) -> Option<&str> {
        self.0.decision_reason.as_deref()
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    /// The phase this gate closes.
    async fn phase(&self, ctx: &Context<'_>) -> GqlResult<Option<Phase>> {
        Ok(ctx
            .loader()
            .load_one(PhaseById(self.0.phase_id))
            .await
            .map_err(internal)?
            .map(Phase))
    }
    async fn criteria(&self, ctx: &Context<'_>) -> GqlResult<Vec<Criterion>> {
        Ok(load_list(ctx, CriteriaOfGate(self.0.id))
            .await?
            .into_iter()
            .map(Criterion)
            .collect())
    }
    /// Stakeholders of this gate.
    async fn raci(&self, ctx: &Context<'_>) -> GqlResult<Vec<RaciAssignment>> {
        Ok(load_list(ctx, RaciOfSubject(self.0.id))
            .await?
            .into_iter()
            .map(RaciAssignment)
            .collect())
    }
}

/// One condition of a gate.
pub struct Criterion(pub gate_criterion::Model);

#[Object(name = "GateCriterion")]
impl Criterion {
    pub async fn id(&self) -> ID {
        to_id(CriterionId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> CriterionKind {
        self.0.kind.into()
    }
    async fn state(&self) -> CriterionState {
        self.0.state.into()
    }
    /// Metric criteria: what is measured, and the rule `value <comparator> threshold`.
    async fn metric(&self) -> Option<&str> {
        self.0.metric.as_deref()
    }
    async fn comparator(&self) -> Option<Comparator> {
        self.0.comparator.map(Into::into)
    }
    async fn threshold(&self) -> Option<f64> {
        self.0.threshold
    }
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }
    /// The latest value recorded.
    async fn last_value(&self) -> Option<f64> {
        self.0.last_value
    }
    /// Approval criteria: the role approvers need (or null when the gate's accountable approves).
    async fn approver_role(&self) -> Option<Role> {
        self.0.approver_role.map(Into::into)
    }
    async fn by_accountable(&self) -> bool {
        self.0.by_accountable
    }
    /// Distinct approvers needed.
    async fn quorum(&self) -> i32 {
        self.0.quorum
    }
    /// Results, newest first.
    async fn results(&self, ctx: &Context<'_>) -> GqlResult<Vec<CriterionResult>> {
        Ok(load_list(ctx, ResultsOfCriterion(self.0.id))
            .await?
            .into_iter()
            .map(CriterionResult)
            .collect())
    }
    async fn approvals(&self, ctx: &Context<'_>) -> GqlResult<Vec<GateApproval>> {
        Ok(load_list(ctx, ApprovalsOfCriterion(self.0.id))
            .await?
            .into_iter()
            .map(GateApproval)
            .collect())
    }
}

/// A recorded value or verdict, with where it came from.
pub struct CriterionResult(pub criterion_result::Model);

#[Object]
impl CriterionResult {
    pub async fn id(&self) -> ID {
        to_id(CriterionResultId(self.0.id))
    }
    async fn value(&self) -> Option<f64> {
        self.0.value
    }
    async fn passed(&self) -> bool {
        self.0.passed
    }
    async fn source(&self) -> &str {
        &self.0.source
    }
    async fn link(&self) -> Option<&str> {
        self.0.link.as_deref()
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by_name
    }
    async fn recorded_at(&self) -> DateTime {
        self.0.recorded_at.into()
    }
}

/// One person's decision on an approval criterion.
pub struct GateApproval(pub gate_approval::Model);

#[Object]
impl GateApproval {
    pub async fn id(&self) -> ID {
        to_id(GateApprovalId(self.0.id))
    }
    async fn decision(&self) -> ApprovalDecision {
        self.0.decision.into()
    }
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    async fn approver_name(&self) -> &str {
        &self.0.approver_name
    }
    async fn approver(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        Ok(ctx
            .loader()
            .load_one(UserById(self.0.approver_id))
            .await
            .map_err(internal)?
            .map(User))
    }
    async fn decided_at(&self) -> DateTime {
        self.0.decided_at.into()
    }
}

/// A stakeholder of a release, gate, deployment plan or activity.
pub struct RaciAssignment(pub raci_assignment::Model);

#[Object]
impl RaciAssignment {
    pub async fn id(&self) -> ID {
        to_id(RaciAssignmentId(self.0.id))
    }
    async fn role(&self) -> RaciRole {
        self.0.role.into()
    }
    async fn subject_type(&self) -> RaciSubject {
        self.0.subject_type.into()
    }
    async fn subject_id(&self) -> ID {
        let type_name = match self.0.subject_type {
            entity::RaciSubject::Release => "Release",
            entity::RaciSubject::Gate => "Gate",
            entity::RaciSubject::DeploymentPlan => "DeploymentPlan",
            entity::RaciSubject::Activity => "Activity",
        };
        ID(encode_named(type_name, self.0.subject_id))
    }
    async fn user(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(user) = self.0.user_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(user))
            .await
            .map_err(internal)?
            .map(User))
    }
    async fn team(&self) -> Option<&str> {
        self.0.team.as_deref()
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        let Some(release) = self.0.release_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(ReleaseById(release))
            .await
            .map_err(internal)?
            .map(Release))
    }
    /// The gate, when the subject is one.
    async fn gate(&self, ctx: &Context<'_>) -> GqlResult<Option<Gate>> {
        if self.0.subject_type != entity::RaciSubject::Gate {
            return Ok(None);
        }
        Ok(ctx
            .loader()
            .load_one(GateById(self.0.subject_id))
            .await
            .map_err(internal)?
            .map(Gate))
    }
    /// When the subject is due: a gate's decision, a release's planned go-live.
    async fn due_at(&self, ctx: &Context<'_>) -> GqlResult<Option<DateTime>> {
        Ok(match self.0.subject_type {
            entity::RaciSubject::Gate => ctx
                .loader()
                .load_one(GateById(self.0.subject_id))
                .await
                .map_err(internal)?
                .and_then(|g| g.due_at)
                .map(Into::into),
            entity::RaciSubject::Release => ctx
                .loader()
                .load_one(ReleaseById(self.0.subject_id))
                .await
                .map_err(internal)?
                .map(|r| gates::end_of(r.planned_go_live).into()),
            _ => None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Blockers and the planned-vs-actual report

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::governance::blockers::BlockerKind")]
pub enum BlockerKind {
    UnmetCriterion,
    PendingApproval,
    GateFailed,
    GateWithoutCriteria,
    UnfinishedDependency,
    OpenProjectRelease,
    Blackout,
    BookingConflict,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::governance::blockers::Blocks")]
/// ADVANCE: leaving the current phase. GO_LIVE: going live (or being released).
pub enum BlockedStep {
    Advance,
    GoLive,
}

/// Who can clear a blocker: a person, a team, or anyone holding a role.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct BlockerOwner {
    #[graphql(skip)]
    user_id: Option<uuid::Uuid>,
    team: Option<String>,
    role: Option<Role>,
}

#[async_graphql::ComplexObject]
impl BlockerOwner {
    async fn user(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(user) = self.user_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(user))
            .await
            .map_err(internal)?
            .map(User))
    }
}

/// Something that stops the release from advancing or going live now.
#[derive(SimpleObject)]
pub struct Blocker {
    kind: BlockerKind,
    blocks: BlockedStep,
    description: String,
    /// What clears it.
    action: String,
    owner: Option<BlockerOwner>,
    subject_type: String,
    subject_id: ID,
}

impl From<blockers::Blocker> for Blocker {
    fn from(b: blockers::Blocker) -> Self {
        Blocker {
            kind: b.kind.into(),
            blocks: b.blocks.into(),
            description: b.description,
            action: b.action,
            owner: b.owner.map(|o| BlockerOwner {
                user_id: o.user_id,
                team: o.team,
                role: o.role.map(Into::into),
            }),
            subject_type: b.subject_type.to_owned(),
            subject_id: ID(encode_named(b.subject_type, b.subject_id)),
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::release::report::ItemKind")]
pub enum PlanItemKind {
    PhaseStart,
    PhaseEnd,
    Milestone,
    GoLive,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::release::report::Timeliness")]
pub enum Timeliness {
    OnTime,
    Early,
    Late,
    Upcoming,
    Overdue,
}

/// One planned date next to what happened.
#[derive(SimpleObject)]
pub struct PlannedVsActual {
    kind: PlanItemKind,
    name: String,
    planned: Date,
    actual: Option<DateTime>,
    /// Actual day minus planned day (negative: early); null until done.
    slip_days: Option<i32>,
    timeliness: Timeliness,
}

/// Governance fields of a release (merged into `Release` by `release.rs`).
pub async fn release_gates(ctx: &Context<'_>, release_id: uuid::Uuid) -> GqlResult<Vec<Gate>> {
    Ok(load_list(ctx, GatesOfRelease(release_id))
        .await?
        .into_iter()
        .map(Gate)
        .collect())
}

pub async fn release_raci(
    ctx: &Context<'_>,
    release_id: uuid::Uuid,
) -> GqlResult<Vec<RaciAssignment>> {
    Ok(load_list(ctx, RaciOfSubject(release_id))
        .await?
        .into_iter()
        .map(RaciAssignment)
        .collect())
}

pub async fn release_blockers(
    ctx: &Context<'_>,
    release: &entity::release::Model,
) -> GqlResult<Vec<Blocker>> {
    Ok(
        blockers::for_release(ctx.store().conn(), release, ctx.store().now())
            .await
            .gql()?
            .into_iter()
            .map(Into::into)
            .collect(),
    )
}

pub async fn release_planned_vs_actual(
    ctx: &Context<'_>,
    release: &entity::release::Model,
) -> GqlResult<Vec<PlannedVsActual>> {
    let today = ctx.store().clock().today();
    Ok(
        report::planned_vs_actual(ctx.store().conn(), release, today)
            .await
            .gql()?
            .into_iter()
            .map(|i| PlannedVsActual {
                kind: i.kind.into(),
                name: i.name,
                planned: i.planned.into(),
                actual: i.actual.map(Into::into),
                slip_days: i.slip_days.map(|d| d as i32),
                timeliness: i.timeliness.into(),
            })
            .collect(),
    )
}

pub async fn phase_gates(ctx: &Context<'_>, phase_id: uuid::Uuid) -> GqlResult<Vec<Gate>> {
    Ok(load_list(ctx, GatesOfPhase(phase_id))
        .await?
        .into_iter()
        .map(Gate)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Templates

/// A phase of a template: offset from the release start and length, in days.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplatePhaseInput")]
pub struct TemplatePhase {
    name: String,
    offset_days: i32,
    duration_days: i32,
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplateMilestoneInput")]
pub struct TemplateMilestone {
    name: String,
    offset_days: i32,
}

/// A criterion: MANUAL; METRIC with comparator and threshold; APPROVAL with an approver role
/// (or byAccountable) and a quorum.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "CriterionInput")]
pub struct CriterionDefinition {
    name: String,
    kind: CriterionKind,
    metric: Option<String>,
    comparator: Option<Comparator>,
    threshold: Option<f64>,
    unit: Option<String>,
    approver_role: Option<Role>,
    #[graphql(default)]
    by_accountable: bool,
    #[graphql(default = 1)]
    quorum: i32,
}

impl From<CriterionDefinition> for gates::NewCriterion {
    fn from(c: CriterionDefinition) -> Self {
        gates::NewCriterion {
            name: c.name,
            kind: c.kind.into(),
            metric: c.metric,
            comparator: c.comparator.map(Into::into),
            threshold: c.threshold,
            unit: c.unit,
            approver_role: c.approver_role.map(Into::into),
            by_accountable: c.by_accountable,
            quorum: c.quorum,
        }
    }
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplateGateInput")]
pub struct TemplateGate {
    /// The phase the gate closes, by name.
    phase: String,
    name: String,
    description: Option<String>,
    criteria: Vec<CriterionDefinition>,
}

/// A stakeholder role of a template: on the release, or on one of its gates (by name).
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplateRaciInput")]
pub struct TemplateRaci {
    gate: Option<String>,
    user_email: Option<String>,
    team: Option<String>,
    role: RaciRole,
}

/// A step of the deployment-plan skeleton.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplateActivityInput")]
pub struct TemplateActivity {
    title: String,
    /// MANUAL, AUTOMATED, CHECKPOINT or GO_NO_GO.
    kind: String,
    #[graphql(default)]
    offset_minutes: i32,
    duration_minutes: i32,
    #[graphql(default)]
    depends_on: Vec<String>,
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "TemplateDefinitionInput")]
pub struct TemplateDefinition {
    phases: Vec<TemplatePhase>,
    #[graphql(default)]
    milestones: Vec<TemplateMilestone>,
    #[graphql(default)]
    gates: Vec<TemplateGate>,
    #[graphql(default)]
    raci: Vec<TemplateRaci>,
    #[graphql(default)]
    plan: Vec<TemplateActivity>,
}

impl From<TemplateDefinition> for template::TemplateDefinition {
    fn from(d: TemplateDefinition) -> Self {
        template::TemplateDefinition {
            phases: d
                .phases
                .into_iter()
                .map(|p| template::TemplatePhase {
                    name: p.name,
                    offset_days: p.offset_days,
                    duration_days: p.duration_days,
                })
                .collect(),
            milestones: d
                .milestones
                .into_iter()
                .map(|m| template::TemplateMilestone {
                    name: m.name,
                    offset_days: m.offset_days,
                })
                .collect(),
            gates: d
                .gates
                .into_iter()
                .map(|g| template::TemplateGate {
                    phase: g.phase,
                    name: g.name,
                    description: g.description,
                    criteria: g
                        .criteria
                        .into_iter()
                        .map(|c| template::TemplateCriterion {
                            name: c.name,
                            kind: c.kind.into(),
                            metric: c.metric,
                            comparator: c.comparator.map(Into::into),
                            threshold: c.threshold,
                            unit: c.unit,
                            approver_role: c.approver_role.map(Into::into),
                            by_accountable: c.by_accountable,
                            quorum: c.quorum,
                        })
                        .collect(),
                })
                .collect(),
            raci: d
                .raci
                .into_iter()
                .map(|r| template::TemplateRaci {
                    gate: r.gate,
                    user_email: r.user_email,
                    team: r.team,
                    role: r.role.into(),
                })
                .collect(),
            plan: d
                .plan
                .into_iter()
                .map(|a| template::TemplateActivity {
                    title: a.title,
                    kind: a.kind,
                    offset_minutes: a.offset_minutes,
                    duration_minutes: a.duration_minutes,
                    depends_on: a.depends_on,
                })
                .collect(),
        }
    }
}

impl From<template::TemplateDefinition> for TemplateDefinition {
    fn from(d: template::TemplateDefinition) -> Self {
        TemplateDefinition {
            phases: d
                .phases
                .into_iter()
                .map(|p| TemplatePhase {
                    name: p.name,
                    offset_days: p.offset_days,
                    duration_days: p.duration_days,
                })
                .collect(),
            milestones: d
                .milestones
                .into_iter()
                .map(|m| TemplateMilestone {
                    name: m.name,
                    offset_days: m.offset_days,
                })
                .collect(),
            gates: d
                .gates
                .into_iter()
                .map(|g| TemplateGate {
                    phase: g.phase,
                    name: g.name,
                    description: g.description,
                    criteria: g
                        .criteria
                        .into_iter()
                        .map(|c| CriterionDefinition {
                            name: c.name,
                            kind: c.kind.into(),
                            metric: c.metric,
                            comparator: c.comparator.map(Into::into),
                            threshold: c.threshold,
                            unit: c.unit,
                            approver_role: c.approver_role.map(Into::into),
                            by_accountable: c.by_accountable,
                            quorum: c.quorum,
                        })
                        .collect(),
                })
                .collect(),
            raci: d
                .raci
                .into_iter()
                .map(|r| TemplateRaci {
                    gate: r.gate,
                    user_email: r.user_email,
                    team: r.team,
                    role: r.role.into(),
                })
                .collect(),
            plan: d
                .plan
                .into_iter()
                .map(|a| TemplateActivity {
                    title: a.title,
                    kind: a.kind,
                    offset_minutes: a.offset_minutes,
                    duration_minutes: a.duration_minutes,
                    depends_on: a.depends_on,
                })
                .collect(),
        }
    }
}

/// A reusable release layout.
pub struct ReleaseTemplate(pub release_template::Model);

#[Object]
impl ReleaseTemplate {
    pub async fn id(&self) -> ID {
        to_id(ReleaseTemplateId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn definition(&self) -> GqlResult<TemplateDefinition> {
        Ok(template::definition(&self.0).gql()?.into())
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

// ---------------------------------------------------------------------------------------------
// Audit chain

/// The result of walking the audit trail's hash chain.
#[derive(SimpleObject)]
pub struct AuditChainVerification {
    /// True when every link holds.
    intact: bool,
    /// Events checked before the first broken link (or all of them).
    checked: i64,
    /// The sequence number of the last event according to the chain head.
    head_sequence: i64,
    first_broken: Option<BrokenLink>,
}

#[derive(SimpleObject)]
pub struct BrokenLink {
    sequence: i64,
    event_id: Option<ID>,
    reason: String,
}

// ---------------------------------------------------------------------------------------------
// Queries

#[derive(Default)]
pub struct GovernanceQuery;

#[Object]
impl GovernanceQuery {
    #[graphql(guard = "Require(Permission::Read)")]
    async fn gate(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Gate> {
        gates::get(ctx.store().conn(), parse("id", &id)?)
            .await
            .gql()
            .map(Gate)
    }

    /// Gates across releases, the soonest due first (at most 500): by default those still
    /// pending — what test managers and approvers have to act on.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn gates(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "vec![GateStatus::Pending]")] statuses: Vec<GateStatus>,
        release_id: Option<ID>,
    ) -> GqlResult<Vec<Gate>> {
        let statuses: Vec<entity::GateStatus> = statuses.into_iter().map(Into::into).collect();
        let release = parse_opt("releaseId", release_id.as_ref())?;
        Ok(gates::list(ctx.store().conn(), &statuses, release, 500)
            .await
            .gql()?
            .into_iter()
            .map(Gate)
            .collect())
    }

    /// What the caller is responsible or accountable for, with what is due when.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn my_responsibilities(&self, ctx: &Context<'_>) -> GqlResult<Vec<RaciAssignment>> {
        let Some(user) = ctx.viewer().user().map(|u| u.id) else {
            return Ok(Vec::new());
        };
        Ok(raci::responsibilities(ctx.store().conn(), user)
            .await
            .gql()?
            .into_iter()
            .map(RaciAssignment)
            .collect())
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn release_templates(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReleaseTemplate>> {
        Ok(template::list(ctx.store().conn())
            .await
            .gql()?
            .into_iter()
            .map(ReleaseTemplate)
            .collect())
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn release_template(&self, ctx: &Context<'_>, id: ID) -> GqlResult<ReleaseTemplate> {
        template::get(ctx.store().conn(), parse("id", &id)?)
            .await
            .gql()
            .map(ReleaseTemplate)
    }

    /// Walks the whole audit trail and reports the first broken link of its hash chain.
    #[graphql(guard = "Require(Permission::ReadAudit)")]
    async fn verify_audit_chain(&self, ctx: &Context<'_>) -> GqlResult<AuditChainVerification> {
        let result = crate::domain::governance::audit::chain::verify(ctx.store().conn())
            .await
            .gql()?;
        Ok(AuditChainVerification {
            intact: result.first_broken.is_none(),
            checked: result.checked as i64,
            head_sequence: result.head_sequence,
            first_broken: result.first_broken.map(|b| BrokenLink {
                sequence: b.sequence,
                event_id: b.event_id.map(|id| to_id(AuditEventId(id))),
                reason: b.reason,
            }),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations

#[derive(InputObject)]
pub struct CreateGateInput {
    /// The phase the gate closes.
    phase_id: ID,
    name: String,
    description: Option<String>,
    /// Defaults to the end of the phase's planned last day.
    due_at: Option<DateTime>,
    #[graphql(default)]
    criteria: Vec<CriterionDefinition>,
}

#[derive(InputObject)]
pub struct UpdateGateInput {
    id: ID,
    name: Option<String>,
    description: MaybeUndefined<String>,
    /// A new due date; `null` clears it (the gate is then never chased as due).
    due_at: MaybeUndefined<DateTime>,
}

#[derive(SimpleObject)]
pub struct GatePayload {
    gate: Gate,
}

#[derive(InputObject)]
pub struct AddGateCriterionInput {
    gate_id: ID,
    criterion: CriterionDefinition,
}

#[derive(SimpleObject)]
pub struct CriterionPayload {
    criterion: Criterion,
}

/// A result for a MANUAL (passed) or METRIC (value) criterion.
#[derive(InputObject)]
pub struct RecordCriterionResultInput {
    criterion_id: ID,
    value: Option<f64>,
    passed: Option<bool>,
    /// Where the result comes from, e.g. "Jenkins", "Xray", "manual check".
    source: String,
    link: Option<String>,
    note: Option<String>,
}

#[derive(SimpleObject)]
pub struct CriterionResultPayload {
    result: CriterionResult,
    gate: Gate,
}

#[derive(InputObject)]
pub struct DecideApprovalInput {
    criterion_id: ID,
    decision: ApprovalDecision,
    comment: Option<String>,
}

#[derive(SimpleObject)]
pub struct ApprovalPayload {
    approval: GateApproval,
    gate: Gate,
}

#[derive(InputObject)]
pub struct CloseGateInput {
    id: ID,
    reason: Option<String>,
}

#[derive(InputObject)]
pub struct ReleaseIdInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct AdvancePhasePayload {
    release: Release,
}

#[derive(InputObject)]
pub struct AssignRaciInput {
    subject_type: RaciSubject,
    subject_id: ID,
    user_id: Option<ID>,
    team: Option<String>,
    role: RaciRole,
}

#[derive(SimpleObject)]
pub struct RaciPayload {
    assignment: RaciAssignment,
}

#[derive(InputObject)]
pub struct CreateReleaseTemplateInput {
    name: String,
    description: Option<String>,
    definition: TemplateDefinition,
}

#[derive(InputObject)]
pub struct UpdateReleaseTemplateInput {
    id: ID,
    name: Option<String>,
    description: MaybeUndefined<String>,
    definition: Option<TemplateDefinition>,
}

#[derive(SimpleObject)]
pub struct ReleaseTemplatePayload {
    template: ReleaseTemplate,
}

#[derive(InputObject)]
pub struct CreateReleaseFromTemplateInput {
    template_id: ID,
    key: String,
    name: String,
    description: Option<String>,
    kind: ReleaseKind,
    #[graphql(default_with = "RiskLevel::Medium")]
    risk: RiskLevel,
    parent_id: Option<ID>,
    owner_id: Option<ID>,
    /// The first day of the first phase.
    start: Date,
    /// Move phases past blackout periods.
    #[graphql(default)]
    skip_blackouts: bool,
}

#[derive(SimpleObject)]
pub struct PushPhaseDatesPayload {
    release: Release,
    /// Phases of project releases whose dates changed.
    phases_changed: i32,
}

fn subject(kind: RaciSubject, id: &ID) -> GqlResult<raci::Subject> {
    let (_, uuid) = split(id.as_str())
        .ok_or_else(|| crate::graphql::error::validation("subjectId", "subjectId: is not an id"))?;
    Ok(raci::Subject {
        kind: kind.into(),
        id: uuid,
    })
}

#[derive(Default)]
pub struct GovernanceMutation;

#[Object]
impl GovernanceMutation {
    /// Adds a gate (with criteria) at the exit of a phase.
    #[graphql(guard = "Require(Permission::ManageGates)")]
    async fn create_gate(
        &self,
        ctx: &Context<'_>,
        input: CreateGateInput,
    ) -> GqlResult<GatePayload> {
        let model = gates::create(
            ctx.store(),
            &ctx.actor(),
            gates::NewGate {
                phase_id: parse("phaseId", &input.phase_id)?,
                name: input.name,
                description: input.description,
                due_at: input.due_at.map(|t| t.0),
                criteria: input.criteria.into_iter().map(Into::into).collect(),
            },
        )
        .await
        .gql()?;
        Ok(GatePayload { gate: Gate(model) })
    }

    #[graphql(guard = "Require(Permission::ManageGates)")]
    async fn update_gate(
        &self,
        ctx: &Context<'_>,
        input: UpdateGateInput,
    ) -> GqlResult<GatePayload> {
        let model = gates::update(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            input.name,
            input.description.into(),
            input.due_at.map_value(|t| t.0).into(),
        )
        .await
        .gql()?;
        Ok(GatePayload { gate: Gate(model) })
    }

    #[graphql(guard = "Require(Permission::ManageGates)")]
    async fn delete_gate(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        gates::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// Adds a criterion to an open gate.
    #[graphql(guard = "Require(Permission::ManageGates)")]
    async fn add_gate_criterion(
        &self,
        ctx: &Context<'_>,
        input: AddGateCriterionInput,
    ) -> GqlResult<CriterionPayload> {
        let model = gates::add_criterion(
            ctx.store(),
            &ctx.actor(),
            parse("gateId", &input.gate_id)?,
            input.criterion.into(),
        )
        .await
        .gql()?;
        Ok(CriterionPayload {
            criterion: Criterion(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageGates)")]
    async fn remove_gate_criterion(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        gates::remove_criterion(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// Records a result (test managers, CI and test tools): a value for METRIC criteria, a
    /// verdict for MANUAL ones. The gate passes by itself once every criterion is met.
    #[graphql(guard = "Require(Permission::RecordResults)")]
    async fn record_criterion_result(
        &self,
        ctx: &Context<'_>,
        input: RecordCriterionResultInput,
    ) -> GqlResult<CriterionResultPayload> {
        let (result, gate) = gates::record_result(
            ctx.store(),
            &ctx.actor(),
            gates::NewResult {
                criterion_id: parse("criterionId", &input.criterion_id)?,
                value: input.value,
                passed: input.passed,
                source: input.source,
                link: input.link,
                note: input.note,
            },
        )
        .await
        .gql()?;
        Ok(CriterionResultPayload {
            result: CriterionResult(result),
            gate: Gate(gate),
        })
    }

    /// Asks for a gate's approvals; the caller may then not approve it.
    #[graphql(guard = "Require(Permission::DecideGates)")]
    async fn request_gate_approval(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<GatePayload> {
        let model = gates::request_approval(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(GatePayload { gate: Gate(model) })
    }

    /// Approves or rejects an approval criterion (the caller needs its role, or must be the
    /// gate's accountable person).
    #[graphql(guard = "Require(Permission::DecideGates)")]
    async fn decide_gate_approval(
        &self,
        ctx: &Context<'_>,
        input: DecideApprovalInput,
    ) -> GqlResult<ApprovalPayload> {
        let (approval, gate) = gates::decide(
            ctx.store(),
            &ctx.actor(),
            parse("criterionId", &input.criterion_id)?,
            input.decision.into(),
            input.comment,
        )
        .await
        .gql()?;
        Ok(ApprovalPayload {
            approval: GateApproval(approval),
            gate: Gate(gate),
        })
    }

    /// The gate's accountable person lets the release pass without it, with a reason.
    #[graphql(guard = "Require(Permission::DecideGates)")]
    async fn waive_gate(&self, ctx: &Context<'_>, input: CloseGateInput) -> GqlResult<GatePayload> {
        let model = gates::close(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            entity::GateStatus::Waived,
            input.reason,
        )
        .await
        .gql()?;
        Ok(GatePayload { gate: Gate(model) })
    }

    /// A release manager fails the gate, with a reason.
    #[graphql(guard = "Require(Permission::ControlReleases)")]
    async fn veto_gate(&self, ctx: &Context<'_>, input: CloseGateInput) -> GqlResult<GatePayload> {
        let model = gates::close(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            entity::GateStatus::Failed,
            input.reason,
        )
        .await
        .gql()?;
        Ok(GatePayload { gate: Gate(model) })
    }

    #[graphql(guard = "Require(Permission::ControlReleases)")]
    async fn reopen_gate(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<GatePayload> {
        let model = gates::reopen(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(GatePayload { gate: Gate(model) })
    }

    /// Ends the current phase (its gates must be passed or waived: GATE_BLOCKED otherwise) and
    /// starts the next.
    #[graphql(guard = "Require(Permission::ControlReleases)")]
    async fn advance_phase(
        &self,
        ctx: &Context<'_>,
        input: ReleaseIdInput,
    ) -> GqlResult<AdvancePhasePayload> {
        let model = progress::advance(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(AdvancePhasePayload {
            release: Release(model),
        })
    }

    /// Names a stakeholder; a subject has exactly one accountable.
    #[graphql(guard = "Require(Permission::AssignStakeholders)")]
    async fn assign_raci(
        &self,
        ctx: &Context<'_>,
        input: AssignRaciInput,
    ) -> GqlResult<RaciPayload> {
        let model = raci::assign(
            ctx.store(),
            &ctx.actor(),
            raci::NewAssignment {
                subject: subject(input.subject_type, &input.subject_id)?,
                user_id: parse_opt("userId", input.user_id.as_ref())?,
                team: input.team,
                role: input.role.into(),
            },
        )
        .await
        .gql()?;
        Ok(RaciPayload {
            assignment: RaciAssignment(model),
        })
    }

    #[graphql(guard = "Require(Permission::AssignStakeholders)")]
    async fn remove_raci(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        raci::remove(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    #[graphql(guard = "Require(Permission::ManageTemplates)")]
    async fn create_release_template(
        &self,
        ctx: &Context<'_>,
        input: CreateReleaseTemplateInput,
    ) -> GqlResult<ReleaseTemplatePayload> {
        let model = template::create(
            ctx.store(),
            &ctx.actor(),
            &input.name,
            input.description.as_deref(),
            input.definition.into(),
        )
        .await
        .gql()?;
        Ok(ReleaseTemplatePayload {
            template: ReleaseTemplate(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageTemplates)")]
    async fn update_release_template(
        &self,
        ctx: &Context<'_>,
        input: UpdateReleaseTemplateInput,
    ) -> GqlResult<ReleaseTemplatePayload> {
        let description: Option<Option<String>> = input.description.into();
        let model = template::update(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            input.name.as_deref(),
            description.as_ref().map(|d| d.as_deref()),
            input.definition.map(Into::into),
        )
        .await
        .gql()?;
        Ok(ReleaseTemplatePayload {
            template: ReleaseTemplate(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageTemplates)")]
    async fn delete_release_template(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        template::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    /// Creates a release with the template's phases, milestones, gates and RACI, dated from `start`.
    #[graphql(guard = "Require(Permission::ManageReleases)")]
    async fn create_release_from_template(
        &self,
        ctx: &Context<'_>,
        input: CreateReleaseFromTemplateInput,
    ) -> GqlResult<crate::graphql::release::ReleasePayload> {
        let from = template::FromTemplate {
            template_id: parse("templateId", &input.template_id)?,
            key: input.key,
            name: input.name,
            description: input.description,
            kind: input.kind.into(),
            risk: input.risk.into(),
            parent_id: parse_opt("parentId", input.parent_id.as_ref())?,
            owner_id: parse_opt("ownerId", input.owner_id.as_ref())?,
            start: input.start.0,
            skip_blackouts: input.skip_blackouts,
        };
        let model = template::instantiate(ctx.store(), &ctx.actor(), from)
            .await
            .gql()?;
        Ok(crate::graphql::release::ReleasePayload::new(Release(model)))
    }

    /// Copies an enterprise release's phase dates to the same-named phases of its project releases.
    #[graphql(guard = "Require(Permission::ControlReleases)")]
    async fn push_phase_dates(
        &self,
        ctx: &Context<'_>,
        input: ReleaseIdInput,
    ) -> GqlResult<PushPhaseDatesPayload> {
        let id: ReleaseId = parse("id", &input.id)?;
        let changed = template::push_phase_dates(ctx.store(), &ctx.actor(), id)
            .await
            .gql()?;
        let release = crate::domain::release::get(ctx.store().conn(), id)
            .await
            .gql()?;
        Ok(PushPhaseDatesPayload {
            release: Release(release),
            phases_changed: changed as i32,
        })
    }
}
