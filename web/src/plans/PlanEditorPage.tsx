import { useState, type SyntheticEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { canAssignPlanStakeholders } from '../auth/permissions';
import { useCan, useViewer } from '../auth/viewer';
import { RunTimeline } from '../command-centre/RunTimeline';
import type { PlanEditorQuery as PlanEditorData } from '../gql/graphql';
import { RaciSection } from '../people/RaciSection';
import { Badge } from '../ui/Badge';
import { Field } from '../ui/Field';
import { formatDateTime, formatMinutes, fromLocalInput, humanize, toLocalInput } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useNow } from '../ui/useNow';
import { useTitle } from '../ui/useTitle';
import { ActivityForm, EMPTY_ACTIVITY, type ActivityDraft } from './ActivityForm';
import { ActivitySetHeading } from './ActivitySetHeading';
import {
  AddSetMutation,
  ApprovePlanMutation,
  DeleteActivityMutation,
  PlanEditorQuery,
  ReopenPlanMutation,
  UpdatePlanMutation,
} from './editorDocuments';
import { PlanModeBadge } from './PlanModeBadge';
import { RunControls } from './RunControls';

type Plan = PlanEditorData['deploymentPlan'];
type Activity = Plan['activities'][number];

function draftOf(a: Activity): ActivityDraft {
  return {
    id: a.id,
    title: a.title,
    description: a.description ?? '',
    kind: a.kind,
    ownerId: a.owner?.id ?? '',
    ownerTeam: a.ownerTeam ?? '',
    setId: a.set?.id ?? '',
    offset: String(a.plannedOffsetMinutes),
    duration: String(a.plannedDurationMinutes),
    dependsOn: a.dependsOn.map((x) => x.id),
  };
}

/** Activities grouped by set, in set order; those without a set last. */
export function groupActivities(plan: Pick<Plan, 'sets' | 'activities'>): { id: string; name: string; activities: Activity[] }[] {
  const sets = [...plan.sets].sort((a, b) => a.position - b.position);
  const groups = sets.map((s) => ({
    id: s.id,
    name: s.name,
    activities: plan.activities.filter((a) => a.set?.id === s.id).sort((a, b) => a.position - b.position),
  }));
  const loose = plan.activities.filter((a) => !a.set || !sets.some((s) => s.id === a.set?.id));
  if (loose.length > 0) groups.push({ id: '', name: sets.length > 0 ? 'Not in a set' : 'Activities', activities: loose.sort((a, b) => a.position - b.position) });
  return groups;
}

function PlanDetailsForm({ plan, onDone }: { plan: Plan; onDone: () => void }) {
  const [name, setName] = useState(plan.name);
  const [ws, setWs] = useState(toLocalInput(plan.windowStart));
  const [we, setWe] = useState(toLocalInput(plan.windowEnd));
  const [{ fetching, error }, update] = useMutation(UpdatePlanMutation);
  const errors = fieldErrors(error);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const r = await update({
      input: { id: plan.id, name: name.trim(), windowStart: fromLocalInput(ws), windowEnd: fromLocalInput(we) },
    });
    if (!r.error) onDone();
  }
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="Edit plan">
      <div className="form-grid__full">
        <ErrorBanner problems={formLevelProblems(error, ['name', 'windowStart', 'windowEnd'])} />
      </div>
      <Field label="Plan name" error={errors.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label="Change window starts" error={errors.windowStart}>
        <input type="datetime-local" value={ws} onChange={(e) => setWs(e.target.value)} required />
      </Field>
      <Field label="Change window ends" error={errors.windowEnd}>
        <input type="datetime-local" value={we} onChange={(e) => setWe(e.target.value)} required />
      </Field>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching}>
          Save plan
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddSetForm({ planId, onDone }: { planId: string; onDone: (saved: boolean) => void }) {
  const [name, setName] = useState('');
  const [{ fetching, error }, add] = useMutation(AddSetMutation);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const r = await add({ input: { planId, name: name.trim() } });
    if (!r.error) onDone(true);
  }
  return (
    <form className="inline-form card" onSubmit={(e) => void submit(e)} aria-label="New activity set">
      <ErrorBanner problems={formLevelProblems(error, ['name'])} />
      <Field label="Set name" error={fieldErrors(error).name}>
        <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      </Field>
      <button type="submit" className="btn btn--primary" disabled={fetching || !name.trim()}>
        Add set
      </button>
      <button type="button" className="btn" onClick={() => onDone(false)}>
        Cancel
      </button>
    </form>
  );
}

