import type { ReleaseKind, ReleaseStatus, RiskLevel } from '../gql/graphql';

export const RELEASE_STATUSES: readonly ReleaseStatus[] = [
  'DRAFT',
  'PLANNED',
  'IN_PROGRESS',
  'GO_LIVE',
  'RELEASED',
  'CANCELLED',
  'ROLLED_BACK',
];
export const ACTIVE_STATUSES: readonly ReleaseStatus[] = ['PLANNED', 'IN_PROGRESS', 'GO_LIVE'];
export const RELEASE_KINDS: readonly ReleaseKind[] = ['ENTERPRISE', 'PROJECT', 'INDEPENDENT', 'EMERGENCY'];
export const RISK_LEVELS: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** Transitions that need a reason (kept in the audit trail). */
export const NEEDS_REASON: readonly ReleaseStatus[] = ['CANCELLED', 'ROLLED_BACK'];

export function isReleaseStatus(v: string | null): v is ReleaseStatus {
  return v !== null && (RELEASE_STATUSES as readonly string[]).includes(v);
}
export function isReleaseKind(v: string | null): v is ReleaseKind {
  return v !== null && (RELEASE_KINDS as readonly string[]).includes(v);
}
