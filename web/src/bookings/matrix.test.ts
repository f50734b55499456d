import { describe, expect, it } from 'vitest';
import { activeCount, cellText, cellTone, matrixGrid, type MatrixCell } from './matrix';

const env = (id: string, name: string) => ({ id, name, tier: 'UAT' });
const rel = (id: string, key: string) => ({ id, key, name: key });
const cell = (e: ReturnType<typeof env> | null, r: ReturnType<typeof rel> | null, over: Partial<MatrixCell> = {}): MatrixCell => ({
  environment: e,
  release: r,
  approved: 0,
  requested: 0,
  waitlisted: 0,
  offered: 0,
  rejected: 0,
  cancelled: 0,
  ...over,
});

describe('the booking matrix', () => {
  it('lays the cells out by environment name and release key, leaving out incomplete ones', () => {
    const uat2 = env('e2', 'UAT2');
    const uat1 = env('e1', 'UAT1');
    const a = rel('r1', 'PR-3656');
    const b = rel('r2', 'ER-2026.12');
    const grid = matrixGrid([cell(uat2, a, { approved: 1 }), cell(uat1, b, { requested: 2 }), cell(null, a, { approved: 5 }), cell(uat1, null)]);
    expect(grid.environments.map((e) => e.name)).toEqual(['UAT1', 'UAT2']);
    expect(grid.releases.map((r) => r.key)).toEqual(['ER-2026.12', 'PR-3656']);
    expect(grid.cell('e1', 'r2')?.requested).toBe(2);
    expect(grid.cell('e1', 'r1')).toBeUndefined();
  });

  it('says what a cell holds and whether it needs a decision', () => {
    expect(cellTone(undefined)).toBe('empty');
    expect(cellTone(cell(null, null, { rejected: 3, cancelled: 1 }))).toBe('empty');
    expect(cellTone(cell(null, null, { approved: 1 }))).toBe('held');
    expect(cellTone(cell(null, null, { requested: 1 }))).toBe('pending');
    expect(cellTone(cell(null, null, { approved: 1, requested: 1 }))).toBe('pending');
    expect(cellTone(cell(null, null, { waitlisted: 1 }))).toBe('pending');
    expect(activeCount(cell(null, null, { approved: 1, requested: 2, rejected: 4 }))).toBe(3);
    expect(cellText(cell(null, null, { approved: 2, requested: 1, cancelled: 3 }))).toBe('2 approved · 1 requested');
  });
});
