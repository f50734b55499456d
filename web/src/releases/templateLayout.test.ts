import { describe, expect, it } from 'vitest';
import { layOutTemplate } from './templateLayout';

describe('template layout preview', () => {
  it('dates phases from the start, inclusive of their last day', () => {
    const { phases, goLive } = layOutTemplate(
      [
        { name: 'Planning', offsetDays: 0, durationDays: 10 },
        { name: 'Build', offsetDays: 10, durationDays: 35 },
        { name: 'Go-live', offsetDays: 87, durationDays: 2 },
      ],
      '2027-01-11',
    );
    expect(phases).toEqual([
      { name: 'Planning', start: '2027-01-11', end: '2027-01-20' },
      { name: 'Build', start: '2027-01-21', end: '2027-02-24' },
      { name: 'Go-live', start: '2027-04-08', end: '2027-04-09' },
    ]);
    expect(goLive).toBe('2027-04-09');
  });

  it('has no go-live without phases', () => {
    expect(layOutTemplate([], '2027-01-11')).toEqual({ phases: [], goLive: null });
  });
});
