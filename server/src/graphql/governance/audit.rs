//! The audit trail, read-only.

use async_graphql::{Context, ID, InputObject, Json, Object};
use entity::audit_event;

use crate::domain::governance::audit::{self, AuditFilter as DomainFilter};
use crate::domain::identity::Permission;
use crate::domain::ids::{AuditEventId, ReleaseId, UserId, encode_named, split};
use crate::domain::page::{SortKey, SortValue, paginate};
use crate::graphql::context::ContextExt;
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::User;
use crate::graphql::ids::{parse_opt, to_id};
use crate::graphql::loaders::UserById;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::scalars::DateTime;

/// One recorded change: who did what to which entity, when, with the before and after.
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    pub async fn id(&self) -> ID {
        to_id(AuditEventId(self.0.id))
    }
    async fn occurred_at(&self) -> DateTime {
        self.0.occurred_at.into()
    }
    /// Dotted verb, e.g. `release.transition`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> ID {
        ID(encode_named(&self.0.entity_type, self.0.entity_id))
    }
    /// The actor's name at the time (a user, an API token, or the system).
    async fn actor_name(&self) -> &str {
        &self.0.actor_name
    }
    /// The user who acted, when it was a user.
    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let Some(actor) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(UserById(actor))
            .await
            .map_err(internal)?
            .map(User))
    }
    /// Correlates with the `x-request-id` of the HTTP request and the server log.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    async fn release_id(&self) -> Option<ID> {
        self.0.release_id.map(|id| to_id(ReleaseId(id)))
    }
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}

#[derive(InputObject, Default)]
pub struct AuditFilter {
    /// Events about this entity (any type of id).
    entity_id: Option<ID>,
    /// Events of this release and its parts (packages, gates, bookings, plans…).
    release_id: Option<ID>,
    /// With releaseId: the events of its project releases too.
    #[graphql(default = true)]
    include_children: bool,
    /// Events by this user.
    actor_id: Option<ID>,
    /// Events about entities of these types (`Release`, `Booking`, `Gate`…).
    entity_types: Option<Vec<String>>,
    /// Events of these actions (`release.transition`, `booking.approve`…).
    actions: Option<Vec<String>>,
    from: Option<DateTime>,
    to: Option<DateTime>,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first.
    #[graphql(
        guard = "Require(Permission::ReadAudit)",
        complexity = "first.or(last).unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<AuditEvent>> {
        let filter = filter.unwrap_or_default();
        let entity_id = match &filter.entity_id {
            Some(id) => Some(split(id.as_str()).map(|(_, uuid)| uuid).ok_or_else(|| {
                crate::graphql::error::validation(
                    "filter.entityId",
                    "filter.entityId: is not an id",
                )
            })?),
            None => None,
        };
        let domain_filter = DomainFilter {
            entity_id,
            release_id: parse_opt::<ReleaseId>("filter.releaseId", filter.release_id.as_ref())?
                .map(|r| r.0),
            include_children: filter.include_children,
            actor_id: parse_opt::<UserId>("filter.actorId", filter.actor_id.as_ref())?.map(|u| u.0),
            entity_types: bounded("filter.entityTypes", filter.entity_types)?,
            actions: bounded("filter.actions", filter.actions)?,
            from: filter.from.map(|t| t.0),
            to: filter.to.map(|t| t.0),
        };
        let key = SortKey {
            name: "occurredAt",
            column: audit_event::Column::OccurredAt,
            id_column: audit_event::Column::Id,
            descending: true,
            value: |m: &audit_event::Model| SortValue::Time(m.occurred_at),
            id: |m: &audit_event::Model| m.id,
        };
        let page = paginate(
            ctx.store().conn(),
            audit::select(&domain_filter),
            &key,
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, AuditEvent))
    }
}

/// A list filter of at most 50 names of at most 100 characters each.
fn bounded(field: &str, values: Option<Vec<String>>) -> GqlResult<Vec<String>> {
    let values = values.unwrap_or_default();
    if values.len() > 50 || values.iter().any(|v| v.len() > 100) {
        return Err(crate::graphql::error::validation(
            field,
            format!("{field}: at most 50 names of at most 100 characters"),
        ));
    }
    Ok(values)
}
