import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { opName, renderSignedIn } from '../test/utils';
import { ComparePage } from './ComparePage';

const envs = {
  environments: {
    nodes: [
      { id: 'env_1', name: 'UAT1', tier: 'UAT' },
      { id: 'env_2', name: 'UAT2', tier: 'UAT' },
    ],
  },
};

function comparison(all: boolean) {
  const differing = {
    key: 'db.password',
    state: 'DIFFERENT',
    left: { key: 'db.password', value: 's3cret-left', secret: true },
    right: { key: 'db.password', value: 's3cret-right', secret: true },
  };
  const same = {
    key: 'log.level',
    state: 'SAME',
    left: { key: 'log.level', value: 'info', secret: false },
    right: { key: 'log.level', value: 'info', secret: false },
  };
  return {
    compareEnvironments: {
      differences: 2,
      left: { id: 'env_1', name: 'UAT1', tier: 'UAT' },
      right: { id: 'env_2', name: 'UAT2', tier: 'UAT' },
      systems: [
        {
          system: { id: 'sys_pay', code: 'PAY', name: 'Payments' },
          state: 'ONLY_LEFT',
          hostedLeft: true,
          hostedRight: true,
          left: { id: 'dep_1', version: '2.4.1', deployedAt: '2026-11-20T08:00:00Z' },
          right: null,
        },
      ],
      configuration: all ? [differing, same] : [differing],
    },
  };
}

describe('the drift page', () => {
  it('shows what the server compared, asks for matching rows on request, and keeps secrets masked until revealed', async () => {
    const { operations } = renderSignedIn(<ComparePage />, {
      roles: ['ENVIRONMENT_MANAGER'],
      path: '/environments/compare?left=env_1&right=env_2',
      answer: (op) => {
        const name = opName(op);
        if (name === 'EnvironmentOptions') return { data: envs };
        if (name === 'CompareEnvironments') return { data: comparison(op.variables?.onlyDifferences === false) };
        return null;
      },
    });
    const summary = await screen.findByTestId('drift-summary');
    expect(summary).toHaveTextContent('1 system and 1 configuration key differ between UAT1 and UAT2');
    const compare = () => operations.filter((o) => opName(o) === 'CompareEnvironments');
    expect(compare()[0]?.variables).toEqual({ left: 'env_1', right: 'env_2', onlyDifferences: true });

    const versions = screen.getByTestId('drift-versions');
    expect(within(versions).getByRole('row', { name: /PAY/ })).toHaveTextContent('hosted, nothing deployed');
    expect(within(versions).getByRole('row', { name: /PAY/ })).toHaveTextContent('Only left');

    const config = screen.getByTestId('drift-config');
    expect(within(config).getByRole('row', { name: /db\.password/ })).toHaveTextContent('Differs');
    expect(config).not.toHaveTextContent('s3cret-left');
    expect(within(config).queryByText('log.level')).toBeNull();

    await userEvent.click(screen.getByLabelText('Show secret values'));
    expect(screen.getByTestId('drift-config')).toHaveTextContent('s3cret-left');

    await userEvent.click(screen.getByLabelText('Show matching too'));
    expect(compare().at(-1)?.variables).toEqual({ left: 'env_1', right: 'env_2', onlyDifferences: false });
    expect(await within(screen.getByTestId('drift-config')).findByText('log.level')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('all=1');
  });

  it('offers no reveal to roles that may not read secrets', async () => {
    renderSignedIn(<ComparePage />, {
      roles: ['VIEWER'],
      path: '/environments/compare?left=env_1&right=env_2',
      answer: (op) => {
        const name = opName(op);
        if (name === 'EnvironmentOptions') return { data: envs };
        if (name === 'CompareEnvironments') return { data: comparison(false) };
        return null;
      },
    });
    await screen.findByTestId('drift-summary');
    expect(screen.queryByLabelText('Show secret values')).toBeNull();
  });
});
