//! Table `blackout`: a period when bookings and go-lives are refused (org-wide, or for the
//! environments and systems linked in `blackout_environment` / `blackout_system`).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "blackout")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// UTC, half-open: [starts_at, ends_at).
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// IANA time zone the period is shown in, e.g. `Europe/London`.
    pub time_zone: String,
    /// True when it names no environment and no system: it applies everywhere.
    pub org_wide: bool,
    pub created_by: Option<Uuid>,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
