//! The environment catalogue: groups, environments, the systems they host, and their
//! configuration with its full change history.

pub mod deployment;
pub mod drift;
pub mod system;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{
    EnvironmentStatus, EnvironmentTier, app_user, config_change, config_entry, environment,
    environment_group, environment_system,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::ids::{EnvironmentGroupId, EnvironmentId, SystemId, TypedId, UserId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{Actor, DomainError, DomainResult, search, validate};

// ---------------------------------------------------------------------------------------------
// Groups

pub async fn get_group<C: ConnectionTrait>(
    conn: &C,
    id: EnvironmentGroupId,
) -> DomainResult<environment_group::Model> {
    environment_group::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("EnvironmentGroup", id))
}

pub async fn list_groups<C: ConnectionTrait>(
    conn: &C,
) -> DomainResult<Vec<environment_group::Model>> {
    Ok(environment_group::Entity::find()
        .order_by_asc(environment_group::Column::Name)
        .all(conn)
        .await?)
}

async fn ensure_group_name_free<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    except: Option<Uuid>,
) -> DomainResult<()> {
    let existing = environment_group::Entity::find()
        .filter(environment_group::Column::Name.eq(name))
        .one(conn)
        .await?;
    match existing {
        Some(group) if Some(group.id) != except => Err(DomainError::Conflict {
            message: format!("an environment group named {name} already exists"),
            conflicting: vec![EnvironmentGroupId(group.id).encode()],
        }),
        _ => Ok(()),
    }
}

