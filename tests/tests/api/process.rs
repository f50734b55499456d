//! The `heatshield` binary itself: its commands, demo seeding, logs and graceful shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::*;

pub fn heatshield(database_url: &str, data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(binary());
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HEATSHIELD_DATABASE_URL", database_url)
        .env("HEATSHIELD_DATA_DIR", data_dir);
    command
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_until_healthy(port: u16, child: &mut Child) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited early with {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not become healthy");
}

#[test]
fn every_command_explains_itself() {
    for command in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["seed", "--help"],
        vec!["export-schema", "--help"],
        vec!["create-user", "--help"],
    ] {
        let output = Command::new(binary()).args(&command).output().unwrap();
        assert!(output.status.success(), "{command:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{command:?}"
        );
    }
    let serve = String::from_utf8(
        Command::new(binary())
            .args(["serve", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        serve.contains("HEATSHIELD_BIND") && serve.contains("HEATSHIELD_JWT_SECRET"),
        "flags name their variables"
    );
}

/// `seed` twice creates the demo once; `create-user` makes an admin who can then sign in to a
/// served instance; JSON logs carry one line per request; SIGTERM lets an in-flight request
/// finish and exits 0.
async fn the_binary_seeds_serves_and_shuts_down_gracefully(app: TestApp) {
    let Some((url, _database)) = fresh_database(app.backend).await else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let first = heatshield(&url, data.path()).arg("seed").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = heatshield(&url, data.path()).arg("seed").output().unwrap();
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("created")
            && !String::from_utf8_lossy(&first.stdout).contains(" 0 records created")
    );
    assert!(
        String::from_utf8_lossy(&second.stdout).contains(" 0 records created"),
        "seeding again changes nothing: {}",
        String::from_utf8_lossy(&second.stdout)
    );

    let mut create = heatshield(&url, data.path())
        .args([
            "create-user",
            "--email",
            "first.admin@bank.example",
            "--name",
            "First Admin",
            "--roles",
            "ADMIN",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long admin password\n")
        .unwrap();
    assert!(create.wait().unwrap().success());

    let port = free_port();
    let mut server = heatshield(&url, data.path())
        .args([
            "--log-format",
            "json",
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--shutdown-timeout",
            "10",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_healthy(port, &mut server);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "mutation { login(input: {email: \"first.admin@bank.example\", password: \"a long admin password\"}) { token } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = text(&login, "data.login.token");
    let demo: Value = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ releaseByKey(key: \"ER-2026.12\") { name children { key } deploymentPlans { name mode activities { id } raci { role user { email } } } } environments { totalCount } systems { totalCount } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        at(&demo, "data.releaseByKey.children")
            .as_array()
            .unwrap()
            .len(),
        3,
        "{demo}"
    );
    assert_eq!(at(&demo, "data.systems.totalCount"), 14);
    // The December cut-over runbook is approved, with someone accountable for its go/no-go.
    let plans = at(&demo, "data.releaseByKey.deploymentPlans");
    assert_eq!(plans[0]["mode"], "APPROVED", "{demo}");
    assert_eq!(plans[0]["activities"].as_array().unwrap().len(), 13);
    assert_eq!(
        plans[0]["raci"],
        json!([{ "role": "ACCOUNTABLE", "user": { "email": "rita.release@heatshield.demo" } }])
    );

    // An in-flight request: headers sent, body still coming when SIGTERM arrives.
    let body = r#"{"query":"{ __typename }"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).unwrap();
    stream.write_all(&body.as_bytes()[..5]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(&body.as_bytes()[5..]).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the in-flight request finished: {answer}"
    );
    assert!(answer.contains("\"__typename\":\"Query\""));

    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a clean stop exits 0");

    // JSON logs: one object per line, requests with their id and latency.
    let lines: Vec<Value> = BufReader::new(server.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let requests: Vec<&Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    assert!(requests.len() >= 3, "{lines:#?}");
    assert!(requests.iter().all(|r| r["request_id"].is_string()
        && r["latency_ms"].is_number()
        && r["status"].is_number()));
}

both!(the_binary_seeds_serves_and_shuts_down_gracefully);
