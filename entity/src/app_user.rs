//! Table `app_user`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-cased.
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    /// Argon2 PHC string; None for users who only sign in through SSO.
    #[serde(skip_serializing)]
    pub password_hash: Option<String>,
    /// Comma-separated role names, see `roles_to_column`.
    pub roles: String,
    pub active: bool,
    /// Changes when the password or roles change; tokens carry it so old ones die.
    #[serde(skip_serializing)]
    pub security_stamp: String,
    /// Subject of the external identity provider, for SSO users.
    pub external_subject: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
