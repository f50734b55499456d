//! What each role may do. Every GraphQL field and mutation declares one permission; this
//! table is the only place that says which roles hold it (the README's matrix mirrors it).

use entity::Role::{self, *};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read the portfolio: releases, systems, packages, environments, deployments, users.
    Read,
    /// Create, change and delete systems.
    ManageSystems,
    /// Create and change releases and their phases, milestones, impacts and dependencies
    /// (project managers: PROJECT releases only).
    ManageReleases,
    /// Move releases through their lifecycle and delete them.
    ControlReleases,
    /// Create, change and delete packages of change.
    ManagePackages,
    /// The environment catalogue: groups, environments, hosted systems, configuration.
    ManageEnvironments,
    /// See configuration values marked secret.
    ReadSecrets,
    /// Record deployments (CI/CD tools hold API tokens with one of these roles).
    RecordDeployments,
    /// Correct or remove recorded deployments.
    ManageDeployments,
    /// Request environment bookings, and change or cancel one's own.
    RequestBookings,
    /// Approve and reject bookings; change or cancel anyone's.
    DecideBookings,
    /// Create, change and delete blackout periods.
    ManageBlackouts,
    /// Book into a blackout, or take a release live during one, giving a reason (audited).
    /// Not a guard of its own: checked where an override reason is given.
    OverrideBlackouts,
    /// Read the audit trail.
    ReadAudit,
    /// Users and their roles.
    ManageUsers,
    /// API tokens for third-party tools.
    ManageApiTokens,
    /// Define gates and their criteria.
    ManageGates,
    /// Record criterion results (test managers, and CI/test tools with their tokens).
    RecordResults,
    /// Ask for, give or refuse approvals and waive gates (the rules of each gate decide who).
    DecideGates,
    /// Release templates.
    ManageTemplates,
    /// Outbound webhooks.
    ManageWebhooks,
    /// Build deployment plans (runbooks) and approve or reopen them.
    ManagePlans,
    /// Start rehearsals and the execution, abort runs.
    RunPlans,
    /// Move activities, decide checkpoints, raise and resolve issues (each activity's rules
    /// decide who: its owner, an implementation manager, the plan's accountable).
    OperateActivities,
    /// Name RACI stakeholders: release people on releases and gates, plan builders on
    /// deployment plans and activities (the subject decides which).
    AssignStakeholders,
}

impl Permission {
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::Read => &[
                Admin,
                ReleaseManager,
                EnvironmentManager,
                TestManager,
                ImplementationManager,
                PortfolioManager,
                ServiceManager,
                ProjectManager,
                Viewer,
            ],
            Permission::ManageSystems => &[Admin, ReleaseManager, PortfolioManager],
            Permission::ManageReleases => &[Admin, ReleaseManager, ProjectManager],
            Permission::ControlReleases => &[Admin, ReleaseManager],
            Permission::ManagePackages => &[Admin, ReleaseManager, ProjectManager],
            Permission::ManageEnvironments => &[Admin, EnvironmentManager],
            Permission::ReadSecrets => &[Admin, EnvironmentManager],
            Permission::RecordDeployments => &[Admin, EnvironmentManager, ImplementationManager],
            Permission::ManageDeployments => &[Admin, EnvironmentManager],
            Permission::RequestBookings => &[
                Admin,
                ReleaseManager,
                EnvironmentManager,
                TestManager,
                ImplementationManager,
                PortfolioManager,
                ServiceManager,
                ProjectManager,
            ],
            Permission::DecideBookings => &[Admin, EnvironmentManager],
            Permission::ManageBlackouts => &[Admin, EnvironmentManager],
            // Those who own the calendar (environment managers) and the schedule (release
            // managers), and admins.
            Permission::OverrideBlackouts => &[Admin, ReleaseManager, EnvironmentManager],
            Permission::ReadAudit => &[Admin, ReleaseManager, PortfolioManager, ServiceManager],
            Permission::ManageUsers => &[Admin],
            Permission::ManageApiTokens => &[Admin],
            Permission::ManageGates => &[Admin, ReleaseManager],
            Permission::RecordResults => &[Admin, ReleaseManager, TestManager],
            Permission::DecideGates => &[
                Admin,
                ReleaseManager,
                EnvironmentManager,
                TestManager,
                ImplementationManager,
                PortfolioManager,
                ServiceManager,
                ProjectManager,
            ],
            Permission::ManageTemplates => &[Admin, ReleaseManager],
            Permission::ManageWebhooks => &[Admin],
            Permission::ManagePlans => &[Admin, ReleaseManager, ImplementationManager],
            Permission::RunPlans => &[Admin, ImplementationManager],
            Permission::AssignStakeholders => {
                &[Admin, ReleaseManager, ProjectManager, ImplementationManager]
            }
            Permission::OperateActivities => &[
                Admin,
                ReleaseManager,
                EnvironmentManager,
                TestManager,
                ImplementationManager,
                PortfolioManager,
                ServiceManager,
                ProjectManager,
            ],
        }
    }

    pub fn allows(self, roles: &[Role]) -> bool {
        self.roles().iter().any(|r| roles.contains(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_only_read() {
        assert!(Permission::Read.allows(&[Viewer]));
        for permission in [
            Permission::ManageSystems,
            Permission::ManageReleases,
            Permission::ControlReleases,
            Permission::ManagePackages,
            Permission::ManageEnvironments,
            Permission::RecordDeployments,
            Permission::RequestBookings,
            Permission::DecideBookings,
            Permission::ManageBlackouts,
            Permission::OverrideBlackouts,
            Permission::ManageUsers,
        ] {
            assert!(!permission.allows(&[Viewer]), "{permission:?}");
        }
    }

    #[test]
    fn no_roles_means_no_access() {
        assert!(!Permission::Read.allows(&[]));
    }
}
