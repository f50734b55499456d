import { describe, expect, it } from 'vitest';
import type { GateFieldsFragment } from '../gql/graphql';
import { awaitingResults } from './GatesPage';

const criterion = (kind: string, state: string) => ({ id: `${kind}-${state}`, kind, state }) as unknown as GateFieldsFragment['criteria'][number];
const gate = (id: string, status: string, dueAt: string | null, criteria: GateFieldsFragment['criteria']) =>
  ({ id, status, dueAt, criteria }) as unknown as GateFieldsFragment;

describe('gates awaiting results', () => {
  it('keeps open gates with unmet metric or manual criteria, in the server’s order (soonest due first)', () => {
    const gates = [
      gate('overdue', 'PENDING', '2026-11-20T00:00:00Z', [criterion('METRIC', 'PENDING')]),
      gate('soon', 'PENDING', '2026-11-25T00:00:00Z', [criterion('MANUAL', 'NOT_MET')]),
      gate('approvals-only', 'PENDING', '2026-11-30T00:00:00Z', [criterion('APPROVAL', 'PENDING'), criterion('METRIC', 'MET')]),
      gate('passed', 'PASSED', null, [criterion('METRIC', 'MET')]),
      gate('later', 'PENDING', '2026-12-10T00:00:00Z', [criterion('METRIC', 'PENDING')]),
    ];
    expect(awaitingResults(gates).map((g) => g.id)).toEqual(['overdue', 'soon', 'later']);
  });
});
