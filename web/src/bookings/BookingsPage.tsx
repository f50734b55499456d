import { useCallback, useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/viewer';
import type { BookingCalendarQuery as CalendarData } from '../gql/graphql';
import { addDaysIso, formatDay, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useElementWidth } from '../ui/useElementWidth';
import { useNow } from '../ui/useNow';
import { useTitle } from '../ui/useTitle';
import { BookingLine, BookingStatusBadge } from './BookingSummary';
import { BookingCalendarQuery, BookingEventsSubscription, CancelBookingMutation } from './documents';
import { barX, holdsSlot, isSpan, rangeOf, SPANS, spanDays, stackRows, type Span } from './timeline';

type Lane = CalendarData['bookingCalendar'][number];
type Booking = Lane['bookings'][number];

/** Refetches when bookings or blackouts change anywhere (another manager's approval). */
export function useBookingEvents(onChange: () => void) {
  const [{ data }] = useSubscription({ query: BookingEventsSubscription });
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  }, [onChange]);
  useEffect(() => {
    if (!data) return;
    const t = window.setTimeout(() => callback.current(), 300);
    return () => window.clearTimeout(t);
  }, [data]);
}

const ROW = 30;
const LANE_PAD = 8;

function LaneChart({
  lane,
  range,
  width,
  selected,
  onSelect,
}: {
  lane: Lane;
  range: { from: string; to: string };
  width: number;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { rowOf, rows } = stackRows(lane.bookings);
  const height = rows * ROW + LANE_PAD;
  return (
    <svg width={width} height={height} className="bk-lane" role="group" aria-label={`Bookings of ${lane.environment.name}`}>
      {lane.blackouts.map((b) => {
        const g = barX(b.startsAt, b.endsAt, range, width);
        return g ? (
          <rect key={b.id} x={g.x} y={0} width={g.width} height={height} className="bk-blackout" data-testid="bk-blackout">
            <title>{`Blackout “${b.name}”${b.orgWide ? ' (org-wide)' : ''}`}</title>
          </rect>
        ) : null;
      })}
      {lane.bookings.map((b) => {
        const g = barX(b.startsAt, b.endsAt, range, width);
        if (!g) return null;
        const y = (rowOf.get(b.id) ?? 0) * ROW + LANE_PAD / 2;
        const conflict = b.conflicts.length > 0;
        const label = `${b.release?.key ?? ''} ${b.purpose}`;
        return (
          <g
            key={b.id}
            role="button"
            tabIndex={0}
            aria-label={`${b.environment?.name ?? ''} ${b.release?.key ?? ''}: ${b.status.toLowerCase()}${conflict ? `, conflicts with ${b.conflicts.length}` : ''}`}
            aria-pressed={selected === b.id}
            className={`bk-booking bk-booking--${b.status.toLowerCase()}${conflict ? ' bk-booking--conflict' : ''}${selected === b.id ? ' bk-booking--selected' : ''}`}
            data-testid="bk-booking"
            data-status={b.status}
            onClick={() => onSelect(b.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(b.id);
              }
            }}
          >
            <rect x={g.x} y={y} width={g.width} height={ROW - 6} rx={4} />
            {g.width > 40 ? (
              <text x={g.x + 5} y={y + ROW * 0.55} className="bk-booking__label">
                {label.length > g.width / 7 ? `${label.slice(0, Math.max(3, Math.floor(g.width / 7) - 1))}…` : label}
              </text>
            ) : null}
            <title>{`${label} (${b.status.toLowerCase()})${conflict ? ' — in conflict' : ''}`}</title>
          </g>
        );
      })}
    </svg>
  );
}

