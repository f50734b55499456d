//! Bulk data for benchmarks and statement-count tests: many releases with phases,
//! milestones, impacts, packages and deployments, inserted in large batches (no audit: this
//! is generated load, not anyone's change).

use chrono::{Duration, Utc};
use entity::*;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::db::Store;
use crate::domain::ids::new_uuid;

const CHUNK: usize = 400;

async fn insert_chunks<A>(store: &Store, rows: Vec<A>) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        let tx = store.write().await?;
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec(&*tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Creates `count` releases keyed `{prefix}-{n}` (every tenth an enterprise release that
/// groups the next nine) with `packages` packages each, every package deployed to two
/// environments. Returns the release ids in creation order.
pub async fn bulk(
    store: &Store,
    prefix: &str,
    count: usize,
    packages: usize,
) -> anyhow::Result<Vec<Uuid>> {
    let now = store.now();
    let today = now.date_naive();

    let systems: Vec<system::ActiveModel> = (0..20)
        .map(|n| system::ActiveModel {
            id: Set(new_uuid()),
            code: Set(format!("{prefix}-SYS-{n}")),
            name: Set(format!("{prefix} system {n}")),
            description: Set(None),
            owner: Set(Some("Bulk".into())),
            criticality: Set(Criticality::Tier2),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    let system_ids: Vec<Uuid> = systems.iter().map(|s| *s.id.as_ref()).collect();
    insert_chunks(store, systems).await?;

    let tiers = [
        EnvironmentTier::Dev,
        EnvironmentTier::Sit,
        EnvironmentTier::Uat,
        EnvironmentTier::Staging,
    ];
    let environments: Vec<environment::ActiveModel> = tiers
        .iter()
        .enumerate()
        .map(|(n, tier)| environment::ActiveModel {
            id: Set(new_uuid()),
            name: Set(format!("{prefix}-ENV-{n}")),
            tier: Set(*tier),
            status: Set(EnvironmentStatus::Available),
            group_id: Set(None),
            description: Set(None),
            url: Set(None),
            owner_id: Set(None),
            capacity: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    let environment_ids: Vec<Uuid> = environments.iter().map(|e| *e.id.as_ref()).collect();
    insert_chunks(store, environments).await?;
    let hosting: Vec<environment_system::ActiveModel> = environment_ids
        .iter()
        .flat_map(|env| {
            system_ids
                .iter()
                .map(move |sys| environment_system::ActiveModel {
                    environment_id: Set(*env),
                    system_id: Set(*sys),
                    created_at: Set(now),
                })
        })
        .collect();
    insert_chunks(store, hosting).await?;

    let mut releases = Vec::with_capacity(count);
    let mut parent: Option<Uuid> = None;
    for n in 0..count {
        let id = new_uuid();
        let kind = if n % 10 == 0 {
            ReleaseKind::Enterprise
        } else {
            ReleaseKind::Project
        };
        if kind == ReleaseKind::Enterprise {
            parent = Some(id);
        }
        let start = today + Duration::days((n % 365) as i64 - 100);
        let key = format!("{prefix}-{n}");
        let name = format!("{prefix} release {n}");
        releases.push(release::ActiveModel {
            id: Set(id),
            search_text: Set(format!("{key} {name}").to_lowercase()),
            key: Set(key),
            name: Set(name),
            description: Set(None),
            kind: Set(kind),
            status: Set(ReleaseStatus::InProgress),
            risk: Set(RiskLevel::Medium),
            parent_id: Set(if kind == ReleaseKind::Project {
                parent
            } else {
                None
            }),
            owner_id: Set(None),
            planned_start: Set(start),
            planned_go_live: Set(start + Duration::days(90)),
            actual_start: Set(Some(now)),
            actual_go_live: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    let release_ids: Vec<Uuid> = releases.iter().map(|r| *r.id.as_ref()).collect();
    insert_chunks(store, releases).await?;

    let mut phases = Vec::new();
    let mut milestones = Vec::new();
    let mut impacts = Vec::new();
    let mut package_rows = Vec::new();
    let mut deployments = Vec::new();
    for (n, release_id) in release_ids.iter().enumerate() {
        let start = today + Duration::days((n % 365) as i64 - 100);
        for (position, name) in ["Planning", "Build", "SIT", "UAT", "Pre-prod", "Go-live"]
            .iter()
            .enumerate()
        {
            phases.push(phase::ActiveModel {
                id: Set(new_uuid()),
                release_id: Set(*release_id),
                name: Set((*name).into()),
                position: Set(position as i32 + 1),
                planned_start: Set(start + Duration::days(15 * position as i64)),
                planned_end: Set(start + Duration::days(15 * position as i64 + 14)),
                actual_start: Set(None),
                actual_end: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
        for (offset, name) in [
            (10, "Scope freeze"),
            (45, "Code freeze"),
            (80, "UAT sign-off"),
            (88, "Go/No-go"),
        ] {
            milestones.push(milestone::ActiveModel {
                id: Set(new_uuid()),
                release_id: Set(*release_id),
                name: Set(name.into()),
                planned_date: Set(start + Duration::days(offset)),
                actual_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
        for k in 0..3 {
            impacts.push(release_impact::ActiveModel {
                id: Set(new_uuid()),
                release_id: Set(*release_id),
                system_id: Set(system_ids[(n + k) % system_ids.len()]),
                kind: Set(if k == 0 {
                    ImpactKind::Direct
                } else {
                    ImpactKind::Regression
                }),
                notes: Set(None),
                created_at: Set(now),
            });
        }
        for p in 0..packages {
            let package_id = new_uuid();
            let system_id = system_ids[(n + p) % system_ids.len()];
            package_rows.push(package::ActiveModel {
                id: Set(package_id),
                release_id: Set(*release_id),
                system_id: Set(system_id),
                name: Set(format!("package {p}")),
                version: Set(format!("{n}.{p}.0")),
                kind: Set(PackageKind::Deployment),
                status: Set(PackageStatus::Ready),
                jira_key: Set(Some(format!("BULK-{n}-{p}"))),
                change_request_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            for env in environment_ids.iter().take(2) {
                deployments.push(deployment::ActiveModel {
                    id: Set(new_uuid()),
                    package_id: Set(package_id),
                    environment_id: Set(*env),
                    system_id: Set(system_id),
                    release_id: Set(*release_id),
                    version: Set(format!("{n}.{p}.0")),
                    status: Set(DeploymentStatus::Succeeded),
                    deployed_at: Set(now - Duration::minutes((n * packages + p) as i64)),
                    deployed_by: Set(None),
                    deployed_by_name: Set("bulk".into()),
                    notes: Set(None),
                    created_at: Set(now),
                });
            }
        }
    }
    insert_chunks(store, phases).await?;
    insert_chunks(store, milestones).await?;
    insert_chunks(store, impacts).await?;
    insert_chunks(store, package_rows).await?;
    insert_chunks(store, deployments).await?;
    Ok(release_ids)
}

/// Where `bulk_bookings` put its bookings, so a benchmark can find the free gaps between them.
pub struct BookingLayout {
    pub environment_ids: Vec<Uuid>,
    pub release_id: Uuid,
    /// Booking `k` of every environment runs [origin + k × stride, + length).
    pub origin: chrono::DateTime<Utc>,
    pub stride: Duration,
    pub length: Duration,
    /// Index of the first booking that starts after the seeding time.
    pub first_future: i64,
    pub per_environment: i64,
}

impl BookingLayout {
    /// The start of the free gap after booking `k` (the gap lasts `stride - length`).
    pub fn gap_after(&self, k: i64) -> chrono::DateTime<Utc> {
        self.origin + self.stride * k as i32 + self.length
    }
}

/// Creates `count` bookings spread over `environments` exclusive environments (each a daily
/// 20-hour booking, four fifths of them in the past), for one release. Most are APPROVED; some
/// REQUESTED, REJECTED or CANCELLED. Bulk inserted, no audit: generated load.
pub async fn bulk_bookings(
    store: &Store,
    prefix: &str,
    count: usize,
    environments: usize,
) -> anyhow::Result<BookingLayout> {
    let now = store.now();
    let environments = environments.max(1);
    let per_environment = (count / environments).max(1) as i64;
    let stride = Duration::hours(24);
    let length = Duration::hours(20);
    let today = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let past = per_environment * 4 / 5;
    let origin = today - stride * past as i32;

    let release_id = new_uuid();
    let key = format!("{prefix}-BOOKINGS");
    let name = format!("{prefix} booking load");
    insert_chunks(
        store,
        vec![release::ActiveModel {
            id: Set(release_id),
            search_text: Set(format!("{key} {name}").to_lowercase()),
            key: Set(key),
            name: Set(name),
            description: Set(None),
            kind: Set(ReleaseKind::Independent),
            status: Set(ReleaseStatus::InProgress),
            risk: Set(RiskLevel::Medium),
            parent_id: Set(None),
            owner_id: Set(None),
            planned_start: Set(origin.date_naive()),
            planned_go_live: Set((origin + stride * per_environment as i32).date_naive()),
            actual_start: Set(Some(now)),
            actual_go_live: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }],
    )
    .await?;
    let envs: Vec<environment::ActiveModel> = (0..environments)
        .map(|n| environment::ActiveModel {
            id: Set(new_uuid()),
            name: Set(format!("{prefix}-BKG-ENV-{n}")),
            tier: Set(EnvironmentTier::Sit),
            status: Set(EnvironmentStatus::Available),
            group_id: Set(None),
            description: Set(None),
            url: Set(None),
            owner_id: Set(None),
            capacity: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    let environment_ids: Vec<Uuid> = envs.iter().map(|e| *e.id.as_ref()).collect();
    insert_chunks(store, envs).await?;

    let mut rows = Vec::with_capacity(count);
    for env in &environment_ids {
        for k in 0..per_environment {
            let starts_at = origin + stride * k as i32;
            let status = match (k % 20, starts_at > now) {
                (0, true) => BookingStatus::Requested,
                (0, false) => BookingStatus::Rejected,
                (10, _) => BookingStatus::Cancelled,
                _ => BookingStatus::Approved,
            };
            let decided = matches!(status, BookingStatus::Approved | BookingStatus::Rejected);
            rows.push(booking::ActiveModel {
                id: Set(new_uuid()),
                environment_id: Set(*env),
                release_id: Set(release_id),
                phase_id: Set(None),
                series_id: Set(None),
                purpose: Set("Generated load".into()),
                starts_at: Set(starts_at),
                ends_at: Set(starts_at + length),
                status: Set(status),
                requested_by: Set(None),
                requested_by_name: Set("bulk".into()),
                decided_by: Set(None),
                decided_by_name: Set(decided.then(|| "bulk".to_owned())),
                decided_at: Set(decided.then_some(now)),
                decision_comment: Set(None),
                cancelled_at: Set((status == BookingStatus::Cancelled).then_some(now)),
                cancel_reason: Set(None),
                waitlisted_at: Set(None),
                offered_at: Set(None),
                blackout_override: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
    }
    insert_chunks(store, rows).await?;
    Ok(BookingLayout {
        environment_ids,
        release_id,
        origin,
        stride,
        length,
        first_future: past,
        per_environment,
    })
}
