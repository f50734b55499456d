//! Running a plan: rehearsals and the execution, activity by activity. An activity starts
//! only when what it depends on is done or skipped; its owner or an implementation manager
//! moves it; automation reports automated steps with an API token; checkpoints and go/no-go
//! decisions belong to the plan's accountable person.

use std::collections::{HashMap, HashSet};

use entity::{
    ActivityKind, ActivityStatus, Decision, IssueSeverity, PlanMode, RaciRole, RaciSubject,
    ReleaseStatus, Role, RunKind, RunStatus, activity, deployment_plan, plan_run, run_activity,
    run_issue,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::golive::schedule;
use crate::domain::governance::audit::Change;
use crate::domain::governance::notify::{self, Audience, Notice, kind};
use crate::domain::governance::raci::{self, Subject};
use crate::domain::ids::{ActivityId, DeploymentPlanId, ReleaseId, RunIssueId, new_uuid};
use crate::domain::{
    Actor, DomainError, DomainResult, golive::plan as plans, release as releases, validate,
};

/// What someone does to an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    Complete,
    Fail,
    Skip,
    Reset,
    Block,
    Unblock,
}

fn plan_subject(plan: &deployment_plan::Model) -> Subject {
    Subject {
        kind: RaciSubject::DeploymentPlan,
        id: plan.id,
    }
}

async fn current_run<C: ConnectionTrait>(
    conn: &C,
    plan: &deployment_plan::Model,
) -> DomainResult<plan_run::Model> {
    let Some(run_id) = plan.current_run_id else {
        return Err(DomainError::invalid_transition(format!(
            "plan \"{}\" has no run in progress; start a rehearsal or the execution",
            plan.name
        )));
    };
    plan_run::Entity::find_by_id(run_id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("PlanRun", run_id))
}

async fn run_rows<C: ConnectionTrait>(
    conn: &C,
    run_id: Uuid,
) -> DomainResult<Vec<run_activity::Model>> {
    Ok(run_activity::Entity::find()
        .filter(run_activity::Column::RunId.eq(run_id))
        .all(conn)
        .await?)
}

/// Starts a rehearsal or the execution of an approved plan.
pub async fn start(
    store: &Store,
    actor: &Actor,
    plan_id: DeploymentPlanId,
    kind: RunKind,
) -> DomainResult<plan_run::Model> {
    let mut tx = store.write().await?;
    let plan = plans::get(&*tx, plan_id).await?;
    if plan.mode != PlanMode::Approved {
        return Err(DomainError::invalid_transition(format!(
            "plan \"{}\" is {}; runs start from an APPROVED plan",
            plan.name, plan.mode
        )));
    }
    let release = releases::get(&*tx, ReleaseId(plan.release_id)).await?;
    if kind == RunKind::Execution && release.status != ReleaseStatus::GoLive {
        return Err(DomainError::invalid_transition(format!(
            "release {} is {}; move it to GO_LIVE (its gates passed) before executing the plan",
            release.key, release.status
        )));
    }
    let now = store.now();
    let deadline = match kind {
        RunKind::Execution => plan.window_end,
        RunKind::Rehearsal => now + (plan.window_end - plan.window_start),
    };
    let run = plan_run::ActiveModel {
        id: Set(new_uuid()),
        plan_id: Set(plan.id),
        kind: Set(kind),
        status: Set(RunStatus::Running),
        started_at: Set(now),
        finished_at: Set(None),
        started_by_name: Set(actor.name.clone()),
        deadline: Set(deadline),
        created_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    let steps = plans::steps(&*tx, plan.id).await?;
    let ready = schedule::readiness(&steps);
    let rows: Vec<run_activity::ActiveModel> = steps
        .iter()
        .map(|s| run_activity::ActiveModel {
            id: Set(new_uuid()),
            run_id: Set(run.id),
            activity_id: Set(s.id),
            plan_id: Set(plan.id),
            status: Set(ready.get(&s.id).copied().unwrap_or(ActivityStatus::Pending)),
            started_at: Set(None),
            finished_at: Set(None),
            decision: Set(None),
            decided_by_name: Set(None),
            updated_by_name: Set(None),
            note: Set(None),
            updated_at: Set(now),
        })
        .collect();
    if !rows.is_empty() {
        run_activity::Entity::insert_many(rows).exec(&*tx).await?;
    }
    let mode = if kind == RunKind::Execution {
        PlanMode::Executing
    } else {
        PlanMode::Rehearsal
    };
    let mut model = plan.clone().into_active_model();
    model.mode = Set(mode);
    model.current_run_id = Set(Some(run.id));
    model.updated_at = Set(now);
    let after = model.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("run.start", "PlanRun", run.id)
            .in_plan(&plan)
            .after(&run),
    )
    .await?;
    tx.record(
        actor,
        Change::new("plan.mode", "DeploymentPlan", plan.id)
            .in_plan(&plan)
            .before(&plan)
            .after(&after),
    )
    .await?;
    ask_for_decisions(&mut tx, &after, &run, &HashMap::new()).await?;
    tx.commit().await?;
    Ok(run)
}

