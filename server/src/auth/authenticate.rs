//! Turns an `Authorization` header into a `Viewer`: an API token, a Heatshield JWT, or a JWT
//! from the configured identity provider. Users are re-read on every request, so role
//! changes, deactivation and sign-out take effect immediately.

use chrono::{TimeZone, Utc};
use entity::{Role, app_user, revoked_token, roles_from_column};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::jwt::{JwtKeys, TokenError};
use super::sso::SsoVerifier;
use super::viewer::{Principal, Viewer};
use crate::db::Store;
use crate::domain::identity::secrets;
use crate::domain::ids::{TypedId, UserId};
use crate::domain::{identity::api_tokens, identity::users};

pub struct Authenticator {
    pub jwt: JwtKeys,
    pub sso: Option<SsoVerifier>,
}

fn describe(error: TokenError) -> &'static str {
    match error {
        TokenError::Expired => "the token has expired; sign in again",
        TokenError::Invalid => "the token is not valid",
    }
}

impl Authenticator {
    /// `header` is the raw `Authorization` value, if any.
    pub async fn authenticate(&self, store: &Store, header: Option<&str>) -> Viewer {
        let Some(header) = header else {
            return Viewer::anonymous();
        };
        let Some(token) = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Viewer::refused("the Authorization header must be 'Bearer <token>'");
        };
        let result = if token.starts_with(secrets::TOKEN_PREFIX) {
            self.api_token(store, token).await
        } else if self
            .sso
            .as_ref()
            .is_some_and(|sso| sso.claims_issuer(token))
        {
            self.external(store, token).await
        } else {
            self.local(store.conn(), token).await
        };
        match result {
            Ok(viewer) => viewer,
            Err(reason) => {
                tracing::debug!(reason, "credentials refused");
                Viewer::refused(reason)
            }
        }
    }

    async fn api_token(&self, store: &Store, secret: &str) -> Result<Viewer, String> {
        let token = api_tokens::authenticate(store, secret)
            .await
            .map_err(|e| {
                tracing::error!(error = ?e, "API token lookup failed");
                "the token could not be checked".to_owned()
            })?
            .ok_or("the API token is not valid, revoked or expired")?;
        let roles = roles_from_column(&token.roles);
        Ok(Viewer {
            principal: Principal::ApiToken(token),
            roles,
            auth_error: None,
            session: None,
        })
    }

    async fn local<C: ConnectionTrait>(&self, conn: &C, token: &str) -> Result<Viewer, String> {
        let claims = self.jwt.verify(token).map_err(|e| describe(e).to_owned())?;
        let user_id = UserId::parse(&claims.sub).ok_or("the token is not valid")?;
        let user = app_user::Entity::find_by_id(user_id.0)
            .one(conn)
            .await
            .map_err(|e| {
                tracing::error!(error = ?e, "user lookup failed");
                "the token could not be checked".to_owned()
            })?
            .ok_or("the token's user no longer exists")?;
        if !user.active {
            return Err("the account is deactivated".into());
        }
        if user.security_stamp != claims.stamp {
            return Err("the token was issued before a password change; sign in again".into());
        }
        let revoked = revoked_token::Entity::find()
            .filter(revoked_token::Column::Jti.eq(claims.jti.clone()))
            .one(conn)
            .await
            .map_err(|_| "the token could not be checked".to_owned())?;
        if revoked.is_some() {
            return Err("the token was signed out".into());
        }
        let expires = Utc
            .timestamp_opt(claims.exp, 0)
            .single()
            .unwrap_or_else(Utc::now);
        Ok(user_viewer(user, Some((claims.jti, expires))))
    }

    async fn external(&self, store: &Store, token: &str) -> Result<Viewer, String> {
        let Some(sso) = &self.sso else {
            return Err("single sign-on is not configured".into());
        };
        let identity = sso.verify(token).map_err(|e| describe(e).to_owned())?;
        let user = users::sync_external(store, &identity).await.map_err(|e| {
            tracing::warn!(error = ?e, "single sign-on user could not be provisioned");
            "the identity provider's user could not be signed in".to_owned()
        })?;
        if !user.active {
            return Err("the account is deactivated".into());
        }
        Ok(user_viewer(user, None))
    }
}

fn user_viewer(user: app_user::Model, session: Option<(String, chrono::DateTime<Utc>)>) -> Viewer {
    let mut roles = roles_from_column(&user.roles);
    if roles.is_empty() {
        roles.push(Role::Viewer);
    }
    Viewer {
        principal: Principal::User(user),
        roles,
        auth_error: None,
        session,
    }
}
