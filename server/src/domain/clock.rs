//! The time the domain runs on.
//!
//! Every rule, seed and background job asks a [`Clock`] for "now" instead of the system clock,
//! so a demo or a test can run the whole server as on another day (`HEATSHIELD_TODAY`,
//! `heatshield seed --today`). The clock still advances in real time from there: ordering,
//! cursors and timeouts keep working.
//!
//! Times are truncated to microseconds: PostgreSQL keeps microseconds, so values read back
//! equal the values written (which keyset cursors rely on) on both databases.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, DurationRound, NaiveDate, NaiveTime, TimeDelta, Utc};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// How far this clock runs ahead of (or behind) the system clock.
    offset: TimeDelta,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `at` now and advances in real time from there.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        Self {
            offset: at - Utc::now(),
        }
    }

    /// A clock on `day` at the system clock's current time of day (UTC).
    pub fn on_day(day: NaiveDate) -> Self {
        let now = Utc::now();
        Self::starting_at(day.and_time(now.time()).and_utc())
    }

    pub fn now(&self) -> DateTime<Utc> {
        truncate(Utc::now() + self.offset)
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    pub fn is_system(&self) -> bool {
        self.offset.is_zero()
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_system() {
            f.write_str("system clock")
        } else {
            write!(f, "clock set to {}", self.now().to_rfc3339())
        }
    }
}

/// A day (`2026-12-20`: that day at the current time of day) or an instant
/// (`2026-12-20T09:30:00Z`), as given to `--today` / `HEATSHIELD_TODAY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockStart {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

impl ClockStart {
    pub fn clock(self) -> Clock {
        match self {
            ClockStart::Day(day) => Clock::on_day(day),
            ClockStart::Instant(at) => Clock::starting_at(at),
        }
    }
}

impl FromStr for ClockStart {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(ClockStart::Day(day));
        }
        DateTime::parse_from_rfc3339(s)
            .map(|at| ClockStart::Instant(at.with_timezone(&Utc)))
            .map_err(|_| {
                format!("'{s}' is neither a date (2026-12-20) nor an RFC 3339 time (2026-12-20T09:30:00Z)")
            })
    }
}

/// The system clock, for code that has no domain clock at hand (logging, metrics).
pub fn system_now() -> DateTime<Utc> {
    truncate(Utc::now())
}

pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(at)
}

/// `day` at `hour`:00 UTC.
pub fn at_hour(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or_default())
        .and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_reads_the_given_day_and_keeps_running() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or_default();
        let clock = Clock::on_day(day);
        assert_eq!(clock.today(), day);
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(clock.now() > first);
        assert!(Clock::system().is_system());
        assert!(!clock.is_system() || Utc::now().date_naive() == day);
    }

    #[test]
    fn starts_parse_from_days_and_instants() {
        assert_eq!(
            "2026-12-20".parse::<ClockStart>(),
            Ok(ClockStart::Day(
                NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or_default()
            ))
        );
        let at = "2026-12-20T09:30:00Z".parse::<ClockStart>();
        assert!(
            matches!(at, Ok(ClockStart::Instant(t)) if t.to_rfc3339() == "2026-12-20T09:30:00+00:00")
        );
        assert!("20/12/2026".parse::<ClockStart>().is_err());
        let at = Clock::starting_at(at_hour(
            NaiveDate::from_ymd_opt(2027, 1, 3).unwrap_or_default(),
            23,
        ));
        assert_eq!(at.today().to_string(), "2027-01-03");
    }
}
