//! Releases: create, change, delete, list, and move through the lifecycle.

pub mod graph;
pub mod package;
pub mod parts;
pub mod progress;
pub mod report;
pub mod template;
pub mod transitions;

use chrono::NaiveDate;
use entity::{
    ReleaseKind, ReleaseStatus, RiskLevel, Role, app_user, deployment, release, release_dependency,
    release_impact,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::governance::audit::{Change, snapshot};
use crate::domain::ids::{ReleaseId, SystemId, TypedId, UserId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{Actor, DomainError, DomainResult, search, validate};

pub struct NewRelease {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: ReleaseKind,
    pub risk: RiskLevel,
    pub parent_id: Option<ReleaseId>,
    pub owner_id: Option<UserId>,
    pub planned_start: NaiveDate,
    pub planned_go_live: NaiveDate,
}

#[derive(Default)]
pub struct ReleasePatch {
    pub key: Option<String>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub kind: Option<ReleaseKind>,
    pub risk: Option<RiskLevel>,
    pub parent_id: Option<Option<ReleaseId>>,
    pub owner_id: Option<Option<UserId>>,
    pub planned_start: Option<NaiveDate>,
    pub planned_go_live: Option<NaiveDate>,
}

#[derive(Default, Clone)]
pub struct ReleaseFilter {
    pub statuses: Vec<ReleaseStatus>,
    pub kinds: Vec<ReleaseKind>,
    pub risks: Vec<RiskLevel>,
    pub parent_id: Option<ReleaseId>,
    /// Only releases without a parent (enterprise, independent, emergency, lone projects).
    pub top_level: Option<bool>,
    pub system_id: Option<SystemId>,
    pub owner_id: Option<UserId>,
    pub search: Option<String>,
    /// Releases whose planned window [start, go-live] overlaps [from, to].
    pub window_from: Option<NaiveDate>,
    pub window_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy)]
pub enum ReleaseOrder {
    PlannedGoLive,
    PlannedStart,
    Key,
    Name,
    CreatedAt,
}

fn sort_key(order: ReleaseOrder, descending: bool) -> SortKey<release::Entity> {
    let (name, column, value): (_, _, fn(&release::Model) -> SortValue) = match order {
        ReleaseOrder::PlannedGoLive => ("plannedGoLive", release::Column::PlannedGoLive, |m| {
            SortValue::Date(m.planned_go_live)
        }),
        ReleaseOrder::PlannedStart => ("plannedStart", release::Column::PlannedStart, |m| {
            SortValue::Date(m.planned_start)
        }),
        ReleaseOrder::Key => ("key", release::Column::Key, |m| {
            SortValue::Text(m.key.clone())
        }),
        ReleaseOrder::Name => ("name", release::Column::Name, |m| {
            SortValue::Text(m.name.clone())
        }),
        ReleaseOrder::CreatedAt => ("createdAt", release::Column::CreatedAt, |m| {
            SortValue::Time(m.created_at)
        }),
    };
    SortKey {
        name,
        column,
        id_column: release::Column::Id,
        descending,
        value,
        id: |m| m.id,
    }
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: ReleaseId) -> DomainResult<release::Model> {
    release::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Release", id))
}

pub async fn find_by_key<C: ConnectionTrait>(
    conn: &C,
    key: &str,
) -> DomainResult<Option<release::Model>> {
    Ok(release::Entity::find()
        .filter(release::Column::Key.eq(key.trim()))
        .one(conn)
        .await?)
}

pub fn select(filter: &ReleaseFilter) -> sea_orm::Select<release::Entity> {
    let mut query = release::Entity::find();
    if !filter.statuses.is_empty() {
        query = query.filter(release::Column::Status.is_in(filter.statuses.clone()));
    }
    if !filter.kinds.is_empty() {
        query = query.filter(release::Column::Kind.is_in(filter.kinds.clone()));
    }
    if !filter.risks.is_empty() {
        query = query.filter(release::Column::Risk.is_in(filter.risks.clone()));
    }
    if let Some(parent) = filter.parent_id {
        query = query.filter(release::Column::ParentId.eq(parent.0));
    }
    match filter.top_level {
        Some(true) => query = query.filter(release::Column::ParentId.is_null()),
        Some(false) => query = query.filter(release::Column::ParentId.is_not_null()),
        None => {}
    }
    if let Some(owner) = filter.owner_id {
        query = query.filter(release::Column::OwnerId.eq(owner.0));
    }
    if let Some(system) = filter.system_id {
        query = query.filter(
            release::Column::Id.in_subquery(
                Query::select()
                    .column(release_impact::Column::ReleaseId)
                    .from(release_impact::Entity)
                    .and_where(release_impact::Column::SystemId.eq(system.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        query = query.filter(search::lowered_contains(release::Column::SearchText, text));
    }
    if let Some(from) = filter.window_from {
        query = query.filter(release::Column::PlannedGoLive.gte(from));
    }
    if let Some(to) = filter.window_to {
        query = query.filter(release::Column::PlannedStart.lte(to));
    }
    query
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &ReleaseFilter,
    order: ReleaseOrder,
    descending: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<release::Model>> {
    if let (Some(from), Some(to)) = (filter.window_from, filter.window_to) {
        validate::date_order("to", from, to)?;
    }
    paginate(
        conn,
        select(filter),
        &sort_key(order, descending),
        page,
        with_total,
    )
    .await
}

fn search_text(key: &str, name: &str) -> String {
    format!("{} {}", key, name).to_lowercase()
}

/// Project managers may only shape project releases; release managers and admins any.
pub fn check_kind_allowed(actor: &Actor, kind: ReleaseKind) -> DomainResult<()> {
    if actor.has_any(&[Role::Admin, Role::ReleaseManager]) || kind == ReleaseKind::Project {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "project managers can only create and change PROJECT releases",
        ))
    }
}

/// Checks the enterprise/project grouping rules for `kind` under `parent`.
async fn check_parent<C: ConnectionTrait>(
    conn: &C,
    own_id: Option<Uuid>,
    kind: ReleaseKind,
    parent: Option<ReleaseId>,
) -> DomainResult<()> {
    let Some(parent) = parent else {
        return Ok(());
    };
    if Some(parent.0) == own_id {
        return Err(DomainError::validation(
            "parentId",
            "a release cannot be its own parent",
        ));
    }
    if kind != ReleaseKind::Project {
        return Err(DomainError::validation(
            "parentId",
            "only PROJECT releases can belong to an enterprise release",
        ));
    }
    let parent_model = release::Entity::find_by_id(parent.0)
        .one(conn)
        .await?
        .ok_or_else(|| {
            DomainError::validation("parentId", format!("release {parent} does not exist"))
        })?;
    if parent_model.kind != ReleaseKind::Enterprise {
        return Err(DomainError::validation(
            "parentId",
            format!("{} is not an ENTERPRISE release", parent_model.key),
        ));
    }
    Ok(())
}

async fn check_owner<C: ConnectionTrait>(conn: &C, owner: Option<UserId>) -> DomainResult<()> {
    if let Some(owner) = owner
        && app_user::Entity::find_by_id(owner.0)
            .one(conn)
            .await?
            .is_none()
    {
        return Err(DomainError::validation(
            "ownerId",
            format!("user {owner} does not exist"),
        ));
    }
    Ok(())
}

async fn ensure_key_free<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    except: Option<Uuid>,
) -> DomainResult<()> {
    if let Some(existing) = find_by_key(conn, key).await?
        && Some(existing.id) != except
    {
        return Err(DomainError::Conflict {
            message: format!("a release with key {key} already exists"),
            conflicting: vec![ReleaseId(existing.id).encode()],
        });
    }
    Ok(())
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewRelease,
) -> DomainResult<release::Model> {
    let mut tx = store.write().await?;
    let model = insert(&mut tx, actor, input, None).await?;
    tx.commit().await?;
    Ok(model)
}

/// Validates and inserts a release inside the caller's transaction; `template` names the
/// template it comes from, for the audit trail.
pub async fn insert(
    tx: &mut WriteTx,
    actor: &Actor,
    input: NewRelease,
    template: Option<&str>,
) -> DomainResult<release::Model> {
    let key = validate::code("key", &input.key, 40)?;
    let name = validate::required("name", &input.name, 200)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    validate::date_order("plannedGoLive", input.planned_start, input.planned_go_live)?;
    check_kind_allowed(actor, input.kind)?;
    ensure_key_free(&**tx, &key, None).await?;
    check_parent(&**tx, None, input.kind, input.parent_id).await?;
    check_owner(&**tx, input.owner_id).await?;
    let now = tx.now();
    let model = release::ActiveModel {
        id: Set(new_uuid()),
        search_text: Set(search_text(&key, &name)),
        key: Set(key),
        name: Set(name),
        description: Set(description),
        kind: Set(input.kind),
        status: Set(ReleaseStatus::Draft),
        risk: Set(input.risk),
        parent_id: Set(input.parent_id.map(|p| p.0)),
        owner_id: Set(input.owner_id.map(|o| o.0).or(actor.user_id())),
        planned_start: Set(input.planned_start),
        planned_go_live: Set(input.planned_go_live),
        actual_start: Set(None),
        actual_go_live: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
    .await?;
    let mut after = serde_json::to_value(&model).unwrap_or_default();
    if let Some(template) = template {
        after["template"] = serde_json::Value::String(template.to_owned());
    }
    let mut change = Change::new("release.create", "Release", model.id).in_release(model.id);
    change.after = Some(after);
    tx.record(actor, change).await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: ReleaseId,
    patch: ReleasePatch,
) -> DomainResult<release::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    check_kind_allowed(actor, before.kind)?;
    let mut active = before.clone().into_active_model();

    let key = match patch.key {
        Some(key) => {
            let key = validate::code("key", &key, 40)?;
            ensure_key_free(&*tx, &key, Some(before.id)).await?;
            key
        }
        None => before.key.clone(),
    };
    let name = match patch.name {
        Some(name) => validate::required("name", &name, 200)?,
        None => before.name.clone(),
    };
    active.search_text = Set(search_text(&key, &name));
    active.key = Set(key);
    active.name = Set(name);
    if let Some(description) = patch.description {
        active.description = Set(validate::optional(
            "description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(risk) = patch.risk {
        active.risk = Set(risk);
    }
    let kind = patch.kind.unwrap_or(before.kind);
    check_kind_allowed(actor, kind)?;
    let parent = match patch.parent_id {
        Some(parent) => parent,
        None => before.parent_id.map(ReleaseId),
    };
    if kind != before.kind || patch.parent_id.is_some() {
        check_parent(&*tx, Some(before.id), kind, parent).await?;
        if kind != ReleaseKind::Enterprise {
            let children = release::Entity::find()
                .filter(release::Column::ParentId.eq(before.id))
                .count(&*tx)
                .await?;
            if children > 0 {
                return Err(DomainError::validation(
                    "kind",
                    format!(
                        "the release groups {children} project release(s) and must stay ENTERPRISE"
                    ),
                ));
            }
        }
    }
    active.kind = Set(kind);
    active.parent_id = Set(parent.map(|p| p.0));
    if let Some(owner) = patch.owner_id {
        check_owner(&*tx, owner).await?;
        active.owner_id = Set(owner.map(|o| o.0));
    }
    let start = patch.planned_start.unwrap_or(before.planned_start);
    let go_live = patch.planned_go_live.unwrap_or(before.planned_go_live);
    validate::date_order("plannedGoLive", start, go_live)?;
    active.planned_start = Set(start);
    active.planned_go_live = Set(go_live);
    active.updated_at = Set(store.now());

    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("release.update", "Release", after.id)
            .in_release(after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Deletes a release that has not started, has no project releases and no deployments.
/// Its phases, milestones, impacts, dependencies and packages go with it.
pub async fn delete(store: &Store, actor: &Actor, id: ReleaseId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    if !transitions::is_deletable(before.status) {
        return Err(DomainError::conflict(format!(
            "release {} is {} and can no longer be deleted; cancel it instead",
            before.key, before.status
        )));
    }
    let children: Vec<Uuid> = release::Entity::find()
        .select_only()
        .column(release::Column::Id)
        .filter(release::Column::ParentId.eq(before.id))
        .into_tuple()
        .all(&*tx)
        .await?;
    if !children.is_empty() {
        return Err(DomainError::Conflict {
            message: format!(
                "release {} still groups {} project release(s)",
                before.key,
                children.len()
            ),
            conflicting: children
                .into_iter()
                .map(|c| ReleaseId(c).encode())
                .collect(),
        });
    }
    let deployments = deployment::Entity::find()
        .filter(deployment::Column::ReleaseId.eq(before.id))
        .count(&*tx)
        .await?;
    if deployments > 0 {
        return Err(DomainError::conflict(format!(
            "release {} has {deployments} recorded deployment(s); cancel it instead",
            before.key
        )));
    }
    release::Entity::delete_by_id(before.id).exec(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("release.delete", "Release", before.id)
            .in_release(before.id)
            .before(&before),
    )
    .await?;
    Ok(())
}

/// Moves a release to `to` if the lifecycle allows it and nothing it waits for is open.
pub async fn transition(
    store: &Store,
    actor: &Actor,
    id: ReleaseId,
    to: ReleaseStatus,
    reason: Option<String>,
    override_blackout_reason: Option<String>,
) -> DomainResult<release::Model> {
    let reason = validate::optional("reason", reason.as_deref(), 2000)?;
    let mut tx = store.write().await?;
    let before = get(&*tx, id).await?;
    if !transitions::is_allowed(before.status, to) {
        let allowed: Vec<&str> = transitions::next_statuses(before.status)
            .iter()
            .map(|s| s.as_str())
            .collect();
        return Err(DomainError::invalid_transition(format!(
            "release {} cannot move from {} to {}; allowed next: {}",
            before.key,
            before.status,
            to,
            if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed.join(", ")
            }
        )));
    }
    if matches!(to, ReleaseStatus::Cancelled | ReleaseStatus::RolledBack) && reason.is_none() {
        return Err(DomainError::validation(
            "reason",
            format!("moving a release to {to} needs a reason"),
        ));
    }
    if matches!(to, ReleaseStatus::GoLive | ReleaseStatus::Released) {
        let open = open_dependencies(&*tx, before.id).await?;
        if !open.is_empty() {
            let keys: Vec<String> = open
                .iter()
                .map(|r| format!("{} ({})", r.key, r.status))
                .collect();
            return Err(DomainError::invalid_transition(format!(
                "release {} waits for unfinished dependencies: {}",
                before.key,
                keys.join(", ")
            )));
        }
    }
    if matches!(to, ReleaseStatus::GoLive | ReleaseStatus::Released) {
        let gates = crate::domain::release::progress::gates_before(&*tx, &before, to).await?;
        crate::domain::governance::gate::ensure_passed(
            &*tx,
            &format!("moving {} to {to}", before.key),
            &gates,
        )
        .await?;
    }
    if to == ReleaseStatus::Released && before.kind == ReleaseKind::Enterprise {
        let open_children: Vec<release::Model> = release::Entity::find()
            .filter(release::Column::ParentId.eq(before.id))
            .all(&*tx)
            .await?
            .into_iter()
            .filter(|c| !matches!(c.status, ReleaseStatus::Released | ReleaseStatus::Cancelled))
            .collect();
        if !open_children.is_empty() {
            let keys: Vec<String> = open_children
                .iter()
                .map(|r| format!("{} ({})", r.key, r.status))
                .collect();
            return Err(DomainError::invalid_transition(format!(
                "enterprise release {} still has open project releases: {}",
                before.key,
                keys.join(", ")
            )));
        }
    }

    crate::domain::booking::blackout::check_go_live(
        &mut tx,
        actor,
        &before,
        to,
        override_blackout_reason.as_deref(),
    )
    .await?;
    let now = store.now();
    let mut active = before.clone().into_active_model();
    active.status = Set(to);
    if to == ReleaseStatus::InProgress && before.actual_start.is_none() {
        active.actual_start = Set(Some(now));
    }
    if to == ReleaseStatus::Released {
        active.actual_go_live = Set(Some(now));
    }
    active.updated_at = Set(now);
    let after = active.update(&*tx).await?;
    let mut after_snapshot = snapshot(&after);
    if let (Some(serde_json::Value::Object(map)), Some(reason)) = (after_snapshot.as_mut(), reason)
    {
        map.insert("transitionReason".into(), serde_json::Value::String(reason));
    }
    tx.commit_change(actor, {
        let mut change = Change::new("release.transition", "Release", after.id)
            .in_release(after.id)
            .before(&before);
        change.after = after_snapshot;
        change
    })
    .await?;
    Ok(after)
}

/// Dependencies of a release that are not released (or otherwise closed) yet.
pub async fn open_dependencies<C: ConnectionTrait>(
    conn: &C,
    release_id: Uuid,
) -> DomainResult<Vec<release::Model>> {
    let ids: Vec<Uuid> = release_dependency::Entity::find()
        .select_only()
        .column(release_dependency::Column::DependsOnId)
        .filter(release_dependency::Column::ReleaseId.eq(release_id))
        .into_tuple()
        .all(conn)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(release::Entity::find()
        .filter(release::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .filter(|r| r.status != ReleaseStatus::Released && r.status != ReleaseStatus::Cancelled)
        .collect())
}
