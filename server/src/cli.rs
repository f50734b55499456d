//! The `heatshield` command line: `serve`, `migrate`, `seed`, `export-schema`, `create-user`.
//! Every flag can also come from a `HEATSHIELD_*` environment variable.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};

use crate::config::{JwtAlgorithm, JwtSettings, Limits, LogFormat, RunMode, Settings, SsoSettings};
use crate::domain::Actor;
use crate::domain::clock::{Clock, ClockStart};
use crate::metrics::Metrics;

#[derive(Parser, Debug)]
#[command(
    name = "heatshield",
    version,
    about = "Heatshield enterprise release management server"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Database URL: `sqlite://path/file.db?mode=rwc` or `postgres://user:pass@host/db`.
    /// Defaults to a SQLite file in the data directory.
    #[arg(long, env = "HEATSHIELD_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Directory for the default SQLite file and the generated development JWT secret.
    #[arg(
        long,
        env = "HEATSHIELD_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Maximum database connections per process (keep below PostgreSQL's limit).
    #[arg(
        long,
        env = "HEATSHIELD_DB_MAX_CONNECTIONS",
        default_value_t = 16,
        global = true
    )]
    pub db_max_connections: u32,
    /// `development` or `production` (GraphiQL and introspection off, secret required).
    #[arg(
        long = "env",
        env = "HEATSHIELD_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub mode: RunMode,
    /// Log lines as `human` text or `json`.
    #[arg(
        long,
        env = "HEATSHIELD_LOG_FORMAT",
        value_enum,
        default_value = "human",
        global = true
    )]
    pub log_format: LogFormat,
    /// Run as on another day: `2026-12-20` (that day, at the current time of day) or an
    /// RFC 3339 time. Rules, demo data and background jobs all use this clock; it advances in
    /// real time from there. Default: the system clock.
    #[arg(long, env = "HEATSHIELD_TODAY", global = true)]
    pub today: Option<ClockStart>,
}

impl GlobalArgs {
    pub fn clock(&self) -> Clock {
        self.today.map(ClockStart::clock).unwrap_or_default()
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}/heatshield.db?mode=rwc",
                self.data_dir.display()
            )
        })
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the GraphQL API and the web app.
    Serve(Box<ServeArgs>),
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo portfolio (an internet bank) and demo users; safe to run again.
    Seed(SeedArgs),
    /// Write the GraphQL schema (SDL) to a file or standard output.
    ExportSchema(ExportArgs),
    /// Create a user, e.g. the first admin.
    CreateUser(CreateUserArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HEATSHIELD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "HEATSHIELD_WORKERS")]
    pub workers: Option<usize>,
    /// Seconds in-flight requests get to finish on shutdown.
    #[arg(long, env = "HEATSHIELD_SHUTDOWN_TIMEOUT", default_value_t = 10)]
    pub shutdown_timeout: u64,
    /// Load the demo portfolio and demo users at start-up.
    #[arg(long, env = "HEATSHIELD_DEMO")]
    pub demo: bool,
    /// Directory of the built web app, served at `/`.
    #[arg(long, env = "HEATSHIELD_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,
    /// Serve GraphiQL at GET /graphql (default: on in development, off in production).
    #[arg(long, env = "HEATSHIELD_GRAPHIQL")]
    pub graphiql: Option<bool>,
    /// Allow schema introspection (default: on in development, off in production).
    #[arg(long, env = "HEATSHIELD_INTROSPECTION")]
    pub introspection: Option<bool>,
    /// Browser origins allowed to call the API cross-origin, comma-separated.
    #[arg(long, env = "HEATSHIELD_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Bearer token Prometheus may use to scrape /metrics.
    #[arg(long, env = "HEATSHIELD_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Seconds a subscription WebSocket may stay open before `connection_init`.
    #[arg(long, env = "HEATSHIELD_WS_INIT_TIMEOUT", default_value_t = 10)]
    pub ws_init_timeout: u64,
    /// Seconds between runs of the time-based notification rules (gate due, milestone missed).
    #[arg(long, env = "HEATSHIELD_SCHEDULER_INTERVAL", default_value_t = 60)]
    pub scheduler_interval: u64,
    /// Seconds between keep-alive pings on subscription WebSockets.
    #[arg(long, env = "HEATSHIELD_WS_KEEPALIVE", default_value_t = 15)]
    pub ws_keepalive: u64,
    /// Kernel send buffer per subscription WebSocket, in bytes (default: the kernel's
    /// autotuning). Bounds the kernel memory a screen that stops reading can hold.
    #[arg(long, env = "HEATSHIELD_WS_SEND_BUFFER")]
    pub ws_send_buffer: Option<usize>,
    #[command(flatten)]
    pub jwt: JwtArgs,
    #[command(flatten)]
    pub sso: SsoArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct JwtArgs {
    /// HS256 signing secret (32+ bytes). Generated and kept in the data directory in development.
    #[arg(long, env = "HEATSHIELD_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// `hs256` (default), `rs256` or `es256`.
    #[arg(
        long,
        env = "HEATSHIELD_JWT_ALGORITHM",
        value_enum,
        default_value = "hs256"
    )]
    pub jwt_algorithm: JwtAlgorithm,
    /// PEM private key for RS256/ES256.
    #[arg(long, env = "HEATSHIELD_JWT_PRIVATE_KEY")]
    pub jwt_private_key: Option<PathBuf>,
    /// PEM public key for RS256/ES256.
    #[arg(long, env = "HEATSHIELD_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,
    #[arg(long, env = "HEATSHIELD_JWT_ISSUER", default_value = "heatshield")]
    pub jwt_issuer: String,
    #[arg(long, env = "HEATSHIELD_JWT_AUDIENCE", default_value = "heatshield")]
    pub jwt_audience: String,
    /// Session lifetime in minutes.
    #[arg(long, env = "HEATSHIELD_JWT_TTL_MINUTES", default_value_t = 480)]
    pub jwt_ttl_minutes: u64,
}