/// GO_NO_GO_REQUESTED for go/no-go activities that just became ready.
async fn ask_for_decisions(
    tx: &mut WriteTx,
    plan: &deployment_plan::Model,
    run: &plan_run::Model,
    before: &HashMap<Uuid, ActivityStatus>,
) -> DomainResult<()> {
    let rows = run_rows(&**tx, run.id).await?;
    let activities: HashMap<Uuid, activity::Model> = plans::activities_of(&**tx, plan.id)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    for row in rows.iter().filter(|r| {
        r.status == ActivityStatus::Ready
            && before.get(&r.activity_id) != Some(&ActivityStatus::Ready)
    }) {
        let Some(activity) = activities.get(&row.activity_id) else {
            continue;
        };
        if activity.kind != ActivityKind::GoNoGo {
            continue;
        }
        let audience = notify::raci_audience(
            &**tx,
            plan_subject(plan),
            &[RaciRole::Accountable, RaciRole::Consulted],
        )
        .await?;
        let notice = Notice {
            kind: kind::GO_NO_GO_REQUESTED,
            title: format!("Go/no-go requested: {}", activity.title),
            body: format!(
                "\"{}\" of plan \"{}\" is ready for your decision.",
                activity.title, plan.name
            ),
            subject_type: Some("Activity"),
            subject_id: Some(activity.id),
            release_id: Some(plan.release_id),
            fact: format!("go-no-go:{}:{}", run.id, activity.id),
        };
        notify::send(tx, &audience, &notice).await?;
    }
    Ok(())
}

/// Who may move an activity: its owner, an implementation manager or an admin (API tokens
/// of automation hold the implementation manager role).
fn ensure_may_operate(actor: &Actor, activity: &activity::Model) -> DomainResult<()> {
    if actor.has_any(&[Role::ImplementationManager, Role::Admin]) {
        return Ok(());
    }
    if activity.owner_id.is_some() && activity.owner_id == actor.user_id() {
        return Ok(());
    }
    Err(DomainError::forbidden(format!(
        "only the owner of \"{}\" or an implementation manager moves it",
        activity.title
    )))
}

/// Recomputes which activities are ready; returns the statuses before.
async fn refresh_readiness(
    tx: &WriteTx,
    plan_id: Uuid,
    run_id: Uuid,
) -> DomainResult<HashMap<Uuid, ActivityStatus>> {
    let rows = run_rows(&**tx, run_id).await?;
    let before: HashMap<Uuid, ActivityStatus> =
        rows.iter().map(|r| (r.activity_id, r.status)).collect();
    let mut steps = plans::steps(&**tx, plan_id).await?;
    for step in &mut steps {
        if let Some(status) = before.get(&step.id) {
            step.status = *status;
        }
    }
    let wanted = schedule::readiness(&steps);
    for row in rows {
        if let Some(new) = wanted.get(&row.activity_id)
            && *new != row.status
        {
            let mut model = row.into_active_model();
            model.status = Set(*new);
            model.updated_at = Set(tx.now());
            model.update(&**tx).await?;
        }
    }
    Ok(before)
}

