//! `golive` and `golive-pg`: how fast one change reaches every `goLiveStatus` subscriber, and
//! what the subscribers cost the server in memory.
//!
//! The release `heatshield` binary runs as a child process (as in production), so its resident
//! memory is its own. The bench signs in, builds, approves and rehearses a deployment plan, opens
//! one graphql-transport-ws connection per subscriber (a few at a time, so the server's accept
//! queue is not flooded), waits until every one has its SNAPSHOT, then starts one activity and
//! times, per subscriber, from sending the mutation to receiving the DELTA that carries it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use super::percentile;

/// Instances on one database share it, so sessions from one are good on the other.
const JWT_SECRET: &str = "bench-secret-bench-secret-bench-secret!!";
const EMAIL: &str = "ian.implementer@heatshield.demo";
const PASSWORD: &str = "heatshield-demo";
/// A demo release the plan belongs to.
const RELEASE: &str = "PR-3601";
/// Parallel streams of the runbook and the steps of each (plus a final check).
const STREAMS: usize = 4;
const STEPS: usize = 5;

/// What a command-centre screen asks for.
const SUBSCRIPTION: &str = "subscription($p: ID!) { goLiveStatus(planId: $p) { kind version resync planMode progress plannedFinish projectedFinish deadline atRisk criticalPath run { kind status startedAt } counts { pending ready inProgress done failed skipped blocked total } activities { id title kind status ownerName dependsOn plannedStart plannedFinish projectedStart projectedFinish startedAt finishedAt critical note } issues { id title severity resolved raisedAt } } }";

pub struct Options {
    pub binary: PathBuf,
    pub subscribers: usize,
    pub connect_concurrency: usize,
    /// How long to wait for the delta after the mutation.
    pub delivery_timeout: Duration,
}

