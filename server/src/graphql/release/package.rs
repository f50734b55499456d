//! Packages of change.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::package;

use crate::domain::identity::Permission;
use crate::domain::ids::PackageId;
use crate::domain::release::package::{
    self as packages, NewPackage, PackageFilter as DomainFilter, PackageOrder, PackagePatch,
};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{self, PackageKind, PackageStatus, SortDirection};
use crate::graphql::environment::deployment::Deployment;
use crate::graphql::environment::system::{DeletePayload, System};
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::ids::{parse, parse_opt, to_id};
use crate::graphql::loaders::{DeploymentsOfPackage, ReleaseById, SystemById};
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::{DeleteByIdInput, Release, load_list};
use crate::graphql::scalars::DateTime;

/// A unit of change of one system inside one release.
pub struct Package(pub package::Model);

#[Object]
impl Package {
    pub async fn id(&self) -> ID {
        to_id(PackageId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn version(&self) -> &str {
        &self.0.version
    }
    async fn kind(&self) -> PackageKind {
        self.0.kind.into()
    }
    async fn status(&self) -> PackageStatus {
        self.0.status.into()
    }
    /// Issue tracker reference, e.g. a Jira key.
    async fn jira_key(&self) -> Option<&str> {
        self.0.jira_key.as_deref()
    }
    /// ITSM change request id.
    async fn change_request_id(&self) -> Option<&str> {
        self.0.change_request_id.as_deref()
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
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
    /// Where and when this package was deployed, newest first.
    async fn deployments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Deployment>> {
        Ok(load_list(ctx, DeploymentsOfPackage(self.0.id))
            .await?
            .into_iter()
            .map(Deployment)
            .collect())
    }
}

#[derive(InputObject, Default)]
pub struct PackageFilter {
    release_id: Option<ID>,
    system_id: Option<ID>,
    status: Option<Vec<PackageStatus>>,
    kind: Option<Vec<PackageKind>>,
    /// Case-insensitive match on name, Jira key or change request id.
    search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum PackageOrderField {
    #[default]
    CreatedAt,
    Name,
}

#[derive(InputObject, Default)]
pub struct PackageOrderBy {
    #[graphql(default)]
    field: PackageOrderField,
    #[graphql(default)]
    direction: SortDirection,
}

#[derive(Default)]
pub struct PackageQuery;

#[Object]
impl PackageQuery {
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn packages(
        &self,
        ctx: &Context<'_>,
        filter: Option<PackageFilter>,
        order_by: Option<PackageOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Package>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let domain_filter = DomainFilter {
            release_id: parse_opt("filter.releaseId", filter.release_id.as_ref())?,
            system_id: parse_opt("filter.systemId", filter.system_id.as_ref())?,
            statuses: enums::to_entity(filter.status),
            kinds: enums::to_entity(filter.kind),
            search: filter.search,
        };
        let field = match order.field {
            PackageOrderField::CreatedAt => PackageOrder::CreatedAt,
            PackageOrderField::Name => PackageOrder::Name,
        };
        let page = packages::list(
            ctx.store().conn(),
            &domain_filter,
            field,
            order.direction.descending(),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Package))
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn package(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Package> {
        let id = parse::<PackageId>("id", &id)?;
        packages::get(ctx.store().conn(), id)
            .await
            .gql()
            .map(Package)
    }
}

#[derive(InputObject)]
pub struct CreatePackageInput {
    release_id: ID,
    system_id: ID,
    name: String,
    version: String,
    #[graphql(default_with = "PackageKind::Deployment")]
    kind: PackageKind,
    #[graphql(default_with = "PackageStatus::Planned")]
    status: PackageStatus,
    jira_key: Option<String>,
    change_request_id: Option<String>,
}

#[derive(InputObject)]
pub struct UpdatePackageInput {
    id: ID,
    name: Option<String>,
    version: Option<String>,
    kind: Option<PackageKind>,
    status: Option<PackageStatus>,
    jira_key: MaybeUndefined<String>,
    change_request_id: MaybeUndefined<String>,
}

#[derive(SimpleObject)]
pub struct PackagePayload {
    package: Package,
}

#[derive(Default)]
pub struct PackageMutation;

#[Object]
impl PackageMutation {
    /// Adds a package to a release; its system becomes a DIRECT impact of the release.
    #[graphql(guard = "Require(Permission::ManagePackages)")]
    async fn create_package(
        &self,
        ctx: &Context<'_>,
        input: CreatePackageInput,
    ) -> GqlResult<PackagePayload> {
        let model = packages::create(
            ctx.store(),
            &ctx.actor(),
            NewPackage {
                release_id: parse("releaseId", &input.release_id)?,
                system_id: parse("systemId", &input.system_id)?,
                name: input.name,
                version: input.version,
                kind: input.kind.into(),
                status: input.status.into(),
                jira_key: input.jira_key,
                change_request_id: input.change_request_id,
            },
        )
        .await
        .gql()?;
        Ok(PackagePayload {
            package: Package(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManagePackages)")]
    async fn update_package(
        &self,
        ctx: &Context<'_>,
        input: UpdatePackageInput,
    ) -> GqlResult<PackagePayload> {
        let id = parse::<PackageId>("id", &input.id)?;
        let patch = PackagePatch {
            name: input.name,
            version: input.version,
            kind: input.kind.map(Into::into),
            status: input.status.map(Into::into),
            jira_key: input.jira_key.into(),
            change_request_id: input.change_request_id.into(),
        };
        let model = packages::update(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(PackagePayload {
            package: Package(model),
        })
    }

    /// Deletes a package that was never deployed.
    #[graphql(guard = "Require(Permission::ManagePackages)")]
    async fn delete_package(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        packages::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