pub async fn create_group(
    store: &Store,
    actor: &Actor,
    name: &str,
    description: Option<&str>,
) -> DomainResult<environment_group::Model> {
    let name = validate::required("name", name, 200)?;
    let description = validate::optional("description", description, 10_000)?;
    let tx = store.write().await?;
    ensure_group_name_free(&*tx, &name, None).await?;
    let now = store.now();
    let model = environment_group::ActiveModel {
        id: Set(new_uuid()),
        name: Set(name),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("environmentGroup.create", "EnvironmentGroup", model.id).after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update_group(
    store: &Store,
    actor: &Actor,
    id: EnvironmentGroupId,
    name: Option<&str>,
    description: Option<Option<&str>>,
) -> DomainResult<environment_group::Model> {
    let tx = store.write().await?;
    let before = get_group(&*tx, id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = name {
        let name = validate::required("name", name, 200)?;
        ensure_group_name_free(&*tx, &name, Some(before.id)).await?;
        active.name = Set(name);
    }
    if let Some(description) = description {
        active.description = Set(validate::optional("description", description, 10_000)?);
    }
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("environmentGroup.update", "EnvironmentGroup", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Deletes a group; its environments stay, ungrouped.
pub async fn delete_group(
    store: &Store,
    actor: &Actor,
    id: EnvironmentGroupId,
) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get_group(&*tx, id).await?;
    environment::Entity::update_many()
        .col_expr(environment::Column::GroupId, Option::<Uuid>::None.into())
        .filter(environment::Column::GroupId.eq(before.id))
        .exec(&*tx)
        .await?;
    environment_group::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("environmentGroup.delete", "EnvironmentGroup", before.id).before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Environments

pub struct NewEnvironment {
    pub name: String,
    pub tier: EnvironmentTier,
    pub status: EnvironmentStatus,
    pub group_id: Option<EnvironmentGroupId>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub owner_id: Option<UserId>,
    pub capacity: i32,
    pub system_ids: Vec<SystemId>,
}

#[derive(Default)]
pub struct EnvironmentPatch {
    pub name: Option<String>,
    pub tier: Option<EnvironmentTier>,
    pub status: Option<EnvironmentStatus>,
    pub group_id: Option<Option<EnvironmentGroupId>>,
    pub description: Option<Option<String>>,
    pub url: Option<Option<String>>,
    pub owner_id: Option<Option<UserId>>,
    pub capacity: Option<i32>,
}

#[derive(Default)]
pub struct EnvironmentFilter {
    pub tiers: Vec<EnvironmentTier>,
    pub statuses: Vec<EnvironmentStatus>,
    pub group_id: Option<EnvironmentGroupId>,
    pub system_id: Option<SystemId>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub enum EnvironmentOrder {
    Name,
    Tier,
    CreatedAt,
}

fn sort_key(order: EnvironmentOrder, descending: bool) -> SortKey<environment::Entity> {
    let (name, column, value): (_, _, fn(&environment::Model) -> SortValue) = match order {
        EnvironmentOrder::Name => ("name", environment::Column::Name, |m| {
            SortValue::Text(m.name.clone())
        }),
        EnvironmentOrder::Tier => ("tier", environment::Column::Tier, |m| {
            SortValue::Text(m.tier.as_str().to_owned())
        }),
        EnvironmentOrder::CreatedAt => ("createdAt", environment::Column::CreatedAt, |m| {
            SortValue::Time(m.created_at)
        }),
    };
    SortKey {
        name,
        column,
        id_column: environment::Column::Id,
        descending,
        value,
        id: |m| m.id,
    }
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: EnvironmentId,
) -> DomainResult<environment::Model> {
    environment::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Environment", id))
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &EnvironmentFilter,
    order: EnvironmentOrder,
    descending: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<environment::Model>> {
    let mut query = environment::Entity::find();
    if !filter.tiers.is_empty() {
        query = query.filter(environment::Column::Tier.is_in(filter.tiers.clone()));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(environment::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(group) = filter.group_id {
        query = query.filter(environment::Column::GroupId.eq(group.0));
    }
    if let Some(system) = filter.system_id {
        query = query.filter(
            environment::Column::Id.in_subquery(
                Query::select()
                    .column(environment_system::Column::EnvironmentId)
                    .from(environment_system::Entity)
                    .and_where(environment_system::Column::SystemId.eq(system.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        query = query.filter(search::any_contains(&[environment::Column::Name], text));
    }
    paginate(conn, query, &sort_key(order, descending), page, with_total).await
}

fn check_capacity(capacity: i32) -> DomainResult<i32> {
    if !(1..=1000).contains(&capacity) {
        return Err(DomainError::validation(
            "capacity",
            "must be between 1 and 1000",
        ));
    }
    Ok(capacity)
}

async fn ensure_env_name_free<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    except: Option<Uuid>,
) -> DomainResult<()> {
    let existing = environment::Entity::find()
        .filter(environment::Column::Name.eq(name))
        .one(conn)
        .await?;
    match existing {
        Some(env) if Some(env.id) != except => Err(DomainError::Conflict {
            message: format!("an environment named {name} already exists"),
            conflicting: vec![EnvironmentId(env.id).encode()],
        }),
        _ => Ok(()),
    }
}

async fn check_refs<C: ConnectionTrait>(
    conn: &C,
    group: Option<EnvironmentGroupId>,
    owner: Option<UserId>,
) -> DomainResult<()> {
    if let Some(group) = group
        && environment_group::Entity::find_by_id(group.0)
            .one(conn)
            .await?
            .is_none()
    {
        return Err(DomainError::validation(
            "groupId",
            format!("environment group {group} does not exist"),
        ));
    }
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

/// Replaces the hosted systems of an environment inside an open transaction.
async fn replace_systems<C: ConnectionTrait>(
    conn: &C,
    environment_id: Uuid,
    systems: &[SystemId],
    now: DateTime<Utc>,
) -> DomainResult<Vec<Uuid>> {
    let wanted: Vec<Uuid> = {
        let mut seen = HashSet::new();
        systems
            .iter()
            .map(|s| s.0)
            .filter(|s| seen.insert(*s))
            .collect()
    };
    if !wanted.is_empty() {
        let found: HashSet<Uuid> = entity::system::Entity::find()
            .filter(entity::system::Column::Id.is_in(wanted.clone()))
            .all(conn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        if let Some(missing) = wanted.iter().find(|id| !found.contains(id)) {
            return Err(DomainError::validation(
                "systemIds",
                format!("system {} does not exist", SystemId(*missing)),
            ));
        }
    }
    environment_system::Entity::delete_many()
        .filter(environment_system::Column::EnvironmentId.eq(environment_id))
        .exec(conn)
        .await?;
    if !wanted.is_empty() {
        environment_system::Entity::insert_many(wanted.iter().map(|system_id| {
            environment_system::ActiveModel {
                environment_id: Set(environment_id),
                system_id: Set(*system_id),
                created_at: Set(now),
            }
        }))
        .exec(conn)
        .await?;
    }
    Ok(wanted)
}

pub async fn hosted_system_ids<C: ConnectionTrait>(
    conn: &C,
    environment_id: Uuid,
) -> DomainResult<Vec<Uuid>> {
    Ok(environment_system::Entity::find()
        .filter(environment_system::Column::EnvironmentId.eq(environment_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.system_id)
        .collect())
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewEnvironment,
) -> DomainResult<environment::Model> {
    let name = validate::required("name", &input.name, 200)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    let url = validate::url("url", input.url.as_deref())?;
    let capacity = check_capacity(input.capacity)?;
    let tx = store.write().await?;
    ensure_env_name_free(&*tx, &name, None).await?;
    check_refs(&*tx, input.group_id, input.owner_id).await?;
    let now = store.now();
    let model = environment::ActiveModel {
        id: Set(new_uuid()),
        name: Set(name),
        tier: Set(input.tier),
        status: Set(input.status),
        group_id: Set(input.group_id.map(|g| g.0)),
        description: Set(description),
        url: Set(url),
        owner_id: Set(input.owner_id.map(|o| o.0)),
        capacity: Set(capacity),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    let systems = replace_systems(&*tx, model.id, &input.system_ids, tx.now()).await?;
    let mut after = serde_json::to_value(&model).unwrap_or_default();
    after["systemIds"] = serde_json::json!(systems);
    let mut change = Change::new("environment.create", "Environment", model.id);
    change.after = Some(after);
    tx.commit_change(actor, change).await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: EnvironmentId,
    patch: EnvironmentPatch,
) -> DomainResult<environment::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = patch.name {
        let name = validate::required("name", &name, 200)?;
        ensure_env_name_free(&*tx, &name, Some(before.id)).await?;
        active.name = Set(name);
    }
    if let Some(tier) = patch.tier {
        active.tier = Set(tier);
    }
    if let Some(status) = patch.status {
        active.status = Set(status);
    }
    if let Some(group) = patch.group_id {
        check_refs(&*tx, group, None).await?;
        active.group_id = Set(group.map(|g| g.0));
    }
    if let Some(owner) = patch.owner_id {
        check_refs(&*tx, None, owner).await?;
        active.owner_id = Set(owner.map(|o| o.0));
    }
    if let Some(description) = patch.description {
        active.description = Set(validate::optional(
            "description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(url) = patch.url {
        active.url = Set(validate::url("url", url.as_deref())?);
    }
    if let Some(capacity) = patch.capacity {
        active.capacity = Set(check_capacity(capacity)?);
    }
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    let action = if before.status != after.status {
        "environment.statusChange"
    } else {
        "environment.update"
    };
    tx.commit_change(
        actor,
        Change::new(action, "Environment", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn set_systems(
    store: &Store,
    actor: &Actor,
    id: EnvironmentId,
    systems: Vec<SystemId>,
) -> DomainResult<environment::Model> {
    let tx = store.write().await?;
    let env = get(&*tx, id).await?;
    let before = hosted_system_ids(&*tx, env.id).await?;
    let after = replace_systems(&*tx, env.id, &systems, tx.now()).await?;
    let mut change = Change::new("environment.setSystems", "Environment", env.id);
    change.before = Some(serde_json::json!({ "systemIds": before }));
    change.after = Some(serde_json::json!({ "systemIds": after }));
    tx.commit_change(actor, change).await?;
    Ok(env)
}

/// Deletes an environment with no recorded deployments (they are its history).
pub async fn delete(store: &Store, actor: &Actor, id: EnvironmentId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let deployments = entity::deployment::Entity::find()
        .filter(entity::deployment::Column::EnvironmentId.eq(before.id))
        .count(&*tx)
        .await?;
    if deployments > 0 {
        return Err(DomainError::conflict(format!(
            "environment {} has {deployments} recorded deployment(s) and cannot be deleted",
            before.name
        )));
    }
    let bookings = crate::domain::booking::open_on_environment(&*tx, before.id, tx.now()).await?;
    if !bookings.is_empty() {
        return Err(DomainError::Conflict {
            message: format!(
                "environment {} has open bookings; cancel or reject them first",
                before.name
            ),
            conflicting: bookings
                .into_iter()
                .map(|b| crate::domain::ids::BookingId(b).encode())
                .collect(),
        });
    }
    environment::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("environment.delete", "Environment", before.id).before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Configuration

/// One edit of an environment's configuration: `value: None` removes the key.
pub struct ConfigEdit {
    pub key: String,
    pub value: Option<String>,
    pub secret: bool,
}

fn config_key(key: &str) -> DomainResult<String> {
    let key = key.trim();
    let valid = !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':'));
    if !valid {
        return Err(DomainError::validation(
            "entries.key",
            format!(
                "configuration key '{key}' must be 1–200 characters of letters, digits and . _ - / :"
            ),
        ));
    }
    Ok(key.to_owned())
}

pub async fn config_of<C: ConnectionTrait>(
    conn: &C,
    environment_id: Uuid,
) -> DomainResult<Vec<config_entry::Model>> {
    Ok(config_entry::Entity::find()
        .filter(config_entry::Column::EnvironmentId.eq(environment_id))
        .order_by_asc(config_entry::Column::Key)
        .all(conn)
        .await?)
}

/// Applies edits; each changed key leaves a history row. Unchanged values are skipped.
pub async fn edit_config(
    store: &Store,
    actor: &Actor,
    id: EnvironmentId,
    edits: Vec<ConfigEdit>,
) -> DomainResult<Vec<config_entry::Model>> {
    if edits.is_empty() {
        return Err(DomainError::validation(
            "entries",
            "give at least one entry",
        ));
    }
    if edits.len() > 500 {
        return Err(DomainError::validation(
            "entries",
            "at most 500 entries at once",
        ));
    }
    let mut by_key: BTreeMap<String, ConfigEdit> = BTreeMap::new();
    for edit in edits {
        let key = config_key(&edit.key)?;
        if let Some(value) = &edit.value
            && value.len() > 10_000
        {
            return Err(DomainError::validation(
                "entries.value",
                format!("the value of {key} is longer than 10000 characters"),
            ));
        }
        if by_key.insert(key.clone(), edit).is_some() {
            return Err(DomainError::validation(
                "entries.key",
                format!("{key} appears twice"),
            ));
        }
    }
    let mut tx = store.write().await?;
    let env = get(&*tx, id).await?;
    let current: BTreeMap<String, config_entry::Model> = config_of(&*tx, env.id)
        .await?
        .into_iter()
        .map(|e| (e.key.clone(), e))
        .collect();
    let now = store.now();
    let mut changes = Vec::new();
    for (key, edit) in by_key {
        let old = current.get(&key);
        if old.map(|o| (&o.value, o.secret)) == edit.value.as_ref().map(|v| (v, edit.secret)) {
            continue;
        }
        match (&edit.value, old) {
            (Some(value), Some(old)) => {
                let mut active = old.clone().into_active_model();
                active.value = Set(value.clone());
                active.secret = Set(edit.secret);
                active.updated_at = Set(now);
                active.updated_by = Set(actor.user_id());
                active.update(&*tx).await?;
            }
            (Some(value), None) => {
                config_entry::ActiveModel {
                    id: Set(new_uuid()),
                    environment_id: Set(env.id),
                    key: Set(key.clone()),
                    value: Set(value.clone()),
                    secret: Set(edit.secret),
                    updated_at: Set(now),
                    updated_by: Set(actor.user_id()),
                }
                .insert(&*tx)
                .await?;
            }
            (None, Some(old)) => {
                config_entry::Entity::delete_by_id(old.id)
                    .exec(&*tx)
                    .await?;
            }
            (None, None) => continue,
        }
        let secret = edit.secret || old.is_some_and(|o| o.secret);
        config_change::ActiveModel {
            id: Set(new_uuid()),
            environment_id: Set(env.id),
            key: Set(key.clone()),
            old_value: Set(old.map(|o| o.value.clone())),
            new_value: Set(edit.value.clone()),
            secret: Set(secret),
            changed_at: Set(now),
            changed_by: Set(actor.id),
            changed_by_name: Set(actor.name.clone()),
        }
        .insert(&*tx)
        .await?;
        // The audit trail names the key but never holds secret values.
        changes.push(serde_json::json!({
            "key": key,
            "old": if secret { None } else { old.map(|o| o.value.clone()) },
            "new": if secret { None } else { edit.value.clone() },
            "secret": secret,
        }));
    }
    if !changes.is_empty() {
        let mut change = Change::new("environment.configure", "Environment", env.id);
        change.after = Some(serde_json::json!({ "changes": changes }));
        tx.record(actor, change).await?;
    }
    let entries = config_of(&*tx, env.id).await?;
    tx.commit().await?;
    Ok(entries)
}