/// A `heatshield serve` child process, stopped when dropped.
struct Instance {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Instance {
    async fn start(
        binary: &Path,
        database_url: &str,
        data_dir: &Path,
        demo: bool,
    ) -> anyhow::Result<Instance> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log = data_dir.join("server.log");
        let output = std::fs::File::create(&log)?;
        let mut command = server_command(binary, database_url, data_dir);
        command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .arg("--web-dir")
            .arg(data_dir.join("no-web-app"))
            .stdout(Stdio::from(output.try_clone()?))
            .stderr(Stdio::from(output));
        if demo {
            command.arg("--demo");
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut instance = Instance {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        instance.wait_until_healthy().await?;
        Ok(instance)
    }

    async fn wait_until_healthy(&mut self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(response) = client.get(format!("{}/healthz", self.base)).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited with {status}:\n{}", self.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not become healthy:\n{}", self.log_tail())
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Resident memory of the server process, in bytes (`VmRSS`).
    fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    async fn gql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> anyhow::Result<Value> {
        let mut request = reqwest::Client::new().post(format!("{}/graphql", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let answer: Value = request
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?
            .json()
            .await?;
        if answer.get("errors").is_some() {
            bail!("the server refused {query}: {answer}");
        }
        Ok(answer["data"].clone())
    }

    /// Stops gracefully (SIGTERM), or kills after a few seconds.
    fn stop(&mut self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.stop();
    }
}

fn server_command(binary: &Path, database_url: &str, data_dir: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HEATSHIELD_DATABASE_URL", database_url)
        .env("HEATSHIELD_DATA_DIR", data_dir)
        .env("HEATSHIELD_JWT_SECRET", JWT_SECRET)
        .stdin(Stdio::null());
    command
}

/// Lets this process (and the servers it starts, which inherit the limit) hold the sockets.
pub fn raise_open_files_limit() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let raised = rustix::process::Rlimit {
        current: limit.maximum,
        maximum: limit.maximum,
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => limit.maximum.unwrap_or(u64::MAX),
        Err(_) => limit.current.unwrap_or(u64::MAX),
    }
}

fn text(data: &Value, path: &str) -> anyhow::Result<String> {
    path.split('.')
        .fold(data, |value, key| &value[key])
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no {path} in {data}"))
}

/// The plan being watched and the activity the measured update starts.
struct Runbook {
    token: String,
    plan: String,
    target: String,
}

/// Signs in, builds a runbook of parallel streams, approves it and starts a rehearsal.
async fn runbook(instance: &Instance) -> anyhow::Result<Runbook> {
    let login = instance
        .gql(
            None,
            "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }",
            json!({ "e": EMAIL, "p": PASSWORD }),
        )
        .await?;
    let token = text(&login, "login.token")?;
    let auth = Some(token.as_str());
    let release = instance
        .gql(
            auth,
            "query($k: String!) { releaseByKey(key: $k) { id } }",
            json!({ "k": RELEASE }),
        )
        .await?;
    let release = text(&release, "releaseByKey.id")?;
    let plan = instance
        .gql(
            auth,
            "mutation($r: ID!) { createDeploymentPlan(input: {releaseId: $r, name: \"Go-live bench\", windowStart: \"2027-01-09T18:00:00Z\", windowEnd: \"2027-01-10T06:00:00Z\"}) { plan { id } } }",
            json!({ "r": release }),
        )
        .await?;
    let plan = text(&plan, "createDeploymentPlan.plan.id")?;
    const ADD: &str = "mutation($p: ID!, $t: String!, $k: ActivityKind!, $m: Int!, $d: [ID!]) { addActivity(input: {planId: $p, title: $t, kind: $k, plannedDurationMinutes: $m, dependsOn: $d}) { activity { id } } }";
    let mut heads = Vec::new();
    let mut tails = Vec::new();
    for stream in 0..STREAMS {
        let mut previous: Option<String> = None;
        for step in 0..STEPS {
            let added = instance
                .gql(
                    auth,
                    ADD,
                    json!({
                        "p": plan,
                        "t": format!("Stream {} step {}", stream + 1, step + 1),
                        "k": if step % 2 == 0 { "MANUAL" } else { "AUTOMATED" },
                        "m": 10 + 5 * step + stream,
                        "d": previous.iter().collect::<Vec<_>>(),
                    }),
                )
                .await?;
            let id = text(&added, "addActivity.activity.id")?;
            if step == 0 {
                heads.push(id.clone());
            }
            previous = Some(id);
        }
        tails.extend(previous);
    }
    instance
        .gql(
            auth,
            ADD,
            json!({ "p": plan, "t": "Smoke test", "k": "MANUAL", "m": 15, "d": tails }),
        )
        .await?;
    instance
        .gql(
            auth,
            "mutation($p: ID!) { approveDeploymentPlan(input: {id: $p}) { plan { mode } } }",
            json!({ "p": plan }),
        )
        .await?;
    instance
        .gql(
            auth,
            "mutation($p: ID!) { startRehearsal(input: {planId: $p}) { run { id } } }",
            json!({ "p": plan }),
        )
        .await?;
    Ok(Runbook {
        token,
        plan,
        target: heads.swap_remove(0),
    })
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Everything a subscriber task needs, shared.
struct Shared {
    init: String,
    subscribe: String,
    target: String,
    gate: Semaphore,
    delivered: AtomicUsize,
}

async fn open(url: &str) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request()?;
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    // Small buffers: ten thousand sockets in one process.
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), true).await?;
    Ok(socket)
}

/// The next text frame, answering protocol pings on the way.
async fn next_text(socket: &mut Socket) -> anyhow::Result<String> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => {
                if text.starts_with("{\"type\":\"ping\"") {
                    socket
                        .send(Message::Text("{\"type\":\"pong\"}".into()))
                        .await?;
                    continue;
                }
                return Ok(text.to_string());
            }
            Some(Ok(Message::Close(frame))) => bail!("closed by the server: {frame:?}"),
            Some(Ok(_)) => continue,
            Some(Err(error)) => bail!("{error}"),
            None => bail!("the connection ended"),
        }
    }
}

