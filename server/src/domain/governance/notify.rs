//! Notifications: in-app messages to the right RACI people, and the outbox of webhook
//! deliveries. Event rules call `send` inside the transaction of the change they report;
//! time rules run from the scheduler. Each fact carries a key that is unique per user (and per
//! webhook), so it is delivered exactly once even when several instances notice it.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{
    DeliveryStatus, GateStatus, RaciRole, RaciSubject, ReleaseStatus, app_user, gate, milestone,
    notification, release, webhook, webhook_delivery,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::db::{Store, WriteTx};
use crate::domain::golive::run;
use crate::domain::governance::raci::{self, Subject};
use crate::domain::ids::{NotificationId, ReleaseId, TypedId, encode_named, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{Actor, DomainError, DomainResult};
use crate::events::DomainEvent;

/// The kinds of notification (also what webhooks subscribe to).
pub mod kind {
    pub const GATE_DUE: &str = "GATE_DUE";
    pub const GATE_PASSED: &str = "GATE_PASSED";
    pub const GATE_FAILED: &str = "GATE_FAILED";
    pub const GATE_WAIVED: &str = "GATE_WAIVED";
    pub const APPROVAL_REQUESTED: &str = "APPROVAL_REQUESTED";
    pub const MILESTONE_MISSED: &str = "MILESTONE_MISSED";
    pub const BOOKING_APPROVED: &str = "BOOKING_APPROVED";
    pub const BOOKING_REJECTED: &str = "BOOKING_REJECTED";
    pub const BOOKING_OFFERED: &str = "BOOKING_OFFERED";
    pub const ACTIVITY_BLOCKED: &str = "ACTIVITY_BLOCKED";
    pub const ACTIVITY_OVERDUE: &str = "ACTIVITY_OVERDUE";
    pub const GO_NO_GO_REQUESTED: &str = "GO_NO_GO_REQUESTED";

    pub const ALL: &[&str] = &[
        GATE_DUE,
        GATE_PASSED,
        GATE_FAILED,
        GATE_WAIVED,
        APPROVAL_REQUESTED,
        MILESTONE_MISSED,
        BOOKING_APPROVED,
        BOOKING_REJECTED,
        BOOKING_OFFERED,
        ACTIVITY_BLOCKED,
        ACTIVITY_OVERDUE,
        GO_NO_GO_REQUESTED,
    ];
}

/// One fact to tell people about.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub subject_type: Option<&'static str>,
    pub subject_id: Option<Uuid>,
    pub release_id: Option<Uuid>,
    /// Identifies the fact: the same key is never delivered twice to one person.
    pub fact: String,
}

/// Who hears about a subject: named users, and teams (which only webhooks can reach).
#[derive(Debug, Default, Clone)]
pub struct Audience {
    pub users: Vec<Uuid>,
    pub teams: Vec<String>,
}

