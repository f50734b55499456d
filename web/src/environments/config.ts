import type { ConfigEntryInput } from '../gql/graphql';

export interface ConfigRow {
  key: string;
  value: string;
  secret: boolean;
  /** The row is marked for removal. */
  remove?: boolean;
  /** A row added in the editor (its key is editable). */
  isNew?: boolean;
}

/**
 * The entries to send to `configureEnvironment`: changed values or secrecy, new keys, and removed
 * keys (value null). Unchanged rows are left out so the history only records real changes.
 */
export function configChanges(
  original: readonly { key: string; value: string; secret: boolean }[],
  edited: readonly ConfigRow[],
): ConfigEntryInput[] {
  const before = new Map(original.map((e) => [e.key, e]));
  const out: ConfigEntryInput[] = [];
  for (const row of edited) {
    const key = row.key.trim();
    if (!key) continue;
    const old = before.get(key);
    if (row.remove) {
      if (old) out.push({ key, value: null, secret: old.secret });
      continue;
    }
    if (!old || old.value !== row.value || old.secret !== row.secret) {
      out.push({ key, value: row.value, secret: row.secret });
    }
  }
  return out;
}

/** Problems with the edited rows before sending: empty or repeated keys. */
export function configProblems(edited: readonly ConfigRow[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const row of edited) {
    if (row.remove) continue;
    const key = row.key.trim();
    if (!key) {
      if (row.isNew && row.value) problems.push('A new entry needs a key.');
      continue;
    }
    if (seen.has(key)) problems.push(`The key ${key} appears twice.`);
    seen.add(key);
  }
  return problems;
}
