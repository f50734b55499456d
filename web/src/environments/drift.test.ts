import { describe, expect, it } from 'vitest';
import { configValue, differing, driftRowClass, SECRET_MASK, systemCell } from './drift';

describe('showing drift between two environments', () => {
  it('counts only the rows that differ', () => {
    expect(differing([{ state: 'SAME' }, { state: 'DIFFERENT' }, { state: 'ONLY_LEFT' }, { state: 'ONLY_RIGHT' }])).toBe(3);
    expect(differing([{ state: 'SAME' }])).toBe(0);
  });

  it('highlights differing values and one-sided rows differently', () => {
    expect(driftRowClass('DIFFERENT')).toBe('drift-row--differs');
    expect(driftRowClass('ONLY_LEFT')).toBe('drift-row--missing');
    expect(driftRowClass('ONLY_RIGHT')).toBe('drift-row--missing');
    expect(driftRowClass('SAME')).toBeUndefined();
  });

  it('keeps secrets masked on screen until revealed, and shows plain values as they are', () => {
    expect(configValue({ value: 'hunter2', secret: true }, false)).toBe(SECRET_MASK);
    expect(configValue({ value: 'hunter2', secret: true }, true)).toBe('hunter2');
    expect(configValue({ value: 'https://uat1', secret: false }, false)).toBe('https://uat1');
    expect(configValue(null, true)).toBeNull();
  });

  it('says whether a system without a deployment is hosted there', () => {
    expect(systemCell({ version: '2.4.1' }, true)).toEqual({ text: '2.4.1', muted: false });
    expect(systemCell(null, true)).toEqual({ text: 'hosted, nothing deployed', muted: true });
    expect(systemCell(undefined, false)).toEqual({ text: 'not here', muted: true });
  });
});
