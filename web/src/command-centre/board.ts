import type {
  ActivityStatus,
  GoLiveStatusSubscription,
  LiveActivityFieldsFragment,
  RunIssueFieldsFragment,
} from '../gql/graphql';

export type GoLiveUpdate = GoLiveStatusSubscription['goLiveStatus'];
export type LiveActivity = LiveActivityFieldsFragment;
export type RunIssue = RunIssueFieldsFragment;

/** What the command centre shows: the last snapshot with every later delta applied. */
export interface Board {
  version: number;
  planMode: GoLiveUpdate['planMode'];
  run: GoLiveUpdate['run'];
  progress: number;
  plannedFinish: string;
  projectedFinish: string;
  deadline: string;
  atRisk: boolean;
  criticalPath: string[];
  counts: GoLiveUpdate['counts'];
  /** By planned start, then title. */
  activities: LiveActivity[];
  /** Open first, then newest first. */
  issues: RunIssue[];
  /** Snapshots received (1 = the first; more after reconnects and resyncs). */
  snapshots: number;
}

function byPlan(a: LiveActivity, b: LiveActivity): number {
  return a.plannedStart.localeCompare(b.plannedStart) || a.title.localeCompare(b.title);
}

function issueOrder(a: RunIssue, b: RunIssue): number {
  return Number(a.resolved) - Number(b.resolved) || b.raisedAt.localeCompare(a.raisedAt);
}

function mergeById<T extends { id: string }>(current: readonly T[], changed: readonly T[]): T[] {
  const out = new Map(current.map((x) => [x.id, x]));
  for (const c of changed) out.set(c.id, c);
  return [...out.values()];
}

/**
 * Applies one `goLiveStatus` message. A SNAPSHOT replaces everything (the first message, and
 * after a reconnect or falling behind); a DELTA replaces the activities and issues it carries
 * and the summary. A delta older than what is shown, or one without a snapshot first, is
 * ignored (the next snapshot brings the truth).
 */
export function applyUpdate(board: Board | null, u: GoLiveUpdate): Board | null {
  const summary = {
    version: u.version,
    planMode: u.planMode,
    run: u.run,
    progress: u.progress,
    plannedFinish: u.plannedFinish,
    projectedFinish: u.projectedFinish,
    deadline: u.deadline,
    atRisk: u.atRisk,
    criticalPath: u.criticalPath,
    counts: u.counts,
  };
  if (u.kind === 'SNAPSHOT') {
    return {
      ...summary,
      activities: [...u.activities].sort(byPlan),
      issues: [...u.issues].sort(issueOrder),
      snapshots: (board?.snapshots ?? 0) + 1,
    };
  }
  if (!board || u.version <= board.version) return board;
  return {
    ...summary,
    activities: mergeById(board.activities, u.activities).sort(byPlan),
    issues: mergeById(board.issues, u.issues).sort(issueOrder),
    snapshots: board.snapshots,
  };
}

export type Lane = 'NOW' | 'NEXT' | 'ATTENTION' | 'LATER' | 'DONE';

export const LANES: readonly { lane: Lane; title: string }[] = [
  { lane: 'ATTENTION', title: 'Needs attention' },
  { lane: 'NOW', title: 'In progress' },
  { lane: 'NEXT', title: 'Ready to start' },
  { lane: 'LATER', title: 'Waiting' },
  { lane: 'DONE', title: 'Done' },
];

export function laneOf(status: ActivityStatus): Lane {
  switch (status) {
    case 'IN_PROGRESS':
      return 'NOW';
    case 'READY':
      return 'NEXT';
    case 'FAILED':
    case 'BLOCKED':
      return 'ATTENTION';
    case 'DONE':
    case 'SKIPPED':
      return 'DONE';
    default:
      return 'LATER';
  }
}

export function byLane(activities: readonly LiveActivity[]): Record<Lane, LiveActivity[]> {
  const out: Record<Lane, LiveActivity[]> = { NOW: [], NEXT: [], ATTENTION: [], LATER: [], DONE: [] };
  for (const a of activities) out[laneOf(a.status)].push(a);
  // Most recently finished first: what just happened is what the room looks for.
  out.DONE.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
  return out;
}

/** Not finished and past its planned finish. */
export function isOverdue(a: LiveActivity, now: number): boolean {
  return !['DONE', 'SKIPPED'].includes(a.status) && Date.parse(a.plannedFinish) < now;
}

export type Outlook = 'ON_TRACK' | 'TIGHT' | 'AT_RISK' | 'FINISHED';

/**
 * How the projected finish stands against the deadline: AT_RISK when it passes it (the
 * server's `atRisk`), TIGHT when less than 10 % of the window (at least 10 minutes) is left
 * to spare, else ON_TRACK.
 */
export function outlook(board: Pick<Board, 'atRisk' | 'projectedFinish' | 'deadline' | 'run' | 'planMode'>, windowMinutes: number): Outlook {
  if (board.run && board.run.status !== 'RUNNING') return 'FINISHED';
  if (board.atRisk) return 'AT_RISK';
  const spare = (Date.parse(board.deadline) - Date.parse(board.projectedFinish)) / 60_000;
  if (spare < Math.max(10, windowMinutes * 0.1)) return 'TIGHT';
  return 'ON_TRACK';
}

/** Minutes from the projected finish to the deadline (negative: late). */
export function spareMinutes(board: Pick<Board, 'projectedFinish' | 'deadline'>): number {
  return Math.round((Date.parse(board.deadline) - Date.parse(board.projectedFinish)) / 60_000);
}

/** Titles of the critical path, in order. */
export function criticalTitles(board: Pick<Board, 'criticalPath' | 'activities'>): string[] {
  const titles = new Map(board.activities.map((a) => [a.id, a.title]));
  return board.criticalPath.map((id) => titles.get(id) ?? id);
}
