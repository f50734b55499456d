//! Table `config_change`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "config_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub environment_id: Uuid,
    pub key: String,
    /// None when the key was created.
    pub old_value: Option<String>,
    /// None when the key was removed.
    pub new_value: Option<String>,
    pub secret: bool,
    pub changed_at: DateTimeUtc,
    pub changed_by: Option<Uuid>,
    pub changed_by_name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
