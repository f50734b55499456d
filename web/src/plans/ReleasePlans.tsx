import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import type { PlanMode } from '../gql/graphql';
import { Field } from '../ui/Field';
import { formatDateTime, fromLocalInput, toLocalInput } from '../ui/format';
import { Empty, ErrorBanner } from '../ui/states';
import { PlanModeBadge } from './PlanModeBadge';

export const CreatePlanMutation = graphql(`
  mutation CreateDeploymentPlan($input: CreateDeploymentPlanInput!) {
    createDeploymentPlan(input: $input) {
      plan {
        id
        name
        mode
        windowStart
        windowEnd
      }
    }
  }
`);

export interface PlanSummary {
  id: string;
  name: string;
  mode: PlanMode;
  windowStart: string;
  windowEnd: string;
  currentRun?: { id: string; kind: string; status: string } | null;
}

const FIELDS = ['name', 'windowStart', 'windowEnd'];

function NewPlanForm({ releaseId, plannedGoLive, onDone }: { releaseId: string; plannedGoLive: string; onDone: () => void }) {
  const navigate = useNavigate();
  // Default window: the evening of the planned go-live, 20:00 to 02:00 local time.
  const start = new Date(`${plannedGoLive}T20:00:00`);
  const [name, setName] = useState('Go-live runbook');
  const [windowStart, setWindowStart] = useState(toLocalInput(start.toISOString()));
  const [windowEnd, setWindowEnd] = useState(toLocalInput(new Date(start.getTime() + 6 * 3600_000).toISOString()));
  const [{ fetching, error }, create] = useMutation(CreatePlanMutation);
  const errors = fieldErrors(error);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const ws = fromLocalInput(windowStart);
    const we = fromLocalInput(windowEnd);
    if (!ws || !we) return;
    const result = await create({ input: { releaseId, name: name.trim(), windowStart: ws, windowEnd: we } });
    const id = result.data?.createDeploymentPlan.plan.id;
    if (id) {
      onDone();
      void navigate(`/plans/${id}`);
    }
  }
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New deployment plan">
      <div className="form-grid__full">
        <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      </div>
      <Field label="Plan name" error={errors.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="Change window starts" error={errors.windowStart} hint="Your local time">
        <input type="datetime-local" value={windowStart} onChange={(e) => setWindowStart(e.target.value)} required />
      </Field>
      <Field label="Change window ends" error={errors.windowEnd}>
        <input type="datetime-local" value={windowEnd} onChange={(e) => setWindowEnd(e.target.value)} required />
      </Field>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching || !name.trim()}>
          Create plan
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The deployment plans (runbooks) of a release, with links to the editor and the command centre. */
export function ReleasePlansSection({
  release,
  plans,
}: {
  release: { id: string; plannedGoLive: string };
  plans: readonly PlanSummary[];
}) {
  const canManage = useCan('MANAGE_PLANS');
  const [adding, setAdding] = useState(false);
  return (
    <section className="section" aria-labelledby="plans-title">
      <div className="section__head">
        <h2 id="plans-title">Deployment plans</h2>
        {canManage && !adding ? (
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            New deployment plan
          </button>
        ) : null}
      </div>
      {adding ? <NewPlanForm releaseId={release.id} plannedGoLive={release.plannedGoLive} onDone={() => setAdding(false)} /> : null}
      {plans.length === 0 ? (
        <Empty title="No deployment plan yet">The go-live runbook of this release is built here.</Empty>
      ) : (
        <ul className="list" data-testid="release-plans">
          {plans.map((p) => (
            <li key={p.id} className="button-row">
              <Link to={`/plans/${p.id}`}>
                <strong>{p.name}</strong>
              </Link>
              <PlanModeBadge mode={p.mode} />
              <span className="muted small">
                window {formatDateTime(p.windowStart)} → {formatDateTime(p.windowEnd)}
              </span>
              <Link className="btn btn--small" to={`/plans/${p.id}/command-centre`}>
                Command centre
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
