//! What a release is made of: phases, milestones, impacted systems, and dependencies.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{ImpactKind, milestone, phase, release, release_dependency, release_impact};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::governance::audit::Change;
use crate::domain::ids::{
    MilestoneId, PhaseId, ReleaseDependencyId, ReleaseId, ReleaseImpactId, SystemId, new_uuid,
};
use crate::domain::{
    Actor, DomainError, DomainResult, clock, environment::system, release as releases,
    release::graph, validate,
};

/// The kind rule of `release::check_kind_allowed`, for parts reached by their own id.
async fn check_release<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    release_id: Uuid,
) -> DomainResult<()> {
    let release = releases::get(conn, ReleaseId(release_id)).await?;
    releases::check_kind_allowed(actor, release.kind)
}

// ---------------------------------------------------------------------------------------------
// Phases

pub struct NewPhase {
    pub release_id: ReleaseId,
    pub name: String,
    /// 1-based; None appends after the last phase.
    pub position: Option<i32>,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
}

#[derive(Default)]
pub struct PhasePatch {
    pub name: Option<String>,
    pub position: Option<i32>,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<Option<DateTime<Utc>>>,
    pub actual_end: Option<Option<DateTime<Utc>>>,
}

pub async fn get_phase<C: ConnectionTrait>(conn: &C, id: PhaseId) -> DomainResult<phase::Model> {
    phase::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Phase", id))
}

async fn phases_of<C: ConnectionTrait>(
    conn: &C,
    release_id: Uuid,
) -> DomainResult<Vec<phase::Model>> {
    Ok(phase::Entity::find()
        .filter(phase::Column::ReleaseId.eq(release_id))
        .order_by_asc(phase::Column::Position)
        .all(conn)
        .await?)
}

