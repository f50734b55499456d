//! Blackout periods: when bookings (and releases going live) are refused, org-wide or for
//! chosen environments and systems. Periods are stored in UTC and shown in their IANA zone.
//! Roles holding `Permission::OverrideBlackouts` may go ahead anyway with a reason, which is
//! audited as `blackout.override`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use entity::{
    EnvironmentTier, ReleaseStatus, blackout, blackout_environment, blackout_system, environment,
    environment_system, release, release_impact,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::governance::audit::Change;
use crate::domain::identity::Permission;
use crate::domain::ids::{BlackoutId, EnvironmentId, SystemId, TypedId, new_uuid};
use crate::domain::{Actor, DomainError, DomainResult, clock, validate};

/// Longest blackout accepted.
const MAX_DAYS: i64 = 400;
/// Most blackouts one list answers.
pub const MAX_LIST: u64 = 500;

pub struct NewBlackout {
    pub name: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// Both empty: org-wide.
    pub environment_ids: Vec<EnvironmentId>,
    pub system_ids: Vec<SystemId>,
}

#[derive(Default)]
pub struct BlackoutPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub environment_ids: Option<Vec<EnvironmentId>>,
    pub system_ids: Option<Vec<SystemId>>,
}

#[derive(Default)]
pub struct BlackoutFilter {
    /// Blackouts ending after `from` …
    pub from: Option<DateTime<Utc>>,
    /// … and starting before `to`.
    pub to: Option<DateTime<Utc>>,
    /// Only those that apply to this environment (org-wide ones included).
    pub environment_id: Option<EnvironmentId>,
}

/// Checks an IANA time zone name (`Europe/London`, `UTC`).
pub fn time_zone(field: &str, name: &str) -> DomainResult<chrono_tz::Tz> {
    name.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        DomainError::validation(
            field,
            format!(
                "'{}' is not an IANA time zone such as Europe/London",
                name.trim()
            ),
        )
    })
}

/// An instant shown in a zone, RFC 3339 with the zone's offset (`2026-12-18T00:00:00+00:00`).
pub fn local(at: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        Err(_) => at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    }
}

/// "Year-end change freeze (2026-12-18 00:00 – 2027-01-04 00:00 Europe/London)".
pub fn describe(model: &blackout::Model) -> String {
    let show = |at: DateTime<Utc>| match model.time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => at.format("%Y-%m-%d %H:%M").to_string(),
    };
    format!(
        "'{}' ({} – {} {})",
        model.name,
        show(model.starts_at),
        show(model.ends_at),
        model.time_zone
    )
}

