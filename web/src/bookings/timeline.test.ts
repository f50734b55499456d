import { describe, expect, it } from 'vitest';
import { barX, holdsSlot, hoursBetween, isSpan, overlaps, rangeOf, spanDays, stackRows } from './timeline';

const range = rangeOf('2026-11-01', 10);

describe('booking timeline geometry', () => {
  it('spans whole UTC days', () => {
    expect(range).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-11T00:00:00.000Z' });
    expect(spanDays('2w')).toBe(14);
    expect(isSpan('3m')).toBe(true);
    expect(isSpan('1y')).toBe(false);
  });

  it('places a bar by time and clips it to the range', () => {
    expect(barX('2026-11-02T00:00:00Z', '2026-11-04T00:00:00Z', range, 1000)).toEqual({ x: 100, width: 200, clippedLeft: false, clippedRight: false });
    const clipped = barX('2026-10-30T00:00:00Z', '2026-11-02T00:00:00Z', range, 1000);
    expect(clipped).toMatchObject({ x: 0, width: 100, clippedLeft: true });
    expect(barX('2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', range, 1000)).toBeNull();
  });

  it('stacks overlapping bookings on separate rows and reuses free rows', () => {
    const { rowOf, rows } = stackRows([
      { id: 'a', startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-05T00:00:00Z' },
      { id: 'b', startsAt: '2026-11-03T00:00:00Z', endsAt: '2026-11-06T00:00:00Z' },
      { id: 'c', startsAt: '2026-11-05T00:00:00Z', endsAt: '2026-11-07T00:00:00Z' },
    ]);
    expect(rows).toBe(2);
    expect([rowOf.get('a'), rowOf.get('b'), rowOf.get('c')]).toEqual([0, 1, 0]);
  });

  it('treats periods as half-open', () => {
    const a = { startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-02T00:00:00Z' };
    expect(overlaps(a, { startsAt: '2026-11-02T00:00:00Z', endsAt: '2026-11-03T00:00:00Z' })).toBe(false);
    expect(overlaps(a, { startsAt: '2026-11-01T23:00:00Z', endsAt: '2026-11-03T00:00:00Z' })).toBe(true);
    expect(holdsSlot('APPROVED')).toBe(true);
    expect(holdsSlot('REQUESTED')).toBe(false);
    expect(hoursBetween(a.startsAt, a.endsAt)).toBe(24);
  });
});
