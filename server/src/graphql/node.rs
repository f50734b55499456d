//! Relay's `Node` interface and `node(id:)`: any object by its global id.

use async_graphql::{Context, ID, Interface, Object};
use entity::audit_event;
use sea_orm::EntityTrait;

use crate::domain::identity::Permission;
use crate::domain::ids::{self, TypedId};
use crate::domain::{
    DomainError, environment::deployment, governance::gate, governance::raci, governance::webhook,
    identity::api_tokens, release::parts, release::template,
};
use crate::graphql::booking::Booking;
use crate::graphql::booking::blackout::Blackout;
use crate::graphql::context::ContextExt;
use crate::graphql::environment::deployment::Deployment;
use crate::graphql::environment::system::System;
use crate::graphql::environment::{Environment, EnvironmentGroup};
use crate::graphql::error::{GqlResult, internal};
use crate::graphql::golive::plan::{Activity, ActivitySet, DeploymentPlan, PlanRun, RunIssue};
use crate::graphql::governance::audit::AuditEvent;
use crate::graphql::governance::notification::{Notification, Webhook};
use crate::graphql::governance::{Criterion, Gate, RaciAssignment, ReleaseTemplate};
use crate::graphql::guard::Require;
use crate::graphql::identity::user::{ApiToken, User};
use crate::graphql::loaders::*;
use crate::graphql::release::package::Package;
use crate::graphql::release::{Milestone, Phase, Release, ReleaseDependency, ReleaseImpact};

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    System(System),
    Release(Release),
    Phase(Phase),
    Milestone(Milestone),
    ReleaseImpact(ReleaseImpact),
    ReleaseDependency(ReleaseDependency),
    Package(Package),
    EnvironmentGroup(EnvironmentGroup),
    Environment(Environment),
    Deployment(Deployment),
    User(User),
    ApiToken(ApiToken),
    AuditEvent(AuditEvent),
    Gate(Gate),
    GateCriterion(Criterion),
    RaciAssignment(RaciAssignment),
    ReleaseTemplate(ReleaseTemplate),
    Notification(Notification),
    Webhook(Webhook),
    Booking(Booking),
    Blackout(Blackout),
    DeploymentPlan(DeploymentPlan),
    ActivitySet(ActivitySet),
    Activity(Activity),
    PlanRun(PlanRun),
    RunIssue(RunIssue),
}

/// Null for unknown ids, as Relay expects; errors only for failures.
fn missing<T>(result: Result<T, DomainError>) -> GqlResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(DomainError::NotFound { .. }) => Ok(None),
        Err(other) => Err(crate::graphql::error::from_domain(other)),
    }
}

