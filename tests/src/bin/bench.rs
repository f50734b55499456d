//! `make bench`: measures the API under load and prints the figures.
//!
//! Scenarios (all by default):
//! - `dashboard`: 1,000 releases (~10,000 packages, ~20,000 deployments) seeded; the nested
//!   dashboard query (releases → phases, milestones, packages → deployments → environment,
//!   impacts → system, children) from many concurrent clients.
//! - `typename`: `{ __typename }`, the ceiling of the HTTP + GraphQL stack.
//! - `bookings`: 100,000 bookings seeded over 50 environments; each client requests a free
//!   slot between existing bookings, then approves it (the overlap check under the
//!   environment lock); request and approve latencies are reported apart.
//! - `golive`: 10,000 `goLiveStatus` subscribers on one `heatshield` process (SQLite); one
//!   activity update; delivery latency to every subscriber and the server's resident memory.
//! - `golive-pg`: 1,000 subscribers split over two processes on one PostgreSQL database
//!   (LISTEN/NOTIFY between them); skipped when there is no PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "bench/golive.rs"]
mod golive;

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};

use heatshield::config::Settings;
use heatshield::domain::ids::UserId;
use heatshield::domain::{Actor, identity::users};
use heatshield::startup::Application;

// The same allocator as the `heatshield` binary, so the figures match production.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(about = "Heatshield benchmarks")]
struct Args {
    /// Scenarios to run: dashboard, typename, bookings, golive, golive-pg.
    #[arg(default_values_t = ["dashboard", "typename", "bookings", "golive", "golive-pg"].map(String::from).to_vec())]
    scenarios: Vec<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// Seconds each scenario runs.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Releases to seed (each with `packages` packages deployed to two environments).
    #[arg(long, default_value_t = 1000)]
    releases: usize,
    #[arg(long, default_value_t = 10)]
    packages: usize,
    /// Bookings to seed for the `bookings` scenario.
    #[arg(long, default_value_t = 100_000)]
    bookings: usize,
    /// Concurrent clients of the `bookings` scenario (writes queue behind one lock per
    /// environment, and on SQLite behind the one writer).
    #[arg(long, default_value_t = 8)]
    booking_clients: usize,
    /// Run against this PostgreSQL database instead of a fresh SQLite file.
    #[arg(long, env = "HEATSHIELD_BENCH_POSTGRES_URL")]
    postgres: Option<String>,
    /// `goLiveStatus` subscribers of the `golive` scenario (one instance).
    #[arg(long, default_value_t = 10_000)]
    subscribers: usize,
    /// `goLiveStatus` subscribers of the `golive-pg` scenario (split over two instances).
    #[arg(long, default_value_t = 1_000)]
    pg_subscribers: usize,
    /// WebSocket connections being opened at once.
    #[arg(long, default_value_t = 64)]
    connect_concurrency: usize,
    /// The `heatshield` binary the go-live scenarios start (default: next to this one).
    #[arg(long, env = "HEATSHIELD_BENCH_SERVER")]
    server_binary: Option<std::path::PathBuf>,
}

const HTTP_SCENARIOS: [&str; 3] = ["dashboard", "typename", "bookings"];
const GOLIVE_SCENARIOS: [&str; 2] = ["golive", "golive-pg"];

const DASHBOARD: &str = "query {
  releases(first: 25, orderBy: {field: PLANNED_GO_LIVE}) {
    totalCount
    nodes { ...R children { ...R } }
  }
}
fragment R on Release {
  key status risk plannedStart plannedGoLive owner { displayName }
  phases { name plannedStart plannedEnd }
  milestones { name plannedDate actualAt }
  impacts { kind system { code } }
  packages { name version status deployments { version deployedAt environment { name tier } } }
}";

