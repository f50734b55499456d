//! Deployment plans (runbooks): activities grouped in sets, with owners, planned offsets and
//! durations, and dependencies forming a DAG. A plan is edited in DRAFT only; approving it
//! freezes it for rehearsals and the execution.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use entity::{
    ActivityKind, PlanMode, activity, activity_dependency, activity_set, app_user, deployment_plan,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::golive::schedule::{self, Step};
use crate::domain::governance::audit::Change;
use crate::domain::ids::{
    ActivityId, ActivitySetId, DeploymentPlanId, ReleaseId, UserId, new_uuid,
};
use crate::domain::{
    Actor, DomainError, DomainResult, clock, release as releases, release::graph, validate,
};

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: DeploymentPlanId,
) -> DomainResult<deployment_plan::Model> {
    deployment_plan::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("DeploymentPlan", id))
}

pub async fn get_activity<C: ConnectionTrait>(
    conn: &C,
    id: ActivityId,
) -> DomainResult<activity::Model> {
    activity::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Activity", id))
}

pub async fn activities_of<C: ConnectionTrait>(
    conn: &C,
    plan_id: Uuid,
) -> DomainResult<Vec<activity::Model>> {
    Ok(activity::Entity::find()
        .filter(activity::Column::PlanId.eq(plan_id))
        .order_by_asc(activity::Column::Position)
        .all(conn)
        .await?)
}

pub async fn dependencies_of<C: ConnectionTrait>(
    conn: &C,
    plan_id: Uuid,
) -> DomainResult<Vec<activity_dependency::Model>> {
    Ok(activity_dependency::Entity::find()
        .filter(activity_dependency::Column::PlanId.eq(plan_id))
        .all(conn)
        .await?)
}

