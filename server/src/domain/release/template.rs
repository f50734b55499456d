//! Release templates: phases with offsets and durations, milestones, gates with criteria,
//! RACI roles and a deployment-plan skeleton. A release created from a template gets real
//! dates from its start day.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, TimeDelta};
use entity::{
    ActivityKind, Comparator, CriterionKind, RaciRole, RaciSubject, ReleaseKind, ReleaseStatus,
    RiskLevel, Role, milestone, phase, raci_assignment, release, release_template,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use crate::db::{Store, WriteTx};
use crate::domain::golive::plan::{self as plans, NewActivity};
use crate::domain::governance::audit::Change;
use crate::domain::governance::gate::{self as gates, NewCriterion, NewGate};
use crate::domain::ids::{
    ActivityId, DeploymentPlanId, ReleaseId, ReleaseTemplateId, TypedId, UserId, new_uuid,
};
use crate::domain::{
    Actor, DomainError, DomainResult, booking::blackout, release as releases, release::progress,
    validate,
};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplatePhase {
    pub name: String,
    /// Days from the release start to the phase start.
    pub offset_days: i32,
    /// Length in days (the start day counts).
    pub duration_days: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateMilestone {
    pub name: String,
    pub offset_days: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateCriterion {
    pub name: String,
    pub kind: CriterionKind,
    pub metric: Option<String>,
    pub comparator: Option<Comparator>,
    pub threshold: Option<f64>,
    pub unit: Option<String>,
    pub approver_role: Option<Role>,
    #[serde(default)]
    pub by_accountable: bool,
    #[serde(default = "one")]
    pub quorum: i32,
}

fn one() -> i32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateGate {
    /// The phase the gate closes, by name.
    pub phase: String,
    pub name: String,
    pub description: Option<String>,
    pub criteria: Vec<TemplateCriterion>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateRaci {
    /// A gate of the template by name; the release itself when absent.
    pub gate: Option<String>,
    pub user_email: Option<String>,
    pub team: Option<String>,
    pub role: RaciRole,
}

/// A step of the deployment-plan skeleton (instantiated by deployment plans).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TemplateActivity {
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub offset_minutes: i32,
    pub duration_minutes: i32,
    #[serde(default)]
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct TemplateDefinition {
    pub phases: Vec<TemplatePhase>,
    #[serde(default)]
    pub milestones: Vec<TemplateMilestone>,
    #[serde(default)]
    pub gates: Vec<TemplateGate>,
    #[serde(default)]
    pub raci: Vec<TemplateRaci>,
    #[serde(default)]
    pub plan: Vec<TemplateActivity>,
}

impl TemplateCriterion {
    fn to_new(&self) -> NewCriterion {
        NewCriterion {
            name: self.name.clone(),
            kind: self.kind,
            metric: self.metric.clone(),
            comparator: self.comparator,
            threshold: self.threshold,
            unit: self.unit.clone(),
            approver_role: self.approver_role,
            by_accountable: self.by_accountable,
            quorum: self.quorum,
        }
    }
}

/// Checks a definition as a whole: names, offsets, references between its parts.
pub async fn check_definition<C: ConnectionTrait>(
    conn: &C,
    definition: &TemplateDefinition,
) -> DomainResult<()> {
    if definition.phases.is_empty() {
        return Err(DomainError::validation(
            "phases",
            "a template has at least one phase",
        ));
    }
    let mut phase_names = HashSet::new();
    for (i, phase) in definition.phases.iter().enumerate() {
        let name = validate::required(&format!("phases[{i}].name"), &phase.name, 200)?;
        if !phase_names.insert(name) {
            return Err(DomainError::validation(
                format!("phases[{i}].name"),
                format!("phase {} appears twice", phase.name),
            ));
        }
        if phase.offset_days < 0 || phase.offset_days > 3650 {
            return Err(DomainError::validation(
                format!("phases[{i}].offsetDays"),
                "must be between 0 and 3650",
            ));
        }
        if phase.duration_days < 1 || phase.duration_days > 3650 {
            return Err(DomainError::validation(
                format!("phases[{i}].durationDays"),
                "must be between 1 and 3650",
            ));
        }
    }
    for (i, m) in definition.milestones.iter().enumerate() {
        validate::required(&format!("milestones[{i}].name"), &m.name, 200)?;
        if m.offset_days < 0 || m.offset_days > 3650 {
            return Err(DomainError::validation(
                format!("milestones[{i}].offsetDays"),
                "must be between 0 and 3650",
            ));
        }
    }
    let mut gate_names = HashSet::new();
    for (i, gate) in definition.gates.iter().enumerate() {
        validate::required(&format!("gates[{i}].name"), &gate.name, 200)?;
        if !phase_names.contains(gate.phase.trim()) {
            return Err(DomainError::validation(
                format!("gates[{i}].phase"),
                format!("there is no phase {}", gate.phase),
            ));
        }
        if !gate_names.insert(gate.name.trim().to_owned()) {
            return Err(DomainError::validation(
                format!("gates[{i}].name"),
                format!("gate {} appears twice", gate.name),
            ));
        }
        for (j, criterion) in gate.criteria.iter().enumerate() {
            gates::check_criterion(&format!("gates[{i}].criteria[{j}]"), &criterion.to_new())?;
        }
    }
    let mut accountable = HashSet::new();
    for (i, entry) in definition.raci.iter().enumerate() {
        if entry.user_email.is_some() == entry.team.is_some() {
            return Err(DomainError::validation(
                format!("raci[{i}]"),
                "name either a user (userEmail) or a team",
            ));
        }
        if let Some(gate) = &entry.gate
            && !gate_names.contains(gate.trim())
        {
            return Err(DomainError::validation(
                format!("raci[{i}].gate"),
                format!("there is no gate {gate}"),
            ));
        }
        if let Some(email) = &entry.user_email
            && crate::domain::identity::users::find_by_email(conn, email)
                .await?
                .is_none()
        {
            return Err(DomainError::validation(
                format!("raci[{i}].userEmail"),
                format!("there is no user {email}"),
            ));
        }
        if entry.role == RaciRole::Accountable && !accountable.insert(entry.gate.clone()) {
            return Err(DomainError::validation(
                format!("raci[{i}].role"),
                "exactly one accountable per subject",
            ));
        }
    }
    let titles: HashSet<&str> = definition.plan.iter().map(|a| a.title.as_str()).collect();
    for (i, activity) in definition.plan.iter().enumerate() {
        validate::required(&format!("plan[{i}].title"), &activity.title, 200)?;
        if ActivityKind::parse(&activity.kind).is_none() {
            return Err(DomainError::validation(
                format!("plan[{i}].kind"),
                format!(
                    "{} is not an activity kind (MANUAL, AUTOMATED, CHECKPOINT, GO_NO_GO)",
                    activity.kind
                ),
            ));
        }
        if activity.duration_minutes < 0 {
            return Err(DomainError::validation(
                format!("plan[{i}].durationMinutes"),
                "must not be negative",
            ));
        }
        for dependency in &activity.depends_on {
            if !titles.contains(dependency.as_str()) {
                return Err(DomainError::validation(
                    format!("plan[{i}].dependsOn"),
                    format!("there is no activity {dependency}"),
                ));
            }
        }
    }
    Ok(())
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: ReleaseTemplateId,
) -> DomainResult<release_template::Model> {
    release_template::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("ReleaseTemplate", id))
}

pub async fn list<C: ConnectionTrait>(conn: &C) -> DomainResult<Vec<release_template::Model>> {
    Ok(release_template::Entity::find()
        .order_by_asc(release_template::Column::Name)
        .all(conn)
        .await?)
}

pub fn definition(model: &release_template::Model) -> DomainResult<TemplateDefinition> {
    serde_json::from_value(model.definition.clone()).map_err(|e| {
        DomainError::Internal(format!("stored template {} is unreadable: {e}", model.id))
    })
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    name: &str,
    description: Option<&str>,
    definition: TemplateDefinition,
) -> DomainResult<release_template::Model> {
    let name = validate::required("name", name, 200)?;
    let description = validate::optional("description", description, 10_000)?;
    let tx = store.write().await?;
    check_definition(&*tx, &definition).await?;
    if let Some(existing) = release_template::Entity::find()
        .filter(release_template::Column::Name.eq(name.clone()))
        .one(&*tx)
        .await?
    {
        return Err(DomainError::Conflict {
            message: format!("a template named {name} already exists"),
            conflicting: vec![ReleaseTemplateId(existing.id).encode()],
        });
    }
    let now = store.now();
    let model = release_template::ActiveModel {
        id: Set(new_uuid()),
        name: Set(name),
        description: Set(description),
        definition: Set(
            serde_json::to_value(&definition).map_err(|e| DomainError::Internal(e.to_string()))?
        ),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("template.create", "ReleaseTemplate", model.id).after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: ReleaseTemplateId,
    name: Option<&str>,
    description: Option<Option<&str>>,
    definition: Option<TemplateDefinition>,
) -> DomainResult<release_template::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(name) = name {
        model.name = Set(validate::required("name", name, 200)?);
    }
    if let Some(description) = description {
        model.description = Set(validate::optional("description", description, 10_000)?);
    }
    if let Some(definition) = definition {
        check_definition(&*tx, &definition).await?;
        model.definition =
            Set(serde_json::to_value(&definition)
                .map_err(|e| DomainError::Internal(e.to_string()))?);
    }
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("template.update", "ReleaseTemplate", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete(store: &Store, actor: &Actor, id: ReleaseTemplateId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    release_template::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("template.delete", "ReleaseTemplate", before.id).before(&before),
    )
    .await?;
    Ok(())
}

/// What a new release from a template needs besides the template.
pub struct FromTemplate {
    pub template_id: ReleaseTemplateId,
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: ReleaseKind,
    pub risk: RiskLevel,
    pub parent_id: Option<ReleaseId>,
    pub owner_id: Option<UserId>,
    pub start: NaiveDate,
    /// Move phases (and what follows them) past blackout periods.
    pub skip_blackouts: bool,
}

/// Days (inclusive ranges) on which nothing may be scheduled.
pub type Blocked = Vec<(NaiveDate, NaiveDate)>;

/// Lays the template's phases out from `start`; with `blocked` periods, each phase that
/// would overlap one starts after it, and everything after moves by the same amount.
pub fn lay_out(
    definition: &TemplateDefinition,
    start: NaiveDate,
    blocked: &Blocked,
) -> (Vec<(NaiveDate, NaiveDate)>, i64) {
    let mut shift = 0i64;
    let mut phases = Vec::new();
    for phase in &definition.phases {
        let mut from = start + TimeDelta::days(i64::from(phase.offset_days) + shift);
        let length = i64::from(phase.duration_days) - 1;
        loop {
            let to = from + TimeDelta::days(length);
            match blocked
                .iter()
                .find(|(b_from, b_to)| *b_from <= to && from <= *b_to)
            {
                Some((_, b_to)) => {
                    let moved = (*b_to - from).num_days() + 1;
                    shift += moved;
                    from += TimeDelta::days(moved);
                }
                None => break,
            }
        }
        phases.push((from, from + TimeDelta::days(length)));
    }
    (phases, shift)
}

/// Creates a release with its phases, milestones, gates, RACI and deployment plan from a
/// template, in one transaction; phases move past org-wide blackouts when asked.
pub async fn instantiate(
    store: &Store,
    actor: &Actor,
    input: FromTemplate,
) -> DomainResult<release::Model> {
    let mut tx = store.write().await?;
    let template = get(&*tx, input.template_id).await?;
    let definition = definition(&template)?;
    check_definition(&*tx, &definition).await?;
    let blocked = if input.skip_blackouts {
        blackout::org_wide_days(&*tx, input.start).await?
    } else {
        Vec::new()
    };
    let (dates, shift) = lay_out(&definition, input.start, &blocked);
    let go_live = dates.iter().map(|(_, to)| *to).max().unwrap_or(input.start);
    let release = releases::insert(
        &mut tx,
        actor,
        releases::NewRelease {
            key: input.key,
            name: input.name,
            description: input.description,
            kind: input.kind,
            risk: input.risk,
            parent_id: input.parent_id,
            owner_id: input.owner_id,
            planned_start: input.start,
            planned_go_live: go_live,
        },
        Some(&template.name),
    )
    .await?;
    let now = store.now();
    let mut phase_ids: HashMap<String, phase::Model> = HashMap::new();
    for (position, (phase, (from, to))) in definition.phases.iter().zip(&dates).enumerate() {
        let model = phase::ActiveModel {
            id: Set(new_uuid()),
            release_id: Set(release.id),
            name: Set(phase.name.trim().to_owned()),
            position: Set(position as i32 + 1),
            planned_start: Set(*from),
            planned_end: Set(*to),
            actual_start: Set(None),
            actual_end: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&*tx)
        .await?;
        tx.record(
            actor,
            Change::new("phase.create", "Phase", model.id)
                .in_release(release.id)
                .after(&model),
        )
        .await?;
        phase_ids.insert(phase.name.trim().to_owned(), model);
    }
    for m in &definition.milestones {
        let model = milestone::ActiveModel {
            id: Set(new_uuid()),
            release_id: Set(release.id),
            name: Set(m.name.trim().to_owned()),
            planned_date: Set(input.start + TimeDelta::days(i64::from(m.offset_days) + shift)),
            actual_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&*tx)
        .await?;
        tx.record(
            actor,
            Change::new("milestone.create", "Milestone", model.id)
                .in_release(release.id)
                .after(&model),
        )
        .await?;
    }
    let mut gate_ids = HashMap::new();
    for gate in &definition.gates {
        let Some(phase) = phase_ids.get(gate.phase.trim()) else {
            continue;
        };
        let model = gates::insert_gate(
            &mut tx,
            actor,
            phase,
            NewGate {
                phase_id: crate::domain::ids::PhaseId(phase.id),
                name: gate.name.clone(),
                description: gate.description.clone(),
                due_at: None,
                criteria: gate
                    .criteria
                    .iter()
                    .map(TemplateCriterion::to_new)
                    .collect(),
            },
        )
        .await?;
        gate_ids.insert(gate.name.trim().to_owned(), model.id);
    }
    for entry in &definition.raci {
        let (kind, subject_id) = match &entry.gate {
            Some(name) => match gate_ids.get(name.trim()) {
                Some(id) => (RaciSubject::Gate, *id),
                None => continue,
            },
            None => (RaciSubject::Release, release.id),
        };
        let user_id = match &entry.user_email {
            Some(email) => {
                match crate::domain::identity::users::find_by_email(&*tx, email).await? {
                    Some(user) if user.active => Some(user.id),
                    _ => {
                        return Err(DomainError::validation(
                            "templateId",
                            format!("the template names {email}, who is not an active user"),
                        ));
                    }
                }
            }
            None => None,
        };
        let model = raci_assignment::ActiveModel {
            id: Set(new_uuid()),
            subject_type: Set(kind),
            subject_id: Set(subject_id),
            release_id: Set(Some(release.id)),
            user_id: Set(user_id),
            team: Set(entry.team.clone()),
            role: Set(entry.role),
            created_at: Set(now),
        }
        .insert(&*tx)
        .await?;
        tx.record(
            actor,
            Change::new("raci.assign", "RaciAssignment", model.id)
                .in_release(release.id)
                .after(&model),
        )
        .await?;
    }
    if !definition.plan.is_empty() {
        instantiate_plan(&mut tx, actor, &release, &definition.plan).await?;
    }
    tx.commit().await?;
    Ok(release)
}

/// Lays the template's deployment-plan skeleton out as a DRAFT plan whose change window opens
/// at 20:00 UTC on the go-live day and lasts as long as the skeleton (in whole hours).
async fn instantiate_plan(
    tx: &mut WriteTx,
    actor: &Actor,
    release: &release::Model,
    skeleton: &[TemplateActivity],
) -> DomainResult<()> {
    let minutes = skeleton
        .iter()
        .map(|a| i64::from(a.offset_minutes) + i64::from(a.duration_minutes))
        .max()
        .unwrap_or(0);
    let start = plans::default_window_start(release.planned_go_live);
    let end = start + TimeDelta::hours(((minutes + 59) / 60).max(1));
    let plan = plans::insert_plan(
        tx,
        actor,
        release,
        &format!("{} deployment plan", release.key),
        start,
        end,
    )
    .await?;
    // Steps go in once everything they depend on is in, so dependencies may name later steps.
    let mut added: HashMap<&str, ActivityId> = HashMap::new();
    let mut waiting: Vec<&TemplateActivity> = skeleton.iter().collect();
    while !waiting.is_empty() {
        let (ready, blocked): (Vec<&TemplateActivity>, Vec<&TemplateActivity>) = waiting
            .into_iter()
            .partition(|a| a.depends_on.iter().all(|d| added.contains_key(d.as_str())));
        if ready.is_empty() {
            let titles: Vec<&str> = blocked.iter().map(|a| a.title.as_str()).collect();
            return Err(DomainError::validation(
                "templateId",
                format!(
                    "the template's plan has a dependency cycle among: {}",
                    titles.join(", ")
                ),
            ));
        }
        for step in ready {
            let activity = plans::insert_activity(
                tx,
                actor,
                &plan,
                NewActivity {
                    plan_id: DeploymentPlanId(plan.id),
                    set_id: None,
                    title: step.title.clone(),
                    description: None,
                    kind: ActivityKind::parse(&step.kind).unwrap_or(ActivityKind::Manual),
                    owner_id: None,
                    owner_team: None,
                    planned_offset_minutes: step.offset_minutes,
                    planned_duration_minutes: step.duration_minutes,
                    depends_on: step
                        .depends_on
                        .iter()
                        .filter_map(|d| added.get(d.as_str()).copied())
                        .collect(),
                },
            )
            .await?;
            added.insert(step.title.as_str(), ActivityId(activity.id));
        }
        waiting = blocked;
    }
    Ok(())
}

/// Copies an enterprise release's phase dates to the same-named phases of its project releases.
pub async fn push_phase_dates(store: &Store, actor: &Actor, id: ReleaseId) -> DomainResult<usize> {
    let mut tx = store.write().await?;
    let parent = releases::get(&*tx, id).await?;
    if parent.kind != ReleaseKind::Enterprise {
        return Err(DomainError::validation(
            "id",
            format!("{} is not an ENTERPRISE release", parent.key),
        ));
    }
    let parent_phases: HashMap<String, phase::Model> = progress::phases_in_order(&*tx, parent.id)
        .await?
        .into_iter()
        .map(|p| (p.name.to_lowercase(), p))
        .collect();
    let children = release::Entity::find()
        .filter(release::Column::ParentId.eq(parent.id))
        .all(&*tx)
        .await?;
    let mut changed = 0;
    for child in children
        .into_iter()
        .filter(|c| !matches!(c.status, ReleaseStatus::Released | ReleaseStatus::Cancelled))
    {
        for phase in progress::phases_in_order(&*tx, child.id).await? {
            let Some(source) = parent_phases.get(&phase.name.to_lowercase()) else {
                continue;
            };
            if (phase.planned_start, phase.planned_end)
                == (source.planned_start, source.planned_end)
            {
                continue;
            }
            let mut model = phase.clone().into_active_model();
            model.planned_start = Set(source.planned_start);
            model.planned_end = Set(source.planned_end);
            model.updated_at = Set(store.now());
            let after = model.update(&*tx).await?;
            tx.record(
                actor,
                Change::new("phase.pushDates", "Phase", after.id)
                    .in_release(child.id)
                    .before(&phase)
                    .after(&after),
            )
            .await?;
            changed += 1;
        }
    }
    tx.commit().await?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn definition() -> TemplateDefinition {
        TemplateDefinition {
            phases: vec![
                TemplatePhase {
                    name: "Build".into(),
                    offset_days: 0,
                    duration_days: 10,
                },
                TemplatePhase {
                    name: "SIT".into(),
                    offset_days: 10,
                    duration_days: 5,
                },
                TemplatePhase {
                    name: "Go-live".into(),
                    offset_days: 20,
                    duration_days: 1,
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn phases_get_dates_from_the_start_day() {
        let (dates, shift) = lay_out(&definition(), day("2027-01-04"), &vec![]);
        assert_eq!(shift, 0);
        assert_eq!(
            dates,
            vec![
                (day("2027-01-04"), day("2027-01-13")),
                (day("2027-01-14"), day("2027-01-18")),
                (day("2027-01-24"), day("2027-01-24"))
            ]
        );
    }

    #[test]
    fn phases_overlapping_a_blackout_move_past_it_and_the_rest_follow() {
        // A freeze over SIT's days pushes SIT (and go-live) after it.
        let blocked = vec![(day("2027-01-15"), day("2027-01-17"))];
        let (dates, shift) = lay_out(&definition(), day("2027-01-04"), &blocked);
        assert_eq!(dates[0], (day("2027-01-04"), day("2027-01-13")));
        assert_eq!(dates[1], (day("2027-01-18"), day("2027-01-22")));
        assert_eq!(dates[2], (day("2027-01-28"), day("2027-01-28")));
        assert_eq!(shift, 4);
    }
}
