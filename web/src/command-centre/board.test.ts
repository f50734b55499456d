import { describe, expect, it } from 'vitest';
import { goLiveUpdate as update, liveActivity as act } from '../test/goLive';
import { applyUpdate, byLane, criticalTitles, isOverdue, laneOf, outlook, spareMinutes, type GoLiveUpdate } from './board';

describe('applying goLiveStatus messages', () => {
  it('takes a snapshot whole, ordered by planned start', () => {
    const b = applyUpdate(null, update('SNAPSHOT', 3, [act('b', { plannedStart: '2026-11-23T21:00:00Z' }), act('a')]));
    expect(b?.activities.map((a) => a.id)).toEqual(['a', 'b']);
    expect(b?.version).toBe(3);
    expect(b?.snapshots).toBe(1);
  });

  it('merges a delta: only the changed activities are replaced, the summary is new', () => {
    const first = applyUpdate(null, update('SNAPSHOT', 1, [act('a', { status: 'READY' }), act('b')]));
    const next = applyUpdate(first, update('DELTA', 2, [act('a', { status: 'IN_PROGRESS' })], { progress: 0.25 }));
    expect(next?.activities.map((a) => [a.id, a.status])).toEqual([
      ['a', 'IN_PROGRESS'],
      ['b', 'PENDING'],
    ]);
    expect(next?.progress).toBe(0.25);
  });

  it('ignores a delta that is not newer than what is shown, and a delta before any snapshot', () => {
    const first = applyUpdate(null, update('SNAPSHOT', 5, [act('a', { status: 'DONE' })]));
    expect(applyUpdate(first, update('DELTA', 5, [act('a', { status: 'READY' })]))).toBe(first);
    expect(applyUpdate(first, update('DELTA', 4, [act('a', { status: 'READY' })]))).toBe(first);
    expect(applyUpdate(null, update('DELTA', 9, [act('a')]))).toBeNull();
  });

  it('a fresh snapshot (after a reconnect) replaces everything, activities gone included', () => {
    const first = applyUpdate(null, update('SNAPSHOT', 5, [act('a'), act('b')]));
    const again = applyUpdate(first, update('SNAPSHOT', 2, [act('a', { status: 'DONE' })], { resync: true }));
    expect(again?.activities.map((a) => a.id)).toEqual(['a']);
    expect(again?.version).toBe(2);
    expect(again?.snapshots).toBe(2);
  });

  it('keeps open issues first, newest first', () => {
    const issue = (id: string, resolved: boolean, raisedAt: string) => ({

      id,
      title: id,
      description: null,
      severity: 'HIGH' as const,
      resolved,
      resolution: null,
      activityId: null,
      raisedBy: 'x',
      raisedAt,
      resolvedAt: null,
    });
    const b = applyUpdate(null, update('SNAPSHOT', 1, [], { issues: [issue('old', false, '2026-01-01T00:00:00Z'), issue('done', true, '2026-03-01T00:00:00Z'), issue('new', false, '2026-02-01T00:00:00Z')] }));
    expect(b?.issues.map((i) => i.id)).toEqual(['new', 'old', 'done']);
  });
});

describe('reading the board', () => {
  it('puts activities in lanes by status, most recently finished first', () => {
    expect(laneOf('IN_PROGRESS')).toBe('NOW');
    expect(laneOf('BLOCKED')).toBe('ATTENTION');
    expect(laneOf('SKIPPED')).toBe('DONE');
    const lanes = byLane([
      act('a', { status: 'DONE', finishedAt: '2026-11-23T20:10:00Z' }),
      act('b', { status: 'DONE', finishedAt: '2026-11-23T20:20:00Z' }),
      act('c', { status: 'READY' }),
    ]);
    expect(lanes.DONE.map((a) => a.id)).toEqual(['b', 'a']);
    expect(lanes.NEXT.map((a) => a.id)).toEqual(['c']);
  });

  it('turns red when the projected finish passes the deadline, amber when tight', () => {
    const base = { planMode: 'EXECUTING' as const, run: { status: 'RUNNING' as const } as GoLiveUpdate['run'], deadline: '2026-11-24T02:00:00Z' };
    expect(outlook({ ...base, atRisk: true, projectedFinish: '2026-11-24T02:30:00Z' }, 360)).toBe('AT_RISK');
    expect(outlook({ ...base, atRisk: false, projectedFinish: '2026-11-24T01:50:00Z' }, 360)).toBe('TIGHT');
    expect(outlook({ ...base, atRisk: false, projectedFinish: '2026-11-23T22:00:00Z' }, 360)).toBe('ON_TRACK');
    expect(outlook({ ...base, run: { status: 'COMPLETED' } as GoLiveUpdate['run'], atRisk: true, projectedFinish: '2026-11-24T03:00:00Z' }, 360)).toBe('FINISHED');
    expect(spareMinutes({ deadline: '2026-11-24T02:00:00Z', projectedFinish: '2026-11-24T02:30:00Z' })).toBe(-30);
  });

  it('names the critical path and spots overdue activities', () => {
    expect(criticalTitles({ criticalPath: ['b', 'a'], activities: [act('a'), act('b')] })).toEqual(['Step b', 'Step a']);
    const now = Date.parse('2026-11-23T21:00:00Z');
    expect(isOverdue(act('a', { status: 'IN_PROGRESS' }), now)).toBe(true);
    expect(isOverdue(act('a', { status: 'DONE' }), now)).toBe(false);
    expect(isOverdue(act('a', { plannedFinish: '2026-11-23T22:00:00Z' }), now)).toBe(false);
  });
});
