//! Drift between two environments: which systems run different versions, and which
//! configuration keys differ (STAGING against PROD before a go-live, say). Computed on demand
//! from what runs where and the current configuration; a fixed number of statements.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::{config_entry, deployment, environment, system};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::ids::EnvironmentId;
use crate::domain::{
    DomainError, DomainResult, environment as environments, environment::deployment as deployments,
};

/// How one side compares with the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftState {
    Same,
    Different,
    OnlyLeft,
    OnlyRight,
}

impl DriftState {
    fn of<T: PartialEq>(left: Option<T>, right: Option<T>) -> Self {
        match (left, right) {
            (Some(l), Some(r)) if l == r => DriftState::Same,
            (Some(_), Some(_)) => DriftState::Different,
            (Some(_), None) => DriftState::OnlyLeft,
            (None, Some(_)) => DriftState::OnlyRight,
            (None, None) => DriftState::Same,
        }
    }
}

/// A system hosted by (or deployed on) either environment, with what runs on each side.
#[derive(Debug, Clone)]
pub struct SystemDrift {
    pub system: system::Model,
    pub hosted_left: bool,
    pub hosted_right: bool,
    pub left: Option<deployment::Model>,
    pub right: Option<deployment::Model>,
    pub state: DriftState,
}

/// A configuration key set on either environment.
#[derive(Debug, Clone)]
pub struct ConfigDrift {
    pub key: String,
    pub left: Option<config_entry::Model>,
    pub right: Option<config_entry::Model>,
    pub state: DriftState,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub left: environment::Model,
    pub right: environment::Model,
    pub systems: Vec<SystemDrift>,
    pub configuration: Vec<ConfigDrift>,
}

impl Comparison {
    /// Keeps only what differs.
    pub fn differences_only(mut self) -> Self {
        self.systems.retain(|s| s.state != DriftState::Same);
        self.configuration.retain(|c| c.state != DriftState::Same);
        self
    }
}

/// Compares `left` with `right`, systems by code and keys alphabetically. Secret values are
/// compared like any other; whoever shows them masks what the caller may not read.
pub async fn compare<C: ConnectionTrait>(
    conn: &C,
    left: EnvironmentId,
    right: EnvironmentId,
) -> DomainResult<Comparison> {
    if left == right {
        return Err(DomainError::validation(
            "rightId",
            "compare two different environments",
        ));
    }
    let left = environments::get(conn, left).await?;
    let right = environments::get(conn, right).await?;

    let hosted_left: BTreeSet<Uuid> = environments::hosted_system_ids(conn, left.id)
        .await?
        .into_iter()
        .collect();
    let hosted_right: BTreeSet<Uuid> = environments::hosted_system_ids(conn, right.id)
        .await?
        .into_iter()
        .collect();
    let mut running: HashMap<(Uuid, Uuid), deployment::Model> =
        deployments::current_versions(conn, &[left.id, right.id], &[])
            .await?
            .into_iter()
            .map(|d| ((d.environment_id, d.system_id), d))
            .collect();
    let system_ids: BTreeSet<Uuid> = hosted_left
        .iter()
        .chain(&hosted_right)
        .copied()
        .chain(running.keys().map(|(_, system)| *system))
        .collect();
    let mut systems: Vec<system::Model> = if system_ids.is_empty() {
        Vec::new()
    } else {
        system::Entity::find()
            .filter(system::Column::Id.is_in(system_ids))
            .all(conn)
            .await?
    };
    systems.sort_by(|a, b| a.code.cmp(&b.code));
    let systems = systems
        .into_iter()
        .map(|system| {
            let l = running.remove(&(left.id, system.id));
            let r = running.remove(&(right.id, system.id));
            SystemDrift {
                hosted_left: hosted_left.contains(&system.id),
                hosted_right: hosted_right.contains(&system.id),
                state: DriftState::of(
                    l.as_ref().map(|d| d.version.as_str()),
                    r.as_ref().map(|d| d.version.as_str()),
                ),
                left: l,
                right: r,
                system,
            }
        })
        .collect();

    let mut keys: BTreeMap<String, (Option<config_entry::Model>, Option<config_entry::Model>)> =
        BTreeMap::new();
    for entry in environments::config_of(conn, left.id).await? {
        let key = entry.key.clone();
        keys.entry(key).or_default().0 = Some(entry);
    }
    for entry in environments::config_of(conn, right.id).await? {
        let key = entry.key.clone();
        keys.entry(key).or_default().1 = Some(entry);
    }
    let configuration = keys
        .into_iter()
        .map(|(key, (l, r))| ConfigDrift {
            state: DriftState::of(
                l.as_ref().map(|e| e.value.as_str()),
                r.as_ref().map(|e| e.value.as_str()),
            ),
            key,
            left: l,
            right: r,
        })
        .collect();
    Ok(Comparison {
        left,
        right,
        systems,
        configuration,
    })
}
