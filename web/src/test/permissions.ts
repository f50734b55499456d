import type { Permission, Role } from '../gql/graphql';

/**
 * Test data only: what `me { permissions }` answers for each role, copied from the server's
 * table (server/src/auth/permissions.rs) so component tests can sign in as a role. The app
 * itself never uses this: it reads the permissions from the server.
 */
const ALL_BUT_VIEWER: Role[] = [
  'ADMIN',
  'RELEASE_MANAGER',
  'ENVIRONMENT_MANAGER',
  'TEST_MANAGER',
  'IMPLEMENTATION_MANAGER',
  'PORTFOLIO_MANAGER',
  'SERVICE_MANAGER',
  'PROJECT_MANAGER',
];

const TABLE: Record<Permission, readonly Role[]> = {
  READ: [...ALL_BUT_VIEWER, 'VIEWER'],
  MANAGE_SYSTEMS: ['ADMIN', 'RELEASE_MANAGER', 'PORTFOLIO_MANAGER'],
  MANAGE_RELEASES: ['ADMIN', 'RELEASE_MANAGER', 'PROJECT_MANAGER'],
  CONTROL_RELEASES: ['ADMIN', 'RELEASE_MANAGER'],
  MANAGE_PACKAGES: ['ADMIN', 'RELEASE_MANAGER', 'PROJECT_MANAGER'],
  MANAGE_ENVIRONMENTS: ['ADMIN', 'ENVIRONMENT_MANAGER'],
  READ_SECRETS: ['ADMIN', 'ENVIRONMENT_MANAGER'],
  RECORD_DEPLOYMENTS: ['ADMIN', 'ENVIRONMENT_MANAGER', 'IMPLEMENTATION_MANAGER'],
  MANAGE_DEPLOYMENTS: ['ADMIN', 'ENVIRONMENT_MANAGER'],
  REQUEST_BOOKINGS: ALL_BUT_VIEWER,
  DECIDE_BOOKINGS: ['ADMIN', 'ENVIRONMENT_MANAGER'],
  MANAGE_BLACKOUTS: ['ADMIN', 'ENVIRONMENT_MANAGER'],
  OVERRIDE_BLACKOUTS: ['ADMIN', 'RELEASE_MANAGER', 'ENVIRONMENT_MANAGER'],
  READ_AUDIT: ['ADMIN', 'RELEASE_MANAGER', 'PORTFOLIO_MANAGER', 'SERVICE_MANAGER'],
  MANAGE_USERS: ['ADMIN'],
  MANAGE_API_TOKENS: ['ADMIN'],
  MANAGE_GATES: ['ADMIN', 'RELEASE_MANAGER'],
  RECORD_RESULTS: ['ADMIN', 'RELEASE_MANAGER', 'TEST_MANAGER'],
  DECIDE_GATES: ALL_BUT_VIEWER,
  MANAGE_TEMPLATES: ['ADMIN', 'RELEASE_MANAGER'],
  MANAGE_WEBHOOKS: ['ADMIN'],
  MANAGE_PLANS: ['ADMIN', 'RELEASE_MANAGER', 'IMPLEMENTATION_MANAGER'],
  RUN_PLANS: ['ADMIN', 'IMPLEMENTATION_MANAGER'],
  OPERATE_ACTIVITIES: ALL_BUT_VIEWER,
};

/** The permissions the server gives these roles, in the enum's order. */
export function permissionsOf(roles: readonly Role[]): Permission[] {
  return (Object.keys(TABLE) as Permission[]).filter((p) => TABLE[p].some((r) => roles.includes(r)));
}
