//! Runbook arithmetic, free of the database: which activities may start, how far a run is,
//! its critical path and when it will finish at the pace it has had so far.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use entity::ActivityStatus;
use uuid::Uuid;

/// One activity as the schedule sees it.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: Uuid,
    /// Minutes after the start before which it does not begin.
    pub offset: i64,
    /// Planned minutes.
    pub duration: i64,
    pub depends_on: Vec<Uuid>,
    pub status: ActivityStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

fn settled(status: ActivityStatus) -> bool {
    matches!(status, ActivityStatus::Done | ActivityStatus::Skipped)
}

/// Activities in an order where each comes after everything it depends on; None on a cycle.
pub fn topological(steps: &[Step]) -> Option<Vec<usize>> {
    let index: HashMap<Uuid, usize> = steps.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let mut remaining: Vec<usize> = steps
        .iter()
        .map(|s| {
            s.depends_on
                .iter()
                .filter(|d| index.contains_key(d))
                .count()
        })
        .collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        for dependency in &step.depends_on {
            if let Some(&d) = index.get(dependency) {
                dependents[d].push(i);
            }
        }
    }
    let mut ready: Vec<usize> = (0..steps.len())
        .filter(|&i| remaining[i] == 0)
        .rev()
        .collect();
    let mut order = Vec::with_capacity(steps.len());
    while let Some(i) = ready.pop() {
        order.push(i);
        for &next in dependents[i].iter().rev() {
            remaining[next] -= 1;
            if remaining[next] == 0 {
                ready.push(next);
            }
        }
    }
    (order.len() == steps.len()).then_some(order)
}

/// The status an activity should have given its dependencies: PENDING activities whose
/// dependencies are all done or skipped become READY, and READY ones whose dependencies
/// were reset fall back to PENDING. Others keep theirs.
pub fn readiness(steps: &[Step]) -> HashMap<Uuid, ActivityStatus> {
    let status: HashMap<Uuid, ActivityStatus> = steps.iter().map(|s| (s.id, s.status)).collect();
    steps
        .iter()
        .map(|step| {
            let deps_settled = step
                .depends_on
                .iter()
                .all(|d| status.get(d).is_none_or(|s| settled(*s)));
            let new = match step.status {
                ActivityStatus::Pending if deps_settled => ActivityStatus::Ready,
                ActivityStatus::Ready if !deps_settled => ActivityStatus::Pending,
                other => other,
            };
            (step.id, new)
        })
        .collect()
}

/// Share of the planned work done (done or skipped), weighted by planned duration.
pub fn progress(steps: &[Step]) -> f64 {
    let weight = |s: &Step| s.duration.max(1) as f64;
    let total: f64 = steps.iter().map(weight).sum();
    if total == 0.0 {
        return 0.0;
    }
    // A fold from +0.0: an empty float sum is -0.0, which would reach clients as such.
    let settled_weight = steps
        .iter()
        .filter(|s| settled(s.status))
        .map(weight)
        .fold(0.0, |sum, w| sum + w);
    settled_weight / total
}

#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Expected start and finish of each activity.
    pub times: HashMap<Uuid, (DateTime<Utc>, DateTime<Utc>)>,
    pub finish: DateTime<Utc>,
    /// The chain of activities that decides the finish, first to last.
    pub critical_path: Vec<Uuid>,
}

