//! Resolved settings of a running server. The CLI (`cli.rs`) fills them from flags and
//! `HEATSHIELD_*` environment variables; tests build them directly.

use std::path::PathBuf;
use std::time::Duration;

use crate::domain::clock::Clock;

/// Development turns on conveniences (GraphiQL, introspection, a generated JWT secret);
/// production turns them off unless asked for, and refuses to start without a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunMode {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

/// Signing algorithm of the JWTs the server issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum JwtAlgorithm {
    Hs256,
    Rs256,
    Es256,
}

#[derive(Debug, Clone)]
pub struct JwtSettings {
    pub algorithm: JwtAlgorithm,
    /// HS256 secret. When None in development, one is generated and kept in the data directory.
    pub secret: Option<String>,
    /// PEM files for RS256/ES256.
    pub private_key_pem: Option<PathBuf>,
    pub public_key_pem: Option<PathBuf>,
    pub issuer: String,
    pub audience: String,
    pub ttl: Duration,
}

/// Trust in an external identity provider's JWTs (single sign-on).
#[derive(Debug, Clone)]
pub struct SsoSettings {
    pub issuer: String,
    pub audience: String,
    /// A PEM public key or a JWKS JSON file.
    pub key_file: PathBuf,
    /// Claim holding the user's roles (a list or a space/comma separated string).
    pub roles_claim: String,
    /// Claim holding the email.
    pub email_claim: String,
    /// Maps names used by the identity provider to Heatshield roles: `idp-group=ROLE`.
    pub role_map: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub max_batch: usize,
    pub max_body_bytes: usize,
    /// Failed logins tolerated per account or address in `login_window`.
    pub login_failures: u32,
    pub login_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_complexity: 20_000,
            max_aliases: 30,
            max_batch: 10,
            max_body_bytes: 256 * 1024,
            login_failures: 5,
            login_window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: RunMode,
    pub database_url: String,
    pub db_max_connections: u32,
    /// Where the SQLite file and the generated JWT secret live by default.
    pub data_dir: PathBuf,
    pub bind: String,
    pub workers: usize,
    pub shutdown_timeout: Duration,
    pub jwt: JwtSettings,
    pub sso: Option<SsoSettings>,
    pub graphiql: bool,
    pub introspection: bool,
    pub cors_origins: Vec<String>,
    pub limits: Limits,
    /// Directory with the built SPA (`web/dist`); served at `/` when present.
    pub web_dir: Option<PathBuf>,
    /// Load the demo portfolio and demo users at start-up.
    pub demo: bool,
    /// A static bearer token Prometheus may use for `/metrics` (admins may always read it).
    pub metrics_token: Option<String>,
    /// How long a WebSocket may stay open without `connection_init`.
    pub ws_init_timeout: Duration,
    /// Interval of the server's keep-alive pings on subscriptions.
    pub ws_keepalive: Duration,
    /// How often a subscription connection re-checks its credentials.
    pub ws_reauth_interval: Duration,
    /// The kernel's send buffer per WebSocket, in bytes; `None` leaves it to the kernel's
    /// autotuning (up to `net.ipv4.tcp_wmem`'s maximum, 4 MiB by default, per socket whose
    /// client stops reading).
    pub ws_send_buffer: Option<usize>,
    /// How often time-based notification rules run.
    pub scheduler_interval: Duration,
    /// How often due webhook deliveries are sent.
    pub webhook_interval: Duration,
    /// Wait before a failed delivery's second attempt (growing fourfold after each failure).
    pub webhook_first_backoff: Duration,
    pub webhook_max_attempts: i32,
    /// How often the go-live state of a running plan is recomputed as time passes (its
    /// projection moves with the clock even when nobody changes anything).
    pub golive_refresh: Duration,
    /// The clock the server's rules, demo data and background jobs run on.
    pub clock: Clock,
}

impl Settings {
    /// Settings for a throwaway server: the given database, an ephemeral port, fixed secret.
    pub fn for_tests(database_url: impl Into<String>, data_dir: PathBuf) -> Self {
        Self {
            mode: RunMode::Development,
            database_url: database_url.into(),
            db_max_connections: 8,
            data_dir,
            bind: "127.0.0.1:0".into(),
            workers: 2,
            shutdown_timeout: Duration::from_secs(2),
            jwt: JwtSettings {
                algorithm: JwtAlgorithm::Hs256,
                secret: Some("test-secret-test-secret-test-secret!".into()),
                private_key_pem: None,
                public_key_pem: None,
                issuer: "heatshield".into(),
                audience: "heatshield".into(),
                ttl: Duration::from_secs(3600),
            },
            sso: None,
            graphiql: true,
            introspection: true,
            cors_origins: vec![],
            limits: Limits::default(),
            web_dir: None,
            demo: false,
            metrics_token: None,
            ws_init_timeout: Duration::from_secs(1),
            ws_keepalive: Duration::from_secs(15),
            ws_reauth_interval: Duration::from_secs(60),
            ws_send_buffer: None,
            // Background work would disturb tests that count statements; those that need
            // it shorten these.
            scheduler_interval: Duration::from_secs(3600),
            webhook_interval: Duration::from_secs(3600),
            webhook_first_backoff: Duration::from_millis(300),
            webhook_max_attempts: 4,
            // Tests expect exactly one update per change.
            golive_refresh: Duration::from_secs(3600),
            clock: Clock::system(),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