/// Connects, signs in and subscribes; done once the SNAPSHOT is in.
async fn subscribe(url: &str, shared: &Shared) -> anyhow::Result<Socket> {
    let mut attempt = 0;
    let mut socket = loop {
        match open(url).await {
            Ok(socket) => break socket,
            Err(error) if attempt >= 5 => return Err(error.context("connecting")),
            Err(_) => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
            }
        }
    };
    socket
        .send(Message::Text(shared.init.as_str().into()))
        .await?;
    let ack = next_text(&mut socket).await?;
    if !ack.contains("\"connection_ack\"") {
        bail!("expected connection_ack, got {ack}");
    }
    socket
        .send(Message::Text(shared.subscribe.as_str().into()))
        .await?;
    let first = next_text(&mut socket).await?;
    if !(first.starts_with("{\"type\":\"next\"") && first.contains("\"SNAPSHOT\"")) {
        bail!("expected a SNAPSHOT, got {first}");
    }
    Ok(socket)
}

/// Whether a message is the delta of the measured update (the target activity, started).
fn is_measured_delta(text: &str, target: &str) -> bool {
    text.contains("\"DELTA\"") && text.contains(target) && text.contains("\"IN_PROGRESS\"")
}

/// One subscriber: reports readiness, then returns when the measured delta arrived (None when
/// told to stop first).
async fn subscriber(
    url: Arc<str>,
    shared: Arc<Shared>,
    ready: mpsc::UnboundedSender<Result<(), String>>,
    mut stop: watch::Receiver<bool>,
) -> Option<Instant> {
    let permit = shared.gate.acquire().await.ok()?;
    let socket = tokio::time::timeout(Duration::from_secs(60), subscribe(&url, &shared)).await;
    drop(permit);
    let mut socket = match socket {
        Ok(Ok(socket)) => socket,
        Ok(Err(error)) => {
            let _ = ready.send(Err(format!("{error:#}")));
            return None;
        }
        Err(_) => {
            let _ = ready.send(Err("no SNAPSHOT within 60 s".into()));
            return None;
        }
    };
    let _ = ready.send(Ok(()));
    drop(ready);
    loop {
        tokio::select! {
            frame = socket.next() => {
                let received = Instant::now();
                match frame {
                    Some(Ok(Message::Text(text))) => {
                        if is_measured_delta(&text, &shared.target) {
                            shared.delivered.fetch_add(1, Ordering::Relaxed);
                            // Stay connected until everyone is measured (memory included).
                            let _ = stop.changed().await;
                            return Some(received);
                        }
                        if text.starts_with("{\"type\":\"ping\"") {
                            let _ = socket.send(Message::Text("{\"type\":\"pong\"}".into())).await;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return None,
                }
            }
            _ = stop.changed() => return None,
        }
    }
}

/// Resident memory of one server: before subscribing, with everyone subscribed, after the
/// update was delivered (subscribers still connected).
struct Memory {
    idle: u64,
    subscribed: u64,
    after: u64,
}

struct Delivery {
    /// Per instance: latencies of the subscribers that got the delta, sorted.
    latencies: Vec<Vec<Duration>>,
    expected: usize,
    mutation: Duration,
}

/// Opens `subscribers` connections split evenly over `instances`, waits for their snapshots,
/// then starts the target activity through the first instance and collects the deliveries.
async fn measure(
    instances: &[Instance],
    runbook: &Runbook,
    options: &Options,
) -> anyhow::Result<(Delivery, Vec<Memory>)> {
    let shared = Arc::new(Shared {
        init: json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", runbook.token) } }).to_string(),
        subscribe: json!({ "type": "subscribe", "id": "live", "payload": { "query": SUBSCRIPTION, "variables": { "p": runbook.plan } } }).to_string(),
        target: runbook.target.clone(),
        gate: Semaphore::new(options.connect_concurrency.max(1)),
        delivered: AtomicUsize::new(0),
    });
    let urls: Vec<Arc<str>> = instances
        .iter()
        .map(|i| format!("{}/graphql", i.base.replacen("http", "ws", 1)).into())
        .collect();
    let idle: Vec<u64> = instances.iter().map(Instance::rss).collect();
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let connecting = Instant::now();
    let mut tasks = Vec::with_capacity(options.subscribers);
    for i in 0..options.subscribers {
        let of = i % instances.len();
        tasks.push((
            of,
            tokio::spawn(subscriber(
                urls[of].clone(),
                shared.clone(),
                ready_tx.clone(),
                stop_rx.clone(),
            )),
        ));
    }
    drop(ready_tx);
    let (mut ready, mut failures) = (0, Vec::new());
    while let Some(outcome) = ready_rx.recv().await {
        match outcome {
            Ok(()) => ready += 1,
            Err(reason) => failures.push(reason),
        }
    }
    let connected = connecting.elapsed();
    println!(
        "  {ready} of {} subscribers have their snapshot after {:.1} s ({:.0} connections/s)",
        options.subscribers,
        connected.as_secs_f64(),
        ready as f64 / connected.as_secs_f64()
    );
    if !failures.is_empty() {
        println!(
            "  {} subscribers failed to subscribe; first: {}",
            failures.len(),
            failures[0]
        );
    }
    // Let the last sessions settle before measuring memory and the update.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let subscribed: Vec<u64> = instances.iter().map(Instance::rss).collect();

    let sent = Instant::now();
    instances[0]
        .gql(
            Some(&runbook.token),
            "mutation($id: ID!) { updateActivityStatus(input: {activityId: $id, action: START}) { status } }",
            json!({ "id": runbook.target }),
        )
        .await?;
    let mutation = sent.elapsed();
    let deadline = sent + options.delivery_timeout;
    while shared.delivered.load(Ordering::Relaxed) < ready && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let after: Vec<u64> = instances.iter().map(Instance::rss).collect();
    let _ = stop_tx.send(true);
    let mut latencies = vec![Vec::new(); instances.len()];
    for (of, task) in tasks {
        if let Ok(Some(received)) = task.await {
            latencies[of].push(received.saturating_duration_since(sent));
        }
    }
    for list in &mut latencies {
        list.sort();
    }
    let memory = idle
        .into_iter()
        .zip(subscribed)
        .zip(after)
        .map(|((idle, subscribed), after)| Memory {
            idle,
            subscribed,
            after,
        })
        .collect();
    Ok((
        Delivery {
            latencies,
            expected: options.subscribers,
            mutation,
        },
        memory,
    ))
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, delivery: &Delivery, memory: &[Memory]) {
    let all: Vec<Duration> = {
        let mut all: Vec<Duration> = delivery.latencies.iter().flatten().copied().collect();
        all.sort();
        all
    };
    let received = all.len();
    println!(
        "{name:<10} subscribers={} received={received} missed={} mutation={:.1} ms  p50={:.1} ms  p99={:.1} ms  max={:.1} ms",
        delivery.expected,
        delivery.expected - received,
        ms(delivery.mutation),
        ms(percentile(&all, 0.50)),
        ms(percentile(&all, 0.99)),
        ms(all.last().copied().unwrap_or_default()),
    );
    if delivery.latencies.len() > 1 {
        for (i, list) in delivery.latencies.iter().enumerate() {
            println!(
                "  instance {}: received={}  p50={:.1} ms  p99={:.1} ms  max={:.1} ms",
                (b'A' + i as u8) as char,
                list.len(),
                ms(percentile(list, 0.50)),
                ms(percentile(list, 0.99)),
                ms(list.last().copied().unwrap_or_default()),
            );
        }
    }
    let per_instance = delivery.expected / memory.len().max(1);
    for (i, memory) in memory.iter().enumerate() {
        println!(
            "  server {} RSS: {:.1} MiB before subscribing, {:.1} MiB with {per_instance} subscribers ({:.1} KiB each), {:.1} MiB after the update",
            (b'A' + i as u8) as char,
            mib(memory.idle),
            mib(memory.subscribed),
            memory.subscribed.saturating_sub(memory.idle) as f64
                / 1024.0
                / per_instance.max(1) as f64,
            mib(memory.after),
        );
    }
}

/// `golive`: one instance on SQLite with the demo data.
pub async fn single(options: &Options) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}/heatshield.db?mode=rwc", dir.path().display());
    let instance = Instance::start(&options.binary, &url, dir.path(), true).await?;
    let runbook = runbook(&instance).await?;
    println!(
        "golive: {} subscribers on one instance (SQLite), {} at a time connecting",
        options.subscribers, options.connect_concurrency
    );
    let instances = [instance];
    let (delivery, memory) = measure(&instances, &runbook, options).await?;
    report("golive", &delivery, &memory);
    Ok(())
}

