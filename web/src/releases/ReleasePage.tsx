import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { hasCode } from '../api/errors';
import { useState } from 'react';
import { can, canEditRelease } from '../auth/permissions';
import { useCan, useViewer } from '../auth/viewer';
import { graphql } from '../gql';
import { Badge, RiskBadge } from '../ui/Badge';
import { formatDateTime, formatDay, humanize, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Progress } from '../ui/Progress';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { isGoLiveOverdue, isMilestoneOverdue, isPhaseLate, overdueMilestones, phaseProgress, slipDays } from './health';
import { useReleaseEvents } from './live';
import { PackagesSection } from './PackagesSection';
import { DeleteReleaseButton, EditReleaseForm, MilestoneActions, PhaseActions } from './ReleaseEditing';
import { ReleaseHistory } from './ReleaseHistory';
import { TransitionPanel } from './TransitionPanel';
import { AdvancePhase } from './AdvancePhase';
import { BlockersSection } from './Blockers';
import { PlannedVsActualSection } from './PlannedVsActual';
import { GateCard } from '../gates/GateCard';
import { RaciSection } from '../people/RaciSection';
import { ReleasePlansSection } from '../plans/ReleasePlans';

export const ReleaseQuery = graphql(`
  query Release($id: ID!) {
    release(id: $id) {
      id
      key
      name
      description
      kind
      status
      risk
      plannedStart
      plannedGoLive
      actualStart
      actualGoLive
      createdAt
      updatedAt
      allowedTransitions
      owner {
        id
        displayName
      }
      parent {
        id
        key
        name
      }
      children {
        id
        key
        name
        status
        risk
        plannedStart
        plannedGoLive
      }
      phases {
        id
        name
        position
        plannedStart
        plannedEnd
        actualStart
        actualEnd
      }
      milestones {
        id
        name
        plannedDate
        actualAt
      }
      impacts {
        id
        kind
        notes
        system {
          id
          code
          name
          criticality
        }
      }
      dependsOn {
        id
        key
        name
        status
        plannedGoLive
      }
      dependents {
        id
        key
        name
        status
        plannedGoLive
      }
      currentPhase {
        id
        name
      }
      gates {
        ...GateFields
      }
      blockers {
        kind
        blocks
        description
        action
        subjectType
        subjectId
        owner {
          team
          role
          user {
            id
            displayName
          }
        }
      }
      raci {
        id
        role
        subjectType
        subjectId
        team
        user {
          id
          displayName
        }
      }
      plannedVsActual {
        kind
        name
        planned
        actual
        slipDays
        timeliness
      }
      deploymentPlans {
        id
        name
        mode
        windowStart
        windowEnd
        currentRun {
          id
          kind
          status
        }
      }
      packages {
        id
        name
        version
        kind
        status
        jiraKey
        changeRequestId
        system {
          id
          code
          name
        }
        deployments {
          id
          version
          status
          deployedAt
          deployedByName
          environment {
            id
            name
            tier
          }
        }
      }
    }
  }
`);

function Slip({ planned, actual }: { planned: string; actual: string | null | undefined }) {
  const d = slipDays(planned, actual);
  if (d === null || d === 0) return null;
  return (
    <span className={d > 0 ? 'small text-danger' : 'small text-success'}>
      {' '}
      ({d > 0 ? `${d} d late` : `${-d} d early`})
    </span>
  );
}

