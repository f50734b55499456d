//! Who performs a change: a signed-in user, an API token, or the system itself (seeding,
//! schedulers). Carried into every write for role rules and the audit trail.

use entity::Role;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorKind {
    User,
    ApiToken,
    System,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: ActorKind,
    /// User id or API token id; None for the system.
    pub id: Option<Uuid>,
    pub name: String,
    pub roles: Vec<Role>,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn system(name: &str) -> Self {
        Self {
            kind: ActorKind::System,
            id: None,
            name: name.to_owned(),
            roles: vec![Role::Admin],
            request_id: None,
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }

    /// The user behind the actor, for "owned by" and "deployed by" columns.
    pub fn user_id(&self) -> Option<Uuid> {
        match self.kind {
            ActorKind::User => self.id,
            _ => None,
        }
    }
}