/// Rewrites positions so `ordered` gets 1..n. Positions are unique per release, so rows
/// first move out of the way (to negative positions), then into place.
async fn renumber<C: ConnectionTrait>(
    conn: &C,
    ordered: &[Uuid],
    current: &HashMap<Uuid, i32>,
) -> DomainResult<()> {
    let moves: Vec<(Uuid, i32)> = ordered
        .iter()
        .enumerate()
        .map(|(index, id)| (*id, index as i32 + 1))
        .filter(|(id, position)| current.get(id) != Some(position))
        .collect();
    for (id, _) in &moves {
        let parked = -(current.get(id).copied().unwrap_or(0).abs() + 1_000_000);
        phase::Entity::update_many()
            .col_expr(phase::Column::Position, parked.into())
            .filter(phase::Column::Id.eq(*id))
            .exec(conn)
            .await?;
    }
    for (id, position) in moves {
        phase::Entity::update_many()
            .col_expr(phase::Column::Position, position.into())
            .filter(phase::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

fn check_position(position: i32, max: usize) -> DomainResult<usize> {
    if position < 1 || position as usize > max {
        return Err(DomainError::validation(
            "position",
            format!("must be between 1 and {max}"),
        ));
    }
    Ok(position as usize)
}

pub async fn create_phase(
    store: &Store,
    actor: &Actor,
    input: NewPhase,
) -> DomainResult<phase::Model> {
    let name = validate::required("name", &input.name, 200)?;
    validate::date_order("plannedEnd", input.planned_start, input.planned_end)?;
    let tx = store.write().await?;
    let release = releases::get(&*tx, input.release_id).await?;
    releases::check_kind_allowed(actor, release.kind)?;
    let existing = phases_of(&*tx, release.id).await?;
    let position = match input.position {
        Some(p) => check_position(p, existing.len() + 1)?,
        None => existing.len() + 1,
    };
    let now = store.now();
    let model = phase::ActiveModel {
        id: Set(new_uuid()),
        release_id: Set(release.id),
        name: Set(name),
        // Parked until renumbered into its slot.
        position: Set(-1),
        planned_start: Set(input.planned_start),
        planned_end: Set(input.planned_end),
        actual_start: Set(None),
        actual_end: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    let mut order: Vec<Uuid> = existing.iter().map(|p| p.id).collect();
    order.insert(position - 1, model.id);
    let mut current: HashMap<Uuid, i32> = existing.iter().map(|p| (p.id, p.position)).collect();
    current.insert(model.id, -1);
    renumber(&*tx, &order, &current).await?;
    let model = get_phase(&*tx, PhaseId(model.id)).await?;
    tx.commit_change(
        actor,
        Change::new("phase.create", "Phase", model.id)
            .in_release(release.id)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update_phase(
    store: &Store,
    actor: &Actor,
    id: PhaseId,
    patch: PhasePatch,
) -> DomainResult<phase::Model> {
    let tx = store.write().await?;
    let before = get_phase(&*tx, id).await?;
    check_release(&*tx, actor, before.release_id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = patch.name {
        active.name = Set(validate::required("name", &name, 200)?);
    }
    let start = patch.planned_start.unwrap_or(before.planned_start);
    let end = patch.planned_end.unwrap_or(before.planned_end);
    validate::date_order("plannedEnd", start, end)?;
    active.planned_start = Set(start);
    active.planned_end = Set(end);
    let actual_start = patch
        .actual_start
        .unwrap_or(before.actual_start)
        .map(clock::truncate);
    let actual_end = patch
        .actual_end
        .unwrap_or(before.actual_end)
        .map(clock::truncate);
    if let (Some(s), Some(e)) = (actual_start, actual_end)
        && e < s
    {
        return Err(DomainError::validation(
            "actualEnd",
            "must not be before the actual start",
        ));
    }
    if actual_end.is_some() && actual_start.is_none() {
        return Err(DomainError::validation(
            "actualEnd",
            "a phase cannot end before it started",
        ));
    }
    active.actual_start = Set(actual_start);
    active.actual_end = Set(actual_end);
    active.updated_at = Set(store.now());
    active.update(&*tx).await?;
    if let Some(position) = patch.position {
        let phases = phases_of(&*tx, before.release_id).await?;
        let target = check_position(position, phases.len())?;
        let mut order: Vec<Uuid> = phases
            .iter()
            .map(|p| p.id)
            .filter(|p| *p != before.id)
            .collect();
        order.insert(target - 1, before.id);
        let current = phases.iter().map(|p| (p.id, p.position)).collect();
        renumber(&*tx, &order, &current).await?;
    }
    let after = get_phase(&*tx, id).await?;
    tx.commit_change(
        actor,
        Change::new("phase.update", "Phase", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete_phase(store: &Store, actor: &Actor, id: PhaseId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get_phase(&*tx, id).await?;
    check_release(&*tx, actor, before.release_id).await?;
    phase::Entity::delete_by_id(before.id).exec(&*tx).await?;
    let rest = phases_of(&*tx, before.release_id).await?;
    let order: Vec<Uuid> = rest.iter().map(|p| p.id).collect();
    let current = rest.iter().map(|p| (p.id, p.position)).collect();
    renumber(&*tx, &order, &current).await?;
    tx.commit_change(
        actor,
        Change::new("phase.delete", "Phase", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Milestones

pub struct NewMilestone {
    pub release_id: ReleaseId,
    pub name: String,
    pub planned_date: NaiveDate,
}

#[derive(Default)]
pub struct MilestonePatch {
    pub name: Option<String>,
    pub planned_date: Option<NaiveDate>,
    /// Some(Some(t)) marks it reached at t; Some(None) clears that.
    pub actual_at: Option<Option<DateTime<Utc>>>,
}

pub async fn get_milestone<C: ConnectionTrait>(
    conn: &C,
    id: MilestoneId,
) -> DomainResult<milestone::Model> {
    milestone::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Milestone", id))
}

pub async fn create_milestone(
    store: &Store,
    actor: &Actor,
    input: NewMilestone,
) -> DomainResult<milestone::Model> {
    let name = validate::required("name", &input.name, 200)?;
    let tx = store.write().await?;
    let release = releases::get(&*tx, input.release_id).await?;
    releases::check_kind_allowed(actor, release.kind)?;
    let now = store.now();
    let model = milestone::ActiveModel {
        id: Set(new_uuid()),
        release_id: Set(release.id),
        name: Set(name),
        planned_date: Set(input.planned_date),
        actual_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("milestone.create", "Milestone", model.id)
            .in_release(release.id)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update_milestone(
    store: &Store,
    actor: &Actor,
    id: MilestoneId,
    patch: MilestonePatch,
) -> DomainResult<milestone::Model> {
    let tx = store.write().await?;
    let before = get_milestone(&*tx, id).await?;
    check_release(&*tx, actor, before.release_id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = patch.name {
        active.name = Set(validate::required("name", &name, 200)?);
    }
    if let Some(date) = patch.planned_date {
        active.planned_date = Set(date);
    }
    if let Some(actual) = patch.actual_at {
        let actual = actual.map(clock::truncate);
        if actual.is_some_and(|at| at > store.now() + chrono::TimeDelta::minutes(5)) {
            return Err(DomainError::validation(
                "actualAt",
                "a milestone cannot be reached in the future",
            ));
        }
        active.actual_at = Set(actual);
    }
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("milestone.update", "Milestone", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete_milestone(store: &Store, actor: &Actor, id: MilestoneId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get_milestone(&*tx, id).await?;
    check_release(&*tx, actor, before.release_id).await?;
    milestone::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("milestone.delete", "Milestone", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Impacts

pub async fn get_impact<C: ConnectionTrait>(
    conn: &C,
    id: ReleaseImpactId,
) -> DomainResult<release_impact::Model> {
    release_impact::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("ReleaseImpact", id))
}

/// Records that a release impacts a system (or changes how), inside an open transaction.
pub async fn upsert_impact(
    tx: &mut WriteTx,
    actor: &Actor,
    release_id: Uuid,
    system_id: Uuid,
    kind: ImpactKind,
    notes: Option<String>,
) -> DomainResult<release_impact::Model> {
    let existing = release_impact::Entity::find()
        .filter(release_impact::Column::ReleaseId.eq(release_id))
        .filter(release_impact::Column::SystemId.eq(system_id))
        .one(&**tx)
        .await?;
    match existing {
        Some(before) => {
            let mut active = before.clone().into_active_model();
            active.kind = Set(kind);
            active.notes = Set(notes);
            let after = active.update(&**tx).await?;
            if after != before {
                tx.record(
                    actor,
                    Change::new("impact.update", "ReleaseImpact", after.id)
                        .in_release(release_id)
                        .before(&before)
                        .after(&after),
                )
                .await?;
            }
            Ok(after)
        }
        None => {
            let model = release_impact::ActiveModel {
                id: Set(new_uuid()),
                release_id: Set(release_id),
                system_id: Set(system_id),
                kind: Set(kind),
                notes: Set(notes),
                created_at: Set(tx.now()),
            }
            .insert(&**tx)
            .await?;
            tx.record(
                actor,
                Change::new("impact.create", "ReleaseImpact", model.id)
                    .in_release(release_id)
                    .after(&model),
            )
            .await?;
            Ok(model)
        }
    }
}

pub async fn set_impact(
    store: &Store,
    actor: &Actor,
    release_id: ReleaseId,
    system_id: SystemId,
    kind: ImpactKind,
    notes: Option<String>,
) -> DomainResult<release_impact::Model> {
    let notes = validate::optional("notes", notes.as_deref(), 2000)?;
    let mut tx = store.write().await?;
    let release = releases::get(&*tx, release_id).await?;
    releases::check_kind_allowed(actor, release.kind)?;
    let system = system::get(&*tx, system_id).await?;
    let model = upsert_impact(&mut tx, actor, release.id, system.id, kind, notes).await?;
    tx.commit().await?;
    Ok(model)
}

pub async fn remove_impact(store: &Store, actor: &Actor, id: ReleaseImpactId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get_impact(&*tx, id).await?;
    check_release(&*tx, actor, before.release_id).await?;
    release_impact::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("impact.delete", "ReleaseImpact", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Dependencies

pub async fn get_dependency<C: ConnectionTrait>(
    conn: &C,
    id: ReleaseDependencyId,
) -> DomainResult<release_dependency::Model> {
    release_dependency::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("ReleaseDependency", id))
}

/// Makes `release_id` wait for `depends_on`; refuses duplicates and cycles.
pub async fn add_dependency(
    store: &Store,
    actor: &Actor,
    release_id: ReleaseId,
    depends_on: ReleaseId,
) -> DomainResult<release_dependency::Model> {
    if release_id == depends_on {
        return Err(DomainError::validation(
            "dependsOnId",
            "a release cannot depend on itself",
        ));
    }
    let tx = store.write().await?;
    let release = releases::get(&*tx, release_id).await?;
    releases::check_kind_allowed(actor, release.kind)?;
    let target = releases::get(&*tx, depends_on).await?;
    let edges: Vec<(Uuid, Uuid)> = release_dependency::Entity::find()
        .select_only()
        .column(release_dependency::Column::ReleaseId)
        .column(release_dependency::Column::DependsOnId)
        .into_tuple()
        .all(&*tx)
        .await?;
    if edges.contains(&(release.id, target.id)) {
        return Err(DomainError::conflict(format!(
            "{} already depends on {}",
            release.key, target.key
        )));
    }
    let mut adjacency: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (from, to) in &edges {
        adjacency.entry(*from).or_default().push(*to);
    }
    if let Some(cycle) = graph::cycle_if_added(release.id, target.id, |n| {
        adjacency.get(&n).cloned().unwrap_or_default()
    }) {
        let keys: HashMap<Uuid, String> = release::Entity::find()
            .filter(release::Column::Id.is_in(cycle.clone()))
            .all(&*tx)
            .await?
            .into_iter()
            .map(|r| (r.id, r.key))
            .collect();
        let path: Vec<String> = cycle
            .iter()
            .map(|id| keys.get(id).cloned().unwrap_or_else(|| id.to_string()))
            .collect();
        return Err(DomainError::validation(
            "dependsOnId",
            format!("this dependency would create a cycle: {}", path.join(" → ")),
        ));
    }
    let model = release_dependency::ActiveModel {
        id: Set(new_uuid()),
        release_id: Set(release.id),
        depends_on_id: Set(target.id),
        created_at: Set(store.now()),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("dependency.create", "ReleaseDependency", model.id)
            .in_release(release.id)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn remove_dependency(
    store: &Store,
    actor: &Actor,
    id: ReleaseDependencyId,
) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get_dependency(&*tx, id).await?;
    check_release(&*tx, actor, before.release_id).await?;
    release_dependency::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("dependency.delete", "ReleaseDependency", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}
