import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../test/utils';
import { TransitionPanel } from './TransitionPanel';

const release = { id: 'rel_1', key: 'ER-2027.03', status: 'IN_PROGRESS' as const, allowedTransitions: ['GO_LIVE', 'CANCELLED'] as ('GO_LIVE' | 'CANCELLED')[] };

describe('moving a release', () => {
  it('shows the server message of INVALID_TRANSITION', async () => {
    renderSignedIn(<TransitionPanel release={release} />, {
      roles: ['RELEASE_MANAGER'],
      answer: () => ({
        error: new CombinedError({
          graphQLErrors: [{ message: 'PR-3660 it depends on is not released yet', extensions: { code: 'INVALID_TRANSITION' } }],
        }),
      }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Move to Go live' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not possible now: PR-3660 it depends on is not released yet');
  });

  it('asks for a reason before cancelling and sends it', async () => {
    const { operations } = renderSignedIn(<TransitionPanel release={release} />, {
      roles: ['ADMIN'],
      answer: () => ({ data: { transitionRelease: { release: { ...release, status: 'CANCELLED', allowedTransitions: [] } } } }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Move to Cancelled' }));
    expect(operations).toHaveLength(0);
    const confirm = screen.getByRole('button', { name: 'Confirm cancelled' });
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Reason for cancelled/), 'Descoped by the CAB');
    await userEvent.click(confirm);
    expect(operations[0]?.variables).toEqual({ input: { id: 'rel_1', to: 'CANCELLED', reason: 'Descoped by the CAB' } });
    expect(await screen.findByText('ER-2027.03 is now cancelled.')).toBeInTheDocument();
  });

  it('is hidden from roles that may not transition', () => {
    renderSignedIn(<TransitionPanel release={release} />, { roles: ['PROJECT_MANAGER', 'VIEWER'] });
    expect(screen.queryByRole('heading', { name: 'Move release' })).toBeNull();
  });
});
