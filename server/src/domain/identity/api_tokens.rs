//! API tokens: named, role-carrying, expiring, revocable credentials for third-party tools.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{Role, api_token, roles_to_column};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::identity::secrets;
use crate::domain::ids::{ApiTokenId, new_uuid};
use crate::domain::{Actor, DomainError, DomainResult, clock, validate};

/// Tokens may live at most this long.
const MAX_LIFETIME_DAYS: i64 = 2 * 366;
/// `last_used_at` is refreshed at most this often, so busy tools do not turn reads into writes.
const LAST_USED_RESOLUTION_SECONDS: i64 = 60;

pub struct NewApiToken {
    pub name: String,
    pub roles: Vec<Role>,
    pub expires_at: DateTime<Utc>,
}

pub async fn get(store: &Store, id: ApiTokenId) -> DomainResult<api_token::Model> {
    api_token::Entity::find_by_id(id.0)
        .one(store.conn())
        .await?
        .ok_or_else(|| DomainError::not_found("ApiToken", id))
}

/// API tokens that expired or were revoked never authenticate; this is the rule in one place.
pub fn usable(token: &api_token::Model, now: DateTime<Utc>) -> bool {
    token.revoked_at.is_none() && token.expires_at.is_none_or(|at| at > now)
}

pub async fn list(store: &Store, include_inactive: bool) -> DomainResult<Vec<api_token::Model>> {
    let tokens = api_token::Entity::find()
        .order_by_desc(api_token::Column::CreatedAt)
        .all(store.conn())
        .await?;
    Ok(tokens
        .into_iter()
        .filter(|t| include_inactive || usable(t, store.now()))
        .collect())
}

/// Creates a token; the secret is returned once and only its digest is kept.
pub async fn create(
    store: &Store,
    actor: &Actor,
    input: NewApiToken,
) -> DomainResult<(api_token::Model, String)> {
    let name = validate::required("name", &input.name, 200)?;
    if input.roles.is_empty() {
        return Err(DomainError::validation(
            "roles",
            "give the token at least one role",
        ));
    }
    let now = store.now();
    if input.expires_at <= now {
        return Err(DomainError::validation(
            "expiresAt",
            "must be in the future",
        ));
    }
    if input.expires_at > now + TimeDelta::days(MAX_LIFETIME_DAYS) {
        return Err(DomainError::validation(
            "expiresAt",
            "must be within two years",
        ));
    }
    let secret = secrets::generate();
    let tx = store.write().await?;
    let model = api_token::ActiveModel {
        id: Set(new_uuid()),
        name: Set(name),
        secret_hash: Set(secrets::digest(&secret)),
        prefix: Set(secrets::display_prefix(&secret)),
        roles: Set(roles_to_column(&input.roles)),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        expires_at: Set(Some(clock::truncate(input.expires_at))),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&*tx)
    .await?;
    tx.commit_change(
        actor,
        Change::new("apiToken.create", "ApiToken", model.id).after(&model),
    )
    .await?;
    Ok((model, secret))
}

pub async fn revoke(
    store: &Store,
    actor: &Actor,
    id: ApiTokenId,
) -> DomainResult<api_token::Model> {
    let tx = store.write().await?;
    let before = api_token::Entity::find_by_id(id.0)
        .one(&*tx)
        .await?
        .ok_or_else(|| DomainError::not_found("ApiToken", id))?;
    if before.revoked_at.is_some() {
        return Ok(before);
    }
    let mut active = before.clone().into_active_model();
    active.revoked_at = Set(Some(store.now()));
    let after = active.update(&*tx).await?;
    tx.commit_change(
        actor,
        Change::new("apiToken.revoke", "ApiToken", after.id)
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// The usable token with this secret, if any; notes when it was last used.
pub async fn authenticate(store: &Store, secret: &str) -> DomainResult<Option<api_token::Model>> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::SecretHash.eq(secrets::digest(secret)))
        .one(store.conn())
        .await?
    else {
        return Ok(None);
    };
    let now = store.now();
    if !usable(&token, now) {
        return Ok(None);
    }
    let stale = token
        .last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= LAST_USED_RESOLUTION_SECONDS);
    if stale {
        // Bookkeeping, not a change of state: no audit event.
        let tx = store.write().await?;
        let mut active = token.clone().into_active_model();
        active.last_used_at = Set(Some(now));
        active.update(&*tx).await?;
        tx.commit().await?;
    }
    Ok(Some(token))
}
