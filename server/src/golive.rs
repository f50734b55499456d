//! The go-live hub: for each plan someone watches, the state is computed once per change and
//! shared by every subscriber. Subscribers get a snapshot, then deltas (the activities and
//! issues that changed, with the run's summary). Memory is bounded: each plan keeps a short
//! queue of deltas; a subscriber that falls behind skips to a fresh snapshot.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;

use crate::db::Store;
use crate::domain::golive::live::{self, ActivityState, GoLiveState};
use crate::domain::ids::DeploymentPlanId;
use crate::domain::{DomainError, DomainResult};
use crate::events::EventBus;
use crate::shutdown::Shutdown;

/// How long a change waits for the rest of its transaction's events before recomputing.
const COALESCE: Duration = Duration::from_millis(3);
/// Deltas a plan keeps for subscribers that are a little behind.
const QUEUE: usize = 32;

/// One message to subscribers.
#[derive(Debug, Clone)]
pub struct Update {
    pub version: u64,
    pub state: Arc<GoLiveState>,
    /// None: a snapshot (everything); else the activities and issues that changed.
    pub changed: Option<(Vec<Uuid>, Vec<Uuid>)>,
}

impl Update {
    pub fn is_snapshot(&self) -> bool {
        self.changed.is_none()
    }

    pub fn activities(&self) -> Vec<&ActivityState> {
        match &self.changed {
            None => self.state.activities.iter().collect(),
            Some((ids, _)) => self
                .state
                .activities
                .iter()
                .filter(|a| ids.contains(&a.activity.id))
                .collect(),
        }
    }

    pub fn issues(&self) -> Vec<&entity::run_issue::Model> {
        match &self.changed {
            None => self.state.issues.iter().collect(),
            Some((_, ids)) => self
                .state
                .issues
                .iter()
                .filter(|i| ids.contains(&i.id))
                .collect(),
        }
    }
}

/// The watched state of one plan.
pub struct Feed {
    plan_id: Uuid,
    /// The hub's version counter (see `Versions`).
    versions: Arc<Versions>,
    latest: Mutex<Arc<Update>>,
    sender: broadcast::Sender<Arc<Update>>,
    /// Wakes the feed's refresh loop: a change to recompute, or the feed is gone.
    dirty: Arc<Notify>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        // The refresh loop holds no reference to the feed while it waits; this ends it.
        self.dirty.notify_one();
    }
}

impl Feed {
    pub fn latest(&self) -> Arc<Update> {
        self.latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Update>> {
        self.sender.subscribe()
    }
}

fn activity_changed(before: &ActivityState, after: &ActivityState) -> bool {
    before.status != after.status
        || before.run_activity != after.run_activity
        || before.critical != after.critical
        || before.activity != after.activity
        || before.depends_on != after.depends_on
}

/// What changed between two states.
struct Changes {
    activities: Vec<Uuid>,
    issues: Vec<Uuid>,
    /// Some activity is gone (a draft being edited), which a delta cannot say.
    removed: bool,
}

fn diff(before: &GoLiveState, after: &GoLiveState) -> Changes {
    let previous: HashMap<Uuid, &ActivityState> = before
        .activities
        .iter()
        .map(|a| (a.activity.id, a))
        .collect();
    let still_there: HashSet<Uuid> = after.activities.iter().map(|a| a.activity.id).collect();
    let removed = previous.keys().any(|id| !still_there.contains(id));
    let activities = after
        .activities
        .iter()
        .filter(|a| {
            previous
                .get(&a.activity.id)
                .is_none_or(|p| activity_changed(p, a))
        })
        .map(|a| a.activity.id)
        .collect();
    let issues_before: HashMap<Uuid, &entity::run_issue::Model> =
        before.issues.iter().map(|i| (i.id, i)).collect();
    let issues = after
        .issues
        .iter()
        .filter(|i| issues_before.get(&i.id) != Some(i))
        .map(|i| i.id)
        .collect();
    Changes {
        activities,
        issues,
        removed,
    }
}

/// Versions of updates, one counter for every feed of the hub. A plan's feed goes away when
/// nobody watches it and starts afresh for the next watcher; counting per feed would hand the
/// new feed versions the old one already used, and a subscriber comparing versions across the
/// two (the shared streams of `http::ws::shared` do) would take news for old.
#[derive(Default)]
struct Versions(AtomicU64);

impl Versions {
    fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
}

pub struct GoLiveHub {
    store: Store,
    refresh: Duration,
    feeds: Mutex<HashMap<Uuid, Weak<Feed>>>,
    versions: Arc<Versions>,
}

impl GoLiveHub {
    pub fn new(store: Store, refresh: Duration) -> Arc<Self> {
        Arc::new(Self {
            store,
            refresh,
            feeds: Mutex::new(HashMap::new()),
            versions: Arc::default(),
        })
    }

