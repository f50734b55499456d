//! Blackout periods.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::blackout;

use crate::domain::booking::blackout::{
    self as blackouts, BlackoutFilter as DomainFilter, BlackoutPatch, NewBlackout,
};
use crate::domain::identity::Permission;
use crate::domain::ids::*;
use crate::graphql::context::ContextExt;
use crate::graphql::environment::Environment;
use crate::graphql::environment::system::{DeletePayload, System};
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::ids::{parse, parse_all, parse_opt, to_id};
use crate::graphql::loaders::*;
use crate::graphql::release::{DeleteByIdInput, load_list};
use crate::graphql::scalars::DateTime;

/// A period when bookings and go-lives are refused: org-wide, or for the environments and
/// systems it names (a system's blackout applies on every environment hosting it).
pub struct Blackout(pub blackout::Model);

#[Object]
impl Blackout {
    pub async fn id(&self) -> ID {
        to_id(BlackoutId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Start, in UTC (inclusive).
    async fn starts_at(&self) -> DateTime {
        self.0.starts_at.into()
    }
    /// End, in UTC (exclusive).
    async fn ends_at(&self) -> DateTime {
        self.0.ends_at.into()
    }
    /// The IANA time zone the blackout was planned in, e.g. `Europe/London`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    /// The start in the blackout's time zone (RFC 3339 with that zone's offset).
    async fn local_starts_at(&self) -> String {
        blackouts::local(self.0.starts_at, &self.0.time_zone)
    }
    /// The end in the blackout's time zone.
    async fn local_ends_at(&self) -> String {
        blackouts::local(self.0.ends_at, &self.0.time_zone)
    }
    /// True when it names no environment and no system: it applies everywhere.
    async fn org_wide(&self) -> bool {
        self.0.org_wide
    }
    async fn environments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Environment>> {
        let links = load_list(ctx, EnvironmentsOfBlackout(self.0.id)).await?;
        let keys: Vec<EnvironmentById> = links
            .iter()
            .map(|l| EnvironmentById(l.environment_id))
            .collect();
        let mut found = ctx
            .loader()
            .load_many(keys.clone())
            .await
            .map_err(internal)?;
        let mut envs: Vec<_> = keys.iter().filter_map(|k| found.remove(k)).collect();
        envs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(envs.into_iter().map(Environment).collect())
    }
    async fn systems(&self, ctx: &Context<'_>) -> GqlResult<Vec<System>> {
        let links = load_list(ctx, SystemsOfBlackout(self.0.id)).await?;
        let keys: Vec<SystemById> = links.iter().map(|l| SystemById(l.system_id)).collect();
        let mut found = ctx
            .loader()
            .load_many(keys.clone())
            .await
            .map_err(internal)?;
        let mut systems: Vec<_> = keys.iter().filter_map(|k| found.remove(k)).collect();
        systems.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(systems.into_iter().map(System).collect())
    }
    async fn created_by_name(&self) -> &str {
        &self.0.created_by_name
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
}

#[derive(InputObject, Default)]
pub struct BlackoutFilter {
    /// Blackouts ending after this instant …
    from: Option<DateTime>,
    /// … and starting before this one.
    to: Option<DateTime>,
    /// Only those applying to this environment (org-wide ones included).
    environment_id: Option<ID>,
}

#[derive(Default)]
pub struct BlackoutQuery;

#[Object]
impl BlackoutQuery {
    /// Blackouts by start (at most 500).
    #[graphql(guard = "Require(Permission::Read)")]
    async fn blackouts(
        &self,
        ctx: &Context<'_>,
        filter: Option<BlackoutFilter>,
    ) -> GqlResult<Vec<Blackout>> {
        let filter = filter.unwrap_or_default();
        let rows = blackouts::list(
            ctx.store().conn(),
            &DomainFilter {
                from: filter.from.map(|t| t.0),
                to: filter.to.map(|t| t.0),
                environment_id: parse_opt("filter.environmentId", filter.environment_id.as_ref())?,
            },
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(Blackout).collect())
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn blackout(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Blackout> {
        let id = parse::<BlackoutId>("id", &id)?;
        blackouts::get(ctx.store().conn(), id)
            .await
            .gql()
            .map(Blackout)
    }
}

#[derive(InputObject)]
pub struct CreateBlackoutInput {
    name: String,
    description: Option<String>,
    starts_at: DateTime,
    ends_at: DateTime,
    /// IANA name the period is shown in; default UTC.
    #[graphql(default_with = "\"UTC\".to_owned()")]
    time_zone: String,
    /// Leave both lists empty for an org-wide blackout.
    #[graphql(default)]
    environment_ids: Vec<ID>,
    #[graphql(default)]
    system_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct UpdateBlackoutInput {
    id: ID,
    name: Option<String>,
    description: MaybeUndefined<String>,
    starts_at: Option<DateTime>,
    ends_at: Option<DateTime>,
    time_zone: Option<String>,
    /// The complete set of environments (empty, with no systems: org-wide).
    environment_ids: Option<Vec<ID>>,
    system_ids: Option<Vec<ID>>,
}

#[derive(SimpleObject)]
pub struct BlackoutPayload {
    blackout: Blackout,
}

#[derive(Default)]
pub struct BlackoutMutation;

#[Object]
impl BlackoutMutation {
    #[graphql(guard = "Require(Permission::ManageBlackouts)")]
    async fn create_blackout(
        &self,
        ctx: &Context<'_>,
        input: CreateBlackoutInput,
    ) -> GqlResult<BlackoutPayload> {
        let model = blackouts::create(
            ctx.store(),
            &ctx.actor(),
            NewBlackout {
                name: input.name,
                description: input.description,
                starts_at: input.starts_at.0,
                ends_at: input.ends_at.0,
                time_zone: input.time_zone,
                environment_ids: parse_all("environmentIds", &input.environment_ids)?,
                system_ids: parse_all("systemIds", &input.system_ids)?,
            },
        )
        .await
        .gql()?;
        Ok(BlackoutPayload {
            blackout: Blackout(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageBlackouts)")]
    async fn update_blackout(
        &self,
        ctx: &Context<'_>,
        input: UpdateBlackoutInput,
    ) -> GqlResult<BlackoutPayload> {
        let id = parse::<BlackoutId>("id", &input.id)?;
        let patch = BlackoutPatch {
            name: input.name,
            description: input.description.into(),
            starts_at: input.starts_at.map(|t| t.0),
            ends_at: input.ends_at.map(|t| t.0),
            time_zone: input.time_zone,
            environment_ids: input
                .environment_ids
                .map(|ids| parse_all("environmentIds", &ids))
                .transpose()?,
            system_ids: input
                .system_ids
                .map(|ids| parse_all("systemIds", &ids))
                .transpose()?,
        };
        let model = blackouts::update(ctx.store(), &ctx.actor(), id, patch)
            .await
            .gql()?;
        Ok(BlackoutPayload {
            blackout: Blackout(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageBlackouts)")]
    async fn delete_blackout(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        blackouts::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
