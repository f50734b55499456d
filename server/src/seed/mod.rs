//! Demo data: an internet bank's portfolio, releases, environments and deployments, plus one
//! user per role. Safe to run again: everything is looked up by its natural key first.
//! Dates are relative to the day of seeding, so the demo always looks current.

mod bookings;
mod bulk;
pub mod calendar;
mod data;
mod governance;
mod plans;

use std::fmt;

use chrono::{Duration, NaiveDate};
use entity::{
    ReleaseStatus, Role, app_user, deployment, environment, environment_group, milestone, phase,
    release,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};

use crate::db::Store;
use crate::domain::environment::system::NewSystem;
use crate::domain::environment::{ConfigEdit, NewEnvironment};
use crate::domain::ids::*;
use crate::domain::release::NewRelease;
use crate::domain::{
    Actor, DomainError, environment as environments, environment::deployment as deployments,
    environment::system as systems, identity::users, release as releases,
    release::package as packages, release::parts,
};

pub use bulk::{BookingLayout, bulk, bulk_bookings};
use calendar::Calendar;

/// Password of every demo user (documented in the README; demo mode only).
pub const DEMO_PASSWORD: &str = "heatshield-demo";

#[derive(Debug, Default)]
pub struct SeedReport {
    pub created: usize,
    pub existing: usize,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo data: {} records created, {} already present",
            self.created, self.existing
        )
    }
}

type SeedResult<T> = Result<T, anyhow::Error>;

/// The demo password's hash, computed once per process: Argon2 is slow on purpose, and every
/// demo user has the same (published) password anyway.
async fn demo_password_hash() -> SeedResult<String> {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_try_init(|| async {
        crate::domain::identity::password::hash(DEMO_PASSWORD.to_owned())
            .await
            .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))
    })
    .await
    .cloned()
}

