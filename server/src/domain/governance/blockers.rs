//! "Why is it blocked?": everything that stops a release from advancing or going live now,
//! each with who can clear it and how. Computed on demand, never stored.

use entity::{
    BookingStatus, CriterionKind, CriterionState, GateStatus, RaciRole, RaciSubject, ReleaseKind,
    ReleaseStatus, gate, raci_assignment, release,
};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::governance::raci::{self, Subject};
use crate::domain::ids::{BookingId, TypedId};
use crate::domain::{
    DomainResult, booking as bookings, booking::blackout, governance::gate as gates,
    release as releases, release::progress,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockerKind {
    UnmetCriterion,
    PendingApproval,
    GateFailed,
    GateWithoutCriteria,
    UnfinishedDependency,
    OpenProjectRelease,
    Blackout,
    BookingConflict,
}

/// What the blocker holds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocks {
    /// Leaving the current phase.
    Advance,
    /// Going live (or, for an enterprise release, being released).
    GoLive,
}

/// Who can clear a blocker: a person, a team, or anyone holding a role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owner {
    pub user_id: Option<Uuid>,
    pub team: Option<String>,
    pub role: Option<entity::Role>,
}

#[derive(Debug, Clone)]
pub struct Blocker {
    pub kind: BlockerKind,
    pub blocks: Blocks,
    pub description: String,
    pub action: String,
    pub owner: Option<Owner>,
    pub subject_type: &'static str,
    pub subject_id: Uuid,
}

fn owner_of(assignment: Option<raci_assignment::Model>) -> Option<Owner> {
    assignment.map(|a| Owner {
        user_id: a.user_id,
        team: a.team,
        role: None,
    })
}

/// The person to chase about a gate: its responsible, else its (or the release's) accountable,
/// else the release owner.
async fn gate_owner<C: ConnectionTrait>(
    conn: &C,
    gate: &gate::Model,
    release: &release::Model,
) -> DomainResult<Option<Owner>> {
    let subject = Subject {
        kind: RaciSubject::Gate,
        id: gate.id,
    };
    let responsible = raci::for_subject(conn, subject)
        .await?
        .into_iter()
        .find(|a| a.role == RaciRole::Responsible);
    if let Some(owner) = owner_of(responsible) {
        return Ok(Some(owner));
    }
    if let Some(owner) = owner_of(gates::gate_accountable(conn, gate).await?) {
        return Ok(Some(owner));
    }
    Ok(release.owner_id.map(|user| Owner {
        user_id: Some(user),
        ..Owner::default()
    }))
}

fn describe_rule(criterion: &entity::gate_criterion::Model) -> String {
    match (criterion.comparator, criterion.threshold) {
        (Some(comparator), Some(threshold)) => {
            let sign = match comparator {
                entity::Comparator::Gte => "≥",
                entity::Comparator::Gt => ">",
                entity::Comparator::Lte => "≤",
                entity::Comparator::Lt => "<",
                entity::Comparator::Eq => "=",
            };
            format!(
                " (needs {sign} {threshold}{})",
                criterion
                    .unit
                    .as_deref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default()
            )
        }
        _ => String::new(),
    }
}

