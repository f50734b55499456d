//! The GraphQL schema: types, resolvers and loaders, one module per bounded context. Resolvers are
//! thin: they check the role (guards), convert ids and inputs, and call `domain`.

// Shared by every context.
pub mod context;
pub mod enums;
pub mod error;
pub mod guard;
pub mod hardening;
pub mod ids;
pub mod loaders;
pub mod node;
pub mod pagination;
pub mod scalars;
pub mod subscription;

// One module per bounded context, as in `domain`.
pub mod booking;
pub mod environment;
pub mod golive;
pub mod governance;
pub mod identity;
pub mod release;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

use subscription::SubscriptionRoot;

use crate::config::Limits;
use crate::state::AppState;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    node::NodeQuery,
    identity::user::UserQuery,
    environment::system::SystemQuery,
    release::ReleaseQuery,
    release::package::PackageQuery,
    environment::EnvironmentQuery,
    environment::deployment::DeploymentQuery,
    booking::BookingQuery,
    booking::blackout::BlackoutQuery,
    governance::audit::AuditQuery,
    governance::GovernanceQuery,
    governance::notification::NotificationQuery,
    golive::plan::PlanQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    identity::user::UserMutation,
    environment::system::SystemMutation,
    release::ReleaseMutation,
    release::ReleasePartsMutation,
    release::package::PackageMutation,
    environment::EnvironmentMutation,
    environment::deployment::DeploymentMutation,
    governance::GovernanceMutation,
    governance::notification::NotificationMutation,
    golive::plan::PlanMutation,
    booking::BookingMutation,
    booking::blackout::BlackoutMutation,
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
