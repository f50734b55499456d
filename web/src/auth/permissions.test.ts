import { describe, expect, it } from 'vitest';
import { permissionsOf } from '../test/permissions';
import { can, canAny, canAssignPlanStakeholders, canEditRelease, mayDecidePlan, mayOperateActivity } from './permissions';

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

  it('lets plan builders and the release people of the release name a plan’s stakeholders', () => {
    const as = (role: Parameters<typeof permissionsOf>[0][number], kind: string) => canAssignPlanStakeholders(permissionsOf([role]), [role], kind);
    expect(as('IMPLEMENTATION_MANAGER', 'ENTERPRISE')).toBe(true);
    expect(as('RELEASE_MANAGER', 'ENTERPRISE')).toBe(true);
    expect(as('ADMIN', 'INDEPENDENT')).toBe(true);
    expect(as('PROJECT_MANAGER', 'PROJECT')).toBe(true);
    expect(as('PROJECT_MANAGER', 'ENTERPRISE')).toBe(false);
    for (const role of ['VIEWER', 'TEST_MANAGER', 'ENVIRONMENT_MANAGER', 'SERVICE_MANAGER'] as const) expect(as(role, 'PROJECT')).toBe(false);
    // Without the permission from the server, nothing (a narrowed token).
    expect(canAssignPlanStakeholders(['READ', 'MANAGE_PLANS'], ['IMPLEMENTATION_MANAGER'], 'ENTERPRISE')).toBe(false);
  });

  it('offers an activity’s controls to its owner, implementation managers and admins only', () => {
    const who = (roles: Parameters<typeof permissionsOf>[0], userId = 'usr_me') => ({ permissions: permissionsOf(roles), roles, userId });
    const mine = { ownerId: 'usr_me' };
    const theirs = { ownerId: 'usr_other' };
    const nobodys = { ownerId: null };
    expect(mayOperateActivity(who(['IMPLEMENTATION_MANAGER']), theirs)).toBe(true);
    expect(mayOperateActivity(who(['ADMIN']), nobodys)).toBe(true);
    expect(mayOperateActivity(who(['TEST_MANAGER']), mine)).toBe(true);
    expect(mayOperateActivity(who(['TEST_MANAGER']), theirs)).toBe(false);
    expect(mayOperateActivity(who(['RELEASE_MANAGER']), nobodys)).toBe(false);
    expect(mayOperateActivity(who(['PROJECT_MANAGER']), { ownerId: undefined })).toBe(false);
    // A viewer owning an activity still may not operate (no OPERATE_ACTIVITIES).
    expect(mayOperateActivity(who(['VIEWER']), mine)).toBe(false);
    // A token with no user is never the owner.
    expect(mayOperateActivity({ ...who(['SERVICE_MANAGER']), userId: null }, nobodys)).toBe(false);
  });

  it('lets only the plan’s accountable person decide checkpoints and go/no-go', () => {
    const raci = [
      { role: 'RESPONSIBLE', user: { id: 'usr_r' } },
      { role: 'ACCOUNTABLE', user: { id: 'usr_a' } },
    ];
    const rm = permissionsOf(['RELEASE_MANAGER']);
    expect(mayDecidePlan({ permissions: rm, userId: 'usr_a' }, raci)).toBe(true);
    expect(mayDecidePlan({ permissions: rm, userId: 'usr_r' }, raci)).toBe(false);
    expect(mayDecidePlan({ permissions: permissionsOf(['ADMIN']), userId: 'usr_admin' }, raci)).toBe(false);
    expect(mayDecidePlan({ permissions: rm, userId: 'usr_a' }, [{ role: 'ACCOUNTABLE', user: null }])).toBe(false);
    expect(mayDecidePlan({ permissions: rm, userId: 'usr_a' }, [])).toBe(false);
    expect(mayDecidePlan({ permissions: permissionsOf(['VIEWER']), userId: 'usr_a' }, raci)).toBe(false);
  });
});
