//! Governance: quality gates and their approvals, "why is it blocked?", RACI, notifications,
//! outbound webhooks and the tamper-evident audit trail.

pub mod audit;
pub mod blockers;
pub mod gate;
pub mod notify;
pub mod raci;
pub mod webhook;