struct Outcome {
    requests: usize,
    errors: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
    statements: f64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn statements(client: &reqwest::Client, base: &str) -> f64 {
    let text = client
        .get(format!("{base}/metrics"))
        .bearer_auth("bench-metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("heatshield_db_statements_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn load(
    base: &str,
    token: &str,
    query: &'static str,
    clients: usize,
    duration: Duration,
) -> Outcome {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    // Warm up connections and caches.
    for _ in 0..3 {
        client
            .post(format!("{base}/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
    }
    let before = statements(&client, base).await;
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = client.clone();
        let url = format!("{base}/graphql");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "query": query }))
                    .send()
                    .await;
                let ok = match response {
                    Ok(response) if response.status().is_success() => {
                        let body: Value = response.json().await.unwrap_or(Value::Null);
                        body.get("errors").is_none()
                    }
                    _ => false,
                };
                latencies.push(sent.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (l, e) = task.await.unwrap();
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    let after = statements(&client, base).await;
    latencies.sort();
    Outcome {
        requests: latencies.len(),
        errors,
        latencies,
        elapsed,
        statements: after - before,
    }
}

struct BookingOutcome {
    request: Outcome,
    approve: Outcome,
}

const REQUEST: &str = "mutation($input: RequestBookingsInput!) { requestBookings(input: $input) { bookings { id conflicts { id } } } }";
const APPROVE: &str =
    "mutation($id: ID!) { approveBooking(input: {id: $id}) { booking { id status } } }";

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Option<Value> {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    body.get("errors").is_none().then_some(body)
}

/// Each client takes the next free gap between seeded bookings (environments in turn),
/// requests it, then approves it.
async fn booking_load(
    base: &str,
    token: &str,
    layout: Arc<heatshield::seed::BookingLayout>,
    release: String,
    clients: usize,
    duration: Duration,
) -> BookingOutcome {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let url = format!("{base}/graphql");
    let next = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let before = statements(&client, base).await;
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, token, layout, next, release) = (
            client.clone(),
            url.clone(),
            token.to_owned(),
            layout.clone(),
            next.clone(),
            release.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let envs = layout.environment_ids.len() as i64;
            let (mut requests, mut approvals, mut errors) = (Vec::new(), Vec::new(), (0, 0));
            while Instant::now() < deadline {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let k = layout.first_future + 1 + j / envs;
                if k >= layout.per_environment - 1 {
                    break;
                }
                let env = heatshield::domain::ids::EnvironmentId(
                    layout.environment_ids[(j % envs) as usize],
                );
                let start = layout.gap_after(k);
                let end = start + chrono::Duration::hours(2);
                let sent = Instant::now();
                let answer = post(
                    &client,
                    &url,
                    &token,
                    REQUEST,
                    json!({ "input": {
                    "environmentIds": [env.to_string()], "releaseId": release,
                    "startsAt": start.to_rfc3339(), "endsAt": end.to_rfc3339(), "purpose": "bench",
                } }),
                )
                .await;
                requests.push(sent.elapsed());
                let Some(id) = answer
                    .as_ref()
                    .and_then(|a| a["data"]["requestBookings"]["bookings"][0]["id"].as_str())
                else {
                    errors.0 += 1;
                    continue;
                };
                let sent = Instant::now();
                let approved = post(&client, &url, &token, APPROVE, json!({ "id": id })).await;
                approvals.push(sent.elapsed());
                if approved
                    .is_none_or(|a| a["data"]["approveBooking"]["booking"]["status"] != "APPROVED")
                {
                    errors.1 += 1;
                }
            }
            (requests, approvals, errors)
        }));
    }
    let (mut requests, mut approvals, mut errors) = (Vec::new(), Vec::new(), (0, 0));
    for task in tasks {
        let (r, a, e) = task.await.unwrap();
        requests.extend(r);
        approvals.extend(a);
        errors.0 += e.0;
        errors.1 += e.1;
    }
    let elapsed = started.elapsed();
    let after = statements(&client, base).await;
    requests.sort();
    approvals.sort();
    let pairs = approvals.len().max(1) as f64;
    BookingOutcome {
        request: Outcome {
            requests: requests.len(),
            errors: errors.0,
            latencies: requests,
            elapsed,
            statements: (after - before) / 2.0,
        },
        approve: Outcome {
            requests: pairs as usize,
            errors: errors.1,
            latencies: approvals,
            elapsed,
            statements: (after - before) / 2.0,
        },
    }
}

fn report(name: &str, clients: usize, outcome: &Outcome) {
    let rps = outcome.requests as f64 / outcome.elapsed.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<10} clients={clients:<3} requests={:<7} errors={:<3} req/s={rps:>8.1}  p50={:>7.2} ms  p90={:>7.2} ms  p99={:>7.2} ms  max={:>7.2} ms  SQL/request={:.2}",
        outcome.requests,
        outcome.errors,
        ms(percentile(&outcome.latencies, 0.50)),
        ms(percentile(&outcome.latencies, 0.90)),
        ms(percentile(&outcome.latencies, 0.99)),
        ms(outcome.latencies.last().copied().unwrap_or_default()),
        outcome.statements / outcome.requests.max(1) as f64,
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    heatshield::telemetry::init_with_default(
        heatshield::config::LogFormat::Human,
        "warn,sqlx=error",
    );
    if let Some(other) = args
        .scenarios
        .iter()
        .find(|s| !HTTP_SCENARIOS.contains(&s.as_str()) && !GOLIVE_SCENARIOS.contains(&s.as_str()))
    {
        anyhow::bail!("unknown scenario {other}");
    }
    if args
        .scenarios
        .iter()
        .any(|s| HTTP_SCENARIOS.contains(&s.as_str()))
    {
        http_scenarios(&args).await?;
    }
    for scenario in args
        .scenarios
        .iter()
        .filter(|s| GOLIVE_SCENARIOS.contains(&s.as_str()))
    {
        let limit = golive::raise_open_files_limit();
        let binary = match &args.server_binary {
            Some(binary) => binary.clone(),
            None => std::env::current_exe()?.with_file_name("heatshield"),
        };
        anyhow::ensure!(
            binary.is_file(),
            "no server binary at {} (build it: cargo build --release --bin heatshield)",
            binary.display()
        );
        let subscribers = if scenario == "golive" {
            args.subscribers
        } else {
            args.pg_subscribers
        };
        // Each subscriber is a socket here and one in the server.
        anyhow::ensure!(
            (subscribers as u64) + 200 <= limit,
            "{subscribers} subscribers need more open files than the limit of {limit}"
        );
        let options = golive::Options {
            binary,
            subscribers,
            connect_concurrency: args.connect_concurrency,
            delivery_timeout: Duration::from_secs(30),
        };
        if scenario == "golive" {
            golive::single(&options).await?;
        } else {
            golive::two_instances(&options).await?;
        }
    }
    Ok(())
}