async fn gate_blockers<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    gate: &gate::Model,
    blocks: Blocks,
    out: &mut Vec<Blocker>,
) -> DomainResult<()> {
    let owner = gate_owner(conn, gate, release).await?;
    match gate.status {
        GateStatus::Passed | GateStatus::Waived => {}
        GateStatus::Failed => out.push(Blocker {
            kind: BlockerKind::GateFailed,
            blocks,
            description: format!(
                "Gate \"{}\" was vetoed: {}",
                gate.name,
                gate.decision_reason.clone().unwrap_or_default()
            ),
            action: "A release manager reopens the gate once the cause is fixed".into(),
            owner: owner.clone(),
            subject_type: "Gate",
            subject_id: gate.id,
        }),
        GateStatus::Pending => {
            let criteria = gates::criteria_of(conn, gate.id).await?;
            if criteria.is_empty() {
                out.push(Blocker {
                    kind: BlockerKind::GateWithoutCriteria,
                    blocks,
                    description: format!("Gate \"{}\" has no criteria", gate.name),
                    action: "Add criteria to the gate, or have its accountable waive it".into(),
                    owner: owner.clone(),
                    subject_type: "Gate",
                    subject_id: gate.id,
                });
            }
            for criterion in criteria
                .into_iter()
                .filter(|c| c.state != CriterionState::Met)
            {
                let blocker = if criterion.kind == CriterionKind::Approval {
                    let approver = if criterion.by_accountable {
                        owner_of(gates::gate_accountable(conn, gate).await?)
                    } else {
                        Some(Owner {
                            role: criterion.approver_role,
                            ..Owner::default()
                        })
                    };
                    let rejected = criterion.state == CriterionState::NotMet;
                    Blocker {
                        kind: BlockerKind::PendingApproval,
                        blocks,
                        description: format!(
                            "Gate \"{}\": \"{}\" {}",
                            gate.name,
                            criterion.name,
                            if rejected {
                                "was rejected".to_owned()
                            } else {
                                format!("needs {} approval(s)", criterion.quorum)
                            }
                        ),
                        action: if rejected {
                            "The approver who rejected changes their decision".into()
                        } else {
                            "Approve the criterion (decideGateApproval)".into()
                        },
                        owner: approver,
                        subject_type: "GateCriterion",
                        subject_id: criterion.id,
                    }
                } else {
                    let failing = criterion.state == CriterionState::NotMet;
                    Blocker {
                        kind: BlockerKind::UnmetCriterion,
                        blocks,
                        description: format!(
                            "Gate \"{}\": \"{}\" {}{}",
                            gate.name,
                            criterion.name,
                            if failing {
                                criterion
                                    .last_value
                                    .map(|v| format!("is at {v}"))
                                    .unwrap_or_else(|| "failed".into())
                            } else {
                                "has no result yet".into()
                            },
                            describe_rule(&criterion)
                        ),
                        action: "Record a passing result (recordCriterionResult)".into(),
                        owner: owner.clone(),
                        subject_type: "GateCriterion",
                        subject_id: criterion.id,
                    }
                };
                out.push(blocker);
            }
        }
    }
    Ok(())
}

/// Everything that holds the release back now, current phase first.
pub async fn for_release<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Blocker>> {
    let mut out = Vec::new();
    if matches!(
        release.status,
        ReleaseStatus::Released | ReleaseStatus::Cancelled
    ) {
        return Ok(out);
    }
    let phases = progress::phases_in_order(conn, release.id).await?;
    let current = progress::current(&phases).map(|p| p.id);
    let last = phases.last().map(|p| p.id);
    let all_gates = gates::gates_of_release(conn, release.id).await?;
    for gate in all_gates.iter().filter(|g| Some(g.phase_id) == current) {
        gate_blockers(conn, release, gate, Blocks::Advance, &mut out).await?;
    }
    let ended: Vec<Uuid> = phases
        .iter()
        .filter(|p| p.actual_end.is_some())
        .map(|p| p.id)
        .collect();
    for gate in all_gates.iter().filter(|g| {
        Some(g.phase_id) != current && Some(g.phase_id) != last && !ended.contains(&g.phase_id)
    }) {
        gate_blockers(conn, release, gate, Blocks::GoLive, &mut out).await?;
    }
    for dependency in releases::open_dependencies(conn, release.id).await? {
        let accountable = raci::accountable(
            conn,
            Subject {
                kind: RaciSubject::Release,
                id: dependency.id,
            },
        )
        .await?;
        let owner = owner_of(accountable).or(dependency.owner_id.map(|user| Owner {
            user_id: Some(user),
            ..Owner::default()
        }));
        out.push(Blocker {
            kind: BlockerKind::UnfinishedDependency,
            blocks: Blocks::GoLive,
            description: format!(
                "Depends on {} ({}), which is {}",
                dependency.key, dependency.name, dependency.status
            ),
            action: format!("Release {} first, or remove the dependency", dependency.key),
            owner,
            subject_type: "Release",
            subject_id: dependency.id,
        });
    }
    blackout_blockers(conn, release, now, &mut out).await?;
    booking_blockers(conn, release, now, &mut out).await?;
    if release.kind == ReleaseKind::Enterprise {
        let children = release::Entity::find()
            .filter(release::Column::ParentId.eq(release.id))
            .all(conn)
            .await?;
        for child in children
            .into_iter()
            .filter(|c| !matches!(c.status, ReleaseStatus::Released | ReleaseStatus::Cancelled))
        {
            out.push(Blocker {
                kind: BlockerKind::OpenProjectRelease,
                blocks: Blocks::GoLive,
                description: format!("Project release {} is {}", child.key, child.status),
                action: format!("Release or cancel {}", child.key),
                owner: child.owner_id.map(|user| Owner {
                    user_id: Some(user),
                    ..Owner::default()
                }),
                subject_type: "Release",
                subject_id: child.id,
            });
        }
    }
    Ok(out)
}