#[derive(Args, Debug)]
pub struct SsoArgs {
    /// Issuer (`iss`) of the identity provider whose JWTs are trusted. Enables SSO.
    #[arg(long, env = "HEATSHIELD_SSO_ISSUER")]
    pub sso_issuer: Option<String>,
    /// Audience (`aud`) the identity provider's tokens must carry.
    #[arg(long, env = "HEATSHIELD_SSO_AUDIENCE")]
    pub sso_audience: Option<String>,
    /// The provider's public key: a PEM file or a JWKS (JSON) file.
    #[arg(long, env = "HEATSHIELD_SSO_KEY_FILE")]
    pub sso_key_file: Option<PathBuf>,
    /// Claim that lists the user's groups or roles.
    #[arg(long, env = "HEATSHIELD_SSO_ROLES_CLAIM", default_value = "roles")]
    pub sso_roles_claim: String,
    /// Claim that holds the email.
    #[arg(long, env = "HEATSHIELD_SSO_EMAIL_CLAIM", default_value = "email")]
    pub sso_email_claim: String,
    /// Maps provider groups to roles: `group=ROLE`, comma-separated.
    #[arg(long, env = "HEATSHIELD_SSO_ROLE_MAP", value_delimiter = ',')]
    pub sso_role_map: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LimitArgs {
    #[arg(long, env = "HEATSHIELD_MAX_QUERY_DEPTH", default_value_t = Limits::default().max_depth)]
    pub max_query_depth: usize,
    #[arg(long, env = "HEATSHIELD_MAX_QUERY_COMPLEXITY", default_value_t = Limits::default().max_complexity)]
    pub max_query_complexity: usize,
    #[arg(long, env = "HEATSHIELD_MAX_ALIASES", default_value_t = Limits::default().max_aliases)]
    pub max_aliases: usize,
    #[arg(long, env = "HEATSHIELD_MAX_BATCH", default_value_t = Limits::default().max_batch)]
    pub max_batch: usize,
    #[arg(long, env = "HEATSHIELD_MAX_BODY_BYTES", default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Failed sign-ins tolerated per account within the window (4× that per address).
    #[arg(long, env = "HEATSHIELD_LOGIN_FAILURES", default_value_t = Limits::default().login_failures)]
    pub login_failures: u32,
    #[arg(long, env = "HEATSHIELD_LOGIN_WINDOW_SECONDS", default_value_t = Limits::default().login_window.as_secs())]
    pub login_window_seconds: u64,
}

#[derive(Args, Debug)]
pub struct SeedArgs {
    /// Skip the demo users (one per role).
    #[arg(long)]
    pub no_users: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Where to write; standard output when omitted.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// Roles, comma-separated (e.g. ADMIN or RELEASE_MANAGER,VIEWER).
    #[arg(long, value_delimiter = ',', default_value = "ADMIN")]
    pub roles: Vec<String>,
    /// The password (prefer --password-stdin or the variable, which stay out of `ps`).
    #[arg(long, env = "HEATSHIELD_NEW_USER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Read the password from standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

impl ServeArgs {
    pub fn settings(self, global: &GlobalArgs) -> anyhow::Result<Settings> {
        let development = global.mode == RunMode::Development;
        let sso = match (
            self.sso.sso_issuer,
            self.sso.sso_audience,
            self.sso.sso_key_file,
        ) {
            (None, None, None) => None,
            (Some(issuer), Some(audience), Some(key_file)) => {
                let mut role_map = Vec::new();
                for entry in self.sso.sso_role_map {
                    let Some((group, role)) = entry.split_once('=') else {
                        bail!(
                            "HEATSHIELD_SSO_ROLE_MAP entries look like group=ROLE, not '{entry}'"
                        );
                    };
                    role_map.push((group.trim().to_owned(), role.trim().to_owned()));
                }
                Some(SsoSettings {
                    issuer,
                    audience,
                    key_file,
                    roles_claim: self.sso.sso_roles_claim,
                    email_claim: self.sso.sso_email_claim,
                    role_map,
                })
            }
            _ => bail!(
                "single sign-on needs HEATSHIELD_SSO_ISSUER, HEATSHIELD_SSO_AUDIENCE and HEATSHIELD_SSO_KEY_FILE"
            ),
        };
        Ok(Settings {
            mode: global.mode,
            database_url: global.database_url(),
            db_max_connections: global.db_max_connections,
            data_dir: global.data_dir.clone(),
            bind: self.bind,
            workers: self.workers.unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
            }),
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout),
            jwt: JwtSettings {
                algorithm: self.jwt.jwt_algorithm,
                secret: self.jwt.jwt_secret,
                private_key_pem: self.jwt.jwt_private_key,
                public_key_pem: self.jwt.jwt_public_key,
                issuer: self.jwt.jwt_issuer,
                audience: self.jwt.jwt_audience,
                ttl: Duration::from_secs(self.jwt.jwt_ttl_minutes.max(1) * 60),
            },
            sso,
            graphiql: self.graphiql.unwrap_or(development),
            introspection: self.introspection.unwrap_or(development),
            cors_origins: self
                .cors_origins
                .into_iter()
                .filter(|o| !o.trim().is_empty())
                .collect(),
            limits: Limits {
                max_depth: self.limits.max_query_depth,
                max_complexity: self.limits.max_query_complexity,
                max_aliases: self.limits.max_aliases,
                max_batch: self.limits.max_batch,
                max_body_bytes: self.limits.max_body_bytes,
                login_failures: self.limits.login_failures.max(1),
                login_window: Duration::from_secs(self.limits.login_window_seconds.max(1)),
            },
            web_dir: Some(self.web_dir),
            demo: self.demo,
            metrics_token: self.metrics_token.filter(|t| !t.is_empty()),
            ws_init_timeout: Duration::from_secs(self.ws_init_timeout.max(1)),
            ws_keepalive: Duration::from_secs(self.ws_keepalive.max(1)),
            ws_reauth_interval: Duration::from_secs(60),
            ws_send_buffer: self.ws_send_buffer.filter(|bytes| *bytes > 0),
            scheduler_interval: Duration::from_secs(self.scheduler_interval.max(1)),
            webhook_interval: Duration::from_secs(5),
            webhook_first_backoff: Duration::from_secs(30),
            webhook_max_attempts: 8,
            golive_refresh: Duration::from_secs(15),
            clock: global.clock(),
        })
    }
}