/// Finishes the run when every activity is done or skipped.
async fn finish_if_complete(
    tx: &mut WriteTx,
    actor: &Actor,
    plan: &deployment_plan::Model,
    run: &plan_run::Model,
) -> DomainResult<bool> {
    let rows = run_rows(&**tx, run.id).await?;
    if rows.is_empty()
        || !rows
            .iter()
            .all(|r| matches!(r.status, ActivityStatus::Done | ActivityStatus::Skipped))
    {
        return Ok(false);
    }
    close_run(tx, actor, plan, run, RunStatus::Completed, None).await?;
    Ok(true)
}

async fn close_run(
    tx: &mut WriteTx,
    actor: &Actor,
    plan: &deployment_plan::Model,
    run: &plan_run::Model,
    status: RunStatus,
    reason: Option<String>,
) -> DomainResult<()> {
    let now = tx.now();
    let mut model = run.clone().into_active_model();
    model.status = Set(status);
    model.finished_at = Set(Some(now));
    let after = model.update(&**tx).await?;
    let mode = match (run.kind, status) {
        (RunKind::Rehearsal, _) => PlanMode::Approved,
        (RunKind::Execution, RunStatus::Completed) => PlanMode::Completed,
        (RunKind::Execution, _) => PlanMode::Aborted,
    };
    let mut plan_model = plan.clone().into_active_model();
    plan_model.mode = Set(mode);
    plan_model.current_run_id = Set(None);
    plan_model.updated_at = Set(now);
    let plan_after = plan_model.update(&**tx).await?;
    let action = if status == RunStatus::Completed {
        "run.complete"
    } else {
        "run.abort"
    };
    let mut change = Change::new(action, "PlanRun", run.id)
        .in_plan(plan)
        .before(run)
        .after(&after);
    if let (Some(reason), Some(serde_json::Value::Object(map))) = (reason, change.after.as_mut()) {
        map.insert("reason".into(), serde_json::Value::String(reason));
    }
    tx.record(actor, change).await?;
    tx.record(
        actor,
        Change::new("plan.mode", "DeploymentPlan", plan.id)
            .in_plan(plan)
            .before(plan)
            .after(&plan_after),
    )
    .await?;
    Ok(())
}

async fn load(
    tx: &WriteTx,
    activity_id: ActivityId,
) -> DomainResult<(
    activity::Model,
    deployment_plan::Model,
    plan_run::Model,
    run_activity::Model,
)> {
    let activity = plans::get_activity(&**tx, activity_id).await?;
    let plan = plans::get(&**tx, DeploymentPlanId(activity.plan_id)).await?;
    let run = current_run(&**tx, &plan).await?;
    let row = run_activity::Entity::find()
        .filter(run_activity::Column::RunId.eq(run.id))
        .filter(run_activity::Column::ActivityId.eq(activity.id))
        .one(&**tx)
        .await?
        .ok_or_else(|| {
            DomainError::invalid_transition(format!(
                "\"{}\" was added after this run started",
                activity.title
            ))
        })?;
    Ok((activity, plan, run, row))
}

fn refuse(activity: &activity::Model, status: ActivityStatus, action: Action) -> DomainError {
    DomainError::invalid_transition(format!(
        "\"{}\" is {status}; it cannot be {}",
        activity.title,
        match action {
            Action::Start => "started",
            Action::Complete => "completed",
            Action::Fail => "failed",
            Action::Skip => "skipped",
            Action::Reset => "reset",
            Action::Block => "blocked",
            Action::Unblock => "unblocked",
        }
    ))
}

