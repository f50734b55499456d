import { describe, expect, it } from 'vitest';
import { draftProblems, EMPTY_ACTIVITY } from './ActivityForm';
import { groupActivities } from './PlanEditorPage';
import { PLAN_SHOW, planShowOf } from './PlansPage';

type Plan = Parameters<typeof groupActivities>[0];
const a = (id: string, position: number, setId: string | null) =>
  ({ id, position, set: setId ? { id: setId } : null }) as unknown as Plan['activities'][number];

describe('the plan editor', () => {
  it('checks an activity in the browser first', () => {
    expect(draftProblems({ ...EMPTY_ACTIVITY, title: 'Deploy' })).toEqual({});
    expect(draftProblems({ ...EMPTY_ACTIVITY, title: ' ', duration: '0', offset: '-5' })).toEqual({
      title: 'a title is needed',
      plannedDurationMinutes: 'whole minutes, more than 0',
      plannedOffsetMinutes: 'whole minutes, 0 or more',
    });
    expect(draftProblems({ ...EMPTY_ACTIVITY, id: 'x', title: 'Loop', dependsOn: ['x'] }).dependsOn).toBeTruthy();
    expect(draftProblems({ ...EMPTY_ACTIVITY, title: 'Half', duration: '1.5' }).plannedDurationMinutes).toBeTruthy();
  });

  it('groups activities by set in set order, the loose ones last', () => {
    const groups = groupActivities({
      sets: [
        { id: 's2', name: 'Verify', position: 2 },
        { id: 's1', name: 'Deploy', position: 1 },
      ],
      activities: [a('x', 3, 's1'), a('y', 1, 's1'), a('z', 2, null), a('w', 4, 's2')],
    });
    expect(groups.map((g) => [g.name, g.activities.map((x) => x.id)])).toEqual([
      ['Deploy', ['y', 'x']],
      ['Verify', ['w']],
      ['Not in a set', ['z']],
    ]);
    expect(groupActivities({ sets: [], activities: [a('z', 1, null)] })[0]?.name).toBe('Activities');
  });

  it('asks the server for the plans of the chosen modes, open ones by default', () => {
    expect(planShowOf(null)).toBe('open');
    expect(planShowOf('nonsense')).toBe('open');
    expect(planShowOf('constructor')).toBe('open');
    expect(planShowOf('finished')).toBe('finished');
    expect(PLAN_SHOW.open.modes).toEqual(['DRAFT', 'APPROVED', 'REHEARSAL', 'EXECUTING']);
    expect(PLAN_SHOW.all.modes).toEqual([]);
    // Every mode is offered by some filter other than "all".
    const offered = new Set(Object.entries(PLAN_SHOW).flatMap(([k, v]) => (k === 'all' ? [] : v.modes)));
    expect([...offered].sort()).toEqual(['ABORTED', 'APPROVED', 'COMPLETED', 'DRAFT', 'EXECUTING', 'REHEARSAL']);
  });
});
