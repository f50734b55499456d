//! The test harness: starts the real server on a random port against a fresh database
//! (SQLite file or PostgreSQL database) and talks to it over HTTP, like a third-party tool.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod postgres;
pub mod ws;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use heatshield::config::Settings;
use heatshield::db::Store;
use heatshield::domain::clock::Clock;
use heatshield::domain::ids::UserId;
use heatshield::domain::{Actor, identity::users};
use heatshield::startup::Application;

pub use entity::Role;
pub use entity::Role::*;

/// The clock of every test server in this process: it read `TEST_START` when first asked.
pub fn test_clock() -> Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    *CLOCK.get_or_init(|| {
        Clock::starting_at(
            DateTime::parse_from_rfc3339(TEST_START)
                .expect("TEST_START")
                .with_timezone(&Utc),
        )
    })
}

/// The test servers' "now": what tests put dates relative to, instead of the real time.
pub fn now() -> DateTime<Utc> {
    test_clock().now()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The moment every test server's clock starts at (it then runs at the real rate): tests
/// write dates such as "the freeze from 18 December" and mean the same thing on any day the
/// suite runs. A Monday morning, six weeks before the year-end freeze.
pub const TEST_START: &str = "2026-11-02T09:00:00Z";

/// Static token the harness reads `/metrics` with (no database work of its own).
pub const METRICS_TOKEN: &str = "test-metrics-token";

pub struct TestApp {
    pub backend: Backend,
    pub address: String,
    pub client: reqwest::Client,
    /// Direct access for factories that would be slow over HTTP (bulk data).
    pub store: Store,
    pub settings: Settings,
    tokens: HashMap<Role, String>,
    pub state: heatshield::state::AppState,
    /// Shared subscription executions of this server (for tests of sharing).
    pub shared_streams: std::sync::Arc<heatshield::http::ws::SharedStreams>,
    user_ids: HashMap<Role, UserId>,
    handle: actix_web::dev::ServerHandle,
    database: Option<postgres::Database>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// A server on a fresh database; None (after saying why) when PostgreSQL is unavailable
    /// outside CI.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// As `spawn`, with settings adjusted first.
    pub async fn spawn_with(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        heatshield::telemetry::init_with_default(
            heatshield::config::LogFormat::Human,
            "warn,sqlx=error",
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, database) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
                None,
            ),
            Backend::Postgres => {
                let server = postgres::server()?;
                let database = server.create_database().await;
                (database.url.clone(), Some(database))
            }
        };
        let mut settings = Settings::for_tests(url, PathBuf::from(dir.path()));
        settings.clock = test_clock();
        settings.metrics_token = Some(METRICS_TOKEN.into());
        settings.db_max_connections = 6;
        adjust(&mut settings);
        let state = heatshield::startup::prepare(settings.clone())
            .await
            .expect("server state");
        let app_state = state.clone();
        let store = state.store.clone();
        let jwt = state.authenticator.jwt.clone();
        let app = Application::start(state).expect("server start");
        let shared_streams = app.shared_streams().clone();
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());

        // One user per role, signed in with a real token the server verifies.
        let mut tokens = HashMap::new();
        let mut user_ids = HashMap::new();
        let actor = Actor::system("test harness");
        for role in Role::all() {
            let user = users::create(
                &store,
                &actor,
                users::NewUser {
                    email: format!("{}@test.example", role.as_str().to_lowercase()),
                    display_name: format!("Test {}", role.as_str()),
                    password: None,
                    roles: vec![*role],
                },
            )
            .await
            .expect("test user");
            let (token, _) = jwt
                .issue(
                    UserId(user.id).to_string(),
                    vec![role.as_str().into()],
                    user.security_stamp.clone(),
                )
                .expect("token");
            tokens.insert(*role, token);
            user_ids.insert(*role, UserId(user.id));
        }
        Some(TestApp {
            backend,
            address,
            client: reqwest::Client::new(),
            store,
            settings,
            tokens,
            state: app_state,
            shared_streams,
            user_ids,
            handle,
            database,
            _dir: dir,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn token(&self, role: Role) -> &str {
        &self.tokens[&role]
    }

    pub fn user_id(&self, role: Role) -> String {
        self.user_ids[&role].to_string()
    }

    /// POSTs an operation as `role` (None: anonymous) and returns the whole JSON answer.
    pub async fn gql(&self, query: &str, variables: Value, role: Option<Role>) -> Value {
        self.gql_with_token(
            query,
            variables,
            role.map(|r| self.token(r).to_owned()).as_deref(),
        )
        .await
    }

    pub async fn gql_with_token(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
    ) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("content-type", "application/json")
            .header(
                "accept",
                "application/graphql-response+json, application/json",
            )
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        assert!(!status.is_server_error(), "the server answered {status}");
        response.json().await.expect("a JSON answer")
    }

    /// Like `gql`, but the operation must succeed; returns `data`.
    pub async fn ok(&self, query: &str, variables: Value, role: Role) -> Value {
        let answer = self.gql(query, variables, Some(role)).await;
        assert!(
            answer.get("errors").is_none(),
            "unexpected errors: {answer:#}"
        );
        answer["data"].clone()
    }

    /// The in-app notifications of `role`'s user as (kind, subject id, title), newest first.
    pub async fn notifications(&self, role: Role) -> Vec<(String, String, String)> {
        let data = self
            .ok(
                "{ myNotifications(first: 100) { nodes { kind subjectId title } } }",
                json!({}),
                role,
            )
            .await;
        let field = |n: &Value, key: &str| n[key].as_str().unwrap_or_default().to_owned();
        data["myNotifications"]["nodes"]
            .as_array()
            .map(|nodes| {
                nodes
                    .iter()
                    .map(|n| (field(n, "kind"), field(n, "subjectId"), field(n, "title")))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The operation must fail with `code`; returns the first error.
    pub async fn fails(
        &self,
        query: &str,
        variables: Value,
        role: Option<Role>,
        code: &str,
    ) -> Value {
        let answer = self.gql(query, variables, role).await;
        let error = answer["errors"][0].clone();
        assert_eq!(
            error["extensions"]["code"],
            json!(code),
            "expected {code}, got {answer:#}"
        );
        error
    }

    /// Reads a counter from `/metrics`.
    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .client
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics text");
        text.lines()
            .find_map(|line| {
                line.strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix(' '))
            })
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("no metric {name} in {text}"))
    }

    /// A WebSocket to `/graphql` offering `subprotocol`.
    pub async fn ws(&self, subprotocol: &str) -> ws::WsClient {
        ws::WsClient::connect(&self.address, subprotocol).await
    }

    /// A WebSocket that completed `connection_init` as `role`.
    pub async fn ws_as(&self, role: Role) -> ws::WsClient {
        let mut client = self.ws("graphql-transport-ws").await;
        client.send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", self.token(role)) } })).await;
        assert_eq!(client.next_json().await["type"], "connection_ack");
        client
    }

    /// Stops the server as SIGTERM would: subscriptions closed, requests finished.
    pub async fn stop_gracefully(&self) {
        heatshield::startup::Application::stop(&self.state, &self.handle).await;
    }

    /// SQL statements the server ran while `op` ran.
    pub async fn statements_during<F, T>(&self, op: F) -> (f64, T)
    where
        F: std::future::Future<Output = T>,
    {
        let before = self.metric("heatshield_db_statements_total").await;
        let result = op.await;
        let after = self.metric("heatshield_db_statements_total").await;
        (after - before, result)
    }

    // ------------------------------------------------------------------------------------
    // Factories (through the API, as an admin)

    pub async fn create_system(&self, code: &str) -> String {
        let data = self
            .ok(
                "mutation($input: CreateSystemInput!) { createSystem(input: $input) { system { id } } }",
                json!({ "input": { "code": code, "name": format!("System {code}"), "criticality": "TIER_2" } }),
                Admin,
            )
            .await;
        data["createSystem"]["system"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn create_release(&self, key: &str, kind: &str, parent: Option<&str>) -> String {
        let data = self
            .ok(
                "mutation($input: CreateReleaseInput!) { createRelease(input: $input) { release { id } } }",
                json!({ "input": {
                    "key": key, "name": format!("Release {key}"), "kind": kind, "parentId": parent,
                    "plannedStart": "2027-01-04", "plannedGoLive": "2027-03-15"
                } }),
                Admin,
            )
            .await;
        data["createRelease"]["release"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn create_environment(&self, name: &str, tier: &str, systems: &[&str]) -> String {
        let data = self
            .ok(
                "mutation($input: CreateEnvironmentInput!) { createEnvironment(input: $input) { environment { id } } }",
                json!({ "input": { "name": name, "tier": tier, "systemIds": systems } }),
                Admin,
            )
            .await;
        data["createEnvironment"]["environment"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn create_package(
        &self,
        release: &str,
        system: &str,
        name: &str,
        version: &str,
    ) -> String {
        let data = self
            .ok(
                "mutation($input: CreatePackageInput!) { createPackage(input: $input) { package { id } } }",
                json!({ "input": { "releaseId": release, "systemId": system, "name": name, "version": version } }),
                Admin,
            )
            .await;
        data["createPackage"]["package"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn transition(&self, release: &str, to: &str) -> Value {
        self.gql(
            "mutation($input: TransitionReleaseInput!) { transitionRelease(input: $input) { release { status actualStart actualGoLive } } }",
            json!({ "input": { "id": release, "to": to, "reason": "test" } }),
            Some(Admin),
        )
        .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let database = self.database.take();
        // Stop the server and drop the database on a thread of its own: Drop cannot await.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                handle.stop(false).await;
                if let Some(database) = database {
                    database.drop_now().await;
                }
            });
        })
        .join();
    }
}

/// Runs a test body on SQLite and on PostgreSQL: `both!(name)` makes `name::sqlite` and
/// `name::postgres` from `async fn name(app: TestApp)`.
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Sqlite).await {
                    super::$name(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )+};
}

/// As `both!`, for one test whose server runs with adjusted settings:
/// `both_with!(module, |settings| ..., name)` makes `module::sqlite` and `module::postgres`.
#[macro_export]
macro_rules! both_with {
    ($module:ident, $adjust:expr, $name:ident) => {
        mod $module {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) =
                    $crate::TestApp::spawn_with($crate::Backend::Sqlite, $adjust).await
                {
                    $name(app).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) =
                    $crate::TestApp::spawn_with($crate::Backend::Postgres, $adjust).await
                {
                    $name(app).await;
                }
            }
        }
    };
}