/// Moves an activity of the plan's current run.
pub async fn act(
    store: &Store,
    actor: &Actor,
    activity_id: ActivityId,
    action: Action,
    note: Option<String>,
) -> DomainResult<run_activity::Model> {
    let note = validate::optional("note", note.as_deref(), 2000)?;
    let mut tx = store.write().await?;
    let (activity, plan, run, row) = load(&tx, activity_id).await?;
    ensure_may_operate(actor, &activity)?;
    let decided_kind = matches!(
        activity.kind,
        ActivityKind::Checkpoint | ActivityKind::GoNoGo
    );
    if decided_kind && matches!(action, Action::Start | Action::Complete | Action::Fail) {
        return Err(DomainError::invalid_transition(format!(
            "\"{}\" is a {}; its accountable decides it (decideActivity)",
            activity.title, activity.kind
        )));
    }
    if matches!(action, Action::Fail | Action::Skip | Action::Block) && note.is_none() {
        return Err(DomainError::validation("note", "say why"));
    }
    let now = store.now();
    let status = row.status;
    let (new_status, started, finished) = match (action, status) {
        (Action::Start, ActivityStatus::Ready) => (ActivityStatus::InProgress, Some(now), None),
        (Action::Start, ActivityStatus::Pending) => {
            let steps = plans::steps(&*tx, plan.id).await?;
            let rows: HashMap<Uuid, ActivityStatus> = run_rows(&*tx, run.id)
                .await?
                .into_iter()
                .map(|r| (r.activity_id, r.status))
                .collect();
            let titles: HashMap<Uuid, String> = plans::activities_of(&*tx, plan.id)
                .await?
                .into_iter()
                .map(|a| (a.id, a.title))
                .collect();
            let waiting: Vec<String> = steps
                .iter()
                .find(|s| s.id == activity.id)
                .map(|s| s.depends_on.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|d| {
                    !matches!(
                        rows.get(d),
                        Some(ActivityStatus::Done | ActivityStatus::Skipped)
                    )
                })
                .map(|d| {
                    format!(
                        "{} ({})",
                        titles.get(&d).cloned().unwrap_or_default(),
                        rows.get(&d).copied().unwrap_or(ActivityStatus::Pending)
                    )
                })
                .collect();
            return Err(DomainError::invalid_transition(format!(
                "\"{}\" waits for: {}",
                activity.title,
                waiting.join(", ")
            )));
        }
        (Action::Complete, ActivityStatus::InProgress) => {
            (ActivityStatus::Done, row.started_at, Some(now))
        }
        (Action::Fail, ActivityStatus::InProgress) => {
            (ActivityStatus::Failed, row.started_at, Some(now))
        }
        (
            Action::Skip,
            ActivityStatus::Pending
            | ActivityStatus::Ready
            | ActivityStatus::Failed
            | ActivityStatus::Blocked,
        ) => (ActivityStatus::Skipped, row.started_at, Some(now)),
        (
            Action::Reset,
            ActivityStatus::Done
            | ActivityStatus::Failed
            | ActivityStatus::Skipped
            | ActivityStatus::InProgress,
        ) => {
            // Nothing that builds on it may have started.
            let dependents: Vec<Uuid> = plans::dependencies_of(&*tx, plan.id)
                .await?
                .into_iter()
                .filter(|d| d.depends_on_id == activity.id)
                .map(|d| d.activity_id)
                .collect();
            let started: Vec<String> = run_rows(&*tx, run.id)
                .await?
                .into_iter()
                .filter(|r| {
                    dependents.contains(&r.activity_id)
                        && matches!(r.status, ActivityStatus::InProgress | ActivityStatus::Done)
                })
                .map(|r| r.activity_id.to_string())
                .collect();
            if !started.is_empty() {
                return Err(DomainError::invalid_transition(format!(
                    "\"{}\" cannot be reset: activities that depend on it have started",
                    activity.title
                )));
            }
            (ActivityStatus::Pending, None, None)
        }
        (
            Action::Block,
            ActivityStatus::Ready | ActivityStatus::InProgress | ActivityStatus::Pending,
        ) => (ActivityStatus::Blocked, row.started_at, None),
        (Action::Unblock, ActivityStatus::Blocked) => (
            if row.started_at.is_some() {
                ActivityStatus::InProgress
            } else {
                ActivityStatus::Pending
            },
            row.started_at,
            None,
        ),
        (action, status) => return Err(refuse(&activity, status, action)),
    };
    let mut model = row.clone().into_active_model();
    model.status = Set(new_status);
    model.started_at = Set(started);
    model.finished_at = Set(finished);
    model.updated_by_name = Set(Some(actor.name.clone()));
    if note.is_some() || action == Action::Reset {
        model.note = Set(note.clone());
    }
    if action == Action::Reset {
        model.decision = Set(None);
        model.decided_by_name = Set(None);
    }
    model.updated_at = Set(now);
    let after = model.update(&*tx).await?;
    let verb = match action {
        Action::Start => "activity.start",
        Action::Complete => "activity.complete",
        Action::Fail => "activity.fail",
        Action::Skip => "activity.skip",
        Action::Reset => "activity.reset",
        Action::Block => "activity.block",
        Action::Unblock => "activity.unblock",
    };
    tx.record(
        actor,
        Change::new(verb, "Activity", activity.id)
            .in_plan(&plan)
            .before(&row)
            .after(&after),
    )
    .await?;
    if action == Action::Block {
        notify_blocked(
            &mut tx,
            &plan,
            &activity,
            note.as_deref().unwrap_or_default(),
        )
        .await?;
    }
    let before = refresh_readiness(&tx, plan.id, run.id).await?;
    ask_for_decisions(&mut tx, &plan, &run, &before).await?;
    finish_if_complete(&mut tx, actor, &plan, &run).await?;
    let after = run_activity::Entity::find_by_id(after.id)
        .one(&*tx)
        .await?
        .unwrap_or(after);
    tx.commit().await?;
    Ok(after)
}

