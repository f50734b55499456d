/** The environment × release booking matrix: cells from the server laid out as a grid. */

export interface MatrixCell {
  environment?: { id: string; name: string; tier: string } | null;
  release?: { id: string; key: string; name: string } | null;
  approved: number;
  requested: number;
  waitlisted: number;
  offered: number;
  rejected: number;
  cancelled: number;
}

export interface MatrixGrid<C extends MatrixCell> {
  environments: NonNullable<C['environment']>[];
  releases: NonNullable<C['release']>[];
  cell: (environmentId: string, releaseId: string) => C | undefined;
}

/** Environments by name, releases by key; cells without an environment or a release are left out. */
export function matrixGrid<C extends MatrixCell>(cells: readonly C[]): MatrixGrid<C> {
  const envs = new Map<string, NonNullable<C['environment']>>();
  const rels = new Map<string, NonNullable<C['release']>>();
  const byPair = new Map<string, C>();
  for (const c of cells) {
    if (!c.environment || !c.release) continue;
    envs.set(c.environment.id, c.environment);
    rels.set(c.release.id, c.release);
    byPair.set(`${c.environment.id}|${c.release.id}`, c);
  }
  return {
    environments: [...envs.values()].sort((a, b) => a.name.localeCompare(b.name)),
    releases: [...rels.values()].sort((a, b) => a.key.localeCompare(b.key)),
    cell: (e, r) => byPair.get(`${e}|${r}`),
  };
}

/** Bookings still in play (approved, asked for, waiting or offered) — what the cell shows. */
export function activeCount(c: MatrixCell): number {
  return c.approved + c.requested + c.waitlisted + c.offered;
}

/** Nothing in play; only approved bookings (held); or something waiting for a decision. */
export function cellTone(c: MatrixCell | undefined): 'empty' | 'held' | 'pending' {
  if (!c || activeCount(c) === 0) return 'empty';
  return c.requested + c.offered + c.waitlisted > 0 ? 'pending' : 'held';
}

/** "2 approved · 1 requested", only the non-zero ones, in that order. */
export function cellText(c: MatrixCell): string {
  const parts: [number, string][] = [
    [c.approved, 'approved'],
    [c.requested, 'requested'],
    [c.offered, 'offered'],
    [c.waitlisted, 'waitlisted'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(' · ');
}
