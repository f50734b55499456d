//! Packages of change: one system's work or deployment unit inside a release.

use entity::{ImpactKind, PackageKind, PackageStatus, deployment, package};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::ids::{PackageId, ReleaseId, SystemId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{
    Actor, DomainError, DomainResult, environment::system, release, release::parts, search,
    validate,
};

pub struct NewPackage {
    pub release_id: ReleaseId,
    pub system_id: SystemId,
    pub name: String,
    pub version: String,
    pub kind: PackageKind,
    pub status: PackageStatus,
    pub jira_key: Option<String>,
    pub change_request_id: Option<String>,
}

#[derive(Default)]
pub struct PackagePatch {
    pub name: Option<String>,
    pub version: Option<String>,
    pub kind: Option<PackageKind>,
    pub status: Option<PackageStatus>,
    pub jira_key: Option<Option<String>>,
    pub change_request_id: Option<Option<String>>,
}

#[derive(Default)]
pub struct PackageFilter {
    pub release_id: Option<ReleaseId>,
    pub system_id: Option<SystemId>,
    pub statuses: Vec<PackageStatus>,
    pub kinds: Vec<PackageKind>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub enum PackageOrder {
    Name,
    CreatedAt,
}

fn sort_key(order: PackageOrder, descending: bool) -> SortKey<package::Entity> {
    let (name, column, value): (_, _, fn(&package::Model) -> SortValue) = match order {
        PackageOrder::Name => ("name", package::Column::Name, |m| {
            SortValue::Text(m.name.clone())
        }),
        PackageOrder::CreatedAt => ("createdAt", package::Column::CreatedAt, |m| {
            SortValue::Time(m.created_at)
        }),
    };
    SortKey {
        name,
        column,
        id_column: package::Column::Id,
        descending,
        value,
        id: |m| m.id,
    }
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: PackageId) -> DomainResult<package::Model> {
    package::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Package", id))
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &PackageFilter,
    order: PackageOrder,
    descending: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<package::Model>> {
    let mut query = package::Entity::find();
    if let Some(id) = filter.release_id {
        query = query.filter(package::Column::ReleaseId.eq(id.0));
    }
    if let Some(id) = filter.system_id {
        query = query.filter(package::Column::SystemId.eq(id.0));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(package::Column::Status.is_in(filter.statuses.clone()));
    }
    if !filter.kinds.is_empty() {
        query = query.filter(package::Column::Kind.is_in(filter.kinds.clone()));
    }
    if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        query = query.filter(search::any_contains(
            &[
                package::Column::Name,
                package::Column::JiraKey,
                package::Column::ChangeRequestId,
            ],
            text,
        ));
    }
    paginate(conn, query, &sort_key(order, descending), page, with_total).await
}

fn version(value: &str) -> DomainResult<String> {
    let value = validate::required("version", value, 100)?;
    if value.contains(char::is_whitespace) {
        return Err(DomainError::validation(
            "version",
            "must not contain spaces",
        ));
    }
    Ok(value)
}

/// Creates a package; its system becomes a DIRECT impact of the release if it was not one.
pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewPackage,
) -> DomainResult<package::Model> {
    let name = validate::required("name", &input.name, 200)?;
    let version = version(&input.version)?;
    let jira_key = validate::optional("jiraKey", input.jira_key.as_deref(), 100)?;
    let change_request_id =
        validate::optional("changeRequestId", input.change_request_id.as_deref(), 100)?;
    let mut tx = store.write().await?;
    let release = release::get(&*tx, input.release_id).await?;
    let system = system::get(&*tx, input.system_id).await?;
    let now = store.now();
    let model = package::ActiveModel {
        id: Set(new_uuid()),
        release_id: Set(release.id),
        system_id: Set(system.id),
        name: Set(name),
        version: Set(version),
        kind: Set(input.kind),
        status: Set(input.status),
        jira_key: Set(jira_key),
        change_request_id: Set(change_request_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.record(
        actor,
        Change::new("package.create", "Package", model.id)
            .in_release(release.id)
            .after(&model),
    )
    .await?;
    let has_impact = entity::release_impact::Entity::find()
        .filter(entity::release_impact::Column::ReleaseId.eq(release.id))
        .filter(entity::release_impact::Column::SystemId.eq(system.id))
        .count(&*tx)
        .await?
        > 0;
    if !has_impact {
        parts::upsert_impact(
            &mut tx,
            actor,
            release.id,
            system.id,
            ImpactKind::Direct,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: PackageId,
    patch: PackagePatch,
) -> DomainResult<package::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = patch.name {
        active.name = Set(validate::required("name", &name, 200)?);
    }
    if let Some(value) = patch.version {
        active.version = Set(version(&value)?);
    }
    if let Some(kind) = patch.kind {
        active.kind = Set(kind);
    }
    if let Some(status) = patch.status {
        active.status = Set(status);
    }
    if let Some(jira_key) = patch.jira_key {
        active.jira_key = Set(validate::optional("jiraKey", jira_key.as_deref(), 100)?);
    }
    if let Some(cr) = patch.change_request_id {
        active.change_request_id = Set(validate::optional("changeRequestId", cr.as_deref(), 100)?);
    }
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("package.update", "Package", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete(store: &Store, actor: &Actor, id: PackageId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let deployments = deployment::Entity::find()
        .filter(deployment::Column::PackageId.eq(before.id))
        .count(&*tx)
        .await?;
    if deployments > 0 {
        return Err(DomainError::conflict(format!(
            "package {} has {deployments} recorded deployment(s); cancel it instead",
            before.name
        )));
    }
    package::Entity::delete_by_id(before.id).exec(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("package.delete", "Package", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}