async fn notify_blocked(
    tx: &mut WriteTx,
    plan: &deployment_plan::Model,
    activity: &activity::Model,
    why: &str,
) -> DomainResult<()> {
    let mut audience = notify::raci_audience(
        &**tx,
        plan_subject(plan),
        &[RaciRole::Accountable, RaciRole::Responsible],
    )
    .await?;
    let on_activity = notify::raci_audience(
        &**tx,
        Subject {
            kind: RaciSubject::Activity,
            id: activity.id,
        },
        &[RaciRole::Accountable, RaciRole::Responsible],
    )
    .await?;
    let mut users = on_activity.users;
    users.extend(activity.owner_id);
    for user in users {
        if !audience.users.contains(&user) {
            audience.users.push(user);
        }
    }
    let notice = Notice {
        kind: kind::ACTIVITY_BLOCKED,
        title: format!("Blocked: {}", activity.title),
        body: format!(
            "\"{}\" of plan \"{}\" is blocked: {why}",
            activity.title, plan.name
        ),
        subject_type: Some("Activity"),
        subject_id: Some(activity.id),
        release_id: Some(plan.release_id),
        fact: format!(
            "activity-blocked:{}:{}",
            activity.id,
            tx.now().timestamp_micros()
        ),
    };
    notify::send(tx, &audience, &notice).await?;
    Ok(())
}

