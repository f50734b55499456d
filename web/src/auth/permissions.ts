import type { Permission, Role } from '../gql/graphql';

/**
 * What the signed-in principal may do comes from the server (`me { permissions }`), which
 * derives it from its own permission table. The SPA uses it only to hide what cannot be used;
 * the server decides.
 */
export type { Permission };

export function can(permissions: readonly Permission[], permission: Permission): boolean {
  return permissions.includes(permission);
}

/** True when any of the permissions is held. */
export function canAny(permissions: readonly Permission[], wanted: readonly Permission[]): boolean {
  return wanted.some((p) => permissions.includes(p));
}

/**
 * May this principal shape (edit, add phases/packages to, assign RACI on) a release of this
 * kind? MANAGE_RELEASES is a resource rule on the server: project managers hold it for PROJECT
 * releases only. `me` does not say so, so this one rule still looks at the roles.
 */
export function canEditRelease(permissions: readonly Permission[], roles: readonly Role[], kind: string): boolean {
  if (!can(permissions, 'MANAGE_RELEASES')) return false;
  if (kind === 'PROJECT') return true;
  return roles.some((r) => r === 'ADMIN' || r === 'RELEASE_MANAGER');
}

/** Only PROJECT releases may be created (project managers without a broader role). */
export function onlyProjectReleases(roles: readonly Role[]): boolean {
  return !roles.some((r) => r === 'ADMIN' || r === 'RELEASE_MANAGER');
}

export const ALL_ROLES: readonly Role[] = [
  'ADMIN',
  'RELEASE_MANAGER',
  'ENVIRONMENT_MANAGER',
  'TEST_MANAGER',
  'IMPLEMENTATION_MANAGER',
  'PORTFOLIO_MANAGER',
  'SERVICE_MANAGER',
  'PROJECT_MANAGER',
  'VIEWER',
];

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Admin',
  RELEASE_MANAGER: 'Release manager',
  ENVIRONMENT_MANAGER: 'Environment manager',
  TEST_MANAGER: 'Test manager',
  IMPLEMENTATION_MANAGER: 'Implementation manager',
  PORTFOLIO_MANAGER: 'Portfolio manager',
  SERVICE_MANAGER: 'Service manager',
  PROJECT_MANAGER: 'Project manager',
  VIEWER: 'Viewer',
};
