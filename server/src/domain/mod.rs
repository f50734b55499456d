//! Business rules, with no GraphQL in them. Every write opens one transaction, validates,
//! changes the rows, records its audit event, commits, then publishes its domain event.

// Shared by every context.
pub mod actor;
pub mod clock;
pub mod error;
pub mod ids;
pub mod page;
pub mod search;
pub mod validate;

// One module per bounded context.
pub mod booking;
pub mod environment;
pub mod golive;
pub mod governance;
pub mod identity;
pub mod release;

pub use actor::Actor;
pub use error::{DomainError, DomainResult};
