//! Systems: the applications and services of the portfolio.

use entity::{Criticality, deployment, environment_system, package, release_impact, system};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::ids::{SystemId, TypedId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{Actor, DomainError, DomainResult, search, validate};

pub struct NewSystem {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub criticality: Criticality,
}

#[derive(Default)]
pub struct SystemPatch {
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub owner: Option<Option<String>>,
    pub criticality: Option<Criticality>,
}

#[derive(Default)]
pub struct SystemFilter {
    pub search: Option<String>,
    pub criticality: Vec<Criticality>,
}

#[derive(Debug, Clone, Copy)]
pub enum SystemOrder {
    Name,
    Code,
    CreatedAt,
}

fn sort_key(order: SystemOrder, descending: bool) -> SortKey<system::Entity> {
    let (name, column, value): (_, _, fn(&system::Model) -> SortValue) = match order {
        SystemOrder::Name => ("name", system::Column::Name, |m| {
            SortValue::Text(m.name.clone())
        }),
        SystemOrder::Code => ("code", system::Column::Code, |m| {
            SortValue::Text(m.code.clone())
        }),
        SystemOrder::CreatedAt => ("createdAt", system::Column::CreatedAt, |m| {
            SortValue::Time(m.created_at)
        }),
    };
    SortKey {
        name,
        column,
        id_column: system::Column::Id,
        descending,
        value,
        id: |m| m.id,
    }
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: SystemId) -> DomainResult<system::Model> {
    system::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("System", id))
}

pub async fn find_by_code<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> DomainResult<Option<system::Model>> {
    Ok(system::Entity::find()
        .filter(system::Column::Code.eq(code))
        .one(conn)
        .await?)
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &SystemFilter,
    order: SystemOrder,
    descending: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<system::Model>> {
    let mut query = system::Entity::find();
    if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        query = query.filter(search::any_contains(
            &[system::Column::Name, system::Column::Code],
            text,
        ));
    }
    if !filter.criticality.is_empty() {
        query = query.filter(system::Column::Criticality.is_in(filter.criticality.clone()));
    }
    paginate(conn, query, &sort_key(order, descending), page, with_total).await
}

async fn ensure_code_free<C: ConnectionTrait>(
    conn: &C,
    code: &str,
    except: Option<uuid::Uuid>,
) -> DomainResult<()> {
    if let Some(existing) = find_by_code(conn, code).await?
        && Some(existing.id) != except
    {
        return Err(DomainError::Conflict {
            message: format!("a system with code {code} already exists"),
            conflicting: vec![SystemId(existing.id).encode()],
        });
    }
    Ok(())
}

pub async fn create(store: &Store, actor: &Actor, input: NewSystem) -> DomainResult<system::Model> {
    let code = validate::code("code", &input.code, 40)?;
    let name = validate::required("name", &input.name, 200)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    let owner = validate::optional("owner", input.owner.as_deref(), 200)?;

    let tx = store.write().await?;
    ensure_code_free(&*tx, &code, None).await?;
    let now = store.now();
    let model = system::ActiveModel {
        id: Set(new_uuid()),
        code: Set(code),
        name: Set(name),
        description: Set(description),
        owner: Set(owner),
        criticality: Set(input.criticality),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("system.create", "System", model.id).after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: SystemId,
    patch: SystemPatch,
) -> DomainResult<system::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(code) = patch.code {
        let code = validate::code("code", &code, 40)?;
        ensure_code_free(&*tx, &code, Some(before.id)).await?;
        active.code = Set(code);
    }
    if let Some(name) = patch.name {
        active.name = Set(validate::required("name", &name, 200)?);
    }
    if let Some(description) = patch.description {
        active.description = Set(validate::optional(
            "description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(owner) = patch.owner {
        active.owner = Set(validate::optional("owner", owner.as_deref(), 200)?);
    }
    if let Some(criticality) = patch.criticality {
        active.criticality = Set(criticality);
    }
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("system.update", "System", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Deletes a system no release, package or deployment refers to.
pub async fn delete(store: &Store, actor: &Actor, id: SystemId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let packages = package::Entity::find()
        .filter(package::Column::SystemId.eq(before.id))
        .count(&*tx)
        .await?;
    let impacts = release_impact::Entity::find()
        .filter(release_impact::Column::SystemId.eq(before.id))
        .count(&*tx)
        .await?;
    let deployments = deployment::Entity::find()
        .filter(deployment::Column::SystemId.eq(before.id))
        .count(&*tx)
        .await?;
    if packages + impacts + deployments > 0 {
        return Err(DomainError::conflict(format!(
            "system {} is still used by {packages} package(s), {impacts} release impact(s) and {deployments} deployment(s)",
            before.code
        )));
    }
    environment_system::Entity::delete_many()
        .filter(environment_system::Column::SystemId.eq(before.id))
        .exec(&*tx)
        .await?;
    system::Entity::delete_by_id(before.id).exec(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("system.delete", "System", before.id).before(&before),
    )
    .await?;
    Ok(())
}
