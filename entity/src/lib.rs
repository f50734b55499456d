//! SeaORM entities of Heatshield: one module per table, plus the shared enums.
//!
//! Entities carry no GraphQL derives: the API layer wraps them in its own types.

pub mod enums;

pub mod activity;
pub mod activity_dependency;
pub mod activity_set;
pub mod api_token;
pub mod app_user;
pub mod audit_chain_head;
pub mod audit_event;
pub mod blackout;
pub mod blackout_environment;
pub mod blackout_system;
pub mod booking;
pub mod config_change;
pub mod config_entry;
pub mod criterion_result;
pub mod deployment;
pub mod deployment_plan;
pub mod environment;
pub mod environment_group;
pub mod environment_system;
pub mod gate;
pub mod gate_approval;
pub mod gate_criterion;
pub mod login_attempt;
pub mod milestone;
pub mod notification;
pub mod package;
pub mod phase;
pub mod plan_run;
pub mod raci_assignment;
pub mod release;
pub mod release_dependency;
pub mod release_impact;
pub mod release_template;
pub mod revoked_token;
pub mod run_activity;
pub mod run_issue;
pub mod system;
pub mod webhook;
pub mod webhook_delivery;

pub use enums::*;
