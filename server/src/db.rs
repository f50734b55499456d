//! Database connection, the write path (one writer at a time on SQLite, `BEGIN IMMEDIATE`),
//! and statement counting for `/metrics`.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::audit_chain_head;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, Set, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::domain::clock::Clock;

use crate::events::{DomainEvent, EventBus};
use crate::metrics::Metrics;

/// Opens the pool and applies the per-backend settings.
pub async fn connect(
    url: &str,
    max_connections: u32,
    metrics: Arc<Metrics>,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        // No minimum: with one, sqlx runs a maintenance task that can spin at full CPU with the
        // pool stuck (sqlx issue 3645); seen here as a hung year-long seeding test.
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.contains(":memory:") {
        // An in-memory database lives as long as its connection: never retire it.
        options.idle_timeout(None).max_lifetime(None);
    }
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
                // Rows travel from SQLite's worker thread in a channel; a deeper buffer means
                // fewer hand-offs for the large nested reads of dashboards.
                .row_buffer_size(1024)
        });
    }
    let mut db = Database::connect(options).await?;
    db.set_metric_callback(move |info| {
        metrics.record_statement(info.elapsed, info.failed);
        tracing::trace!(target: "heatshield::sql", elapsed_ms = info.elapsed.as_secs_f64() * 1000.0, failed = info.failed, sql = %info.statement);
    });
    Ok(db)
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Creates the directory of a `sqlite://path` URL so a first start needs no set-up.
pub fn ensure_sqlite_dir(url: &str) -> std::io::Result<()> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(())
}

/// The database plus what every write needs: the SQLite writer lock and the event bus.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// SQLite allows one writer; queueing writers here instead of in SQLite's busy loop
    /// keeps concurrent mutations from failing with "database is locked".
    write_gate: Option<Arc<Mutex<()>>>,
    events: EventBus,
    clock: Clock,
}

impl Store {
    pub fn new(db: DatabaseConnection, events: EventBus, clock: Clock) -> Self {
        let write_gate =
            (db.get_database_backend() == DbBackend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Self {
            db,
            write_gate,
            events,
            clock,
        }
    }

    /// The clock every rule of this store's server runs on.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn events(&self) -> &EventBus {
        &self.events
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Starts a write transaction. Events emitted on it are published only after commit.
    pub async fn write(&self) -> Result<WriteTx, DbErr> {
        let guard = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let txn = self
            .db
            .begin_with_options(TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            })
            .await?;
        if self.backend() == DbBackend::Postgres {
            // Every write appends to the audit hash chain. Taking the chain head first, in
            // every transaction, orders writers without deadlocks (no one holds another row
            // while waiting for it); SQLite is already one writer at a time.
            txn.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT id FROM audit_chain_head WHERE id = 1 FOR UPDATE",
            ))
            .await?;
        }
        Ok(WriteTx {
            txn,
            _guard: guard,
            pending: Vec::new(),
            events: self.events.clone(),
            chain: None,
            clock: self.clock,
        })
    }
}

/// A write transaction. Dropping it without `commit` rolls back.
pub struct WriteTx {
    txn: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
    pending: Vec<DomainEvent>,
    events: EventBus,
    /// The audit chain head as this transaction moved it: (sequence, hash, changed).
    chain: Option<ChainHead>,
    clock: Clock,
}

/// The last link of the audit chain as seen inside one transaction.
#[derive(Debug, Clone)]
pub struct ChainHead {
    pub sequence: i64,
    pub hash: String,
    changed: bool,
}

impl WriteTx {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Queues an event for publication after commit.
    pub fn emit(&mut self, event: DomainEvent) {
        self.pending.push(event);
    }

    /// The audit chain head, read once per transaction.
    pub async fn chain_head(&mut self) -> Result<ChainHead, DbErr> {
        if let Some(head) = &self.chain {
            return Ok(head.clone());
        }
        let row = audit_chain_head::Entity::find_by_id(1)
            .one(&self.txn)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("audit_chain_head".into()))?;
        let head = ChainHead {
            sequence: row.sequence,
            hash: row.hash,
            changed: false,
        };
        self.chain = Some(head.clone());
        Ok(head)
    }

    /// Records that an event was appended with `hash` at `sequence`.
    pub fn advance_chain(&mut self, sequence: i64, hash: String) {
        self.chain = Some(ChainHead {
            sequence,
            hash,
            changed: true,
        });
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        let WriteTx {
            txn,
            _guard,
            pending,
            events,
            chain,
            clock: _,
        } = self;
        if let Some(head) = chain.filter(|h| h.changed) {
            audit_chain_head::ActiveModel {
                id: Set(1),
                sequence: Set(head.sequence),
                hash: Set(head.hash),
            }
            .update(&txn)
            .await?;
        }
        if txn.get_database_backend() == DbBackend::Postgres && !pending.is_empty() {
            // Announced inside the transaction: PostgreSQL delivers NOTIFY only on commit.
            for payload in crate::events::encode(events.instance(), &pending) {
                txn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [crate::events::CHANNEL.into(), payload.into()],
                ))
                .await?;
            }
        }
        txn.commit().await?;
        drop(_guard);
        for event in pending {
            events.publish(event);
        }
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_dir_is_created_for_file_urls_only() {
        let dir = std::env::temp_dir().join(format!("hs-{}", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}/sub/heatshield.db?mode=rwc", dir.display());
        ensure_sqlite_dir(&url).unwrap_or_else(|e| panic!("{e}"));
        assert!(dir.join("sub").is_dir());
        assert!(ensure_sqlite_dir("sqlite::memory:").is_ok());
        assert!(ensure_sqlite_dir("postgres://localhost/x").is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }
}
