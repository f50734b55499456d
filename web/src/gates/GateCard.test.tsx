import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import type { GateFieldsFragment } from '../gql/graphql';
import { opName, renderSignedIn } from '../test/utils';
import { GateCard } from './GateCard';
import { criterionRule, isGateOverdue, meets } from './rules';

const metric: GateFieldsFragment['criteria'][number] = {
  id: 'crt_1',
  name: 'Test pass rate',
  kind: 'METRIC',
  state: 'PENDING',
  metric: 'Test pass rate',
  comparator: 'GTE',
  threshold: 95,
  unit: '%',
  lastValue: null,
  approverRole: null,
  byAccountable: false,
  quorum: 1,
  results: [],
  approvals: [],
};
const approval: GateFieldsFragment['criteria'][number] = {
  id: 'crt_2',
  name: 'CAB approval',
  kind: 'APPROVAL',
  state: 'PENDING',
  metric: null,
  comparator: null,
  threshold: null,
  unit: null,
  lastValue: null,
  approverRole: 'RELEASE_MANAGER',
  byAccountable: false,
  quorum: 2,
  results: [],
  approvals: [],
};

const gate: GateFieldsFragment = {
  id: 'gat_1',
  name: 'SIT exit',
  description: null,
  status: 'PENDING',
  dueAt: '2099-01-01T00:00:00Z',
  approvalRequestedAt: null,
  decidedAt: null,
  decidedBy: null,
  decisionReason: null,
  phase: { id: 'phs_1', name: 'SIT', position: 3 },
  raci: [],
  criteria: [metric, approval],
};

describe('criterion rules', () => {
  it('spells out metric thresholds and approval quorums', () => {
    expect(criterionRule(metric)).toBe('Test pass rate ≥ 95 %');
    expect(criterionRule(approval)).toBe('approval by 2 distinct release managers');
    expect(criterionRule({ kind: 'MANUAL', byAccountable: false, quorum: 1 })).toBe('manual check');
    expect(criterionRule({ kind: 'APPROVAL', byAccountable: true, quorum: 1 })).toBe('approval by the gate’s accountable person');
  });
  it('previews whether a value meets the rule', () => {
    expect(meets(95, 'GTE', 95)).toBe(true);
    expect(meets(94.9, 'GTE', 95)).toBe(false);
    expect(meets(0, 'EQ', 0)).toBe(true);
    expect(meets(801, 'LTE', 800)).toBe(false);
  });
  it('calls a pending gate past its due time overdue', () => {
    const now = new Date('2027-01-02T00:00:00Z');
    expect(isGateOverdue({ status: 'PENDING', dueAt: '2027-01-01T00:00:00Z' }, now)).toBe(true);
    expect(isGateOverdue({ status: 'PASSED', dueAt: '2027-01-01T00:00:00Z' }, now)).toBe(false);
    expect(isGateOverdue({ status: 'PENDING', dueAt: null }, now)).toBe(false);
  });
});

describe('a gate card', () => {
  it('lets a test manager record a metric value', async () => {
    const { operations } = renderSignedIn(<GateCard gate={gate} />, {
      roles: ['TEST_MANAGER'],
      answer: () => ({ data: { recordCriterionResult: { result: { id: 'res_1' }, gate } } }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Record a result for Test pass rate' }));
    const form = screen.getByRole('form', { name: 'Record a result for Test pass rate' });
    await userEvent.type(within(form).getByLabelText('Value (%)'), '97.5');
    expect(within(form).getByText('meets the threshold')).toBeInTheDocument();
    await userEvent.clear(within(form).getByLabelText('Source'));
    await userEvent.type(within(form).getByLabelText('Source'), 'Xray');
    await userEvent.click(within(form).getByRole('button', { name: 'Save result' }));
    const op = operations.find((o) => opName(o) === 'RecordCriterionResult');
    expect(op?.variables).toEqual({ input: { criterionId: 'crt_1', source: 'Xray', value: 97.5 } });
    // Vetoing is for release managers.
    expect(screen.queryByRole('button', { name: 'Veto SIT exit' })).toBeNull();
  });

  it('shows the server message when an approval is refused', async () => {
    renderSignedIn(<GateCard gate={gate} />, {
      roles: ['RELEASE_MANAGER'],
      answer: () => ({
        error: new CombinedError({
          graphQLErrors: [{ message: 'whoever asked for the approvals may not give them', extensions: { code: 'FORBIDDEN' } }],
        }),
      }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Approve or reject CAB approval' }));
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not allowed: whoever asked for the approvals may not give them');
  });

  it('needs a reason to veto', async () => {
    const { operations } = renderSignedIn(<GateCard gate={gate} />, {
      roles: ['RELEASE_MANAGER'],
      answer: () => ({ data: { vetoGate: { gate: { ...gate, status: 'FAILED' } } } }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Veto SIT exit' }));
    const submit = screen.getByRole('button', { name: 'Veto gate' });
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Why it fails/), 'Regression suite red');
    await userEvent.click(submit);
    expect(operations.find((o) => opName(o) === 'VetoGate')?.variables).toEqual({ input: { id: 'gat_1', reason: 'Regression suite red' } });
  });

  it('offers a viewer nothing to change', () => {
    renderSignedIn(<GateCard gate={gate} />, { roles: ['VIEWER'] });
    expect(screen.getByRole('article', { name: 'Gate SIT exit' })).toBeInTheDocument();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});
