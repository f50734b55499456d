/**
 * Geometry of the release calendar: a window of days mapped onto a horizontal axis. All dates
 * are calendar days (YYYY-MM-DD) in UTC; a bar for [start, end] covers both days in full.
 * Pure functions, unit-tested.
 */

export type Zoom = 'weeks' | 'quarter' | 'half' | 'year';

export interface ZoomLevel {
  label: string;
  /** Length of the window in days (a year is 12 months, whatever its days). */
  months?: number;
  days?: number;
  tick: 'week' | 'month';
}

export const ZOOMS: Record<Zoom, ZoomLevel> = {
  weeks: { label: '6 weeks', days: 42, tick: 'week' },
  quarter: { label: 'Quarter', months: 3, tick: 'week' },
  half: { label: '6 months', months: 6, tick: 'month' },
  year: { label: '12 months', months: 12, tick: 'month' },
};

export const ZOOM_ORDER: readonly Zoom[] = ['weeks', 'quarter', 'half', 'year'];

const DAY_MS = 86_400_000;

export function dayToMs(day: string): number {
  return Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
}

export function msToDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return msToDay(dayToMs(day) + n * DAY_MS);
}

export function addMonths(day: string, n: number): string {
  const d = new Date(dayToMs(day));
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  // Keep the day of month where it exists (31 Jan + 1 month = 28/29 Feb).
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return msToDay(target.getTime());
}

