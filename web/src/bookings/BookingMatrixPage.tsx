import { Link } from 'react-router';
import { useQuery } from 'urql';
import { formatDay } from '../ui/format';
import { DayRangeToolbar, useDayRange, type DayRange } from './DayRange';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { BookingMatrixQuery } from './documents';
import { activeCount, cellText, cellTone, matrixGrid } from './matrix';

export const MATRIX_RANGES = [
  { key: 'next30', label: 'Next 30 days', from: 0, to: 30 },
  { key: 'next90', label: 'Next 90 days', from: 0, to: 90 },
  { key: 'past30', label: 'Last 30 days', from: -30, to: 0 },
] as const satisfies readonly DayRange[];

/** Environment × release: which releases hold or want which environments over a range. */
export function BookingMatrixPage() {
  useTitle('Booking matrix');
  const { range, from, to, pick } = useDayRange(MATRIX_RANGES, MATRIX_RANGES[0]);
  const [{ data, error, fetching }, refetch] = useQuery({ query: BookingMatrixQuery, variables: { filter: { from, to } } });
  const grid = data ? matrixGrid(data.bookingMatrix) : null;
  return (
    <>
      <PageHeader
        title="Booking matrix"
        subtitle="Environments against releases: the bookings overlapping the range per pair. Amber cells wait for a decision; open the approvals to decide them."
        actions={
          <Link className="btn" to="/bookings/approvals">
            Booking approvals
          </Link>
        }
      />
      <DayRangeToolbar ranges={MATRIX_RANGES} range={range} from={from} to={to} pick={pick} />
      {!data && fetching ? (
        <Loading />
      ) : !grid ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : grid.environments.length === 0 ? (
        <Empty title="No bookings in this range" />
      ) : (
        <>
          <ErrorBanner error={error} />
          <div className="table-wrap">
            <table className="table matrix" data-testid="booking-matrix">
              <caption className="sr-only">
                Bookings per environment and release, {formatDay(from)} to {formatDay(to)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Environment</th>
                  {grid.releases.map((r) => (
                    <th key={r.id} scope="col" title={r.name}>
                      <Link to={`/releases/${r.id}`}>{r.key}</Link>
                    </th>
                  ))}
                  <th scope="col">Releases</th>
                </tr>
              </thead>
              <tbody>
                {grid.environments.map((e) => {
                  const inPlay = grid.releases.filter((r) => {
                    const c = grid.cell(e.id, r.id);
                    return c ? activeCount(c) > 0 : false;
                  }).length;
                  return (
                    <tr key={e.id}>
                      <th scope="row">
                        <Link to={`/environments/${e.id}`}>{e.name}</Link> <span className="muted small">{e.tier}</span>
                      </th>
                      {grid.releases.map((r) => {
                        const c = grid.cell(e.id, r.id);
                        const tone = cellTone(c);
                        return (
                          <td key={r.id} className={`matrix__cell matrix__cell--${tone}`} data-tone={tone} data-env={e.name} data-release={r.key}>
                            {c && tone !== 'empty' ? cellText(c) : <span className="muted" aria-label="none">·</span>}
                          </td>
                        );
                      })}
                      <td className={inPlay > 1 ? 'matrix__shared' : undefined}>{inPlay}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
