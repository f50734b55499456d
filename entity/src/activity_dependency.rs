//! Table `activity_dependency`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_dependency")]
pub struct Model {
    /// The activity that waits.
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    /// The activity it waits for.
    #[sea_orm(primary_key, auto_increment = false)]
    pub depends_on_id: Uuid,
    pub plan_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
