import { describe, expect, it } from 'vitest';
import { choicesFor, type Authority } from './ActivityControls';

type A = Parameters<typeof choicesFor>[0];
const OPERATOR: Authority = { mayOperate: true, mayDecide: false };
const labels = (kind: A['kind'], status: A['status'], who: Authority = OPERATOR) => choicesFor({ kind, status }, who).map((c) => c.label);

describe('what can be done to an activity', () => {
  it('starts a ready step, completes or fails one in progress', () => {
    expect(labels('MANUAL', 'READY')).toEqual(['Start', 'Block', 'Skip']);
    expect(labels('AUTOMATED', 'IN_PROGRESS')).toEqual(['Complete', 'Fail']);
    expect(labels('MANUAL', 'FAILED')).toEqual(['Skip', 'Retry']);
    expect(labels('MANUAL', 'BLOCKED')).toEqual(['Unblock', 'Skip']);
    expect(labels('MANUAL', 'DONE')).toEqual([]);
  });

  it('offers nothing to someone who may not operate it', () => {
    const nobody: Authority = { mayOperate: false, mayDecide: false };
    for (const status of ['PENDING', 'READY', 'IN_PROGRESS', 'FAILED', 'BLOCKED', 'DONE'] as const) {
      expect(labels('MANUAL', status, nobody)).toEqual([]);
      expect(labels('GO_NO_GO', status, nobody)).toEqual([]);
    }
  });

  it('lets only the accountable decide a go/no-go, and asks why for a no-go', () => {
    expect(labels('GO_NO_GO', 'READY')).toEqual(['Block', 'Skip']);
    expect(labels('GO_NO_GO', 'READY', { mayOperate: true, mayDecide: true })).toEqual(['Go', 'No-go', 'Block', 'Skip']);
    // The accountable who does not operate the activity decides it, and nothing else.
    expect(labels('GO_NO_GO', 'READY', { mayOperate: false, mayDecide: true })).toEqual(['Go', 'No-go']);
    expect(labels('MANUAL', 'READY', { mayOperate: false, mayDecide: true })).toEqual([]);
    const noGo = choicesFor({ kind: 'GO_NO_GO', status: 'READY' }, { mayOperate: false, mayDecide: true }).find((c) => c.label === 'No-go');
    expect(noGo?.decision).toBe('NO_GO');
    expect(noGo?.note).toBeTruthy();
    expect(labels('CHECKPOINT', 'IN_PROGRESS', { mayOperate: true, mayDecide: true })).toEqual(['Pass', 'Stop']);
  });

  it('asks for a note to fail, skip or block', () => {
    for (const c of choicesFor({ kind: 'MANUAL', status: 'READY' }, OPERATOR)) {
      expect(Boolean(c.note)).toBe(c.action === 'SKIP' || c.action === 'BLOCK');
    }
  });
});
