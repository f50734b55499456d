//! DataLoaders: every nested list and parent lookup is batched, so the number of SQL
//! statements per request follows the query's shape, not the number of rows. One loader per
//! request, without a cache (writes in the same request must be seen).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::*;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain;

pub struct DbLoader {
    db: DatabaseConnection,
}

impl DbLoader {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

pub type LoadError = Arc<DbErr>;

/// How many times a batch lets the request's task run before it collects its keys.
const BATCH_YIELDS: usize = 128;

/// A request's DataLoader. Batches are cut by scheduling, not by the clock: async-graphql
/// resolves long lists in chunks (of 32) and yields between them, so a time-based delay cuts
/// a list into several batches whenever a chunk runs slower than the delay. Yielding lets the
/// request's own task (same single-threaded worker) register every key of the list first,
/// at no wall-clock cost when it is idle.
pub fn request_loader(db: DatabaseConnection) -> DataLoader<DbLoader> {
    DataLoader::new(DbLoader::new(db), |batch: BoxFuture<'static, ()>| {
        tokio::spawn(async move {
            for _ in 0..BATCH_YIELDS {
                tokio::task::yield_now().await;
            }
            batch.await;
        })
    })
    .delay(std::time::Duration::ZERO)
    .max_batch_size(10_000)
}

fn ids<K: Copy + Into<Uuid>>(keys: &[K]) -> Vec<Uuid> {
    keys.iter().map(|k| (*k).into()).collect()
}

/// `Key(uuid)` → the row with that id.
macro_rules! by_id {
    ($($key:ident => $module:ident;)+) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl From<$key> for Uuid {
            fn from(key: $key) -> Uuid {
                key.0
            }
        }

        impl Loader<$key> for DbLoader {
            type Value = $module::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = $module::Entity::find()
                    .filter($module::Column::Id.is_in(ids(keys)))
                    .all(&self.db)
                    .await?;
                Ok(rows.into_iter().map(|row| ($key(row.id), row)).collect())
            }
        }
    )+};
}

/// `Key(parent uuid)` → the rows whose `column` is that parent, in `order`; `parent` reads
/// the parent id back from a row.
macro_rules! children {
    ($($key:ident => $module:ident by $column:ident, parent $parent:expr, order $order:ident $dir:ident;)+) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl From<$key> for Uuid {
            fn from(key: $key) -> Uuid {
                key.0
            }
        }

        impl Loader<$key> for DbLoader {
            type Value = Vec<$module::Model>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = $module::Entity::find()
                    .filter($module::Column::$column.is_in(ids(keys)))
                    .order_by($module::Column::$order, sea_orm::Order::$dir)
                    .all(&self.db)
                    .await?;
                let mut grouped: HashMap<$key, Self::Value> = HashMap::new();
                let parent: fn(&$module::Model) -> Option<Uuid> = $parent;
                for row in rows {
                    if let Some(id) = parent(&row) {
                        grouped.entry($key(id)).or_default().push(row);
                    }
                }
                Ok(grouped)
            }
        }
    )+};
}

by_id! {
    ReleaseById => release;
    SystemById => system;
    PackageById => package;
    EnvironmentById => environment;
    EnvironmentGroupById => environment_group;
    UserById => app_user;
    PhaseById => phase;
    GateById => gate;
    ActivityById => activity;
    PlanById => deployment_plan;
    BookingById => booking;
    BlackoutById => blackout;
}

children! {
    ChildReleases => release by ParentId, parent |r| r.parent_id, order PlannedGoLive Asc;
    PhasesOfRelease => phase by ReleaseId, parent |r| Some(r.release_id), order Position Asc;
    MilestonesOfRelease => milestone by ReleaseId, parent |r| Some(r.release_id), order PlannedDate Asc;
    ImpactsOfRelease => release_impact by ReleaseId, parent |r| Some(r.release_id), order CreatedAt Asc;
    DependenciesOfRelease => release_dependency by ReleaseId, parent |r| Some(r.release_id), order CreatedAt Asc;
    DependentsOfRelease => release_dependency by DependsOnId, parent |r| Some(r.depends_on_id), order CreatedAt Asc;
    PackagesOfRelease => package by ReleaseId, parent |r| Some(r.release_id), order CreatedAt Asc;
    DeploymentsOfPackage => deployment by PackageId, parent |r| Some(r.package_id), order DeployedAt Desc;
    SystemsOfEnvironment => environment_system by EnvironmentId, parent |r| Some(r.environment_id), order CreatedAt Asc;
    EnvironmentsOfSystem => environment_system by SystemId, parent |r| Some(r.system_id), order CreatedAt Asc;
    EnvironmentsOfGroup => environment by GroupId, parent |r| r.group_id, order Name Asc;
    ConfigOfEnvironment => config_entry by EnvironmentId, parent |r| Some(r.environment_id), order Key Asc;
    ImpactsOfSystem => release_impact by SystemId, parent |r| Some(r.system_id), order CreatedAt Asc;
    GatesOfRelease => gate by ReleaseId, parent |r| Some(r.release_id), order CreatedAt Asc;
    GatesOfPhase => gate by PhaseId, parent |r| Some(r.phase_id), order CreatedAt Asc;
    CriteriaOfGate => gate_criterion by GateId, parent |r| Some(r.gate_id), order Position Asc;
    ResultsOfCriterion => criterion_result by CriterionId, parent |r| Some(r.criterion_id), order RecordedAt Desc;
    ApprovalsOfCriterion => gate_approval by CriterionId, parent |r| Some(r.criterion_id), order DecidedAt Asc;
    RaciOfSubject => raci_assignment by SubjectId, parent |r| Some(r.subject_id), order CreatedAt Asc;
    PlansOfRelease => deployment_plan by ReleaseId, parent |r| Some(r.release_id), order CreatedAt Asc;
    ActivitiesOfPlan => activity by PlanId, parent |r| Some(r.plan_id), order Position Asc;
    ActivitiesOfSet => activity by SetId, parent |r| r.set_id, order Position Asc;
    SetsOfPlan => activity_set by PlanId, parent |r| Some(r.plan_id), order Position Asc;
    DependenciesOfActivity => activity_dependency by ActivityId, parent |r| Some(r.activity_id), order DependsOnId Asc;
    RunsOfPlan => plan_run by PlanId, parent |r| Some(r.plan_id), order StartedAt Desc;
    IssuesOfRun => run_issue by RunId, parent |r| Some(r.run_id), order RaisedAt Asc;
    EnvironmentsOfBlackout => blackout_environment by BlackoutId, parent |r| Some(r.blackout_id), order EnvironmentId Asc;
    SystemsOfBlackout => blackout_system by BlackoutId, parent |r| Some(r.blackout_id), order SystemId Asc;
}