/// A fresh database URL (and what keeps it alive) for tests that run the binary themselves.
pub async fn fresh_database(backend: Backend) -> Option<(String, FreshDatabase)> {
    let dir = tempfile::tempdir().expect("temp dir");
    match backend {
        Backend::Sqlite => Some((
            format!("sqlite://{}/cli.db?mode=rwc", dir.path().display()),
            FreshDatabase {
                _dir: dir,
                database: None,
            },
        )),
        Backend::Postgres => {
            let server = postgres::server()?;
            let database = server.create_database().await;
            Some((
                database.url.clone(),
                FreshDatabase {
                    _dir: dir,
                    database: Some(database),
                },
            ))
        }
    }
}

pub struct FreshDatabase {
    _dir: tempfile::TempDir,
    database: Option<postgres::Database>,
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Some(database) = self.database.take() {
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(database.drop_now());
            })
            .join();
        }
    }
}

/// The `heatshield` binary built next to the test executable.
pub fn binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target directory");
    let binary = dir.join("heatshield");
    assert!(
        binary.is_file(),
        "build the server first: cargo build --bin heatshield ({})",
        binary.display()
    );
    binary
}

/// Another server process-alike on the same database as a `TestApp` (several instances
/// behind one load balancer). Stopped when dropped.
pub struct Instance {
    pub address: String,
    pub state: heatshield::state::AppState,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn second_instance(&self, adjust: impl FnOnce(&mut Settings)) -> Instance {
        let mut settings = self.settings.clone();
        adjust(&mut settings);
        let state = heatshield::startup::prepare(settings)
            .await
            .expect("second instance");
        let app = Application::start(state.clone()).expect("second instance start");
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Instance {
            address,
            state,
            handle,
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        self.state.shutdown.trigger();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(handle.stop(false));
        })
        .join();
    }
}

