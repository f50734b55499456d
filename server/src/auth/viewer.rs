//! The caller of one request, as established from its credentials.

use entity::{Role, api_token, app_user};

use crate::domain::Actor;
use crate::domain::actor::ActorKind;

#[derive(Debug, Clone)]
pub enum Principal {
    Anonymous,
    User(app_user::Model),
    ApiToken(api_token::Model),
}

#[derive(Debug, Clone)]
pub struct Viewer {
    pub principal: Principal,
    /// Effective roles, read from the database on every request so role changes and
    /// deactivation apply at once.
    pub roles: Vec<Role>,
    /// Why presented credentials were refused (None when none were presented or they held).
    pub auth_error: Option<String>,
    /// The `jti` and expiry of the JWT used, so sign-out can revoke it.
    pub session: Option<(String, chrono::DateTime<chrono::Utc>)>,
}

impl Viewer {
    pub fn anonymous() -> Self {
        Self {
            principal: Principal::Anonymous,
            roles: Vec::new(),
            auth_error: None,
            session: None,
        }
    }

    pub fn refused(reason: impl Into<String>) -> Self {
        Self {
            auth_error: Some(reason.into()),
            ..Self::anonymous()
        }
    }

    pub fn is_authenticated(&self) -> bool {
        !matches!(self.principal, Principal::Anonymous)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.roles.contains(r))
    }

    pub fn user(&self) -> Option<&app_user::Model> {
        match &self.principal {
            Principal::User(user) => Some(user),
            _ => None,
        }
    }

    /// The actor for writes made on behalf of this viewer.
    pub fn actor(&self, request_id: Option<String>) -> Actor {
        let (kind, id, name) = match &self.principal {
            Principal::Anonymous => (ActorKind::System, None, "anonymous".to_owned()),
            Principal::User(user) => (ActorKind::User, Some(user.id), user.display_name.clone()),
            Principal::ApiToken(token) => (
                ActorKind::ApiToken,
                Some(token.id),
                format!("{} (API token)", token.name),
            ),
        };
        Actor {
            kind,
            id,
            name,
            roles: self.roles.clone(),
            request_id,
        }
    }
}
