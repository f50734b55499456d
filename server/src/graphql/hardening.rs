//! A schema extension that enforces what async-graphql does not (a cap on aliases) and
//! tells the HTTP layer whether execution began, which decides between "request error"
//! (no `data`, 4xx under GraphQL-over-HTTP) and "field error" (`data` present, 200).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Response, ServerError, ServerResult, Variables};

/// Set when the operation passed parsing and validation and started to execute.
#[derive(Clone, Default)]
pub struct ExecutionStarted(pub Arc<AtomicBool>);

impl ExecutionStarted {
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

pub struct Hardening {
    pub max_aliases: usize,
    /// When false, introspection is refused with an error (async-graphql would answer null).
    pub introspection: bool,
}

impl ExtensionFactory for Hardening {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(HardeningExtension {
            max_aliases: self.max_aliases,
            introspection: self.introspection,
        })
    }
}

struct HardeningExtension {
    max_aliases: usize,
    introspection: bool,
}

/// Whether a selection (or its inline fragments) asks for `__schema` or `__type`.
fn asks_for_schema(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => matches!(field.node.name.node.as_str(), "__schema" | "__type"),
        Selection::InlineFragment(fragment) => asks_for_schema(&fragment.node.selection_set.node),
        Selection::FragmentSpread(_) => false,
    })
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => count_aliases(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn document_aliases(document: &ExecutableDocument) -> usize {
    let in_operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| count_aliases(&op.node.selection_set.node))
        .sum();
    let in_fragments: usize = document
        .fragments
        .values()
        .map(|f| count_aliases(&f.node.selection_set.node))
        .sum();
    in_operations + in_fragments
}

#[async_trait::async_trait]
impl Extension for HardeningExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if !self.introspection {
            let in_operations = document
                .operations
                .iter()
                .any(|(_, op)| asks_for_schema(&op.node.selection_set.node));
            let in_fragments = document
                .fragments
                .values()
                .any(|f| asks_for_schema(&f.node.selection_set.node));
            if in_operations || in_fragments {
                return Err(ServerError::new("introspection is disabled", None));
            }
        }
        let aliases = document_aliases(&document);
        if aliases > self.max_aliases {
            return Err(ServerError::new(
                format!(
                    "the query uses {aliases} aliases; at most {} are allowed",
                    self.max_aliases
                ),
                None,
            ));
        }
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(flag) = ctx.data_opt::<ExecutionStarted>() {
            flag.0.store(true, Ordering::Relaxed);
        }
        next.run(ctx, operation_name).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_aliases_in_operations_and_fragments() {
        let document = async_graphql::parser::parse_query(
            "query { a: me { n: name } b: me { ...F } ... on Query { c: me { name } } } fragment F on Me { d: name }",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(document_aliases(&document), 5);
    }
}
