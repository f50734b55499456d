/** Drift between two environments: configuration keys and deployed versions side by side. */

export type DriftKind = 'SAME' | 'DIFFERENT' | 'ONLY_LEFT' | 'ONLY_RIGHT';

export interface DriftRow {
  key: string;
  left: string | null;
  right: string | null;
  kind: DriftKind;
  /** Secret on either side: compared only when both values are readable. */
  secret: boolean;
}

const MASK = /^•+$/;

function kindOf(left: string | null, right: string | null, secret: boolean): DriftKind {
  if (left === null) return 'ONLY_RIGHT';
  if (right === null) return 'ONLY_LEFT';
  // Masked secrets cannot be compared: they count as the same unless both are readable.
  if (secret && (MASK.test(left) || MASK.test(right))) return 'SAME';
  return left === right ? 'SAME' : 'DIFFERENT';
}

/** Configuration entries of both sides by key (sorted), with how they differ. */
export function configDrift(
  left: readonly { key: string; value: string; secret: boolean }[],
  right: readonly { key: string; value: string; secret: boolean }[],
): DriftRow[] {
  const l = new Map(left.map((e) => [e.key, e]));
  const r = new Map(right.map((e) => [e.key, e]));
  const keys = [...new Set([...l.keys(), ...r.keys()])].sort();
  return keys.map((key) => {
    const a = l.get(key);
    const b = r.get(key);
    const secret = !!(a?.secret || b?.secret);
    const left = a?.value ?? null;
    const right = b?.value ?? null;
    return { key, left, right, secret, kind: kindOf(left, right, secret) };
  });
}

/** Deployed versions of both sides by system code. */
export function versionDrift(
  left: readonly { version: string; system?: { code: string } | null }[],
  right: readonly { version: string; system?: { code: string } | null }[],
): DriftRow[] {
  const toMap = (list: typeof left) => new Map(list.filter((d) => d.system).map((d) => [d.system?.code ?? '', d.version]));
  const l = toMap(left);
  const r = toMap(right);
  const keys = [...new Set([...l.keys(), ...r.keys()])].sort();
  return keys.map((key) => {
    const a = l.get(key) ?? null;
    const b = r.get(key) ?? null;
    return { key, left: a, right: b, secret: false, kind: kindOf(a, b, false) };
  });
}

export function driftCount(rows: readonly DriftRow[]): number {
  return rows.filter((r) => r.kind !== 'SAME').length;
}
