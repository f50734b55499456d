import { describe, expect, it } from 'vitest';
import { configDrift, driftCount, versionDrift } from './drift';

describe('drift between two environments', () => {
  it('compares configuration keys on both sides', () => {
    const rows = configDrift(
      [
        { key: 'db.url', value: 'a', secret: false },
        { key: 'only.left', value: '1', secret: false },
        { key: 'same', value: 'x', secret: false },
        { key: 'db.password', value: '••••••', secret: true },
      ],
      [
        { key: 'db.url', value: 'b', secret: false },
        { key: 'same', value: 'x', secret: false },
        { key: 'only.right', value: '2', secret: false },
        { key: 'db.password', value: 'other', secret: true },
      ],
    );
    expect(rows.map((r) => [r.key, r.kind])).toEqual([
      ['db.password', 'SAME'],
      ['db.url', 'DIFFERENT'],
      ['only.left', 'ONLY_LEFT'],
      ['only.right', 'ONLY_RIGHT'],
      ['same', 'SAME'],
    ]);
    expect(driftCount(rows)).toBe(3);
  });

  it('compares readable secrets', () => {
    const rows = configDrift([{ key: 'k', value: 'a', secret: true }], [{ key: 'k', value: 'b', secret: true }]);
    expect(rows[0]?.kind).toBe('DIFFERENT');
  });

  it('compares deployed versions by system', () => {
    const rows = versionDrift(
      [
        { version: '1.0', system: { code: 'PAY' } },
        { version: '2.0', system: { code: 'CRM' } },
      ],
      [{ version: '1.1', system: { code: 'PAY' } }],
    );
    expect(rows.map((r) => [r.key, r.left, r.right, r.kind])).toEqual([
      ['CRM', '2.0', null, 'ONLY_LEFT'],
      ['PAY', '1.0', '1.1', 'DIFFERENT'],
    ]);
  });
});
