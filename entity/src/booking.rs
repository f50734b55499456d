//! Table `booking`: a request to use an environment for a period, for a release (and phase).

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "booking")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub environment_id: Uuid,
    pub release_id: Uuid,
    pub phase_id: Option<Uuid>,
    /// Shared by the bookings one recurring request was expanded into.
    pub series_id: Option<Uuid>,
    pub purpose: String,
    /// The booked period, half-open: [starts_at, ends_at).
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub status: BookingStatus,
    pub requested_by: Option<Uuid>,
    pub requested_by_name: String,
    /// Who approved or rejected it, and why.
    pub decided_by: Option<Uuid>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_comment: Option<String>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    /// When it joined the waitlist: its place in the line.
    pub waitlisted_at: Option<DateTimeUtc>,
    /// When the freed slot was offered to it.
    pub offered_at: Option<DateTimeUtc>,
    /// The reason given for booking into a blackout, when one was overridden.
    pub blackout_override: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
