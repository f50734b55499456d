/** What changed between an audit event's before/after snapshots, field by field. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

const IGNORED = new Set(['updatedAt', 'updated_at']);

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function diffSnapshots(before: unknown, after: unknown): FieldChange[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) return [];
  const fields = new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})]);
  const out: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    if (IGNORED.has(field)) continue;
    const bv = b?.[field];
    const av = a?.[field];
    if (JSON.stringify(bv) !== JSON.stringify(av)) out.push({ field, before: bv, after: av });
  }
  return out;
}

export function show(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