impl Audience {
    fn add(&mut self, other: Audience) {
        for user in other.users {
            if !self.users.contains(&user) {
                self.users.push(user);
            }
        }
        for team in other.teams {
            if !self.teams.contains(&team) {
                self.teams.push(team);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty()
    }
}

/// The RACI people of `subject` holding `roles`.
pub async fn raci_audience<C: ConnectionTrait>(
    conn: &C,
    subject: Subject,
    roles: &[RaciRole],
) -> DomainResult<Audience> {
    let mut audience = Audience::default();
    for assignment in raci::for_subject(conn, subject).await? {
        if !roles.contains(&assignment.role) {
            continue;
        }
        match (assignment.user_id, assignment.team) {
            (Some(user), _) => audience.add(Audience {
                users: vec![user],
                teams: vec![],
            }),
            (None, Some(team)) => audience.add(Audience {
                users: vec![],
                teams: vec![team],
            }),
            _ => {}
        }
    }
    Ok(audience)
}

/// The people of a release with `roles`; its owner when none are named.
pub async fn release_audience<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    roles: &[RaciRole],
) -> DomainResult<Audience> {
    let mut audience = raci_audience(
        conn,
        Subject {
            kind: RaciSubject::Release,
            id: release.id,
        },
        roles,
    )
    .await?;
    if audience.is_empty()
        && let Some(owner) = release.owner_id
    {
        audience.users.push(owner);
    }
    Ok(audience)
}

/// The people of a gate with `roles`, falling back to the release's.
pub async fn gate_audience<C: ConnectionTrait>(
    conn: &C,
    gate: &gate::Model,
    release: &release::Model,
    roles: &[RaciRole],
) -> DomainResult<Audience> {
    let audience = raci_audience(
        conn,
        Subject {
            kind: RaciSubject::Gate,
            id: gate.id,
        },
        roles,
    )
    .await?;
    if audience.is_empty() {
        return release_audience(conn, release, roles).await;
    }
    Ok(audience)
}

/// Records the notice for every user of the audience and queues it for the webhooks that
/// want it; returns how many users were newly notified.
pub async fn send(tx: &mut WriteTx, audience: &Audience, notice: &Notice) -> DomainResult<usize> {
    let now = tx.now();
    let mut notified = 0;
    let active_users: Vec<Uuid> = if audience.users.is_empty() {
        Vec::new()
    } else {
        app_user::Entity::find()
            .select_only()
            .column(app_user::Column::Id)
            .filter(app_user::Column::Id.is_in(audience.users.clone()))
            .filter(app_user::Column::Active.eq(true))
            .into_tuple()
            .all(&**tx)
            .await?
    };
    for user in &active_users {
        let id = new_uuid();
        let inserted = notification::Entity::insert(notification::ActiveModel {
            id: Set(id),
            user_id: Set(*user),
            kind: Set(notice.kind.to_owned()),
            title: Set(notice.title.clone()),
            body: Set(notice.body.clone()),
            subject_type: Set(notice.subject_type.map(str::to_owned)),
            subject_id: Set(notice.subject_id),
            release_id: Set(notice.release_id),
            dedupe_key: Set(notice.fact.clone()),
            created_at: Set(now),
            read_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                notification::Column::UserId,
                notification::Column::DedupeKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&**tx)
        .await?;
        if inserted > 0 {
            notified += 1;
            tx.emit(DomainEvent {
                action: "notification.create".into(),
                entity_type: "Notification".into(),
                entity_id: id,
                release_id: notice.release_id,
                actor_id: None,
                audience: Some(*user),
                plan_id: None,
                environment_id: None,
                at: now,
            });
        }
    }
    queue_webhooks(tx, audience, &active_users, notice, now).await?;
    Ok(notified)
}

async fn queue_webhooks(
    tx: &mut WriteTx,
    audience: &Audience,
    users: &[Uuid],
    notice: &Notice,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let hooks: Vec<webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Active.eq(true))
        .all(&**tx)
        .await?
        .into_iter()
        .filter(|hook| {
            hook.kinds.is_empty() || hook.kinds.split(',').any(|k| k.trim() == notice.kind)
        })
        .collect();
    if hooks.is_empty() {
        return Ok(());
    }
    let emails: Vec<String> = if users.is_empty() {
        Vec::new()
    } else {
        app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(users.to_vec()))
            .all(&**tx)
            .await?
            .into_iter()
            .map(|u| u.email)
            .collect()
    };
    let release_key = match notice.release_id {
        Some(id) => release::Entity::find_by_id(id)
            .one(&**tx)
            .await?
            .map(|r| r.key),
        None => None,
    };
    let payload = json!({
        "kind": notice.kind,
        "title": notice.title,
        "body": notice.body,
        "subject": notice.subject_id.zip(notice.subject_type).map(|(id, kind)| json!({ "type": kind, "id": encode_named(kind, id) })),
        "release": notice.release_id.map(|id| json!({ "id": ReleaseId(id).encode(), "key": release_key })),
        "recipients": emails,
        "teams": audience.teams,
        "occurredAt": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    })
    .to_string();
    for hook in hooks {
        webhook_delivery::Entity::insert(webhook_delivery::ActiveModel {
            id: Set(new_uuid()),
            webhook_id: Set(hook.id),
            kind: Set(notice.kind.to_owned()),
            dedupe_key: Set(notice.fact.clone()),
            payload: Set(payload.clone()),
            status: Set(DeliveryStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            last_status_code: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            delivered_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                webhook_delivery::Column::WebhookId,
                webhook_delivery::Column::DedupeKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&**tx)
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading and marking

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    unread_only: bool,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<notification::Model>> {
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if unread_only {
        query = query.filter(notification::Column::ReadAt.is_null());
    }
    let key = SortKey {
        name: "createdAt",
        column: notification::Column::CreatedAt,
        id_column: notification::Column::Id,
        descending: true,
        value: |m: &notification::Model| SortValue::Time(m.created_at),
        id: |m: &notification::Model| m.id,
    };
    paginate(conn, query, &key, page, with_total).await
}

pub async fn unread_count<C: ConnectionTrait>(conn: &C, user_id: Uuid) -> DomainResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(conn)
        .await?)
}

/// Marks the caller's notifications read: the given ones, or all when `ids` is None.
pub async fn mark_read(
    store: &Store,
    actor: &Actor,
    ids: Option<Vec<NotificationId>>,
) -> DomainResult<u64> {
    let Some(user) = actor.user_id() else {
        return Err(DomainError::validation(
            "ids",
            "only users have notifications",
        ));
    };
    let tx = store.write().await?;
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Some(store.now()).into())
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        if ids.len() > 500 {
            return Err(DomainError::validation("ids", "at most 500 at once"));
        }
        update = update.filter(
            notification::Column::Id.is_in(ids.into_iter().map(|i| i.0).collect::<Vec<_>>()),
        );
    }
    let result = update.exec(&*tx).await?;
    // Reading is bookkeeping of the reader's own inbox, not a change to audit.
    tx.commit().await?;
    Ok(result.rows_affected)
}

