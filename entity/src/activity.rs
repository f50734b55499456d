//! Table `activity`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub set_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub kind: ActivityKind,
    /// The person who carries it out (a team goes in `owner_team`).
    pub owner_id: Option<Uuid>,
    pub owner_team: Option<String>,
    /// Minutes from the start of the window (or run) before which it should not start.
    pub planned_offset_minutes: i32,
    pub planned_duration_minutes: i32,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
