//! The GraphQL schema: types, resolvers and loaders, one module per domain. Resolvers are
//! thin: they check the role (guards), convert ids and inputs, and call `domain`.

pub mod audit;
pub mod blackout;
pub mod booking;
pub mod context;
pub mod deployment;
pub mod drift;
pub mod enums;
pub mod environment;
pub mod error;
pub mod governance;
pub mod guard;
pub mod hardening;
pub mod ids;
pub mod loaders;
pub mod node;
pub mod notification;
pub mod package;
pub mod pagination;
pub mod plan;
pub mod release;
pub mod scalars;
pub mod subscription;
pub mod system;
pub mod user;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

use subscription::SubscriptionRoot;

use crate::config::Limits;
use crate::state::AppState;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    node::NodeQuery,
    user::UserQuery,
    system::SystemQuery,
    release::ReleaseQuery,
    package::PackageQuery,
    environment::EnvironmentQuery,
    deployment::DeploymentQuery,
    booking::BookingQuery,
    blackout::BlackoutQuery,
    audit::AuditQuery,
    governance::GovernanceQuery,
    notification::NotificationQuery,
    plan::PlanQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    user::UserMutation,
    system::SystemMutation,
    release::ReleaseMutation,
    release::ReleasePartsMutation,
    package::PackageMutation,
    environment::EnvironmentMutation,
    deployment::DeploymentMutation,
    governance::GovernanceMutation,
    notification::NotificationMutation,
    plan::PlanMutation,
    booking::BookingMutation,
    blackout::BlackoutMutation,
);

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// The schema without runtime data: for `export-schema` and as the base of `build`.
pub fn builder(
    limits: &Limits,
    introspection: bool,
) -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(64)
    .limit_directives(20)
    .extension(hardening::Hardening {
        max_aliases: limits.max_aliases,
        introspection,
    })
}

pub fn build(state: AppState) -> AppSchema {
    let mut builder = builder(&state.settings.limits, state.settings.introspection);
    if !state.settings.introspection {
        builder = builder.disable_introspection();
    }
    if state.settings.mode == crate::config::RunMode::Production {
        builder = builder.disable_suggestions();
    }
    builder.data(state).finish()
}

/// The SDL as checked in at `schema.graphql`.
pub fn sdl() -> String {
    builder(&Limits::default(), true).finish().sdl()
}
