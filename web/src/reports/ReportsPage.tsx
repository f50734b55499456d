import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { ReleaseStatus } from '../gql/graphql';
import { StackedBarChart } from '../ui/charts';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useNow } from '../ui/useNow';
import { useTitle } from '../ui/useTitle';
import { activityState, countGates, countStates, GATE_OUTCOMES, milestoneState, phaseState, WORK_STATES, type WorkState } from './report';

const ReportQuery = graphql(`
  query ReleaseReport($filter: ReleaseFilter) {
    releases(filter: $filter, first: 100) {
      totalCount
      nodes {
        id
        key
        name
        kind
        status
        phases {
          id
          plannedEnd
          actualStart
          actualEnd
        }
        milestones {
          id
          plannedDate
          actualAt
        }
        gates {
          id
          status
        }
        deploymentPlans {
          id
          currentRun {
            id
          }
          runs {
            id
          }
          status {
            activities {
              id
              status
              plannedFinish
            }
          }
        }
      }
    }
  }
`);

const SCOPES: readonly { key: string; label: string; status: ReleaseStatus[] }[] = [
  { key: 'active', label: 'Active', status: ['PLANNED', 'IN_PROGRESS', 'GO_LIVE'] },
  { key: 'all', label: 'All but cancelled', status: ['DRAFT', 'PLANNED', 'IN_PROGRESS', 'GO_LIVE', 'RELEASED', 'ROLLED_BACK'] },
];

/** Portfolio reporting: per release, how its work stands and how its gates came out. */
export function ReportsPage() {
  useTitle('Release reports');
  const [scope, setScope] = useState(SCOPES[0] ?? { key: 'active', label: 'Active', status: [] });
  const now = useNow();
  const [{ data, error, fetching }, refetch] = useQuery({ query: ReportQuery, variables: { filter: { status: scope.status } } });
  const releases = data?.releases.nodes ?? [];
  const rows = releases.map((r) => {
    const states: WorkState[] = [
      ...r.phases.map((p) => phaseState(p, now)),
      ...r.milestones.map((m) => milestoneState(m, now)),
      ...r.deploymentPlans.flatMap((p) => p.status.activities.map((a) => activityState(a, now, p.runs.length > 0))),
    ];
    return { release: r, work: countStates(states), gates: countGates(r.gates) };
  });
  const totals = rows.reduce(
    (t, r) => {
      for (const s of WORK_STATES) t[s.key] += r.work[s.key];
      return t;
    },
    { COMPLETED: 0, IN_PROGRESS: 0, NOT_STARTED: 0, OVERDUE: 0 },
  );
  const gateTotals = rows.reduce(
    (t, r) => {
      for (const g of GATE_OUTCOMES) t[g.key] += r.gates[g.key];
      return t;
    },
    { PASSED: 0, WAIVED: 0, PENDING: 0, FAILED: 0 },
  );
  return (
    <>
      <PageHeader
        title="Release reports"
        subtitle="Per release: its work (phases, milestones and runbook activities) completed, in progress, not started and overdue, and how its gates came out."
        actions={
          <button type="button" className="btn" onClick={() => window.print()}>
            Print
          </button>
        }
      />
      <div className="toolbar" role="toolbar" aria-label="Scope">
        <div className="button-row">
          {SCOPES.map((s) => (
            <button key={s.key} type="button" className={s.key === scope.key ? 'btn btn--primary' : 'btn'} aria-pressed={s.key === scope.key} onClick={() => setScope(s)}>
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : rows.length === 0 ? (
        <Empty title="No releases in this scope" />
      ) : (
        <>
          <div className="cards">
            {WORK_STATES.map((s) => (
              <div key={s.key} className={s.key === 'OVERDUE' && totals.OVERDUE > 0 ? 'card stat--danger' : 'card'}>
                <p className="stat__label">{s.label}</p>
                <p className="stat__value" data-testid={`total-${s.key.toLowerCase()}`}>
                  {totals[s.key]}
                </p>
              </div>
            ))}
            <div className="card">
              <p className="stat__label">Gates passed / failed</p>
              <p className="stat__value">
                {gateTotals.PASSED} / {gateTotals.FAILED}
              </p>
            </div>
          </div>
          <div className="grid-2">
            <section className="card" aria-labelledby="report-work">
              <h2 id="report-work">Work by release</h2>
              <StackedBarChart
                testId="work-chart"
                label="Work by release: completed, in progress, not started, overdue"
                rows={rows.map((r) => ({
                  id: r.release.id,
                  label: r.release.key,
                  segments: WORK_STATES.map((s) => ({ key: s.key, label: s.label, value: r.work[s.key], color: s.color })),
                }))}
              />
            </section>
            <section className="card" aria-labelledby="report-gates">
              <h2 id="report-gates">Gate outcomes by release</h2>
              <StackedBarChart
                testId="gates-chart"
                label="Gate outcomes by release: passed, waived, pending, failed"
                rows={rows.map((r) => ({
                  id: r.release.id,
                  label: r.release.key,
                  segments: GATE_OUTCOMES.map((g) => ({ key: g.key, label: g.label, value: r.gates[g.key], color: g.color })),
                }))}
              />
            </section>
          </div>
          <section className="section" aria-labelledby="report-table">
            <h2 id="report-table">Figures</h2>
            <div className="table-wrap">
              <table className="table" data-testid="report-table">
                <thead>
                  <tr>
                    <th scope="col">Release</th>
                    {WORK_STATES.map((s) => (
                      <th key={s.key} scope="col">
                        {s.label}
                      </th>
                    ))}
                    {GATE_OUTCOMES.map((g) => (
                      <th key={g.key} scope="col">
                        Gates {g.label.toLowerCase()}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.release.id} className={r.work.OVERDUE > 0 || r.gates.FAILED > 0 ? 'row--attention' : undefined}>
                      <th scope="row">
                        <Link to={`/releases/${r.release.id}`}>{r.release.key}</Link> <span className="muted small">{r.release.name}</span>
                      </th>
                      {WORK_STATES.map((s) => (
                        <td key={s.key}>{r.work[s.key]}</td>
                      ))}
                      {GATE_OUTCOMES.map((g) => (
                        <td key={g.key}>{r.gates[g.key]}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}
