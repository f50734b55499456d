import { useState } from 'react';
import { useMutation } from 'urql';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import { ErrorBanner, Notice } from '../ui/states';

const AdvancePhaseMutation = graphql(`
  mutation AdvancePhase($input: ReleaseIdInput!) {
    advancePhase(input: $input) {
      release {
        id
        status
        allowedTransitions
        currentPhase {
          id
          name
        }
        phases {
          id
          actualStart
          actualEnd
        }
      }
    }
  }
`);

interface PhaseLike {
  id: string;
  name: string;
  position: number;
  actualStart?: string | null;
  actualEnd?: string | null;
}

/** What "advance" does now: start the first phase, finish the current and start the next, or finish the last. */
export function advanceLabel(phases: readonly PhaseLike[]): string | null {
  const ordered = [...phases].sort((a, b) => a.position - b.position);
  const current = ordered.find((p) => p.actualStart && !p.actualEnd);
  if (current) {
    const next = ordered.find((p) => p.position > current.position && !p.actualEnd);
    return next ? `Finish ${current.name}, start ${next.name}` : `Finish ${current.name}`;
  }
  const first = ordered.find((p) => !p.actualStart && !p.actualEnd);
  return first ? `Start ${first.name}` : null;
}

/**
 * Advances the release phase by phase. When the current phase's gates are not passed or
 * waived the server answers GATE_BLOCKED with the unmet criteria, which are listed.
 */
export function AdvancePhase({
  release,
  onChanged,
}: {
  release: { id: string; key: string; status: string; phases: readonly PhaseLike[] };
  onChanged?: () => void;
}) {
  const allowed = useCan('CONTROL_RELEASES');
  const [{ fetching, error }, advance] = useMutation(AdvancePhaseMutation);
  const [done, setDone] = useState<string | null>(null);
  const label = advanceLabel(release.phases);
  if (!allowed || !label || ['RELEASED', 'CANCELLED', 'ROLLED_BACK'].includes(release.status)) return null;
  return (
    <section className="section card" aria-labelledby="advance-title">
      <h2 id="advance-title">Advance phase</h2>
      <div className="button-row">
        <button
          type="button"
          className="btn btn--primary"
          disabled={fetching}
          onClick={async () => {
            setDone(null);
            const result = await advance({ input: { id: release.id } });
            if (!result.error) {
              setDone(`${label}: done.`);
              onChanged?.();
            } else onChanged?.();
          }}
        >
          {label}
        </button>
        <span className="muted small">Leaving a phase needs its gates passed or waived.</span>
      </div>
      <ErrorBanner error={error} />
      {done && !error ? <Notice tone="success">{done}</Notice> : null}
    </section>
  );
}