/// Blackouts in force now that keep the release from going live.
async fn blackout_blockers<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    now: DateTime<Utc>,
    out: &mut Vec<Blocker>,
) -> DomainResult<()> {
    for b in blackout::active_for_release(conn, release, now).await? {
        out.push(Blocker {
            kind: BlockerKind::Blackout,
            blocks: Blocks::GoLive,
            description: format!("Blackout {}", blackout::describe(&b)),
            action: format!(
                "Wait until {} or go live with an override reason",
                blackout::local(b.ends_at, &b.time_zone)
            ),
            // Release managers may override it (so may admins and environment managers).
            owner: Some(Owner {
                role: Some(entity::Role::ReleaseManager),
                ..Owner::default()
            }),
            subject_type: "Blackout",
            subject_id: b.id,
        });
    }
    Ok(())
}

/// The release's booking requests still waiting for a slot that others hold.
async fn booking_blockers<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    now: DateTime<Utc>,
    out: &mut Vec<Blocker>,
) -> DomainResult<()> {
    let waiting = entity::booking::Entity::find()
        .filter(entity::booking::Column::ReleaseId.eq(release.id))
        .filter(
            entity::booking::Column::Status
                .is_in([BookingStatus::Requested, BookingStatus::Waitlisted]),
        )
        .filter(entity::booking::Column::EndsAt.gt(now))
        .order_by_asc(entity::booking::Column::StartsAt)
        .all(conn)
        .await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let envs: HashMap<Uuid, entity::environment::Model> = entity::environment::Entity::find()
        .filter(entity::environment::Column::Id.is_in(waiting.iter().map(|b| b.environment_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    for request in waiting {
        let Some(env) = envs.get(&request.environment_id) else {
            continue;
        };
        let holders = bookings::holding_overlaps(
            conn,
            env.id,
            request.starts_at,
            request.ends_at,
            Some(request.id),
        )
        .await?;
        if bookings::fits(env.capacity, &holders, request.starts_at, request.ends_at) {
            continue;
        }
        let held_by: Vec<String> = holders.iter().map(|h| BookingId(h.id).encode()).collect();
        out.push(Blocker {
            kind: BlockerKind::BookingConflict,
            blocks: Blocks::GoLive,
            description: format!(
                "The booking of {} ({} – {}) is {} behind {}",
                env.name,
                request.starts_at.format("%Y-%m-%d %H:%M UTC"),
                request.ends_at.format("%Y-%m-%d %H:%M UTC"),
                request.status,
                held_by.join(", ")
            ),
            action: format!(
                "Move the booking to a free slot of {} or another environment, or agree the slot with the holders",
                env.name
            ),
            owner: Some(Owner {
                role: Some(entity::Role::EnvironmentManager),
                ..Owner::default()
            }),
            subject_type: "Booking",
            subject_id: request.id,
        });
    }
    Ok(())
}
