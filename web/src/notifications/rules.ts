/** Where a notification leads, and how the bell reads. Pure, for the bell and the page. */

export interface NotificationSubject {
  subjectType?: string | null;
  subjectId?: string | null;
  release?: { id: string; key: string } | null;
}

/** The plan of each activity a notification is about (`Activity.plan`), by activity id. */
export type ActivityPlans = ReadonlyMap<string, string>;

/**
 * The page of a notification's subject, when there is one: a release (and its gates and
 * milestones, shown on the release page), a deployment plan, a booking (on the timeline). An
 * activity leads to its plan's command centre once its plan is known (`activityPlans`, read
 * when the list loads); until then, or when the activity is gone, to its release's plans.
 */
export function notificationLink(n: NotificationSubject, activityPlans: ActivityPlans = new Map()): { to: string; label: string } | null {
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
    case 'Activity': {
      const planId = n.subjectId ? activityPlans.get(n.subjectId) : undefined;
      if (planId) return { to: `/plans/${planId}/command-centre`, label: 'Open the command centre' };
      return release ? { to: `${release.to}#plans-title`, label: `Open the plans of ${n.release?.key ?? ''}` } : null;
    }
    case 'Booking':
      return { to: '/bookings', label: 'Open the booking timeline' };
    default:
      return release;
  }
}

/** The ids of the activities some notifications are about (each once), to look their plans up. */
export function activitySubjectIds(list: readonly NotificationSubject[]): string[] {
  const ids = list.filter((n) => n.subjectType === 'Activity' && n.subjectId).map((n) => n.subjectId as string);
  return [...new Set(ids)].sort();
}

/**
 * The plans of activities from a `nodes(ids:)` answer: activities that no longer exist (null)
 * or other nodes are left out, so their notifications keep the fallback link.
 */
export function activityPlansOf(
  nodes: readonly ({ __typename?: string; id?: string; plan?: { id: string } | null } | null)[] | null | undefined,
): ActivityPlans {
  const out = new Map<string, string>();
  for (const node of nodes ?? []) {
    if (node?.__typename === 'Activity' && node.id && node.plan?.id) out.set(node.id, node.plan.id);
  }
  return out;
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