/** Cancels a booking (its requester, environment managers and admins; the server decides). */
function CancelBooking({ id, onDone }: { id: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [{ fetching, error }, cancel] = useMutation(CancelBookingMutation);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const r = await cancel({ input: { id, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
    if (!r.error) {
      setOpen(false);
      onDone();
    }
  }
  return (
    <>
      <ErrorBanner error={error} />
      {open ? (
        <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Cancel the booking">
          <div className="field">
            <label className="field__label" htmlFor={`cancel-${id}`}>
              Reason (optional)
            </label>
            <input id={`cancel-${id}`} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
          </div>
          <button type="submit" className="btn btn--danger" disabled={fetching}>
            Cancel booking
          </button>
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Keep it
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn--danger" onClick={() => setOpen(true)}>
          Cancel booking…
        </button>
      )}
    </>
  );
}

/** The booking timeline: one lane per environment, bookings by status, conflicts in red. */
export function BookingsPage() {
  useTitle('Environment bookings');
  const [params, setParams] = useSearchParams();
  const spanParam = params.get('span');
  const span: Span = isSpan(spanParam) ? spanParam : '4w';
  const fromParam = params.get('from');
  const from = fromParam && /^\d{4}-\d{2}-\d{2}$/.test(fromParam) ? fromParam : addDaysIso(todayIso(), -3);
  const group = params.get('group') ?? '';
  const days = spanDays(span);
  const range = rangeOf(from, days);
  const [selected, setSelected] = useState<string | null>(null);
  const now = useNow();
  const canRequest = useCan('REQUEST_BOOKINGS');
  const canDecide = useCan('DECIDE_BOOKINGS');
  const [{ data, error, fetching }, refetch] = useQuery({
    query: BookingCalendarQuery,
    variables: { filter: { from: range.from, to: range.to, ...(group ? { groupId: group } : {}) } },
  });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useBookingEvents(reload);
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box, 1000);
  const labelW = Math.min(180, width * 0.22);
  const chartW = Math.max(240, width - labelW - 16);

  function set(next: Record<string, string | null>) {
    const n = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) n.set(k, v);
      else n.delete(k);
    }
    setParams(n, { replace: true });
  }

  const lanes = data?.bookingCalendar ?? [];
  const all: Booking[] = lanes.flatMap((l) => l.bookings);
  const chosen = all.find((b) => b.id === selected) ?? null;
  const conflicts = all.filter((b) => b.conflicts.length > 0 && !holdsSlot(b.status));
  const ticks: string[] = [];
  const step = days <= 14 ? 1 : days <= 28 ? 2 : 7;
  for (let d = 0; d <= days; d += step) ticks.push(addDaysIso(from, d));
  const today = barX(new Date(now).toISOString(), new Date(now + 60_000).toISOString(), range, chartW);

  return (
    <>
      <PageHeader
        title="Environment bookings"
        subtitle="Who uses which environment when. Requests in conflict with another booking are outlined in red; blackouts are shaded."
        actions={
          <>
            {canRequest ? (
              <Link className="btn btn--primary" to="/bookings/request">
                Request environment
              </Link>
            ) : null}
            {canDecide ? (
              <Link className="btn" to="/bookings/approvals">
                Approval queue
              </Link>
            ) : null}
          </>
        }
      />
      <div className="toolbar" role="toolbar" aria-label="Timeline controls">
        <div className="button-row" role="group" aria-label="Span">
          {SPANS.map((s) => (
            <button key={s.span} type="button" className={s.span === span ? 'btn btn--primary' : 'btn'} aria-pressed={s.span === span} onClick={() => set({ span: s.span })}>
              {s.label}
            </button>
          ))}
        </div>
        <div className="button-row">
          <button type="button" className="btn" onClick={() => set({ from: addDaysIso(from, -Math.ceil(days / 2)) })}>
            ← Earlier
          </button>
          <button type="button" className="btn" onClick={() => set({ from: null })}>
            Today
          </button>
          <button type="button" className="btn" onClick={() => set({ from: addDaysIso(from, Math.ceil(days / 2)) })}>
            Later →
          </button>
        </div>
        <div className="field field--inline">
          <label className="field__label" htmlFor="bk-group">
            Group
          </label>
          <select id="bk-group" value={group} onChange={(e) => set({ group: e.target.value || null })}>
            <option value="">All environments</option>
            {(data?.environmentGroups ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <span className="muted small">
          {formatDay(range.from)} – {formatDay(addDaysIso(from, days - 1))}
        </span>
      </div>
      {conflicts.length > 0 ? (
        <p className="banner banner--warning" role="status">
          {conflicts.length} open request{conflicts.length === 1 ? '' : 's'} in this period conflict with other bookings.
        </p>
      ) : null}
      <div ref={box} className="bk-timeline" data-testid="booking-timeline">
        {!data && fetching ? (
          <Loading />
        ) : !data ? (
          <ErrorState error={error} onRetry={reload} />
        ) : lanes.length === 0 ? (
          <Empty title="No environments">There are no environments in this group.</Empty>
        ) : (
          <>
            <div className="bk-row bk-row--head" style={{ gridTemplateColumns: `${labelW}px ${chartW}px` }}>
              <span />
              <svg width={chartW} height={22} aria-hidden="true">
                {ticks.map((d) => {
                  const g = barX(`${d}T00:00:00Z`, `${d}T00:01:00Z`, range, chartW);
                  return g ? (
                    <text key={d} x={g.x + 2} y={15} className="cal-tick">
                      {d.slice(8, 10)}/{d.slice(5, 7)}
                    </text>
                  ) : null;
                })}
                {today ? <line x1={today.x} x2={today.x} y1={0} y2={22} className="cal-today" /> : null}
              </svg>
            </div>
            {lanes.map((lane) => (
              <div key={lane.environment.id} className="bk-row" style={{ gridTemplateColumns: `${labelW}px ${chartW}px` }} data-testid="bk-lane">
                <div className="bk-row__label">
                  <Link to={`/environments/${lane.environment.id}`}>{lane.environment.name}</Link>{' '}
                  <span className={`tier tier--${lane.environment.tier.toLowerCase()}`}>{lane.environment.tier}</span>
                  {lane.environment.capacity > 1 ? <span className="muted small"> ×{lane.environment.capacity}</span> : null}
                </div>
                <LaneChart lane={lane} range={range} width={chartW} selected={selected} onSelect={setSelected} />
              </div>
            ))}
            <ul className="legend" aria-label="Legend">
              <li>
                <span className="bk-swatch bk-booking--approved" /> Approved
              </li>
              <li>
                <span className="bk-swatch bk-booking--requested" /> Requested
              </li>
              <li>
                <span className="bk-swatch bk-booking--waitlisted" /> Waitlisted / offered
              </li>
              <li>
                <span className="bk-swatch bk-booking--conflict" /> In conflict
              </li>
              <li>
                <span className="bk-swatch bk-blackout" /> Blackout
              </li>
            </ul>
          </>
        )}
      </div>
      {chosen ? (
        <section className="card section" aria-label="Selected booking" data-testid="booking-details">
          <h2>
            {chosen.environment?.name} · {chosen.release?.key} <BookingStatusBadge status={chosen.status} position={chosen.waitlistPosition} />
          </h2>
          <BookingLine b={chosen} />
          {chosen.decisionComment ? <p>Decision: {chosen.decisionComment}</p> : null}
          {canRequest && chosen.status !== 'CANCELLED' && chosen.status !== 'REJECTED' ? (
            <CancelBooking id={chosen.id} onDone={reload} />
          ) : null}
          {chosen.conflicts.length > 0 ? (
            <>
              <h3 className="h4">Conflicts with</h3>
              <ul className="list">
                {chosen.conflicts.map((c) => (
                  <li key={c.id}>
                    <BookingLine b={c} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">No conflicts.</p>
          )}
        </section>
      ) : null}
    </>
  );
}
