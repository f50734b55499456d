//! Table `audit_event`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    /// Display name of the actor at the time (users and API tokens change names).
    pub actor_name: String,
    pub request_id: Option<String>,
    /// Dotted verb, e.g. "release.transition".
    pub action: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// The release the change belongs to, when there is one (for release history).
    pub release_id: Option<Uuid>,
    pub before: Option<Json>,
    pub after: Option<Json>,
    /// Position in the chain, from 1.
    #[sea_orm(unique)]
    pub sequence: i64,
    /// Hash of the previous event (all zeros for the first).
    pub prev_hash: String,
    /// SHA-256 over this event's content and `prev_hash`.
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