/// Projects the run from what happened so far: finished activities at their actual times,
/// running ones for at least their planned length, the rest as soon as their dependencies
/// and offsets allow (never before `now`). Without actual times (`now` = start) this is the
/// plan itself. None when the dependencies form a cycle.
pub fn project(steps: &[Step], start: DateTime<Utc>, now: DateTime<Utc>) -> Option<Projection> {
    let order = topological(steps)?;
    let index: HashMap<Uuid, usize> = steps.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let minutes = |m: i64| TimeDelta::minutes(m.max(0));
    let mut finish: Vec<DateTime<Utc>> = vec![start; steps.len()];
    let mut begin: Vec<DateTime<Utc>> = vec![start; steps.len()];
    // Which dependency the activity waited for last (for tracing the critical path).
    let mut driver: Vec<Option<usize>> = vec![None; steps.len()];
    for &i in &order {
        let step = &steps[i];
        let mut earliest = start + minutes(step.offset);
        let mut waited_for = None;
        for dependency in &step.depends_on {
            if let Some(&d) = index.get(dependency)
                && finish[d] >= earliest
            {
                earliest = finish[d];
                waited_for = Some(d);
            }
        }
        let planned = minutes(step.duration);
        let (b, f) = match step.status {
            ActivityStatus::Done => {
                let b = step.started_at.unwrap_or(earliest);
                (b, step.finished_at.unwrap_or(b + planned))
            }
            ActivityStatus::Skipped => {
                let at = step.finished_at.unwrap_or(earliest);
                (at, at)
            }
            ActivityStatus::InProgress => {
                let b = step.started_at.unwrap_or(now);
                (b, (b + planned).max(now))
            }
            ActivityStatus::Failed | ActivityStatus::Blocked => {
                // It has to be done again, from now.
                let b = earliest.max(now);
                (b, b + planned)
            }
            ActivityStatus::Pending | ActivityStatus::Ready => {
                let b = earliest.max(now);
                (b, b + planned)
            }
        };
        begin[i] = b;
        finish[i] = f;
        driver[i] = waited_for.filter(|d| finish[*d] >= b || b == earliest);
    }
    let last = (0..steps.len()).max_by_key(|&i| (finish[i], std::cmp::Reverse(i)));
    let mut critical_path = Vec::new();
    let mut current = last;
    while let Some(i) = current {
        critical_path.push(steps[i].id);
        current = driver[i];
    }
    critical_path.reverse();
    Some(Projection {
        times: steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, (begin[i], finish[i])))
            .collect(),
        finish: last.map(|i| finish[i]).unwrap_or(start),
        critical_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(n: u128, offset: i64, duration: i64, deps: &[u128]) -> Step {
        Step {
            id: Uuid::from_u128(n),
            offset,
            duration,
            depends_on: deps.iter().map(|d| Uuid::from_u128(*d)).collect(),
            status: ActivityStatus::Pending,
            started_at: None,
            finished_at: None,
        }
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default() + TimeDelta::minutes(minutes)
    }

    /// 1 (30) → 2 (60) → 4 (10); 1 → 3 (20) → 4. The long branch is critical.
    fn diamond() -> Vec<Step> {
        vec![
            step(1, 0, 30, &[]),
            step(2, 0, 60, &[1]),
            step(3, 0, 20, &[1]),
            step(4, 0, 10, &[2, 3]),
        ]
    }

    #[test]
    fn the_plan_finishes_at_the_end_of_its_longest_chain() {
        let p = project(&diamond(), at(0), at(0)).unwrap_or_else(|| panic!("cycle"));
        assert_eq!(p.finish, at(100));
        assert_eq!(
            p.critical_path,
            vec![Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(4)]
        );
        assert_eq!(p.times[&Uuid::from_u128(3)], (at(30), at(50)));
    }

    #[test]
    fn offsets_hold_activities_back() {
        let steps = vec![step(1, 0, 10, &[]), step(2, 120, 10, &[1])];
        let p = project(&steps, at(0), at(0)).unwrap_or_else(|| panic!("cycle"));
        assert_eq!(p.times[&Uuid::from_u128(2)], (at(120), at(130)));
    }

    #[test]
    fn actual_durations_move_the_projection() {
        let mut steps = diamond();
        // Step 1 took 50 minutes instead of 30; step 2 is running since minute 50.
        steps[0].status = ActivityStatus::Done;
        steps[0].started_at = Some(at(0));
        steps[0].finished_at = Some(at(50));
        steps[1].status = ActivityStatus::InProgress;
        steps[1].started_at = Some(at(50));
        let p = project(&steps, at(0), at(60)).unwrap_or_else(|| panic!("cycle"));
        assert_eq!(p.finish, at(120));
        // Running longer than planned pushes the finish further (the short branch is done).
        steps[2].status = ActivityStatus::Done;
        steps[2].started_at = Some(at(50));
        steps[2].finished_at = Some(at(70));
        let late = project(&steps, at(0), at(130)).unwrap_or_else(|| panic!("cycle"));
        assert_eq!(late.times[&Uuid::from_u128(2)].1, at(130));
        assert_eq!(late.finish, at(140));
    }

    #[test]
    fn readiness_follows_dependencies_both_ways() {
        let mut steps = diamond();
        let r = readiness(&steps);
        assert_eq!(r[&Uuid::from_u128(1)], ActivityStatus::Ready);
        assert_eq!(r[&Uuid::from_u128(2)], ActivityStatus::Pending);
        steps[0].status = ActivityStatus::Skipped;
        steps[1].status = ActivityStatus::Ready;
        assert_eq!(
            readiness(&steps)[&Uuid::from_u128(2)],
            ActivityStatus::Ready
        );
        steps[0].status = ActivityStatus::Ready;
        assert_eq!(
            readiness(&steps)[&Uuid::from_u128(2)],
            ActivityStatus::Pending
        );
    }

    #[test]
    fn progress_is_weighted_by_planned_duration() {
        let mut steps = diamond();
        steps[1].status = ActivityStatus::Done;
        assert!((progress(&steps) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn nothing_done_is_positive_zero() {
        let progress = progress(&diamond());
        assert_eq!(progress, 0.0);
        assert!(progress.is_sign_positive(), "clients would see -0.0");
    }

    #[test]
    fn cycles_have_no_order() {
        let steps = vec![step(1, 0, 1, &[2]), step(2, 0, 1, &[1])];
        assert!(topological(&steps).is_none());
        assert!(project(&steps, at(0), at(0)).is_none());
    }
}