pub async fn plans_of_release<C: ConnectionTrait>(
    conn: &C,
    release_id: Uuid,
) -> DomainResult<Vec<deployment_plan::Model>> {
    Ok(deployment_plan::Entity::find()
        .filter(deployment_plan::Column::ReleaseId.eq(release_id))
        .order_by_asc(deployment_plan::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// The plan's activities as schedule steps (no run: every step pending).
pub async fn steps<C: ConnectionTrait>(conn: &C, plan_id: Uuid) -> DomainResult<Vec<Step>> {
    let activities = activities_of(conn, plan_id).await?;
    let mut depends: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for d in dependencies_of(conn, plan_id).await? {
        depends
            .entry(d.activity_id)
            .or_default()
            .push(d.depends_on_id);
    }
    Ok(activities
        .into_iter()
        .map(|a| Step {
            id: a.id,
            offset: i64::from(a.planned_offset_minutes),
            duration: i64::from(a.planned_duration_minutes),
            depends_on: depends.remove(&a.id).unwrap_or_default(),
            status: entity::ActivityStatus::Pending,
            started_at: None,
            finished_at: None,
        })
        .collect())
}

fn ensure_draft(plan: &deployment_plan::Model) -> DomainResult<()> {
    if plan.mode != PlanMode::Draft {
        return Err(DomainError::invalid_transition(format!(
            "plan \"{}\" is {}; reopen it (reopenDeploymentPlan) before editing",
            plan.name, plan.mode
        )));
    }
    Ok(())
}

fn check_window(start: DateTime<Utc>, end: DateTime<Utc>) -> DomainResult<()> {
    if end <= start {
        return Err(DomainError::validation(
            "windowEnd",
            "the change window must end after it starts",
        ));
    }
    Ok(())
}

async fn plan_for_edit(tx: &WriteTx, id: DeploymentPlanId) -> DomainResult<deployment_plan::Model> {
    let plan = get(&**tx, id).await?;
    ensure_draft(&plan)?;
    Ok(plan)
}

pub struct NewPlan {
    pub release_id: ReleaseId,
    pub name: String,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
}

/// Where a change window opens unless someone says otherwise: 20:00 UTC on the go-live day,
/// after the business day.
pub fn default_window_start(go_live: NaiveDate) -> DateTime<Utc> {
    go_live
        .and_time(NaiveTime::from_hms_opt(20, 0, 0).unwrap_or_default())
        .and_utc()
}

/// Plans in the given modes (any when empty), optionally of one release, by window start.
/// At most `limit`.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    modes: &[PlanMode],
    release_id: Option<ReleaseId>,
    limit: u64,
) -> DomainResult<Vec<deployment_plan::Model>> {
    let mut query = deployment_plan::Entity::find();
    if !modes.is_empty() {
        query = query.filter(deployment_plan::Column::Mode.is_in(modes.to_vec()));
    }
    if let Some(release) = release_id {
        query = query.filter(deployment_plan::Column::ReleaseId.eq(release.0));
    }
    Ok(query
        .order_by_asc(deployment_plan::Column::WindowStart)
        .order_by_asc(deployment_plan::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewPlan,
) -> DomainResult<deployment_plan::Model> {
    let mut tx = store.write().await?;
    let release = releases::get(&*tx, input.release_id).await?;
    let model = insert_plan(
        &mut tx,
        actor,
        &release,
        &input.name,
        input.window_start,
        input.window_end,
    )
    .await?;
    tx.commit().await?;
    Ok(model)
}

/// A new DRAFT plan of `release`, inside the caller's transaction (also used by templates).
pub async fn insert_plan(
    tx: &mut WriteTx,
    actor: &Actor,
    release: &entity::release::Model,
    name: &str,
    window_start: DateTime<Utc>,
    window_end: DateTime<Utc>,
) -> DomainResult<deployment_plan::Model> {
    let name = validate::required("name", name, 200)?;
    check_window(window_start, window_end)?;
    let now = tx.now();
    let model = deployment_plan::ActiveModel {
        id: Set(new_uuid()),
        release_id: Set(release.id),
        name: Set(name),
        mode: Set(PlanMode::Draft),
        window_start: Set(clock::truncate(window_start)),
        window_end: Set(clock::truncate(window_end)),
        approved_by_name: Set(None),
        approved_at: Set(None),
        current_run_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
    .await?;
    tx.record(
        actor,
        Change::new("plan.create", "DeploymentPlan", model.id)
            .in_plan(&model)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: DeploymentPlanId,
    name: Option<String>,
    window_start: Option<DateTime<Utc>>,
    window_end: Option<DateTime<Utc>>,
) -> DomainResult<deployment_plan::Model> {
    let tx = store.write().await?;
    let before = plan_for_edit(&tx, id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = name {
        model.name = Set(validate::required("name", &name, 200)?);
    }
    let start = window_start
        .map(clock::truncate)
        .unwrap_or(before.window_start);
    let end = window_end.map(clock::truncate).unwrap_or(before.window_end);
    check_window(start, end)?;
    model.window_start = Set(start);
    model.window_end = Set(end);
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("plan.update", "DeploymentPlan", after.id)
            .in_plan(&after)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete(store: &Store, actor: &Actor, id: DeploymentPlanId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = plan_for_edit(&tx, id).await?;
    deployment_plan::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("plan.delete", "DeploymentPlan", before.id)
            .in_plan(&before)
            .before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Activity sets

async fn set_for_edit(
    tx: &WriteTx,
    id: ActivitySetId,
) -> DomainResult<(activity_set::Model, deployment_plan::Model)> {
    let set = activity_set::Entity::find_by_id(id.0)
        .one(&**tx)
        .await?
        .ok_or_else(|| DomainError::not_found("ActivitySet", id))?;
    let plan = plan_for_edit(tx, DeploymentPlanId(set.plan_id)).await?;
    Ok((set, plan))
}

/// Renames an activity set of a plan that can still be edited.
pub async fn rename_set(
    store: &Store,
    actor: &Actor,
    id: ActivitySetId,
    name: &str,
) -> DomainResult<activity_set::Model> {
    let name = validate::required("name", name, 200)?;
    let tx = store.write().await?;
    let (before, plan) = set_for_edit(&tx, id).await?;
    let mut model = before.clone().into_active_model();
    model.name = Set(name);
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("plan.renameSet", "ActivitySet", after.id)
            .in_plan(&plan)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Removes an activity set; its activities stay in the plan, outside any set.
pub async fn delete_set(store: &Store, actor: &Actor, id: ActivitySetId) -> DomainResult<()> {
    let tx = store.write().await?;
    let (before, plan) = set_for_edit(&tx, id).await?;
    activity::Entity::update_many()
        .col_expr(
            activity::Column::SetId,
            sea_orm::sea_query::Expr::value(Option::<Uuid>::None),
        )
        .filter(activity::Column::SetId.eq(before.id))
        .exec(&*tx)
        .await?;
    activity_set::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("plan.deleteSet", "ActivitySet", before.id)
            .in_plan(&plan)
            .before(&before),
    )
    .await?;
    Ok(())
}

pub async fn add_set(
    store: &Store,
    actor: &Actor,
    plan_id: DeploymentPlanId,
    name: &str,
) -> DomainResult<activity_set::Model> {
    let name = validate::required("name", name, 200)?;
    let tx = store.write().await?;
    let plan = plan_for_edit(&tx, plan_id).await?;
    let position = activity_set::Entity::find()
        .filter(activity_set::Column::PlanId.eq(plan.id))
        .all(&*tx)
        .await?
        .len() as i32
        + 1;
    let model = activity_set::ActiveModel {
        id: Set(new_uuid()),
        plan_id: Set(plan.id),
        name: Set(name),
        position: Set(position),
        created_at: Set(store.now()),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("plan.addSet", "ActivitySet", model.id)
            .in_plan(&plan)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn sets_of<C: ConnectionTrait>(
    conn: &C,
    plan_id: Uuid,
) -> DomainResult<Vec<activity_set::Model>> {
    Ok(activity_set::Entity::find()
        .filter(activity_set::Column::PlanId.eq(plan_id))
        .order_by_asc(activity_set::Column::Position)
        .all(conn)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Activities

#[derive(Debug, Clone)]
pub struct NewActivity {
    pub plan_id: DeploymentPlanId,
    pub set_id: Option<ActivitySetId>,
    pub title: String,
    pub description: Option<String>,
    pub kind: ActivityKind,
    pub owner_id: Option<UserId>,
    pub owner_team: Option<String>,
    pub planned_offset_minutes: i32,
    pub planned_duration_minutes: i32,
    pub depends_on: Vec<ActivityId>,
}

#[derive(Default)]
pub struct ActivityPatch {
    pub set_id: Option<Option<ActivitySetId>>,
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub kind: Option<ActivityKind>,
    pub owner_id: Option<Option<UserId>>,
    pub owner_team: Option<Option<String>>,
    pub planned_offset_minutes: Option<i32>,
    pub planned_duration_minutes: Option<i32>,
    /// The complete list of what it depends on.
    pub depends_on: Option<Vec<ActivityId>>,
}

fn check_minutes(field: &str, value: i32) -> DomainResult<i32> {
    if !(0..=14 * 24 * 60).contains(&value) {
        return Err(DomainError::validation(
            field,
            "must be between 0 and 20160 minutes (14 days)",
        ));
    }
    Ok(value)
}

async fn check_refs<C: ConnectionTrait>(
    conn: &C,
    plan_id: Uuid,
    set: Option<ActivitySetId>,
    owner: Option<UserId>,
) -> DomainResult<()> {
    if let Some(set) = set {
        let found = activity_set::Entity::find_by_id(set.0).one(conn).await?;
        if found.is_none_or(|s| s.plan_id != plan_id) {
            return Err(DomainError::validation(
                "setId",
                format!("activity set {set} is not part of this plan"),
            ));
        }
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

/// Replaces an activity's dependencies, refusing unknown activities, other plans' and cycles.
async fn set_dependencies<C: ConnectionTrait>(
    conn: &C,
    plan_id: Uuid,
    activity_id: Uuid,
    depends_on: &[ActivityId],
) -> DomainResult<()> {
    let activities: HashMap<Uuid, activity::Model> = activities_of(conn, plan_id)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut edges: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for d in dependencies_of(conn, plan_id).await? {
        if d.activity_id != activity_id {
            edges
                .entry(d.activity_id)
                .or_default()
                .push(d.depends_on_id);
        }
    }
    let mut wanted = Vec::new();
    for dependency in depends_on {
        if !activities.contains_key(&dependency.0) {
            return Err(DomainError::validation(
                "dependsOn",
                format!("activity {dependency} is not part of this plan"),
            ));
        }
        if dependency.0 == activity_id {
            return Err(DomainError::validation(
                "dependsOn",
                "an activity cannot depend on itself",
            ));
        }
        if !wanted.contains(&dependency.0) {
            wanted.push(dependency.0);
        }
    }
    for dependency in &wanted {
        if let Some(cycle) = graph::cycle_if_added(activity_id, *dependency, |n| {
            edges.get(&n).cloned().unwrap_or_default()
        }) {
            let titles: Vec<String> = cycle
                .iter()
                .map(|id| {
                    activities
                        .get(id)
                        .map(|a| a.title.clone())
                        .unwrap_or_default()
                })
                .collect();
            return Err(DomainError::validation(
                "dependsOn",
                format!("this would create a cycle: {}", titles.join(" → ")),
            ));
        }
        edges.entry(activity_id).or_default().push(*dependency);
    }
    activity_dependency::Entity::delete_many()
        .filter(activity_dependency::Column::ActivityId.eq(activity_id))
        .exec(conn)
        .await?;
    if !wanted.is_empty() {
        activity_dependency::Entity::insert_many(wanted.iter().map(|d| {
            activity_dependency::ActiveModel {
                activity_id: Set(activity_id),
                depends_on_id: Set(*d),
                plan_id: Set(plan_id),
            }
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Inserts an activity inside a transaction (plans and templates).
pub async fn insert_activity(
    tx: &mut WriteTx,
    actor: &Actor,
    plan: &deployment_plan::Model,
    input: NewActivity,
) -> DomainResult<activity::Model> {
    let title = validate::required("title", &input.title, 200)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    let owner_team = validate::optional("ownerTeam", input.owner_team.as_deref(), 200)?;
    let offset = check_minutes("plannedOffsetMinutes", input.planned_offset_minutes)?;
    let duration = check_minutes("plannedDurationMinutes", input.planned_duration_minutes)?;
    check_refs(&**tx, plan.id, input.set_id, input.owner_id).await?;
    let position = activities_of(&**tx, plan.id).await?.len() as i32 + 1;
    let now = tx.now();
    let model = activity::ActiveModel {
        id: Set(new_uuid()),
        plan_id: Set(plan.id),
        set_id: Set(input.set_id.map(|s| s.0)),
        title: Set(title),
        description: Set(description),
        kind: Set(input.kind),
        owner_id: Set(input.owner_id.map(|o| o.0)),
        owner_team: Set(owner_team),
        planned_offset_minutes: Set(offset),
        planned_duration_minutes: Set(duration),
        position: Set(position),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
    .await?;
    set_dependencies(&**tx, plan.id, model.id, &input.depends_on).await?;
    let mut change = Change::new("activity.create", "Activity", model.id).in_plan(plan);
    let mut after = serde_json::to_value(&model).unwrap_or_default();
    after["dependsOn"] =
        serde_json::json!(input.depends_on.iter().map(|d| d.0).collect::<Vec<_>>());
    change.after = Some(after);
    tx.record(actor, change).await?;
    Ok(model)
}

pub async fn add_activity(
    store: &Store,
    actor: &Actor,
    input: NewActivity,
) -> DomainResult<activity::Model> {
    let mut tx = store.write().await?;
    let plan = plan_for_edit(&tx, input.plan_id).await?;
    let model = insert_activity(&mut tx, actor, &plan, input).await?;
    tx.commit().await?;
    Ok(model)
}

pub async fn update_activity(
    store: &Store,
    actor: &Actor,
    id: ActivityId,
    patch: ActivityPatch,
) -> DomainResult<activity::Model> {
    let tx = store.write().await?;
    let before = get_activity(&*tx, id).await?;
    let plan = plan_for_edit(&tx, DeploymentPlanId(before.plan_id)).await?;
    let mut model = before.clone().into_active_model();
    if let Some(title) = patch.title {
        model.title = Set(validate::required("title", &title, 200)?);
    }
    if let Some(description) = patch.description {
        model.description = Set(validate::optional(
            "description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(kind) = patch.kind {
        model.kind = Set(kind);
    }
    if let Some(set) = patch.set_id {
        check_refs(&*tx, plan.id, set, None).await?;
        model.set_id = Set(set.map(|s| s.0));
    }
    if let Some(owner) = patch.owner_id {
        check_refs(&*tx, plan.id, None, owner).await?;
        model.owner_id = Set(owner.map(|o| o.0));
    }
    if let Some(team) = patch.owner_team {
        model.owner_team = Set(validate::optional("ownerTeam", team.as_deref(), 200)?);
    }
    if let Some(offset) = patch.planned_offset_minutes {
        model.planned_offset_minutes = Set(check_minutes("plannedOffsetMinutes", offset)?);
    }
    if let Some(duration) = patch.planned_duration_minutes {
        model.planned_duration_minutes = Set(check_minutes("plannedDurationMinutes", duration)?);
    }
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    if let Some(depends_on) = patch.depends_on {
        set_dependencies(&*tx, plan.id, after.id, &depends_on).await?;
    }
    tx.commit_change(
        actor,
        Change::new("activity.update", "Activity", after.id)
            .in_plan(&plan)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete_activity(store: &Store, actor: &Actor, id: ActivityId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get_activity(&*tx, id).await?;
    let plan = plan_for_edit(&tx, DeploymentPlanId(before.plan_id)).await?;
    activity::Entity::delete_by_id(before.id).exec(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("activity.delete", "Activity", before.id)
            .in_plan(&plan)
            .before(&before),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Modes

async fn set_mode(
    tx: &mut WriteTx,
    actor: &Actor,
    plan: &deployment_plan::Model,
    mode: PlanMode,
    action: &str,
    approved: bool,
) -> DomainResult<deployment_plan::Model> {
    let mut model = plan.clone().into_active_model();
    model.mode = Set(mode);
    if approved {
        model.approved_by_name = Set(Some(actor.name.clone()));
        model.approved_at = Set(Some(tx.now()));
    } else if mode == PlanMode::Draft {
        model.approved_by_name = Set(None);
        model.approved_at = Set(None);
    }
    model.updated_at = Set(tx.now());
    let after = model.update(&**tx).await?;
    tx.record(
        actor,
        Change::new(action, "DeploymentPlan", after.id)
            .in_plan(&after)
            .before(plan)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// DRAFT → APPROVED: the plan has activities and its dependencies have no cycle.
pub async fn approve(
    store: &Store,
    actor: &Actor,
    id: DeploymentPlanId,
) -> DomainResult<deployment_plan::Model> {
    let mut tx = store.write().await?;
    let plan = get(&*tx, id).await?;
    if plan.mode != PlanMode::Draft {
        return Err(DomainError::invalid_transition(format!(
            "plan \"{}\" is {}; only a DRAFT plan is approved",
            plan.name, plan.mode
        )));
    }
    let steps = steps(&*tx, plan.id).await?;
    if steps.is_empty() {
        return Err(DomainError::validation(
            "id",
            "a plan needs at least one activity before it is approved",
        ));
    }
    if schedule::topological(&steps).is_none() {
        return Err(DomainError::validation(
            "id",
            "the plan's dependencies form a cycle",
        ));
    }
    let after = set_mode(
        &mut tx,
        actor,
        &plan,
        PlanMode::Approved,
        "plan.approve",
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// APPROVED → DRAFT, to edit again.
pub async fn reopen(
    store: &Store,
    actor: &Actor,
    id: DeploymentPlanId,
) -> DomainResult<deployment_plan::Model> {
    let mut tx = store.write().await?;
    let plan = get(&*tx, id).await?;
    if plan.mode != PlanMode::Approved {
        return Err(DomainError::invalid_transition(format!(
            "plan \"{}\" is {}; only an APPROVED plan is reopened",
            plan.name, plan.mode
        )));
    }
    let after = set_mode(&mut tx, actor, &plan, PlanMode::Draft, "plan.reopen", false).await?;
    tx.commit().await?;
    Ok(after)
}

/// For runs: a plan mode change inside their transaction.
pub async fn change_mode(
    tx: &mut WriteTx,
    actor: &Actor,
    plan: &deployment_plan::Model,
    mode: PlanMode,
    action: &str,
) -> DomainResult<deployment_plan::Model> {
    set_mode(tx, actor, plan, mode, action, false).await
}
