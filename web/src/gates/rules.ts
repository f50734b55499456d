import type { Comparator, CriterionKind, CriterionState, GateStatus } from '../gql/graphql';

const SYMBOL: Record<Comparator, string> = { GTE: '≥', GT: '>', LTE: '≤', LT: '<', EQ: '=' };

/** "Test pass rate ≥ 95 %", "approval by 2 release managers", "manual check". */
export function criterionRule(c: {
  kind: CriterionKind;
  metric?: string | null;
  comparator?: Comparator | null;
  threshold?: number | null;
  unit?: string | null;
  approverRole?: string | null;
  byAccountable: boolean;
  quorum: number;
}): string {
  switch (c.kind) {
    case 'METRIC': {
      const unit = c.unit ? ` ${c.unit}` : '';
      const what = c.metric ?? 'value';
      if (!c.comparator || c.threshold === null || c.threshold === undefined) return what;
      return `${what} ${SYMBOL[c.comparator]} ${formatNumber(c.threshold)}${unit}`;
    }
    case 'APPROVAL': {
      if (c.byAccountable) return 'approval by the gate’s accountable person';
      const who = c.approverRole ? c.approverRole.toLowerCase().replace(/_/g, ' ') : 'approver';
      return c.quorum > 1 ? `approval by ${c.quorum} distinct ${who}s` : `approval by a ${who}`;
    }
    default:
      return 'manual check';
  }
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** Would this value meet the rule? (A preview; the server decides.) */
export function meets(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case 'GTE':
      return value >= threshold;
    case 'GT':
      return value > threshold;
    case 'LTE':
      return value <= threshold;
    case 'LT':
      return value < threshold;
    case 'EQ':
      return value === threshold;
  }
}

export function isGateOpen(status: GateStatus): boolean {
  return status === 'PENDING';
}

/** A pending gate whose due time has passed. */
export function isGateOverdue(gate: { status: GateStatus; dueAt?: string | null }, now: Date = new Date()): boolean {
  return gate.status === 'PENDING' && !!gate.dueAt && Date.parse(gate.dueAt) < now.getTime();
}

/** Criteria still waiting for a result or approval. */
export function pendingCriteria<T extends { state: CriterionState }>(criteria: readonly T[]): T[] {
  return criteria.filter((c) => c.state !== 'MET');
}
