//! Table `raci_assignment`.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "raci_assignment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_type: RaciSubject,
    pub subject_id: Uuid,
    /// The release the subject belongs to.
    pub release_id: Option<Uuid>,
    /// A person, or else a team named in `team`.
    pub user_id: Option<Uuid>,
    pub team: Option<String>,
    pub role: RaciRole,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
