//! Domain errors as GraphQL errors with a stable `extensions.code`. Database and internal
//! causes are logged with the request id and shown to clients only as INTERNAL.

use async_graphql::{Error, ErrorExtensions};

use crate::domain::DomainError;

pub type GqlResult<T> = async_graphql::Result<T>;

pub fn coded(message: impl Into<String>, code: &'static str) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", code))
}

pub fn validation(field: &str, message: impl Into<String>) -> Error {
    let field = field.to_owned();
    Error::new(message).extend_with(move |_, e| {
        e.set("code", "VALIDATION");
        e.set("field", field.clone());
    })
}

pub fn internal(cause: impl std::fmt::Debug) -> Error {
    tracing::error!(error = ?cause, "internal error");
    coded("an internal error occurred; it has been logged", "INTERNAL")
}

pub fn from_domain(err: DomainError) -> Error {
    match err {
        DomainError::Unauthenticated(message) => coded(message, "UNAUTHENTICATED"),
        DomainError::Forbidden(message) => coded(message, "FORBIDDEN"),
        e @ DomainError::NotFound { .. } => coded(e.to_string(), "NOT_FOUND"),
        DomainError::Validation { field, message } => {
            validation(&field, format!("{field}: {message}"))
        }
        DomainError::Conflict {
            message,
            conflicting,
        } => Error::new(message).extend_with(move |_, e| {
            e.set("code", "CONFLICT");
            if !conflicting.is_empty() {
                e.set("conflicting", conflicting.clone());
            }
        }),
        DomainError::InvalidTransition { message } => coded(message, "INVALID_TRANSITION"),
        DomainError::GateBlocked { message, unmet } => {
            Error::new(message).extend_with(move |_, e| {
                e.set("code", "GATE_BLOCKED");
                e.set("unmet", unmet.clone());
            })
        }
        DomainError::RateLimited {
            message,
            retry_after_seconds,
        } => Error::new(message).extend_with(move |_, e| {
            e.set("code", "RATE_LIMITED");
            e.set("retryAfterSeconds", retry_after_seconds);
        }),
        DomainError::Database(cause) => internal(cause),
        DomainError::Internal(cause) => internal(cause),
    }
}

/// `?`-friendly conversion of domain results.
pub trait DomainResultExt<T> {
    fn gql(self) -> GqlResult<T>;
}

impl<T> DomainResultExt<T> for Result<T, DomainError> {
    fn gql(self) -> GqlResult<T> {
        self.map_err(from_domain)
    }
}