fn check_period(start: DateTime<Utc>, end: DateTime<Utc>) -> DomainResult<()> {
    if end <= start {
        return Err(DomainError::validation("endsAt", "must be after startsAt"));
    }
    if end - start > chrono::TimeDelta::days(MAX_DAYS) {
        return Err(DomainError::validation(
            "endsAt",
            format!("a blackout can last at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: BlackoutId) -> DomainResult<blackout::Model> {
    blackout::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Blackout", id))
}

/// Blackouts that apply to an environment: org-wide, naming it, or naming a system it hosts.
fn applies_to_environment(environment_id: Uuid) -> Condition {
    Condition::any()
        .add(blackout::Column::OrgWide.eq(true))
        .add(
            blackout::Column::Id.in_subquery(
                Query::select()
                    .column(blackout_environment::Column::BlackoutId)
                    .from(blackout_environment::Entity)
                    .and_where(blackout_environment::Column::EnvironmentId.eq(environment_id))
                    .to_owned(),
            ),
        )
        .add(
            blackout::Column::Id.in_subquery(
                Query::select()
                    .column(blackout_system::Column::BlackoutId)
                    .from(blackout_system::Entity)
                    .and_where(
                        blackout_system::Column::SystemId.in_subquery(
                            Query::select()
                                .column(environment_system::Column::SystemId)
                                .from(environment_system::Entity)
                                .and_where(
                                    environment_system::Column::EnvironmentId.eq(environment_id),
                                )
                                .to_owned(),
                        ),
                    )
                    .to_owned(),
            ),
        )
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &BlackoutFilter,
) -> DomainResult<Vec<blackout::Model>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(DomainError::validation("to", "must be after from"));
    }
    let mut query = blackout::Entity::find();
    if let Some(from) = filter.from {
        query = query.filter(blackout::Column::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(blackout::Column::StartsAt.lt(to));
    }
    if let Some(env) = filter.environment_id {
        query = query.filter(applies_to_environment(env.0));
    }
    Ok(query
        .order_by_asc(blackout::Column::StartsAt)
        .order_by_asc(blackout::Column::Id)
        .limit(MAX_LIST)
        .all(conn)
        .await?)
}

/// Blackouts overlapping [start, end) that apply to the environment, by start.
pub async fn overlapping_environment<C: ConnectionTrait>(
    conn: &C,
    environment_id: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> DomainResult<Vec<blackout::Model>> {
    Ok(blackout::Entity::find()
        .filter(blackout::Column::EndsAt.gt(start))
        .filter(blackout::Column::StartsAt.lt(end))
        .filter(applies_to_environment(environment_id))
        .order_by_asc(blackout::Column::StartsAt)
        .all(conn)
        .await?)
}

/// The days (UTC, both ends included) that org-wide blackouts ending after `from` cover, for
/// laying a new release's phases out around them.
pub async fn org_wide_days<C: ConnectionTrait>(
    conn: &C,
    from: NaiveDate,
) -> DomainResult<Vec<(NaiveDate, NaiveDate)>> {
    let after = from.and_time(NaiveTime::MIN).and_utc();
    Ok(blackout::Entity::find()
        .filter(blackout::Column::OrgWide.eq(true))
        .filter(blackout::Column::EndsAt.gt(after))
        .order_by_asc(blackout::Column::StartsAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|b| {
            let last = b.ends_at - TimeDelta::seconds(1);
            (
                b.starts_at.date_naive(),
                last.date_naive().max(b.starts_at.date_naive()),
            )
        })
        .collect())
}

/// For each environment of `environment_ids`, the blackouts (of `blackouts`) that apply to it.
pub async fn by_environment<C: ConnectionTrait>(
    conn: &C,
    blackouts: &[blackout::Model],
    environment_ids: &[Uuid],
) -> DomainResult<HashMap<Uuid, Vec<blackout::Model>>> {
    let mut result: HashMap<Uuid, Vec<blackout::Model>> = HashMap::new();
    if blackouts.is_empty() || environment_ids.is_empty() {
        return Ok(result);
    }
    let ids: Vec<Uuid> = blackouts.iter().map(|b| b.id).collect();
    let named_envs: Vec<(Uuid, Uuid)> = blackout_environment::Entity::find()
        .select_only()
        .column(blackout_environment::Column::BlackoutId)
        .column(blackout_environment::Column::EnvironmentId)
        .filter(blackout_environment::Column::BlackoutId.is_in(ids.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    let named_systems: Vec<(Uuid, Uuid)> = blackout_system::Entity::find()
        .select_only()
        .column(blackout_system::Column::BlackoutId)
        .column(blackout_system::Column::SystemId)
        .filter(blackout_system::Column::BlackoutId.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    let hosted: Vec<(Uuid, Uuid)> = if named_systems.is_empty() {
        Vec::new()
    } else {
        environment_system::Entity::find()
            .select_only()
            .column(environment_system::Column::EnvironmentId)
            .column(environment_system::Column::SystemId)
            .filter(environment_system::Column::EnvironmentId.is_in(environment_ids.to_vec()))
            .into_tuple()
            .all(conn)
            .await?
    };
    let envs: HashSet<(Uuid, Uuid)> = named_envs.into_iter().collect();
    let systems: HashSet<(Uuid, Uuid)> = named_systems.into_iter().collect();
    for env in environment_ids {
        let env_systems: Vec<Uuid> = hosted
            .iter()
            .filter(|(e, _)| e == env)
            .map(|(_, s)| *s)
            .collect();
        for b in blackouts {
            let applies = b.org_wide
                || envs.contains(&(b.id, *env))
                || env_systems.iter().any(|s| systems.contains(&(b.id, *s)));
            if applies {
                result.entry(*env).or_default().push(b.clone());
            }
        }
    }
    Ok(result)
}

/// The refusal naming the blackouts.
pub fn refusal(what: &str, blackouts: &[&blackout::Model]) -> DomainError {
    let names: Vec<String> = blackouts.iter().map(|b| describe(b)).collect();
    DomainError::Conflict {
        message: format!(
            "{what} falls in blackout {}; an admin, release manager or environment manager may override it with overrideBlackoutReason",
            names.join(", ")
        ),
        conflicting: blackouts
            .iter()
            .map(|b| BlackoutId(b.id).encode())
            .collect(),
    }
}

/// Checks an override reason: the actor must hold `OverrideBlackouts` and say why.
pub fn override_reason(actor: &Actor, reason: Option<&str>) -> DomainResult<Option<String>> {
    let Some(reason) = validate::optional("overrideBlackoutReason", reason, 2000)? else {
        return Ok(None);
    };
    if !Permission::OverrideBlackouts.allows(&actor.roles) {
        let roles: Vec<&str> = Permission::OverrideBlackouts
            .roles()
            .iter()
            .map(|r| r.as_str())
            .collect();
        return Err(DomainError::forbidden(format!(
            "overriding a blackout needs one of the roles {}",
            roles.join(", ")
        )));
    }
    Ok(Some(reason))
}

/// Audits an override of `blackout` for `what` (bookings or a release going live).
pub async fn record_override(
    tx: &mut WriteTx,
    actor: &Actor,
    blackout: &blackout::Model,
    release_id: Uuid,
    reason: &str,
    what: serde_json::Value,
) -> DomainResult<()> {
    let mut change =
        Change::new("blackout.override", "Blackout", blackout.id).in_release(release_id);
    change.after = Some(serde_json::json!({
        "blackout": blackout.name,
        "reason": reason,
        "overriddenFor": what,
    }));
    tx.record(actor, change).await
}

/// The blackouts in force at `now` that keep `release` from going live: org-wide ones, those
/// naming a system the release impacts, and those naming a production environment hosting
/// such a system.
pub async fn active_for_release<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    now: DateTime<Utc>,
) -> DomainResult<Vec<blackout::Model>> {
    let active = blackout::Entity::find()
        .filter(blackout::Column::EndsAt.gt(now))
        .filter(blackout::Column::StartsAt.lte(now))
        .order_by_asc(blackout::Column::StartsAt)
        .all(conn)
        .await?;
    if active.is_empty() {
        return Ok(active);
    }
    let impacted: Vec<Uuid> = release_impact::Entity::find()
        .select_only()
        .column(release_impact::Column::SystemId)
        .filter(release_impact::Column::ReleaseId.eq(release.id))
        .into_tuple()
        .all(conn)
        .await?;
    let prod_hosting: Vec<Uuid> = if impacted.is_empty() {
        Vec::new()
    } else {
        environment::Entity::find()
            .select_only()
            .column(environment::Column::Id)
            .filter(environment::Column::Tier.eq(EnvironmentTier::Prod))
            .filter(
                environment::Column::Id.in_subquery(
                    Query::select()
                        .column(environment_system::Column::EnvironmentId)
                        .from(environment_system::Entity)
                        .and_where(environment_system::Column::SystemId.is_in(impacted.clone()))
                        .to_owned(),
                ),
            )
            .into_tuple()
            .all(conn)
            .await?
    };
    let scoped: Vec<Uuid> = active
        .iter()
        .filter(|b| !b.org_wide)
        .map(|b| b.id)
        .collect();
    let mut scoped_hits: HashSet<Uuid> = HashSet::new();
    if !scoped.is_empty() {
        if !impacted.is_empty() {
            let by_system: Vec<Uuid> = blackout_system::Entity::find()
                .select_only()
                .column(blackout_system::Column::BlackoutId)
                .filter(blackout_system::Column::BlackoutId.is_in(scoped.clone()))
                .filter(blackout_system::Column::SystemId.is_in(impacted))
                .into_tuple()
                .all(conn)
                .await?;
            scoped_hits.extend(by_system);
        }
        if !prod_hosting.is_empty() {
            let by_env: Vec<Uuid> = blackout_environment::Entity::find()
                .select_only()
                .column(blackout_environment::Column::BlackoutId)
                .filter(blackout_environment::Column::BlackoutId.is_in(scoped))
                .filter(blackout_environment::Column::EnvironmentId.is_in(prod_hosting))
                .into_tuple()
                .all(conn)
                .await?;
            scoped_hits.extend(by_env);
        }
    }
    Ok(active
        .into_iter()
        .filter(|b| b.org_wide || scoped_hits.contains(&b.id))
        .collect())
}

/// Refuses a release's move to GO_LIVE or RELEASED while a blackout applies to it: an
/// org-wide blackout, one naming a system the release impacts, or one naming a production
/// environment that hosts such a system. With an override reason (and the role for it) the
/// move goes ahead and the override is audited. Other moves pass.
pub async fn check_go_live(
    tx: &mut WriteTx,
    actor: &Actor,
    release: &release::Model,
    to: ReleaseStatus,
    override_reason_text: Option<&str>,
) -> DomainResult<()> {
    if !matches!(to, ReleaseStatus::GoLive | ReleaseStatus::Released) {
        return Ok(());
    }
    let reason = override_reason(actor, override_reason_text)?;
    let active = active_for_release(&**tx, release, tx.now()).await?;
    let hits: Vec<&blackout::Model> = active.iter().collect();
    if hits.is_empty() {
        return Ok(());
    }
    let Some(reason) = reason else {
        return Err(refusal(
            &format!("release {} going {to} now", release.key),
            &hits,
        ));
    };
    for b in hits {
        record_override(
            tx,
            actor,
            b,
            release.id,
            &reason,
            serde_json::json!({ "release": release.key, "to": to }),
        )
        .await?;
    }
    Ok(())
}

async fn check_scope<C: ConnectionTrait>(
    conn: &C,
    environments: &[EnvironmentId],
    systems: &[SystemId],
) -> DomainResult<(Vec<Uuid>, Vec<Uuid>)> {
    let dedupe = |ids: Vec<Uuid>| {
        let mut seen = HashSet::new();
        ids.into_iter()
            .filter(|i| seen.insert(*i))
            .collect::<Vec<_>>()
    };
    let envs = dedupe(environments.iter().map(|e| e.0).collect());
    let syss = dedupe(systems.iter().map(|s| s.0).collect());
    if envs.len() > 200 || syss.len() > 200 {
        return Err(DomainError::validation(
            "environmentIds",
            "a blackout names at most 200 environments and 200 systems",
        ));
    }
    if !envs.is_empty() {
        let found: HashSet<Uuid> = environment::Entity::find()
            .select_only()
            .column(environment::Column::Id)
            .filter(environment::Column::Id.is_in(envs.clone()))
            .into_tuple::<Uuid>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        if let Some(missing) = envs.iter().find(|e| !found.contains(e)) {
            return Err(DomainError::validation(
                "environmentIds",
                format!("environment {} does not exist", EnvironmentId(*missing)),
            ));
        }
    }
    if !syss.is_empty() {
        let found: HashSet<Uuid> = entity::system::Entity::find()
            .select_only()
            .column(entity::system::Column::Id)
            .filter(entity::system::Column::Id.is_in(syss.clone()))
            .into_tuple::<Uuid>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        if let Some(missing) = syss.iter().find(|s| !found.contains(s)) {
            return Err(DomainError::validation(
                "systemIds",
                format!("system {} does not exist", SystemId(*missing)),
            ));
        }
    }
    Ok((envs, syss))
}

async fn write_scope<C: ConnectionTrait>(
    conn: &C,
    blackout_id: Uuid,
    environments: Option<&[Uuid]>,
    systems: Option<&[Uuid]>,
) -> DomainResult<()> {
    if let Some(environments) = environments {
        blackout_environment::Entity::delete_many()
            .filter(blackout_environment::Column::BlackoutId.eq(blackout_id))
            .exec(conn)
            .await?;
        if !environments.is_empty() {
            blackout_environment::Entity::insert_many(environments.iter().map(|e| {
                blackout_environment::ActiveModel {
                    blackout_id: Set(blackout_id),
                    environment_id: Set(*e),
                }
            }))
            .exec(conn)
            .await?;
        }
    }
    if let Some(systems) = systems {
        blackout_system::Entity::delete_many()
            .filter(blackout_system::Column::BlackoutId.eq(blackout_id))
            .exec(conn)
            .await?;
        if !systems.is_empty() {
            blackout_system::Entity::insert_many(systems.iter().map(|s| {
                blackout_system::ActiveModel {
                    blackout_id: Set(blackout_id),
                    system_id: Set(*s),
                }
            }))
            .exec(conn)
            .await?;
        }
    }
    Ok(())
}

async fn scope_of<C: ConnectionTrait>(
    conn: &C,
    blackout_id: Uuid,
) -> DomainResult<(Vec<Uuid>, Vec<Uuid>)> {
    let envs = blackout_environment::Entity::find()
        .select_only()
        .column(blackout_environment::Column::EnvironmentId)
        .filter(blackout_environment::Column::BlackoutId.eq(blackout_id))
        .into_tuple()
        .all(conn)
        .await?;
    let systems = blackout_system::Entity::find()
        .select_only()
        .column(blackout_system::Column::SystemId)
        .filter(blackout_system::Column::BlackoutId.eq(blackout_id))
        .into_tuple()
        .all(conn)
        .await?;
    Ok((envs, systems))
}

fn audited(model: &blackout::Model, environments: &[Uuid], systems: &[Uuid]) -> serde_json::Value {
    let mut value = serde_json::to_value(model).unwrap_or_default();
    value["environmentIds"] = serde_json::json!(environments);
    value["systemIds"] = serde_json::json!(systems);
    value
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewBlackout,
) -> DomainResult<blackout::Model> {
    let name = validate::required("name", &input.name, 200)?;
    let description = validate::optional("description", input.description.as_deref(), 10_000)?;
    let zone = time_zone("timeZone", &input.time_zone)?;
    let (starts_at, ends_at) = (
        clock::truncate(input.starts_at),
        clock::truncate(input.ends_at),
    );
    check_period(starts_at, ends_at)?;
    let tx = store.write().await?;
    let (envs, systems) = check_scope(&*tx, &input.environment_ids, &input.system_ids).await?;
    let now = store.now();
    let model = blackout::ActiveModel {
        id: Set(new_uuid()),
        name: Set(name),
        description: Set(description),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        time_zone: Set(zone.name().to_owned()),
        org_wide: Set(envs.is_empty() && systems.is_empty()),
        created_by: Set(actor.user_id()),
        created_by_name: Set(actor.name.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    write_scope(&*tx, model.id, Some(&envs), Some(&systems)).await?;
    let mut change = Change::new("blackout.create", "Blackout", model.id);
    change.after = Some(audited(&model, &envs, &systems));
    tx.commit_change(actor, change).await?;
    Ok(model)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: BlackoutId,
    patch: BlackoutPatch,
) -> DomainResult<blackout::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let (old_envs, old_systems) = scope_of(&*tx, before.id).await?;
    let mut active = before.clone().into_active_model();
    if let Some(name) = patch.name {
        active.name = Set(validate::required("name", &name, 200)?);
    }
    if let Some(description) = patch.description {
        active.description = Set(validate::optional(
            "description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(zone) = patch.time_zone {
        active.time_zone = Set(time_zone("timeZone", &zone)?.name().to_owned());
    }
    let starts_at = patch
        .starts_at
        .map(clock::truncate)
        .unwrap_or(before.starts_at);
    let ends_at = patch.ends_at.map(clock::truncate).unwrap_or(before.ends_at);
    check_period(starts_at, ends_at)?;
    active.starts_at = Set(starts_at);
    active.ends_at = Set(ends_at);
    let new_envs = patch.environment_ids.as_deref().unwrap_or(&[]);
    let new_systems = patch.system_ids.as_deref().unwrap_or(&[]);
    let (envs, systems) = check_scope(&*tx, new_envs, new_systems).await?;
    let envs = patch
        .environment_ids
        .as_ref()
        .map(|_| envs)
        .unwrap_or(old_envs.clone());
    let systems = patch
        .system_ids
        .as_ref()
        .map(|_| systems)
        .unwrap_or(old_systems.clone());
    write_scope(
        &*tx,
        before.id,
        patch.environment_ids.as_ref().map(|_| envs.as_slice()),
        patch.system_ids.as_ref().map(|_| systems.as_slice()),
    )
    .await?;
    active.org_wide = Set(envs.is_empty() && systems.is_empty());
    active.updated_at = Set(store.now());
    let after = active.update(&*tx).await?;
    let mut change = Change::new("blackout.update", "Blackout", after.id);
    change.before = Some(audited(&before, &old_envs, &old_systems));
    change.after = Some(audited(&after, &envs, &systems));
    tx.commit_change(actor, change).await?;
    Ok(after)
}

pub async fn delete(store: &Store, actor: &Actor, id: BlackoutId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let (envs, systems) = scope_of(&*tx, before.id).await?;
    blackout::Entity::delete_by_id(before.id).exec(&*tx).await?;
    let mut change = Change::new("blackout.delete", "Blackout", before.id);
    change.before = Some(audited(&before, &envs, &systems));
    tx.commit_change(actor, change).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_iana_names() {
        assert!(time_zone("timeZone", "Europe/London").is_ok());
        assert!(time_zone("timeZone", "UTC").is_ok());
        assert!(time_zone("timeZone", "Mars/Olympus").is_err());
        assert!(time_zone("timeZone", "").is_err());
    }

    #[test]
    fn local_times_carry_the_zone_offset() {
        let winter = chrono::DateTime::parse_from_rfc3339("2026-12-18T00:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(local(winter, "Europe/London"), "2026-12-18T00:00:00+00:00");
        assert_eq!(local(winter, "Europe/Berlin"), "2026-12-18T01:00:00+01:00");
        let summer = chrono::DateTime::parse_from_rfc3339("2026-07-01T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(local(summer, "Europe/London"), "2026-07-01T13:00:00+01:00");
    }
}
