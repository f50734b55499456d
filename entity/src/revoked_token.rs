//! Table `revoked_token`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "revoked_token")]
pub struct Model {
    /// The `jti` of a signed-out JWT.
    #[sea_orm(primary_key, auto_increment = false)]
    pub jti: String,
    pub user_id: Uuid,
    /// When the token would have expired anyway (rows past it can be purged).
    pub expires_at: DateTimeUtc,
    pub revoked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