export function ReleasePage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const canReadAudit = useCan('READ_AUDIT');
  const canTransition = useCan('CONTROL_RELEASES');
  const [editing, setEditing] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({ query: ReleaseQuery, variables: { id } });
  useTitle(data?.release.key ?? 'Release');
  // Live: another user's change or a CI tool's deployment shows up without reloading.
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useReleaseEvents(id, reload);

  if (!data && fetching) return <Loading label="Loading the release" />;
  if (!data) {
    return (
      <>
        <PageHeader title={hasCode(error, 'NOT_FOUND') ? 'Release not found' : 'Release'} />
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        <p>
          <Link to="/releases">Back to releases</Link>
        </p>
      </>
    );
  }

  const r = data.release;
  const today = todayIso();
  const progress = phaseProgress(r.phases, r.status);
  const overdue = overdueMilestones(r.milestones, today);
  const late = isGoLiveOverdue(r, today);
  const canEdit = canEditRelease(viewer.permissions, viewer.roles, r.kind);
  const deletable = canTransition && ['DRAFT', 'PLANNED', 'CANCELLED'].includes(r.status);

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/releases">Releases</Link>
        {r.parent ? (
          <>
            {' / '}
            <Link to={`/releases/${r.parent.id}`}>{r.parent.key}</Link>
          </>
        ) : null}
      </nav>
      <PageHeader
        title={
          <>
            <span className="mono">{r.key}</span> {r.name}
          </>
        }
        subtitle={
          <span className="badges">
            <Badge value={r.status} />
            <RiskBadge risk={r.risk} />
            <span className="chip">{humanize(r.kind)}</span>
            {r.owner ? <span>Owner: {r.owner.displayName}</span> : null}
          </span>
        }
        actions={
          canEdit || deletable ? (
            <>
              {canEdit && !editing ? (
                <button type="button" className="btn" onClick={() => setEditing(true)}>
                  Edit
                </button>
              ) : null}
              {deletable ? <DeleteReleaseButton release={r} /> : null}
            </>
          ) : null
        }
      />
      {editing ? <EditReleaseForm release={r} onDone={() => setEditing(false)} /> : null}
      {error ? <ErrorState error={error} /> : null}
      {r.description ? <p className="lede">{r.description}</p> : null}

      <section className="cards" aria-label="Summary">
        <div className="card stat">
          <div className="stat__label">Start</div>
          <div className="stat__value">{formatDay(r.plannedStart)}</div>
          <div className="small muted">
            actual: {r.actualStart ? formatDateTime(r.actualStart) : 'not started'}
            <Slip planned={r.plannedStart} actual={r.actualStart} />
          </div>
        </div>
        <div className={late ? 'card stat stat--danger' : 'card stat'}>
          <div className="stat__label">Go-live</div>
          <div className="stat__value">{formatDay(r.plannedGoLive)}</div>
          <div className="small muted">
            actual: {r.actualGoLive ? formatDateTime(r.actualGoLive) : late ? 'overdue' : 'not yet'}
            <Slip planned={r.plannedGoLive} actual={r.actualGoLive} />
          </div>
        </div>
        <div className="card stat">
          <div className="stat__label">Phases</div>
          <div className="stat__value">
            {progress.done}/{progress.total}
          </div>
          <Progress value={progress.done} max={progress.total} label="Phases done" />
          <div className="small muted">{progress.current ? `Now: ${progress.current}` : 'All done'}</div>
        </div>
        <div className={overdue.length ? 'card stat stat--danger' : 'card stat'}>
          <div className="stat__label">Milestones</div>
          <div className="stat__value">
            {r.milestones.filter((m) => m.actualAt).length}/{r.milestones.length}
          </div>
          <div className="small">{overdue.length ? `${overdue.length} overdue` : 'none overdue'}</div>
        </div>
      </section>

      <BlockersSection blockers={r.blockers} status={r.status} />

      <div className="grid-2">
        <TransitionPanel release={r} />
        <AdvancePhase release={r} onChanged={reload} />
      </div>

      <section className="section" aria-labelledby="phases-title">
        <h2 id="phases-title">Phases — planned vs actual</h2>
        {r.phases.length === 0 ? (
          <Empty title="No phases yet" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Planned</th>
                  <th scope="col">Actual start</th>
                  <th scope="col">Actual end</th>
                  <th scope="col">State</th>
                  {canEdit ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {[...r.phases]
                  .sort((a, b) => a.position - b.position)
                  .map((p) => {
                    const lateP = isPhaseLate(p, today) && r.status !== 'CANCELLED';
                    return (
                      <tr key={p.id} className={lateP ? 'row--attention' : undefined}>
                        <td>{p.position}</td>
                        <th scope="row">{p.name}</th>
                        <td>
                          {formatDay(p.plannedStart)} → {formatDay(p.plannedEnd)}
                        </td>
                        <td>
                          {formatDateTime(p.actualStart)}
                          <Slip planned={p.plannedStart} actual={p.actualStart} />
                        </td>
                        <td>
                          {formatDateTime(p.actualEnd)}
                          <Slip planned={p.plannedEnd} actual={p.actualEnd} />
                        </td>
                        <td>
                          {p.actualEnd ? (
                            <Badge value="RELEASED" label="Done" />
                          ) : p.actualStart ? (
                            <Badge value="IN_PROGRESS" label="Running" />
                          ) : lateP ? (
                            <Badge value="FAILED" label="Late" />
                          ) : (
                            <Badge value="DRAFT" label="Not started" />
                          )}
                        </td>
                        {canEdit ? (
                          <td>
                            <PhaseActions phase={p} />
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="gates-title">
        <h2 id="gates-title">Gates</h2>
        {r.gates.length === 0 ? (
          <Empty title="No gates">Gates at the exit of phases hold criteria the release must meet.</Empty>
        ) : (
          <div className="gates">
            {[...r.gates]
              .sort((a, b) => (a.phase?.position ?? 0) - (b.phase?.position ?? 0))
              .map((g) => (
                <GateCard key={g.id} gate={g} onChanged={reload} />
              ))}
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="milestones-title">
        <h2 id="milestones-title">Milestones</h2>
        {r.milestones.length === 0 ? (
          <Empty title="No milestones yet" />
        ) : (
          <ul className="milestones">
            {r.milestones.map((m) => {
              const od = isMilestoneOverdue(m, today);
              return (
                <li key={m.id} className={od ? 'milestone milestone--overdue' : 'milestone'}>
                  <span className="milestone__diamond" aria-hidden="true" />
                  <strong>{m.name}</strong>
                  <span>planned {formatDay(m.plannedDate)}</span>
                  <span>
                    {m.actualAt ? (
                      <>
                        reached {formatDateTime(m.actualAt)}
                        <Slip planned={m.plannedDate} actual={m.actualAt} />
                      </>
                    ) : od ? (
                      <strong className="text-danger">overdue</strong>
                    ) : (
                      'open'
                    )}
                  </span>
                  {canEdit ? (
                    <span>
                      <MilestoneActions milestone={m} />
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {r.kind === 'ENTERPRISE' || r.children.length > 0 ? (
        <section className="section" aria-labelledby="children-title">
          <h2 id="children-title">Project releases</h2>
          {r.children.length === 0 ? (
            <Empty title="No project releases in this enterprise release yet" />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Risk</th>
                    <th scope="col">Planned</th>
                  </tr>
                </thead>
                <tbody>
                  {r.children.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <Link to={`/releases/${c.id}`}>{c.key}</Link>
                      </th>
                      <td>{c.name}</td>
                      <td>
                        <Badge value={c.status} />
                      </td>
                      <td>
                        <RiskBadge risk={c.risk} />
                      </td>
                      <td>
                        {formatDay(c.plannedStart)} → {formatDay(c.plannedGoLive)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      <PackagesSection
        release={r}
        canManage={can(viewer.permissions, 'MANAGE_PACKAGES')}
        canDeploy={can(viewer.permissions, 'RECORD_DEPLOYMENTS')}
      />

      <div className="grid-2">
        <section className="section" aria-labelledby="impacts-title">
          <h2 id="impacts-title">Impacted systems</h2>
          {r.impacts.length === 0 ? (
            <Empty title="No impacted systems" />
          ) : (
            <ul className="list">
              {r.impacts.map((i) => (
                <li key={i.id}>
                  <Badge value={i.kind === 'DIRECT' ? 'IN_PROGRESS' : 'PLANNED'} label={humanize(i.kind)} />{' '}
                  <strong className="mono">{i.system?.code}</strong> {i.system?.name}
                  {i.notes ? <span className="muted"> — {i.notes}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="section" aria-labelledby="deps-title">
          <h2 id="deps-title">Dependencies</h2>
          <h3 className="h4">Waits for</h3>
          {r.dependsOn.length === 0 ? (
            <p className="muted">Nothing.</p>
          ) : (
            <ul className="list">
              {r.dependsOn.map((d) => (
                <li key={d.id}>
                  <Link to={`/releases/${d.id}`}>{d.key}</Link> {d.name} <Badge value={d.status} />{' '}
                  <span className="muted small">go-live {formatDay(d.plannedGoLive)}</span>
                </li>
              ))}
            </ul>
          )}
          <h3 className="h4">Dependants (wait for this one)</h3>
          {r.dependents.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="list">
              {r.dependents.map((d) => (
                <li key={d.id}>
                  <Link to={`/releases/${d.id}`}>{d.key}</Link> {d.name} <Badge value={d.status} />{' '}
                  <span className="muted small">go-live {formatDay(d.plannedGoLive)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <PlannedVsActualSection rows={r.plannedVsActual} />

      <RaciSection
        subjectType="RELEASE"
        subjectId={r.id}
        rows={r.raci}
        canManage={canEdit}
        onChanged={reload}
        hint="Who is responsible, accountable (exactly one), consulted and informed; they get the release's notifications."
      />

      <ReleasePlansSection release={r} plans={r.deploymentPlans} />

      {canReadAudit ? <ReleaseHistory releaseId={r.id} /> : null}
    </>
  );
}