/// The scenarios against an in-process server on bulk-seeded data.
async fn http_scenarios(args: &Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = match &args.postgres {
        Some(url) => url.clone(),
        None => format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
    };
    let mut settings = Settings::for_tests(url.clone(), dir.path().to_path_buf());
    settings.metrics_token = Some("bench-metrics".into());
    settings.db_max_connections = 16;
    settings.workers = 2;
    let state = heatshield::startup::prepare(settings).await?;
    let store = state.store.clone();
    let jwt = state.authenticator.jwt.clone();

    let seeding = Instant::now();
    heatshield::seed::bulk(&store, "BENCH", args.releases, args.packages).await?;
    println!(
        "seeded {} releases, {} packages, {} deployments on {} in {:.1} s",
        args.releases,
        args.releases * args.packages,
        args.releases * args.packages * 2,
        if args.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        seeding.elapsed().as_secs_f64()
    );
    let user = users::create(
        &store,
        &Actor::system("bench"),
        users::NewUser {
            email: "bench@bench.example".into(),
            display_name: "Bench".into(),
            password: None,
            roles: vec![entity::Role::Viewer],
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (token, _) = jwt
        .issue(
            UserId(user.id).to_string(),
            vec!["VIEWER".into()],
            user.security_stamp.clone(),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    let booking_layout = if args.scenarios.iter().any(|s| s == "bookings") {
        let seeding = Instant::now();
        let layout = heatshield::seed::bulk_bookings(&store, "BENCH", args.bookings, 50).await?;
        println!(
            "seeded {} bookings over {} environments in {:.1} s",
            layout.per_environment * layout.environment_ids.len() as i64,
            layout.environment_ids.len(),
            seeding.elapsed().as_secs_f64()
        );
        let manager = users::create(
            &store,
            &Actor::system("bench"),
            users::NewUser {
                email: "bench.env@bench.example".into(),
                display_name: "Bench environment manager".into(),
                password: None,
                roles: vec![entity::Role::EnvironmentManager],
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let (manager_token, _) = jwt
            .issue(
                UserId(manager.id).to_string(),
                vec!["ENVIRONMENT_MANAGER".into()],
                manager.security_stamp.clone(),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Some((Arc::new(layout), manager_token))
    } else {
        None
    };

    let app = Application::start(state)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let token: Arc<str> = token.into();

    let probe: Value = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(&*token)
        .json(&json!({ "query": DASHBOARD }))
        .send()
        .await?
        .json()
        .await?;
    let nodes = probe["data"]["releases"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let releases: usize = nodes
        .iter()
        .map(|n| 1 + n["children"].as_array().map_or(0, Vec::len))
        .sum();
    let packages: usize = nodes
        .iter()
        .flat_map(|n| std::iter::once(n).chain(n["children"].as_array().into_iter().flatten()))
        .map(|r| r["packages"].as_array().map_or(0, Vec::len))
        .sum();
    println!(
        "dashboard query: {releases} releases and {packages} packages (with their deployments) per request"
    );

    let duration = Duration::from_secs(args.seconds);
    for scenario in args
        .scenarios
        .iter()
        .filter(|s| HTTP_SCENARIOS.contains(&s.as_str()))
    {
        if scenario == "bookings" {
            let Some((layout, manager_token)) = booking_layout.clone() else {
                continue;
            };
            let release = heatshield::domain::ids::ReleaseId(layout.release_id).to_string();
            let outcome = booking_load(
                &base,
                &manager_token,
                layout,
                release,
                args.booking_clients,
                duration,
            )
            .await;
            report("request", args.booking_clients, &outcome.request);
            report("approve", args.booking_clients, &outcome.approve);
            continue;
        }
        let query = match scenario.as_str() {
            "dashboard" => DASHBOARD,
            "typename" => "{ __typename }",
            other => anyhow::bail!("unknown scenario {other}"),
        };
        let outcome = load(&base, &token, query, args.clients, duration).await;
        report(scenario, args.clients, &outcome);
    }
    handle.stop(true).await;
    Ok(())
}
