/** Where a notification leads, and how the bell reads. Pure, for the bell and the page. */

export interface NotificationSubject {
  subjectType?: string | null;
  subjectId?: string | null;
  release?: { id: string; key: string } | null;
}

/**
 * The page of a notification's subject, when there is one: a release (and its gates and
 * milestones, shown on the release page), a deployment plan, a booking (on the timeline). An
 * activity names no plan, so it leads to its release, which lists the release's plans.
 */
export function notificationLink(n: NotificationSubject): { to: string; label: string } | null {
  const release = n.release ? { to: `/releases/${n.release.id}`, label: `Open ${n.release.key}` } : null;
  switch (n.subjectType) {
    case 'Release':
      return n.subjectId ? { to: `/releases/${n.subjectId}`, label: `Open ${n.release?.key ?? 'the release'}` } : release;
    case 'DeploymentPlan':
      return n.subjectId ? { to: `/plans/${n.subjectId}`, label: 'Open the plan' } : release;
    case 'Gate':
      return release ? { to: `${release.to}#gates-title`, label: `Open the gates of ${n.release?.key ?? ''}` } : null;
    case 'Milestone':
      return release ? { to: `${release.to}#milestones-title`, label: `Open the milestones of ${n.release?.key ?? ''}` } : null;
    case 'Activity':
      return release ? { to: `${release.to}#plans-title`, label: `Open the plans of ${n.release?.key ?? ''}` } : null;
    case 'Booking':
      return { to: '/bookings', label: 'Open the booking timeline' };
    default:
      return release;
  }
}

/** The bell's accessible name: "Notifications, 3 unread". */
export function bellLabel(unread: number | null | undefined): string {
  if (unread === null || unread === undefined) return 'Notifications';
  return unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread`;
}

/** The badge on the bell: nothing at zero, "99+" beyond. */
export function bellBadge(unread: number | null | undefined): string | null {
  if (!unread || unread <= 0) return null;
  return unread > 99 ? '99+' : String(unread);
}