/// What runs on an environment now: the latest successful deployment per system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CurrentVersionsOfEnvironment(pub Uuid);

impl Loader<CurrentVersionsOfEnvironment> for DbLoader {
    type Value = Vec<deployment::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CurrentVersionsOfEnvironment],
    ) -> Result<HashMap<CurrentVersionsOfEnvironment, Self::Value>, Self::Error> {
        let environment_ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows =
            domain::environment::deployment::current_versions(&self.db, &environment_ids, &[])
                .await
                .map_err(|e| match e {
                    domain::DomainError::Database(db) => Arc::new(db),
                    other => Arc::new(DbErr::Custom(other.to_string())),
                })?;
        let mut grouped: HashMap<CurrentVersionsOfEnvironment, Self::Value> = HashMap::new();
        for row in rows {
            grouped
                .entry(CurrentVersionsOfEnvironment(row.environment_id))
                .or_default()
                .push(row);
        }
        Ok(grouped)
    }
}

fn load_error(e: domain::DomainError) -> LoadError {
    match e {
        domain::DomainError::Database(db) => Arc::new(db),
        other => Arc::new(DbErr::Custom(other.to_string())),
    }
}

/// The open bookings overlapping a booking on its environment (its conflicts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConflictsOfBooking(pub Uuid);

impl Loader<ConflictsOfBooking> for DbLoader {
    type Value = Vec<booking::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ConflictsOfBooking],
    ) -> Result<HashMap<ConflictsOfBooking, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let pairs = domain::booking::utilization::conflict_pairs(&self.db, &ids)
            .await
            .map_err(load_error)?;
        if pairs.is_empty() {
            return Ok(HashMap::new());
        }
        let mut others: Vec<Uuid> = pairs.iter().map(|(_, o)| *o).collect();
        others.sort();
        others.dedup();
        let rows: HashMap<Uuid, booking::Model> = booking::Entity::find()
            .filter(booking::Column::Id.is_in(others))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        let mut grouped: HashMap<ConflictsOfBooking, Self::Value> = HashMap::new();
        for (for_id, other) in pairs {
            if let Some(row) = rows.get(&other) {
                grouped
                    .entry(ConflictsOfBooking(for_id))
                    .or_default()
                    .push(row.clone());
            }
        }
        Ok(grouped)
    }
}

/// A waitlisted booking's place in the line (1 = next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WaitlistPosition(pub Uuid);

impl Loader<WaitlistPosition> for DbLoader {
    type Value = i32;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[WaitlistPosition],
    ) -> Result<HashMap<WaitlistPosition, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let positions = domain::booking::utilization::waitlist_positions(&self.db, &ids)
            .await
            .map_err(load_error)?;
        Ok(positions
            .into_iter()
            .map(|(id, position)| (WaitlistPosition(id), position))
            .collect())
    }
}

/// Whether a deployment was made where its release held no approved booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeployedWithoutBooking(pub Uuid);

impl Loader<DeployedWithoutBooking> for DbLoader {
    type Value = bool;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[DeployedWithoutBooking],
    ) -> Result<HashMap<DeployedWithoutBooking, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let without: std::collections::HashSet<Uuid> =
            domain::booking::utilization::deployments_without_booking(&self.db, &ids)
                .await
                .map_err(load_error)?
                .into_iter()
                .collect();
        Ok(keys.iter().map(|k| (*k, without.contains(&k.0))).collect())
    }
}