/// The plan's accountable person decides a checkpoint or go/no-go: GO marks it done, NO_GO
/// marks it failed (with a reason).
pub async fn decide(
    store: &Store,
    actor: &Actor,
    activity_id: ActivityId,
    decision: Decision,
    note: Option<String>,
) -> DomainResult<run_activity::Model> {
    let note = validate::optional("note", note.as_deref(), 2000)?;
    if decision == Decision::NoGo && note.is_none() {
        return Err(DomainError::validation("note", "a no-go needs a reason"));
    }
    let mut tx = store.write().await?;
    let (activity, plan, run, row) = load(&tx, activity_id).await?;
    if !matches!(
        activity.kind,
        ActivityKind::Checkpoint | ActivityKind::GoNoGo
    ) {
        return Err(DomainError::validation(
            "activityId",
            format!(
                "\"{}\" is {}; only checkpoints and go/no-go activities are decided",
                activity.title, activity.kind
            ),
        ));
    }
    let accountable = raci::accountable(&*tx, plan_subject(&plan)).await?;
    if actor.user_id().is_none() || accountable.as_ref().and_then(|a| a.user_id) != actor.user_id()
    {
        return Err(DomainError::forbidden(match accountable {
            None => "the plan has no accountable person to decide it".to_owned(),
            Some(_) => {
                "only the plan's accountable person decides checkpoints and go/no-go".to_owned()
            }
        }));
    }
    if !matches!(
        row.status,
        ActivityStatus::Ready | ActivityStatus::InProgress
    ) {
        return Err(refuse(&activity, row.status, Action::Complete));
    }
    let now = store.now();
    let mut model = row.clone().into_active_model();
    model.status = Set(if decision == Decision::Go {
        ActivityStatus::Done
    } else {
        ActivityStatus::Failed
    });
    model.started_at = Set(row.started_at.or(Some(now)));
    model.finished_at = Set(Some(now));
    model.decision = Set(Some(decision));
    model.decided_by_name = Set(Some(actor.name.clone()));
    model.updated_by_name = Set(Some(actor.name.clone()));
    model.note = Set(note);
    model.updated_at = Set(now);
    let after = model.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("activity.decide", "Activity", activity.id)
            .in_plan(&plan)
            .before(&row)
            .after(&after),
    )
    .await?;
    let before = refresh_readiness(&tx, plan.id, run.id).await?;
    ask_for_decisions(&mut tx, &plan, &run, &before).await?;
    finish_if_complete(&mut tx, actor, &plan, &run).await?;
    tx.commit().await?;
    Ok(after)
}

/// Stops the current run (a reason is required). A rehearsal returns the plan to APPROVED; an
/// aborted execution leaves it ABORTED.
pub async fn abort(
    store: &Store,
    actor: &Actor,
    plan_id: DeploymentPlanId,
    reason: Option<String>,
) -> DomainResult<deployment_plan::Model> {
    let reason = validate::optional("reason", reason.as_deref(), 2000)?
        .ok_or_else(|| DomainError::validation("reason", "say why the run stops"))?;
    let mut tx = store.write().await?;
    let plan = plans::get(&*tx, plan_id).await?;
    let run = current_run(&*tx, &plan).await?;
    close_run(
        &mut tx,
        actor,
        &plan,
        &run,
        RunStatus::Aborted,
        Some(reason),
    )
    .await?;
    let after = plans::get(&*tx, plan_id).await?;
    tx.commit().await?;
    Ok(after)
}

pub struct NewIssue {
    pub plan_id: DeploymentPlanId,
    pub activity_id: Option<ActivityId>,
    pub title: String,
    pub description: Option<String>,
    pub severity: IssueSeverity,
}

