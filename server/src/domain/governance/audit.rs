//! Writes the audit trail. Every change calls `record` inside its transaction; the same call
//! queues the domain event that subscriptions see after commit.

use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use uuid::Uuid;

use entity::{audit_event, deployment_plan};

use crate::db::WriteTx;
use crate::domain::{Actor, DomainResult, ids::new_uuid};
use crate::events::DomainEvent;

/// One change to record.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'static str,
    pub entity_id: Uuid,
    pub release_id: Option<Uuid>,
    /// The deployment plan the change belongs to (for live go-live screens; not stored).
    pub plan_id: Option<Uuid>,
    /// The environment the change concerns (bookings; for live calendars; not stored).
    pub environment_id: Option<Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    pub fn new(action: &'a str, entity_type: &'static str, entity_id: Uuid) -> Self {
        Self {
            action,
            entity_type,
            entity_id,
            release_id: None,
            plan_id: None,
            environment_id: None,
            before: None,
            after: None,
        }
    }

    /// The deployment plan the entity belongs to.
    /// A change inside a deployment plan: recorded against the plan and its release.
    pub fn in_plan(mut self, plan: &deployment_plan::Model) -> Self {
        self.plan_id = Some(plan.id);
        self.in_release(plan.release_id)
    }

    pub fn in_environment(mut self, environment_id: Uuid) -> Self {
        self.environment_id = Some(environment_id);
        self
    }

    /// The release the entity belongs to, so it shows in the release's history.
    pub fn in_release(mut self, release_id: Uuid) -> Self {
        self.release_id = Some(release_id);
        self
    }

    pub fn before<T: Serialize>(mut self, value: &T) -> Self {
        self.before = snapshot(value);
        self
    }

    pub fn after<T: Serialize>(mut self, value: &T) -> Self {
        self.after = snapshot(value);
        self
    }
}

/// A JSON snapshot of a row for the trail.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// The rule "every change has its audit event in the same transaction", stated once: a domain
/// write ends with `tx.commit_change(actor, change)`; a transaction that makes several changes
/// records the others with `tx.record(actor, change)` before it.
impl WriteTx {
    /// Appends the audit event of `change` to the chain, in this transaction.
    pub async fn record(&mut self, actor: &Actor, change: Change<'_>) -> DomainResult<()> {
        append(self, actor, change).await
    }

    /// Records the audit event of `change`, then commits: the change and its event land
    /// together or not at all, and the domain event is published after the commit.
    pub async fn commit_change(mut self, actor: &Actor, change: Change<'_>) -> DomainResult<()> {
        append(&mut self, actor, change).await?;
        self.commit().await?;
        Ok(())
    }
}

async fn append(tx: &mut WriteTx, actor: &Actor, change: Change<'_>) -> DomainResult<()> {
    let at = tx.now();
    let head = tx.chain_head().await?;
    let mut event = audit_event::Model {
        id: new_uuid(),
        occurred_at: at,
        actor_id: actor.id,
        actor_name: actor.name.clone(),
        request_id: actor.request_id.clone(),
        action: change.action.to_owned(),
        entity_type: change.entity_type.to_owned(),
        entity_id: change.entity_id,
        release_id: change.release_id,
        before: change.before,
        after: change.after,
        sequence: head.sequence + 1,
        prev_hash: head.hash,
        hash: String::new(),
    };
    event.hash = chain::hash(&event);
    tx.advance_chain(event.sequence, event.hash.clone());
    audit_event::ActiveModel::from(event).insert(&**tx).await?;
    tx.emit(DomainEvent {
        action: change.action.to_owned(),
        entity_type: change.entity_type.to_owned(),
        entity_id: change.entity_id,
        release_id: change.release_id,
        actor_id: actor.id,
        audience: None,
        plan_id: change.plan_id,
        environment_id: change.environment_id,
        at,
    });
    Ok(())
}

/// The hash chain of the audit trail: each event's hash covers its content and the hash of
/// the event before it, so changing, removing or reordering any event breaks every later link.
pub mod chain {
    use chrono::SecondsFormat;
    use sea_orm::{
        ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    };
    use serde_json::Value;
    use sha2::{Digest, Sha256};

    use entity::{audit_chain_head, audit_event};

    use crate::domain::DomainResult;

    pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    /// JSON with object keys sorted, so the same content always hashes the same.
    pub fn canonical(value: &Value) -> String {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let fields: Vec<String> = keys
                    .into_iter()
                    .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }
            Value::Array(items) => format!(
                "[{}]",
                items.iter().map(canonical).collect::<Vec<_>>().join(",")
            ),
            other => other.to_string(),
        }
    }

    pub fn hash(event: &audit_event::Model) -> String {
        let optional = |v: &Option<Value>| v.as_ref().map(canonical).unwrap_or_default();
        let content = format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            event.sequence,
            event.prev_hash,
            event
                .occurred_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
            event.actor_id.map(|id| id.to_string()).unwrap_or_default(),
            event.actor_name,
            event.request_id.clone().unwrap_or_default(),
            event.action,
            event.entity_type,
            event.entity_id,
            event
                .release_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            optional(&event.before),
            optional(&event.after),
        );
        let digest = Sha256::digest(content.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The first place where the chain does not hold.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BrokenLink {
        pub sequence: i64,
        pub event_id: Option<uuid::Uuid>,
        pub reason: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Verification {
        pub checked: u64,
        pub head_sequence: i64,
        pub first_broken: Option<BrokenLink>,
    }

    const BATCH: u64 = 1000;

    /// Walks the whole chain in order and reports the first broken link.
    pub async fn verify<C: ConnectionTrait>(conn: &C) -> DomainResult<Verification> {
        let head = audit_chain_head::Entity::find_by_id(1).one(conn).await?;
        let head_sequence = head.as_ref().map_or(0, |h| h.sequence);
        let mut expected_sequence = 1i64;
        let mut previous = GENESIS.to_owned();
        let mut checked = 0u64;
        let broken = |sequence: i64, event_id: Option<uuid::Uuid>, reason: String| BrokenLink {
            sequence,
            event_id,
            reason,
        };
        loop {
            let batch = audit_event::Entity::find()
                .filter(audit_event::Column::Sequence.gte(expected_sequence))
                .order_by_asc(audit_event::Column::Sequence)
                .limit(BATCH)
                .all(conn)
                .await?;
            let done = (batch.len() as u64) < BATCH;
            for event in batch {
                let first_broken = if event.sequence != expected_sequence {
                    Some(broken(
                        expected_sequence,
                        None,
                        format!(
                            "event {expected_sequence} is missing (the next one is {})",
                            event.sequence
                        ),
                    ))
                } else if event.prev_hash != previous {
                    Some(broken(
                        event.sequence,
                        Some(event.id),
                        "it does not link to the event before it".into(),
                    ))
                } else if hash(&event) != event.hash {
                    Some(broken(
                        event.sequence,
                        Some(event.id),
                        "its content does not match its hash (it was altered)".into(),
                    ))
                } else {
                    None
                };
                if first_broken.is_some() {
                    return Ok(Verification {
                        checked,
                        head_sequence,
                        first_broken,
                    });
                }
                checked += 1;
                previous = event.hash;
                expected_sequence += 1;
            }
            if done {
                break;
            }
        }
        let last = expected_sequence - 1;
        let first_broken = match &head {
            Some(head) if head.sequence != last => Some(broken(
                last + 1,
                None,
                format!(
                    "the chain ends at {last} but its head says {}",
                    head.sequence
                ),
            )),
            Some(head) if head.hash != previous => Some(broken(
                last,
                None,
                "the chain head does not match the last event".into(),
            )),
            _ => None,
        };
        Ok(Verification {
            checked,
            head_sequence,
            first_broken,
        })
    }
}

/// Filter of the audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_id: Option<Uuid>,
    pub release_id: Option<Uuid>,
    /// With `release_id`: also the events of its project releases.
    pub include_children: bool,
    pub actor_id: Option<Uuid>,
    /// Events about entities of these types (`Release`, `Booking`…); empty: any.
    pub entity_types: Vec<String>,
    /// Events of these actions (`release.transition`, `booking.approve`…); empty: any.
    pub actions: Vec<String>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub to: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn select(filter: &AuditFilter) -> sea_orm::Select<audit_event::Entity> {
    let mut query = audit_event::Entity::find();
    if let Some(id) = filter.entity_id {
        query = query.filter(audit_event::Column::EntityId.eq(id));
    }
    if let Some(id) = filter.release_id {
        if filter.include_children {
            // The release's own events and those of its project releases.
            query = query.filter(
                audit_event::Column::ReleaseId.in_subquery(
                    Query::select()
                        .column(entity::release::Column::Id)
                        .from(entity::release::Entity)
                        .cond_where(
                            Condition::any()
                                .add(entity::release::Column::Id.eq(id))
                                .add(entity::release::Column::ParentId.eq(id)),
                        )
                        .to_owned(),
                ),
            );
        } else {
            query = query.filter(audit_event::Column::ReleaseId.eq(id));
        }
    }
    if let Some(id) = filter.actor_id {
        query = query.filter(audit_event::Column::ActorId.eq(id));
    }
    if !filter.entity_types.is_empty() {
        query = query.filter(audit_event::Column::EntityType.is_in(filter.entity_types.clone()));
    }
    if !filter.actions.is_empty() {
        query = query.filter(audit_event::Column::Action.is_in(filter.actions.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_event::Column::OccurredAt.lt(to));
    }
    query
}

/// The newest events of one entity (used by tests and the release page's history).
pub async fn latest_for<C: ConnectionTrait>(
    conn: &C,
    entity_id: Uuid,
    limit: u64,
) -> DomainResult<Vec<audit_event::Model>> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(entity_id))
        .order_by_desc(audit_event::Column::OccurredAt)
        .limit(limit)
        .all(conn)
        .await?)
}
