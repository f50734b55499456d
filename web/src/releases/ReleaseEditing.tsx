import { useState, type SyntheticEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { graphql } from '../gql';
import type { RiskLevel } from '../gql/graphql';
import { Field } from '../ui/Field';
import { humanize } from '../ui/format';
import { ErrorBanner } from '../ui/states';
import { RISK_LEVELS } from './options';

const UpdatePhaseMutation = graphql(`
  mutation UpdatePhase($input: UpdatePhaseInput!) {
    updatePhase(input: $input) {
      phase {
        id
        actualStart
        actualEnd
      }
    }
  }
`);

const UpdateMilestoneMutation = graphql(`
  mutation UpdateMilestone($input: UpdateMilestoneInput!) {
    updateMilestone(input: $input) {
      milestone {
        id
        actualAt
      }
    }
  }
`);

const UpdateReleaseMutation = graphql(`
  mutation UpdateRelease($input: UpdateReleaseInput!) {
    updateRelease(input: $input) {
      release {
        id
        name
        description
        risk
        plannedStart
        plannedGoLive
        updatedAt
      }
    }
  }
`);

const DeleteReleaseMutation = graphql(`
  mutation DeleteRelease($input: DeleteReleaseInput!) {
    deleteRelease(input: $input) {
      deletedId
    }
  }
`);

/** Records a phase's actual start or end as now. */
export function PhaseActions({ phase }: { phase: { id: string; name: string; actualStart?: string | null; actualEnd?: string | null } }) {
  const [{ fetching, error }, update] = useMutation(UpdatePhaseMutation);
  if (phase.actualEnd) return null;
  const now = () => new Date().toISOString();
  return (
    <>
      {!phase.actualStart ? (
        <button
          type="button"
          className="btn btn--small"
          disabled={fetching}
          aria-label={`Start ${phase.name} now`}
          onClick={() => void update({ input: { id: phase.id, actualStart: now() } })}
        >
          Start
        </button>
      ) : (
        <button
          type="button"
          className="btn btn--small"
          disabled={fetching}
          aria-label={`Finish ${phase.name} now`}
          onClick={() => void update({ input: { id: phase.id, actualEnd: now() } })}
        >
          Finish
        </button>
      )}
      <ErrorBanner error={error} />
    </>
  );
}

/** Marks a milestone reached now, or reopens it. */
export function MilestoneActions({ milestone }: { milestone: { id: string; name: string; actualAt?: string | null } }) {
  const [{ fetching, error }, update] = useMutation(UpdateMilestoneMutation);
  return (
    <>
      <button
        type="button"
        className="btn btn--small"
        disabled={fetching}
        aria-label={milestone.actualAt ? `Reopen ${milestone.name}` : `Mark ${milestone.name} reached`}
        onClick={() =>
          void update({ input: { id: milestone.id, actualAt: milestone.actualAt ? null : new Date().toISOString() } })
        }
      >
        {milestone.actualAt ? 'Reopen' : 'Mark reached'}
      </button>
      <ErrorBanner error={error} />
    </>
  );
}

const FIELDS = ['name', 'risk', 'plannedStart', 'plannedGoLive', 'description'];

/** Edits a release's name, risk, planned dates and description. */
export function EditReleaseForm({
  release,
  onDone,
}: {
  release: { id: string; name: string; description?: string | null; risk: RiskLevel; plannedStart: string; plannedGoLive: string };
  onDone: () => void;
}) {
  const [form, setForm] = useState({
    name: release.name,
    description: release.description ?? '',
    risk: release.risk,
    plannedStart: release.plannedStart,
    plannedGoLive: release.plannedGoLive,
  });
  const [{ fetching, error }, update] = useMutation(UpdateReleaseMutation);
  const errors = fieldErrors(error);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    // Only what changed, so the audit trail records the real edit.
    const name = form.name.trim();
    const description = form.description.trim();
    const input = {
      id: release.id,
      ...(name !== release.name ? { name } : {}),
      ...(description !== (release.description ?? '') ? { description } : {}),
      ...(form.risk !== release.risk ? { risk: form.risk } : {}),
      ...(form.plannedStart !== release.plannedStart ? { plannedStart: form.plannedStart } : {}),
      ...(form.plannedGoLive !== release.plannedGoLive ? { plannedGoLive: form.plannedGoLive } : {}),
    };
    if (Object.keys(input).length === 1) {
      onDone();
      return;
    }
    const result = await update({ input });
    if (!result.error) onDone();
  }

  return (
    <form className="card form-grid section" onSubmit={(e) => void submit(e)} aria-label="Edit release">
      <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      <Field label="Name" error={errors.name}>
        <input value={form.name} onChange={set('name')} required />
      </Field>
      <Field label="Risk" error={errors.risk}>
        <select value={form.risk} onChange={set('risk')}>
          {RISK_LEVELS.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Planned start" error={errors.plannedStart}>
        <input type="date" value={form.plannedStart} onChange={set('plannedStart')} required />
      </Field>
      <Field label="Planned go-live" error={errors.plannedGoLive}>
        <input type="date" value={form.plannedGoLive} onChange={set('plannedGoLive')} required />
      </Field>
      <div className="form-grid__full">
        <Field label="Description" error={errors.description}>
          <textarea rows={2} value={form.description} onChange={set('description')} />
        </Field>
      </div>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching}>
          Save release
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Deletes a release that has not started (the server says when it cannot). */
export function DeleteReleaseButton({ release }: { release: { id: string; key: string } }) {
  const [{ fetching, error }, remove] = useMutation(DeleteReleaseMutation);
  const navigate = useNavigate();
  return (
    <>
      <button
        type="button"
        className="btn btn--danger"
        disabled={fetching}
        onClick={async () => {
          if (!window.confirm(`Delete ${release.key} with its phases, milestones and packages?`)) return;
          const result = await remove({ input: { id: release.id } });
          if (!result.error) void navigate('/releases', { replace: true });
        }}
      >
        Delete
      </button>
      <ErrorBanner error={error} />
    </>
  );
}
