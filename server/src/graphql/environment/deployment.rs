//! Deployments and "what runs where".

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::deployment;

use crate::domain::environment::deployment::{
    self as deployments, DeploymentFilter as DomainFilter, NewDeployment,
};
use crate::domain::identity::Permission;
use crate::domain::ids::{DeploymentId, EnvironmentId, SystemId};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{self, DeploymentStatus, EnvironmentTier, SortDirection};
use crate::graphql::environment::Environment;
use crate::graphql::environment::system::{DeletePayload, System};
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse, parse_all, parse_opt, to_id};
use crate::graphql::loaders::{
    DeployedWithoutBooking, EnvironmentById, PackageById, ReleaseById, SystemById, UserById,
};
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::package::Package;
use crate::graphql::release::{DeleteByIdInput, Release};
use crate::graphql::scalars::DateTime;

/// A package version put on an environment.
pub struct Deployment(pub deployment::Model);

#[Object]
impl Deployment {
    pub async fn id(&self) -> ID {
        to_id(DeploymentId(self.0.id))
    }
    /// The version deployed.
    async fn version(&self) -> &str {
        &self.0.version
    }
    async fn status(&self) -> DeploymentStatus {
        self.0.status.into()
    }
    async fn deployed_at(&self) -> DateTime {
        self.0.deployed_at.into()
    }
    /// Name of who recorded it (a user, or an API token such as a CI pipeline).
    async fn deployed_by_name(&self) -> &str {
        &self.0.deployed_by_name
    }
    async fn deployed_by(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(user) = self.0.deployed_by else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(user))
            .await
            .map_err(internal)?
            .map(User))
    }
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    async fn package(&self, ctx: &Context<'_>) -> GqlResult<Option<Package>> {
        Ok(ctx
            .loader()
            .load_one(PackageById(self.0.package_id))
            .await
            .map_err(internal)?
            .map(Package))
    }
    async fn environment(&self, ctx: &Context<'_>) -> GqlResult<Option<Environment>> {
        Ok(ctx
            .loader()
            .load_one(EnvironmentById(self.0.environment_id))
            .await
            .map_err(internal)?
            .map(Environment))
    }
    async fn system(&self, ctx: &Context<'_>) -> GqlResult<Option<System>> {
        Ok(ctx
            .loader()
            .load_one(SystemById(self.0.system_id))
            .await
            .map_err(internal)?
            .map(System))
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        Ok(ctx
            .loader()
            .load_one(ReleaseById(self.0.release_id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    /// True when the release (or the enterprise release it belongs to) held no approved
    /// booking of the environment when this was deployed: "deployed without booking".
    async fn without_booking(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        Ok(ctx
            .loader()
            .load_one(DeployedWithoutBooking(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or(false))
    }
}

#[derive(InputObject, Default)]
pub struct DeploymentFilter {
    environment_id: Option<ID>,
    system_id: Option<ID>,
    release_id: Option<ID>,
    package_id: Option<ID>,
    status: Option<Vec<DeploymentStatus>>,
    /// Deployed at or after.
    from: Option<DateTime>,
    /// Deployed before.
    to: Option<DateTime>,
    /// true: only deployments made without an approved booking of the release; false: only
    /// those with one.
    without_booking: Option<bool>,
}

#[derive(InputObject, Default)]
pub struct WhatRunsWhereFilter {
    environment_ids: Option<Vec<ID>>,
    system_ids: Option<Vec<ID>>,
    /// Only environments of these tiers.
    tiers: Option<Vec<EnvironmentTier>>,
}

#[derive(Default)]
pub struct DeploymentQuery;

#[Object]
impl DeploymentQuery {
    /// Deployments, newest first unless told otherwise.
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn deployments(
        &self,
        ctx: &Context<'_>,
        filter: Option<DeploymentFilter>,
        #[graphql(default_with = "SortDirection::Desc")] direction: SortDirection,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Deployment>> {
        let filter = filter.unwrap_or_default();
        let domain_filter = DomainFilter {
            environment_id: parse_opt("filter.environmentId", filter.environment_id.as_ref())?,
            system_id: parse_opt("filter.systemId", filter.system_id.as_ref())?,
            release_id: parse_opt("filter.releaseId", filter.release_id.as_ref())?,
            package_id: parse_opt("filter.packageId", filter.package_id.as_ref())?,
            statuses: enums::to_entity(filter.status),
            from: filter.from.map(|t| t.0),
            to: filter.to.map(|t| t.0),
            without_booking: filter.without_booking,
        };
        let page = deployments::list(
            ctx.store().conn(),
            &domain_filter,
            direction.descending(),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Deployment))
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn deployment(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Deployment> {
        let id = parse::<DeploymentId>("id", &id)?;
        deployments::get(ctx.store().conn(), id)
            .await
            .gql()
            .map(Deployment)
    }

    /// What runs where: for each environment × system, the latest successful deployment.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn what_runs_where(
        &self,
        ctx: &Context<'_>,
        filter: Option<WhatRunsWhereFilter>,
    ) -> GqlResult<Vec<Deployment>> {
        let filter = filter.unwrap_or_default();
        let environment_ids: Vec<uuid::Uuid> = parse_all::<EnvironmentId>(
            "filter.environmentIds",
            &filter.environment_ids.unwrap_or_default(),
        )?
        .into_iter()
        .map(|id| id.0)
        .collect();
        let system_ids: Vec<uuid::Uuid> =
            parse_all::<SystemId>("filter.systemIds", &filter.system_ids.unwrap_or_default())?
                .into_iter()
                .map(|id| id.0)
                .collect();
        let tiers: Vec<entity::EnvironmentTier> = enums::to_entity(filter.tiers);
        let rows =
            deployments::what_runs_where(ctx.store().conn(), &environment_ids, &system_ids, &tiers)
                .await
                .gql()?;
        Ok(rows.into_iter().map(Deployment).collect())
    }
}

#[derive(InputObject)]
pub struct RecordDeploymentInput {
    package_id: ID,
    environment_id: ID,
    /// Defaults to the package's version.
    version: Option<String>,
    #[graphql(default_with = "DeploymentStatus::Succeeded")]
    status: DeploymentStatus,
    /// Defaults to now.
    deployed_at: Option<DateTime>,
    notes: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateDeploymentInput {
    id: ID,
    status: Option<DeploymentStatus>,
    notes: MaybeUndefined<String>,
}

#[derive(SimpleObject)]
pub struct DeploymentPayload {
    deployment: Deployment,
}

#[derive(Default)]
pub struct DeploymentMutation;

#[Object]
impl DeploymentMutation {
    /// Records that a package was deployed to an environment (for CI/CD tools too).
    #[graphql(guard = "Require(Permission::RecordDeployments)")]
    async fn record_deployment(
        &self,
        ctx: &Context<'_>,
        input: RecordDeploymentInput,
    ) -> GqlResult<DeploymentPayload> {
        let model = deployments::record(
            ctx.store(),
            &ctx.actor(),
            NewDeployment {
                package_id: parse("packageId", &input.package_id)?,
                environment_id: parse("environmentId", &input.environment_id)?,
                version: input.version,
                status: input.status.into(),
                deployed_at: input.deployed_at.map(|t| t.0),
                notes: input.notes,
            },
        )
        .await
        .gql()?;
        Ok(DeploymentPayload {
            deployment: Deployment(model),
        })
    }

    /// Corrects a deployment's outcome (e.g. ROLLED_BACK) or notes.
    #[graphql(guard = "Require(Permission::ManageDeployments)")]
    async fn update_deployment(
        &self,
        ctx: &Context<'_>,
        input: UpdateDeploymentInput,
    ) -> GqlResult<DeploymentPayload> {
        let id = parse::<DeploymentId>("id", &input.id)?;
        let model = deployments::update(
            ctx.store(),
            &ctx.actor(),
            id,
            input.status.map(Into::into),
            input.notes.into(),
        )
        .await
        .gql()?;
        Ok(DeploymentPayload {
            deployment: Deployment(model),
        })
    }

    /// Removes a deployment recorded by mistake; the audit trail keeps it.
    #[graphql(guard = "Require(Permission::ManageDeployments)")]
    async fn delete_deployment(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        deployments::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
