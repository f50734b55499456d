import { Link } from 'react-router';
import { useQuery } from 'urql';
import { DayRangeToolbar, useDayRange, type DayRange } from './DayRange';
import { StackedBarChart } from '../ui/charts';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { UtilizationQuery } from './documents';

const RANGES = [
  { key: 'past30', label: 'Last 30 days', from: -30, to: 0 },
  { key: 'next30', label: 'Next 30 days', from: 0, to: 30 },
  { key: 'next90', label: 'Next 90 days', from: 0, to: 90 },
] as const satisfies readonly DayRange[];

/** A colour from green (idle) through amber to red (full). */
export function loadColor(share: number): string {
  if (share >= 0.9) return '#dc2626';
  if (share >= 0.7) return '#d97706';
  if (share >= 0.4) return '#2563eb';
  return '#16a34a';
}

/** Booked against available hours per environment, group and release. */
export function UtilizationPage() {
  useTitle('Environment utilization');
  const { range, from, to, pick } = useDayRange(RANGES, RANGES[1]);
  const [{ data, error, fetching }, refetch] = useQuery({ query: UtilizationQuery, variables: { filter: { from, to } } });
  const report = data?.environmentUtilization;
  const envs = [...(report?.environments ?? [])].sort((a, b) => b.utilization - a.utilization);
  return (
    <>
      <PageHeader title="Environment utilization" subtitle="Hours of approved bookings against the hours available (range × capacity)." />
      <DayRangeToolbar ranges={RANGES} range={range} from={from} to={to} pick={pick} />
      {!data && fetching ? (
        <Loading />
      ) : !report ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : envs.length === 0 ? (
        <Empty title="No environments" />
      ) : (
        <div className="grid-2">
          <section className="card" aria-labelledby="util-envs">
            <h2 id="util-envs">By environment (% of available hours)</h2>
            <StackedBarChart
              testId="utilization-chart"
              label="Utilization by environment"
              max={100}
              unit="%"
              rows={envs.map((e) => ({
                id: e.environment.id,
                label: e.environment.name,
                segments: [{ key: 'booked', label: 'Booked', value: Math.round(e.utilization * 100), color: loadColor(e.utilization) }],
              }))}
            />
          </section>
          <section className="card" aria-labelledby="util-groups">
            <h2 id="util-groups">By group</h2>
            <StackedBarChart
              label="Utilization by group"
              max={100}
              unit="%"
              rows={report.groups.map((g, i) => ({
                id: g.group?.id ?? `none-${i}`,
                label: `${g.group?.name ?? 'Ungrouped'} (${g.environments})`,
                segments: [{ key: 'booked', label: 'Booked', value: Math.round(g.utilization * 100), color: loadColor(g.utilization) }],
              }))}
            />
            <h2 id="util-releases" className="section">
              Releases by booked hours
            </h2>
            {report.releases.length === 0 ? (
              <Empty title="No approved bookings in this range" />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Release</th>
                      <th scope="col">Hours</th>
                      <th scope="col">Bookings</th>
                      <th scope="col">Environments</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.releases.map((r, i) => (
                      <tr key={r.release?.id ?? i}>
                        <th scope="row">{r.release ? <Link to={`/releases/${r.release.id}`}>{r.release.key}</Link> : '—'}</th>
                        <td>{Math.round(r.bookedHours)}</td>
                        <td>{r.bookings}</td>
                        <td>{r.environments}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </>
  );
}
