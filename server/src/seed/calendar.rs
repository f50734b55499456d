//! The demo's dates, all derived from one "today" (the store's clock): the year-end freeze in
//! force or next, and every future period the demo asks the rules for (go-lives and their
//! cut-over windows, booking requests) moved clear of it. Periods that belong together move
//! by one shift, so their relations — a request overlapping an approved booking, a waitlisted
//! one inside it — hold on every day of the year.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::London;

use crate::domain::golive::plan::default_window_start;

pub type Period = (DateTime<Utc>, DateTime<Utc>);

/// How long the demo's cut-over windows are.
pub const CUT_OVER_HOURS: i64 = 6;

/// Where a period lands after the freeze: 08:00 London on the first working morning.
const AFTER_FREEZE: TimeDelta = TimeDelta::hours(8);

#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    pub today: NaiveDate,
    /// The year-end freeze in force on `today`, or the next one.
    pub freeze: Period,
}

impl Calendar {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            freeze: year_end_freeze(today),
        }
    }

    pub fn day(&self, offset: i64) -> NaiveDate {
        self.today + TimeDelta::days(offset)
    }

    /// `offset` days from today at `hour`:00 UTC.
    pub fn at(&self, offset: i64, hour: u32) -> DateTime<Utc> {
        crate::domain::clock::at_hour(self.day(offset), hour)
    }

    /// The go-live day (days from today) of a release planned for `planned` days from today.
    /// A go-live still ahead whose cut-over window would touch the freeze moves to the first
    /// day whose window is clear of it; go-lives in the past are history and stay.
    pub fn go_live(&self, planned: i64) -> i64 {
        if planned < 0 {
            return planned;
        }
        let mut offset = planned;
        while overlaps(self.cut_over(offset), self.freeze) {
            offset += 1;
        }
        offset
    }

    /// The cut-over window of a go-live `offset` days from today.
    pub fn cut_over(&self, offset: i64) -> Period {
        let start = default_window_start(self.day(offset));
        (start, start + TimeDelta::hours(CUT_OVER_HOURS))
    }

    /// Moves a group of periods clear of the freeze by one shift: when any of them touches
    /// it, all of them move so that the earliest starts after it.
    pub fn clear<const N: usize>(&self, periods: [Period; N]) -> [Period; N] {
        if !periods.iter().any(|p| overlaps(*p, self.freeze)) {
            return periods;
        }
        let earliest = periods.iter().map(|p| p.0).min().unwrap_or(self.freeze.1);
        let shift = (self.freeze.1 + AFTER_FREEZE) - earliest;
        periods.map(|(start, end)| (start + shift, end + shift))
    }
}

pub fn overlaps(a: Period, b: Period) -> bool {
    a.0 < b.1 && a.1 > b.0
}

/// The year-end freeze in force or next: 18 December to 4 January, London time.
pub fn year_end_freeze(today: NaiveDate) -> Period {
    let year = if today.month() == 1 && today.day() < 4 {
        today.year() - 1
    } else {
        today.year()
    };
    let london = |y: i32, m: u32, d: u32| {
        London
            .with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    };
    (london(year, 12, 18), london(year + 1, 1, 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_freeze_runs_from_18_december_to_4_january_london_time() {
        let (start, end) = year_end_freeze(date(2026, 11, 23));
        assert_eq!(start.to_rfc3339(), "2026-12-18T00:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2027-01-04T00:00:00+00:00");
        assert_eq!(year_end_freeze(date(2027, 1, 2)).0, start);
        assert_eq!(year_end_freeze(date(2027, 1, 4)).0.year(), 2027);
    }

    #[test]
    fn a_group_in_the_freeze_moves_after_it_together() {
        // 5 December: the first period ends before the freeze, the second runs into it.
        let calendar = Calendar::new(date(2026, 12, 5));
        let first = (calendar.at(2, 8), calendar.at(12, 18));
        let second = (first.0 + TimeDelta::days(6), first.1 + TimeDelta::days(3));
        let [a, b] = calendar.clear([first, second]);
        assert!(a.0 >= calendar.freeze.1 && b.0 >= calendar.freeze.1);
        assert_eq!(b.0 - a.0, second.0 - first.0, "they keep their overlap");
        assert_eq!(a.1 - a.0, first.1 - first.0, "and their lengths");
        let before = (calendar.at(1, 8), calendar.at(2, 8));
        assert_eq!(calendar.clear([before]), [before]);
    }

    #[test]
    fn go_lives_ahead_leave_the_freeze_and_past_ones_stay() {
        let calendar = Calendar::new(date(2026, 12, 5));
        // 25 December → 4 January, the first evening after the freeze.
        assert_eq!(calendar.go_live(20), 30);
        assert!(!overlaps(calendar.cut_over(30), calendar.freeze));
        assert_eq!(calendar.go_live(5), 5);
        assert_eq!(calendar.go_live(-7), -7);
        // On 17 December, a go-live that evening would run into the freeze at midnight.
        let eve = Calendar::new(date(2026, 12, 17));
        assert_eq!(eve.go_live(0), 18);
    }
}
