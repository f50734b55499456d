import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import type { BookingWithConflictsFieldsFragment } from '../gql/graphql';
import { Field } from '../ui/Field';
import { formatDateTime, fromLocalInput, toLocalInput } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { ErrorBanner, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { BookingLine } from './BookingSummary';
import { BookingQueueQuery, EnvironmentOptionsQuery, RequestBookingsMutation } from './documents';

const BookableReleasesQuery = graphql(`
  query BookableReleases {
    releases(filter: { status: [DRAFT, PLANNED, IN_PROGRESS, GO_LIVE] }, first: 100, orderBy: { field: KEY }) {
      nodes {
        id
        key
        name
        phases {
          id
          name
          position
        }
      }
    }
  }
`);

const NextFreeSlotQuery = graphql(`
  query NextFreeSlot($environmentId: ID!, $minutes: Int!, $notBefore: DateTime) {
    nextFreeSlot(environmentId: $environmentId, minutes: $minutes, notBefore: $notBefore) {
      slot {
        startsAt
        endsAt
        environment {
          id
          name
        }
      }
      alternatives {
        startsAt
        endsAt
        environment {
          id
          name
        }
      }
    }
  }
`);

const FIELDS = ['environmentIds', 'releaseId', 'phaseId', 'startsAt', 'endsAt', 'purpose', 'recurrence', 'recurrence.count', 'count', 'overrideBlackoutReason'];

/** Start of tomorrow 08:00 and end 18:00 four days later, local time. */
function defaultPeriod(): [string, string] {
  const s = new Date();
  s.setDate(s.getDate() + 1);
  s.setHours(8, 0, 0, 0);
  const e = new Date(s);
  e.setDate(e.getDate() + 4);
  e.setHours(18, 0, 0, 0);
  return [toLocalInput(s.toISOString()), toLocalInput(e.toISOString())];
}

/** The period the form asks for, when it is a valid one. */
export function periodOf(start: string, end: string): { startsAt: string; endsAt: string; minutes: number } | null {
  const s = fromLocalInput(start);
  const e = fromLocalInput(end);
  if (!s || !e) return null;
  const minutes = Math.round((Date.parse(e) - Date.parse(s)) / 60_000);
  return minutes > 0 ? { startsAt: s, endsAt: e, minutes } : null;
}

/** Before submitting: what the period runs into on the environment, and when it is next free. */
function Preflight({
  environmentId,
  period,
  onUseSlot,
}: {
  environmentId: string;
  period: { startsAt: string; endsAt: string; minutes: number };
  onUseSlot: (environmentId: string, startsAt: string, endsAt: string) => void;
}) {
  const [overlap] = useQuery({
    query: BookingQueueQuery,
    variables: {
      filter: { environmentIds: [environmentId], from: period.startsAt, to: period.endsAt, status: ['APPROVED', 'OFFERED', 'REQUESTED', 'WAITLISTED'] },
    },
  });
  const [free] = useQuery({
    query: NextFreeSlotQuery,
    variables: { environmentId, minutes: period.minutes, notBefore: period.startsAt },
  });
  const existing = overlap.data?.bookings.nodes ?? [];
  const holding = existing.filter((b) => b.status === 'APPROVED' || b.status === 'OFFERED');
  const slot = free.data?.nextFreeSlot.slot;
  const fits = slot && slot.startsAt === period.startsAt;
  return (
    <section className="card section" aria-label="Availability" data-testid="preflight">
      <h2>Availability</h2>
      {overlap.fetching && !overlap.data ? <Loading label="Checking the environment" /> : null}
      <ErrorBanner error={overlap.error ?? free.error} />
      {overlap.data ? (
        existing.length === 0 ? (
          <p className="text-success" data-testid="preflight-clear">
            No other booking overlaps this period.
          </p>
        ) : (
          <>
            <p className={holding.length > 0 ? 'text-danger' : undefined} data-testid="preflight-conflicts">
              <strong>
                {existing.length} booking{existing.length === 1 ? '' : 's'} overlap this period
                {holding.length > 0 ? ` (${holding.length} approved)` : ''}:
              </strong>
            </p>
            <ul className="conflicts">
              {existing.map((b) => (
                <li key={b.id}>
                  <BookingLine b={b} />
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
      {free.data ? (
        slot ? (
          <p data-testid="next-free-slot">
            {fits ? 'The environment has room for the whole period.' : 'Next free slot of this length: '}
            {!fits ? (
              <>
                <strong>
                  {formatDateTime(slot.startsAt)} → {formatDateTime(slot.endsAt)}
                </strong>{' '}
                <button type="button" className="btn btn--small" onClick={() => onUseSlot(slot.environment.id, slot.startsAt, slot.endsAt)}>
                  Use this slot
                </button>
              </>
            ) : null}
          </p>
        ) : (
          <p className="text-danger">No free slot of this length within 90 days.</p>
        )
      ) : null}
      {free.data && free.data.nextFreeSlot.alternatives.length > 0 ? (
        <>
          <h3 className="h4">Alternatives of the same tier</h3>
          <ul className="list">
            {free.data.nextFreeSlot.alternatives.map((a) => (
              <li key={a.environment.id + a.startsAt} className="button-row">
                <strong>{a.environment.name}</strong> {formatDateTime(a.startsAt)} → {formatDateTime(a.endsAt)}
                <button type="button" className="btn btn--small" onClick={() => onUseSlot(a.environment.id, a.startsAt, a.endsAt)}>
                  Use {a.environment.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** A project manager asks for an environment for a period, seeing conflicts first. */
export function RequestBookingPage() {
  useTitle('Request an environment');
  const canOverride = useCan('OVERRIDE_BLACKOUTS');
  const [envs] = useQuery({ query: EnvironmentOptionsQuery });
  const [rels] = useQuery({ query: BookableReleasesQuery });
  const [environmentId, setEnvironmentId] = useState('');
  const [releaseId, setReleaseId] = useState('');
  const [phaseId, setPhaseId] = useState('');
  const [[start, end], setPeriod] = useState(defaultPeriod);
  const [purpose, setPurpose] = useState('');
  const [waitlist, setWaitlist] = useState(false);
  const [repeat, setRepeat] = useState<'NONE' | 'DAILY' | 'WEEKLY'>('NONE');
  const [count, setCount] = useState('4');
  const [override, setOverride] = useState('');
  const [created, setCreated] = useState<BookingWithConflictsFieldsFragment[] | null>(null);
  const [{ fetching, error }, request] = useMutation(RequestBookingsMutation);
  const errors = fieldErrors(error);
  const period = periodOf(start, end);
  const release = rels.data?.releases.nodes.find((r) => r.id === releaseId);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (!period) return;
    const r = await request({
      input: {
        environmentIds: [environmentId],
        releaseId,
        ...(phaseId ? { phaseId } : {}),
        startsAt: period.startsAt,
        endsAt: period.endsAt,
        purpose: purpose.trim(),
        waitlist,
        ...(repeat !== 'NONE' ? { recurrence: { frequency: repeat, count: Number(count) } } : {}),
        ...(override.trim() ? { overrideBlackoutReason: override.trim() } : {}),
      },
    });
    if (r.data) setCreated(r.data.requestBookings.bookings);
  }

  return (
    <>
      <PageHeader title="Request an environment" subtitle="Ask for an environment for a period of a release. Conflicts and the next free slot are shown before you submit; an environment manager approves the request." />
      {created ? (
        <Notice tone="success">
          <strong>Request sent.</strong>
          <ul className="list" data-testid="created-bookings">
            {created.map((b) => (
              <li key={b.id}>
                <BookingLine b={b} />
                {b.conflicts.length > 0 ? <span className="text-danger small"> — conflicts with {b.conflicts.length}</span> : null}
              </li>
            ))}
          </ul>
          <Link to="/bookings">See the timeline</Link>
        </Notice>
      ) : null}
      <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="Request an environment">
        <div className="form-grid__full">
          <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
          <ErrorBanner error={envs.error ?? rels.error} />
        </div>
        <Field label="Environment" error={errors.environmentIds}>
          <select value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)} required>
            <option value="">{envs.data ? 'Choose an environment' : 'Loading…'}</option>
            {(envs.data?.environments.nodes ?? []).map((env) => (
              <option key={env.id} value={env.id}>
                {env.name} ({env.tier}
                {env.status !== 'AVAILABLE' ? `, ${env.status.toLowerCase()}` : ''})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Release" error={errors.releaseId}>
          <select
            value={releaseId}
            onChange={(e) => {
              setReleaseId(e.target.value);
              setPhaseId('');
            }}
            required
          >
            <option value="">{rels.data ? 'Choose a release' : 'Loading…'}</option>
            {(rels.data?.releases.nodes ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.key} — {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Phase" error={errors.phaseId}>
          <select value={phaseId} onChange={(e) => setPhaseId(e.target.value)} disabled={!release}>
            <option value="">Any phase</option>
            {(release?.phases ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From" error={errors.startsAt} hint="Your local time">
          <input type="datetime-local" value={start} onChange={(e) => setPeriod([e.target.value, end])} required />
        </Field>
        <Field label="Until" error={errors.endsAt ?? (start && end && !period ? 'must be after the start' : undefined)}>
          <input type="datetime-local" value={end} onChange={(e) => setPeriod([start, e.target.value])} required />
        </Field>
        <Field label="Purpose" error={errors.purpose}>
          <input value={purpose} onChange={(e) => setPurpose(e.target.value)} required placeholder="e.g. SIT of the payments adapter" />
        </Field>
        <Field label="Repeat" error={errors.recurrence}>
          <select value={repeat} onChange={(e) => setRepeat(e.target.value as 'NONE' | 'DAILY' | 'WEEKLY')}>
            <option value="NONE">Once</option>
            <option value="DAILY">Every day</option>
            <option value="WEEKLY">Every week</option>
          </select>
        </Field>
        {repeat !== 'NONE' ? (
          <Field label="Occurrences, the first included" error={errors['recurrence.count'] ?? errors.count}>
            <input type="number" min={1} max={104} step={1} value={count} onChange={(e) => setCount(e.target.value)} required />
          </Field>
        ) : null}
        <label className="checkbox form-grid__full">
          <input type="checkbox" checked={waitlist} onChange={(e) => setWaitlist(e.target.checked)} /> Join the waitlist when the slot is full
        </label>
        {canOverride ? (
          <Field label="Book into a blackout, because… (only if needed)" error={errors.overrideBlackoutReason}>
            <input value={override} onChange={(e) => setOverride(e.target.value)} />
          </Field>
        ) : null}
        <div className="button-row form-grid__full">
          <button type="submit" className="btn btn--primary" disabled={fetching || !period || !environmentId || !releaseId || !purpose.trim()}>
            Send request
          </button>
        </div>
      </form>
      {environmentId && period ? (
        <Preflight
          environmentId={environmentId}
          period={period}
          onUseSlot={(envId, s, e) => {
            setEnvironmentId(envId);
            setPeriod([toLocalInput(s), toLocalInput(e)]);
          }}
        />
      ) : null}
    </>
  );
}
