//! Time, truncated to microseconds: PostgreSQL keeps microseconds, so values read back equal
//! the values written (which keyset cursors rely on) on both databases.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

pub fn now() -> DateTime<Utc> {
    truncate(Utc::now())
}

pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}
