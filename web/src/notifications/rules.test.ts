import { describe, expect, it } from 'vitest';
import { bellBadge, bellLabel, notificationLink } from './rules';

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
