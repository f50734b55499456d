//! Opaque ids in and out of the API.

use async_graphql::ID;

use crate::domain::ids::TypedId;
use crate::graphql::error::{GqlResult, validation};

pub fn to_id<T: TypedId>(id: T) -> ID {
    ID(id.encode())
}

/// Parses an id argument of type `T`; malformed ids or ids of another type are VALIDATION.
pub fn parse<T: TypedId>(field: &str, id: &ID) -> GqlResult<T> {
    T::parse(id.as_str()).ok_or_else(|| {
        validation(
            field,
            format!("{field}: '{}' is not a {} id", id.as_str(), T::TYPE_NAME),
        )
    })
}

pub fn parse_opt<T: TypedId>(field: &str, id: Option<&ID>) -> GqlResult<Option<T>> {
    id.map(|id| parse(field, id)).transpose()
}

pub fn parse_all<T: TypedId>(field: &str, ids: &[ID]) -> GqlResult<Vec<T>> {
    ids.iter().map(|id| parse(field, id)).collect()
}
