//! Table `gate`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "gate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub release_id: Uuid,
    /// The phase this gate closes: the release cannot leave it before the gate is passed or waived.
    pub phase_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub status: GateStatus,
    /// When the gate should be decided (the planned end of its phase unless set).
    pub due_at: Option<DateTimeUtc>,
    /// Who asked for the approvals (may not approve them).
    pub requested_by: Option<Uuid>,
    pub requested_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by_name: Option<String>,
    /// Why it was waived or vetoed.
    pub decision_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
