//! Table `criterion_result`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "criterion_result")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub criterion_id: Uuid,
    pub gate_id: Uuid,
    /// The measured value (metric criteria).
    pub value: Option<f64>,
    /// The verdict (manual criteria), or whether the value met the threshold.
    pub passed: bool,
    /// Where it comes from: a tool ("Jenkins", "Xray") or a person.
    pub source: String,
    pub link: Option<String>,
    pub note: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub recorded_by_name: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
