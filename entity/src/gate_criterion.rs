//! Table `gate_criterion`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "gate_criterion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub gate_id: Uuid,
    pub position: i32,
    pub name: String,
    pub kind: CriterionKind,
    /// Metric criteria: what is measured (e.g. "test pass rate") and the rule.
    pub metric: Option<String>,
    pub comparator: Option<Comparator>,
    pub threshold: Option<f64>,
    pub unit: Option<String>,
    /// Approval criteria: the role approvers need, or the gate's accountable person.
    pub approver_role: Option<Role>,
    pub by_accountable: bool,
    /// Distinct approvers needed.
    pub quorum: i32,
    pub state: CriterionState,
    pub last_value: Option<f64>,
    pub updated_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