/// A local HTTP receiver for webhooks: records every request and answers with the status
/// codes given, in order (the last one repeats).
pub struct Receiver {
    pub url: String,
    pub requests:
        std::sync::Arc<std::sync::Mutex<Vec<(actix_web::http::header::HeaderMap, String)>>>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    pub async fn start(statuses: Vec<u16>) -> Receiver {
        use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
        let requests: std::sync::Arc<
            std::sync::Mutex<Vec<(actix_web::http::header::HeaderMap, String)>>,
        > = Default::default();
        let recorded = requests.clone();
        let statuses = std::sync::Arc::new(statuses);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind receiver");
        let port = listener.local_addr().expect("addr").port();
        let server = HttpServer::new(move || {
            let recorded = recorded.clone();
            let statuses = statuses.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: String| {
                let recorded = recorded.clone();
                let statuses = statuses.clone();
                async move {
                    let mut list = recorded.lock().unwrap_or_else(|p| p.into_inner());
                    list.push((req.headers().clone(), body));
                    let status = statuses
                        .get(list.len() - 1)
                        .or(statuses.last())
                        .copied()
                        .unwrap_or(200);
                    HttpResponse::build(
                        actix_web::http::StatusCode::from_u16(status)
                            .unwrap_or(actix_web::http::StatusCode::OK),
                    )
                    .finish()
                }
            }))
        })
        .listen(listener)
        .expect("listen")
        .workers(1)
        .disable_signals()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            requests,
            handle,
        }
    }

    pub fn received(&self) -> Vec<(actix_web::http::header::HeaderMap, String)> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(handle.stop(false));
        })
        .join();
    }
}