/** Monday of the week holding `day` (ISO weeks). */
export function startOfWeek(day: string): string {
  const dow = new Date(dayToMs(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export interface Window {
  /** First day shown. */
  from: string;
  /** Day after the last one shown (exclusive). */
  to: string;
}

/** The window of a zoom level that holds `anchor`: weeks start on Monday, months on the 1st. */
export function windowFor(zoom: Zoom, anchor: string): Window {
  const z = ZOOMS[zoom];
  if (z.days !== undefined) {
    const from = startOfWeek(anchor);
    return { from, to: addDays(from, z.days) };
  }
  const from = startOfMonth(anchor);
  return { from, to: addMonths(from, z.months ?? 1) };
}

/** The window before/after, by a third of the window for short ones, a quarter of a year. */
export function shiftWindow(zoom: Zoom, w: Window, direction: -1 | 1): Window {
  const z = ZOOMS[zoom];
  if (z.days !== undefined) {
    const step = 14 * direction;
    return { from: addDays(w.from, step), to: addDays(w.to, step) };
  }
  const step = Math.max(1, Math.round((z.months ?? 3) / 3)) * direction;
  return { from: addMonths(w.from, step), to: addMonths(w.to, step) };
}

export function windowDays(w: Window): number {
  return Math.round((dayToMs(w.to) - dayToMs(w.from)) / DAY_MS);
}

/** The last day inside the window (for the API's inclusive `plannedTo`). */
export function lastDay(w: Window): string {
  return addDays(w.to, -1);
}

export interface Scale {
  /** x of the start of `day`; may lie outside [0, width]. */
  x: (day: string) => number;
  pxPerDay: number;
  width: number;
  window: Window;
}

export function makeScale(w: Window, width: number): Scale {
  const days = Math.max(1, windowDays(w));
  const pxPerDay = width / days;
  const origin = dayToMs(w.from);
  return {
    x: (day: string) => ((dayToMs(day) - origin) / DAY_MS) * pxPerDay,
    pxPerDay,
    width,
    window: w,
  };
}

export interface Bar {
  x: number;
  width: number;
  /** The bar goes on before/after the window. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

/**
 * The bar of [start, end] (both inclusive days), clipped to the window; null when it lies
 * wholly outside. A one-day item is one day wide; at least 2 px so it stays visible.
 */
export function barFor(scale: Scale, start: string, end: string): Bar | null {
  const [s, e] = start <= end ? [start, end] : [end, start];
  const x0 = scale.x(s);
  const x1 = scale.x(addDays(e, 1));
  if (x1 <= 0 || x0 >= scale.width) return null;
  const cx0 = Math.max(0, x0);
  const cx1 = Math.min(scale.width, x1);
  return { x: cx0, width: Math.max(2, cx1 - cx0), clippedStart: x0 < 0, clippedEnd: x1 > scale.width };
}

/** x of the middle of a day, or null outside the window. */
export function pointFor(scale: Scale, day: string): number | null {
  const x = scale.x(day) + scale.pxPerDay / 2;
  return x < 0 || x > scale.width ? null : x;
}

export interface Tick {
  day: string;
  x: number;
  label: string;
  /** A month boundary (drawn stronger). */
  major: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Grid lines: Mondays for week zooms, month starts otherwise; January shows its year. */
export function ticksFor(scale: Scale, unit: 'week' | 'month'): Tick[] {
  const out: Tick[] = [];
  const { from, to } = scale.window;
  if (unit === 'week') {
    let d = startOfWeek(from);
    if (d < from) d = addDays(d, 7);
    for (; d < to; d = addDays(d, 7)) {
      const date = new Date(dayToMs(d));
      out.push({
        day: d,
        x: scale.x(d),
        label: `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''}`,
        major: date.getUTCDate() <= 7,
      });
    }
    return out;
  }
  let d = startOfMonth(from);
  if (d < from) d = addMonths(d, 1);
  for (; d < to; d = addMonths(d, 1)) {
    const date = new Date(dayToMs(d));
    const m = date.getUTCMonth();
    out.push({
      day: d,
      x: scale.x(d),
      label: m === 0 || out.length === 0 ? `${MONTHS[m] ?? ''} ${date.getUTCFullYear()}` : (MONTHS[m] ?? ''),
      major: true,
    });
  }
  return out;
}

export interface CalendarRelease {
  id: string;
  key: string;
  kind: string;
  plannedStart: string;
  plannedGoLive: string;
  parent?: { id: string } | null;
}

export interface Row<R extends CalendarRelease> {
  release: R;
  depth: 0 | 1;
}

/**
 * Rows of the calendar: each enterprise release followed by its project releases, then the
 * releases that stand alone; project releases whose enterprise release is outside the window
 * are shown at the top level. Each group is in order of planned start.
 */
export function layoutRows<R extends CalendarRelease>(releases: readonly R[]): Row<R>[] {
  const byStart = (a: R, b: R) => a.plannedStart.localeCompare(b.plannedStart) || a.key.localeCompare(b.key);
  const ids = new Set(releases.map((r) => r.id));
  const children = new Map<string, R[]>();
  const top: R[] = [];
  for (const r of releases) {
    const pid = r.parent?.id;
    if (pid && ids.has(pid)) children.set(pid, [...(children.get(pid) ?? []), r]);
    else top.push(r);
  }
  const rank = (r: R) => (r.kind === 'ENTERPRISE' ? 0 : 1);
  top.sort((a, b) => rank(a) - rank(b) || byStart(a, b));
  const rows: Row<R>[] = [];
  for (const r of top) {
    rows.push({ release: r, depth: 0 });
    for (const c of (children.get(r.id) ?? []).sort(byStart)) rows.push({ release: c, depth: 1 });
  }
  return rows;
}

/**
 * The band of an instant range [from, to) (RFC 3339, e.g. a blackout), clipped to the window;
 * null when it lies wholly outside. At least 2 px wide.
 */
export function spanFor(scale: Scale, from: string, to: string): Bar | null {
  const origin = dayToMs(scale.window.from);
  const x0 = ((Date.parse(from) - origin) / DAY_MS) * scale.pxPerDay;
  const x1 = ((Date.parse(to) - origin) / DAY_MS) * scale.pxPerDay;
  if (!Number.isFinite(x0) || !Number.isFinite(x1) || x1 <= 0 || x0 >= scale.width || x1 <= x0) return null;
  const cx0 = Math.max(0, x0);
  const cx1 = Math.min(scale.width, x1);
  return { x: cx0, width: Math.max(2, cx1 - cx0), clippedStart: x0 < 0, clippedEnd: x1 > scale.width };
}

/** x of an instant (RFC 3339), or null outside the window. */
export function instantX(scale: Scale, at: string): number | null {
  const x = ((Date.parse(at) - dayToMs(scale.window.from)) / DAY_MS) * scale.pxPerDay;
  return Number.isFinite(x) && x >= 0 && x <= scale.width ? x : null;
}
