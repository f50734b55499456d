//! Relay connections over the domain's keyset pages.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, OutputType};

use crate::domain::page::{Page, PageArgs};

/// Extra connection fields: the total is counted only when asked for.
pub struct Totals {
    total: Option<u64>,
}

#[Object]
impl Totals {
    /// Number of items matching the filter, across all pages.
    async fn total_count(&self) -> i64 {
        self.total.unwrap_or_default() as i64
    }
}

pub type Conn<N> = Connection<String, N, Totals, EmptyFields>;

pub fn args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        first,
        after,
        last,
        before,
    }
}

/// Whether the selection of the current connection field includes `totalCount`.
pub fn wants_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

pub fn connection<M, N: OutputType>(page: Page<M>, to_node: impl Fn(M) -> N) -> Conn<N> {
    let mut connection = Connection::with_additional_fields(
        page.has_previous_page,
        page.has_next_page,
        Totals {
            total: page.total_count,
        },
    );
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, model)| Edge::new(cursor, to_node(model))),
    );
    connection
}
