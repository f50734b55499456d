//! Systems of the portfolio.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::system;

use crate::domain::environment::system::{
    self as systems, NewSystem, SystemFilter as DomainFilter, SystemOrder, SystemPatch,
};
use crate::domain::identity::Permission;
use crate::domain::ids::SystemId;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{self, Criticality, SortDirection};
use crate::graphql::environment::Environment;
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::ids::{parse, to_id};
use crate::graphql::loaders::{EnvironmentById, EnvironmentsOfSystem, ImpactsOfSystem};
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::ReleaseImpact;
use crate::graphql::scalars::DateTime;

/// An application or service of the portfolio.
pub struct System(pub system::Model);

#[Object]
impl System {
    pub async fn id(&self) -> ID {
        to_id(SystemId(self.0.id))
    }
    /// Short unique code, e.g. `PAY-GW`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Owning team or person.
    async fn owner(&self) -> Option<&str> {
        self.0.owner.as_deref()
    }
    async fn criticality(&self) -> Criticality {
        self.0.criticality.into()
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// Environments that host this system.
    async fn environments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Environment>> {
        let links = ctx
            .loader()
            .load_one(EnvironmentsOfSystem(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or_default();
        let keys: Vec<EnvironmentById> = links
            .iter()
            .map(|l| EnvironmentById(l.environment_id))
            .collect();
        let mut found = ctx
            .loader()
            .load_many(keys.clone())
            .await
            .map_err(internal)?;
        Ok(keys
            .iter()
            .filter_map(|k| found.remove(k))
            .map(Environment)
            .collect())
    }
    /// Releases that impact this system, directly or as regression scope.
    async fn impacts(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReleaseImpact>> {
        Ok(ctx
            .loader()
            .load_one(ImpactsOfSystem(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or_default()
            .into_iter()
            .map(ReleaseImpact)
            .collect())
    }
}

#[derive(InputObject, Default)]
pub struct SystemFilter {
    /// Case-insensitive match on name or code.
    search: Option<String>,
    criticality: Option<Vec<Criticality>>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum SystemOrderField {
    #[default]
    Name,
    Code,
    CreatedAt,
}

#[derive(InputObject, Default)]
pub struct SystemOrderBy {
    #[graphql(default)]
    field: SystemOrderField,
    #[graphql(default)]
    direction: SortDirection,
}

#[derive(Default)]
pub struct SystemQuery;

#[Object]
impl SystemQuery {
    /// Systems of the portfolio.
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn systems(
        &self,
        ctx: &Context<'_>,
        filter: Option<SystemFilter>,
        order_by: Option<SystemOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<System>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let domain_filter = DomainFilter {
            search: filter.search,
            criticality: enums::to_entity(filter.criticality),
        };
        let field = match order.field {
            SystemOrderField::Name => SystemOrder::Name,
            SystemOrderField::Code => SystemOrder::Code,
            SystemOrderField::CreatedAt => SystemOrder::CreatedAt,
        };
        let page = systems::list(
            ctx.store().conn(),
            &domain_filter,
            field,
            order.direction.descending(),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, System))
    }

    /// One system by id.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn system(&self, ctx: &Context<'_>, id: ID) -> GqlResult<System> {
        let id = parse::<SystemId>("id", &id)?;
        systems::get(ctx.store().conn(), id).await.gql().map(System)
    }

    /// One system by its code.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn system_by_code(&self, ctx: &Context<'_>, code: String) -> GqlResult<Option<System>> {
        Ok(systems::find_by_code(ctx.store().conn(), code.trim())
            .await
            .gql()?
            .map(System))
    }
}

#[derive(InputObject)]
pub struct CreateSystemInput {
    code: String,
    name: String,
    description: Option<String>,
    owner: Option<String>,
    #[graphql(default_with = "Criticality::Tier3")]
    criticality: Criticality,
}

#[derive(InputObject)]
pub struct UpdateSystemInput {
    id: ID,
    code: Option<String>,
    name: Option<String>,
    description: MaybeUndefined<String>,
    owner: MaybeUndefined<String>,
    criticality: Option<Criticality>,
}

#[derive(InputObject)]
pub struct DeleteSystemInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct SystemPayload {
    system: System,
}

#[derive(SimpleObject)]
pub struct DeletePayload {
    /// Id of what was deleted.
    deleted_id: ID,
}

impl DeletePayload {
    pub fn new(id: ID) -> Self {
        Self { deleted_id: id }
    }
}

#[derive(Default)]
pub struct SystemMutation;

#[Object]
impl SystemMutation {
    #[graphql(guard = "Require(Permission::ManageSystems)")]
    async fn create_system(
        &self,
        ctx: &Context<'_>,
        input: CreateSystemInput,
    ) -> GqlResult<SystemPayload> {
        let model = systems::create(
            ctx.store(),
            &ctx.actor(),
            NewSystem {
                code: input.code,
                name: input.name,
                description: input.description,
                owner: input.owner,
                criticality: input.criticality.into(),
            },
        )
        .await
        .gql()?;
        Ok(SystemPayload {
            system: System(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageSystems)")]
    async fn update_system(
        &self,
        ctx: &Context<'_>,
        input: UpdateSystemInput,
    ) -> GqlResult<SystemPayload> {
        let id = parse::<SystemId>("id", &input.id)?;
        let model = systems::update(
            ctx.store(),
            &ctx.actor(),
            id,
            SystemPatch {
                code: input.code,
                name: input.name,
                description: input.description.into(),
                owner: input.owner.into(),
                criticality: input.criticality.map(Into::into),
            },
        )
        .await
        .gql()?;
        Ok(SystemPayload {
            system: System(model),
        })
    }

    /// Deletes a system that no release, package or deployment refers to.
    #[graphql(guard = "Require(Permission::ManageSystems)")]
    async fn delete_system(
        &self,
        ctx: &Context<'_>,
        input: DeleteSystemInput,
    ) -> GqlResult<DeletePayload> {
        let id = parse::<SystemId>("id", &input.id)?;
        systems::delete(ctx.store(), &ctx.actor(), id).await.gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
