//! Moving a release through its phases: a phase is left only when its gates are passed or
//! waived; the release goes live only when the gates before go-live are.

use entity::{ReleaseStatus, gate, phase, release};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::ids::ReleaseId;
use crate::domain::{
    Actor, DomainError, DomainResult, governance::gate as gates, release as releases,
};

pub async fn phases_in_order<C: ConnectionTrait>(
    conn: &C,
    release_id: uuid::Uuid,
) -> DomainResult<Vec<phase::Model>> {
    Ok(phase::Entity::find()
        .filter(phase::Column::ReleaseId.eq(release_id))
        .order_by_asc(phase::Column::Position)
        .all(conn)
        .await?)
}

/// The phase the release is in: started and not ended.
pub fn current(phases: &[phase::Model]) -> Option<&phase::Model> {
    phases
        .iter()
        .find(|p| p.actual_start.is_some() && p.actual_end.is_none())
}

/// The gates at the exit of one phase.
pub async fn gates_of_phase<C: ConnectionTrait>(
    conn: &C,
    phase_id: uuid::Uuid,
) -> DomainResult<Vec<gate::Model>> {
    Ok(gate::Entity::find()
        .filter(gate::Column::PhaseId.eq(phase_id))
        .all(conn)
        .await?)
}

/// Leaves the current phase (its gates must be passed or waived) and starts the next; starts
/// the first when none has started.
pub async fn advance(store: &Store, actor: &Actor, id: ReleaseId) -> DomainResult<release::Model> {
    let mut tx = store.write().await?;
    let release = releases::get(&*tx, id).await?;
    if release.status != ReleaseStatus::InProgress {
        return Err(DomainError::invalid_transition(format!(
            "release {} is {}; phases advance while it is IN_PROGRESS",
            release.key, release.status
        )));
    }
    let phases = phases_in_order(&*tx, release.id).await?;
    if phases.is_empty() {
        return Err(DomainError::invalid_transition(format!(
            "release {} has no phases",
            release.key
        )));
    }
    let now = store.now();
    let next = match current(&phases) {
        Some(current) => {
            let gates = gates_of_phase(&*tx, current.id).await?;
            gates::ensure_passed(&*tx, &format!("leaving phase {}", current.name), &gates).await?;
            let mut ended = current.clone().into_active_model();
            ended.actual_end = Set(Some(now));
            ended.updated_at = Set(now);
            let ended = ended.update(&*tx).await?;
            tx.record(
                actor,
                Change::new("phase.end", "Phase", ended.id)
                    .in_release(release.id)
                    .before(current)
                    .after(&ended),
            )
            .await?;
            phases
                .iter()
                .find(|p| p.position > current.position && p.actual_start.is_none())
        }
        None => phases.iter().find(|p| p.actual_start.is_none()),
    };
    match next {
        Some(next) => {
            let mut started = next.clone().into_active_model();
            started.actual_start = Set(Some(now));
            started.updated_at = Set(now);
            let started = started.update(&*tx).await?;
            tx.record(
                actor,
                Change::new("phase.start", "Phase", started.id)
                    .in_release(release.id)
                    .before(next)
                    .after(&started),
            )
            .await?;
        }
        None if current(&phases).is_none() => {
            return Err(DomainError::invalid_transition(format!(
                "every phase of {} is done",
                release.key
            )));
        }
        None => {}
    }
    tx.commit().await?;
    Ok(release)
}

/// The gates that must be passed or waived before the release moves to `to`: before go-live,
/// those of every phase but the last (the go-live phase); before RELEASED, all of them.
pub async fn gates_before<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    to: ReleaseStatus,
) -> DomainResult<Vec<gate::Model>> {
    let phases = phases_in_order(conn, release.id).await?;
    let last = phases.last().map(|p| p.id);
    let gates = gates::gates_of_release(conn, release.id).await?;
    Ok(match to {
        ReleaseStatus::GoLive => gates
            .into_iter()
            .filter(|g| Some(g.phase_id) != last)
            .collect(),
        ReleaseStatus::Released => gates,
        _ => Vec::new(),
    })
}
