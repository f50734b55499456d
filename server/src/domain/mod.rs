//! Business rules, with no GraphQL in them. Every write opens one transaction, validates,
//! changes the rows, records its audit event, commits, then publishes its domain event.

pub mod actor;
pub mod api_tokens;
pub mod audit;
pub mod blackout;
pub mod blockers;
pub mod booking;
pub mod booking_report;
pub mod clock;
pub mod deployment;
pub mod drift;
pub mod environment;
pub mod error;
pub mod gate;
pub mod golive;
pub mod ids;
pub mod login;
pub mod notify;
pub mod package;
pub mod page;
pub mod plan;
pub mod progress;
pub mod raci;
pub mod release;
pub mod release_graph;
pub mod release_parts;
pub mod report;
pub mod run;
pub mod schedule;
pub mod search;
pub mod system;
pub mod template;
pub mod transitions;
pub mod users;
pub mod validate;
pub mod webhook;

pub use actor::Actor;
pub use error::{DomainError, DomainResult};
