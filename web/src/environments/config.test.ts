import { describe, expect, it } from 'vitest';
import { configChanges, configProblems } from './config';

const original = [
  { key: 'oracle.host', value: 'ora-uat1', secret: false },
  { key: 'oracle.password', value: 'pw', secret: true },
  { key: 'log.level', value: 'INFO', secret: false },
];

describe('configuration changes', () => {
  it('sends only what changed: new values, new keys, removals', () => {
    const edited = [
      { key: 'oracle.host', value: 'ora-uat1', secret: false },
      { key: 'oracle.password', value: 'pw2', secret: true },
      { key: 'log.level', value: 'INFO', secret: false, remove: true },
      { key: ' feature.x ', value: 'on', secret: false, isNew: true },
      { key: '', value: '', secret: false, isNew: true },
    ];
    expect(configChanges(original, edited)).toEqual([
      { key: 'oracle.password', value: 'pw2', secret: true },
      { key: 'log.level', value: null, secret: false },
      { key: 'feature.x', value: 'on', secret: false },
    ]);
  });

  it('sends a change of secrecy', () => {
    expect(configChanges(original, [{ key: 'oracle.host', value: 'ora-uat1', secret: true }])).toEqual([
      { key: 'oracle.host', value: 'ora-uat1', secret: true },
    ]);
  });

  it('finds repeated and missing keys', () => {
    expect(
      configProblems([
        { key: 'a', value: '1', secret: false },
        { key: 'a', value: '2', secret: false, isNew: true },
        { key: '', value: 'x', secret: false, isNew: true },
      ]),
    ).toEqual(['The key a appears twice.', 'A new entry needs a key.']);
  });
});
