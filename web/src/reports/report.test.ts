import { describe, expect, it } from 'vitest';
import { stackWidths } from '../ui/charts';
import { activityState, countGates, countStates, milestoneState, phaseState } from './report';

const now = Date.parse('2026-11-23T12:00:00Z');

describe('release reporting', () => {
  it('classes phases as completed, in progress, not started or overdue', () => {
    expect(phaseState({ plannedEnd: '2026-11-01', actualEnd: '2026-11-02T00:00:00Z' }, now)).toBe('COMPLETED');
    expect(phaseState({ plannedEnd: '2026-11-22', actualStart: '2026-11-01T00:00:00Z' }, now)).toBe('OVERDUE');
    expect(phaseState({ plannedEnd: '2026-11-23', actualStart: '2026-11-01T00:00:00Z' }, now)).toBe('IN_PROGRESS');
    expect(phaseState({ plannedEnd: '2026-12-01' }, now)).toBe('NOT_STARTED');
  });

  it('classes milestones and runbook activities', () => {
    expect(milestoneState({ plannedDate: '2026-11-20' }, now)).toBe('OVERDUE');
    expect(milestoneState({ plannedDate: '2026-11-20', actualAt: '2026-11-20T10:00:00Z' }, now)).toBe('COMPLETED');
    expect(activityState({ status: 'PENDING', plannedFinish: '2026-11-22T00:00:00Z' }, now, false)).toBe('NOT_STARTED');
    expect(activityState({ status: 'PENDING', plannedFinish: '2026-11-22T00:00:00Z' }, now, true)).toBe('OVERDUE');
    expect(activityState({ status: 'IN_PROGRESS', plannedFinish: '2026-11-24T00:00:00Z' }, now, true)).toBe('IN_PROGRESS');
    expect(activityState({ status: 'SKIPPED', plannedFinish: '2026-11-22T00:00:00Z' }, now, true)).toBe('COMPLETED');
  });

  it('counts states and gate outcomes', () => {
    expect(countStates(['COMPLETED', 'OVERDUE', 'COMPLETED'])).toEqual({ COMPLETED: 2, IN_PROGRESS: 0, NOT_STARTED: 0, OVERDUE: 1 });
    expect(countGates([{ status: 'PASSED' }, { status: 'FAILED' }, { status: 'PENDING' }, { status: 'PASSED' }])).toEqual({ PASSED: 2, WAIVED: 0, PENDING: 1, FAILED: 1 });
  });

  it('stacks chart segments on one scale', () => {
    expect(stackWidths([2, 1, 0, 1], 8, 400)).toEqual([
      { x: 0, w: 100 },
      { x: 100, w: 50 },
      { x: 150, w: 0 },
      { x: 150, w: 50 },
    ]);
    expect(stackWidths([3], 0, 400)).toEqual([{ x: 0, w: 0 }]);
  });
});
