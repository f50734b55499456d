// Builders of goLiveStatus messages for the command centre's unit tests.
import type { GoLiveUpdate, LiveActivity } from '../command-centre/board';

export function liveActivity(id: string, over: Partial<LiveActivity> = {}): LiveActivity {
  return {
    id,
    title: `Step ${id}`,
    kind: 'MANUAL',
    status: 'PENDING',
    ownerId: null,
    ownerName: null,
    ownerTeam: null,
    setId: null,
    dependsOn: [],
    plannedStart: '2026-11-23T20:00:00Z',
    plannedFinish: '2026-11-23T20:30:00Z',
    projectedStart: '2026-11-23T20:00:00Z',
    projectedFinish: '2026-11-23T20:30:00Z',
    startedAt: null,
    finishedAt: null,
    critical: false,
    decision: null,
    decidedBy: null,
    updatedBy: null,
    note: null,
    ...over,
  };
}

export function goLiveUpdate(kind: 'SNAPSHOT' | 'DELTA', version: number, activities: LiveActivity[], over: Partial<GoLiveUpdate> = {}): GoLiveUpdate {
  return {
    kind,
    version,
    resync: false,
    planId: 'pln_1',
    planMode: 'EXECUTING',
    run: { id: 'run_1', kind: 'EXECUTION', status: 'RUNNING', startedAt: '2026-11-23T20:00:00Z', finishedAt: null, startedBy: 'Ian', deadline: '2026-11-24T02:00:00Z' },
    progress: 0,
    plannedFinish: '2026-11-23T21:00:00Z',
    projectedFinish: '2026-11-23T21:00:00Z',
    deadline: '2026-11-24T02:00:00Z',
    atRisk: false,
    criticalPath: [],
    counts: { pending: 0, ready: 0, inProgress: 0, done: 0, failed: 0, skipped: 0, blocked: 0, total: activities.length },
    activities,
    issues: [],
    ...over,
  };
}
