import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import type { PlanMode } from '../gql/graphql';
import { formatDateTime, formatDay } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Progress } from '../ui/Progress';
import { Badge } from '../ui/Badge';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { PlansOverviewQuery } from './editorDocuments';
import { PlanModeBadge } from './PlanModeBadge';

/** The plans list's filter: which modes each choice asks the server for (none: every mode). */
export const PLAN_SHOW = {
  open: { label: 'Open (draft, approved, running)', modes: ['DRAFT', 'APPROVED', 'REHEARSAL', 'EXECUTING'] },
  running: { label: 'Running now', modes: ['REHEARSAL', 'EXECUTING'] },
  finished: { label: 'Finished (completed, aborted)', modes: ['COMPLETED', 'ABORTED'] },
  all: { label: 'All plans', modes: [] },
} as const satisfies Record<string, { label: string; modes: readonly PlanMode[] }>;

export type PlanShow = keyof typeof PLAN_SHOW;

export function planShowOf(value: string | null): PlanShow {
  return value !== null && Object.hasOwn(PLAN_SHOW, value) ? (value as PlanShow) : 'open';
}

/** Deployment plans across releases (by change window), filtered by mode on the server. */
export function PlansPage() {
  useTitle('Deployment plans');
  const [params, setParams] = useSearchParams();
  const show = planShowOf(params.get('show'));
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PlansOverviewQuery,
    variables: { modes: [...PLAN_SHOW[show].modes] },
  });
  const plans = data?.deploymentPlans ?? [];
  return (
    <>
      <PageHeader
        title="Deployment plans"
        subtitle="Go-live runbooks of the releases, by change window. Open a plan to edit and approve it, or its command centre to run it. New plans are created from the release page."
      />
      <div className="filters">
        <div className="field field--inline">
          <label className="field__label" htmlFor="plans-show">
            Show
          </label>
          <select
            id="plans-show"
            value={show}
            onChange={(e) => {
              const n = new URLSearchParams(params);
              if (e.target.value === 'open') n.delete('show');
              else n.set('show', e.target.value);
              setParams(n, { replace: true });
            }}
          >
            {(Object.keys(PLAN_SHOW) as PlanShow[]).map((k) => (
              <option key={k} value={k}>
                {PLAN_SHOW[k].label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : plans.length === 0 ? (
        <Empty title={show === 'all' ? 'No deployment plans yet' : 'No deployment plans to show'}>
          {show === 'all' ? (
            <>
              Open a <Link to="/releases?status=active">release</Link> and add its go-live runbook under “Deployment plans”.
            </>
          ) : (
            'Choose another filter, or “All plans”.'
          )}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="plans-table">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Release</th>
                <th scope="col">Mode</th>
                <th scope="col">Change window</th>
                <th scope="col">Run</th>
                <th scope="col">
                  <span className="sr-only">Command centre</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => {
                const s = p.status;
                const done = s.counts.done + s.counts.skipped;
                return (
                  <tr key={p.id} className={s.atRisk && p.currentRun ? 'row--attention' : undefined}>
                    <th scope="row">
                      <Link to={`/plans/${p.id}`}>{p.name}</Link>
                    </th>
                    <td>
                      {p.release ? (
                        <>
                          <Link to={`/releases/${p.release.id}`}>{p.release.key}</Link>{' '}
                          <span className="muted small">go-live {formatDay(p.release.plannedGoLive)}</span>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <PlanModeBadge mode={p.mode} />
                    </td>
                    <td className="small">
                      {formatDateTime(p.windowStart)} → {formatDateTime(p.windowEnd)}
                    </td>
                    <td className="cell-progress">
                      {p.currentRun ? (
                        <>
                          <Progress value={done} max={s.counts.total} label={`${done} of ${s.counts.total} activities done`} />
                          <span className="small">
                            {done}/{s.counts.total} {s.atRisk ? <Badge value="CRITICAL" label="At risk" /> : null}
                          </span>
                        </>
                      ) : (
                        <span className="muted small">—</span>
                      )}
                    </td>
                    <td>
                      <Link className="btn btn--small" to={`/plans/${p.id}/command-centre`}>
                        Command centre
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
