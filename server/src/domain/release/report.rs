//! Planned against actual: for each phase start and end, milestone and the go-live, the
//! planned day, the actual moment and the slip in days.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{milestone, release};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::{DomainResult, release::progress};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    PhaseStart,
    PhaseEnd,
    Milestone,
    GoLive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    OnTime,
    Early,
    Late,
    /// Not yet due.
    Upcoming,
    /// Due and not done.
    Overdue,
}

#[derive(Debug, Clone)]
pub struct PlannedVsActual {
    pub kind: ItemKind,
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<DateTime<Utc>>,
    /// Actual day minus planned day; None until done.
    pub slip_days: Option<i64>,
    pub timeliness: Timeliness,
}

fn item(
    kind: ItemKind,
    name: String,
    planned: NaiveDate,
    actual: Option<DateTime<Utc>>,
    today: NaiveDate,
) -> PlannedVsActual {
    let slip_days = actual.map(|a| (a.date_naive() - planned).num_days());
    let timeliness = match slip_days {
        Some(0) => Timeliness::OnTime,
        Some(d) if d < 0 => Timeliness::Early,
        Some(_) => Timeliness::Late,
        None if planned < today => Timeliness::Overdue,
        None => Timeliness::Upcoming,
    };
    PlannedVsActual {
        kind,
        name,
        planned,
        actual,
        slip_days,
        timeliness,
    }
}

pub async fn planned_vs_actual<C: ConnectionTrait>(
    conn: &C,
    release: &release::Model,
    today: NaiveDate,
) -> DomainResult<Vec<PlannedVsActual>> {
    let mut items = Vec::new();
    for phase in progress::phases_in_order(conn, release.id).await? {
        items.push(item(
            ItemKind::PhaseStart,
            phase.name.clone(),
            phase.planned_start,
            phase.actual_start,
            today,
        ));
        items.push(item(
            ItemKind::PhaseEnd,
            phase.name.clone(),
            phase.planned_end,
            phase.actual_end,
            today,
        ));
    }
    let milestones = milestone::Entity::find()
        .filter(milestone::Column::ReleaseId.eq(release.id))
        .order_by_asc(milestone::Column::PlannedDate)
        .all(conn)
        .await?;
    for m in milestones {
        items.push(item(
            ItemKind::Milestone,
            m.name,
            m.planned_date,
            m.actual_at,
            today,
        ));
    }
    items.push(item(
        ItemKind::GoLive,
        "Go-live".into(),
        release.planned_go_live,
        release.actual_go_live,
        today,
    ));
    items.sort_by_key(|i| i.planned);
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn slip_is_counted_in_days_and_classified() {
        let today = day("2027-03-10");
        let late = item(
            ItemKind::Milestone,
            "m".into(),
            day("2027-03-01"),
            Some(
                day("2027-03-04")
                    .and_hms_opt(23, 0, 0)
                    .unwrap_or_default()
                    .and_utc(),
            ),
            today,
        );
        assert_eq!(
            (late.slip_days, late.timeliness),
            (Some(3), Timeliness::Late)
        );
        let early = item(
            ItemKind::Milestone,
            "m".into(),
            day("2027-03-05"),
            Some(
                day("2027-03-04")
                    .and_hms_opt(1, 0, 0)
                    .unwrap_or_default()
                    .and_utc(),
            ),
            today,
        );
        assert_eq!(early.timeliness, Timeliness::Early);
        assert_eq!(
            item(ItemKind::GoLive, "g".into(), day("2027-03-09"), None, today).timeliness,
            Timeliness::Overdue
        );
        assert_eq!(
            item(ItemKind::GoLive, "g".into(), day("2027-03-11"), None, today).timeliness,
            Timeliness::Upcoming
        );
    }
}
