import { describe, expect, it } from 'vitest';
import { buildGrid } from './WhatRunsWherePage';

const env = (id: string, tier: 'DEV' | 'UAT' | 'PROD') => ({ id, name: id.toUpperCase(), tier });
const sys = (id: string) => ({ id, code: id.toUpperCase(), name: id });
const dep = (e: ReturnType<typeof env>, s: ReturnType<typeof sys>, version: string) => ({
  version,
  deployedAt: '2026-11-01T10:00:00Z',
  deployedByName: 'CI',
  environment: e,
  system: s,
});

describe('what runs where grid', () => {
  it('orders environments by tier then name, systems by code, and finds each cell', () => {
    const prod = env('prod', 'PROD');
    const uat2 = env('uat2', 'UAT');
    const uat1 = env('uat1', 'UAT');
    const pay = sys('pay');
    const core = sys('core');
    const grid = buildGrid([dep(prod, pay, '1.0'), dep(uat2, core, '2.0'), dep(uat1, pay, '1.1')], [env('dev', 'DEV')]);
    expect(grid.envs.map((e) => e.id)).toEqual(['dev', 'uat1', 'uat2', 'prod']);
    expect(grid.systems.map((s) => s.code)).toEqual(['CORE', 'PAY']);
    expect(grid.cell('uat1', 'pay')?.version).toBe('1.1');
    expect(grid.cell('dev', 'pay')).toBeUndefined();
  });
});
