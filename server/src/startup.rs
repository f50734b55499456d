//! Builds the application from settings: database (created and migrated on first start),
//! keys, demo data, and the HTTP server bound to its listener (port 0 in tests).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::Duration;

use actix_http::{HttpService, KeepAlive};
use actix_server::{Server, ServerHandle};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::App;
use actix_web::dev::AppConfig;
use actix_web::middleware::{Condition, from_fn};
use anyhow::{Context, bail};
use base64::Engine;
use rand::RngCore;

use crate::auth::authenticate::Authenticator;
use crate::auth::jwt::JwtKeys;
use crate::auth::sso::SsoVerifier;
use crate::config::{JwtAlgorithm, RunMode, Settings};
use crate::db::{self, Store};
use crate::events::EventBus;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::{graphql, http, seed};

/// The directory of a `sqlite://` database file, if the URL names one.
fn sqlite_dir(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    let path = path.split('?').next()?;
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    Path::new(path).parent().map(Path::to_path_buf)
}

/// The HS256 secret: configured, or (in development) generated once and kept beside the
/// SQLite file so sessions survive restarts.
fn resolve_jwt_secret(settings: &Settings) -> anyhow::Result<Option<String>> {
    if settings.jwt.algorithm != JwtAlgorithm::Hs256 {
        return Ok(None);
    }
    if let Some(secret) = &settings.jwt.secret {
        return Ok(Some(secret.clone()));
    }
    if settings.mode == RunMode::Production {
        bail!("HEATSHIELD_JWT_SECRET must be set in production (at least 32 bytes)");
    }
    let dir = sqlite_dir(&settings.database_url).unwrap_or_else(|| settings.data_dir.clone());
    let path = dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(Some(existing));
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    write_private(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a development JWT secret");
    Ok(Some(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

/// Connects and migrates the database.
pub async fn open_store(settings: &Settings, metrics: Arc<Metrics>) -> anyhow::Result<Store> {
    db::ensure_sqlite_dir(&settings.database_url).context("creating the SQLite directory")?;
    let conn = db::connect(&settings.database_url, settings.db_max_connections, metrics)
        .await
        .context("connecting to the database")?;
    db::migrate(&conn).await.context("migrating the database")?;
    Ok(Store::new(conn, EventBus::default(), settings.clock))
}

/// Everything a server needs, ready to serve.
pub async fn prepare(settings: Settings) -> anyhow::Result<AppState> {
    let metrics = Arc::new(Metrics::default());
    let store = open_store(&settings, metrics.clone()).await?;
    let secret = resolve_jwt_secret(&settings)?;
    let jwt = JwtKeys::new(&settings.jwt, secret.as_deref()).context("loading the JWT keys")?;
    let sso = match &settings.sso {
        Some(sso) => Some(SsoVerifier::load(sso).context("loading the single sign-on key")?),
        None => None,
    };
    if settings.demo {
        let report = seed::demo(&store, true)
            .await
            .context("loading the demo data")?;
        tracing::info!(?report, "demo data ready");
    }
    let golive = crate::golive::GoLiveHub::new(store.clone(), settings.golive_refresh);
    Ok(AppState {
        golive,
        store,
        settings: Arc::new(settings),
        authenticator: Arc::new(Authenticator { jwt, sso }),
        metrics,
        shutdown: Default::default(),
    })
}

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    shared_streams: Arc<http::ws::SharedStreams>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = prepare(settings).await?;
        Self::start(state)
    }

    /// Binds the listener and creates the server (not yet polled).
    pub fn start(state: AppState) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&state.settings.bind)
            .with_context(|| format!("binding {}", state.settings.bind))?;
        let port = listener.local_addr()?.port();
        let schema = graphql::build(state.clone());
        crate::workers::start(&state);
        state
            .golive
            .start(state.store.events(), state.shutdown.clone());
        if state.store.backend() == sea_orm::DbBackend::Postgres {
            tokio::spawn(crate::events::listen(
                state.settings.database_url.clone(),
                state.store.events().clone(),
                state.shutdown.clone(),
            ));
        }
        let settings = state.settings.clone();
        let app_state = state.clone();
        // One registry for every worker, so identical subscriptions share one execution.
        let shared_streams = Arc::new(http::ws::SharedStreams::default());
        let streams = shared_streams.clone();
        let local_addr = listener.local_addr()?;
        let server = Server::build()
            .listen("heatshield", listener, move || {
                let cors_enabled = !settings.cors_origins.is_empty();
                let app = App::new()
                    .wrap(Condition::new(
                        cors_enabled,
                        http::cors(&settings.cors_origins),
                    ))
                    .wrap(from_fn(http::log_request))
                    .configure(http::configure(app_state.clone(), schema.clone()))
                    .into_factory()
                    .map_err(|error| error.error_response());
                let (state, schema, shared) = (app_state.clone(), schema.clone(), streams.clone());
                // actix-web's HttpServer with one addition: WebSocket upgrades are taken over
                // before the App, so the session owns the bare TCP stream.
                HttpService::build()
                    .keep_alive(KeepAlive::Timeout(Duration::from_secs(5)))
                    .client_request_timeout(Duration::from_secs(5))
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .local_addr(local_addr)
                    .upgrade(fn_service(move |upgrade| {
                        http::ws::upgrade(state.clone(), schema.clone(), shared.clone(), upgrade)
                    }))
                    .finish(map_config(app, |_| AppConfig::default()))
                    .tcp()
            })?
            .workers(state.settings.workers.max(1))
            // Signals are handled in `run_until_stopped`, which closes subscriptions first.
            .disable_signals()
            .shutdown_timeout(state.settings.shutdown_timeout.as_secs())
            .run();
        Ok(Self {
            port,
            server,
            state,
            shared_streams,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The subscriptions rendered once for all their subscribers, as they run now.
    pub fn shared_streams(&self) -> &Arc<http::ws::SharedStreams> {
        &self.shared_streams
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Stops gracefully: subscriptions are closed (1001), in-flight requests finish.
    pub async fn stop(state: &AppState, handle: &ServerHandle) {
        state.shutdown.trigger();
        handle.stop(true).await;
    }

    /// Serves until SIGTERM/Ctrl-C (or `handle().stop()`); in-flight requests finish first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let state = self.state.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("stopping: closing subscriptions, finishing requests in flight");
            Self::stop(&state, &handle).await;
        });
        self.server.await
    }
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_dir_comes_from_the_url() {
        assert_eq!(
            sqlite_dir("sqlite://data/heatshield.db?mode=rwc"),
            Some(PathBuf::from("data"))
        );
        assert_eq!(sqlite_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_dir("postgres://x/y"), None);
    }
}
