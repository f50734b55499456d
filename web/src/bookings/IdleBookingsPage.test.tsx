import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Operation } from 'urql';
import { describe, expect, it } from 'vitest';
import { opName, renderSignedIn } from '../test/utils';
import { IdleBookingsPage, idleAgeOf } from './IdleBookingsPage';

const idle = {
  id: 'bkg_idle',
  status: 'APPROVED',
  purpose: 'SIT for PR-3602',
  startsAt: '2026-11-10T08:00:00Z',
  endsAt: '2026-11-30T18:00:00Z',
  requestedByName: 'Pete Project',
  requestedAt: '2026-11-01T08:00:00Z',
  decidedByName: 'Eric Environments',
  decidedAt: '2026-11-02T08:00:00Z',
  decisionComment: null,
  waitlistPosition: null,
  blackoutOverrideReason: null,
  environment: { id: 'env_uat1', name: 'UAT1', tier: 'UAT', capacity: 1 },
  release: { id: 'rel_1', key: 'PR-3602', name: 'PR-3602' },
  phase: null,
};

function answer(store: { nodes: (typeof idle)[]; cancelled: unknown[] }) {
  return (op: Operation) => {
    switch (opName(op)) {
      case 'IdleBookings':
        return { data: { idleBookings: { totalCount: store.nodes.length, pageInfo: { hasNextPage: false, endCursor: null }, nodes: store.nodes } } };
      case 'CancelBooking':
        store.cancelled.push(op.variables);
        store.nodes = [];
        return { data: { cancelBooking: { booking: { ...idle, status: 'CANCELLED', conflicts: [] } } } };
      default:
        return null;
    }
  };
}

describe('idle bookings', () => {
  it('lets an environment manager give an idle booking back, with a reason', async () => {
    const store = { nodes: [idle], cancelled: [] as unknown[] };
    renderSignedIn(<IdleBookingsPage />, { roles: ['ENVIRONMENT_MANAGER'], path: '/bookings/idle?age=48', answer: answer(store) });
    const table = await screen.findByTestId('idle-bookings');
    expect(within(table).getByRole('row', { name: /UAT1/ })).toHaveTextContent('approved by Eric Environments');
    expect(screen.getByLabelText('In use for at least')).toHaveValue('48');
    await userEvent.click(screen.getByRole('button', { name: 'Release UAT1 for PR-3602…' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel booking' }));
    expect(await screen.findByText('Cancelled the booking of UAT1 for PR-3602.')).toBeInTheDocument();
    expect(store.cancelled).toEqual([{ input: { id: 'bkg_idle', reason: 'Booked but idle: no deployment since it started' } }]);
    expect(await screen.findByText('No idle bookings')).toBeInTheDocument();
  });

  it('shows others the list without actions', async () => {
    renderSignedIn(<IdleBookingsPage />, { roles: ['VIEWER'], answer: answer({ nodes: [idle], cancelled: [] }) });
    const table = await screen.findByTestId('idle-bookings');
    expect(within(table).queryByRole('button')).toBeNull();
  });

  it('reads the age from the URL, only the offered ones', () => {
    expect(idleAgeOf(null)).toBe(24);
    expect(idleAgeOf('72')).toBe(72);
    expect(idleAgeOf('5')).toBe(24);
    expect(idleAgeOf('abc')).toBe(24);
  });
});