/// The PostgreSQL server to create the bench database on: `HEATSHIELD_TEST_POSTGRES_URL`, a
/// local server on port 5432, or a throwaway cluster (the tests' helper).
async fn postgres_admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("HEATSHIELD_TEST_POSTGRES_URL")
        && !url.is_empty()
    {
        return Some(url);
    }
    let local = "postgres://postgres@127.0.0.1:5432/postgres";
    if tokio::net::TcpStream::connect("127.0.0.1:5432")
        .await
        .is_ok()
        && sea_orm::Database::connect(local).await.is_ok()
    {
        return Some(local.to_owned());
    }
    ::tests::postgres::server().map(|s| s.admin_url().to_owned())
}

/// `postgres://…/postgres?x` → `postgres://…/{name}?x`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// `golive-pg`: two instances on one PostgreSQL database; subscribers split between them, the
/// change made through the first.
pub async fn two_instances(options: &Options) -> anyhow::Result<()> {
    use sea_orm::ConnectionTrait;
    let Some(admin_url) = postgres_admin_url().await else {
        println!(
            "golive-pg: SKIPPED, no PostgreSQL (set HEATSHIELD_TEST_POSTGRES_URL, run one on 127.0.0.1:5432, or install initdb/pg_ctl)"
        );
        return Ok(());
    };
    let name = format!("heatshield_bench_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(&admin_url).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let url = with_database(&admin_url, &name);
    let outcome = async {
        let dirs = [tempfile::tempdir()?, tempfile::tempdir()?];
        let seeded = server_command(&options.binary, &url, dirs[0].path())
            .arg("seed")
            .output()?;
        if !seeded.status.success() {
            bail!(
                "heatshield seed failed: {}",
                String::from_utf8_lossy(&seeded.stderr)
            );
        }
        let a = Instance::start(&options.binary, &url, dirs[0].path(), false).await?;
        let b = Instance::start(&options.binary, &url, dirs[1].path(), false).await?;
        let runbook = runbook(&a).await?;
        println!(
            "golive-pg: {} subscribers split over two instances on one PostgreSQL database, the change made through A",
            options.subscribers
        );
        let instances = [a, b];
        let (delivery, memory) = measure(&instances, &runbook, options).await?;
        report("golive-pg", &delivery, &memory);
        Ok(())
    }
    .await;
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
    admin.close().await.ok();
    outcome
}

#[cfg(test)]
mod checks {
    use super::*;

    #[test]
    fn database_names_replace_the_path() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }

    #[test]
    fn the_measured_delta_is_recognised() {
        let delta = r#"{"type":"next","id":"live","payload":{"data":{"goLiveStatus":{"kind":"DELTA","activities":[{"id":"act_1","status":"IN_PROGRESS"}]}}}}"#;
        assert!(is_measured_delta(delta, "act_1"));
        assert!(!is_measured_delta(delta, "act_2"));
        assert!(!is_measured_delta(
            &delta.replace("DELTA", "SNAPSHOT"),
            "act_1"
        ));
    }
}
