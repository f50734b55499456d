import { useState, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import type { ReleaseStatus } from '../gql/graphql';
import { humanize } from '../ui/format';
import { ErrorBanner, Notice } from '../ui/states';
import { NEEDS_REASON } from './options';

const TransitionMutation = graphql(`
  mutation TransitionRelease($input: TransitionReleaseInput!) {
    transitionRelease(input: $input) {
      release {
        id
        status
        allowedTransitions
        actualStart
        actualGoLive
        updatedAt
      }
    }
  }
`);

/**
 * Moves a release to one of its `allowedTransitions`. CANCELLED and ROLLED_BACK ask for a
 * reason; the server's INVALID_TRANSITION message (e.g. an unfinished dependency) is shown as is.
 */
export function TransitionPanel({
  release,
}: {
  release: { id: string; key: string; status: ReleaseStatus; allowedTransitions: readonly ReleaseStatus[] };
}) {
  const allowed = useCan('CONTROL_RELEASES');
  const [{ fetching, error }, transition] = useMutation(TransitionMutation);
  const [pending, setPending] = useState<ReleaseStatus | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);

  if (!allowed) return null;

  async function go(to: ReleaseStatus, why?: string) {
    setDone(null);
    const result = await transition({ input: { id: release.id, to, ...(why ? { reason: why } : {}) } });
    if (!result.error) {
      setPending(null);
      setReason('');
      setDone(`${release.key} is now ${humanize(to).toLowerCase()}.`);
    }
  }

  function submitReason(e: SyntheticEvent) {
    e.preventDefault();
    if (pending && reason.trim()) void go(pending, reason.trim());
  }

  return (
    <section className="section card transition" aria-labelledby="transition-title">
      <h2 id="transition-title">Move release</h2>
      {release.allowedTransitions.length === 0 ? (
        <p className="muted">No further status change is possible from {humanize(release.status).toLowerCase()}.</p>
      ) : (
        <div className="button-row" role="group" aria-label="Allowed transitions">
          {release.allowedTransitions.map((to) => {
            const needsReason = NEEDS_REASON.includes(to);
            return (
              <button
                key={to}
                type="button"
                className={needsReason ? 'btn btn--danger' : 'btn btn--primary'}
                disabled={fetching}
                aria-pressed={pending === to}
                onClick={() => {
                  if (needsReason) setPending(to);
                  else void go(to);
                }}
              >
                Move to {humanize(to)}
              </button>
            );
          })}
        </div>
      )}
      {pending ? (
        <form className="reason-form" onSubmit={submitReason}>
          <label className="field">
            <span className="field__label">Reason for {humanize(pending).toLowerCase()} (kept in the audit trail)</span>
            <textarea required value={reason} onChange={(e) => setReason(e.target.value)} rows={2} autoFocus />
          </label>
          <div className="button-row">
            <button type="submit" className="btn btn--danger" disabled={fetching || !reason.trim()}>
              Confirm {humanize(pending).toLowerCase()}
            </button>
            <button type="button" className="btn" onClick={() => setPending(null)}>
              Keep it
            </button>
          </div>
        </form>
      ) : null}
      <ErrorBanner error={error} />
      {done && !error ? <Notice tone="success">{done}</Notice> : null}
    </section>
  );
}