async fn load(ctx: &Context<'_>, id: &ID) -> GqlResult<Option<Node>> {
    let Some((prefix, uuid)) = ids::split(id.as_str()) else {
        return Err(crate::graphql::error::validation(
            "id",
            format!("id: '{}' is not an id", id.as_str()),
        ));
    };
    let loader = ctx.loader();
    let conn = ctx.store().conn();
    let roles = &ctx.viewer().roles;
    let node = match prefix {
        ids::SystemId::PREFIX => loader
            .load_one(SystemById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::System(System(m))),
        ids::ReleaseId::PREFIX => loader
            .load_one(ReleaseById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Release(Release(m))),
        ids::PackageId::PREFIX => loader
            .load_one(PackageById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Package(Package(m))),
        ids::EnvironmentId::PREFIX => loader
            .load_one(EnvironmentById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Environment(Environment(m))),
        ids::EnvironmentGroupId::PREFIX => loader
            .load_one(EnvironmentGroupById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::EnvironmentGroup(EnvironmentGroup(m))),
        ids::UserId::PREFIX => loader
            .load_one(UserById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::User(User(m))),
        ids::PhaseId::PREFIX => missing(parts::get_phase(conn, ids::PhaseId(uuid)).await)?
            .map(|m| Node::Phase(Phase(m))),
        ids::MilestoneId::PREFIX => {
            missing(parts::get_milestone(conn, ids::MilestoneId(uuid)).await)?
                .map(|m| Node::Milestone(Milestone(m)))
        }
        ids::ReleaseImpactId::PREFIX => {
            missing(parts::get_impact(conn, ids::ReleaseImpactId(uuid)).await)?
                .map(|m| Node::ReleaseImpact(ReleaseImpact(m)))
        }
        ids::ReleaseDependencyId::PREFIX => {
            missing(parts::get_dependency(conn, ids::ReleaseDependencyId(uuid)).await)?
                .map(|m| Node::ReleaseDependency(ReleaseDependency(m)))
        }
        ids::DeploymentId::PREFIX => missing(deployment::get(conn, ids::DeploymentId(uuid)).await)?
            .map(|m| Node::Deployment(Deployment(m))),
        ids::BookingId::PREFIX => loader
            .load_one(BookingById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Booking(Booking(m))),
        ids::BlackoutId::PREFIX => loader
            .load_one(BlackoutById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Blackout(Blackout(m))),
        ids::ApiTokenId::PREFIX => {
            if !Permission::ManageApiTokens.allows(roles) {
                return Err(crate::graphql::error::coded(
                    "API tokens are visible to admins only",
                    "FORBIDDEN",
                ));
            }
            missing(api_tokens::get(ctx.store(), ids::ApiTokenId(uuid)).await)?
                .map(|m| Node::ApiToken(ApiToken(m)))
        }
        ids::AuditEventId::PREFIX => {
            if !Permission::ReadAudit.allows(roles) {
                return Err(crate::graphql::error::coded(
                    "the audit trail needs an auditing role",
                    "FORBIDDEN",
                ));
            }
            audit_event::Entity::find_by_id(uuid)
                .one(conn)
                .await
                .map_err(internal)?
                .map(|m| Node::AuditEvent(AuditEvent(m)))
        }
        ids::GateId::PREFIX => loader
            .load_one(GateById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Gate(Gate(m))),
        ids::CriterionId::PREFIX => {
            missing(gate::get_criterion(conn, ids::CriterionId(uuid)).await)?
                .map(|m| Node::GateCriterion(Criterion(m)))
        }
        ids::RaciAssignmentId::PREFIX => {
            missing(raci::get(conn, ids::RaciAssignmentId(uuid)).await)?
                .map(|m| Node::RaciAssignment(RaciAssignment(m)))
        }
        ids::ReleaseTemplateId::PREFIX => {
            missing(template::get(conn, ids::ReleaseTemplateId(uuid)).await)?
                .map(|m| Node::ReleaseTemplate(ReleaseTemplate(m)))
        }
        ids::NotificationId::PREFIX => {
            // Only the recipient sees a notification; others get null, as for an unknown id.
            let own = ctx.viewer().user().map(|u| u.id);
            entity::notification::Entity::find_by_id(uuid)
                .one(conn)
                .await
                .map_err(internal)?
                .filter(|n| Some(n.user_id) == own)
                .map(|m| Node::Notification(Notification(m)))
        }
        ids::WebhookId::PREFIX => {
            if !Permission::ManageWebhooks.allows(roles) {
                return Err(crate::graphql::error::coded(
                    "webhooks are visible to admins only",
                    "FORBIDDEN",
                ));
            }
            missing(webhook::get(conn, ids::WebhookId(uuid)).await)?
                .map(|m| Node::Webhook(Webhook(m)))
        }
        ids::DeploymentPlanId::PREFIX => loader
            .load_one(PlanById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::DeploymentPlan(DeploymentPlan(m))),
        ids::ActivityId::PREFIX => loader
            .load_one(ActivityById(uuid))
            .await
            .map_err(internal)?
            .map(|m| Node::Activity(Activity(m))),
        ids::ActivitySetId::PREFIX => entity::activity_set::Entity::find_by_id(uuid)
            .one(conn)
            .await
            .map_err(internal)?
            .map(|m| Node::ActivitySet(ActivitySet(m))),
        ids::PlanRunId::PREFIX => entity::plan_run::Entity::find_by_id(uuid)
            .one(conn)
            .await
            .map_err(internal)?
            .map(|m| Node::PlanRun(PlanRun(m))),
        ids::RunIssueId::PREFIX => entity::run_issue::Entity::find_by_id(uuid)
            .one(conn)
            .await
            .map_err(internal)?
            .map(|m| Node::RunIssue(RunIssue(m))),
        _ => None,
    };
    Ok(node)
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id; null when there is none.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn node(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Node>> {
        load(ctx, &id).await
    }

    /// Several objects by global id, in the order asked (null for unknown ones). At most 100.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> GqlResult<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(crate::graphql::error::validation(
                "ids",
                "ids: at most 100 at once",
            ));
        }
        // Concurrently, so the DataLoader batches ids of one type into one statement.
        futures_util::future::try_join_all(ids.iter().map(|id| load(ctx, id))).await
    }
}