fn domain(e: DomainError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The demo users, one per role: (email, name, role).
pub fn demo_users() -> Vec<(String, &'static str, Role)> {
    data::USERS
        .iter()
        .map(|(local, name, role)| (format!("{local}@heatshield.demo"), *name, *role))
        .collect()
}

pub async fn demo(store: &Store, with_users: bool) -> SeedResult<SeedReport> {
    let actor = Actor::system("demo seed");
    let mut report = SeedReport::default();
    let calendar = Calendar::new(store.clock().today());

    if with_users {
        for (email, name, role) in demo_users() {
            if users::find_by_email(store.conn(), &email)
                .await
                .map_err(domain)?
                .is_some()
            {
                report.existing += 1;
                continue;
            }
            users::create_hashed(
                store,
                &actor,
                users::NewUser {
                    email,
                    display_name: name.to_owned(),
                    password: None,
                    roles: vec![role],
                },
                Some(demo_password_hash().await?),
            )
            .await
            .map_err(domain)?;
            report.created += 1;
        }
    }
    let release_manager = app_user::Entity::find()
        .filter(app_user::Column::Email.eq("rita.release@heatshield.demo"))
        .one(store.conn())
        .await?
        .map(|u| UserId(u.id));

    // Systems.
    for (code, name, owner, criticality, description) in data::SYSTEMS {
        if systems::find_by_code(store.conn(), code)
            .await
            .map_err(domain)?
            .is_some()
        {
            report.existing += 1;
            continue;
        }
        systems::create(
            store,
            &actor,
            NewSystem {
                code: (*code).into(),
                name: (*name).into(),
                description: Some((*description).into()),
                owner: Some((*owner).into()),
                criticality: *criticality,
            },
        )
        .await
        .map_err(domain)?;
        report.created += 1;
    }
    let system_id = |code: &str| {
        let code = code.to_owned();
        async move {
            systems::find_by_code(store.conn(), &code)
                .await
                .map_err(domain)?
                .map(|s| SystemId(s.id))
                .ok_or_else(|| anyhow::anyhow!("system {code} is missing"))
        }
    };

    // Environment groups and environments.
    for (name, description) in data::GROUPS {
        let exists = environment_group::Entity::find()
            .filter(environment_group::Column::Name.eq(*name))
            .count(store.conn())
            .await?
            > 0;
        if exists {
            report.existing += 1;
            continue;
        }
        environments::create_group(store, &actor, name, Some(description))
            .await
            .map_err(domain)?;
        report.created += 1;
    }
    for env in data::ENVIRONMENTS {
        let existing = environment::Entity::find()
            .filter(environment::Column::Name.eq(env.name))
            .one(store.conn())
            .await?;
        match existing {
            Some(_) => report.existing += 1,
            None => {
                let group = environment_group::Entity::find()
                    .filter(environment_group::Column::Name.eq(env.group))
                    .one(store.conn())
                    .await?
                    .map(|g| EnvironmentGroupId(g.id));
                let mut hosted = Vec::new();
                for code in env.systems.unwrap_or(data::ALL_SYSTEMS) {
                    hosted.push(system_id(code).await?);
                }
                let model = environments::create(
                    store,
                    &actor,
                    NewEnvironment {
                        name: env.name.into(),
                        tier: env.tier,
                        status: env.status,
                        group_id: group,
                        description: Some(env.description.into()),
                        url: Some(format!("https://{}.bank.example", env.name.to_lowercase())),
                        owner_id: None,
                        capacity: env.capacity,
                        system_ids: hosted,
                    },
                )
                .await
                .map_err(domain)?;
                report.created += 1;
                let mut edits: Vec<ConfigEdit> = data::config_for(env.name)
                    .into_iter()
                    .map(|(key, value, secret)| ConfigEdit {
                        key,
                        value: Some(value),
                        secret,
                    })
                    .collect();
                if !edits.is_empty() {
                    edits.sort_by(|a, b| a.key.cmp(&b.key));
                    environments::edit_config(store, &actor, EnvironmentId(model.id), edits)
                        .await
                        .map_err(domain)?;
                }
            }
        }
    }

    // Releases, parents first.
    for spec in data::RELEASES {
        let dates = Dates::of(spec, &calendar);
        let (id, created) = ensure_release(store, &actor, spec, &dates, release_manager).await?;
        if created {
            report.created += 1;
        } else {
            report.existing += 1;
            continue;
        }
        lay_out_phases(store, &actor, id, &dates).await?;
        for (code, kind) in spec.impacts {
            parts::set_impact(store, &actor, id, system_id(code).await?, *kind, None)
                .await
                .map_err(domain)?;
        }
        for (index, (code, name, version, jira)) in spec.packages.iter().enumerate() {
            let status = data::package_status(spec.status, index);
            let model = packages::create(
                store,
                &actor,
                packages::NewPackage {
                    release_id: id,
                    system_id: system_id(code).await?,
                    name: (*name).into(),
                    version: (*version).into(),
                    kind: entity::PackageKind::Deployment,
                    status,
                    jira_key: Some((*jira).into()),
                    change_request_id: (spec.status == ReleaseStatus::Released
                        || spec.status == ReleaseStatus::GoLive)
                        .then(|| format!("CHG{:07}", 4_200_000 + index * 17 + spec.key.len())),
                },
            )
            .await
            .map_err(domain)?;
            deploy_package(store, &actor, PackageId(model.id), spec, &dates).await?;
        }
        set_history(store, id, spec, &dates).await?;
    }
    for (waiting, waited_for) in data::DEPENDENCIES {
        let (Some(a), Some(b)) = (
            releases::find_by_key(store.conn(), waiting)
                .await
                .map_err(domain)?,
            releases::find_by_key(store.conn(), waited_for)
                .await
                .map_err(domain)?,
        ) else {
            continue;
        };
        match parts::add_dependency(store, &actor, ReleaseId(a.id), ReleaseId(b.id)).await {
            Ok(_) => report.created += 1,
            Err(DomainError::Conflict { .. }) => report.existing += 1,
            Err(other) => return Err(domain(other)),
        }
    }
    governance::seed(store, &actor, &mut report).await?;
    bookings::seed(store, &actor, &mut report, &calendar).await?;
    plans::seed(store, &actor, &mut report).await?;
    Ok(report)
}

/// A release's dates as days from today, its go-live moved clear of the freeze.
struct Dates {
    today: NaiveDate,
    start: i64,
    go_live: i64,
}

impl Dates {
    fn of(spec: &data::ReleaseSpec, calendar: &Calendar) -> Self {
        Self {
            today: calendar.today,
            start: spec.start,
            go_live: calendar.go_live(spec.go_live),
        }
    }

    fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }

    /// The days from the release's start to its go-live (at least one per phase).
    fn span(&self) -> i64 {
        (self.go_live - self.start).max(6)
    }
}

async fn ensure_release(
    store: &Store,
    actor: &Actor,
    spec: &data::ReleaseSpec,
    dates: &Dates,
    owner: Option<UserId>,
) -> SeedResult<(ReleaseId, bool)> {
    if let Some(existing) = releases::find_by_key(store.conn(), spec.key)
        .await
        .map_err(domain)?
    {
        return Ok((ReleaseId(existing.id), false));
    }
    let parent = match spec.parent {
        Some(key) => releases::find_by_key(store.conn(), key)
            .await
            .map_err(domain)?
            .map(|r| ReleaseId(r.id)),
        None => None,
    };
    let model = releases::create(
        store,
        actor,
        NewRelease {
            key: spec.key.into(),
            name: spec.name.into(),
            description: Some(spec.description.into()),
            kind: spec.kind,
            risk: spec.risk,
            parent_id: parent,
            owner_id: owner,
            planned_start: dates.day(dates.start),
            planned_go_live: dates.day(dates.go_live),
        },
    )
    .await
    .map_err(domain)?;
    Ok((ReleaseId(model.id), true))
}

