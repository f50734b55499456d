//! Demo runbook: the production cut-over of the December enterprise release, approved and
//! waiting for its weekend, with Rita Release accountable for its go/no-go.

use chrono::TimeDelta;
use entity::{ActivityKind, RaciRole, RaciSubject, deployment_plan};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{SeedReport, SeedResult, domain};
use crate::db::Store;
use crate::domain::golive::plan::{self as plans, NewActivity, NewPlan};
use crate::domain::governance::raci::{self, NewAssignment, Subject};
use crate::domain::ids::{ActivityId, ActivitySetId, DeploymentPlanId, ReleaseId, UserId};
use crate::domain::{Actor, identity::users, release as releases};

const RELEASE: &str = "ER-2026.12";
const PLAN: &str = "ER-2026.12 production cut-over";

/// Who does a step: a demo user (by email local part) or a team.
enum Owner {
    User(&'static str),
    Team(&'static str),
    Nobody,
}

struct Step {
    set: usize,
    title: &'static str,
    kind: ActivityKind,
    owner: Owner,
    offset: i32,
    duration: i32,
    after: &'static [usize],
}

const SETS: [&str; 4] = ["Preparation", "Deployment", "Verification", "Opening"];

const STEPS: &[Step] = &[
    Step {
        set: 0,
        title: "Announce the change freeze",
        kind: ActivityKind::Manual,
        owner: Owner::User("ian.implementer"),
        offset: 0,
        duration: 15,
        after: &[],
    },
    Step {
        set: 0,
        title: "Stop the payment batch schedulers",
        kind: ActivityKind::Manual,
        owner: Owner::User("ian.implementer"),
        offset: 15,
        duration: 20,
        after: &[0],
    },
    Step {
        set: 0,
        title: "Back up the core banking database",
        kind: ActivityKind::Automated,
        owner: Owner::Team("DBA"),
        offset: 15,
        duration: 60,
        after: &[0],
    },
    Step {
        set: 1,
        title: "Deploy the SEPA Inst scheme adapter",
        kind: ActivityKind::Automated,
        owner: Owner::Team("Jenkins"),
        offset: 75,
        duration: 45,
        after: &[1, 2],
    },
    Step {
        set: 1,
        title: "Deploy the real-time posting interface",
        kind: ActivityKind::Automated,
        owner: Owner::Team("Jenkins"),
        offset: 75,
        duration: 40,
        after: &[1, 2],
    },
    Step {
        set: 1,
        title: "Deploy the fraud scoring model",
        kind: ActivityKind::Automated,
        owner: Owner::Team("GitHub Actions"),
        offset: 75,
        duration: 30,
        after: &[1, 2],
    },
    Step {
        set: 1,
        title: "Checkpoint: deployments verified",
        kind: ActivityKind::Checkpoint,
        owner: Owner::Nobody,
        offset: 120,
        duration: 10,
        after: &[3, 4, 5],
    },
    Step {
        set: 2,
        title: "Smoke test payments end to end",
        kind: ActivityKind::Manual,
        owner: Owner::User("tess.tester"),
        offset: 130,
        duration: 45,
        after: &[6],
    },
    Step {
        set: 2,
        title: "Smoke test biometric login",
        kind: ActivityKind::Manual,
        owner: Owner::User("tess.tester"),
        offset: 130,
        duration: 30,
        after: &[6],
    },
    Step {
        set: 2,
        title: "Go/no-go",
        kind: ActivityKind::GoNoGo,
        owner: Owner::Nobody,
        offset: 175,
        duration: 15,
        after: &[7, 8],
    },
    Step {
        set: 3,
        title: "Restart the payment batch schedulers",
        kind: ActivityKind::Manual,
        owner: Owner::User("ian.implementer"),
        offset: 190,
        duration: 15,
        after: &[9],
    },
    Step {
        set: 3,
        title: "Open instant payments to customers",
        kind: ActivityKind::Manual,
        owner: Owner::User("sam.service"),
        offset: 205,
        duration: 20,
        after: &[10],
    },
    Step {
        set: 3,
        title: "Tell customers and branches",
        kind: ActivityKind::Manual,
        owner: Owner::Team("Communications"),
        offset: 225,
        duration: 15,
        after: &[11],
    },
];

async fn user(store: &Store, local: &str) -> SeedResult<Option<UserId>> {
    Ok(
        users::find_by_email(store.conn(), &format!("{local}@heatshield.demo"))
            .await
            .map_err(domain)?
            .map(|u| UserId(u.id)),
    )
}

pub async fn seed(store: &Store, actor: &Actor, report: &mut SeedReport) -> SeedResult<()> {
    let Some(release) = releases::find_by_key(store.conn(), RELEASE)
        .await
        .map_err(domain)?
    else {
        return Ok(());
    };
    let exists = deployment_plan::Entity::find()
        .filter(deployment_plan::Column::ReleaseId.eq(release.id))
        .filter(deployment_plan::Column::Name.eq(PLAN))
        .count(store.conn())
        .await?
        > 0;
    if exists {
        report.existing += 1;
        return Ok(());
    }
    // The cut-over starts on the evening of the go-live day and has six hours.
    let start = plans::default_window_start(release.planned_go_live);
    let plan = plans::create(
        store,
        actor,
        NewPlan {
            release_id: ReleaseId(release.id),
            name: PLAN.into(),
            window_start: start,
            window_end: start + TimeDelta::hours(6),
        },
    )
    .await
    .map_err(domain)?;
    let plan_id = DeploymentPlanId(plan.id);
    let mut sets: Vec<ActivitySetId> = Vec::new();
    for name in SETS {
        let set = plans::add_set(store, actor, plan_id, name)
            .await
            .map_err(domain)?;
        sets.push(ActivitySetId(set.id));
    }
    let mut added: Vec<ActivityId> = Vec::new();
    for step in STEPS {
        let (owner_id, owner_team) = match step.owner {
            Owner::User(local) => (user(store, local).await?, None),
            Owner::Team(team) => (None, Some(team.to_owned())),
            Owner::Nobody => (None, None),
        };
        let activity = plans::add_activity(
            store,
            actor,
            NewActivity {
                plan_id,
                set_id: Some(sets[step.set]),
                title: step.title.into(),
                description: None,
                kind: step.kind,
                owner_id,
                owner_team,
                planned_offset_minutes: step.offset,
                planned_duration_minutes: step.duration,
                depends_on: step.after.iter().map(|i| added[*i]).collect(),
            },
        )
        .await
        .map_err(domain)?;
        added.push(ActivityId(activity.id));
    }
    if let Some(rita) = user(store, "rita.release").await? {
        raci::assign(
            store,
            actor,
            NewAssignment {
                subject: Subject {
                    kind: RaciSubject::DeploymentPlan,
                    id: plan.id,
                },
                user_id: Some(rita),
                team: None,
                role: RaciRole::Accountable,
            },
        )
        .await
        .map_err(domain)?;
    }
    plans::approve(store, actor, plan_id)
        .await
        .map_err(domain)?;
    report.created += 1;
    Ok(())
}
