//! Table `blackout_environment`: an environment a blackout applies to.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "blackout_environment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub blackout_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub environment_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