// ---------------------------------------------------------------------------------------------
// Time rules

/// Runs the time-based rules once: gates due within 24 hours, missed milestones and activities
/// running past their planned duration.
/// Returns the number of (user) notifications created.
pub async fn run_time_rules(store: &Store, now: DateTime<Utc>) -> DomainResult<usize> {
    let mut created = 0;
    let due_gates = gate::Entity::find()
        .filter(gate::Column::Status.eq(GateStatus::Pending))
        .filter(gate::Column::DueAt.gte(now))
        .filter(gate::Column::DueAt.lte(now + TimeDelta::hours(24)))
        .order_by_asc(gate::Column::DueAt)
        .limit(500)
        .all(store.conn())
        .await?;
    for gate in due_gates {
        let mut tx = store.write().await?;
        let Some(release) = release::Entity::find_by_id(gate.release_id)
            .one(&*tx)
            .await?
        else {
            continue;
        };
        let due = gate.due_at.unwrap_or(now);
        let audience = gate_audience(
            &*tx,
            &gate,
            &release,
            &[RaciRole::Responsible, RaciRole::Accountable],
        )
        .await?;
        let notice = Notice {
            kind: kind::GATE_DUE,
            title: format!("Gate \"{}\" of {} is due", gate.name, release.key),
            body: format!(
                "The gate \"{}\" of {} must be decided by {}.",
                gate.name,
                release.key,
                due.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            subject_type: Some("Gate"),
            subject_id: Some(gate.id),
            release_id: Some(release.id),
            fact: format!("gate-due:{}:{}", gate.id, due.timestamp()),
        };
        created += send(&mut tx, &audience, &notice).await?;
        tx.commit().await?;
    }

    let today = now.date_naive();
    let missed = milestone::Entity::find()
        .filter(milestone::Column::PlannedDate.lt(today))
        .filter(milestone::Column::ActualAt.is_null())
        .order_by_asc(milestone::Column::PlannedDate)
        .limit(500)
        .all(store.conn())
        .await?;
    for milestone in missed {
        let mut tx = store.write().await?;
        let Some(release) = release::Entity::find_by_id(milestone.release_id)
            .one(&*tx)
            .await?
        else {
            continue;
        };
        if matches!(
            release.status,
            ReleaseStatus::Released | ReleaseStatus::Cancelled | ReleaseStatus::RolledBack
        ) {
            continue;
        }
        let audience = release_audience(
            &*tx,
            &release,
            &[RaciRole::Responsible, RaciRole::Accountable],
        )
        .await?;
        let notice = Notice {
            kind: kind::MILESTONE_MISSED,
            title: format!(
                "Milestone \"{}\" of {} was missed",
                milestone.name, release.key
            ),
            body: format!(
                "\"{}\" was planned for {} and is not reached.",
                milestone.name, milestone.planned_date
            ),
            subject_type: Some("Milestone"),
            subject_id: Some(milestone.id),
            release_id: Some(release.id),
            fact: format!(
                "milestone-missed:{}:{}",
                milestone.id, milestone.planned_date
            ),
        };
        created += send(&mut tx, &audience, &notice).await?;
        tx.commit().await?;
    }

    for (row, activity, plan) in run::overdue_activities(store.conn(), now).await? {
        let mut tx = store.write().await?;
        let audience = run::overdue_audience(&*tx, &plan, &activity).await?;
        let started = row.started_at.unwrap_or(now);
        let due = started + TimeDelta::minutes(i64::from(activity.planned_duration_minutes));
        let notice = Notice {
            kind: kind::ACTIVITY_OVERDUE,
            title: format!("\"{}\" is overdue", activity.title),
            body: format!(
                "\"{}\" of the plan \"{}\" started at {} and was planned to take {} min; it is {} min late.",
                activity.title,
                plan.name,
                started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                activity.planned_duration_minutes,
                (now - due).num_minutes()
            ),
            subject_type: Some("Activity"),
            subject_id: Some(activity.id),
            release_id: Some(plan.release_id),
            // Once per start: a reset and a new start make a new fact.
            fact: format!("activity-overdue:{}:{}", row.id, started.timestamp()),
        };
        created += send(&mut tx, &audience, &notice).await?;
        tx.commit().await?;
    }
    Ok(created)
}
