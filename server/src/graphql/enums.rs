//! GraphQL enums, mirrored from the stored enums in `entity` (the entity crate stays free of
//! GraphQL). `remote` generates the conversions both ways.

use async_graphql::Enum;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::Role")]
/// What a user or API token may do; see the permission matrix in the README.
pub enum Role {
    Admin,
    ReleaseManager,
    EnvironmentManager,
    TestManager,
    ImplementationManager,
    PortfolioManager,
    ServiceManager,
    ProjectManager,
    Viewer,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::identity::Permission")]
/// What a caller may do, as the README's permission matrix lists it; `Me.permissions` says
/// which the caller holds, so clients need not copy the matrix.
pub enum Permission {
    Read,
    ManageSystems,
    ManageReleases,
    ControlReleases,
    ManagePackages,
    ManageEnvironments,
    ReadSecrets,
    RecordDeployments,
    ManageDeployments,
    RequestBookings,
    DecideBookings,
    ManageBlackouts,
    OverrideBlackouts,
    ReadAudit,
    ManageUsers,
    ManageApiTokens,
    ManageGates,
    RecordResults,
    DecideGates,
    ManageTemplates,
    ManageWebhooks,
    ManagePlans,
    RunPlans,
    OperateActivities,
    AssignStakeholders,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::Criticality")]
/// Business criticality of a system, TIER_1 being mission critical.
pub enum Criticality {
    #[graphql(name = "TIER_1")]
    Tier1,
    #[graphql(name = "TIER_2")]
    Tier2,
    #[graphql(name = "TIER_3")]
    Tier3,
    #[graphql(name = "TIER_4")]
    Tier4,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::ReleaseKind")]
/// ENTERPRISE releases group PROJECT releases; INDEPENDENT and EMERGENCY stand alone.
pub enum ReleaseKind {
    Enterprise,
    Project,
    Independent,
    Emergency,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::ReleaseStatus")]
/// DRAFT → PLANNED → IN_PROGRESS → GO_LIVE → RELEASED, or CANCELLED / ROLLED_BACK.
pub enum ReleaseStatus {
    Draft,
    Planned,
    InProgress,
    GoLive,
    Released,
    Cancelled,
    RolledBack,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::RiskLevel")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::ImpactKind")]
/// DIRECT: the release changes the system. REGRESSION: it must be re-verified.
pub enum ImpactKind {
    Direct,
    Regression,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::PackageKind")]
pub enum PackageKind {
    Work,
    Deployment,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::PackageStatus")]
pub enum PackageStatus {
    Planned,
    InProgress,
    Ready,
    Deployed,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::EnvironmentTier")]
pub enum EnvironmentTier {
    Dev,
    Sit,
    Uat,
    Perf,
    Staging,
    Prod,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::EnvironmentStatus")]
pub enum EnvironmentStatus {
    Available,
    Maintenance,
    Down,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::DeploymentStatus")]
pub enum DeploymentStatus {
    Succeeded,
    Failed,
    RolledBack,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl SortDirection {
    pub fn descending(self) -> bool {
        self == SortDirection::Desc
    }
}

/// Converts a list of API enum values to stored ones.
pub fn to_entity<A: Copy + Into<E>, E>(values: Option<Vec<A>>) -> Vec<E> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::GateStatus")]
/// PENDING → PASSED (all criteria met) | FAILED (vetoed), or WAIVED with a reason.
pub enum GateStatus {
    Pending,
    Passed,
    Failed,
    Waived,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::CriterionKind")]
/// MANUAL: someone ticks it. METRIC: a value against a threshold. APPROVAL: enough approvers.
pub enum CriterionKind {
    Manual,
    Metric,
    Approval,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::Comparator")]
/// value <comparator> threshold
pub enum Comparator {
    Gte,
    Gt,
    Lte,
    Lt,
    Eq,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::CriterionState")]
pub enum CriterionState {
    Pending,
    Met,
    NotMet,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::ApprovalDecision")]
pub enum ApprovalDecision {
    Approve,
    Reject,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::RaciRole")]
pub enum RaciRole {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::RaciSubject")]
pub enum RaciSubject {
    Release,
    Gate,
    DeploymentPlan,
    Activity,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::DeliveryStatus")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::PlanMode")]
/// DRAFT → APPROVED → REHEARSAL (back to APPROVED) | EXECUTING → COMPLETED | ABORTED.
pub enum PlanMode {
    Draft,
    Approved,
    Rehearsal,
    Executing,
    Completed,
    Aborted,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::ActivityKind")]
pub enum ActivityKind {
    Manual,
    Automated,
    Checkpoint,
    GoNoGo,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::ActivityStatus")]
pub enum ActivityStatus {
    Pending,
    Ready,
    InProgress,
    Done,
    Failed,
    Skipped,
    Blocked,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::RunKind")]
pub enum RunKind {
    Rehearsal,
    Execution,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::RunStatus")]
pub enum RunStatus {
    Running,
    Completed,
    Aborted,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::Decision")]
pub enum Decision {
    Go,
    NoGo,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::IssueSeverity")]
pub enum IssueSeverity {
    Low,
    Medium,
    High,
    Critical,
}
