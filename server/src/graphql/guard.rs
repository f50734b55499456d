//! The one access check of the API: every field and mutation names the permission it needs.

use async_graphql::{Context, Guard, Result};

use crate::domain::identity::Permission;
use crate::graphql::context::ContextExt;
use crate::graphql::error::coded;

pub struct Require(pub Permission);

impl Guard for Require {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let viewer = ctx.viewer();
        if !viewer.is_authenticated() {
            let message = viewer
                .auth_error
                .clone()
                .unwrap_or_else(|| "sign in first: send 'Authorization: Bearer <token>'".into());
            return Err(coded(message, "UNAUTHENTICATED"));
        }
        if !self.0.allows(&viewer.roles) {
            let roles: Vec<&str> = self.0.roles().iter().map(|r| r.as_str()).collect();
            return Err(coded(
                format!("this needs one of the roles {}", roles.join(", ")),
                "FORBIDDEN",
            ));
        }
        Ok(())
    }
}
