import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { renderSignedIn } from '../test/utils';
import { AdvancePhase, advanceLabel } from './AdvancePhase';

const sit = { id: 'p1', name: 'SIT', position: 1, actualStart: '2026-11-01T09:00:00Z', actualEnd: null };
const phases = [sit, { id: 'p2', name: 'UAT', position: 2, actualStart: null, actualEnd: null }];

describe('advancing a phase', () => {
  it('says what advancing does', () => {
    expect(advanceLabel(phases)).toBe('Finish SIT, start UAT');
    expect(advanceLabel(phases.map((p) => ({ ...p, actualStart: null })))).toBe('Start SIT');
    expect(advanceLabel([{ ...sit, actualStart: 'x', actualEnd: null }])).toBe('Finish SIT');
    expect(advanceLabel([{ ...sit, actualEnd: 'y' }])).toBeNull();
  });

  it('lists the unmet criteria when a gate blocks', async () => {
    renderSignedIn(<AdvancePhase release={{ id: 'rel_1', key: 'PR-1', status: 'IN_PROGRESS', phases }} />, {
      roles: ['RELEASE_MANAGER'],
      answer: () => ({
        error: new CombinedError({
          graphQLErrors: [
            {
              message: 'leaving phase SIT is blocked by gates that are not passed or waived',
              extensions: { code: 'GATE_BLOCKED', unmet: ['SIT exit: Test pass rate (NOT_MET)', 'SIT exit: Open defects (PENDING)'] },
            },
          ],
        }),
      }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Finish SIT, start UAT' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Blocked by a gate: leaving phase SIT is blocked');
    const list = screen.getByRole('list', { name: 'Unmet criteria' });
    expect(list).toHaveTextContent('SIT exit: Test pass rate (NOT_MET)');
    expect(list).toHaveTextContent('SIT exit: Open defects (PENDING)');
  });

  it('is not offered to roles that may not control releases', () => {
    renderSignedIn(<AdvancePhase release={{ id: 'rel_1', key: 'PR-1', status: 'IN_PROGRESS', phases }} />, { roles: ['PROJECT_MANAGER'] });
    expect(screen.queryByRole('button')).toBeNull();
  });
});
