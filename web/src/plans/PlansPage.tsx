import { Link } from 'react-router';
import { useQuery } from 'urql';
import { formatDateTime, formatDay } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Progress } from '../ui/Progress';
import { Badge } from '../ui/Badge';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { PlansOverviewQuery } from './editorDocuments';
import { PlanModeBadge } from './PlanModeBadge';

/** Every deployment plan of the active releases, with its mode and the progress of its run. */
export function PlansPage() {
  useTitle('Deployment plans');
  const [{ data, error, fetching }, refetch] = useQuery({
    query: PlansOverviewQuery,
    variables: { filter: { status: ['DRAFT', 'PLANNED', 'IN_PROGRESS', 'GO_LIVE', 'RELEASED', 'ROLLED_BACK'] } },
  });
  const releases = (data?.releases.nodes ?? []).filter((r) => r.deploymentPlans.length > 0);
  return (
    <>
      <PageHeader
        title="Deployment plans"
        subtitle="Go-live runbooks of the releases (cancelled ones aside). Open a plan to edit and approve it, or its command centre to run it. New plans are created from the release page."
      />
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : releases.length === 0 ? (
        <Empty title="No deployment plans yet">
          Open a <Link to="/releases?status=active">release</Link> and add its go-live runbook under “Deployment plans”.
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
              {releases.flatMap((r) =>
                r.deploymentPlans.map((p) => {
                  const s = p.status;
                  const done = s.counts.done + s.counts.skipped;
                  return (
                    <tr key={p.id} className={s.atRisk && p.currentRun ? 'row--attention' : undefined}>
                      <th scope="row">
                        <Link to={`/plans/${p.id}`}>{p.name}</Link>
                      </th>
                      <td>
                        <Link to={`/releases/${r.id}`}>{r.key}</Link> <span className="muted small">go-live {formatDay(r.plannedGoLive)}</span>
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
                }),
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
