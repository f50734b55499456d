import { useCallback, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { problems } from '../api/errors';
import type { BookingWithConflictsFieldsFragment } from '../gql/graphql';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { useBookingEvents } from './BookingsPage';
import { BookingLine } from './BookingSummary';
import {
  ApproveBookingMutation,
  BookingQueueQuery,
  ConflictingNodesQuery,
  RejectBookingMutation,
  WaitlistBookingMutation,
} from './documents';
import { holdsSlot } from './timeline';

type Booking = BookingWithConflictsFieldsFragment;

/** What stood in the way of an approval (the ids of a CONFLICT error), loaded by id. */
function ConflictingList({ ids }: { ids: string[] }) {
  const [{ data, error, fetching }] = useQuery({ query: ConflictingNodesQuery, variables: { ids } });
  if (fetching && !data) return <Loading label="Loading the conflicting bookings" />;
  if (!data) return <ErrorBanner error={error} />;
  return (
    <>
      <p className="small">
        <strong>In the way now:</strong>
      </p>
      <ul className="conflicts" aria-label="Conflicting bookings" data-testid="conflicting-bookings">
        {data.nodes.map((n, i) => {
          if (!n) return <li key={i}>Something no longer visible</li>;
          if (n.__typename === 'Booking') {
            return (
              <li key={n.id}>
                <BookingLine b={n} />
              </li>
            );
          }
          if (n.__typename === 'Blackout') {
            return <li key={n.id}>Blackout “{n.name}”</li>;
          }
          return <li key={n.id}>{n.__typename}</li>;
        })}
      </ul>
    </>
  );
}

function QueueItem({ b, onDecided }: { b: Booking; onDecided: (message: string) => void }) {
  const [mode, setMode] = useState<'approve' | 'reject' | null>(null);
  const [comment, setComment] = useState('');
  const [approve, approveBooking] = useMutation(ApproveBookingMutation);
  const [reject, rejectBooking] = useMutation(RejectBookingMutation);
  const [waitlist, waitlistBooking] = useMutation(WaitlistBookingMutation);
  const error = approve.error ?? reject.error ?? waitlist.error;
  const conflictIds = problems(error).flatMap((p) => (p.code === 'CONFLICT' ? (p.conflicting ?? []) : []));
  const holders = b.conflicts.filter((c) => holdsSlot(c.status));
  const label = `${b.environment?.name ?? ''} for ${b.release?.key ?? ''}`;

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const text = comment.trim();
    if (mode === 'approve') {
      const r = await approveBooking({ input: { id: b.id, ...(text ? { comment: text } : {}) } });
      if (!r.error) onDecided(`Approved ${label}.`);
    } else if (mode === 'reject') {
      const r = await rejectBooking({ input: { id: b.id, comment: text } });
      if (!r.error) onDecided(`Rejected ${label}.`);
    }
  }

  return (
    <li className={`card${b.conflicts.length > 0 ? ' queue__item--conflict' : ''}`} data-testid="queue-item" aria-label={label}>
      <BookingLine b={b} />
      {b.phase ? <span className="muted small"> · phase {b.phase.name}</span> : null}
      {b.conflicts.length > 0 ? (
        <div>
          <strong className="text-danger">
            Conflicts with {b.conflicts.length} booking{b.conflicts.length === 1 ? '' : 's'}
            {holders.length > 0 ? ` (${holders.length} holding the environment)` : ''}:
          </strong>
          <ul className="conflicts">
            {b.conflicts.map((c) => (
              <li key={c.id}>
                <BookingLine b={c} />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-success small">No conflicts: the environment has room.</p>
      )}
      <ErrorBanner error={error} />
      {conflictIds.length > 0 ? <ConflictingList ids={conflictIds} /> : null}
      {mode ? (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={`${mode === 'approve' ? 'Approve' : 'Reject'} ${label}`}>
          <div className="field">
            <label className="field__label" htmlFor={`comment-${b.id}`}>
              {mode === 'approve' ? 'Comment (optional)' : 'Why reject? (shown to the requester)'}
            </label>
            <input id={`comment-${b.id}`} value={comment} onChange={(e) => setComment(e.target.value)} required={mode === 'reject'} autoFocus />
          </div>
          <button
            type="submit"
            className={mode === 'approve' ? 'btn btn--primary' : 'btn btn--danger'}
            disabled={approve.fetching || reject.fetching || (mode === 'reject' && !comment.trim())}
          >
            {mode === 'approve' ? 'Confirm approval' : 'Confirm rejection'}
          </button>
          <button type="button" className="btn" onClick={() => setMode(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="button-row">
          <button type="button" className="btn btn--primary" aria-label={`Approve ${label}`} onClick={() => setMode('approve')}>
            Approve
          </button>
          <button type="button" className="btn btn--danger" aria-label={`Reject ${label}`} onClick={() => setMode('reject')}>
            Reject
          </button>
          {b.status === 'REQUESTED' && b.conflicts.length > 0 ? (
            <button
              type="button"
              className="btn"
              disabled={waitlist.fetching}
              onClick={() =>
                void waitlistBooking({ input: { id: b.id } }).then((r) => {
                  if (!r.error) onDecided(`${label} is on the waitlist.`);
                })
              }
            >
              Put on waitlist
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}

/** Environment managers' queue: open requests by start, with their conflicts. */
export function ApprovalQueuePage() {
  useTitle('Booking approvals');
  const [notice, setNotice] = useState<string | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: BookingQueueQuery,
    variables: { filter: { status: ['REQUESTED', 'WAITLISTED', 'OFFERED'] } },
  });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useBookingEvents(reload);
  const items = data?.bookings.nodes ?? [];
  return (
    <>
      <PageHeader
        title="Booking approvals"
        subtitle="Requests waiting for a decision, earliest first. A request that conflicts with an approved booking cannot be approved until the environment has room: reject it, or put it on the waitlist."
        actions={
          <Link className="btn" to="/bookings">
            Timeline
          </Link>
        }
      />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={reload} />
      ) : items.length === 0 ? (
        <Empty title="Nothing to decide">No booking requests are waiting.</Empty>
      ) : (
        <ul className="queue" data-testid="approval-queue">
          {items.map((b) => (
            <QueueItem
              key={b.id}
              b={b}
              onDecided={(m) => {
                setNotice(m);
                reload();
              }}
            />
          ))}
        </ul>
      )}
    </>
  );
}
