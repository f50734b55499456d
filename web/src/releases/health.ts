/** Release health at a glance, computed from what the API returns. Pure, unit-tested. */

export interface PhaseLike {
  name: string;
  position?: number;
  plannedStart: string;
  plannedEnd: string;
  actualStart?: string | null;
  actualEnd?: string | null;
}

export interface MilestoneLike {
  name: string;
  plannedDate: string;
  actualAt?: string | null;
}

const FINISHED = new Set(['RELEASED', 'CANCELLED', 'ROLLED_BACK']);

export function isFinished(status: string): boolean {
  return FINISHED.has(status);
}

/** A milestone past its planned date that was not reached. `today` is YYYY-MM-DD. */
export function isMilestoneOverdue(m: MilestoneLike, today: string): boolean {
  return !m.actualAt && m.plannedDate.slice(0, 10) < today;
}

export function overdueMilestones<M extends MilestoneLike>(milestones: readonly M[], today: string): M[] {
  return milestones.filter((m) => isMilestoneOverdue(m, today));
}

/** Past its planned go-live and not finished. */
export function isGoLiveOverdue(release: { status: string; plannedGoLive: string }, today: string): boolean {
  return !isFinished(release.status) && release.plannedGoLive < today;
}

export interface PhaseProgress {
  done: number;
  total: number;
  /** The phase under way (started, not ended), else the first not ended. */
  current: string | null;
  /** 0..1 */
  ratio: number;
}

export function phaseProgress(phases: readonly PhaseLike[], status?: string): PhaseProgress {
  const sorted = [...phases].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const total = sorted.length;
  const done = status === 'RELEASED' ? total : sorted.filter((p) => p.actualEnd).length;
  const running = sorted.find((p) => p.actualStart && !p.actualEnd);
  const firstOpen = sorted.find((p) => !p.actualEnd);
  const current = status === 'RELEASED' ? null : (running ?? firstOpen)?.name ?? null;
  return { done, total, current, ratio: total === 0 ? 0 : done / total };
}

/** A phase that should have ended by now (planned end passed) but has no actual end. */
export function isPhaseLate(p: PhaseLike, today: string): boolean {
  return !p.actualEnd && p.plannedEnd.slice(0, 10) < today;
}

/** Days between planned and actual (positive = late); null while not happened. */
export function slipDays(planned: string, actual: string | null | undefined): number | null {
  if (!actual) return null;
  const p = Date.parse(`${planned.slice(0, 10)}T00:00:00Z`);
  const a = Date.parse(`${actual.slice(0, 10)}T00:00:00Z`);
  return Math.round((a - p) / 86_400_000);
}
