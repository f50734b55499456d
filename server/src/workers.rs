//! Background work of a server process: the notification scheduler (time-based rules) and
//! the webhook delivery worker. Several instances may run them at once: notifications are
//! deduplicated by the database and deliveries are claimed before they are sent.

use std::time::Duration;

use crate::domain::{governance::notify, governance::webhook};
use crate::state::AppState;

/// Starts the workers on the current runtime; they stop when the process shuts down.
pub fn start(state: &AppState) {
    let scheduler = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(scheduler.settings.scheduler_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    match notify::run_time_rules(&scheduler.store, scheduler.store.now()).await {
                        Ok(0) => {}
                        Ok(created) => tracing::info!(created, "time-based notifications sent"),
                        Err(error) => tracing::warn!(?error, "notification scheduler run failed"),
                    }
                }
                _ = scheduler.shutdown.wait() => break,
            }
        }
    });

    let deliveries = state.clone();
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Heatshield/", env!("CARGO_PKG_VERSION")))
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "webhook client could not be built; webhooks are not delivered");
                return;
            }
        };
        let policy = webhook::RetryPolicy {
            first_backoff: deliveries.settings.webhook_first_backoff,
            max_attempts: deliveries.settings.webhook_max_attempts,
            claim: Duration::from_secs(60),
        };
        let mut tick = tokio::time::interval(deliveries.settings.webhook_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(error) = webhook::deliver_due(&deliveries.store, &client, policy, deliveries.store.now()).await {
                        tracing::warn!(?error, "webhook delivery run failed");
                    }
                }
                _ = deliveries.shutdown.wait() => break,
            }
        }
    });
}
