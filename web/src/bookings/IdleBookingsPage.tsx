import { useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../auth/viewer';
import type { BookingFieldsFragment } from '../gql/graphql';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Pager, useCursorPager } from '../ui/Pager';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { CancelBookingMutation, IdleBookingsQuery } from './documents';

const PAGE_SIZE = 25;
export const IDLE_AGES = [24, 48, 72, 168] as const;

/** `?age=` as one of the offered ages in hours (24 by default, the server's default too). */
export function idleAgeOf(value: string | null): (typeof IDLE_AGES)[number] {
  const n = Number(value);
  return IDLE_AGES.find((a) => a === n) ?? 24;
}

function CancelIdle({ b, onDone }: { b: BookingFieldsFragment; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('Booked but idle: no deployment since it started');
  const [{ fetching, error }, cancel] = useMutation(CancelBookingMutation);
  const name = `${b.environment?.name ?? 'environment'} for ${b.release?.key ?? 'release'}`;
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const r = await cancel({ input: { id: b.id, reason: reason.trim() || null } });
    if (!r.error) {
      setOpen(false);
      onDone(`Cancelled the booking of ${name}.`);
    }
  }
  if (!open) {
    return (
      <button type="button" className="btn btn--small btn--danger" aria-label={`Release ${name}…`} onClick={() => setOpen(true)}>
        Release…
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={`Release ${name}`}>
      <ErrorBanner error={error} />
      <div className="field">
        <label className="field__label" htmlFor={`idle-reason-${b.id}`}>
          Reason
        </label>
        <input id={`idle-reason-${b.id}`} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </div>
      <button type="submit" className="btn btn--small btn--danger" disabled={fetching}>
        Cancel booking
      </button>
      <button type="button" className="btn btn--small" onClick={() => setOpen(false)}>
        Keep it
      </button>
    </form>
  );
}

/**
 * Approved bookings in use for a while with no deployment of their release on their
 * environment (`idleBookings`): environments booked but idle, which environment managers can
 * give back.
 */
export function IdleBookingsPage() {
  useTitle('Idle bookings');
  const [params, setParams] = useSearchParams();
  const age = idleAgeOf(params.get('age'));
  const canDecide = useCan('DECIDE_BOOKINGS');
  const pager = useCursorPager();
  const [notice, setNotice] = useState<string | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: IdleBookingsQuery,
    variables: { filter: { minAgeHours: age }, first: PAGE_SIZE, after: pager.after },
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const list = data?.idleBookings;
  return (
    <>
      <PageHeader
        title="Idle bookings"
        subtitle="Approved bookings of the last 30 days, in use for a while, that saw no deployment of their release on their environment."
      />
      <div className="filters">
        <div className="field field--inline">
          <label className="field__label" htmlFor="idle-age">
            In use for at least
          </label>
          <select
            id="idle-age"
            value={age}
            onChange={(e) => {
              pager.reset();
              setParams({ age: e.target.value }, { replace: true });
            }}
          >
            {IDLE_AGES.map((a) => (
              <option key={a} value={a}>
                {a % 24 === 0 ? `${a / 24} day${a === 24 ? '' : 's'}` : `${a} hours`}
              </option>
            ))}
          </select>
        </div>
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {!list && fetching ? (
        <Loading />
      ) : !list ? (
        <ErrorState error={error} onRetry={reload} />
      ) : list.nodes.length === 0 ? (
        <Empty title="No idle bookings">Every approved booking in use saw a deployment of its release.</Empty>
      ) : (
        <>
          <ErrorBanner error={error} />
          <div className="table-wrap">
            <table className="table" data-testid="idle-bookings">
              <thead>
                <tr>
                  <th scope="col">Environment</th>
                  <th scope="col">Release</th>
                  <th scope="col">Booked</th>
                  <th scope="col">Purpose</th>
                  <th scope="col">Requested by</th>
                  {canDecide ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {list.nodes.map((b) => (
                  <tr key={b.id}>
                    <th scope="row">{b.environment ? <Link to={`/environments/${b.environment.id}`}>{b.environment.name}</Link> : '—'}</th>
                    <td>{b.release ? <Link to={`/releases/${b.release.id}`}>{b.release.key}</Link> : '—'}</td>
                    <td className="small nowrap">
                      {formatDateTime(b.startsAt)} → {formatDateTime(b.endsAt)}
                    </td>
                    <td>{b.purpose}</td>
                    <td>
                      {b.requestedByName}
                      {b.decidedByName ? <div className="muted small">approved by {b.decidedByName}</div> : null}
                    </td>
                    {canDecide ? (
                      <td>
                        <CancelIdle
                          b={b}
                          onDone={(m) => {
                            setNotice(m);
                            reload();
                          }}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={pager.page}
            pageSize={PAGE_SIZE}
            total={list.totalCount}
            hasPrevious={pager.hasPrevious}
            hasNext={list.pageInfo.hasNextPage}
            onPrevious={pager.previous}
            onNext={() => pager.next(list.pageInfo.endCursor)}
          />
        </>
      )}
    </>
  );
}
