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

/**
 * May this principal name the stakeholders (RACI) of a deployment plan or of one of its
 * activities? ASSIGN_STAKEHOLDERS is needed; on plan parts the server then lets plan builders
 * (MANAGE_PLANS) through, and release people on the releases they may shape.
 */
export function canAssignPlanStakeholders(permissions: readonly Permission[], roles: readonly Role[], releaseKind: string | null | undefined): boolean {
  if (!can(permissions, 'ASSIGN_STAKEHOLDERS')) return false;
  if (can(permissions, 'MANAGE_PLANS')) return true;
  return !!releaseKind && canEditRelease(permissions, roles, releaseKind);
}

/**
 * May this principal move (start, complete, fail, skip, block…) an activity of a run? Its
 * owner, implementation managers and admins — the server's rule on each activity. `me` lists
 * OPERATE_ACTIVITIES for most roles because the activity decides, so this looks at the roles.
 */
export function mayOperateActivity(
  viewer: { permissions: readonly Permission[]; roles: readonly Role[]; userId: string | null },
  activity: { ownerId?: string | null },
): boolean {
  if (!can(viewer.permissions, 'OPERATE_ACTIVITIES')) return false;
  if (viewer.roles.some((r) => r === 'ADMIN' || r === 'IMPLEMENTATION_MANAGER')) return true;
  return !!activity.ownerId && activity.ownerId === viewer.userId;
}

/** Checkpoints and go/no-go are decided by the plan's accountable person only. */
export function mayDecidePlan(
  viewer: { permissions: readonly Permission[]; userId: string | null },
  raci: readonly { role: string; user?: { id: string } | null }[],
): boolean {
  if (!can(viewer.permissions, 'OPERATE_ACTIVITIES') || !viewer.userId) return false;
  const accountable = raci.find((r) => r.role === 'ACCOUNTABLE');
  return !!accountable?.user && accountable.user.id === viewer.userId;
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
