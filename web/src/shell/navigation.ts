import type { Permission } from '../gql/graphql';
import { can } from '../auth/permissions';

export type NavSection = 'Releases' | 'Environments' | 'Go-live' | 'Portfolio' | 'Administration';

export interface NavItem {
  to: string;
  label: string;
  section: NavSection;
  /** Shown when the server gives the viewer this permission (`me { permissions }`). */
  requires: Permission;
  /** Match only this exact path for the active state. */
  end?: boolean;
}

/** The navigation, in order. A new screen is added here with the permission that opens it. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/releases', label: 'Releases', section: 'Releases', requires: 'READ', end: true },
  { to: '/releases/new', label: 'New release', section: 'Releases', requires: 'MANAGE_RELEASES', end: true },
  { to: '/releases/from-template', label: 'New from template', section: 'Releases', requires: 'MANAGE_RELEASES' },
  { to: '/calendar', label: 'Release calendar', section: 'Releases', requires: 'READ' },
  { to: '/gates', label: 'Gate results', section: 'Releases', requires: 'RECORD_RESULTS' },
  { to: '/environments', label: 'Environments', section: 'Environments', requires: 'READ', end: true },
  { to: '/environments/what-runs-where', label: 'What runs where', section: 'Environments', requires: 'READ' },
  { to: '/bookings', label: 'Bookings', section: 'Environments', requires: 'READ', end: true },
  { to: '/bookings/request', label: 'Request environment', section: 'Environments', requires: 'REQUEST_BOOKINGS' },
  { to: '/bookings/approvals', label: 'Booking approvals', section: 'Environments', requires: 'DECIDE_BOOKINGS' },
  { to: '/bookings/matrix', label: 'Booking matrix', section: 'Environments', requires: 'DECIDE_BOOKINGS' },
  { to: '/bookings/idle', label: 'Idle bookings', section: 'Environments', requires: 'DECIDE_BOOKINGS' },
  { to: '/blackouts', label: 'Blackouts', section: 'Environments', requires: 'READ' },
  { to: '/environments/utilization', label: 'Utilization', section: 'Environments', requires: 'READ' },
  { to: '/environments/compare', label: 'Compare environments', section: 'Environments', requires: 'READ' },
  { to: '/plans', label: 'Deployment plans', section: 'Go-live', requires: 'READ' },
  { to: '/systems', label: 'Systems', section: 'Portfolio', requires: 'READ' },
  { to: '/reports', label: 'Reports', section: 'Portfolio', requires: 'READ' },
  { to: '/audit', label: 'Audit trail', section: 'Portfolio', requires: 'READ_AUDIT' },
  { to: '/admin/users', label: 'Users', section: 'Administration', requires: 'MANAGE_USERS' },
  { to: '/admin/api-tokens', label: 'API tokens', section: 'Administration', requires: 'MANAGE_API_TOKENS' },
  { to: '/admin/webhooks', label: 'Webhooks', section: 'Administration', requires: 'MANAGE_WEBHOOKS' },
];

export function navigationFor(permissions: readonly Permission[]): NavItem[] {
  return NAV_ITEMS.filter((item) => can(permissions, item.requires));
}

/**
 * Where a principal lands after sign-in when no page was asked for: the work of their
 * narrowest role (go-live, bookings, gates), else the releases.
 */
export function homeFor(permissions: readonly Permission[]): string {
  if (can(permissions, 'CONTROL_RELEASES')) return '/releases';
  if (can(permissions, 'DECIDE_BOOKINGS')) return '/bookings/approvals';
  if (can(permissions, 'RUN_PLANS')) return '/plans';
  if (can(permissions, 'RECORD_RESULTS')) return '/gates';
  return '/releases';
}

export function groupBySection(items: readonly NavItem[]): [NavSection, NavItem[]][] {
  const out = new Map<NavSection, NavItem[]>();
  for (const item of items) {
    const list = out.get(item.section) ?? [];
    list.push(item);
    out.set(item.section, list);
  }
  return [...out.entries()];
}
