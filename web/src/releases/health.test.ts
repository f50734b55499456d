import { describe, expect, it } from 'vitest';
import { isGoLiveOverdue, isMilestoneOverdue, isPhaseLate, overdueMilestones, phaseProgress, slipDays } from './health';

const today = '2026-11-23';

describe('overdue milestones', () => {
  it('are past their planned date and not reached', () => {
    expect(isMilestoneOverdue({ name: 'Code freeze', plannedDate: '2026-11-22', actualAt: null }, today)).toBe(true);
    expect(isMilestoneOverdue({ name: 'Code freeze', plannedDate: '2026-11-23', actualAt: null }, today)).toBe(false);
    expect(isMilestoneOverdue({ name: 'Code freeze', plannedDate: '2026-11-01', actualAt: '2026-11-02T10:00:00Z' }, today)).toBe(false);
    expect(
      overdueMilestones(
        [
          { name: 'a', plannedDate: '2026-10-01' },
          { name: 'b', plannedDate: '2027-01-01' },
        ],
        today,
      ).map((m) => m.name),
    ).toEqual(['a']);
  });
});

describe('go-live', () => {
  it('is overdue past its date unless the release is finished', () => {
    expect(isGoLiveOverdue({ status: 'IN_PROGRESS', plannedGoLive: '2026-11-01' }, today)).toBe(true);
    expect(isGoLiveOverdue({ status: 'RELEASED', plannedGoLive: '2026-11-01' }, today)).toBe(false);
    expect(isGoLiveOverdue({ status: 'CANCELLED', plannedGoLive: '2026-11-01' }, today)).toBe(false);
    expect(isGoLiveOverdue({ status: 'PLANNED', plannedGoLive: '2026-12-01' }, today)).toBe(false);
  });
});

describe('phase progress', () => {
  const build = { name: 'Build', position: 2, plannedStart: '2026-10-01', plannedEnd: '2026-10-31', actualStart: '2026-10-01T09:00:00Z', actualEnd: null };
  const planning = { name: 'Planning', position: 1, plannedStart: '2026-09-01', plannedEnd: '2026-09-30', actualStart: '2026-09-01T09:00:00Z', actualEnd: '2026-09-30T17:00:00Z' };
  const sit = { name: 'SIT', position: 3, plannedStart: '2026-11-01', plannedEnd: '2026-11-30' };
  const phases = [build, planning, sit];

  it('counts ended phases and names the running one', () => {
    expect(phaseProgress(phases)).toEqual({ done: 1, total: 3, current: 'Build', ratio: 1 / 3 });
  });
  it('is complete once released', () => {
    expect(phaseProgress(phases, 'RELEASED')).toMatchObject({ done: 3, current: null, ratio: 1 });
  });
  it('handles releases without phases', () => {
    expect(phaseProgress([])).toEqual({ done: 0, total: 0, current: null, ratio: 0 });
  });
  it('flags a phase that should have ended', () => {
    expect(isPhaseLate(build, today)).toBe(true);
    expect(isPhaseLate(sit, today)).toBe(false);
  });
});

describe('slip', () => {
  it('is the days between planned and actual', () => {
    expect(slipDays('2026-11-01', '2026-11-03T17:00:00Z')).toBe(2);
    expect(slipDays('2026-11-03', '2026-11-01T08:00:00Z')).toBe(-2);
    expect(slipDays('2026-11-01', null)).toBeNull();
  });
});
