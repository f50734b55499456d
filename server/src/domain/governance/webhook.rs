//! Outbound webhooks: admin-configured URLs that receive notifications as signed JSON POSTs,
//! retried with backoff, with a log of every delivery.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use entity::{DeliveryStatus, webhook, webhook_delivery};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::Sha256;

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::governance::notify::kind;
use crate::domain::identity::secrets::random_id;
use crate::domain::ids::{WebhookId, new_uuid};
use crate::domain::page::{Page, PageArgs, SortKey, SortValue, paginate};
use crate::domain::{Actor, DomainError, DomainResult, validate};

pub const SIGNATURE_HEADER: &str = "x-heatshield-signature";

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` — the timestamp inside the
/// signature lets receivers refuse replays.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

fn check_kinds(kinds: &[String]) -> DomainResult<String> {
    for k in kinds {
        if !kind::ALL.contains(&k.as_str()) {
            return Err(DomainError::validation(
                "kinds",
                format!(
                    "unknown notification kind {k}; kinds are {}",
                    kind::ALL.join(", ")
                ),
            ));
        }
    }
    Ok(kinds.join(","))
}

pub struct NewWebhook {
    pub name: String,
    pub url: String,
    /// Empty: every kind.
    pub kinds: Vec<String>,
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: WebhookId) -> DomainResult<webhook::Model> {
    webhook::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("Webhook", id))
}

pub async fn list<C: ConnectionTrait>(conn: &C) -> DomainResult<Vec<webhook::Model>> {
    Ok(webhook::Entity::find()
        .order_by_asc(webhook::Column::Name)
        .all(conn)
        .await?)
}

/// Creates a webhook; its signing secret is returned once.
pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewWebhook,
) -> DomainResult<(webhook::Model, String)> {
    let name = validate::required("name", &input.name, 200)?;
    let url = validate::url("url", Some(&input.url))?
        .ok_or_else(|| DomainError::validation("url", "must not be blank"))?;
    let kinds = check_kinds(&input.kinds)?;
    let secret = format!("whsec_{}", random_id());
    let tx = store.write().await?;
    let now = store.now();
    let model = webhook::ActiveModel {
        id: Set(new_uuid()),
        name: Set(name),
        url: Set(url),
        secret: Set(secret.clone()),
        kinds: Set(kinds),
        active: Set(true),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("webhook.create", "Webhook", model.id).after(&model),
    )
    .await?;
    Ok((model, secret))
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    id: WebhookId,
    url: Option<String>,
    kinds: Option<Vec<String>>,
    active: Option<bool>,
) -> DomainResult<webhook::Model> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    let mut model = before.clone().into_active_model();
    if let Some(url) = url {
        model.url = Set(validate::url("url", Some(&url))?
            .ok_or_else(|| DomainError::validation("url", "must not be blank"))?);
    }
    if let Some(kinds) = kinds {
        model.kinds = Set(check_kinds(&kinds)?);
    }
    if let Some(active) = active {
        model.active = Set(active);
    }
    model.updated_at = Set(store.now());
    let after = model.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("webhook.update", "Webhook", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

pub async fn delete(store: &Store, actor: &Actor, id: WebhookId) -> DomainResult<()> {
    let tx = store.write().await?;
    let before = get(&*tx, id).await?;
    webhook::Entity::delete_by_id(before.id).exec(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("webhook.delete", "Webhook", before.id).before(&before),
    )
    .await?;
    Ok(())
}

pub async fn deliveries<C: ConnectionTrait>(
    conn: &C,
    id: WebhookId,
    page: &PageArgs,
    with_total: bool,
) -> DomainResult<Page<webhook_delivery::Model>> {
    let key = SortKey {
        name: "createdAt",
        column: webhook_delivery::Column::CreatedAt,
        id_column: webhook_delivery::Column::Id,
        descending: true,
        value: |m: &webhook_delivery::Model| SortValue::Time(m.created_at),
        id: |m: &webhook_delivery::Model| m.id,
    };
    let query =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::WebhookId.eq(id.0));
    paginate(conn, query, &key, page, with_total).await
}

/// How deliveries are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Wait before the second attempt; it grows fourfold with each failure.
    pub first_backoff: Duration,
    pub max_attempts: i32,
    /// How long a worker may hold a delivery before another may take it over.
    pub claim: Duration,
}

fn backoff(policy: RetryPolicy, attempts: i32) -> TimeDelta {
    let factor = 4u32.saturating_pow(attempts.saturating_sub(1).max(0) as u32);
    TimeDelta::from_std(policy.first_backoff.saturating_mul(factor)).unwrap_or(TimeDelta::hours(1))
}

/// Claims due deliveries (several instances may run this at once) and sends them. Returns
/// how many were attempted.
pub async fn deliver_due(
    store: &Store,
    client: &reqwest::Client,
    policy: RetryPolicy,
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let candidates = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(webhook_delivery::Column::ClaimedUntil.is_null())
                .add(webhook_delivery::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .limit(20)
        .all(store.conn())
        .await?;
    let mut attempted = 0;
    for candidate in candidates {
        // Claim it: only one worker wins the conditional update.
        let claimed = {
            let tx = store.write().await?;
            let result = webhook_delivery::Entity::update_many()
                .col_expr(
                    webhook_delivery::Column::ClaimedUntil,
                    Some(now + TimeDelta::from_std(policy.claim).unwrap_or(TimeDelta::minutes(1)))
                        .into(),
                )
                .filter(webhook_delivery::Column::Id.eq(candidate.id))
                .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
                .filter(
                    Condition::any()
                        .add(webhook_delivery::Column::ClaimedUntil.is_null())
                        .add(webhook_delivery::Column::ClaimedUntil.lt(now)),
                )
                .exec(&*tx)
                .await?;
            tx.commit().await?;
            result.rows_affected == 1
        };
        if !claimed {
            continue;
        }
        attempted += 1;
        let Some(hook) = webhook::Entity::find_by_id(candidate.webhook_id)
            .one(store.conn())
            .await?
        else {
            continue;
        };
        // The receiver checks the signed timestamp against its own real clock (replay window),
        // so it is the real time even when the server runs on a set clock.
        let timestamp = Utc::now().timestamp();
        let outcome = client
            .post(&hook.url)
            .header("content-type", "application/json")
            .header(
                SIGNATURE_HEADER,
                signature(&hook.secret, timestamp, &candidate.payload),
            )
            .header("x-heatshield-event", &candidate.kind)
            .header("x-heatshield-delivery", candidate.id.simple().to_string())
            .body(candidate.payload.clone())
            .send()
            .await;
        let (ok, status_code, error) = match outcome {
            Ok(response) => {
                let status = response.status();
                (
                    status.is_success(),
                    Some(i32::from(status.as_u16())),
                    (!status.is_success()).then(|| format!("the receiver answered {status}")),
                )
            }
            Err(error) => (
                false,
                None,
                Some(format!("the request failed: {}", error.without_url())),
            ),
        };
        let attempts = candidate.attempts + 1;
        let finished_at = store.now();
        let mut model = candidate.into_active_model();
        model.attempts = Set(attempts);
        model.claimed_until = Set(None);
        model.last_status_code = Set(status_code);
        model.last_error = Set(error);
        if ok {
            model.status = Set(DeliveryStatus::Delivered);
            model.delivered_at = Set(Some(finished_at));
        } else if attempts >= policy.max_attempts {
            model.status = Set(DeliveryStatus::Failed);
        } else {
            model.next_attempt_at = Set(finished_at + backoff(policy, attempts));
        }
        let tx = store.write().await?;
        model.update(&*tx).await?;
        tx.commit().await?;
    }
    Ok(attempted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_timestamp_and_body() {
        let a = signature("secret", 1_700_000_000, "{}");
        assert!(a.starts_with("t=1700000000,v1="));
        assert_eq!(a.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(a, signature("secret", 1_700_000_001, "{}"));
        assert_ne!(a, signature("other", 1_700_000_000, "{}"));
        assert_ne!(a, signature("secret", 1_700_000_000, "{ }"));
    }

    #[test]
    fn backoff_grows_fourfold() {
        let policy = RetryPolicy {
            first_backoff: Duration::from_secs(10),
            max_attempts: 5,
            claim: Duration::from_secs(60),
        };
        assert_eq!(backoff(policy, 1), TimeDelta::seconds(10));
        assert_eq!(backoff(policy, 2), TimeDelta::seconds(40));
        assert_eq!(backoff(policy, 3), TimeDelta::seconds(160));
    }
}
