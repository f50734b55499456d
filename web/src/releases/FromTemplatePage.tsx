import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { onlyProjectReleases } from '../auth/permissions';
import { useViewer } from '../auth/viewer';
import { graphql } from '../gql';
import type { ReleaseKind, RiskLevel } from '../gql/graphql';
import { criterionRule } from '../gates/rules';
import { Field } from '../ui/Field';
import { addDaysIso, formatDay, humanize, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { EnterpriseReleasesQuery } from './NewReleasePage';
import { RELEASE_KINDS, RISK_LEVELS } from './options';
import { layOutTemplate } from './templateLayout';

const TemplatesQuery = graphql(`
  query ReleaseTemplates {
    releaseTemplates {
      id
      name
      description
      updatedAt
      definition {
        phases {
          name
          offsetDays
          durationDays
        }
        milestones {
          name
          offsetDays
        }
        gates {
          phase
          name
          criteria {
            name
            kind
            metric
            comparator
            threshold
            unit
            approverRole
            byAccountable
            quorum
          }
        }
        raci {
          gate
          userEmail
          team
          role
        }
        plan {
          title
          kind
        }
      }
    }
  }
`);

const CreateFromTemplateMutation = graphql(`
  mutation CreateReleaseFromTemplate($input: CreateReleaseFromTemplateInput!) {
    createReleaseFromTemplate(input: $input) {
      release {
        id
        key
        status
        plannedStart
        plannedGoLive
      }
    }
  }
`);

const FIELDS = ['templateId', 'key', 'name', 'description', 'kind', 'risk', 'parentId', 'start', 'skipBlackouts'];

/** Creates a release from a template: phases, milestones, gates with criteria and RACI, dated from a start day. */
export function FromTemplatePage() {
  useTitle('New release from a template');
  const viewer = useViewer();
  const navigate = useNavigate();
  const onlyProject = onlyProjectReleases(viewer.roles);
  const kinds = onlyProject ? (['PROJECT'] as ReleaseKind[]) : RELEASE_KINDS;
  const [{ data, error, fetching }, refetch] = useQuery({ query: TemplatesQuery });
  const [templateId, setTemplateId] = useState('');
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<ReleaseKind>('PROJECT');
  const [risk, setRisk] = useState<RiskLevel>('MEDIUM');
  const [parentId, setParentId] = useState('');
  const [start, setStart] = useState(addDaysIso(todayIso(), 14));
  const [skipBlackouts, setSkipBlackouts] = useState(true);
  const [{ data: parents }] = useQuery({ query: EnterpriseReleasesQuery, pause: kind !== 'PROJECT' });
  const [created, create] = useMutation(CreateFromTemplateMutation);
  const errors = fieldErrors(created.error);

  if (!data && fetching) return <Loading label="Loading templates" />;
  if (!data) return <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;

  const templates = data.releaseTemplates;
  const template = templates.find((t) => t.id === templateId) ?? templates[0];
  const layout = template && start ? layOutTemplate(template.definition.phases, start) : null;

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (!template) return;
    const result = await create({
      input: {
        templateId: template.id,
        key: key.trim(),
        name: name.trim(),
        kind,
        risk,
        start,
        skipBlackouts,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(kind === 'PROJECT' && parentId ? { parentId } : {}),
      },
    });
    const id = result.data?.createReleaseFromTemplate.release.id;
    if (id) void navigate(`/releases/${id}`);
  }

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/releases">Releases</Link>
      </nav>
      <PageHeader
        title="New release from a template"
        subtitle="Phases, milestones, gates with their criteria and RACI, laid out from the start day."
        actions={
          <Link className="btn" to="/releases/new">
            Blank release instead
          </Link>
        }
      />
      {templates.length === 0 ? (
        <Empty title="No release templates yet">A release manager or admin defines templates through the API.</Empty>
      ) : (
        <div className="grid-2">
          <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New release from a template">
            <div className="form-grid__full">
              <ErrorBanner problems={formLevelProblems(created.error, FIELDS)} />
              <Field label="Template" error={errors.templateId}>
                <select value={template?.id ?? ''} onChange={(e) => setTemplateId(e.target.value)}>
                  {templates.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <Field label="Key" error={errors.key} hint="Unique, e.g. PR-3700">
              <input value={key} onChange={(e) => setKey(e.target.value)} required autoComplete="off" />
            </Field>
            <Field label="Name" error={errors.name}>
              <input value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
            </Field>
            <Field label="Kind" error={errors.kind}>
              <select value={kind} onChange={(e) => setKind(e.target.value as ReleaseKind)}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {humanize(k)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Risk" error={errors.risk}>
              <select value={risk} onChange={(e) => setRisk(e.target.value as RiskLevel)}>
                {RISK_LEVELS.map((r) => (
                  <option key={r} value={r}>
                    {humanize(r)}
                  </option>
                ))}
              </select>
            </Field>
            {kind === 'PROJECT' ? (
              <Field label="Enterprise release" error={errors.parentId}>
                <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
                  <option value="">None</option>
                  {parents?.releases.nodes.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.key} — {p.name}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            <Field label="Start day" error={errors.start} hint="The first day of the first phase">
              <input type="date" value={start} onChange={(e) => setStart(e.target.value)} required />
            </Field>
            <div className="form-grid__full">
              <label className="checkbox">
                <input type="checkbox" checked={skipBlackouts} onChange={(e) => setSkipBlackouts(e.target.checked)} />
                Move phases past blackout periods
              </label>
              <Field label="Description" error={errors.description}>
                <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
              </Field>
            </div>
            <div className="button-row form-grid__full">
              <button type="submit" className="btn btn--primary" disabled={created.fetching || !key.trim() || !name.trim() || !start}>
                {created.fetching ? 'Creating…' : 'Create release'}
              </button>
              <Link className="btn" to="/releases">
                Cancel
              </Link>
            </div>
          </form>
          {template && layout ? (
            <section className="card" aria-labelledby="template-preview">
              <h2 id="template-preview">{template.name}</h2>
              {template.description ? <p className="muted">{template.description}</p> : null}
              <h3 className="h4">Phases{skipBlackouts ? ' (before moving past blackouts)' : ''}</h3>
              <ol className="list" data-testid="template-phases">
                {layout.phases.map((p) => (
                  <li key={p.name}>
                    <strong>{p.name}</strong>{' '}
                    <span className="muted small">
                      {formatDay(p.start)} → {formatDay(p.end)}
                    </span>
                  </li>
                ))}
              </ol>
              <p>
                Go-live: <strong>{formatDay(layout.goLive)}</strong>
              </p>
              {template.definition.milestones.length ? (
                <>
                  <h3 className="h4">Milestones</h3>
                  <ul className="list">
                    {template.definition.milestones.map((m) => (
                      <li key={m.name}>
                        {m.name} <span className="muted small">{formatDay(addDaysIso(start, m.offsetDays))}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {template.definition.gates.length ? (
                <>
                  <h3 className="h4">Gates</h3>
                  <ul className="list">
                    {template.definition.gates.map((g) => (
                      <li key={`${g.phase}-${g.name}`}>
                        <strong>{g.name}</strong> <span className="muted small">closes {g.phase}</span>
                        <ul className="small">
                          {g.criteria.map((c) => (
                            <li key={c.name}>
                              {c.name}: {criterionRule(c)}
                            </li>
                          ))}
                        </ul>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {template.definition.raci.length ? (
                <>
                  <h3 className="h4">RACI</h3>
                  <ul className="list small">
                    {template.definition.raci.map((r, i) => (
                      <li key={i}>
                        {humanize(r.role)}: {r.userEmail ?? r.team}
                        {r.gate ? <span className="muted"> on gate {r.gate}</span> : null}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {template.definition.plan.length ? (
                <p className="small muted">Deployment-plan skeleton: {template.definition.plan.length} activities.</p>
              ) : null}
            </section>
          ) : null}
        </div>
      )}
    </>
  );
}
