import { useState, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import type { ActivityKind } from '../gql/graphql';
import { UserSelect } from '../people/UserSelect';
import { Field } from '../ui/Field';
import { humanize } from '../ui/format';
import { ErrorBanner } from '../ui/states';
import { AddActivityMutation, UpdateActivityMutation } from './editorDocuments';

export const ACTIVITY_KINDS: readonly ActivityKind[] = ['MANUAL', 'AUTOMATED', 'CHECKPOINT', 'GO_NO_GO'];

export interface ActivityDraft {
  id?: string;
  title: string;
  description: string;
  kind: ActivityKind;
  ownerId: string;
  ownerTeam: string;
  setId: string;
  offset: string;
  duration: string;
  dependsOn: string[];
}

export const EMPTY_ACTIVITY: ActivityDraft = {
  title: '',
  description: '',
  kind: 'MANUAL',
  ownerId: '',
  ownerTeam: '',
  setId: '',
  offset: '0',
  duration: '30',
  dependsOn: [],
};

const FIELDS = ['title', 'description', 'kind', 'ownerId', 'ownerTeam', 'setId', 'plannedOffsetMinutes', 'plannedDurationMinutes', 'dependsOn'];

/** Checks in the browser first (the server checks again, and refuses cycles). */
export function draftProblems(d: ActivityDraft): Record<string, string> {
  const out: Record<string, string> = {};
  if (!d.title.trim()) out.title = 'a title is needed';
  const offset = Number(d.offset);
  if (!Number.isInteger(offset) || offset < 0) out.plannedOffsetMinutes = 'whole minutes, 0 or more';
  const duration = Number(d.duration);
  if (!Number.isInteger(duration) || duration <= 0) out.plannedDurationMinutes = 'whole minutes, more than 0';
  if (d.id && d.dependsOn.includes(d.id)) out.dependsOn = 'an activity cannot depend on itself';
  return out;
}

/** Adds an activity to a plan, or edits one (with `initial.id`). */
export function ActivityForm({
  planId,
  initial,
  sets,
  others,
  onDone,
}: {
  planId: string;
  initial: ActivityDraft;
  sets: readonly { id: string; name: string }[];
  others: readonly { id: string; title: string }[];
  onDone: (saved: boolean) => void;
}) {
  const [d, setD] = useState<ActivityDraft>(initial);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [add, addActivity] = useMutation(AddActivityMutation);
  const [upd, updateActivity] = useMutation(UpdateActivityMutation);
  const error = d.id ? upd.error : add.error;
  const errors = { ...fieldErrors(error), ...checked };
  const set = <K extends keyof ActivityDraft>(k: K, v: ActivityDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const label = d.id ? `Edit ${initial.title}` : 'New activity';

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const problems = draftProblems(d);
    setChecked(problems);
    if (Object.keys(problems).length > 0) return;
    const common = {
      title: d.title.trim(),
      description: d.description.trim() || null,
      kind: d.kind,
      ownerId: d.ownerId || null,
      ownerTeam: d.ownerTeam.trim() || null,
      setId: d.setId || null,
      plannedOffsetMinutes: Number(d.offset),
      plannedDurationMinutes: Number(d.duration),
      dependsOn: d.dependsOn,
    };
    const r = d.id ? await updateActivity({ input: { id: d.id, ...common } }) : await addActivity({ input: { planId, ...common } });
    if (!r.error) onDone(true);
  }

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label={label} noValidate>
      <h3 className="form-grid__full">{label}</h3>
      <div className="form-grid__full">
        <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      </div>
      <Field label="Title" error={errors.title}>
        <input value={d.title} onChange={(e) => set('title', e.target.value)} required autoFocus />
      </Field>
      <Field label="Kind" error={errors.kind} hint="Checkpoints and go/no-go are decided by the plan's accountable person">
        <select value={d.kind} onChange={(e) => set('kind', e.target.value as ActivityKind)}>
          {ACTIVITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'GO_NO_GO' ? 'Go/no-go' : humanize(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Owner" error={errors.ownerId}>
        <UserSelect value={d.ownerId} onChange={(v) => set('ownerId', v)} />
      </Field>
      <Field label="Owner team" error={errors.ownerTeam}>
        <input value={d.ownerTeam} onChange={(e) => set('ownerTeam', e.target.value)} />
      </Field>
      <Field label="Activity set" error={errors.setId}>
        <select value={d.setId} onChange={(e) => set('setId', e.target.value)}>
          <option value="">No set</option>
          {sets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Starts after (minutes)" error={errors.plannedOffsetMinutes} hint="From the start of the window, at the earliest">
        <input type="number" min={0} step={1} value={d.offset} onChange={(e) => set('offset', e.target.value)} />
      </Field>
      <Field label="Duration (minutes)" error={errors.plannedDurationMinutes}>
        <input type="number" min={1} step={1} value={d.duration} onChange={(e) => set('duration', e.target.value)} />
      </Field>
      <Field label="Description" error={errors.description}>
        <input value={d.description} onChange={(e) => set('description', e.target.value)} />
      </Field>
      <fieldset className="role-picker form-grid__full" aria-describedby={errors.dependsOn ? 'deps-error' : undefined}>
        <legend className="field__label">Depends on</legend>
        {others.length === 0 ? <span className="muted small">No other activities yet.</span> : null}
        {others.map((o) => (
          <label key={o.id} className="checkbox">
            <input
              type="checkbox"
              checked={d.dependsOn.includes(o.id)}
              onChange={(e) => set('dependsOn', e.target.checked ? [...d.dependsOn, o.id] : d.dependsOn.filter((x) => x !== o.id))}
            />
            {o.title}
          </label>
        ))}
        {errors.dependsOn ? (
          <span id="deps-error" className="field__error" role="alert">
            {errors.dependsOn}
          </span>
        ) : null}
      </fieldset>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={add.fetching || upd.fetching}>
          {d.id ? 'Save activity' : 'Add activity'}
        </button>
        <button type="button" className="btn" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