/** The deployment plan (runbook) editor: sets, activities, dependencies, approval, runs. */
export function PlanEditorPage() {
  const { id = '' } = useParams();
  const [{ data, error, fetching }, refetch] = useQuery({ query: PlanEditorQuery, variables: { id } });
  const canManage = useCan('MANAGE_PLANS');
  const viewer = useViewer();
  const now = useNow();
  const [editing, setEditing] = useState<string | null>(null);
  const [addingSet, setAddingSet] = useState(false);
  const [editingPlan, setEditingPlan] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [approve, approvePlan] = useMutation(ApprovePlanMutation);
  const [reopen, reopenPlan] = useMutation(ReopenPlanMutation);
  const [del, deleteActivity] = useMutation(DeleteActivityMutation);
  const plan = data?.deploymentPlan;
  useTitle(plan ? `Plan · ${plan.name}` : 'Deployment plan');
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (!plan) {
    if (fetching) return <Loading label="Loading the plan" />;
    return <ErrorState error={error} onRetry={reload} />;
  }
  const canAssign = canAssignPlanStakeholders(viewer.permissions, viewer.roles, plan.release?.kind);
  const draft = plan.mode === 'DRAFT';
  const editable = canManage && draft;
  const groups = groupActivities(plan);
  const critical = new Set(plan.status.criticalPath);
  const planLength = (Date.parse(plan.status.plannedFinish) - Date.parse(plan.windowStart)) / 60_000;
  const windowLength = (Date.parse(plan.windowEnd) - Date.parse(plan.windowStart)) / 60_000;

  const saved = (message: string) => (ok: boolean) => {
    setEditing(null);
    setAddingSet(false);
    if (ok) {
      setNotice(message);
      reload();
    }
  };

  return (
    <>
      <div className="breadcrumbs">
        {plan.release ? (
          <>
            <Link to={`/releases/${plan.release.id}`}>{plan.release.key}</Link> · {plan.release.name} ·{' '}
          </>
        ) : null}
        <Link to="/plans">Deployment plans</Link>
      </div>
      <PageHeader
        title={
          <span className="badges">
            {plan.name} <PlanModeBadge mode={plan.mode} />
          </span>
        }
        subtitle={`Change window ${formatDateTime(plan.windowStart)} → ${formatDateTime(plan.windowEnd)}${plan.approvedBy ? ` · approved by ${plan.approvedBy} ${formatDateTime(plan.approvedAt)}` : ''}`}
        actions={
          <Link className="btn btn--primary" to={`/plans/${plan.id}/command-centre`}>
            Open command centre
          </Link>
        }
      />
      <ErrorBanner error={approve.error ?? reopen.error ?? del.error} />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <div className="cards">
        <div className="card">
          <p className="stat__label">Activities</p>
          <p className="stat__value">{plan.activities.length}</p>
        </div>
        <div className={planLength > windowLength ? 'card stat--danger' : 'card'}>
          <p className="stat__label">Planned length</p>
          <p className="stat__value">{formatMinutes(planLength)}</p>
          <p className="muted small">window {formatMinutes(windowLength)}{planLength > windowLength ? ' — the plan does not fit' : ''}</p>
        </div>
        <div className="card">
          <p className="stat__label">Runs</p>
          <p className="stat__value">{plan.runs.length}</p>
        </div>
      </div>
      <div className="button-row section">
        {editable && !editingPlan ? (
          <button type="button" className="btn" onClick={() => setEditingPlan(true)}>
            Edit plan
          </button>
        ) : null}
        {canManage && draft ? (
          <button
            type="button"
            className="btn btn--primary"
            disabled={approve.fetching}
            onClick={() =>
              void approvePlan({ input: { id: plan.id } }).then((r) => {
                if (!r.error) {
                  setNotice('Plan approved: it is frozen for rehearsals and the execution.');
                  reload();
                }
              })
            }
          >
            Approve plan
          </button>
        ) : null}
        {canManage && plan.mode === 'APPROVED' ? (
          <button
            type="button"
            className="btn"
            disabled={reopen.fetching}
            onClick={() =>
              void reopenPlan({ input: { id: plan.id } }).then((r) => {
                if (!r.error) {
                  setNotice('Plan reopened for editing.');
                  reload();
                }
              })
            }
          >
            Reopen for editing
          </button>
        ) : null}
      </div>
      {editingPlan ? (
        <PlanDetailsForm
          plan={plan}
          onDone={() => {
            setEditingPlan(false);
            reload();
          }}
        />
      ) : null}
      <RunControls planId={plan.id} mode={plan.mode} releaseStatus={plan.release?.status} onChanged={reload} />

      <section className="section" aria-labelledby="activities-title">
        <div className="section__head">
          <h2 id="activities-title">Activities</h2>
          {editable ? (
            <div className="button-row">
              <button type="button" className="btn" onClick={() => setAddingSet(true)} disabled={addingSet}>
                Add set
              </button>
              <button type="button" className="btn btn--primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>
                Add activity
              </button>
            </div>
          ) : null}
        </div>
        {!draft && canManage ? <p className="muted small">The plan is {humanize(plan.mode).toLowerCase()}; reopen it to edit.</p> : null}
        {addingSet ? <AddSetForm planId={plan.id} onDone={saved('Set added.')} /> : null}
        {editing === 'new' ? (
          <ActivityForm planId={plan.id} initial={EMPTY_ACTIVITY} sets={plan.sets} others={plan.activities} onDone={saved('Activity added.')} />
        ) : null}
        {plan.activities.length === 0 && plan.sets.length === 0 ? (
          <Empty title="No activities yet">Add the steps of the go-live, their owners, timings and dependencies.</Empty>
        ) : (
          groups.map((g) => (
            <div key={g.id || 'loose'} className="plan-set">
              {g.id ? (
                <ActivitySetHeading
                  set={g}
                  activities={g.activities.length}
                  editable={editable}
                  onChanged={(message) => {
                    setNotice(message);
                    reload();
                  }}
                />
              ) : (
                <h3 className="h4">{g.name}</h3>
              )}
              {g.activities.length === 0 ? (
                <p className="muted small">No activities in this set.</p>
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="activities-table">
                    <thead>
                      <tr>
                        <th scope="col">Activity</th>
                        <th scope="col">Kind</th>
                        <th scope="col">Owner</th>
                        <th scope="col">Starts after</th>
                        <th scope="col">Duration</th>
                        <th scope="col">Depends on</th>
                        {editable ? <th scope="col">Actions</th> : null}
                      </tr>
                    </thead>
                    <tbody>
                      {g.activities.map((a) =>
                        editing === a.id ? (
                          <tr key={a.id}>
                            <td colSpan={editable ? 7 : 6}>
                              <ActivityForm
                                planId={plan.id}
                                initial={draftOf(a)}
                                sets={plan.sets}
                                others={plan.activities.filter((o) => o.id !== a.id)}
                                onDone={saved('Activity saved.')}
                              />
                            </td>
                          </tr>
                        ) : (
                          <tr key={a.id}>
                            <th scope="row">
                              {a.title}
                              {critical.has(a.id) ? (
                                <>
                                  {' '}
                                  <Badge value="CRITICAL" label="Critical path" />
                                </>
                              ) : null}
                              {a.description ? <div className="muted small">{a.description}</div> : null}
                            </th>
                            <td>{a.kind === 'GO_NO_GO' ? 'Go/no-go' : humanize(a.kind)}</td>
                            <td>{a.owner?.displayName ?? a.ownerTeam ?? <span className="muted">—</span>}</td>
                            <td>{formatMinutes(a.plannedOffsetMinutes)}</td>
                            <td>{formatMinutes(a.plannedDurationMinutes)}</td>
                            <td>{a.dependsOn.length === 0 ? <span className="muted">—</span> : a.dependsOn.map((x) => x.title).join(', ')}</td>
                            {editable ? (
                              <td>
                                <div className="button-row">
                                  <button type="button" className="btn btn--small" aria-label={`Edit ${a.title}`} onClick={() => setEditing(a.id)}>
                                    Edit
                                  </button>
                                  <button
                                    type="button"
                                    className="btn btn--small btn--danger"
                                    aria-label={`Delete ${a.title}`}
                                    onClick={() => {
                                      if (window.confirm(`Delete “${a.title}”?`)) {
                                        void deleteActivity({ input: { id: a.id } }).then((r) => {
                                          if (!r.error) reload();
                                        });
                                      }
                                    }}
                                  >
                                    Delete
                                  </button>
                                </div>
                              </td>
                            ) : null}
                          </tr>
                        ),
                      )}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          ))
        )}
      </section>

      {plan.status.activities.length > 0 ? (
        <section className="section" aria-labelledby="plan-timeline">
          <h2 id="plan-timeline">Timeline</h2>
          <div className="cc-light">
            <RunTimeline
              activities={plan.status.activities}
              windowStart={plan.windowStart}
              deadline={plan.status.deadline}
              projectedFinish={plan.status.projectedFinish}
              now={now}
            />
          </div>
        </section>
      ) : null}

      <RaciSection
        subjectType="DEPLOYMENT_PLAN"
        subjectId={plan.id}
        rows={plan.raci}
        canManage={canAssign}
        onChanged={reload}
        hint="The accountable person decides checkpoints and go/no-go during a run. Plan builders (implementation and release managers) name the stakeholders."
      />

      <section className="section" aria-labelledby="runs-title">
        <h2 id="runs-title">Rehearsals and executions</h2>
        {plan.runs.length === 0 ? (
          <Empty title="No runs yet">Approve the plan, then rehearse it to measure how long the go-live takes.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="runs-table">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Took</th>
                  <th scope="col">Deadline</th>
                </tr>
              </thead>
              <tbody>
                {plan.runs.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      {humanize(r.kind)} <span className="muted small">by {r.startedBy}</span>
                    </th>
                    <td>
                      <Badge value={r.status === 'COMPLETED' ? 'SUCCEEDED' : r.status === 'ABORTED' ? 'FAILED' : 'IN_PROGRESS'} label={humanize(r.status)} />
                    </td>
                    <td>{formatDateTime(r.startedAt)}</td>
                    <td>{formatDateTime(r.finishedAt)}</td>
                    <td>{r.finishedAt ? formatMinutes((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 60_000) : '—'}</td>
                    <td>{formatDateTime(r.deadline)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
