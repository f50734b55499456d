//! Password sign-in with throttling of repeated failures per account and per address.

use chrono::TimeDelta;
use entity::{app_user, login_attempt, revoked_token};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::config::Limits;
use crate::db::Store;
use crate::domain::governance::audit::Change;
use crate::domain::identity::password;
use crate::domain::ids::new_uuid;
use crate::domain::{Actor, DomainError, DomainResult, clock, identity::users};

/// Failures from one address are tolerated this many times more than for one account, since
/// several people may sit behind one proxy.
const ADDRESS_FACTOR: u32 = 4;

const GENERIC_FAILURE: &str = "the email or password is not correct";

async fn throttled(
    store: &Store,
    limits: &Limits,
    email: &str,
    address: &str,
) -> DomainResult<Option<u64>> {
    let window = TimeDelta::from_std(limits.login_window).unwrap_or(TimeDelta::minutes(15));
    let since = store.now() - window;
    // Failures before the account's last success no longer count against it.
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::Email.eq(email))
        .filter(login_attempt::Column::Succeeded.eq(true))
        .filter(login_attempt::Column::AttemptedAt.gte(since))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .one(store.conn())
        .await?
        .map(|a| a.attempted_at)
        .unwrap_or(since);
    let account_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Email.eq(email))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::AttemptedAt.gte(last_success))
        .count(store.conn())
        .await?;
    let address_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Address.eq(address))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::AttemptedAt.gte(since))
        .count(store.conn())
        .await?;
    let limited = account_failures >= u64::from(limits.login_failures)
        || address_failures >= u64::from(limits.login_failures * ADDRESS_FACTOR);
    Ok(limited.then_some(limits.login_window.as_secs()))
}

/// Checks the credentials and returns the user. Every attempt is recorded (and audited).
pub async fn login(
    store: &Store,
    limits: &Limits,
    email: &str,
    password_text: String,
    address: &str,
    request_id: Option<String>,
) -> DomainResult<app_user::Model> {
    let email = email.trim().to_lowercase();
    let address: String = address.chars().take(64).collect();
    if let Some(retry_after_seconds) = throttled(store, limits, &email, &address).await? {
        return Err(DomainError::RateLimited {
            message: "too many failed sign-in attempts; try again later".into(),
            retry_after_seconds,
        });
    }
    let user = users::find_by_email(store.conn(), &email).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = password::verify(password_text, stored).await;
    let success = matches && user.as_ref().is_some_and(|u| u.active);

    let mut actor = match &user {
        Some(u) if success => Actor {
            kind: crate::domain::actor::ActorKind::User,
            id: Some(u.id),
            name: u.display_name.clone(),
            roles: Vec::new(),
            request_id: None,
        },
        _ => Actor::system("sign-in"),
    };
    actor.request_id = request_id;
    let tx = store.write().await?;
    login_attempt::ActiveModel {
        id: Set(new_uuid()),
        email: Set(email.clone()),
        address: Set(address.clone()),
        succeeded: Set(success),
        attempted_at: Set(store.now()),
    }
    .insert(&*tx)
    .await?;
    let mut change = Change::new(
        if success {
            "auth.login"
        } else {
            "auth.loginFailed"
        },
        "User",
        user.as_ref().map(|u| u.id).unwrap_or(Uuid::nil()),
    );
    change.after = Some(serde_json::json!({ "email": email, "address": address }));
    tx.commit_change(&actor, change).await?;

    match user {
        Some(user) if success => Ok(user),
        _ => Err(DomainError::Unauthenticated(GENERIC_FAILURE.into())),
    }
}

/// Records that a signed-in user renewed their session (the new token is issued by the
/// caller; the old one runs out by itself).
pub async fn renew(store: &Store, actor: &Actor) -> DomainResult<()> {
    let user_id = actor
        .user_id()
        .ok_or_else(|| DomainError::validation("token", "only user sessions can be renewed"))?;
    let tx = store.write().await?;
    tx.commit_change(actor, Change::new("auth.renew", "User", user_id))
        .await?;
    Ok(())
}

/// Ends a session: the token's id is remembered until the token would have expired.
pub async fn logout(
    store: &Store,
    actor: &Actor,
    jti: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> DomainResult<()> {
    let user_id = actor
        .user_id()
        .ok_or_else(|| DomainError::validation("token", "only user sessions can be signed out"))?;
    let tx = store.write().await?;
    // A session token's expiry is real time (the token says so and its verifier checks it
    // so), so its revocation and the purge of old ones are too, even on a set clock.
    let now = clock::system_now();
    revoked_token::ActiveModel {
        jti: Set(jti.to_owned()),
        user_id: Set(user_id),
        expires_at: Set(clock::truncate(expires_at)),
        revoked_at: Set(now),
    }
    .insert(&*tx)
    .await?;
    // Purge what can no longer matter, so the table stays small.
    revoked_token::Entity::delete_many()
        .filter(revoked_token::Column::ExpiresAt.lt(now - TimeDelta::minutes(5)))
        .exec(&*tx)
        .await?;
    tx.commit_change(actor, Change::new("auth.logout", "User", user_id))
        .await?;
    Ok(())
}
