//! Keyset pagination for Relay connections: cursors carry the sort value and the id, pages
//! fetch one row more than asked to know whether another page follows.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult};

pub const MAX_PAGE_SIZE: i32 = 100;
pub const DEFAULT_PAGE_SIZE: i32 = 20;

#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

#[derive(Debug)]
pub struct Page<T> {
    /// Each item with its cursor.
    pub items: Vec<(String, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    /// Counted only when the caller asked for it.
    pub total_count: Option<u64>,
}

/// A sort value as stored in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortValue {
    Text(String),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Int(i64),
}

impl From<SortValue> for sea_orm::Value {
    fn from(value: SortValue) -> Self {
        match value {
            SortValue::Text(v) => v.into(),
            SortValue::Date(v) => v.into(),
            SortValue::Time(v) => v.into(),
            SortValue::Int(v) => v.into(),
        }
    }
}

/// How a list is ordered: a column, then the id to break ties.
pub struct SortKey<E: EntityTrait> {
    /// Name of the ordering, stored in cursors so a cursor of another ordering is refused.
    pub name: &'static str,
    pub column: E::Column,
    pub id_column: E::Column,
    pub descending: bool,
    pub value: fn(&E::Model) -> SortValue,
    pub id: fn(&E::Model) -> Uuid,
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    k: String,
    v: SortValue,
    id: Uuid,
}

fn encode_cursor(name: &str, value: SortValue, id: Uuid) -> String {
    let data = CursorData {
        k: name.to_owned(),
        v: value,
        id,
    };
    let json = serde_json::to_vec(&data).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode_cursor(field: &str, name: &str, cursor: &str) -> DomainResult<(SortValue, Uuid)> {
    let invalid = || {
        DomainError::validation(
            field,
            "the cursor is malformed or belongs to another ordering",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if data.k != name {
        return Err(invalid());
    }
    Ok((data.v, data.id))
}

fn check_size(field: &str, size: Option<i32>) -> DomainResult<()> {
    match size {
        Some(n) if n < 0 => Err(DomainError::validation(field, "must not be negative")),
        Some(n) if n > MAX_PAGE_SIZE => Err(DomainError::validation(
            field,
            format!("at most {MAX_PAGE_SIZE} items can be asked for at once"),
        )),
        _ => Ok(()),
    }
}

/// Validates page arguments before any query runs.
pub fn check_args(args: &PageArgs) -> DomainResult<()> {
    check_size("first", args.first)?;
    check_size("last", args.last)?;
    if args.first.is_some() && args.last.is_some() {
        return Err(DomainError::validation(
            "last",
            "use either first/after or last/before, not both",
        ));
    }
    Ok(())
}

/// Runs one page of `select` ordered by `key`.
pub async fn paginate<E, C>(
    conn: &C,
    select: Select<E>,
    key: &SortKey<E>,
    args: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    check_args(args)?;
    let total_count = if with_total {
        Some(select.clone().count(conn).await?)
    } else {
        None
    };
    let backward = args.last.is_some() || (args.before.is_some() && args.first.is_none());
    let limit = if backward {
        args.last.unwrap_or(DEFAULT_PAGE_SIZE)
    } else {
        args.first.unwrap_or(DEFAULT_PAGE_SIZE)
    } as u64;

    // Walking backwards is walking forwards in the reverse order, then flipping the page.
    let descending = key.descending != backward;
    let mut query = select;
    let cursor = if backward {
        args.before.as_deref().map(|c| ("before", c))
    } else {
        args.after.as_deref().map(|c| ("after", c))
    };
    if let Some((field, cursor)) = cursor {
        let (value, id) = decode_cursor(field, key.name, cursor)?;
        let value: sea_orm::Value = value.into();
        let condition = if descending {
            Condition::any().add(key.column.lt(value.clone())).add(
                Condition::all()
                    .add(key.column.eq(value))
                    .add(key.id_column.lt(id)),
            )
        } else {
            Condition::any().add(key.column.gt(value.clone())).add(
                Condition::all()
                    .add(key.column.eq(value))
                    .add(key.id_column.gt(id)),
            )
        };
        query = query.filter(condition);
    }
    let order = if descending { Order::Desc } else { Order::Asc };
    let mut rows = query
        .order_by(key.column, order.clone())
        .order_by(key.id_column, order)
        .limit(limit + 1)
        .all(conn)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    if backward {
        rows.reverse();
    }
    let items = rows
        .into_iter()
        .map(|row| {
            let cursor = encode_cursor(key.name, (key.value)(&row), (key.id)(&row));
            (cursor, row)
        })
        .collect();
    let (has_next_page, has_previous_page) = if backward {
        (args.before.is_some(), more)
    } else {
        (more, args.after.is_some())
    };
    Ok(Page {
        items,
        has_next_page,
        has_previous_page,
        total_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_ordering() {
        let id = Uuid::now_v7();
        let cursor = encode_cursor("name", SortValue::Text("Payments".into()), id);
        let (value, decoded) =
            decode_cursor("after", "name", &cursor).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value, SortValue::Text("Payments".into()));
        assert_eq!(decoded, id);
        assert!(decode_cursor("after", "createdAt", &cursor).is_err());
        assert!(decode_cursor("after", "name", "!!!").is_err());
    }

    #[test]
    fn page_sizes_are_capped() {
        let too_big = PageArgs {
            first: Some(101),
            ..Default::default()
        };
        assert!(
            matches!(check_args(&too_big), Err(DomainError::Validation { field, .. }) if field == "first")
        );
        let both = PageArgs {
            first: Some(1),
            last: Some(1),
            ..Default::default()
        };
        assert!(check_args(&both).is_err());
        assert!(check_args(&PageArgs::default()).is_ok());
    }
}
