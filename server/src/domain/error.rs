//! The domain's one error type. The GraphQL layer turns each variant into a stable
//! `extensions.code`; database causes are logged there and never shown to clients.

use sea_orm::{DbErr, SqlErr};

pub type DomainResult<T> = Result<T, DomainError>;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: String },
    #[error("{message}")]
    Validation { field: String, message: String },
    /// The change collides with existing data (a duplicate key, a row still in use).
    #[error("{message}")]
    Conflict {
        message: String,
        /// Ids (API form) of what it collides with, when known.
        conflicting: Vec<String>,
    },
    #[error("{message}")]
    InvalidTransition { message: String },
    /// A gate that is not passed or waived stands in the way.
    #[error("{message}")]
    GateBlocked {
        message: String,
        /// Each unmet criterion, as "gate: criterion (state)".
        unmet: Vec<String>,
    },
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_seconds: u64,
    },
    #[error("database error")]
    Database(#[source] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
            conflicting: Vec::new(),
        }
    }

    pub fn invalid_transition(message: impl Into<String>) -> Self {
        Self::InvalidTransition {
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }
}

impl From<DbErr> for DomainError {
    fn from(err: DbErr) -> Self {
        // Constraint violations that slipped past the explicit checks (two requests racing)
        // are the client's conflict, not a server fault.
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::conflict("a record with the same unique value already exists")
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::conflict("the record is referenced by, or refers to, a missing record")
            }
            _ => Self::Database(err),
        }
    }
}
