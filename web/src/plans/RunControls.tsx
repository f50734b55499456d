import { useState, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import { useCan } from '../auth/viewer';
import type { PlanMode } from '../gql/graphql';
import { ErrorBanner, Notice } from '../ui/states';
import { AbortRunMutation, StartExecutionMutation, StartRehearsalMutation } from './documents';

/**
 * Starts a rehearsal or the execution of an approved plan, or aborts the run in progress
 * (implementation managers and admins: RUN_PLANS). The server says why when it refuses, e.g.
 * an execution before the release is GO_LIVE.
 */
export function RunControls({
  planId,
  mode,
  releaseStatus,
  onChanged,
}: {
  planId: string;
  mode: PlanMode;
  releaseStatus?: string | undefined;
  onChanged?: () => void;
}) {
  const canRun = useCan('RUN_PLANS');
  const [rehearsal, startRehearsal] = useMutation(StartRehearsalMutation);
  const [execution, startExecution] = useMutation(StartExecutionMutation);
  const [abort, abortRun] = useMutation(AbortRunMutation);
  const [aborting, setAborting] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  if (!canRun) return null;
  const running = mode === 'REHEARSAL' || mode === 'EXECUTING';

  async function start(kind: 'rehearsal' | 'execution') {
    setDone(null);
    const r = kind === 'rehearsal' ? await startRehearsal({ input: { planId } }) : await startExecution({ input: { planId } });
    if (!r.error) {
      setDone(kind === 'rehearsal' ? 'Rehearsal started.' : 'Execution started.');
      onChanged?.();
    }
  }
  async function submitAbort(e: SyntheticEvent) {
    e.preventDefault();
    const r = await abortRun({ input: { planId, reason: reason.trim() } });
    if (!r.error) {
      setAborting(false);
      setReason('');
      setDone('Run aborted.');
      onChanged?.();
    }
  }

  return (
    <div className="run-controls" data-testid="run-controls">
      <ErrorBanner error={rehearsal.error ?? execution.error ?? abort.error} />
      {done ? <Notice tone="success">{done}</Notice> : null}
      <div className="button-row">
        {mode === 'APPROVED' ? (
          <>
            <button type="button" className="btn" disabled={rehearsal.fetching} onClick={() => void start('rehearsal')}>
              Start rehearsal
            </button>
            <button
              type="button"
              className="btn btn--primary"
              disabled={execution.fetching}
              title={releaseStatus && releaseStatus !== 'GO_LIVE' ? 'The release must be in GO_LIVE' : undefined}
              onClick={() => void start('execution')}
            >
              Start execution
            </button>
          </>
        ) : null}
        {running && !aborting ? (
          <button type="button" className="btn btn--danger" onClick={() => setAborting(true)}>
            Abort run
          </button>
        ) : null}
      </div>
      {aborting ? (
        <form className="inline-form" onSubmit={(e) => void submitAbort(e)} aria-label="Abort the run">
          <div className="field">
            <label className="field__label" htmlFor={`abort-${planId}`}>
              Why abort?
            </label>
            <input id={`abort-${planId}`} value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
          </div>
          <button type="submit" className="btn btn--danger" disabled={abort.fetching || !reason.trim()}>
            Abort
          </button>
          <button type="button" className="btn" onClick={() => setAborting(false)}>
            Cancel
          </button>
        </form>
      ) : null}
    </div>
  );
}