/// Logs an issue against the current run (and an activity).
pub async fn raise_issue(
    store: &Store,
    actor: &Actor,
    input: NewIssue,
) -> DomainResult<run_issue::Model> {
    let title = validate::required("title", &input.title, 300)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    let tx = store.write().await?;
    let plan = plans::get(&*tx, input.plan_id).await?;
    let run = current_run(&*tx, &plan).await?;
    if let Some(activity) = input.activity_id {
        let found = plans::get_activity(&*tx, activity).await?;
        if found.plan_id != plan.id {
            return Err(DomainError::validation(
                "activityId",
                "the activity is not part of this plan",
            ));
        }
    }
    let model = run_issue::ActiveModel {
        id: Set(new_uuid()),
        run_id: Set(run.id),
        plan_id: Set(plan.id),
        activity_id: Set(input.activity_id.map(|a| a.0)),
        title: Set(title),
        description: Set(description),
        severity: Set(input.severity),
        resolved: Set(false),
        raised_by_name: Set(actor.name.clone()),
        raised_at: Set(store.now()),
        resolved_at: Set(None),
        resolution: Set(None),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("issue.raise", "RunIssue", model.id)
            .in_plan(&plan)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn resolve_issue(
    store: &Store,
    actor: &Actor,
    id: RunIssueId,
    resolution: Option<String>,
) -> DomainResult<run_issue::Model> {
    let resolution = validate::optional("resolution", resolution.as_deref(), 10_000)?;
    let tx = store.write().await?;
    let before = run_issue::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or_else(|| DomainError::not_found("RunIssue", id))?;
    if before.resolved {
        return Err(DomainError::invalid_transition(
            "the issue is already resolved",
        ));
    }
    let plan = plans::get(&*tx, DeploymentPlanId(before.plan_id)).await?;
    let mut model = before.clone().into_active_model();
    model.resolved = Set(true);
    model.resolved_at = Set(Some(store.now()));
    model.resolution = Set(resolution);
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("issue.resolve", "RunIssue", after.id)
            .in_plan(&plan)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Activities of running runs that have been in progress longer than planned, for the
/// overdue rule. A fixed number of statements, however many runs are live.
pub async fn overdue_activities<C: ConnectionTrait>(
    conn: &C,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Vec<(run_activity::Model, activity::Model, deployment_plan::Model)>> {
    let running = run_activity::Entity::find()
        .filter(run_activity::Column::Status.eq(ActivityStatus::InProgress))
        .filter(run_activity::Column::StartedAt.is_not_null())
        .all(conn)
        .await?;
    if running.is_empty() {
        return Ok(Vec::new());
    }
    let live_runs: HashSet<Uuid> = plan_run::Entity::find()
        .filter(plan_run::Column::Id.is_in(distinct(running.iter().map(|r| r.run_id))))
        .filter(plan_run::Column::Status.eq(RunStatus::Running))
        .all(conn)
        .await?
        .into_iter()
        .map(|run| run.id)
        .collect();
    let activities: HashMap<Uuid, activity::Model> = activity::Entity::find()
        .filter(activity::Column::Id.is_in(distinct(running.iter().map(|r| r.activity_id))))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let late: Vec<(run_activity::Model, activity::Model)> = running
        .into_iter()
        .filter(|row| live_runs.contains(&row.run_id))
        .filter_map(|row| {
            let activity = activities.get(&row.activity_id)?.clone();
            let planned = chrono::TimeDelta::minutes(i64::from(activity.planned_duration_minutes));
            let started = row.started_at?;
            (started + planned < now).then_some((row, activity))
        })
        .collect();
    if late.is_empty() {
        return Ok(Vec::new());
    }
    let plans: HashMap<Uuid, deployment_plan::Model> = deployment_plan::Entity::find()
        .filter(deployment_plan::Column::Id.is_in(distinct(late.iter().map(|(r, _)| r.plan_id))))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(late
        .into_iter()
        .filter_map(|(row, activity)| {
            let plan = plans.get(&row.plan_id)?.clone();
            Some((row, activity, plan))
        })
        .collect())
}

fn distinct(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let set: HashSet<Uuid> = ids.collect();
    set.into_iter().collect()
}

/// Everyone to chase about an overdue activity: its owner and the plan's accountable.
pub async fn overdue_audience<C: ConnectionTrait>(
    conn: &C,
    plan: &deployment_plan::Model,
    activity: &activity::Model,
) -> DomainResult<Audience> {
    let mut audience =
        notify::raci_audience(conn, plan_subject(plan), &[RaciRole::Accountable]).await?;
    if let Some(owner) = activity.owner_id
        && !audience.users.contains(&owner)
    {
        audience.users.push(owner);
    }
    if let Some(team) = &activity.owner_team {
        audience.teams.push(team.clone());
    }
    Ok(audience)
}
