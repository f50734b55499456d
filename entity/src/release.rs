//! Table `release`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "release")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: ReleaseKind,
    pub status: ReleaseStatus,
    pub risk: RiskLevel,
    /// The enterprise release this project release belongs to.
    pub parent_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub planned_start: Date,
    pub planned_go_live: Date,
    pub actual_start: Option<DateTimeUtc>,
    pub actual_go_live: Option<DateTimeUtc>,
    /// Lower-cased "key name", kept for text search (indexed on PostgreSQL).
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
