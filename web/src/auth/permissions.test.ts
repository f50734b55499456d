import { describe, expect, it } from 'vitest';
import { permissionsOf } from '../test/permissions';
import { can, canAny, canEditRelease } from './permissions';

describe('permissions (from the server)', () => {
  it('checks the permissions the server listed', () => {
    expect(can(['READ', 'MANAGE_GATES'], 'MANAGE_GATES')).toBe(true);
    expect(can(['READ'], 'MANAGE_GATES')).toBe(false);
    expect(canAny(['READ'], ['RUN_PLANS', 'READ'])).toBe(true);
    expect(canAny([], ['READ'])).toBe(false);
  });
  it('lets project managers shape only project releases', () => {
    const pm = permissionsOf(['PROJECT_MANAGER']);
    expect(canEditRelease(pm, ['PROJECT_MANAGER'], 'PROJECT')).toBe(true);
    expect(canEditRelease(pm, ['PROJECT_MANAGER'], 'ENTERPRISE')).toBe(false);
    expect(canEditRelease(permissionsOf(['RELEASE_MANAGER']), ['RELEASE_MANAGER'], 'ENTERPRISE')).toBe(true);
    expect(canEditRelease(permissionsOf(['VIEWER']), ['VIEWER'], 'PROJECT')).toBe(false);
  });
  it('never lets a role through that the server did not grant', () => {
    // An admin whose permissions the server narrowed (e.g. a restricted token) sees no edits.
    expect(canEditRelease(['READ'], ['ADMIN'], 'ENTERPRISE')).toBe(false);
  });
});
