//! RACI: who is responsible, accountable, consulted and informed for a release, a gate, a
//! deployment plan or an activity. Exactly one accountable per subject — the database holds
//! that rule with a partial unique index; the code says it first, more clearly.

use entity::{RaciRole, RaciSubject, app_user, gate, raci_assignment, release};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::identity::Permission;
use crate::domain::ids::{RaciAssignmentId, TypedId, UserId, new_uuid};
use crate::domain::{Actor, DomainError, DomainResult, release as releases, validate};

/// What an assignment is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subject {
    pub kind: RaciSubject,
    pub id: Uuid,
}

/// The release a subject belongs to, checking that the subject exists.
pub async fn subject_release<C: ConnectionTrait>(
    conn: &C,
    subject: Subject,
) -> DomainResult<release::Model> {
    let release_id = match subject.kind {
        RaciSubject::Release => subject.id,
        RaciSubject::Gate => {
            gate::Entity::find_by_id(subject.id)
                .one(conn)
                .await?
                .ok_or_else(|| {
                    DomainError::not_found("Gate", crate::domain::ids::GateId(subject.id))
                })?
                .release_id
        }
        RaciSubject::DeploymentPlan => {
            crate::domain::golive::plan::get(conn, crate::domain::ids::DeploymentPlanId(subject.id))
                .await?
                .release_id
        }
        RaciSubject::Activity => {
            let activity = crate::domain::golive::plan::get_activity(
                conn,
                crate::domain::ids::ActivityId(subject.id),
            )
            .await?;
            crate::domain::golive::plan::get(
                conn,
                crate::domain::ids::DeploymentPlanId(activity.plan_id),
            )
            .await?
            .release_id
        }
    };
    releases::get(conn, crate::domain::ids::ReleaseId(release_id)).await
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: RaciAssignmentId,
) -> DomainResult<raci_assignment::Model> {
    raci_assignment::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("RaciAssignment", id))
}

pub async fn for_subject<C: ConnectionTrait>(
    conn: &C,
    subject: Subject,
) -> DomainResult<Vec<raci_assignment::Model>> {
    Ok(raci_assignment::Entity::find()
        .filter(raci_assignment::Column::SubjectType.eq(subject.kind))
        .filter(raci_assignment::Column::SubjectId.eq(subject.id))
        .order_by_asc(raci_assignment::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// The accountable person (or team) of a subject, if one is named.
pub async fn accountable<C: ConnectionTrait>(
    conn: &C,
    subject: Subject,
) -> DomainResult<Option<raci_assignment::Model>> {
    Ok(raci_assignment::Entity::find()
        .filter(raci_assignment::Column::SubjectType.eq(subject.kind))
        .filter(raci_assignment::Column::SubjectId.eq(subject.id))
        .filter(raci_assignment::Column::Role.eq(RaciRole::Accountable))
        .one(conn)
        .await?)
}

/// Users with one of `roles` on the subject.
pub async fn users_with<C: ConnectionTrait>(
    conn: &C,
    subject: Subject,
    roles: &[RaciRole],
) -> DomainResult<Vec<Uuid>> {
    Ok(for_subject(conn, subject)
        .await?
        .into_iter()
        .filter(|a| roles.contains(&a.role))
        .filter_map(|a| a.user_id)
        .collect())
}

/// Release people name the stakeholders of releases and gates (project managers: of PROJECT
/// releases); whoever builds deployment plans also names those of plans and activities.
fn check_may_assign(
    actor: &Actor,
    kind: RaciSubject,
    release: &release::Model,
) -> DomainResult<()> {
    let plan_part = matches!(kind, RaciSubject::DeploymentPlan | RaciSubject::Activity);
    if plan_part && Permission::ManagePlans.allows(&actor.roles) {
        return Ok(());
    }
    if Permission::ManageReleases.allows(&actor.roles) {
        return releases::check_kind_allowed(actor, release.kind);
    }
    let needed = if plan_part {
        "ADMIN, RELEASE_MANAGER, IMPLEMENTATION_MANAGER or PROJECT_MANAGER"
    } else {
        "ADMIN, RELEASE_MANAGER or PROJECT_MANAGER"
    };
    Err(DomainError::forbidden(format!(
        "naming the stakeholders of a {kind} needs one of the roles {needed}"
    )))
}

pub struct NewAssignment {
    pub subject: Subject,
    pub user_id: Option<UserId>,
    pub team: Option<String>,
    pub role: RaciRole,
}

pub async fn assign(
    store: &Store,
    actor: &Actor,
    input: NewAssignment,
) -> DomainResult<raci_assignment::Model> {
    let team = validate::optional("team", input.team.as_deref(), 200)?;
    if input.user_id.is_some() == team.is_some() {
        return Err(DomainError::validation(
            "userId",
            "name either a user or a team",
        ));
    }
    let tx = store.write().await?;
    let release = subject_release(&*tx, input.subject).await?;
    check_may_assign(actor, input.subject.kind, &release)?;
    if let Some(user) = input.user_id
        && app_user::Entity::find_by_id(user.0)
            .one(&*tx)
            .await?
            .is_none()
    {
        return Err(DomainError::validation(
            "userId",
            format!("user {user} does not exist"),
        ));
    }
    let existing = for_subject(&*tx, input.subject).await?;
    if input.role == RaciRole::Accountable
        && let Some(current) = existing.iter().find(|a| a.role == RaciRole::Accountable)
    {
        return Err(DomainError::Conflict {
                message: "this already has an accountable; exactly one is allowed (remove the current one first)".into(),
                conflicting: vec![RaciAssignmentId(current.id).encode()],
            });
    }
    let duplicate = existing
        .iter()
        .any(|a| a.role == input.role && a.user_id == input.user_id.map(|u| u.0) && a.team == team);
    if duplicate {
        return Err(DomainError::conflict(
            "this stakeholder already has that role here",
        ));
    }
    let model = raci_assignment::ActiveModel {
        id: Set(new_uuid()),
        subject_type: Set(input.subject.kind),
        subject_id: Set(input.subject.id),
        release_id: Set(Some(release.id)),
        user_id: Set(input.user_id.map(|u| u.0)),
        team: Set(team),
        role: Set(input.role),
        created_at: Set(store.now()),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("raci.assign", "RaciAssignment", model.id)
            .in_release(release.id)
            .after(&model),
    )
    .await?;
    Ok(model)
}

pub async fn remove(store: &Store, actor: &Actor, id: RaciAssignmentId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let release = subject_release(
        &*tx,
        Subject {
            kind: before.subject_type,
            id: before.subject_id,
        },
    )
    .await?;
    check_may_assign(actor, before.subject_type, &release)?;
    raci_assignment::Entity::delete_by_id(before.id)
        .exec(&*tx)
        .await?;
    tx.commit_change(
        actor,
        Change::new("raci.remove", "RaciAssignment", before.id)
            .in_release(release.id)
            .before(&before),
    )
    .await?;
    Ok(())
}

/// Everything a user is responsible or accountable for, with what is due when.
pub async fn responsibilities<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
) -> DomainResult<Vec<raci_assignment::Model>> {
    Ok(raci_assignment::Entity::find()
        .filter(raci_assignment::Column::UserId.eq(user_id))
        .filter(raci_assignment::Column::Role.is_in([RaciRole::Responsible, RaciRole::Accountable]))
        .order_by_asc(raci_assignment::Column::CreatedAt)
        .all(conn)
        .await?)
}
