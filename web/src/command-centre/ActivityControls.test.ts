import { describe, expect, it } from 'vitest';
import { choicesFor } from './ActivityControls';

const labels = (kind: Parameters<typeof choicesFor>[0]['kind'], status: Parameters<typeof choicesFor>[0]['status'], mayDecide = false) =>
  choicesFor({ kind, status }, mayDecide).map((c) => c.label);

describe('what can be done to an activity', () => {
  it('starts a ready step, completes or fails one in progress', () => {
    expect(labels('MANUAL', 'READY')).toEqual(['Start', 'Block', 'Skip']);
    expect(labels('AUTOMATED', 'IN_PROGRESS')).toEqual(['Complete', 'Fail']);
    expect(labels('MANUAL', 'FAILED')).toEqual(['Skip', 'Retry']);
    expect(labels('MANUAL', 'DONE')).toEqual([]);
  });

  it('lets only the accountable decide a go/no-go, and asks why for a no-go', () => {
    expect(labels('GO_NO_GO', 'READY')).not.toContain('Go');
    expect(labels('GO_NO_GO', 'READY', true)).toEqual(['Go', 'No-go', 'Block', 'Skip']);
    const noGo = choicesFor({ kind: 'GO_NO_GO', status: 'READY' }, true).find((c) => c.label === 'No-go');
    expect(noGo?.decision).toBe('NO_GO');
    expect(noGo?.note).toBeTruthy();
    expect(labels('CHECKPOINT', 'IN_PROGRESS', true)).toEqual(['Pass', 'Stop']);
  });

  it('asks for a note to fail, skip or block', () => {
    for (const c of choicesFor({ kind: 'MANUAL', status: 'READY' }, false)) {
      expect(Boolean(c.note)).toBe(c.action === 'SKIP' || c.action === 'BLOCK');
    }
  });
});
