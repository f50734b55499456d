//! Live updates over WebSocket (`graphql-transport-ws`, or the legacy `graphql-ws`).

use async_graphql::{Context, ID, Object, Subscription};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use crate::domain::identity::Permission;
use crate::domain::ids::{DeploymentPlanId, EnvironmentId, ReleaseId, encode_named};
use crate::events::DomainEvent;
use crate::golive::Update;
use crate::graphql::booking::Booking;
use crate::graphql::context::ContextExt;
use crate::graphql::error::DomainResultExt;
use crate::graphql::error::{GqlResult, internal};
use crate::graphql::golive::plan::GoLiveUpdate;
use crate::graphql::guard::Require;
use crate::graphql::ids::{parse, parse_opt, to_id};
use crate::graphql::loaders::{BookingById, ReleaseById};
use crate::graphql::release::Release;
use crate::graphql::scalars::DateTime;

/// Something changed in a release or one of its parts. When `resyncRequired` is true, events
/// were lost (the subscriber fell behind) and the client should reload what it shows.
pub struct ReleaseEvent {
    event: Option<DomainEvent>,
}

#[Object]
impl ReleaseEvent {
    /// Dotted verb, e.g. `release.transition` or `package.create`; `resync` when events were lost.
    async fn action(&self) -> &str {
        self.event.as_ref().map_or("resync", |e| e.action.as_str())
    }
    async fn entity_type(&self) -> Option<&str> {
        self.event.as_ref().map(|e| e.entity_type.as_str())
    }
    async fn entity_id(&self) -> Option<ID> {
        self.event
            .as_ref()
            .map(|e| ID(encode_named(&e.entity_type, e.entity_id)))
    }
    async fn release_id(&self) -> Option<ID> {
        self.event
            .as_ref()
            .and_then(|e| e.release_id)
            .map(|id| to_id(ReleaseId(id)))
    }
    /// The release as it is now (null once deleted).
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        let Some(id) = self.event.as_ref().and_then(|e| e.release_id) else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(ReleaseById(id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn at(&self) -> Option<DateTime> {
        self.event.as_ref().map(|e| e.at.into())
    }
    async fn resync_required(&self) -> bool {
        self.event.is_none()
    }
}

/// Something changed in the booking calendar: a booking was requested, approved, rejected,
/// cancelled, changed, waitlisted or offered its slot; a blackout was created, changed,
/// deleted or overridden; or an environment's status changed. `resyncRequired` as above.
pub struct BookingEvent {
    event: Option<DomainEvent>,
    environment_id: Option<uuid::Uuid>,
}

#[Object]
impl BookingEvent {
    /// Dotted verb, e.g. `booking.approve`, `booking.offer`, `blackout.create` or
    /// `environment.statusChange`; `resync` when events were lost.
    async fn action(&self) -> &str {
        self.event.as_ref().map_or("resync", |e| e.action.as_str())
    }
    async fn entity_type(&self) -> Option<&str> {
        self.event.as_ref().map(|e| e.entity_type.as_str())
    }
    async fn entity_id(&self) -> Option<ID> {
        self.event
            .as_ref()
            .map(|e| ID(encode_named(&e.entity_type, e.entity_id)))
    }
    async fn release_id(&self) -> Option<ID> {
        self.event
            .as_ref()
            .and_then(|e| e.release_id)
            .map(|id| to_id(ReleaseId(id)))
    }
    /// The environment of the booking (or the environment itself).
    async fn environment_id(&self) -> Option<ID> {
        self.environment_id.map(|id| to_id(EnvironmentId(id)))
    }
    /// The booking as it is now, for booking events.
    async fn booking(&self, ctx: &Context<'_>) -> GqlResult<Option<Booking>> {
        let Some(event) = self.event.as_ref().filter(|e| e.entity_type == "Booking") else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(BookingById(event.entity_id))
            .await
            .map_err(internal)?
            .map(Booking))
    }
    async fn at(&self) -> Option<DateTime> {
        self.event.as_ref().map(|e| e.at.into())
    }
    async fn resync_required(&self) -> bool {
        self.event.is_none()
    }
}

/// Whether an event belongs to the booking calendar, and the environment it concerns.
async fn booking_event_environment(
    store: &crate::db::Store,
    event: &DomainEvent,
) -> Option<Option<uuid::Uuid>> {
    match event.entity_type.as_str() {
        "Booking" if event.environment_id.is_some() => Some(event.environment_id),
        // Older peers (during a rolling upgrade) do not send the environment: look it up.
        "Booking" => Some(
            crate::domain::booking::get(
                store.conn(),
                crate::domain::ids::BookingId(event.entity_id),
            )
            .await
            .ok()
            .map(|b| b.environment_id),
        ),
        "Blackout" => Some(None),
        "Environment" if event.action == "environment.statusChange" => Some(Some(event.entity_id)),
        _ => None,
    }
}

/// Request data: where `goLiveStatus` writes the feed version of the update it yields, so a
/// stream shared by many subscribers knows what each rendered answer covers.
#[derive(Clone)]
pub struct FeedVersion(pub Arc<AtomicU64>);

/// Request data: the first `goLiveStatus` answer is a resync (the subscriber fell behind).
pub struct ResyncFirst;

#[derive(Default)]
pub struct SubscriptionRoot;

/// A notification as it is created, or a resync marker when some were missed.
pub struct NotificationEvent {
    notification: Option<entity::notification::Model>,
}

#[Object]
impl NotificationEvent {
    async fn notification(&self) -> Option<crate::graphql::governance::notification::Notification> {
        self.notification
            .clone()
            .map(crate::graphql::governance::notification::Notification)
    }
    /// Notifications were missed; reload `myNotifications`.
    async fn resync_required(&self) -> bool {
        self.notification.is_none()
    }
}

#[Subscription]
impl SubscriptionRoot {
    /// The live state of a deployment plan for the command centre: a snapshot first, then a
    /// delta for each change (and as the projection moves while a run is in progress). A
    /// subscriber that falls behind gets a fresh snapshot with `resync: true`.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn go_live_status(
        &self,
        ctx: &Context<'_>,
        plan_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = GoLiveUpdate> + use<>> {
        let plan = parse::<DeploymentPlanId>("planId", &plan_id)?;
        // Set by subscribers that share one execution (see `http::ws::shared`).
        let version_slot = ctx.data_opt::<FeedVersion>().map(|v| v.0.clone());
        let resync_first = ctx.data_opt::<ResyncFirst>().is_some();
        let feed = ctx.app().golive.feed(plan).await.gql()?;
        // Subscribe before reading the latest state so no change falls in between.
        let receiver = feed.subscribe();
        let first = feed.latest();
        let seen = first.version;
        let first = GoLiveUpdate {
            update: Arc::new(Update {
                changed: None,
                ..(*first).clone()
            }),
            resync: resync_first,
        };
        let note = move |slot: &Option<Arc<AtomicU64>>, version: u64| {
            if let Some(slot) = slot {
                slot.store(version, Ordering::SeqCst);
            }
        };
        note(&version_slot, seen);
        let rest = futures_util::stream::unfold(
            (receiver, feed, seen, version_slot),
            move |(mut receiver, feed, mut seen, slot)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(update) if update.version <= seen => {}
                        Ok(update) => {
                            seen = update.version;
                            note(&slot, seen);
                            return Some((
                                GoLiveUpdate {
                                    update,
                                    resync: false,
                                },
                                (receiver, feed, seen, slot),
                            ));
                        }
                        Err(RecvError::Lagged(_)) => {
                            let latest = feed.latest();
                            seen = latest.version;
                            note(&slot, seen);
                            let update = Arc::new(Update {
                                changed: None,
                                ..(*latest).clone()
                            });
                            return Some((
                                GoLiveUpdate {
                                    update,
                                    resync: true,
                                },
                                (receiver, feed, seen, slot),
                            ));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        );
        Ok(futures_util::stream::once(async move { first }).chain(rest))
    }

    /// The caller's notifications as they are created.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = NotificationEvent> + use<>> {
        let Some(user) = ctx.viewer().user().map(|u| u.id) else {
            return Err(crate::graphql::error::validation(
                "user",
                "only users have notifications",
            ));
        };
        let store = ctx.store().clone();
        let receiver = store.events().subscribe();
        Ok(futures_util::stream::unfold(
            (receiver, store),
            move |(mut receiver, store)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(event) if event.is_resync() => {
                            return Some((
                                NotificationEvent { notification: None },
                                (receiver, store),
                            ));
                        }
                        Ok(event)
                            if event.audience == Some(user)
                                && event.entity_type == "Notification" =>
                        {
                            use sea_orm::EntityTrait;
                            let notification =
                                entity::notification::Entity::find_by_id(event.entity_id)
                                    .one(store.conn())
                                    .await
                                    .ok()
                                    .flatten();
                            if notification.is_some() {
                                return Some((
                                    NotificationEvent { notification },
                                    (receiver, store),
                                ));
                            }
                        }
                        Ok(_) => {}
                        Err(RecvError::Lagged(_)) => {
                            return Some((
                                NotificationEvent { notification: None },
                                (receiver, store),
                            ));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }

    /// Changes to releases and their parts, optionally of one release only.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn release_events(
        &self,
        ctx: &Context<'_>,
        release_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = ReleaseEvent> + use<>> {
        let only = parse_opt::<ReleaseId>("releaseId", release_id.as_ref())?.map(|r| r.0);
        let receiver = ctx.store().events().subscribe();
        Ok(futures_util::stream::unfold(
            receiver,
            move |mut receiver| async move {
                loop {
                    match receiver.recv().await {
                        Ok(event) if event.is_resync() => {
                            return Some((ReleaseEvent { event: None }, receiver));
                        }
                        Ok(event) => {
                            let relevant = event.release_id.is_some()
                                && (only.is_none() || event.release_id == only);
                            if relevant {
                                return Some((ReleaseEvent { event: Some(event) }, receiver));
                            }
                        }
                        Err(RecvError::Lagged(_)) => {
                            return Some((ReleaseEvent { event: None }, receiver));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }

    /// The booking calendar's changes, optionally of one environment or one release only.
    /// Blackout events come through the unfiltered stream, and with a release filter when
    /// the release overrode the blackout.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn booking_events(
        &self,
        ctx: &Context<'_>,
        environment_id: Option<ID>,
        release_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = BookingEvent> + use<>> {
        let only_env =
            parse_opt::<EnvironmentId>("environmentId", environment_id.as_ref())?.map(|e| e.0);
        let only_release = parse_opt::<ReleaseId>("releaseId", release_id.as_ref())?.map(|r| r.0);
        let store = ctx.store().clone();
        let receiver = store.events().subscribe();
        Ok(futures_util::stream::unfold(
            (receiver, store),
            move |(mut receiver, store)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(event) => {
                            let Some(environment) = booking_event_environment(&store, &event).await
                            else {
                                continue;
                            };
                            let env_ok = only_env.is_none() || environment == only_env;
                            let release_ok =
                                only_release.is_none() || event.release_id == only_release;
                            if env_ok && release_ok {
                                let item = BookingEvent {
                                    event: Some(event),
                                    environment_id: environment,
                                };
                                return Some((item, (receiver, store)));
                            }
                        }
                        Err(RecvError::Lagged(_)) => {
                            let item = BookingEvent {
                                event: None,
                                environment_id: None,
                            };
                            return Some((item, (receiver, store)));
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}
