//! Table `deployment`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "deployment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub package_id: Uuid,
    pub environment_id: Uuid,
    /// Copied from the package so "what runs where" needs no join.
    pub system_id: Uuid,
    pub release_id: Uuid,
    /// The version deployed (the package version at the time).
    pub version: String,
    pub status: DeploymentStatus,
    pub deployed_at: DateTimeUtc,
    pub deployed_by: Option<Uuid>,
    pub deployed_by_name: String,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
