//! Table `deployment_plan`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "deployment_plan")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub release_id: Uuid,
    pub name: String,
    pub mode: PlanMode,
    /// The change window the execution must fit in.
    pub window_start: DateTimeUtc,
    pub window_end: DateTimeUtc,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    /// The run in progress, if any.
    pub current_run_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
