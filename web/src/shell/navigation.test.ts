import { describe, expect, it } from 'vitest';
import type { Role } from '../gql/graphql';
import { permissionsOf } from '../test/permissions';
import { homeFor, navigationFor } from './navigation';

const labels = (roles: Role[]) => navigationFor(permissionsOf(roles)).map((i) => i.label);
const READ_ONLY = ['Releases', 'Release calendar', 'Environments', 'What runs where', 'Systems'];
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

describe('navigation from the server permissions', () => {
  it.each<[Role, string[]]>([
    [
      'ADMIN',
      [
        ...withItems(...NEW_RELEASE, ['Systems', 'Audit trail']),
        'Users',
        'API tokens',
      ],
    ],
    ['RELEASE_MANAGER', withItems(...NEW_RELEASE, ['Systems', 'Audit trail'])],
    ['ENVIRONMENT_MANAGER', READ_ONLY],
    ['TEST_MANAGER', READ_ONLY],
    ['IMPLEMENTATION_MANAGER', READ_ONLY],
    ['PORTFOLIO_MANAGER', withItems(['Systems', 'Audit trail'])],
    ['SERVICE_MANAGER', withItems(['Systems', 'Audit trail'])],
    ['PROJECT_MANAGER', withItems(...NEW_RELEASE)],
    ['VIEWER', READ_ONLY],
  ])('%s', (role, expected) => {
    expect(labels([role])).toEqual(expected);
  });

  it('is the union for several roles, in the usual order', () => {
    expect(labels(['VIEWER', 'SERVICE_MANAGER', 'PROJECT_MANAGER'])).toEqual(
      withItems(...NEW_RELEASE, ['Systems', 'Audit trail']),
    );
  });

  it('shows nothing but what the server grants', () => {
    expect(navigationFor([])).toEqual([]);
    expect(navigationFor(['MANAGE_API_TOKENS']).map((i) => i.label)).toEqual(['API tokens']);
  });

  it('lands each role on its work', () => {
    expect(homeFor(permissionsOf(['ENVIRONMENT_MANAGER']))).toBe('/environments');
    expect(homeFor(permissionsOf(['ENVIRONMENT_MANAGER', 'RELEASE_MANAGER']))).toBe('/releases');
    expect(homeFor(permissionsOf(['ADMIN']))).toBe('/releases');
    expect(homeFor(permissionsOf(['VIEWER']))).toBe('/releases');
  });
});
