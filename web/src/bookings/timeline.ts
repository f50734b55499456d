/** Geometry and rules of the booking timeline (plain functions, unit-tested). */

export type Span = '2w' | '4w' | '3m';
export const SPANS: readonly { span: Span; label: string; days: number }[] = [
  { span: '2w', label: '2 weeks', days: 14 },
  { span: '4w', label: '4 weeks', days: 28 },
  { span: '3m', label: '3 months', days: 91 },
];

export function spanDays(span: Span): number {
  return SPANS.find((s) => s.span === span)?.days ?? 28;
}

export function isSpan(v: string | null): v is Span {
  return v !== null && SPANS.some((s) => s.span === v);
}

/** [from, to) of the timeline: midnight UTC of `fromDay`, `days` later. */
export function rangeOf(fromDay: string, days: number): { from: string; to: string } {
  const start = new Date(`${fromDay}T00:00:00Z`);
  const end = new Date(start.getTime() + days * 86_400_000);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** The horizontal extent of [start, end) on a range drawn `width` px wide, clipped. */
export function barX(
  start: string,
  end: string,
  range: { from: string; to: string },
  width: number,
): { x: number; width: number; clippedLeft: boolean; clippedRight: boolean } | null {
  const f = Date.parse(range.from);
  const t = Date.parse(range.to);
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (e <= f || s >= t) return null;
  const scale = width / (t - f);
  const x0 = (Math.max(s, f) - f) * scale;
  const x1 = (Math.min(e, t) - f) * scale;
  return { x: x0, width: Math.max(2, x1 - x0), clippedLeft: s < f, clippedRight: e > t };
}

/** Two periods [start, end) overlap. */
export function overlaps(a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }): boolean {
  return Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);
}

/**
 * Stacks bookings into rows so that overlapping ones never share a row (greedy, by start):
 * returns the row of each booking id and the number of rows.
 */
export function stackRows(items: readonly { id: string; startsAt: string; endsAt: string }[]): { rowOf: Map<string, number>; rows: number } {
  const sorted = [...items].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const ends: number[] = [];
  const rowOf = new Map<string, number>();
  for (const it of sorted) {
    const s = Date.parse(it.startsAt);
    let row = ends.findIndex((e) => e <= s);
    if (row === -1) {
      row = ends.length;
      ends.push(0);
    }
    ends[row] = Date.parse(it.endsAt);
    rowOf.set(it.id, row);
  }
  return { rowOf, rows: Math.max(1, ends.length) };
}

/** Open statuses compete for the environment; approved and offered ones hold it. */
export function holdsSlot(status: string): boolean {
  return status === 'APPROVED' || status === 'OFFERED';
}

/** Hours between two instants, one decimal. */
export function hoursBetween(a: string, b: string): number {
  return Math.round(((Date.parse(b) - Date.parse(a)) / 3_600_000) * 10) / 10;
}
