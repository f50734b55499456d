//! Demo governance: a release template, gates with criteria and results on the releases in
//! flight, and RACI stakeholders, so the blockers and notifications have something to say.

use entity::{Comparator, CriterionKind, RaciRole, RaciSubject, Role, gate, release_template};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{SeedReport, SeedResult, domain};
use crate::db::Store;
use crate::domain::governance::gate::{self as gates, NewCriterion, NewGate, NewResult};
use crate::domain::governance::raci::{self, NewAssignment, Subject};
use crate::domain::ids::{CriterionId, PhaseId, UserId};
use crate::domain::release::template::{
    self, TemplateActivity, TemplateCriterion, TemplateDefinition, TemplateGate, TemplateMilestone,
    TemplatePhase, TemplateRaci,
};
use crate::domain::{Actor, identity::users, release as releases, release::progress};

fn metric(name: &str, comparator: Comparator, threshold: f64, unit: Option<&str>) -> NewCriterion {
    NewCriterion {
        name: name.into(),
        kind: CriterionKind::Metric,
        metric: Some(name.into()),
        comparator: Some(comparator),
        threshold: Some(threshold),
        unit: unit.map(Into::into),
        approver_role: None,
        by_accountable: false,
        quorum: 1,
    }
}

fn manual(name: &str) -> NewCriterion {
    NewCriterion {
        name: name.into(),
        kind: CriterionKind::Manual,
        metric: None,
        comparator: None,
        threshold: None,
        unit: None,
        approver_role: None,
        by_accountable: false,
        quorum: 1,
    }
}

fn approval(name: &str, role: Option<Role>, quorum: i32) -> NewCriterion {
    NewCriterion {
        name: name.into(),
        kind: CriterionKind::Approval,
        metric: None,
        comparator: None,
        threshold: None,
        unit: None,
        approver_role: role,
        by_accountable: role.is_none(),
        quorum,
    }
}

fn standard_template() -> TemplateDefinition {
    let criterion = |c: NewCriterion| TemplateCriterion {
        name: c.name,
        kind: c.kind,
        metric: c.metric,
        comparator: c.comparator,
        threshold: c.threshold,
        unit: c.unit,
        approver_role: c.approver_role,
        by_accountable: c.by_accountable,
        quorum: c.quorum,
    };
    TemplateDefinition {
        phases: vec![
            TemplatePhase {
                name: "Planning".into(),
                offset_days: 0,
                duration_days: 10,
            },
            TemplatePhase {
                name: "Build".into(),
                offset_days: 10,
                duration_days: 35,
            },
            TemplatePhase {
                name: "SIT".into(),
                offset_days: 45,
                duration_days: 18,
            },
            TemplatePhase {
                name: "UAT".into(),
                offset_days: 63,
                duration_days: 15,
            },
            TemplatePhase {
                name: "Pre-prod".into(),
                offset_days: 78,
                duration_days: 8,
            },
            TemplatePhase {
                name: "Go-live".into(),
                offset_days: 87,
                duration_days: 2,
            },
        ],
        milestones: vec![
            TemplateMilestone {
                name: "Scope freeze".into(),
                offset_days: 9,
            },
            TemplateMilestone {
                name: "Code freeze".into(),
                offset_days: 44,
            },
            TemplateMilestone {
                name: "UAT sign-off".into(),
                offset_days: 77,
            },
            TemplateMilestone {
                name: "Go/No-go".into(),
                offset_days: 86,
            },
        ],
        gates: vec![
            TemplateGate {
                phase: "SIT".into(),
                name: "SIT exit".into(),
                description: Some("System integration testing is complete.".into()),
                criteria: vec![
                    criterion(metric("Test pass rate", Comparator::Gte, 95.0, Some("%"))),
                    criterion(metric("Open critical defects", Comparator::Eq, 0.0, None)),
                ],
            },
            TemplateGate {
                phase: "UAT".into(),
                name: "UAT sign-off".into(),
                description: Some("The business accepts the release.".into()),
                criteria: vec![criterion(approval("Business sign-off", None, 1))],
            },
            TemplateGate {
                phase: "Pre-prod".into(),
                name: "Change advisory board".into(),
                description: Some("CAB approval and operational readiness.".into()),
                criteria: vec![
                    criterion(approval("CAB approval", Some(Role::ReleaseManager), 1)),
                    criterion(metric(
                        "Performance p95",
                        Comparator::Lte,
                        800.0,
                        Some("ms"),
                    )),
                    criterion(manual("Runbook rehearsed")),
                ],
            },
        ],
        raci: vec![
            TemplateRaci {
                gate: None,
                user_email: Some("rita.release@heatshield.demo".into()),
                team: None,
                role: RaciRole::Accountable,
            },
            TemplateRaci {
                gate: None,
                user_email: Some("pete.project@heatshield.demo".into()),
                team: None,
                role: RaciRole::Responsible,
            },
            TemplateRaci {
                gate: Some("SIT exit".into()),
                user_email: Some("tess.tester@heatshield.demo".into()),
                team: None,
                role: RaciRole::Responsible,
            },
            TemplateRaci {
                gate: Some("UAT sign-off".into()),
                user_email: Some("paula.portfolio@heatshield.demo".into()),
                team: None,
                role: RaciRole::Accountable,
            },
            TemplateRaci {
                gate: Some("Change advisory board".into()),
                user_email: Some("sam.service@heatshield.demo".into()),
                team: None,
                role: RaciRole::Consulted,
            },
        ],
        plan: [
            ("Freeze changes", "MANUAL", 0, 15, &[][..]),
            (
                "Back up databases",
                "AUTOMATED",
                15,
                45,
                &["Freeze changes"][..],
            ),
            (
                "Deploy packages",
                "AUTOMATED",
                60,
                60,
                &["Back up databases"][..],
            ),
            ("Smoke test", "MANUAL", 120, 30, &["Deploy packages"][..]),
            ("Go/no-go", "GO_NO_GO", 150, 15, &["Smoke test"][..]),
            ("Open to customers", "MANUAL", 165, 15, &["Go/no-go"][..]),
        ]
        .into_iter()
        .map(|(title, kind, offset, duration, after)| TemplateActivity {
            title: title.into(),
            kind: kind.into(),
            offset_minutes: offset,
            duration_minutes: duration,
            depends_on: after.iter().map(|d| (*d).to_owned()).collect(),
        })
        .collect(),
    }
}

