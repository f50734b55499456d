/**
 * Display rules of the drift page. The comparison itself (which versions and keys differ,
 * secrets included) is done by the server (`compareEnvironments`); this only says how to show it.
 */
import type { DriftState } from '../gql/graphql';

export const DRIFT_TEXT: Record<DriftState, string> = {
  SAME: 'Same',
  DIFFERENT: 'Differs',
  ONLY_LEFT: 'Only left',
  ONLY_RIGHT: 'Only right',
};

export const SECRET_MASK = '••••••';

/** The row's highlight: differing values, or something present on one side only. */
export function driftRowClass(state: DriftState): string | undefined {
  if (state === 'DIFFERENT') return 'drift-row--differs';
  if (state === 'ONLY_LEFT' || state === 'ONLY_RIGHT') return 'drift-row--missing';
  return undefined;
}

/** How many of the rows differ (the server may also send matching rows on request). */
export function differing(rows: readonly { state: DriftState }[]): number {
  return rows.filter((r) => r.state !== 'SAME').length;
}

/**
 * What a configuration cell shows: the value, or the mask for a secret. Secrets arrive masked
 * for roles that may not read them; for those who may, they stay masked on screen (a wall
 * display is not private) until the viewer asks to reveal them.
 */
export function configValue(entry: { value: string; secret: boolean } | null | undefined, reveal: boolean): string | null {
  if (!entry) return null;
  if (entry.secret && !reveal) return SECRET_MASK;
  return entry.value;
}

/** What a system cell shows: the version deployed, else whether the environment hosts it. */
export function systemCell(deployment: { version: string } | null | undefined, hosted: boolean): { text: string; muted: boolean } {
  if (deployment) return { text: deployment.version, muted: false };
  return { text: hosted ? 'hosted, nothing deployed' : 'not here', muted: true };
}
