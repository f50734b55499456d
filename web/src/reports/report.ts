/** Release reporting: how far each release's work is, from its phases, milestones and runbook. */

export type WorkState = 'COMPLETED' | 'IN_PROGRESS' | 'NOT_STARTED' | 'OVERDUE';

export interface WorkCounts {
  COMPLETED: number;
  IN_PROGRESS: number;
  NOT_STARTED: number;
  OVERDUE: number;
}

export const WORK_STATES: readonly { key: WorkState; label: string; color: string }[] = [
  { key: 'COMPLETED', label: 'Completed', color: '#16a34a' },
  { key: 'IN_PROGRESS', label: 'In progress', color: '#7c3aed' },
  { key: 'NOT_STARTED', label: 'Not started', color: '#94a3b8' },
  { key: 'OVERDUE', label: 'Overdue', color: '#dc2626' },
];

export const GATE_OUTCOMES: readonly { key: 'PASSED' | 'WAIVED' | 'PENDING' | 'FAILED'; label: string; color: string }[] = [
  { key: 'PASSED', label: 'Passed', color: '#16a34a' },
  { key: 'WAIVED', label: 'Waived', color: '#d97706' },
  { key: 'PENDING', label: 'Pending', color: '#94a3b8' },
  { key: 'FAILED', label: 'Failed', color: '#dc2626' },
];

const endOfDay = (day: string) => Date.parse(`${day.slice(0, 10)}T23:59:59Z`);

/** A phase: done when ended, in progress when started, overdue when its planned end passed. */
export function phaseState(p: { plannedEnd: string; actualStart?: string | null; actualEnd?: string | null }, now: number): WorkState {
  if (p.actualEnd) return 'COMPLETED';
  if (endOfDay(p.plannedEnd) < now) return 'OVERDUE';
  return p.actualStart ? 'IN_PROGRESS' : 'NOT_STARTED';
}

export function milestoneState(m: { plannedDate: string; actualAt?: string | null }, now: number): WorkState {
  if (m.actualAt) return 'COMPLETED';
  return endOfDay(m.plannedDate) < now ? 'OVERDUE' : 'NOT_STARTED';
}

/**
 * A runbook activity of the plan's live state. Its planned times only bind once a run has
 * started (`hasRun`): then anything unfinished past its planned finish is overdue.
 */
export function activityState(a: { status: string; plannedFinish: string }, now: number, hasRun: boolean): WorkState {
  if (a.status === 'DONE' || a.status === 'SKIPPED') return 'COMPLETED';
  if (hasRun && Date.parse(a.plannedFinish) < now) return 'OVERDUE';
  if (a.status === 'IN_PROGRESS' || a.status === 'FAILED' || a.status === 'BLOCKED') return 'IN_PROGRESS';
  return 'NOT_STARTED';
}

export function countStates(states: readonly WorkState[]): WorkCounts {
  const out: WorkCounts = { COMPLETED: 0, IN_PROGRESS: 0, NOT_STARTED: 0, OVERDUE: 0 };
  for (const s of states) out[s] += 1;
  return out;
}

export function countGates(gates: readonly { status: string }[]): Record<'PASSED' | 'WAIVED' | 'PENDING' | 'FAILED', number> {
  const out = { PASSED: 0, WAIVED: 0, PENDING: 0, FAILED: 0 };
  for (const g of gates) if (g.status in out) out[g.status as keyof typeof out] += 1;
  return out;
}
