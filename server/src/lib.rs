//! Heatshield: enterprise release management behind a GraphQL API.
//!
//! Layers, one direction only: `http` (actix) → `graphql` (types, resolvers, loaders) →
//! `domain` (rules and transactions) → `entity` (SeaORM models).

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod events;
pub mod golive;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod seed;
pub mod shutdown;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod workers;