/// The demo's gates (by phase) for releases that are in flight.
fn release_gates() -> Vec<(&'static str, NewGateSpec)> {
    vec![
        (
            "Build",
            NewGateSpec {
                name: "Build exit",
                criteria: vec![
                    metric("Unit test pass rate", Comparator::Gte, 98.0, Some("%")),
                    manual("Code review complete"),
                ],
            },
        ),
        (
            "SIT",
            NewGateSpec {
                name: "SIT exit",
                criteria: vec![
                    metric("Test pass rate", Comparator::Gte, 95.0, Some("%")),
                    metric("Open critical defects", Comparator::Eq, 0.0, None),
                ],
            },
        ),
        (
            "UAT",
            NewGateSpec {
                name: "UAT sign-off",
                criteria: vec![approval("Business sign-off", None, 1)],
            },
        ),
        (
            "Pre-prod",
            NewGateSpec {
                name: "Change advisory board",
                criteria: vec![
                    approval("CAB approval", Some(Role::ReleaseManager), 1),
                    manual("Runbook rehearsed"),
                ],
            },
        ),
    ]
}

struct NewGateSpec {
    name: &'static str,
    criteria: Vec<NewCriterion>,
}

pub async fn seed(store: &Store, actor: &Actor, report: &mut SeedReport) -> SeedResult<()> {
    let has_users = users::find_by_email(store.conn(), "rita.release@heatshield.demo")
        .await
        .map_err(domain)?
        .is_some();
    let exists = release_template::Entity::find()
        .filter(release_template::Column::Name.eq("Standard quarterly project"))
        .count(store.conn())
        .await?
        > 0;
    if has_users && !exists {
        template::create(
            store,
            actor,
            "Standard quarterly project",
            Some("Six phases over 13 weeks with SIT, UAT and CAB gates."),
            standard_template(),
        )
        .await
        .map_err(domain)?;
        report.created += 1;
    }
    for key in [
        "ER-2026.12",
        "PR-3601",
        "PR-3602",
        "PR-3603",
        "IR-NOTIFY-2.0",
        "ER-2027.03",
        "PR-3656",
        "PR-3660",
    ] {
        let Some(release) = releases::find_by_key(store.conn(), key)
            .await
            .map_err(domain)?
        else {
            continue;
        };
        let has_gates = gate::Entity::find()
            .filter(gate::Column::ReleaseId.eq(release.id))
            .count(store.conn())
            .await?
            > 0;
        if has_gates {
            report.existing += 1;
            continue;
        }
        let phases = progress::phases_in_order(store.conn(), release.id)
            .await
            .map_err(domain)?;
        for (phase_name, spec) in release_gates() {
            let Some(phase) = phases.iter().find(|p| p.name == phase_name) else {
                continue;
            };
            let gate = gates::create(
                store,
                actor,
                NewGate {
                    phase_id: PhaseId(phase.id),
                    name: spec.name.into(),
                    description: None,
                    due_at: None,
                    criteria: spec.criteria,
                },
            )
            .await
            .map_err(domain)?;
            report.created += 1;
            // Phases already behind us passed their gates; SIT of the in-flight releases is mid-way.
            let criteria = gates::criteria_of(store.conn(), gate.id)
                .await
                .map_err(domain)?;
            let done = phase.actual_end.is_some();
            let current = phase.actual_start.is_some() && phase.actual_end.is_none();
            for criterion in criteria {
                if criterion.kind == CriterionKind::Approval {
                    continue;
                }
                let (value, passed) = match (criterion.kind, done, current, criterion.name.as_str())
                {
                    (CriterionKind::Metric, true, _, _) => (
                        criterion
                            .threshold
                            .map(|t| if t == 0.0 { 0.0 } else { t + 1.5 }),
                        None,
                    ),
                    (CriterionKind::Manual, true, _, _) => (None, Some(true)),
                    (CriterionKind::Metric, _, true, "Test pass rate") => (Some(91.4), None),
                    (CriterionKind::Metric, _, true, "Open critical defects") => (Some(3.0), None),
                    _ => continue,
                };
                gates::record_result(
                    store,
                    actor,
                    NewResult {
                        criterion_id: CriterionId(criterion.id),
                        value,
                        passed,
                        source: if value.is_some() {
                            "Jenkins".into()
                        } else {
                            "manual check".into()
                        },
                        link: None,
                        note: None,
                    },
                )
                .await
                .map_err(domain)?;
            }
        }
        if !has_users {
            continue;
        }
        let assignments: Vec<(&str, RaciRole)> = match release.kind {
            entity::ReleaseKind::Enterprise => vec![
                ("rita.release@heatshield.demo", RaciRole::Accountable),
                ("paula.portfolio@heatshield.demo", RaciRole::Informed),
            ],
            _ => vec![
                ("rita.release@heatshield.demo", RaciRole::Accountable),
                ("pete.project@heatshield.demo", RaciRole::Responsible),
                ("sam.service@heatshield.demo", RaciRole::Consulted),
            ],
        };
        for (email, role) in assignments {
            if let Some(user) = users::find_by_email(store.conn(), email)
                .await
                .map_err(domain)?
            {
                raci::assign(
                    store,
                    actor,
                    NewAssignment {
                        subject: Subject {
                            kind: RaciSubject::Release,
                            id: release.id,
                        },
                        user_id: Some(UserId(user.id)),
                        team: None,
                        role,
                    },
                )
                .await
                .map_err(domain)?;
            }
        }
        for gate in gates::gates_of_release(store.conn(), release.id)
            .await
            .map_err(domain)?
        {
            let (email, role) = match gate.name.as_str() {
                "SIT exit" | "Build exit" => ("tess.tester@heatshield.demo", RaciRole::Responsible),
                "UAT sign-off" => ("paula.portfolio@heatshield.demo", RaciRole::Accountable),
                _ => ("sam.service@heatshield.demo", RaciRole::Consulted),
            };
            if let Some(user) = users::find_by_email(store.conn(), email)
                .await
                .map_err(domain)?
            {
                raci::assign(
                    store,
                    actor,
                    NewAssignment {
                        subject: Subject {
                            kind: RaciSubject::Gate,
                            id: gate.id,
                        },
                        user_id: Some(UserId(user.id)),
                        team: None,
                        role,
                    },
                )
                .await
                .map_err(domain)?;
            }
        }
    }
    Ok(())
}
