import { Link } from 'react-router';
import type { BookingFieldsFragment } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { formatDateTime, humanize } from '../ui/format';

const STATUS_TONE: Record<string, string> = {
  REQUESTED: 'PLANNED',
  WAITLISTED: 'DRAFT',
  OFFERED: 'GO_LIVE',
  APPROVED: 'SUCCEEDED',
  REJECTED: 'FAILED',
  CANCELLED: 'CANCELLED',
};

export function BookingStatusBadge({ status, position }: { status: string; position?: number | null }) {
  return <Badge value={STATUS_TONE[status] ?? status} label={`${humanize(status)}${position ? ` #${position}` : ''}`} />;
}

/** One line about a booking: environment, release, period, who asked, its status. */
export function BookingLine({ b }: { b: BookingFieldsFragment }) {
  return (
    <span className="booking-line">
      <BookingStatusBadge status={b.status} position={b.waitlistPosition} /> <strong>{b.environment?.name ?? '—'}</strong>{' '}
      {b.release ? <Link to={`/releases/${b.release.id}`}>{b.release.key}</Link> : null}{' '}
      <span className="nowrap">
        {formatDateTime(b.startsAt)} → {formatDateTime(b.endsAt)}
      </span>{' '}
      <span className="muted small">
        {b.purpose} · {b.requestedByName}
      </span>
    </span>
  );
}
