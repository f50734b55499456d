import { describe, expect, it } from 'vitest';
import type { Role } from '../gql/graphql';
import { permissionsOf } from '../test/permissions';
import { homeFor, navigationFor } from './navigation';

const labels = (roles: Role[]) => navigationFor(permissionsOf(roles)).map((i) => i.label);
const READ_ONLY = [
  'Releases',
  'Release calendar',
  'Environments',
  'What runs where',
  'Bookings',
  'Blackouts',
  'Utilization',
  'Compare environments',
  'Deployment plans',
  'Systems',
  'Reports',
];
/** The read-only navigation with `extra` inserted after the item named in each pair. */
function withItems(...extra: [after: string, label: string][]): string[] {
  const out = [...READ_ONLY];
  for (const [after, label] of extra) out.splice(out.indexOf(after) + 1, 0, label);
  return out;
}
const NEW_RELEASE: [string, string][] = [
  ['Releases', 'New release'],
  ['New release', 'New from template'],
];
const REQUEST: [string, string] = ['Bookings', 'Request environment'];
const DECIDE: [string, string] = ['Request environment', 'Booking approvals'];
const MATRIX: [string, string] = ['Booking approvals', 'Booking matrix'];
const IDLE: [string, string] = ['Booking matrix', 'Idle bookings'];
const GATES: [string, string] = ['Release calendar', 'Gate results'];
const AUDIT: [string, string] = ['Reports', 'Audit trail'];

describe('navigation from the server permissions', () => {
  it.each<[Role, string[]]>([
    ['ADMIN', [...withItems(...NEW_RELEASE, GATES, REQUEST, DECIDE, MATRIX, IDLE, AUDIT), 'Users', 'API tokens', 'Webhooks']],
    ['RELEASE_MANAGER', withItems(...NEW_RELEASE, GATES, REQUEST, AUDIT)],
    ['ENVIRONMENT_MANAGER', withItems(REQUEST, DECIDE, MATRIX, IDLE)],
    ['TEST_MANAGER', withItems(GATES, REQUEST)],
    ['IMPLEMENTATION_MANAGER', withItems(REQUEST)],
    ['PORTFOLIO_MANAGER', withItems(REQUEST, AUDIT)],
    ['SERVICE_MANAGER', withItems(REQUEST, AUDIT)],
    ['PROJECT_MANAGER', withItems(...NEW_RELEASE, REQUEST)],
    ['VIEWER', READ_ONLY],
  ])('%s', (role, expected) => {
    expect(labels([role])).toEqual(expected);
  });

  it('is the union for several roles, in the usual order', () => {
    expect(labels(['VIEWER', 'SERVICE_MANAGER', 'PROJECT_MANAGER'])).toEqual(
      withItems(...NEW_RELEASE, REQUEST, AUDIT),
    );
  });

  it('shows nothing but what the server grants', () => {
    expect(navigationFor([])).toEqual([]);
    expect(navigationFor(['MANAGE_API_TOKENS']).map((i) => i.label)).toEqual(['API tokens']);
  });

  it('lands each role on its work', () => {
    expect(homeFor(permissionsOf(['ENVIRONMENT_MANAGER']))).toBe('/bookings/approvals');
    expect(homeFor(permissionsOf(['IMPLEMENTATION_MANAGER']))).toBe('/plans');
    expect(homeFor(permissionsOf(['TEST_MANAGER']))).toBe('/gates');
    expect(homeFor(permissionsOf(['ENVIRONMENT_MANAGER', 'RELEASE_MANAGER']))).toBe('/releases');
    expect(homeFor(permissionsOf(['ADMIN']))).toBe('/releases');
    expect(homeFor(permissionsOf(['VIEWER']))).toBe('/releases');
  });
});
