import { describe, expect, it } from 'vitest';
import { activityPlansOf, activitySubjectIds, bellBadge, bellLabel, notificationLink } from './rules';

const release = { id: 'rel_1', key: 'ER-2026.12' };

describe('notifications', () => {
  it('lead to the page of their subject', () => {
    expect(notificationLink({ subjectType: 'Release', subjectId: 'rel_1', release })?.to).toBe('/releases/rel_1');
    expect(notificationLink({ subjectType: 'DeploymentPlan', subjectId: 'pln_1', release })?.to).toBe('/plans/pln_1');
    expect(notificationLink({ subjectType: 'Gate', subjectId: 'gat_1', release })?.to).toBe('/releases/rel_1#gates-title');
    expect(notificationLink({ subjectType: 'Milestone', subjectId: 'mil_1', release })?.to).toBe('/releases/rel_1#milestones-title');
    expect(notificationLink({ subjectType: 'Activity', subjectId: 'act_1', release })?.to).toBe('/releases/rel_1#plans-title');
    expect(notificationLink({ subjectType: 'Booking', subjectId: 'bkg_1', release })?.to).toBe('/bookings');
  });

  it("lead from an activity to its plan's command centre once the plan is known", () => {
    const plans = new Map([['act_1', 'pln_9']]);
    expect(notificationLink({ subjectType: 'Activity', subjectId: 'act_1', release }, plans)).toEqual({
      to: '/plans/pln_9/command-centre',
      label: 'Open the command centre',
    });
    // Not known (yet, or the activity is gone): its release's plans, or nowhere without a release.
    expect(notificationLink({ subjectType: 'Activity', subjectId: 'act_2', release }, plans)?.to).toBe('/releases/rel_1#plans-title');
    expect(notificationLink({ subjectType: 'Activity', subjectId: 'act_2', release: null }, plans)).toBeNull();
    expect(notificationLink({ subjectType: 'Activity', subjectId: 'act_1', release: null }, plans)?.to).toBe('/plans/pln_9/command-centre');
    // Only activities: a plan id known for an id does not turn another kind of subject into one.
    expect(notificationLink({ subjectType: 'Gate', subjectId: 'act_1', release }, plans)?.to).toBe('/releases/rel_1#gates-title');
  });

  it('name each activity once to look its plan up, and read the plans from the answer', () => {
    expect(
      activitySubjectIds([
        { subjectType: 'Activity', subjectId: 'act_2' },
        { subjectType: 'Booking', subjectId: 'bkg_1' },
        { subjectType: 'Activity', subjectId: 'act_1' },
        { subjectType: 'Activity', subjectId: 'act_2' },
        { subjectType: 'Activity', subjectId: null },
      ]),
    ).toEqual(['act_1', 'act_2']);
    expect(activitySubjectIds([{ subjectType: 'Release', subjectId: 'rel_1' }])).toEqual([]);
    const plans = activityPlansOf([
      { __typename: 'Activity', id: 'act_1', plan: { id: 'pln_1' } },
      null,
      { __typename: 'Release' },
    ]);
    expect([...plans]).toEqual([['act_1', 'pln_1']]);
    expect(activityPlansOf(undefined).size).toBe(0);
  });

  it('fall back to their release, or lead nowhere without one', () => {
    expect(notificationLink({ subjectType: 'Something new', subjectId: 'x_1', release })?.to).toBe('/releases/rel_1');
    expect(notificationLink({ subjectType: null, subjectId: null, release: null })).toBeNull();
    expect(notificationLink({ subjectType: 'Gate', subjectId: 'gat_1', release: null })).toBeNull();
  });

  it('say how many are unread on the bell', () => {
    expect(bellLabel(3)).toBe('Notifications, 3 unread');
    expect(bellLabel(0)).toBe('Notifications, none unread');
    expect(bellLabel(null)).toBe('Notifications');
    expect(bellBadge(0)).toBeNull();
    expect(bellBadge(7)).toBe('7');
    expect(bellBadge(150)).toBe('99+');
  });
});
