//! The environment catalogue.

pub mod deployment;
pub mod drift;
pub mod system;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{config_change, config_entry, environment, environment_group};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::environment::{
    self as environments, ConfigEdit, EnvironmentFilter as DomainFilter, EnvironmentOrder,
    EnvironmentPatch, NewEnvironment,
};
use crate::domain::identity::Permission;
use crate::domain::ids::*;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{self, EnvironmentStatus, EnvironmentTier, SortDirection};
use crate::graphql::environment::deployment::Deployment;
use crate::graphql::environment::system::{DeletePayload, System};
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse, parse_all, parse_opt, to_id};
use crate::graphql::loaders::*;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::{DeleteByIdInput, load_list};
use crate::graphql::scalars::DateTime;

/// What secret configuration values look like to those who may not read them.
const MASK: &str = "••••••";

pub(super) fn can_read_secrets(ctx: &Context<'_>) -> bool {
    Permission::ReadSecrets.allows(&ctx.viewer().roles)
}

/// A named set of environments (a release train, a data centre, a test lab).
pub struct EnvironmentGroup(pub environment_group::Model);

#[Object]
impl EnvironmentGroup {
    pub async fn id(&self) -> ID {
        to_id(EnvironmentGroupId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn environments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Environment>> {
        Ok(load_list(ctx, EnvironmentsOfGroup(self.0.id))
            .await?
            .into_iter()
            .map(Environment)
            .collect())
    }
}

/// An environment of the catalogue.
pub struct Environment(pub environment::Model);

#[Object]
impl Environment {
    pub async fn id(&self) -> ID {
        to_id(EnvironmentId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn tier(&self) -> EnvironmentTier {
        self.0.tier.into()
    }
    async fn status(&self) -> EnvironmentStatus {
        self.0.status.into()
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// How many approved bookings may overlap (1 = exclusive use).
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
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
    /// Systems hosted here.
    async fn systems(&self, ctx: &Context<'_>) -> GqlResult<Vec<System>> {
        let links = load_list(ctx, SystemsOfEnvironment(self.0.id)).await?;
        let keys: Vec<SystemById> = links.iter().map(|l| SystemById(l.system_id)).collect();
        let mut found = ctx
            .loader()
            .load_many(keys.clone())
            .await
            .map_err(internal)?;
        Ok(keys
            .iter()
            .filter_map(|k| found.remove(k))
            .map(System)
            .collect())
    }
    /// Current configuration, by key. Secret values are masked unless the caller may read them.
    async fn configuration(&self, ctx: &Context<'_>) -> GqlResult<Vec<ConfigEntry>> {
        let reveal = can_read_secrets(ctx);
        Ok(load_list(ctx, ConfigOfEnvironment(self.0.id))
            .await?
            .into_iter()
            .map(|entry| ConfigEntry { entry, reveal })
            .collect())
    }
    /// Every configuration change, newest first.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn configuration_history(
        &self,
        ctx: &Context<'_>,
        key: Option<String>,
        #[graphql(default = 50)] limit: i32,
    ) -> GqlResult<Vec<ConfigChange>> {
        if !(1..=500).contains(&limit) {
            return Err(crate::graphql::error::validation(
                "limit",
                "limit: must be between 1 and 500",
            ));
        }
        let mut query = config_change::Entity::find()
            .filter(config_change::Column::EnvironmentId.eq(self.0.id));
        if let Some(key) = key {
            query = query.filter(config_change::Column::Key.eq(key));
        }
        let rows = query
            .order_by_desc(config_change::Column::ChangedAt)
            .order_by_desc(config_change::Column::Id)
            .limit(limit as u64)
            .all(ctx.store().conn())
            .await
            .map_err(internal)?;
        let reveal = can_read_secrets(ctx);
        Ok(rows
            .into_iter()
            .map(|change| ConfigChange { change, reveal })
            .collect())
    }
    /// What runs here now: the latest successful deployment of each system.
    async fn deployed_versions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Deployment>> {
        Ok(load_list(ctx, CurrentVersionsOfEnvironment(self.0.id))
            .await?
            .into_iter()
            .map(Deployment)
            .collect())
    }
}

/// One configuration key of an environment.
pub struct ConfigEntry {
    entry: config_entry::Model,
    reveal: bool,
}

impl ConfigEntry {
    /// `reveal`: whether the caller may read secret values.
    pub(super) fn new(entry: config_entry::Model, reveal: bool) -> Self {
        Self { entry, reveal }
    }
}

#[Object]
impl ConfigEntry {
    async fn key(&self) -> &str {
        &self.entry.key
    }
    /// The value, or a mask for secrets the caller may not read.
    async fn value(&self) -> &str {
        if self.entry.secret && !self.reveal {
            MASK
        } else {
            &self.entry.value
        }
    }
    async fn secret(&self) -> bool {
        self.entry.secret
    }
    async fn updated_at(&self) -> DateTime {
        self.entry.updated_at.into()
    }
}

/// One change of one configuration key: who changed it from what to what, and when.
pub struct ConfigChange {
    change: config_change::Model,
    reveal: bool,
}

impl ConfigChange {
    fn shown<'a>(&self, value: &'a Option<String>) -> Option<&'a str> {
        value.as_deref().map(|v| {
            if self.change.secret && !self.reveal {
                MASK
            } else {
                v
            }
        })
    }
}

#[Object]
impl ConfigChange {
    async fn key(&self) -> &str {
        &self.change.key
    }
    /// Null when the key was created.
    async fn old_value(&self) -> Option<&str> {
        self.shown(&self.change.old_value)
    }
    /// Null when the key was removed.
    async fn new_value(&self) -> Option<&str> {
        self.shown(&self.change.new_value)
    }
    async fn secret(&self) -> bool {
        self.change.secret
    }
    async fn changed_at(&self) -> DateTime {
        self.change.changed_at.into()
    }
    /// Name of who changed it (a user, or an API token).
    async fn changed_by(&self) -> &str {
        &self.change.changed_by_name
    }
}

// ---------------------------------------------------------------------------------------------
// Queries

#[derive(InputObject, Default)]
pub struct EnvironmentFilter {
    tier: Option<Vec<EnvironmentTier>>,
    status: Option<Vec<EnvironmentStatus>>,
    group_id: Option<ID>,
    /// Environments hosting this system.
    system_id: Option<ID>,
    search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum EnvironmentOrderField {
    #[default]
    Name,
    Tier,
    CreatedAt,
}

#[derive(InputObject, Default)]
pub struct EnvironmentOrderBy {
    #[graphql(default)]
    field: EnvironmentOrderField,
    #[graphql(default)]
    direction: SortDirection,
}

#[derive(Default)]
pub struct EnvironmentQuery;

#[Object]
impl EnvironmentQuery {
    #[graphql(
        guard = "Require(Permission::Read)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn environments(
        &self,
        ctx: &Context<'_>,
        filter: Option<EnvironmentFilter>,
        order_by: Option<EnvironmentOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Environment>> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let domain_filter = DomainFilter {
            tiers: enums::to_entity(filter.tier),
            statuses: enums::to_entity(filter.status),
            group_id: parse_opt("filter.groupId", filter.group_id.as_ref())?,
            system_id: parse_opt("filter.systemId", filter.system_id.as_ref())?,
            search: filter.search,
        };
        let field = match order.field {
            EnvironmentOrderField::Name => EnvironmentOrder::Name,
            EnvironmentOrderField::Tier => EnvironmentOrder::Tier,
            EnvironmentOrderField::CreatedAt => EnvironmentOrder::CreatedAt,
        };
        let page = environments::list(
            ctx.store().conn(),
            &domain_filter,
            field,
            order.direction.descending(),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Environment))
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn environment(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Environment> {
        let id = parse::<EnvironmentId>("id", &id)?;
        environments::get(ctx.store().conn(), id)
            .await
            .gql()
            .map(Environment)
    }

    /// Two environments side by side: the systems whose versions differ and the configuration
    /// keys whose values differ (everything, with `onlyDifferences: false`).
    #[graphql(guard = "Require(Permission::Read)")]
    async fn compare_environments(
        &self,
        ctx: &Context<'_>,
        left_id: ID,
        right_id: ID,
        #[graphql(default = true)] only_differences: bool,
    ) -> GqlResult<crate::graphql::environment::drift::EnvironmentComparison> {
        let left = parse::<EnvironmentId>("leftId", &left_id)?;
        let right = parse::<EnvironmentId>("rightId", &right_id)?;
        let comparison =
            crate::domain::environment::drift::compare(ctx.store().conn(), left, right)
                .await
                .gql()?;
        Ok(crate::graphql::environment::drift::EnvironmentComparison {
            comparison: if only_differences {
                comparison.differences_only()
            } else {
                comparison
            },
            reveal: can_read_secrets(ctx),
        })
    }

    /// All environment groups, by name.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn environment_groups(&self, ctx: &Context<'_>) -> GqlResult<Vec<EnvironmentGroup>> {
        Ok(environments::list_groups(ctx.store().conn())
            .await
            .gql()?
            .into_iter()
            .map(EnvironmentGroup)
            .collect())
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations

#[derive(InputObject)]
pub struct CreateEnvironmentGroupInput {
    name: String,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateEnvironmentGroupInput {
    id: ID,
    name: Option<String>,
    description: MaybeUndefined<String>,
}

#[derive(SimpleObject)]
pub struct EnvironmentGroupPayload {
    group: EnvironmentGroup,
}

#[derive(InputObject)]
pub struct CreateEnvironmentInput {
    name: String,
    tier: EnvironmentTier,
    #[graphql(default_with = "EnvironmentStatus::Available")]
    status: EnvironmentStatus,
    group_id: Option<ID>,
    description: Option<String>,
    url: Option<String>,
    owner_id: Option<ID>,
    #[graphql(default = 1)]
    capacity: i32,
    /// Systems hosted by the environment.
    #[graphql(default)]
    system_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct UpdateEnvironmentInput {
    id: ID,
    name: Option<String>,
    tier: Option<EnvironmentTier>,
    status: Option<EnvironmentStatus>,
    group_id: MaybeUndefined<ID>,
    description: MaybeUndefined<String>,
    url: MaybeUndefined<String>,
    owner_id: MaybeUndefined<ID>,
    capacity: Option<i32>,
}

#[derive(InputObject)]
pub struct SetEnvironmentSystemsInput {
    id: ID,
    /// The complete set of hosted systems.
    system_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct ConfigEntryInput {
    key: String,
    /// The new value; null removes the key.
    value: Option<String>,
    #[graphql(default)]
    secret: bool,
}

#[derive(InputObject)]
pub struct ConfigureEnvironmentInput {
    id: ID,
    entries: Vec<ConfigEntryInput>,
}

#[derive(SimpleObject)]
pub struct EnvironmentPayload {
    environment: Environment,
}

fn maybe_id<T: TypedId>(field: &str, value: MaybeUndefined<ID>) -> GqlResult<Option<Option<T>>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(id) => Ok(Some(Some(parse(field, &id)?))),
    }
}

#[derive(Default)]
pub struct EnvironmentMutation;

#[Object]
impl EnvironmentMutation {
    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn create_environment_group(
        &self,
        ctx: &Context<'_>,
        input: CreateEnvironmentGroupInput,
    ) -> GqlResult<EnvironmentGroupPayload> {
        let model = environments::create_group(
            ctx.store(),
            &ctx.actor(),
            &input.name,
            input.description.as_deref(),
        )
        .await
        .gql()?;
        Ok(EnvironmentGroupPayload {
            group: EnvironmentGroup(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn update_environment_group(
        &self,
        ctx: &Context<'_>,
        input: UpdateEnvironmentGroupInput,
    ) -> GqlResult<EnvironmentGroupPayload> {
        let id = parse::<EnvironmentGroupId>("id", &input.id)?;
        let description: Option<Option<String>> = input.description.into();
        let model = environments::update_group(
            ctx.store(),
            &ctx.actor(),
            id,
            input.name.as_deref(),
            description.as_ref().map(|d| d.as_deref()),
        )
        .await
        .gql()?;
        Ok(EnvironmentGroupPayload {
            group: EnvironmentGroup(model),
        })
    }

    /// Deletes a group; its environments stay, ungrouped.
    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn delete_environment_group(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        environments::delete_group(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }

    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn create_environment(
        &self,
        ctx: &Context<'_>,
        input: CreateEnvironmentInput,
    ) -> GqlResult<EnvironmentPayload> {
        let model = environments::create(
            ctx.store(),
            &ctx.actor(),
            NewEnvironment {
                name: input.name,
                tier: input.tier.into(),
                status: input.status.into(),
                group_id: parse_opt("groupId", input.group_id.as_ref())?,
                description: input.description,
                url: input.url,
                owner_id: parse_opt("ownerId", input.owner_id.as_ref())?,
                capacity: input.capacity,
                system_ids: parse_all("systemIds", &input.system_ids)?,
            },
        )
        .await
        .gql()?;
        Ok(EnvironmentPayload {
            environment: Environment(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn update_environment(
        &self,
        ctx: &Context<'_>,
        input: UpdateEnvironmentInput,
    ) -> GqlResult<EnvironmentPayload> {
        let id = parse::<EnvironmentId>("id", &input.id)?;
        let patch = EnvironmentPatch {
            name: input.name,
            tier: input.tier.map(Into::into),
            status: input.status.map(Into::into),
            group_id: maybe_id("groupId", input.group_id)?,
            description: input.description.into(),
            url: input.url.into(),
            owner_id: maybe_id("ownerId", input.owner_id)?,
            capacity: input.capacity,
        };
        let model = environments::update(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(EnvironmentPayload {
            environment: Environment(model),
        })
    }

    /// Replaces the set of systems an environment hosts.
    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn set_environment_systems(
        &self,
        ctx: &Context<'_>,
        input: SetEnvironmentSystemsInput,
    ) -> GqlResult<EnvironmentPayload> {
        let id = parse::<EnvironmentId>("id", &input.id)?;
        let systems = parse_all("systemIds", &input.system_ids)?;
        let model = environments::set_systems(ctx.store(), &ctx.actor(), id, systems)
            .await
            .gql()?;
        Ok(EnvironmentPayload {
            environment: Environment(model),
        })
    }

    /// Sets or removes configuration keys; every change is kept in the history.
    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn configure_environment(
        &self,
        ctx: &Context<'_>,
        input: ConfigureEnvironmentInput,
    ) -> GqlResult<EnvironmentPayload> {
        let id = parse::<EnvironmentId>("id", &input.id)?;
        let edits = input
            .entries
            .into_iter()
            .map(|e| ConfigEdit {
                key: e.key,
                value: e.value,
                secret: e.secret,
            })
            .collect();
        environments::edit_config(ctx.store(), &ctx.actor(), id, edits)
            .await
            .gql()?;
        let model = environments::get(ctx.store().conn(), id).await.gql()?;
        Ok(EnvironmentPayload {
            environment: Environment(model),
        })
    }

    /// Deletes an environment that has no recorded deployments.
    #[graphql(guard = "Require(Permission::ManageEnvironments)")]
    async fn delete_environment(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        environments::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