/// Settings for the commands that only need the database.
fn database_settings(global: &GlobalArgs) -> Settings {
    let mut settings = Settings::for_tests(global.database_url(), global.data_dir.clone());
    settings.mode = global.mode;
    settings.db_max_connections = global.db_max_connections;
    settings.clock = global.clock();
    settings
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let global = cli.global;
    match cli.command {
        Command::Serve(args) => {
            let settings = (*args).settings(&global)?;
            let app = crate::startup::Application::build(settings).await?;
            tracing::info!(
                port = app.port(),
                "Heatshield is listening; GraphQL at /graphql"
            );
            app.run_until_stopped().await.context("serving")?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Migrate => {
            crate::startup::open_store(&database_settings(&global), Default::default()).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Seed(args) => {
            let store =
                crate::startup::open_store(&database_settings(&global), Default::default()).await?;
            let report = crate::seed::demo(&store, !args.no_users).await?;
            println!("{report}");
            Ok(())
        }
        Command::ExportSchema(args) => {
            let sdl = crate::graphql::sdl();
            match args.output {
                Some(path) => std::fs::write(&path, sdl)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => print!("{sdl}"),
            }
            Ok(())
        }
        Command::CreateUser(args) => create_user(&global, args).await,
    }
}

async fn create_user(global: &GlobalArgs, args: CreateUserArgs) -> anyhow::Result<()> {
    let mut roles = Vec::new();
    for name in &args.roles {
        let role = entity::Role::parse(name.trim().to_uppercase().as_str()).with_context(|| {
            format!(
                "unknown role {name}; roles are {}",
                entity::Role::all()
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        roles.push(role);
    }
    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the password")?;
        Some(text.trim_end_matches(['\n', '\r']).to_owned())
    } else {
        args.password
    };
    let Some(password) = password else {
        bail!("give a password with --password-stdin, HEATSHIELD_NEW_USER_PASSWORD or --password");
    };
    let store = crate::startup::open_store(
        &database_settings(global),
        std::sync::Arc::new(Metrics::default()),
    )
    .await?;
    let user = crate::domain::identity::users::create(
        &store,
        &Actor::system("create-user command"),
        crate::domain::identity::users::NewUser {
            email: args.email,
            display_name: args.name,
            password: Some(password),
            roles,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "created {} ({}) with roles {}",
        user.email,
        crate::domain::ids::UserId(user.id),
        user.roles
    );
    Ok(())
}
