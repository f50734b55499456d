//! The live state of a deployment plan: every activity with its status, planned and projected
//! times, the run's progress, critical path, projected finish and whether it is at risk.

use std::collections::HashMap;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use entity::{ActivityStatus, deployment_plan, plan_run, run_activity, run_issue};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::golive::schedule;
use crate::domain::ids::DeploymentPlanId;
use crate::domain::{DomainResult, golive::plan as plans};

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityState {
    pub activity: entity::activity::Model,
    /// Display name of the owner, so live screens need no lookups.
    pub owner_name: Option<String>,
    pub depends_on: Vec<Uuid>,
    /// Status in the run (PENDING when there is none).
    pub status: ActivityStatus,
    pub run_activity: Option<run_activity::Model>,
    pub planned_start: DateTime<Utc>,
    pub planned_finish: DateTime<Utc>,
    pub projected_start: DateTime<Utc>,
    pub projected_finish: DateTime<Utc>,
    pub critical: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoLiveState {
    pub plan: deployment_plan::Model,
    pub run: Option<plan_run::Model>,
    pub activities: Vec<ActivityState>,
    pub issues: Vec<run_issue::Model>,
    /// 0 to 1, weighted by planned duration.
    pub progress: f64,
    pub planned_finish: DateTime<Utc>,
    pub projected_finish: DateTime<Utc>,
    /// When the run has to be finished: the window end (execution) or the planned length
    /// after its start (rehearsal).
    pub deadline: DateTime<Utc>,
    pub at_risk: bool,
    pub critical_path: Vec<Uuid>,
}

impl GoLiveState {
    pub fn count(&self, status: ActivityStatus) -> usize {
        self.activities
            .iter()
            .filter(|a| a.status == status)
            .count()
    }
}

/// The run a state describes: the one in progress, else the latest.
pub async fn latest_run<C: ConnectionTrait>(
    conn: &C,
    plan: &deployment_plan::Model,
) -> DomainResult<Option<plan_run::Model>> {
    if let Some(current) = plan.current_run_id {
        return Ok(plan_run::Entity::find_by_id(current).one(conn).await?);
    }
    Ok(plan_run::Entity::find()
        .filter(plan_run::Column::PlanId.eq(plan.id))
        .order_by_desc(plan_run::Column::StartedAt)
        .one(conn)
        .await?)
}

/// Computes the state of a plan (with a run, or the plan alone) at `now`.
pub async fn compute<C: ConnectionTrait>(
    conn: &C,
    plan_id: DeploymentPlanId,
    now: DateTime<Utc>,
) -> DomainResult<GoLiveState> {
    let plan = plans::get(conn, plan_id).await?;
    let run = latest_run(conn, &plan).await?;
    compute_for(conn, plan, run, now).await
}

pub async fn compute_for<C: ConnectionTrait>(
    conn: &C,
    plan: deployment_plan::Model,
    run: Option<plan_run::Model>,
    now: DateTime<Utc>,
) -> DomainResult<GoLiveState> {
    // Plans are in minutes: projecting to the minute keeps the state still between changes
    // (recomputing it a moment later gives the same answer, so no empty updates go out).
    let now = now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now);
    let activities = plans::activities_of(conn, plan.id).await?;
    let mut planned_steps = plans::steps(conn, plan.id).await?;
    let (run_rows, issues) = match &run {
        Some(run) => (
            run_activity::Entity::find()
                .filter(run_activity::Column::RunId.eq(run.id))
                .all(conn)
                .await?,
            run_issue::Entity::find()
                .filter(run_issue::Column::RunId.eq(run.id))
                .order_by_asc(run_issue::Column::RaisedAt)
                .all(conn)
                .await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let by_activity: HashMap<Uuid, run_activity::Model> =
        run_rows.into_iter().map(|r| (r.activity_id, r)).collect();
    let owner_ids: Vec<Uuid> = activities.iter().filter_map(|a| a.owner_id).collect();
    let owners: HashMap<Uuid, String> = if owner_ids.is_empty() {
        HashMap::new()
    } else {
        entity::app_user::Entity::find()
            .filter(entity::app_user::Column::Id.is_in(owner_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    // Rehearsals keep the plan's shape from their own start.
    let base = match &run {
        Some(run) if run.kind == entity::RunKind::Rehearsal => run.started_at,
        _ => plan.window_start,
    };
    let planned = schedule::project(&planned_steps, base, base);
    let mut live_steps = planned_steps.clone();
    for step in &mut live_steps {
        if let Some(row) = by_activity.get(&step.id) {
            step.status = row.status;
            step.started_at = row.started_at;
            step.finished_at = row.finished_at;
        }
    }
    let running = run
        .as_ref()
        .is_some_and(|r| r.status == entity::RunStatus::Running);
    let clock = if running {
        now.max(base)
    } else {
        run.as_ref().and_then(|r| r.finished_at).unwrap_or(base)
    };
    let projected = schedule::project(&live_steps, base, if run.is_some() { clock } else { base });
    let critical: Vec<Uuid> = projected
        .as_ref()
        .map(|p| p.critical_path.clone())
        .unwrap_or_default();
    let progress = schedule::progress(&live_steps);
    let planned_finish = planned.as_ref().map(|p| p.finish).unwrap_or(base);
    let projected_finish = projected
        .as_ref()
        .map(|p| p.finish)
        .unwrap_or(planned_finish);
    let deadline = match &run {
        Some(run) => run.deadline,
        None => plan.window_end,
    };
    let mut depends: HashMap<Uuid, Vec<Uuid>> = planned_steps
        .drain(..)
        .map(|s| (s.id, s.depends_on))
        .collect();
    let states = activities
        .into_iter()
        .map(|activity| {
            let row = by_activity.get(&activity.id).cloned();
            let (planned_start, planned_finish) = planned
                .as_ref()
                .and_then(|p| p.times.get(&activity.id).copied())
                .unwrap_or((base, base));
            let (projected_start, projected_finish) = projected
                .as_ref()
                .and_then(|p| p.times.get(&activity.id).copied())
                .unwrap_or((planned_start, planned_finish));
            ActivityState {
                owner_name: activity.owner_id.and_then(|o| owners.get(&o).cloned()),
                depends_on: depends.remove(&activity.id).unwrap_or_default(),
                status: row
                    .as_ref()
                    .map(|r| r.status)
                    .unwrap_or(ActivityStatus::Pending),
                run_activity: row,
                planned_start,
                planned_finish,
                projected_start,
                projected_finish,
                critical: critical.contains(&activity.id),
                activity,
            }
        })
        .collect();
    Ok(GoLiveState {
        at_risk: running && projected_finish > deadline,
        plan,
        run,
        activities: states,
        issues,
        progress,
        planned_finish,
        projected_finish,
        deadline,
        critical_path: critical,
    })
}

/// Planned against actual, per activity, for a finished (or running) run.
#[derive(Debug, Clone)]
pub struct ActivityReport {
    pub activity_id: Uuid,
    pub title: String,
    pub planned_start: DateTime<Utc>,
    pub planned_minutes: i64,
    pub actual_start: Option<DateTime<Utc>>,
    pub actual_finish: Option<DateTime<Utc>>,
    pub actual_minutes: Option<i64>,
    /// Actual minus planned duration.
    pub delta_minutes: Option<i64>,
    /// How late (or early, negative) it started against the plan.
    pub start_delay_minutes: Option<i64>,
    pub status: ActivityStatus,
}

pub fn report(state: &GoLiveState) -> Vec<ActivityReport> {
    state
        .activities
        .iter()
        .map(|a| {
            let planned_minutes = i64::from(a.activity.planned_duration_minutes);
            let started = a.run_activity.as_ref().and_then(|r| r.started_at);
            let finished = a.run_activity.as_ref().and_then(|r| r.finished_at);
            let actual_minutes = started.zip(finished).map(|(s, f)| (f - s).num_minutes());
            ActivityReport {
                activity_id: a.activity.id,
                title: a.activity.title.clone(),
                planned_start: a.planned_start,
                planned_minutes,
                actual_start: started,
                actual_finish: finished,
                actual_minutes,
                delta_minutes: actual_minutes.map(|m| m - planned_minutes),
                start_delay_minutes: started.map(|s| (s - a.planned_start).num_minutes()),
                status: a.status,
            }
        })
        .collect()
}
