import { describe, expect, it } from 'vitest';
import {
  addMonths,
  barFor,
  instantX,
  spanFor,
  lastDay,
  layoutRows,
  makeScale,
  pointFor,
  shiftWindow,
  startOfWeek,
  ticksFor,
  windowDays,
  windowFor,
} from './geometry';

describe('windows', () => {
  it('starts week zooms on Monday and spans six weeks', () => {
    const w = windowFor('weeks', '2026-11-26'); // a Thursday
    expect(w).toEqual({ from: '2026-11-23', to: '2027-01-04' });
    expect(windowDays(w)).toBe(42);
    expect(startOfWeek('2026-11-23')).toBe('2026-11-23');
    expect(startOfWeek('2026-11-29')).toBe('2026-11-23'); // Sunday
  });

  it('publishes twelve whole months from the current month', () => {
    const w = windowFor('year', '2026-11-23');
    expect(w).toEqual({ from: '2026-11-01', to: '2027-11-01' });
    expect(lastDay(w)).toBe('2027-10-31');
    expect(windowDays(w)).toBe(365);
  });

  it('moves by two weeks or by a third of the months shown', () => {
    expect(shiftWindow('weeks', { from: '2026-11-23', to: '2027-01-04' }, 1)).toEqual({ from: '2026-12-07', to: '2027-01-18' });
    expect(shiftWindow('year', windowFor('year', '2026-11-23'), -1)).toEqual({ from: '2026-07-01', to: '2027-07-01' });
    expect(shiftWindow('quarter', windowFor('quarter', '2026-11-23'), 1)).toEqual({ from: '2026-12-01', to: '2027-03-01' });
  });

  it('adds months without overflowing short months', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-01', 12)).toBe('2027-11-01');
  });
});

describe('scale and bars', () => {
  const w = { from: '2027-01-01', to: '2027-01-11' }; // 10 days
  const scale = makeScale(w, 1000); // 100 px a day

  it('maps days linearly', () => {
    expect(scale.pxPerDay).toBe(100);
    expect(scale.x('2027-01-01')).toBe(0);
    expect(scale.x('2027-01-06')).toBe(500);
  });

  it('covers both ends of an inclusive range', () => {
    expect(barFor(scale, '2027-01-02', '2027-01-03')).toEqual({ x: 100, width: 200, clippedStart: false, clippedEnd: false });
  });

  it('clips to the window and says so', () => {
    expect(barFor(scale, '2026-12-20', '2027-01-02')).toEqual({ x: 0, width: 200, clippedStart: true, clippedEnd: false });
    expect(barFor(scale, '2027-01-10', '2027-02-01')).toEqual({ x: 900, width: 100, clippedStart: false, clippedEnd: true });
  });

  it('drops bars wholly outside, and swaps reversed ranges', () => {
    expect(barFor(scale, '2026-12-01', '2026-12-31')).toBeNull();
    expect(barFor(scale, '2027-01-11', '2027-01-20')).toBeNull();
    expect(barFor(scale, '2027-01-03', '2027-01-02')?.x).toBe(100);
  });

  it('keeps a one-day bar visible at year zoom', () => {
    const year = makeScale(windowFor('year', '2027-01-01'), 365);
    expect(barFor(year, '2027-03-01', '2027-03-01')?.width).toBe(2);
  });

  it('places points in the middle of their day', () => {
    expect(pointFor(scale, '2027-01-01')).toBe(50);
    expect(pointFor(scale, '2027-01-20')).toBeNull();
  });
});

describe('ticks', () => {
  it('are Mondays for weeks', () => {
    const s = makeScale(windowFor('weeks', '2026-11-23'), 840);
    const ticks = ticksFor(s, 'week');
    expect(ticks).toHaveLength(6);
    expect(ticks[0]).toMatchObject({ day: '2026-11-23', x: 0, label: '23 Nov' });
    expect(ticks[1]?.x).toBe(140);
  });

  it('are months for a year, with the year on the first and on January', () => {
    const s = makeScale(windowFor('year', '2026-11-23'), 365);
    const ticks = ticksFor(s, 'month');
    expect(ticks.map((t) => t.label)).toEqual([
      'Nov 2026', 'Dec', 'Jan 2027', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct',
    ]);
  });
});

describe('rows', () => {
  const r = (id: string, kind: string, plannedStart: string, parent?: string) => ({
    id,
    key: id.toUpperCase(),
    kind,
    plannedStart,
    plannedGoLive: '2027-12-31',
    parent: parent ? { id: parent } : null,
  });

  it('puts project releases under their enterprise release, then the others', () => {
    const rows = layoutRows([
      r('ind', 'INDEPENDENT', '2027-01-01'),
      r('p2', 'PROJECT', '2027-02-02', 'er1'),
      r('er1', 'ENTERPRISE', '2027-02-01'),
      r('p1', 'PROJECT', '2027-02-01', 'er1'),
      r('orphan', 'PROJECT', '2026-12-01', 'er-not-shown'),
      r('er0', 'ENTERPRISE', '2026-11-01'),
    ]);
    expect(rows.map((x) => `${x.depth}:${x.release.id}`)).toEqual([
      '0:er0',
      '0:er1',
      '1:p1',
      '1:p2',
      '0:orphan',
      '0:ind',
    ]);
  });
});

describe('blackout bands and gate markers', () => {
  const w = { from: '2026-12-01', to: '2027-01-01' };
  const s = makeScale(w, 310); // 10 px a day

  it('places an instant range to the hour and clips it to the window', () => {
    expect(spanFor(s, '2026-12-18T00:00:00Z', '2027-01-04T00:00:00Z')).toEqual({ x: 170, width: 140, clippedStart: false, clippedEnd: true });
    expect(spanFor(s, '2026-12-02T12:00:00Z', '2026-12-03T00:00:00Z')).toEqual({ x: 15, width: 5, clippedStart: false, clippedEnd: false });
    expect(spanFor(s, '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z')).toBeNull();
    expect(spanFor(s, '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z')).toBeNull();
  });

  it('places an instant, or nothing outside the window', () => {
    expect(instantX(s, '2026-12-11T00:00:00Z')).toBe(100);
    expect(instantX(s, '2027-02-01T00:00:00Z')).toBeNull();
  });
});
