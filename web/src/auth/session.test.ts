import { describe, expect, it, vi } from 'vitest';
import { isExpired, SessionStore } from './session';

const future = '2999-01-01T00:00:00Z';

describe('SessionStore', () => {
  it('starts, persists and ends a session, telling listeners why', () => {
    const store = new SessionStore(window.localStorage);
    const seen = vi.fn();
    store.subscribe(seen);
    store.start({ token: 't1', expiresAt: future });
    expect(store.token).toBe('t1');
    expect(new SessionStore(window.localStorage).token).toBe('t1');
    store.end('refused');
    expect(store.token).toBeNull();
    expect(seen).toHaveBeenLastCalledWith(null, 'refused');
    expect(new SessionStore(window.localStorage).session).toBeNull();
  });

  it('ends only once', () => {
    const store = new SessionStore(window.localStorage);
    store.start({ token: 't', expiresAt: future });
    const seen = vi.fn();
    store.subscribe(seen);
    store.end('refused');
    store.end('signedOut');
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('drops an expired or malformed stored session', () => {
    window.localStorage.setItem('heatshield.session', JSON.stringify({ token: 't', expiresAt: '2000-01-01T00:00:00Z' }));
    expect(new SessionStore(window.localStorage).session).toBeNull();
    window.localStorage.setItem('heatshield.session', '{not json');
    expect(new SessionStore(window.localStorage).session).toBeNull();
    window.localStorage.setItem('heatshield.session', JSON.stringify({ token: 1 }));
    expect(new SessionStore(window.localStorage).session).toBeNull();
  });

  it('knows when a session has expired', () => {
    expect(isExpired({ token: 't', expiresAt: '2026-01-01T00:00:00Z' }, new Date('2026-01-01T00:00:01Z'))).toBe(true);
    expect(isExpired({ token: 't', expiresAt: '2026-01-01T00:00:00Z' }, new Date('2025-12-31T23:59:59Z'))).toBe(false);
    expect(isExpired({ token: 't', expiresAt: 'garbage' })).toBe(true);
  });
});
