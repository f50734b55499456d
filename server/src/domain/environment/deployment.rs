//! Deployments: a package version put on an environment. Together they answer
//! "what runs where".

use chrono::{DateTime, TimeDelta, Utc};
use entity::{
    DeploymentStatus, EnvironmentTier, PackageStatus, deployment, environment, environment_system,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, Set, Statement, Value,
};
use uuid::Uuid;

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::ids::{DeploymentId, EnvironmentId, PackageId, ReleaseId, SystemId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{
    Actor, DomainError, DomainResult, clock, environment as environments,
    release::package as packages, validate,
};

pub struct NewDeployment {
    pub package_id: PackageId,
    pub environment_id: EnvironmentId,
    /// Defaults to the package's version.
    pub version: Option<String>,
    pub status: DeploymentStatus,
    /// Defaults to now; may be in the past (recording after the fact), not in the future.
    pub deployed_at: Option<DateTime<Utc>>,
    pub notes: Option<String>,
}

#[derive(Default)]
pub struct DeploymentFilter {
    pub environment_id: Option<EnvironmentId>,
    pub system_id: Option<SystemId>,
    pub release_id: Option<ReleaseId>,
    pub package_id: Option<PackageId>,
    pub statuses: Vec<DeploymentStatus>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// true: only deployments made where the release held no approved booking; false: only
    /// those covered by one.
    pub without_booking: Option<bool>,
}

fn sort_key(descending: bool) -> SortKey<deployment::Entity> {
    SortKey {
        name: "deployedAt",
        column: deployment::Column::DeployedAt,
        id_column: deployment::Column::Id,
        descending,
        value: |m| SortValue::Time(m.deployed_at),
        id: |m| m.id,
    }
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: DeploymentId,
) -> DomainResult<deployment::Model> {
    deployment::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Deployment", id))
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &DeploymentFilter,
    descending: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<deployment::Model>> {
    let mut query = deployment::Entity::find();
    if let Some(id) = filter.environment_id {
        query = query.filter(deployment::Column::EnvironmentId.eq(id.0));
    }
    if let Some(id) = filter.system_id {
        query = query.filter(deployment::Column::SystemId.eq(id.0));
    }
    if let Some(id) = filter.release_id {
        query = query.filter(deployment::Column::ReleaseId.eq(id.0));
    }
    if let Some(id) = filter.package_id {
        query = query.filter(deployment::Column::PackageId.eq(id.0));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(deployment::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(deployment::Column::DeployedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(deployment::Column::DeployedAt.lt(to));
    }
    if let Some(without) = filter.without_booking {
        let held = crate::domain::booking::HELD_AT_DEPLOYMENT;
        query = query.filter(sea_orm::sea_query::Expr::cust(if without {
            format!("NOT {held}")
        } else {
            held.to_owned()
        }));
    }
    paginate(conn, query, &sort_key(descending), page, with_total).await
}

/// Records a deployment. The environment must host the package's system. A successful
/// deployment to production marks the package DEPLOYED.
pub async fn record(
    store: &Store,
    actor: &Actor,
    input: NewDeployment,
) -> DomainResult<deployment::Model> {
    let notes = validate::optional("notes", input.notes.as_deref(), 10_000)?;
    let now = store.now();
    let deployed_at = input.deployed_at.map(clock::truncate).unwrap_or(now);
    if deployed_at > now + TimeDelta::minutes(5) {
        return Err(DomainError::validation(
            "deployedAt",
            "a deployment cannot be recorded in the future",
        ));
    }
    let mut tx = store.write().await?;
    let package = packages::get(&*tx, input.package_id).await?;
    let env = environments::get(&*tx, input.environment_id).await?;
    let hosts = environment_system::Entity::find_by_id((env.id, package.system_id))
        .one(&*tx)
        .await?
        .is_some();
    if !hosts {
        return Err(DomainError::validation(
            "environmentId",
            format!(
                "environment {} does not host the package's system; add the system to the environment first",
                env.name
            ),
        ));
    }
    if package.status == PackageStatus::Cancelled {
        return Err(DomainError::validation(
            "packageId",
            format!("package {} is cancelled", package.name),
        ));
    }
    let version = match input.version {
        Some(v) => validate::required("version", &v, 100)?,
        None => package.version.clone(),
    };
    let model = deployment::ActiveModel {
        id: Set(new_uuid()),
        package_id: Set(package.id),
        environment_id: Set(env.id),
        system_id: Set(package.system_id),
        release_id: Set(package.release_id),
        version: Set(version),
        status: Set(input.status),
        deployed_at: Set(deployed_at),
        deployed_by: Set(actor.user_id()),
        deployed_by_name: Set(actor.name.clone()),
        notes: Set(notes),
        created_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.record(
        actor,
        Change::new("deployment.record", "Deployment", model.id)
            .in_release(model.release_id)
            .after(&model),
    )
    .await?;
    if env.tier == EnvironmentTier::Prod
        && model.status == DeploymentStatus::Succeeded
        && package.status != PackageStatus::Deployed
    {
        let mut active = package.clone().into_active_model();
        active.status = Set(PackageStatus::Deployed);
        active.updated_at = Set(now);
        let after = active.update(&*tx).await?;
        tx.record(
            actor,
            Change::new("package.update", "Package", after.id)
                .in_release(after.release_id)
                .before(&package)
                .after(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: DeploymentId,
    status: Option<DeploymentStatus>,
    notes: Option<Option<String>>,
) -> DomainResult<deployment::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(status) = status {
        active.status = Set(status);
    }
    if let Some(notes) = notes {
        active.notes = Set(validate::optional("notes", notes.as_deref(), 10_000)?);
    }
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("deployment.update", "Deployment", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Removes a deployment recorded by mistake (the audit trail keeps it).
pub async fn delete(store: &Store, actor: &Actor, id: DeploymentId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    deployment::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("deployment.delete", "Deployment", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}

/// What runs where, optionally only on environments of some tiers.
pub async fn what_runs_where<C: ConnectionTrait>(
    conn: &C,
    environment_ids: &[Uuid],
    system_ids: &[Uuid],
    tiers: &[EnvironmentTier],
) -> DomainResult<Vec<deployment::Model>> {
    if tiers.is_empty() {
        return current_versions(conn, environment_ids, system_ids).await;
    }
    let mut query = environment::Entity::find()
        .select_only()
        .column(environment::Column::Id)
        .filter(environment::Column::Tier.is_in(tiers.to_vec()));
    if !environment_ids.is_empty() {
        query = query.filter(environment::Column::Id.is_in(environment_ids.to_vec()));
    }
    let in_tiers: Vec<Uuid> = query.into_tuple().all(conn).await?;
    if in_tiers.is_empty() {
        return Ok(Vec::new());
    }
    current_versions(conn, &in_tiers, system_ids).await
}

/// For each (environment, system) pair, the latest successful deployment: what runs there.
/// Either list may be empty, meaning "all".
pub async fn current_versions<C: ConnectionTrait>(
    conn: &C,
    environment_ids: &[Uuid],
    system_ids: &[Uuid],
) -> DomainResult<Vec<deployment::Model>> {
    let backend = conn.get_database_backend();
    let mut values: Vec<Value> = vec![DeploymentStatus::Succeeded.as_str().into()];
    let placeholder = |values: &mut Vec<Value>, value: Value| {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        }
    };
    let first = match backend {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    let mut conditions = vec![format!("status = {first}")];
    for (column, ids) in [
        ("environment_id", environment_ids),
        ("system_id", system_ids),
    ] {
        if !ids.is_empty() {
            let marks: Vec<String> = ids
                .iter()
                .map(|id| placeholder(&mut values, (*id).into()))
                .collect();
            conditions.push(format!("{column} IN ({})", marks.join(", ")));
        }
    }
    // Window functions exist on both SQLite (3.25+) and PostgreSQL; the (environment_id,
    // system_id, deployed_at) index serves the partitioned scan.
    let sql = format!(
        "SELECT id, package_id, environment_id, system_id, release_id, version, status, deployed_at, \
         deployed_by, deployed_by_name, notes, created_at FROM (\
           SELECT d.*, ROW_NUMBER() OVER (PARTITION BY environment_id, system_id \
                                          ORDER BY deployed_at DESC, id DESC) AS rank_in_pair \
           FROM deployment d WHERE {}) ranked WHERE rank_in_pair = 1",
        conditions.join(" AND ")
    );
    Ok(deployment::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(conn)
        .await?)
}
