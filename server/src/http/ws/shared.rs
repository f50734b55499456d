//! Subscribers asking the same `goLiveStatus` question (the same document, operation and
//! variables) share one execution: each change is resolved and serialised once, and every
//! subscriber's connection sends those same bytes. A go-live has thousands of screens on one
//! plan; resolving the selection once per screen made delivery slow and kept a parsed
//! document per subscriber in memory.
//!
//! A subscriber still runs its own operation for its first answer, so the role check, the
//! plan's existence and every error are exactly those of any other subscription; it then drops
//! that and follows the shared stream from the version its own snapshot covered.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use async_graphql::Request;
use async_graphql::parser::types::{OperationType, Selection};
use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::broadcast;
use tokio::task::AbortHandle;

use super::protocol::Operation;
use crate::graphql::AppSchema;
use crate::graphql::subscription::FeedVersion;

/// Rendered answers waiting for slow subscribers; one that falls further behind resyncs.
const BUFFER: usize = 16;

/// One rendered answer of a shared stream.
#[derive(Clone)]
pub enum Shared {
    Next {
        version: u64,
        payload: Arc<str>,
    },
    /// The shared stream ended (the plan was deleted): its subscribers complete.
    Ended,
}

/// A running shared execution; it stops when its last subscriber lets go of it.
pub struct Group {
    sender: broadcast::Sender<Shared>,
    /// Set once the shared execution has answered (and so holds the plan's live feed).
    started: Arc<AtomicBool>,
    ended: Arc<AtomicBool>,
    task: AbortHandle,
}

impl Group {
    pub fn started(&self) -> bool {
        self.started.load(Ordering::SeqCst)
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Default)]
pub struct SharedStreams {
    groups: Mutex<HashMap<String, Weak<Group>>>,
}

/// The sharing key of an operation, when it is a subscription to `goLiveStatus` alone (the
/// only subscription whose answers do not depend on who asks).
pub fn key(operation: &Operation) -> Option<String> {
    let document = async_graphql::parser::parse_query(&operation.query).ok()?;
    let (_, chosen) =
        document
            .operations
            .iter()
            .find(|(name, _)| match &operation.operation_name {
                Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
                None => true,
            })?;
    if chosen.node.ty != OperationType::Subscription {
        return None;
    }
    let [item] = chosen.node.selection_set.node.items.as_slice() else {
        return None;
    };
    match &item.node {
        Selection::Field(field) if field.node.name.node.as_str() == "goLiveStatus" => {}
        _ => return None,
    }
    let variables = operation
        .variables
        .clone()
        .map(Value::Object)
        .unwrap_or(Value::Null);
    Some(format!(
        "{}\u{0}{}\u{0}{}",
        operation.query,
        operation.operation_name.as_deref().unwrap_or_default(),
        variables
    ))
}

impl SharedStreams {
    /// Joins the group answering `key`, starting it with `request` when there is none. The
    /// receiver is taken before anything is rendered for the caller, so nothing is missed.
    pub fn join(
        &self,
        key: String,
        schema: &AppSchema,
        request: impl FnOnce() -> Request,
    ) -> (Arc<Group>, broadcast::Receiver<Shared>) {
        let mut groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(group) = groups.get(&key).and_then(Weak::upgrade)
            && !group.ended.load(Ordering::SeqCst)
        {
            let receiver = group.sender.subscribe();
            return (group, receiver);
        }
        groups.retain(|_, group| group.strong_count() > 0);
        let (sender, receiver) = broadcast::channel(BUFFER);
        let slot = Arc::new(AtomicU64::new(0));
        let started = Arc::new(AtomicBool::new(false));
        let ended = Arc::new(AtomicBool::new(false));
        let mut stream = schema.execute_stream(request().data(FeedVersion(slot.clone())));
        let task = {
            let sender = sender.clone();
            let started = started.clone();
            let ended = ended.clone();
            tokio::spawn(async move {
                while let Some(response) = stream.next().await {
                    started.store(true, Ordering::SeqCst);
                    if response.data == async_graphql::Value::Null && !response.errors.is_empty() {
                        break;
                    }
                    let Ok(text) = serde_json::to_string(&response) else {
                        break;
                    };
                    let _ = sender.send(Shared::Next {
                        version: slot.load(Ordering::SeqCst),
                        payload: text.into(),
                    });
                }
                ended.store(true, Ordering::SeqCst);
                let _ = sender.send(Shared::Ended);
            })
            .abort_handle()
        };
        let group = Arc::new(Group {
            sender,
            started,
            ended,
            task,
        });
        groups.insert(key, Arc::downgrade(&group));
        (group, receiver)
    }

    /// Shared executions running now (for tests).
    pub fn running(&self) -> usize {
        self.groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .filter(|g| g.strong_count() > 0)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(query: &str, name: Option<&str>, variables: Value) -> Operation {
        Operation {
            query: query.to_owned(),
            operation_name: name.map(str::to_owned),
            variables: variables.as_object().cloned(),
            extensions: None,
        }
    }

    const LIVE: &str = "subscription($id: ID!) { goLiveStatus(planId: $id) { kind progress } }";

    #[test]
    fn only_a_lone_go_live_subscription_is_shared() {
        let plan = serde_json::json!({ "id": "pln_1" });
        assert!(key(&operation(LIVE, None, plan.clone())).is_some());
        let aliased = "subscription($id: ID!) { wall: goLiveStatus(planId: $id) { kind } }";
        assert!(key(&operation(aliased, None, plan.clone())).is_some());
        for other in [
            "subscription { notifications { resyncRequired } }",
            "query($id: ID!) { deploymentPlan(id: $id) { id } }",
            "subscription($id: ID!) { ...F } fragment F on SubscriptionRoot { goLiveStatus(planId: $id) { kind } }",
            "subscription { releaseEvents { action } }",
            "not a document",
        ] {
            assert_eq!(key(&operation(other, None, plan.clone())), None, "{other}");
        }
    }

    #[test]
    fn the_key_tells_questions_apart() {
        let a = key(&operation(LIVE, None, serde_json::json!({ "id": "pln_1" })));
        let b = key(&operation(LIVE, None, serde_json::json!({ "id": "pln_2" })));
        let again = key(&operation(LIVE, None, serde_json::json!({ "id": "pln_1" })));
        assert_ne!(a, b, "another plan");
        assert_eq!(a, again, "the same question");
        let other_fields = key(&operation(
            "subscription($id: ID!) { goLiveStatus(planId: $id) { kind atRisk } }",
            None,
            serde_json::json!({ "id": "pln_1" }),
        ));
        assert_ne!(a, other_fields, "another selection");
    }

    #[test]
    fn the_named_operation_is_the_one_judged() {
        let document = "query Q { __typename } subscription Live($id: ID!) { goLiveStatus(planId: $id) { kind } }";
        let plan = serde_json::json!({ "id": "pln_1" });
        assert!(key(&operation(document, Some("Live"), plan.clone())).is_some());
        assert_eq!(key(&operation(document, Some("Q"), plan.clone())), None);
        assert_eq!(key(&operation(document, Some("Missing"), plan)), None);
    }
}