    /// Starts following domain events (and the clock) for the plans being watched.
    pub fn start(self: &Arc<Self>, events: &EventBus, shutdown: Shutdown) {
        let hub = Arc::downgrade(self);
        let mut receiver = events.subscribe();
        tokio::spawn(async move {
            loop {
                let event = tokio::select! {
                    event = receiver.recv() => event,
                    _ = shutdown.wait() => return,
                };
                let Some(hub) = hub.upgrade() else {
                    return;
                };
                // A transaction publishes its events together: take them all, so each plan
                // is recomputed once per commit, not once per event.
                let mut plans = HashSet::new();
                let mut everything = false;
                let mut next = Some(event);
                while let Some(event) = next.take() {
                    match event {
                        Ok(event) if event.is_resync() => everything = true,
                        Ok(event) => plans.extend(event.plan_id),
                        // Events were lost: every watched plan may be stale.
                        Err(broadcast::error::RecvError::Lagged(_)) => everything = true,
                        Err(broadcast::error::RecvError::Closed) => return,
                    }
                    next = match receiver.try_recv() {
                        Ok(event) => Some(Ok(event)),
                        Err(broadcast::error::TryRecvError::Lagged(n)) => {
                            Some(Err(broadcast::error::RecvError::Lagged(n)))
                        }
                        Err(_) => None,
                    };
                }
                if everything {
                    hub.mark_all();
                } else {
                    for plan in plans {
                        hub.mark(plan);
                    }
                }
            }
        });
    }

    fn alive(&self) -> Vec<Arc<Feed>> {
        let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
        feeds.retain(|_, feed| feed.strong_count() > 0);
        feeds.values().filter_map(Weak::upgrade).collect()
    }

    fn mark(&self, plan: Uuid) {
        let feed = self
            .feeds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&plan)
            .and_then(Weak::upgrade);
        if let Some(feed) = feed {
            feed.dirty.notify_one();
        }
    }

    fn mark_all(&self) {
        for feed in self.alive() {
            feed.dirty.notify_one();
        }
    }

    /// Plans watched right now (for metrics and tests).
    pub fn watched(&self) -> usize {
        self.alive().len()
    }

    /// The feed of a plan, created (with its first state) when nobody watched it yet.
    pub async fn feed(self: &Arc<Self>, plan_id: DeploymentPlanId) -> DomainResult<Arc<Feed>> {
        if let Some(feed) = self
            .feeds
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&plan_id.0)
            .and_then(Weak::upgrade)
        {
            return Ok(feed);
        }
        let state = live::compute(self.store.conn(), plan_id, self.store.now()).await?;
        let (sender, _) = broadcast::channel(QUEUE);
        let created = Arc::new(Feed {
            plan_id: plan_id.0,
            versions: self.versions.clone(),
            latest: Mutex::new(Arc::new(Update {
                version: self.versions.next(),
                state: Arc::new(state),
                changed: None,
            })),
            sender,
            dirty: Arc::default(),
        });
        let feed = {
            let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
            match feeds.get(&plan_id.0).and_then(Weak::upgrade) {
                // Someone else created it meanwhile.
                Some(existing) => existing,
                None => {
                    feeds.insert(plan_id.0, Arc::downgrade(&created));
                    created.clone()
                }
            }
        };
        if Arc::ptr_eq(&feed, &created) {
            tokio::spawn(refresh_loop(
                self.store.clone(),
                self.refresh,
                Arc::downgrade(&created),
                created.dirty.clone(),
            ));
        }
        Ok(feed)
    }
}

/// Recomputes a feed whenever it is marked dirty (changes coalesce while computing), and
/// on a timer while a run is in progress (the projection moves with the clock).
///
/// It holds the feed only while computing, so the feed goes away with its last watcher (and
/// with it the loop) instead of living on, recomputed for nobody, until the next timer.
async fn refresh_loop(store: Store, refresh: Duration, feed: Weak<Feed>, dirty: Arc<Notify>) {
    loop {
        let running = match feed.upgrade() {
            Some(current) => current
                .latest()
                .state
                .run
                .as_ref()
                .is_some_and(|r| r.status == entity::RunStatus::Running),
            None => return,
        };
        let wait = if running {
            refresh
        } else {
            Duration::from_secs(3600)
        };
        tokio::select! {
            _ = dirty.notified() => {
                // A commit announces several events in quick succession: let them all
                // arrive, then compute once.
                tokio::time::sleep(COALESCE).await;
                let _ = dirty.notified().now_or_never();
            }
            _ = tokio::time::sleep(wait) => {}
        }
        let Some(current) = feed.upgrade() else {
            return;
        };
        let previous = current.latest();
        let state = match live::compute(
            store.conn(),
            DeploymentPlanId(current.plan_id),
            store.now(),
        )
        .await
        {
            Ok(state) => state,
            Err(DomainError::NotFound { .. }) => return,
            Err(error) => {
                tracing::warn!(?error, plan = %current.plan_id, "go-live state could not be computed");
                continue;
            }
        };
        let Changes {
            activities,
            issues,
            removed,
        } = diff(&previous.state, &state);
        let summary_changed = previous.state.progress != state.progress
            || previous.state.projected_finish != state.projected_finish
            || previous.state.at_risk != state.at_risk
            || previous.state.plan != state.plan
            || previous.state.run != state.run
            || previous.state.critical_path != state.critical_path;
        if activities.is_empty() && issues.is_empty() && !summary_changed && !removed {
            continue;
        }
        let run_changed =
            previous.state.run.as_ref().map(|r| r.id) != state.run.as_ref().map(|r| r.id);
        let update = Arc::new(Update {
            version: current.versions.next(),
            state: Arc::new(state),
            // A new run replaces every activity state, and a delta cannot carry an absence:
            // send it whole.
            changed: if run_changed || removed {
                None
            } else {
                Some((activities, issues))
            },
        });
        *current.latest.lock().unwrap_or_else(|p| p.into_inner()) = update.clone();
        let _ = current.sender.send(update);
    }
}

/// Activity ids of an update, for tests and logs.
pub fn ids(update: &Update) -> HashSet<Uuid> {
    update.activities().iter().map(|a| a.activity.id).collect()
}