/// The standard six phases spread over the release window, and four milestones.
async fn lay_out_phases(
    store: &Store,
    actor: &Actor,
    id: ReleaseId,
    dates: &Dates,
) -> SeedResult<()> {
    let span = dates.span();
    let shares = [(0, 10), (10, 45), (45, 65), (65, 85), (85, 97), (97, 100)];
    for (name, (from, to)) in data::PHASES.iter().zip(shares) {
        let start = dates.day(dates.start + span * from / 100);
        let end = dates.day(dates.start + (span * to / 100).max(span * from / 100));
        parts::create_phase(
            store,
            actor,
            parts::NewPhase {
                release_id: id,
                name: (*name).into(),
                position: None,
                planned_start: start,
                planned_end: end,
            },
        )
        .await
        .map_err(domain)?;
    }
    for (name, share) in data::MILESTONES {
        parts::create_milestone(
            store,
            actor,
            parts::NewMilestone {
                release_id: id,
                name: (*name).into(),
                planned_date: dates.day(dates.start + span * share / 100),
            },
        )
        .await
        .map_err(domain)?;
    }
    Ok(())
}

/// Deploys a package along the path to production as far as its release has come.
async fn deploy_package(
    store: &Store,
    actor: &Actor,
    package: PackageId,
    spec: &data::ReleaseSpec,
    dates: &Dates,
) -> SeedResult<()> {
    let reached: &[&str] = match spec.status {
        ReleaseStatus::Draft | ReleaseStatus::Planned | ReleaseStatus::Cancelled => &[],
        ReleaseStatus::InProgress => &["DEV1", "SIT1", "UAT1"],
        ReleaseStatus::GoLive => &["DEV1", "SIT1", "UAT1", "STAGING"],
        ReleaseStatus::Released | ReleaseStatus::RolledBack => {
            &["DEV1", "SIT1", "UAT1", "STAGING", "PROD"]
        }
    };
    let span = dates.span();
    for (step, env_name) in reached.iter().enumerate() {
        let Some(env) = environment::Entity::find()
            .filter(environment::Column::Name.eq(*env_name))
            .one(store.conn())
            .await?
        else {
            continue;
        };
        let already = deployment::Entity::find()
            .filter(deployment::Column::PackageId.eq(package.0))
            .filter(deployment::Column::EnvironmentId.eq(env.id))
            .count(store.conn())
            .await?
            > 0;
        if already {
            continue;
        }
        let offset = if *env_name == "PROD" {
            dates.go_live
        } else {
            dates.start + span * (20 + 20 * step as i64) / 100
        };
        let at = dates
            .day(offset.min(0))
            .and_hms_opt(20, 0, 0)
            .unwrap_or_default()
            .and_utc();
        deployments::record(
            store,
            actor,
            deployments::NewDeployment {
                package_id: package,
                environment_id: EnvironmentId(env.id),
                version: None,
                status: entity::DeploymentStatus::Succeeded,
                deployed_at: Some(at.min(store.now())),
                notes: Some(format!("Deployed by the {} pipeline", spec.key)),
            },
        )
        .await
        .map_err(domain)?;
    }
    Ok(())
}

/// Gives the release its status and, for work already done, actual dates in the past.
/// History is written directly: the lifecycle rules apply to changes made now, not to the
/// record of what happened before Heatshield was in use.
async fn set_history(
    store: &Store,
    id: ReleaseId,
    spec: &data::ReleaseSpec,
    dates: &Dates,
) -> SeedResult<()> {
    let today = dates.today;
    if spec.status == ReleaseStatus::Draft {
        return Ok(());
    }
    let tx = store.write().await?;
    let model = release::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("release vanished"))?;
    let at = |offset: i64| {
        dates
            .day(offset)
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default()
            .and_utc()
    };
    let mut active = model.into_active_model();
    active.status = Set(spec.status);
    if !matches!(
        spec.status,
        ReleaseStatus::Planned | ReleaseStatus::Cancelled
    ) && dates.start <= 0
    {
        active.actual_start = Set(Some(at(dates.start)));
    }
    if spec.status == ReleaseStatus::Released {
        active.actual_go_live = Set(Some(at(dates.go_live + spec.slip)));
    }
    active.update(&*tx).await?;
    for phase in phase::Entity::find()
        .filter(phase::Column::ReleaseId.eq(id.0))
        .all(&*tx)
        .await?
    {
        let start = (phase.planned_start - today).num_days();
        let end = (phase.planned_end - today).num_days();
        if start > 0
            || matches!(
                spec.status,
                ReleaseStatus::Planned | ReleaseStatus::Cancelled
            )
        {
            continue;
        }
        let mut active = phase.into_active_model();
        active.actual_start = Set(Some(at(start)));
        if end + spec.slip < 0 {
            active.actual_end = Set(Some(at(end + spec.slip)));
        }
        active.update(&*tx).await?;
    }
    for milestone in milestone::Entity::find()
        .filter(milestone::Column::ReleaseId.eq(id.0))
        .all(&*tx)
        .await?
    {
        let offset = (milestone.planned_date - today).num_days() + spec.slip;
        if offset < 0
            && !matches!(
                spec.status,
                ReleaseStatus::Planned | ReleaseStatus::Cancelled
            )
        {
            let mut active = milestone.into_active_model();
            active.actual_at = Set(Some(at(offset)));
            active.update(&*tx).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
