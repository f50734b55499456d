//! PostgreSQL for tests: `HEATSHIELD_TEST_POSTGRES_URL` when set, otherwise a throwaway
//! cluster started with the local `initdb`/`pg_ctl` for this test process. Under `CI=true`
//! a missing PostgreSQL fails the tests instead of skipping them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, Database as SeaDatabase};

pub struct Server {
    /// URL of the `postgres` database, for creating and dropping test databases.
    admin_url: String,
}

pub struct Database {
    pub url: String,
    name: String,
    admin_url: String,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

/// The PostgreSQL server of this test process, if there is one.
pub fn server() -> Option<&'static Server> {
    SERVER
        .get_or_init(|| match std::env::var("HEATSHIELD_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Server { admin_url: url }),
            _ => match start_throwaway() {
                Ok(server) => Some(server),
                Err(reason) => {
                    if std::env::var("CI").is_ok_and(|v| v == "true") {
                        panic!("PostgreSQL tests cannot run in CI: {reason}");
                    }
                    eprintln!("SKIPPING PostgreSQL tests: {reason}");
                    None
                }
            },
        })
        .as_ref()
}

fn find_tool(name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    versions.sort();
    versions
        .into_iter()
        .rev()
        .map(|v| v.join("bin").join(name))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// PostgreSQL refuses to run as root; then the cluster runs as the `postgres` user.
fn command(tool: &Path, as_postgres: bool) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(tool);
        command
    } else {
        Command::new(tool)
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn start_throwaway() -> Result<Server, String> {
    let initdb = find_tool("initdb")
        .ok_or("no HEATSHIELD_TEST_POSTGRES_URL and no initdb on this machine")?;
    let pg_ctl = find_tool("pg_ctl").ok_or("no pg_ctl on this machine")?;
    let as_postgres = is_root();
    let dir = std::env::temp_dir().join(format!("heatshield-pg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if as_postgres {
        let status = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("cannot hand the cluster directory to the postgres user".into());
        }
    }
    let data = dir.join("data");
    let output = command(&initdb, as_postgres)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
        dir.display()
    );
    let output = command(&pg_ctl, as_postgres)
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("log"))
        .args(["-w", "start"])
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "pg_ctl start failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // A watchdog (running as us, so it may watch our process) stops the cluster and removes
    // it once this test process is gone.
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {runner}{pg_ctl} -D {data} stop -m immediate >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        runner = if as_postgres {
            "runuser -u postgres -- "
        } else {
            ""
        },
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("watchdog: {e}"))?;
    Ok(Server {
        admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    })
}

fn with_database(url: &str, name: &str) -> String {
    match url.rfind('/') {
        Some(slash) if url[..slash].contains("://") && !url[..slash].ends_with('/') => {
            let query = url[slash..]
                .find('?')
                .map(|q| &url[slash + q..])
                .unwrap_or("");
            format!("{}/{}{}", &url[..slash], name, query)
        }
        _ => format!("{}/{}", url.trim_end_matches('/'), name),
    }
}

impl Server {
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    pub async fn create_database(&self) -> Database {
        let name = format!("hs_test_{}", uuid::Uuid::new_v4().simple());
        let admin = SeaDatabase::connect(&self.admin_url)
            .await
            .expect("connect to PostgreSQL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create database");
        admin.close().await.ok();
        Database {
            url: with_database(&self.admin_url, &name),
            name,
            admin_url: self.admin_url.clone(),
        }
    }
}

impl Database {
    pub async fn drop_now(self) {
        if let Ok(admin) = SeaDatabase::connect(&self.admin_url).await {
            let _ = admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ))
                .await;
            admin.close().await.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_replace_the_path_of_the_url() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h:5432/postgres?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
    }
}
