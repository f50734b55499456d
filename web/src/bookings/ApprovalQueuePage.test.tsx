import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { opName, renderSignedIn } from '../test/utils';
import { ApprovalQueuePage } from './ApprovalQueuePage';

function booking(id: string, release: string, status: string, conflicts: unknown[] = []) {
  return {
    id,
    status,
    purpose: `Testing ${release}`,
    startsAt: '2026-12-01T08:00:00Z',
    endsAt: '2026-12-05T18:00:00Z',
    requestedByName: 'Pete Project',
    requestedAt: '2026-11-20T08:00:00Z',
    decidedByName: null,
    decidedAt: null,
    decisionComment: null,
    waitlistPosition: null,
    blackoutOverrideReason: null,
    environment: { id: 'env_uat1', name: 'UAT1', tier: 'UAT', capacity: 1 },
    release: { id: `rel_${release}`, key: release, name: release },
    phase: null,
    conflicts,
  };
}

const holder = booking('bkg_holder', 'PR-3602', 'APPROVED');
const request = booking('bkg_req', 'PR-3603', 'REQUESTED', [holder]);

describe('the booking approval queue', () => {
  it('shows conflicts before deciding, and the CONFLICT error with the bookings in the way', async () => {
    const seen: string[] = [];
    renderSignedIn(<ApprovalQueuePage />, {
      roles: ['ENVIRONMENT_MANAGER'],
      answer: (op) => {
        const name = opName(op) ?? '';
        seen.push(name);
        if (name === 'BookingQueue') return { data: { bookings: { totalCount: 1, nodes: [request] } } };
        if (name === 'ApproveBooking') {
          return {
            error: new CombinedError({
              graphQLErrors: [{ message: 'UAT1 is fully booked for that period', extensions: { code: 'CONFLICT', conflicting: ['bkg_holder'] } }],
            }),
          };
        }
        if (name === 'ConflictingNodes') {
          expect(op.variables).toEqual({ ids: ['bkg_holder'] });
          return { data: { nodes: [{ __typename: 'Booking', ...holder }] } };
        }
        return null;
      },
    });
    const item = await screen.findByRole('listitem', { name: 'UAT1 for PR-3603' });
    expect(within(item).getByText(/Conflicts with 1 booking \(1 holding the environment\)/)).toBeInTheDocument();
    await userEvent.click(within(item).getByRole('button', { name: 'Approve UAT1 for PR-3603' }));
    await userEvent.click(within(item).getByRole('button', { name: 'Confirm approval' }));
    const alert = await within(item).findByRole('alert');
    expect(alert).toHaveTextContent('Conflict: UAT1 is fully booked for that period');
    const list = await within(item).findByTestId('conflicting-bookings');
    expect(within(list).getByText('PR-3602')).toBeInTheDocument();
    expect(seen).toContain('ConflictingNodes');
  });

  it('needs a comment to reject', async () => {
    renderSignedIn(<ApprovalQueuePage />, {
      roles: ['ENVIRONMENT_MANAGER'],
      answer: (op) => (opName(op) === 'BookingQueue' ? { data: { bookings: { totalCount: 1, nodes: [request] } } } : null),
    });
    const item = await screen.findByRole('listitem', { name: 'UAT1 for PR-3603' });
    await userEvent.click(within(item).getByRole('button', { name: 'Reject UAT1 for PR-3603' }));
    const confirm = within(item).getByRole('button', { name: 'Confirm rejection' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(item).getByLabelText(/Why reject/), 'Clashes with the UAT freeze');
    expect(confirm).toBeEnabled();
  });

  it('says when nothing waits', async () => {
    renderSignedIn(<ApprovalQueuePage />, {
      roles: ['ENVIRONMENT_MANAGER'],
      answer: (op) => (opName(op) === 'BookingQueue' ? { data: { bookings: { totalCount: 0, nodes: [] } } } : null),
    });
    expect(await screen.findByText('Nothing to decide')).toBeInTheDocument();
  });
});
