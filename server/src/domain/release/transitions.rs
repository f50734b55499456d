//! The release lifecycle as data: which status may follow which.
//!
//! ```text
//! DRAFT → PLANNED → IN_PROGRESS → GO_LIVE → RELEASED
//!   ↑________↓          │            │         │
//! any open status → CANCELLED        └→ ROLLED_BACK ←┘   ROLLED_BACK → PLANNED (re-plan)
//! ```

use entity::ReleaseStatus::{self, *};

/// Statuses reachable in one step from `from`.
pub fn next_statuses(from: ReleaseStatus) -> &'static [ReleaseStatus] {
    match from {
        Draft => &[Planned, Cancelled],
        Planned => &[Draft, InProgress, Cancelled],
        InProgress => &[Planned, GoLive, Cancelled],
        GoLive => &[Released, RolledBack],
        Released => &[RolledBack],
        RolledBack => &[Planned, Cancelled],
        Cancelled => &[],
    }
}

pub fn is_allowed(from: ReleaseStatus, to: ReleaseStatus) -> bool {
    next_statuses(from).contains(&to)
}

/// A release in one of these statuses is finished and no longer blocks its dependants.
pub fn is_closed(status: ReleaseStatus) -> bool {
    matches!(status, Released | Cancelled | RolledBack)
}

/// A release that has not started may still be deleted.
pub fn is_deletable(status: ReleaseStatus) -> bool {
    matches!(status, Draft | Planned | Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_is_allowed_step_by_step() {
        let path = [Draft, Planned, InProgress, GoLive, Released];
        for pair in path.windows(2) {
            assert!(
                is_allowed(pair[0], pair[1]),
                "{:?} → {:?}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn skipping_steps_and_leaving_terminal_states_is_refused() {
        assert!(!is_allowed(Draft, Released));
        assert!(!is_allowed(Planned, GoLive));
        assert!(!is_allowed(Cancelled, Planned));
        assert!(!is_allowed(Released, InProgress));
        assert!(!is_allowed(GoLive, Cancelled));
        for status in ReleaseStatus::all() {
            assert!(!is_allowed(*status, *status), "{status:?} to itself");
        }
    }

    #[test]
    fn rollback_allows_replanning() {
        assert!(is_allowed(GoLive, RolledBack));
        assert!(is_allowed(Released, RolledBack));
        assert!(is_allowed(RolledBack, Planned));
    }
}
