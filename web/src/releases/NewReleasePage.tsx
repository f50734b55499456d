import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { onlyProjectReleases } from '../auth/permissions';
import { useViewer } from '../auth/viewer';
import { graphql } from '../gql';
import type { ReleaseKind, RiskLevel } from '../gql/graphql';
import { Field } from '../ui/Field';
import { addDaysIso, humanize, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { ErrorBanner } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { RELEASE_KINDS, RISK_LEVELS } from './options';

const CreateReleaseMutation = graphql(`
  mutation CreateRelease($input: CreateReleaseInput!) {
    createRelease(input: $input) {
      release {
        id
        key
        status
        allowedTransitions
      }
    }
  }
`);

export const EnterpriseReleasesQuery = graphql(`
  query EnterpriseReleases {
    releases(first: 100, filter: { kind: [ENTERPRISE], status: [DRAFT, PLANNED, IN_PROGRESS] }) {
      nodes {
        id
        key
        name
      }
    }
  }
`);

const FIELDS = ['key', 'name', 'description', 'kind', 'risk', 'parentId', 'plannedStart', 'plannedGoLive'] as const;

export interface ReleaseDraft {
  key: string;
  name: string;
  description: string;
  kind: ReleaseKind;
  risk: RiskLevel;
  parentId: string;
  plannedStart: string;
  plannedGoLive: string;
}

/** Checks the browser can make before asking the server (which checks everything again). */
export function validateDraft(d: ReleaseDraft): Record<string, string> {
  const e: Record<string, string> = {};
  if (!d.key.trim()) e.key = 'A key is required, e.g. PR-3700.';
  if (!d.name.trim()) e.name = 'A name is required.';
  if (!d.plannedStart) e.plannedStart = 'Pick the planned start.';
  if (!d.plannedGoLive) e.plannedGoLive = 'Pick the planned go-live.';
  if (d.plannedStart && d.plannedGoLive && d.plannedGoLive < d.plannedStart) {
    e.plannedGoLive = 'The go-live cannot be before the start.';
  }
  if (d.kind !== 'PROJECT' && d.parentId) e.parentId = 'Only project releases belong to an enterprise release.';
  return e;
}

export function NewReleasePage() {
  useTitle('New release');
  const viewer = useViewer();
  const navigate = useNavigate();
  // Project managers may only create PROJECT releases.
  const onlyProject = onlyProjectReleases(viewer.roles);
  const kinds = onlyProject ? (['PROJECT'] as ReleaseKind[]) : RELEASE_KINDS;
  const start = addDaysIso(todayIso(), 14);
  const [draft, setDraft] = useState<ReleaseDraft>({
    key: '',
    name: '',
    description: '',
    kind: onlyProject ? 'PROJECT' : 'INDEPENDENT',
    risk: 'MEDIUM',
    parentId: '',
    plannedStart: start,
    plannedGoLive: addDaysIso(start, 56),
  });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [{ fetching, error }, create] = useMutation(CreateReleaseMutation);
  const [{ data: parents }] = useQuery({ query: EnterpriseReleasesQuery, pause: draft.kind !== 'PROJECT' });

  const serverErrors = fieldErrors(error);
  const errors = { ...serverErrors, ...localErrors };
  const set = (k: keyof ReleaseDraft) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [k]: e.target.value }));
    setLocalErrors((le) => Object.fromEntries(Object.entries(le).filter(([field]) => field !== k)));
  };

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const local = validateDraft(draft);
    setLocalErrors(local);
    if (Object.keys(local).length > 0) return;
    const result = await create({
      input: {
        key: draft.key.trim(),
        name: draft.name.trim(),
        kind: draft.kind,
        risk: draft.risk,
        plannedStart: draft.plannedStart,
        plannedGoLive: draft.plannedGoLive,
        ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
        ...(draft.kind === 'PROJECT' && draft.parentId ? { parentId: draft.parentId } : {}),
      },
    });
    const id = result.data?.createRelease.release.id;
    if (id) void navigate(`/releases/${id}`);
  }

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/releases">Releases</Link>
      </nav>
      <PageHeader
        title="New release"
        subtitle="The release starts in draft; plan its phases and packages next."
        actions={
          <Link className="btn" to="/releases/from-template">
            From a template…
          </Link>
        }
      />
      <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate aria-label="New release">
        <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
        <Field label="Key" error={errors.key} hint="Unique, e.g. ER-2027.06 or PR-3700">
          <input name="key" value={draft.key} onChange={set('key')} autoFocus autoComplete="off" />
        </Field>
        <Field label="Name" error={errors.name}>
          <input name="name" value={draft.name} onChange={set('name')} autoComplete="off" />
        </Field>
        <Field label="Kind" error={errors.kind}>
          <select name="kind" value={draft.kind} onChange={set('kind')}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Risk" error={errors.risk}>
          <select name="risk" value={draft.risk} onChange={set('risk')}>
            {RISK_LEVELS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </Field>
        {draft.kind === 'PROJECT' ? (
          <Field label="Enterprise release" error={errors.parentId} hint="The enterprise release this project release ships with">
            <select name="parentId" value={draft.parentId} onChange={set('parentId')}>
              <option value="">None</option>
              {parents?.releases.nodes.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.key} — {p.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label="Planned start" error={errors.plannedStart}>
          <input name="plannedStart" type="date" value={draft.plannedStart} onChange={set('plannedStart')} />
        </Field>
        <Field label="Planned go-live" error={errors.plannedGoLive}>
          <input name="plannedGoLive" type="date" value={draft.plannedGoLive} onChange={set('plannedGoLive')} />
        </Field>
        <div className="form-grid__full">
          <Field label="Description" error={errors.description}>
            <textarea name="description" rows={3} value={draft.description} onChange={set('description')} />
          </Field>
        </div>
        <div className="button-row form-grid__full">
          <button type="submit" className="btn btn--primary" disabled={fetching}>
            {fetching ? 'Creating…' : 'Create release'}
          </button>
          <Link className="btn" to="/releases">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
