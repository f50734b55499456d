//! Gates at the exit of a phase and their criteria: manual checks, metric thresholds and
//! approvals with a quorum. A gate passes by itself when all its criteria are met; its
//! accountable may waive it with a reason; a release manager may veto (fail) it.

use std::collections::HashSet;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use entity::{
    ApprovalDecision, Comparator, CriterionKind, CriterionState, GateStatus, RaciRole, RaciSubject,
    Role, criterion_result, gate, gate_approval, gate_criterion, phase, release,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::actor::ActorKind;
use crate::domain::governance::audit::Change;
use crate::domain::governance::notify::{self, Notice, kind};
use crate::domain::governance::raci::{self, Subject};
use crate::domain::ids::{CriterionId, GateId, PhaseId, ReleaseId, new_uuid};
use crate::domain::{
    Actor, DomainError, DomainResult, clock, release as releases, release::parts, validate,
};

#[derive(Debug, Clone)]
pub struct NewCriterion {
    pub name: String,
    pub kind: CriterionKind,
    pub metric: Option<String>,
    pub comparator: Option<Comparator>,
    pub threshold: Option<f64>,
    pub unit: Option<String>,
    pub approver_role: Option<Role>,
    pub by_accountable: bool,
    pub quorum: i32,
}

pub struct NewGate {
    pub phase_id: PhaseId,
    pub name: String,
    pub description: Option<String>,
    /// Defaults to the end of the phase's planned last day.
    pub due_at: Option<DateTime<Utc>>,
    pub criteria: Vec<NewCriterion>,
}

/// The end of a day, as a due time.
pub fn end_of(day: chrono::NaiveDate) -> DateTime<Utc> {
    (day + TimeDelta::days(1))
        .and_time(NaiveTime::MIN)
        .and_utc()
}

/// Gates in the given statuses (any when empty), optionally of one release: the soonest due
/// first, those without a due date last. At most `limit`.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    statuses: &[GateStatus],
    release_id: Option<ReleaseId>,
    limit: u64,
) -> DomainResult<Vec<gate::Model>> {
    let mut query = gate::Entity::find();
    if !statuses.is_empty() {
        query = query.filter(gate::Column::Status.is_in(statuses.to_vec()));
    }
    if let Some(release) = release_id {
        query = query.filter(gate::Column::ReleaseId.eq(release.0));
    }
    // NULLs sort first on SQLite and last on PostgreSQL: say where they go.
    Ok(query
        .order_by(
            sea_orm::sea_query::ExprTrait::is_null(sea_orm::sea_query::Expr::col(
                gate::Column::DueAt,
            )),
            sea_orm::Order::Asc,
        )
        .order_by_asc(gate::Column::DueAt)
        .order_by_asc(gate::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: GateId) -> DomainResult<gate::Model> {
    gate::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Gate", id))
}

pub async fn get_criterion<C: ConnectionTrait>(
    conn: &C,
    id: CriterionId,
) -> DomainResult<gate_criterion::Model> {
    gate_criterion::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("GateCriterion", id))
}

pub async fn criteria_of<C: ConnectionTrait>(
    conn: &C,
    gate_id: Uuid,
) -> DomainResult<Vec<gate_criterion::Model>> {
    Ok(gate_criterion::Entity::find()
        .filter(gate_criterion::Column::GateId.eq(gate_id))
        .order_by_asc(gate_criterion::Column::Position)
        .all(conn)
        .await?)
}

pub async fn gates_of_release<C: ConnectionTrait>(
    conn: &C,
    release_id: Uuid,
) -> DomainResult<Vec<gate::Model>> {
    Ok(gate::Entity::find()
        .filter(gate::Column::ReleaseId.eq(release_id))
        .order_by_asc(gate::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// Checks a criterion's definition and returns it normalised.
pub fn check_criterion(field: &str, input: &NewCriterion) -> DomainResult<NewCriterion> {
    let name = validate::required(&format!("{field}.name"), &input.name, 200)?;
    let mut criterion = input.clone();
    criterion.name = name;
    match input.kind {
        CriterionKind::Manual => {}
        CriterionKind::Metric => {
            let metric = input.metric.as_deref().unwrap_or(&criterion.name);
            criterion.metric = Some(validate::required(&format!("{field}.metric"), metric, 200)?);
            if input.comparator.is_none() || input.threshold.is_none() {
                return Err(DomainError::validation(
                    format!("{field}.threshold"),
                    "a metric criterion needs a comparator and a threshold",
                ));
            }
            if input.threshold.is_some_and(|t| !t.is_finite()) {
                return Err(DomainError::validation(
                    format!("{field}.threshold"),
                    "must be a finite number",
                ));
            }
            criterion.unit =
                validate::optional(&format!("{field}.unit"), input.unit.as_deref(), 40)?;
        }
        CriterionKind::Approval => {
            if input.approver_role.is_none() != input.by_accountable {
                return Err(DomainError::validation(
                    format!("{field}.approverRole"),
                    "an approval criterion names either an approver role or the gate's accountable person",
                ));
            }
            if !(1..=20).contains(&input.quorum) {
                return Err(DomainError::validation(
                    format!("{field}.quorum"),
                    "must be between 1 and 20",
                ));
            }
            if input.by_accountable && input.quorum != 1 {
                return Err(DomainError::validation(
                    format!("{field}.quorum"),
                    "the accountable person is one approver",
                ));
            }
        }
    }
    if input.kind != CriterionKind::Approval {
        criterion.quorum = 1;
        criterion.approver_role = None;
        criterion.by_accountable = false;
    }
    Ok(criterion)
}

/// Inserts a checked criterion (inside a transaction).
pub async fn insert_criterion<C: ConnectionTrait>(
    conn: &C,
    gate_id: Uuid,
    position: i32,
    criterion: &NewCriterion,
    now: DateTime<Utc>,
) -> DomainResult<gate_criterion::Model> {
    Ok(gate_criterion::ActiveModel {
        id: Set(new_uuid()),
        gate_id: Set(gate_id),
        position: Set(position),
        name: Set(criterion.name.clone()),
        kind: Set(criterion.kind),
        metric: Set(criterion.metric.clone()),
        comparator: Set(criterion.comparator),
        threshold: Set(criterion.threshold),
        unit: Set(criterion.unit.clone()),
        approver_role: Set(criterion.approver_role),
        by_accountable: Set(criterion.by_accountable),
        quorum: Set(criterion.quorum),
        state: Set(CriterionState::Pending),
        last_value: Set(None),
        updated_at: Set(now),
        created_at: Set(now),
    }
    .insert(conn)
    .await?)
}

/// Inserts a gate with its criteria (inside a transaction) and audits it.
pub async fn insert_gate(
    tx: &mut WriteTx,
    actor: &Actor,
    phase: &phase::Model,
    input: NewGate,
) -> DomainResult<gate::Model> {
    let name = validate::required("name", &input.name, 200)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    let criteria: Vec<NewCriterion> = input
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| check_criterion(&format!("criteria[{i}]"), c))
        .collect::<DomainResult<_>>()?;
    let now = tx.now();
    let model = gate::ActiveModel {
        id: Set(new_uuid()),
        release_id: Set(phase.release_id),
        phase_id: Set(phase.id),
        name: Set(name),
        description: Set(description),
        status: Set(GateStatus::Pending),
        due_at: Set(Some(
            input
                .due_at
                .map(clock::truncate)
                .unwrap_or_else(|| end_of(phase.planned_end)),
        )),
        requested_by: Set(None),
        requested_at: Set(None),
        decided_at: Set(None),
        decided_by_name: Set(None),
        decision_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&**tx)
    .await?;
    for (position, criterion) in criteria.iter().enumerate() {
        insert_criterion(&**tx, model.id, position as i32 + 1, criterion, tx.now()).await?;
    }
    let mut change = Change::new("gate.create", "Gate", model.id).in_release(model.release_id);
    let mut after = serde_json::to_value(&model).unwrap_or_default();
    after["criteria"] = serde_json::json!(criteria.iter().map(|c| &c.name).collect::<Vec<_>>());
    change.after = Some(after);
    tx.record(actor, change).await?;
    Ok(model)
}

async fn release_of_gate<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    gate: &gate::Model,
) -> DomainResult<release::Model> {
    let release = releases::get(conn, ReleaseId(gate.release_id)).await?;
    releases::check_kind_allowed(actor, release.kind)?;
    Ok(release)
}

pub async fn create(store: &Store, actor: &Actor, input: NewGate) -> DomainResult<gate::Model> {
    let mut tx = store.write().await?;
    let phase = parts::get_phase(&*tx, input.phase_id).await?;
    let release = releases::get(&*tx, ReleaseId(phase.release_id)).await?;
    releases::check_kind_allowed(actor, release.kind)?;
    let model = insert_gate(&mut tx, actor, &phase, input).await?;
    tx.commit().await?;
    Ok(model)
}

fn ensure_open(gate: &gate::Model) -> DomainResult<()> {
    if gate.status != GateStatus::Pending {
        return Err(DomainError::invalid_transition(format!(
            "gate \"{}\" is {} and closed; reopen it first",
            gate.name, gate.status
        )));
    }
    Ok(())
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: GateId,
    name: Option<String>,
    description: Option<Option<String>>,
    due_at: Option<Option<DateTime<Utc>>>,
) -> DomainResult<gate::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    release_of_gate(&*tx, actor, &before).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = name {
        model.name = Set(validate::required("name", &name, 200)?);
    }
    if let Some(description) = description {
        model.description = Set(validate::optional(
            "description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(due) = due_at {
        model.due_at = Set(due.map(clock::truncate));
    }
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("gate.update", "Gate", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete(store: &Store, actor: &Actor, id: GateId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    release_of_gate(&*tx, actor, &before).await?;
    gate::Entity::delete_by_id(before.id).exec(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("gate.delete", "Gate", before.id)
            .in_release(before.release_id)
            .before(&before),
    )
    .await?;
    Ok(())
}

pub async fn add_criterion(
    store: &Store,
    actor: &Actor,
    id: GateId,
    input: NewCriterion,
) -> DomainResult<gate_criterion::Model> {
    let criterion = check_criterion("criterion", &input)?;
    let mut tx = store.write().await?;
    let gate = get(&*tx, id).await?;
    release_of_gate(&*tx, actor, &gate).await?;
    ensure_open(&gate)?;
    let position = criteria_of(&*tx, gate.id).await?.len() as i32 + 1;
    let model = insert_criterion(&*tx, gate.id, position, &criterion, tx.now()).await?;
    tx.record(
        actor,
        Change::new("gate.addCriterion", "GateCriterion", model.id)
            .in_release(gate.release_id)
            .after(&model),
    )
    .await?;
    // A new criterion is pending: the gate cannot have passed meanwhile.
    tx.commit().await?;
    Ok(model)
}

pub async fn remove_criterion(store: &Store, actor: &Actor, id: CriterionId) -> DomainResult<()> {
    let mut tx = store.write().await?;
    let criterion = get_criterion(&*tx, id).await?;
    let gate = get(&*tx, GateId(criterion.gate_id)).await?;
    release_of_gate(&*tx, actor, &gate).await?;
    ensure_open(&gate)?;
    gate_criterion::Entity::delete_by_id(criterion.id)
        .exec(&*tx)
        .await?;
    tx.record(
        actor,
        Change::new("gate.removeCriterion", "GateCriterion", criterion.id)
            .in_release(gate.release_id)
            .before(&criterion),
    )
    .await?;
    evaluate(&mut tx, actor, gate.id).await?;
    tx.commit().await?;
    Ok(())
}

fn compare(value: f64, comparator: Comparator, threshold: f64) -> bool {
    match comparator {
        Comparator::Gte => value >= threshold,
        Comparator::Gt => value > threshold,
        Comparator::Lte => value <= threshold,
        Comparator::Lt => value < threshold,
        Comparator::Eq => (value - threshold).abs() < 1e-9,
    }
}

/// What a criterion result says: a value for metrics, a verdict for manual checks.
pub struct NewResult {
    pub criterion_id: CriterionId,
    pub value: Option<f64>,
    pub passed: Option<bool>,
    pub source: String,
    pub link: Option<String>,
    pub note: Option<String>,
}

/// Records a criterion result (from a test manager or a CI/test tool) and re-evaluates the gate.
pub async fn record_result(
    store: &Store,
    actor: &Actor,
    input: NewResult,
) -> DomainResult<(criterion_result::Model, gate::Model)> {
    let source = validate::required("source", &input.source, 200)?;
    let link = validate::url("link", input.link.as_deref())?;
    let note = validate::optional("note", input.note.as_deref(), 10_000)?;
    let mut tx = store.write().await?;
    let criterion = get_criterion(&*tx, input.criterion_id).await?;
    let gate = get(&*tx, GateId(criterion.gate_id)).await?;
    ensure_open(&gate)?;
    let passed = match criterion.kind {
        CriterionKind::Approval => {
            return Err(DomainError::validation(
                "criterionId",
                "approval criteria are met by approvals (decideGateApproval), not results",
            ));
        }
        CriterionKind::Metric => {
            let Some(value) = input.value.filter(|v| v.is_finite()) else {
                return Err(DomainError::validation(
                    "value",
                    "a metric criterion needs a finite value",
                ));
            };
            let (Some(comparator), Some(threshold)) = (criterion.comparator, criterion.threshold)
            else {
                return Err(DomainError::Internal(
                    "metric criterion without a rule".into(),
                ));
            };
            compare(value, comparator, threshold)
        }
        CriterionKind::Manual => input.passed.ok_or_else(|| {
            DomainError::validation("passed", "a manual criterion needs passed: true or false")
        })?,
    };
    let result = criterion_result::ActiveModel {
        id: Set(new_uuid()),
        criterion_id: Set(criterion.id),
        gate_id: Set(gate.id),
        value: Set(input.value),
        passed: Set(passed),
        source: Set(source),
        link: Set(link),
        note: Set(note),
        recorded_by: Set(actor.id),
        recorded_by_name: Set(actor.name.clone()),
        recorded_at: Set(store.now()),
    }
    .insert(&*tx)
    .await?;
    let mut model = criterion.clone().into_active_model();
    model.state = Set(if passed {
        CriterionState::Met
    } else {
        CriterionState::NotMet
    });
    if input.value.is_some() {
        model.last_value = Set(input.value);
    }
    model.updated_at = Set(store.now());
    model.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("gate.recordResult", "GateCriterion", criterion.id)
            .in_release(gate.release_id)
            .after(&result),
    )
    .await?;
    let gate = evaluate(&mut tx, actor, gate.id).await?;
    tx.commit().await?;
    Ok((result, gate))
}

/// Asks for the gate's approvals; whoever asks may not approve.
pub async fn request_approval(
    store: &Store,
    actor: &Actor,
    id: GateId,
) -> DomainResult<gate::Model> {
    let mut tx = store.write().await?;
    let before = get(&*tx, id).await?;
    ensure_open(&before)?;
    let release = releases::get(&*tx, ReleaseId(before.release_id)).await?;
    let mut model = before.clone().into_active_model();
    model.requested_by = Set(actor.user_id());
    model.requested_at = Set(Some(store.now()));
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    tx.record(
        actor,
        Change::new("gate.requestApproval", "Gate", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    let audience = notify::gate_audience(
        &*tx,
        &after,
        &release,
        &[RaciRole::Accountable, RaciRole::Consulted],
    )
    .await?;
    let notice = Notice {
        kind: kind::APPROVAL_REQUESTED,
        title: format!(
            "Approval requested: gate \"{}\" of {}",
            after.name, release.key
        ),
        body: format!(
            "{} asks for the approvals of gate \"{}\" of {}.",
            actor.name, after.name, release.key
        ),
        subject_type: Some("Gate"),
        subject_id: Some(after.id),
        release_id: Some(release.id),
        fact: format!(
            "approval-requested:{}:{}",
            after.id,
            after
                .requested_at
                .map(|t| t.timestamp_micros())
                .unwrap_or_default()
        ),
    };
    notify::send(&mut tx, &audience, &notice).await?;
    tx.commit().await?;
    Ok(after)
}

/// A person approves or rejects an approval criterion.
pub async fn decide(
    store: &Store,
    actor: &Actor,
    id: CriterionId,
    decision: ApprovalDecision,
    comment: Option<String>,
) -> DomainResult<(gate_approval::Model, gate::Model)> {
    let comment = validate::optional("comment", comment.as_deref(), 10_000)?;
    if actor.kind != ActorKind::User {
        return Err(DomainError::forbidden(
            "approvals are given by people, not API tokens",
        ));
    }
    let Some(user) = actor.user_id() else {
        return Err(DomainError::forbidden("approvals are given by people"));
    };
    let mut tx = store.write().await?;
    let criterion = get_criterion(&*tx, id).await?;
    if criterion.kind != CriterionKind::Approval {
        return Err(DomainError::validation(
            "criterionId",
            "only approval criteria are approved; record a result for the others",
        ));
    }
    let gate = get(&*tx, GateId(criterion.gate_id)).await?;
    ensure_open(&gate)?;
    if gate.requested_by == Some(user) {
        return Err(DomainError::forbidden(
            "you asked for this approval and cannot give it yourself",
        ));
    }
    if criterion.by_accountable {
        let accountable = gate_accountable(&*tx, &gate).await?;
        if accountable.and_then(|a| a.user_id) != Some(user) {
            return Err(DomainError::forbidden(
                "only the gate's accountable person can give this approval",
            ));
        }
    } else if let Some(role) = criterion.approver_role
        && !actor.has_role(role)
    {
        return Err(DomainError::forbidden(format!(
            "this approval needs the role {role}"
        )));
    }
    let existing = gate_approval::Entity::find()
        .filter(gate_approval::Column::CriterionId.eq(criterion.id))
        .filter(gate_approval::Column::ApproverId.eq(user))
        .one(&*tx)
        .await?;
    let now = store.now();
    let approval = match existing {
        Some(previous) => {
            let mut model = previous.into_active_model();
            model.decision = Set(decision);
            model.comment = Set(comment);
            model.decided_at = Set(now);
            model.update(&*tx).await?
        }
        None => {
            gate_approval::ActiveModel {
                id: Set(new_uuid()),
                gate_id: Set(gate.id),
                criterion_id: Set(criterion.id),
                approver_id: Set(user),
                approver_name: Set(actor.name.clone()),
                decision: Set(decision),
                comment: Set(comment),
                decided_at: Set(now),
            }
            .insert(&*tx)
            .await?
        }
    };
    let approvals = gate_approval::Entity::find()
        .filter(gate_approval::Column::CriterionId.eq(criterion.id))
        .all(&*tx)
        .await?;
    let approvers: HashSet<Uuid> = approvals
        .iter()
        .filter(|a| a.decision == ApprovalDecision::Approve)
        .map(|a| a.approver_id)
        .collect();
    let rejected = approvals
        .iter()
        .any(|a| a.decision == ApprovalDecision::Reject);
    let state = if rejected {
        CriterionState::NotMet
    } else if approvers.len() as i32 >= criterion.quorum {
        CriterionState::Met
    } else {
        CriterionState::Pending
    };
    let mut model = criterion.clone().into_active_model();
    model.state = Set(state);
    model.updated_at = Set(now);
    model.update(&*tx).await?;
    tx.record(
        actor,
        Change::new(
            if decision == ApprovalDecision::Approve {
                "gate.approve"
            } else {
                "gate.reject"
            },
            "GateCriterion",
            criterion.id,
        )
        .in_release(gate.release_id)
        .after(&approval),
    )
    .await?;
    let gate = evaluate(&mut tx, actor, gate.id).await?;
    tx.commit().await?;
    Ok((approval, gate))
}

/// The gate's accountable (its own, else the release's).
pub async fn gate_accountable<C: ConnectionTrait>(
    conn: &C,
    gate: &gate::Model,
) -> DomainResult<Option<entity::raci_assignment::Model>> {
    match raci::accountable(
        conn,
        Subject {
            kind: RaciSubject::Gate,
            id: gate.id,
        },
    )
    .await?
    {
        Some(a) => Ok(Some(a)),
        None => {
            raci::accountable(
                conn,
                Subject {
                    kind: RaciSubject::Release,
                    id: gate.release_id,
                },
            )
            .await
        }
    }
}

/// Passes an open gate whose criteria are all met (and there is at least one).
async fn evaluate(tx: &mut WriteTx, actor: &Actor, id: Uuid) -> DomainResult<gate::Model> {
    let gate = get(&**tx, GateId(id)).await?;
    if gate.status != GateStatus::Pending {
        return Ok(gate);
    }
    let criteria = criteria_of(&**tx, gate.id).await?;
    if criteria.is_empty() || criteria.iter().any(|c| c.state != CriterionState::Met) {
        return Ok(gate);
    }
    let mut model = gate.clone().into_active_model();
    model.status = Set(GateStatus::Passed);
    model.decided_at = Set(Some(tx.now()));
    model.decided_by_name = Set(Some("all criteria met".into()));
    model.updated_at = Set(tx.now());
    let after = model.update(&**tx).await?;
    tx.record(
        actor,
        Change::new("gate.pass", "Gate", after.id)
            .in_release(after.release_id)
            .before(&gate)
            .after(&after),
    )
    .await?;
    let release = releases::get(&**tx, ReleaseId(after.release_id)).await?;
    let audience = notify::gate_audience(
        &**tx,
        &after,
        &release,
        &[RaciRole::Responsible, RaciRole::Accountable],
    )
    .await?;
    let notice = Notice {
        kind: kind::GATE_PASSED,
        title: format!("Gate \"{}\" of {} passed", after.name, release.key),
        body: format!(
            "Every criterion of gate \"{}\" of {} is met.",
            after.name, release.key
        ),
        subject_type: Some("Gate"),
        subject_id: Some(after.id),
        release_id: Some(release.id),
        fact: format!(
            "gate-passed:{}:{}",
            after.id,
            after
                .decided_at
                .map(|t| t.timestamp_micros())
                .unwrap_or_default()
        ),
    };
    notify::send(tx, &audience, &notice).await?;
    Ok(after)
}

/// Closes a gate as WAIVED (its accountable, with a reason) or FAILED (a release manager's veto).
pub async fn close(
    store: &Store,
    actor: &Actor,
    id: GateId,
    status: GateStatus,
    reason: Option<String>,
) -> DomainResult<gate::Model> {
    let reason = validate::optional("reason", reason.as_deref(), 2000)?.ok_or_else(|| {
        DomainError::validation(
            "reason",
            format!(
                "{} a gate needs a reason",
                if status == GateStatus::Waived {
                    "waiving"
                } else {
                    "vetoing"
                }
            ),
        )
    })?;
    let mut tx = store.write().await?;
    let before = get(&*tx, id).await?;
    ensure_open(&before)?;
    let release = releases::get(&*tx, ReleaseId(before.release_id)).await?;
    let (action, kind_name, verb) = match status {
        GateStatus::Waived => {
            let accountable = gate_accountable(&*tx, &before).await?;
            if actor.user_id().is_none() || accountable.and_then(|a| a.user_id) != actor.user_id() {
                return Err(DomainError::forbidden(
                    "only the gate's accountable person can waive it",
                ));
            }
            ("gate.waive", kind::GATE_WAIVED, "waived")
        }
        GateStatus::Failed => ("gate.veto", kind::GATE_FAILED, "failed"),
        _ => {
            return Err(DomainError::Internal(
                "a gate closes as WAIVED or FAILED".into(),
            ));
        }
    };
    let now = store.now();
    let mut model = before.clone().into_active_model();
    model.status = Set(status);
    model.decided_at = Set(Some(now));
    model.decided_by_name = Set(Some(actor.name.clone()));
    model.decision_reason = Set(Some(reason.clone()));
    model.updated_at = Set(now);
    let after = model.update(&*tx).await?;
    tx.record(
        actor,
        Change::new(action, "Gate", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    let audience = notify::gate_audience(&*tx, &after, &release, RaciRole::all()).await?;
    let notice = Notice {
        kind: kind_name,
        title: format!("Gate \"{}\" of {} was {verb}", after.name, release.key),
        body: format!(
            "{} {verb} gate \"{}\" of {}: {reason}",
            actor.name, after.name, release.key
        ),
        subject_type: Some("Gate"),
        subject_id: Some(after.id),
        release_id: Some(release.id),
        fact: format!("{action}:{}:{}", after.id, now.timestamp_micros()),
    };
    notify::send(&mut tx, &audience, &notice).await?;
    tx.commit().await?;
    Ok(after)
}

/// Reopens a closed gate (a release manager's decision); criteria keep their results.
pub async fn reopen(store: &Store, actor: &Actor, id: GateId) -> DomainResult<gate::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    if before.status == GateStatus::Pending {
        return Err(DomainError::invalid_transition(format!(
            "gate \"{}\" is already open",
            before.name
        )));
    }
    let mut model = before.clone().into_active_model();
    model.status = Set(GateStatus::Pending);
    model.decided_at = Set(None);
    model.decided_by_name = Set(None);
    model.decision_reason = Set(None);
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("gate.reopen", "Gate", after.id)
            .in_release(after.release_id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Unmet criteria of gates that are neither passed nor waived, as "gate: criterion (state)".
pub async fn unmet<C: ConnectionTrait>(
    conn: &C,
    gates: &[gate::Model],
) -> DomainResult<Vec<String>> {
    let mut unmet = Vec::new();
    for gate in gates {
        match gate.status {
            GateStatus::Passed | GateStatus::Waived => continue,
            GateStatus::Failed => unmet.push(format!(
                "{}: failed ({})",
                gate.name,
                gate.decision_reason.clone().unwrap_or_default()
            )),
            GateStatus::Pending => {
                let criteria = criteria_of(conn, gate.id).await?;
                if criteria.is_empty() {
                    unmet.push(format!("{}: has no criteria", gate.name));
                }
                for c in criteria
                    .into_iter()
                    .filter(|c| c.state != CriterionState::Met)
                {
                    unmet.push(format!("{}: {} ({})", gate.name, c.name, c.state));
                }
            }
        }
    }
    Ok(unmet)
}

/// Fails with GATE_BLOCKED when any of `gates` is not passed or waived.
pub async fn ensure_passed<C: ConnectionTrait>(
    conn: &C,
    what: &str,
    gates: &[gate::Model],
) -> DomainResult<()> {
    let unmet = unmet(conn, gates).await?;
    if unmet.is_empty() {
        return Ok(());
    }
    Err(DomainError::GateBlocked {
        message: format!(
            "{what} is blocked by gates that are not passed or waived: {}",
            unmet.join("; ")
        ),
        unmet,
    })
}
