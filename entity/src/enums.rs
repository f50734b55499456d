//! Enumerations stored as strings (portable across SQLite and PostgreSQL).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum,
            Serialize, Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $(
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// The stored (and API) spelling of the value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                }
            }

            /// Parses the stored spelling back.
            pub fn parse(value: &str) -> Option<Self> {
                match value {
                    $($value => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// Every value, in declaration order.
            pub fn all() -> &'static [Self] {
                &[$(Self::$variant),+]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// What a user or API token may do; see the permission matrix in the README.
    Role {
        Admin = "ADMIN",
        ReleaseManager = "RELEASE_MANAGER",
        EnvironmentManager = "ENVIRONMENT_MANAGER",
        TestManager = "TEST_MANAGER",
        ImplementationManager = "IMPLEMENTATION_MANAGER",
        PortfolioManager = "PORTFOLIO_MANAGER",
        ServiceManager = "SERVICE_MANAGER",
        ProjectManager = "PROJECT_MANAGER",
        Viewer = "VIEWER",
    }
);

string_enum!(
    /// Business criticality of a system (tier 1 = mission critical).
    Criticality {
        Tier1 = "TIER_1",
        Tier2 = "TIER_2",
        Tier3 = "TIER_3",
        Tier4 = "TIER_4",
    }
);

string_enum!(
    /// How a release relates to others.
    ReleaseKind {
        Enterprise = "ENTERPRISE",
        Project = "PROJECT",
        Independent = "INDEPENDENT",
        Emergency = "EMERGENCY",
    }
);

string_enum!(
    /// Lifecycle of a release.
    ReleaseStatus {
        Draft = "DRAFT",
        Planned = "PLANNED",
        InProgress = "IN_PROGRESS",
        GoLive = "GO_LIVE",
        Released = "RELEASED",
        Cancelled = "CANCELLED",
        RolledBack = "ROLLED_BACK",
    }
);

string_enum!(
    /// Delivery risk of a release.
    RiskLevel {
        Low = "LOW",
        Medium = "MEDIUM",
        High = "HIGH",
        Critical = "CRITICAL",
    }
);

string_enum!(
    /// How a release touches a system.
    ImpactKind {
        Direct = "DIRECT",
        Regression = "REGRESSION",
    }
);

string_enum!(
    /// A work package (what is built) or a deployment package (what is shipped).
    PackageKind {
        Work = "WORK",
        Deployment = "DEPLOYMENT",
    }
);

string_enum!(
    /// Progress of a package of change.
    PackageStatus {
        Planned = "PLANNED",
        InProgress = "IN_PROGRESS",
        Ready = "READY",
        Deployed = "DEPLOYED",
        Cancelled = "CANCELLED",
    }
);

string_enum!(
    /// Where an environment sits on the path to production.
    EnvironmentTier {
        Dev = "DEV",
        Sit = "SIT",
        Uat = "UAT",
        Perf = "PERF",
        Staging = "STAGING",
        Prod = "PROD",
    }
);

string_enum!(
    /// Whether an environment can be used.
    EnvironmentStatus {
        Available = "AVAILABLE",
        Maintenance = "MAINTENANCE",
        Down = "DOWN",
    }
);

string_enum!(
    /// Outcome of a deployment.
    DeploymentStatus {
        Succeeded = "SUCCEEDED",
        Failed = "FAILED",
        RolledBack = "ROLLED_BACK",
    }
);

string_enum!(
    /// Where a gate stands.
    GateStatus {
        Pending = "PENDING",
        Passed = "PASSED",
        Failed = "FAILED",
        Waived = "WAIVED",
    }
);

string_enum!(
    /// How a criterion is met: someone ticks it, a measured value crosses a threshold, or
    /// enough of the right people approve.
    CriterionKind {
        Manual = "MANUAL",
        Metric = "METRIC",
        Approval = "APPROVAL",
    }
);

string_enum!(
    /// Comparison of a metric criterion: value <comparator> threshold.
    Comparator {
        Gte = "GTE",
        Gt = "GT",
        Lte = "LTE",
        Lt = "LT",
        Eq = "EQ",
    }
);

string_enum!(
    CriterionState {
        Pending = "PENDING",
        Met = "MET",
        NotMet = "NOT_MET",
    }
);

string_enum!(
    ApprovalDecision {
        Approve = "APPROVE",
        Reject = "REJECT",
    }
);

string_enum!(
    /// Responsible, accountable, consulted, informed.
    RaciRole {
        Responsible = "RESPONSIBLE",
        Accountable = "ACCOUNTABLE",
        Consulted = "CONSULTED",
        Informed = "INFORMED",
    }
);

string_enum!(
    /// What a RACI assignment is about.
    RaciSubject {
        Release = "RELEASE",
        Gate = "GATE",
        DeploymentPlan = "DEPLOYMENT_PLAN",
        Activity = "ACTIVITY",
    }
);

string_enum!(
    DeliveryStatus {
        Pending = "PENDING",
        Delivered = "DELIVERED",
        Failed = "FAILED",
    }
);

string_enum!(
    /// DRAFT → APPROVED → REHEARSAL (back to APPROVED) | EXECUTING → COMPLETED | ABORTED.
    PlanMode {
        Draft = "DRAFT",
        Approved = "APPROVED",
        Rehearsal = "REHEARSAL",
        Executing = "EXECUTING",
        Completed = "COMPLETED",
        Aborted = "ABORTED",
    }
);

string_enum!(
    /// What an activity of a runbook is.
    ActivityKind {
        Manual = "MANUAL",
        Automated = "AUTOMATED",
        Checkpoint = "CHECKPOINT",
        GoNoGo = "GO_NO_GO",
    }
);

string_enum!(
    /// Where an activity stands in a run.
    ActivityStatus {
        Pending = "PENDING",
        Ready = "READY",
        InProgress = "IN_PROGRESS",
        Done = "DONE",
        Failed = "FAILED",
        Skipped = "SKIPPED",
        Blocked = "BLOCKED",
    }
);

string_enum!(
    RunKind {
        Rehearsal = "REHEARSAL",
        Execution = "EXECUTION",
    }
);

string_enum!(
    RunStatus {
        Running = "RUNNING",
        Completed = "COMPLETED",
        Aborted = "ABORTED",
    }
);

string_enum!(
    /// A checkpoint's or go/no-go's outcome.
    Decision {
        Go = "GO",
        NoGo = "NO_GO",
    }
);

string_enum!(
    IssueSeverity {
        Low = "LOW",
        Medium = "MEDIUM",
        High = "HIGH",
        Critical = "CRITICAL",
    }
);

string_enum!(
    /// Lifecycle of an environment booking: REQUESTED → APPROVED | REJECTED, or CANCELLED;
    /// a conflicting request may wait on the WAITLIST and be OFFERED the slot when it frees.
    BookingStatus {
        Requested = "REQUESTED",
        Waitlisted = "WAITLISTED",
        Offered = "OFFERED",
        Approved = "APPROVED",
        Rejected = "REJECTED",
        Cancelled = "CANCELLED",
    }
);

/// A set of roles as stored in one text column: comma-separated, sorted, no duplicates.
pub fn roles_to_column(roles: &[Role]) -> String {
    let mut sorted: Vec<Role> = roles.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a roles column back; unknown names (from a newer version) are ignored.
pub fn roles_from_column(column: &str) -> Vec<Role> {
    column
        .split(',')
        .filter_map(|s| Role::parse(s.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_sorted_and_deduplicated() {
        let column = roles_to_column(&[Role::Viewer, Role::Admin, Role::Viewer]);
        assert_eq!(column, "ADMIN,VIEWER");
        assert_eq!(roles_from_column(&column), vec![Role::Admin, Role::Viewer]);
        assert_eq!(roles_from_column(""), Vec::<Role>::new());
    }

    #[test]
    fn parse_is_the_inverse_of_as_str() {
        for kind in RaciRole::all() {
            assert_eq!(RaciRole::parse(kind.as_str()), Some(*kind));
        }
        for status in ReleaseStatus::all() {
            assert_eq!(ReleaseStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(ReleaseStatus::parse("released"), None);
    }
}
