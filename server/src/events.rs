//! Domain events: published after a transaction commits, consumed by subscriptions.
//!
//! In one process they travel through a bounded broadcast channel; a subscriber that falls
//! behind loses old events (and is told so by `RecvError::Lagged`) instead of growing memory.
//! With PostgreSQL, every committed batch is also sent with `NOTIFY` (inside the transaction,
//! so only committed changes are announced) and each instance `LISTEN`s, so a subscriber on one
//! instance sees changes made through another. Payloads carry ids, never documents.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::shutdown::Shutdown;

/// The NOTIFY channel shared by all instances.
pub const CHANNEL: &str = "heatshield_events";

/// Under PostgreSQL's 8000-byte NOTIFY payload limit, with room to spare.
const MAX_PAYLOAD: usize = 7000;

/// The action of the event that tells subscribers events may have been lost.
pub const RESYNC: &str = "resync";

/// What happened, to which entity, in which release (when the entity belongs to one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainEvent {
    pub action: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    pub release_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    /// The one user the event is for (notifications), when it is not for everyone.
    pub audience: Option<Uuid>,
    /// The deployment plan concerned, for go-live status subscribers.
    pub plan_id: Option<Uuid>,
    /// The environment concerned (bookings), so calendar subscribers filter without a lookup.
    #[serde(default)]
    pub environment_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

impl DomainEvent {
    pub fn resync() -> Self {
        Self {
            action: RESYNC.into(),
            entity_type: "Resync".into(),
            entity_id: Uuid::nil(),
            release_id: None,
            actor_id: None,
            audience: None,
            plan_id: None,
            environment_id: None,
            at: Utc::now(),
        }
    }

    pub fn is_resync(&self) -> bool {
        self.action == RESYNC
    }
}

#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<DomainEvent>,
    /// This process; NOTIFY echoes of its own events are ignored.
    instance: Uuid,
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity);
        Self {
            sender,
            instance: Uuid::new_v4(),
        }
    }

    pub fn instance(&self) -> Uuid {
        self.instance
    }

    pub fn publish(&self, event: DomainEvent) {
        // No receivers is normal (nobody subscribed); the event is simply dropped.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<DomainEvent> {
        self.sender.subscribe()
    }
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

#[derive(Serialize, Deserialize)]
struct Batch {
    origin: Uuid,
    events: Vec<DomainEvent>,
}

/// NOTIFY payloads for `events`, each under the size limit.
pub fn encode(origin: Uuid, events: &[DomainEvent]) -> Vec<String> {
    let mut payloads = Vec::new();
    let mut batch: Vec<DomainEvent> = Vec::new();
    for event in events {
        batch.push(event.clone());
        let size = serde_json::to_string(&Batch {
            origin,
            events: batch.clone(),
        })
        .map(|s| s.len())
        .unwrap_or(0);
        if size > MAX_PAYLOAD && batch.len() > 1 {
            let last = batch.pop();
            if let Ok(text) = serde_json::to_string(&Batch {
                origin,
                events: std::mem::take(&mut batch),
            }) {
                payloads.push(text);
            }
            batch.extend(last);
        }
    }
    if !batch.is_empty()
        && let Ok(text) = serde_json::to_string(&Batch {
            origin,
            events: batch,
        })
    {
        payloads.push(text);
    }
    payloads
}

fn decode(payload: &str) -> Option<(Uuid, Vec<DomainEvent>)> {
    let batch: Batch = serde_json::from_str(payload).ok()?;
    Some((batch.origin, batch.events))
}

/// Listens for other instances' events on PostgreSQL and republishes them locally. After the
/// connection drops (events may have been missed meanwhile) subscribers are told to resync.
pub async fn listen(url: String, bus: EventBus, shutdown: Shutdown) {
    use sea_orm::sqlx::postgres::PgListener;
    let mut delay = Duration::from_millis(200);
    loop {
        let connected = async {
            let mut listener = PgListener::connect(&url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            result = connected => match result {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for other instances' events; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = shutdown.wait() => return,
                    }
                    delay = (delay * 2).min(Duration::from_secs(10));
                    continue;
                }
            },
            _ = shutdown.wait() => return,
        };
        delay = Duration::from_millis(200);
        tracing::debug!("listening for events of other instances");
        loop {
            let next = tokio::select! {
                next = listener.try_recv() => next,
                _ = shutdown.wait() => return,
            };
            match next {
                Ok(Some(notification)) => {
                    if let Some((origin, events)) = decode(notification.payload())
                        && origin != bus.instance()
                    {
                        for event in events {
                            bus.publish(event);
                        }
                    }
                }
                Ok(None) => {
                    // The connection dropped and was re-established: events may be lost.
                    tracing::warn!("event listener reconnected; subscribers resync");
                    bus.publish(DomainEvent::resync());
                }
                Err(error) => {
                    tracing::warn!(%error, "event listener failed; reconnecting");
                    bus.publish(DomainEvent::resync());
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u128) -> DomainEvent {
        DomainEvent {
            action: "activity.start".into(),
            entity_type: "Activity".into(),
            entity_id: Uuid::from_u128(n),
            release_id: Some(Uuid::from_u128(7)),
            actor_id: None,
            audience: None,
            plan_id: Some(Uuid::from_u128(9)),
            environment_id: None,
            at: Utc::now(),
        }
    }

    #[test]
    fn batches_stay_under_the_notify_limit_and_round_trip() {
        let origin = Uuid::new_v4();
        let events: Vec<DomainEvent> = (0..200).map(event).collect();
        let payloads = encode(origin, &events);
        assert!(payloads.len() > 1);
        assert!(payloads.iter().all(|p| p.len() <= MAX_PAYLOAD));
        let decoded: Vec<DomainEvent> = payloads
            .iter()
            .flat_map(|p| decode(p).map(|(_, e)| e).unwrap_or_default())
            .collect();
        assert_eq!(decoded, events);
        assert_eq!(decode(&payloads[0]).map(|(o, _)| o), Some(origin));
    }
}
