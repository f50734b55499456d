import { act, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { makeSubject } from 'wonka';
import type { Operation, OperationResult } from 'urql';
import { describe, expect, it } from 'vitest';
import type { Role } from '../gql/graphql';
import { goLiveUpdate, liveActivity } from '../test/goLive';
import { opName, renderSignedIn } from '../test/utils';
import type { LiveActivity } from './board';
import { CommandCentrePage } from './CommandCentrePage';

const plan = {
  deploymentPlan: {
    id: 'pln_1',
    name: 'Payments cut-over',
    mode: 'EXECUTING',
    windowStart: '2026-11-23T20:00:00Z',
    windowEnd: '2026-11-24T02:00:00Z',
    release: { id: 'rel_1', key: 'GL-1', name: 'Payments', status: 'GO_LIVE' },
    sets: [],
    raci: [{ id: 'rac_1', role: 'ACCOUNTABLE', team: null, user: { id: 'usr_ian', displayName: 'Ian' } }],
  },
};

function activity(id: string, title: string, status: string, kind = 'MANUAL', ownerId: string | null = 'usr_ian') {
  return liveActivity(id, { title, status, kind, ownerId, ownerName: 'Ian', critical: true } as Partial<LiveActivity>);
}

function message(kind: 'SNAPSHOT' | 'DELTA', version: number, activities: LiveActivity[], over: Record<string, unknown> = {}) {
  const counts = { pending: 1, ready: 1, inProgress: 0, done: 0, failed: 0, skipped: 0, blocked: 0, total: 2 };
  return { goLiveStatus: goLiveUpdate(kind, version, activities, { criticalPath: ['a1', 'a2'], counts, ...over }) };
}

function setup(roles: Role[], userId?: string) {
  const live = makeSubject<OperationResult>();
  let subscription: Operation | null = null;
  const utils = renderSignedIn(
    <Routes>
      <Route path="/plans/:id/command-centre" element={<CommandCentrePage />} />
    </Routes>,
    {
      roles,
      userId,
      path: '/plans/pln_1/command-centre',
      answer: (op) => (opName(op) === 'CommandCentrePlan' ? { data: plan } : null),
      subscribe: (op) => {
        subscription = op;
        return live.source;
      },
    },
  );
  const push = (data: unknown) =>
    act(() => {
      if (subscription) live.next({ operation: subscription, data, stale: false, hasNext: true } as OperationResult);
    });
  return { ...utils, push };
}

describe('the command centre', () => {
  it('shows the snapshot, then applies deltas without a reload, and turns red at risk', async () => {
    const { push } = setup(['VIEWER']);
    await screen.findByText('Waiting for the live status…');
    push(message('SNAPSHOT', 1, [activity('a1', 'Deploy payments', 'READY'), activity('a2', 'Smoke test', 'PENDING')]));
    const next = await screen.findByTestId('cc-lane-next');
    expect(within(next).getByRole('listitem', { name: 'Deploy payments' })).toBeInTheDocument();
    expect(screen.getByTestId('cc-progress')).toHaveTextContent('0%');
    expect(within(screen.getByTestId('cc-critical')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Deploy payments', 'Smoke test']);

    push(
      message('DELTA', 2, [{ ...activity('a1', 'Deploy payments', 'DONE'), finishedAt: '2026-11-23T20:40:00Z' }], {
        progress: 0.5,
        atRisk: true,
        projectedFinish: '2026-11-24T02:30:00Z',
        counts: { pending: 0, ready: 1, inProgress: 0, done: 1, failed: 0, skipped: 0, blocked: 0, total: 2 },
      }),
    );
    expect(within(screen.getByTestId('cc-lane-done')).getByRole('listitem', { name: 'Deploy payments' })).toBeInTheDocument();
    // The other activity is untouched by the delta.
    expect(within(screen.getByTestId('cc-lane-later')).getByRole('listitem', { name: 'Smoke test' })).toBeInTheDocument();
    expect(screen.getByTestId('cc-progress')).toHaveTextContent('50%');
    expect(screen.getByTestId('command-centre')).toHaveAttribute('data-outlook', 'AT_RISK');
    expect(screen.getByTestId('cc-outlook')).toHaveTextContent('At risk');
    expect(screen.getByTestId('cc-outlook')).toHaveTextContent('30 min past the window');
    // A viewer only watches.
    expect(screen.queryByRole('button', { name: /^Start / })).not.toBeInTheDocument();
  });

  it('gives operators the controls, and the go/no-go to the accountable person only', async () => {
    const { push } = setup(['IMPLEMENTATION_MANAGER'], 'usr_ian');
    push(message('SNAPSHOT', 1, [activity('a1', 'Deploy payments', 'READY'), activity('g', 'Go-live decision', 'READY', 'GO_NO_GO')]));
    expect(await screen.findByRole('button', { name: 'Start Deploy payments' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Go Go-live decision' })).toBeInTheDocument();
  });

  it('does not offer the go/no-go to someone else', async () => {
    const { push } = setup(['IMPLEMENTATION_MANAGER'], 'usr_other');
    push(message('SNAPSHOT', 1, [activity('g', 'Go-live decision', 'READY', 'GO_NO_GO')]));
    await screen.findByTestId('cc-lane-next');
    expect(screen.queryByRole('button', { name: 'Go Go-live decision' })).not.toBeInTheDocument();
    expect(screen.getByText('Decided by Ian')).toBeInTheDocument();
  });

  it('shows an activity’s controls to its owner only, and none to others who neither own nor decide', async () => {
    const mine = activity('a1', 'Deploy payments', 'READY', 'MANUAL', 'usr_tess');
    const theirs = activity('a2', 'Migrate ledger', 'READY', 'MANUAL', 'usr_ian');
    const gate = activity('g', 'Go-live decision', 'READY', 'GO_NO_GO', 'usr_tess');
    const owner = setup(['TEST_MANAGER'], 'usr_tess');
    owner.push(message('SNAPSHOT', 1, [mine, theirs, gate]));
    expect(await screen.findByRole('button', { name: 'Start Deploy payments' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Skip Deploy payments' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Migrate ledger$/ })).not.toBeInTheDocument();
    // Owning the go/no-go lets them block or skip it, not decide it.
    expect(screen.queryByRole('button', { name: 'Go Go-live decision' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Block Go-live decision' })).toBeInTheDocument();
    owner.unmount();

    const other = setup(['RELEASE_MANAGER'], 'usr_rita');
    other.push(message('SNAPSHOT', 1, [mine, theirs, gate]));
    await screen.findByTestId('cc-lane-next');
    const cards = screen.getAllByTestId('cc-activity');
    expect(cards).toHaveLength(3);
    for (const card of cards) expect(within(card).queryByRole('button')).not.toBeInTheDocument();
  });
});
