import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepSessionAlive, renewalDelayMs, renewalRetryDelayMs, type RenewOutcome } from './renewal';
import { SessionStore, type Session } from './session';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-28T08:00:00Z');

const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('renewalDelayMs', () => {
  it('renews at 80 % of the remaining lifetime for long sessions', () => {
    expect(renewalDelayMs(T0 + 8 * HOUR, T0)).toBe(6.4 * HOUR);
  });

  it('renews 10 minutes before expiry when that is earlier', () => {
    expect(renewalDelayMs(T0 + 30 * MIN, T0)).toBe(20 * MIN);
    expect(renewalDelayMs(T0 + 15 * MIN, T0)).toBe(5 * MIN);
  });

  it('waits at least a minute (half the rest when less is left), so short tokens do not loop', () => {
    expect(renewalDelayMs(T0 + 10 * MIN, T0)).toBe(MIN);
    expect(renewalDelayMs(T0 + 5 * MIN, T0)).toBe(MIN);
    expect(renewalDelayMs(T0 + 40_000, T0)).toBe(20_000);
    expect(renewalDelayMs(T0 - 1, T0)).toBe(0);
  });

  it('backs off 5 s, 10 s, 20 s… up to 5 minutes', () => {
    expect([1, 2, 3, 4].map(renewalRetryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(renewalRetryDelayMs(12)).toBe(5 * MIN);
  });
});

describe('keepSessionAlive', () => {
  let store: SessionStore;
  let stop: (() => void) | undefined;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    window.localStorage.clear();
    store = new SessionStore(window.localStorage);
  });

  afterEach(() => {
    stop?.();
    stop = undefined;
    vi.useRealTimers();
  });

  /** A renew function answering from a queue (the last answer repeats). */
  function renewer(...answers: ((s: Session) => RenewOutcome | Promise<RenewOutcome>)[]) {
    const calls: { at: number; token: string }[] = [];
    const renew = vi.fn((s: Session) => {
      calls.push({ at: Date.now() - T0, token: s.token });
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      return Promise.resolve(answer ? answer(s) : { kind: 'failed' as const });
    });
    return { renew, calls };
  }

  it('renews before expiry, keeps the session with the new token, and renews that one too', async () => {
    store.start({ token: 'old', expiresAt: at(HOUR) });
    const epoch = store.epoch;
    const ended = vi.fn();
    store.subscribe((s, reason) => {
      if (!s) ended(reason);
    });
    const { renew, calls } = renewer(
      () => ({ kind: 'renewed', session: { token: 'new', expiresAt: at(48 * MIN + HOUR) } }),
      () => ({ kind: 'renewed', session: { token: 'newer', expiresAt: at(3 * HOUR) } }),
    );
    stop = keepSessionAlive(store, { renew });

    await vi.advanceTimersByTimeAsync(48 * MIN - 1);
    expect(renew).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ at: 48 * MIN, token: 'old' }]);
    expect(store.session).toEqual({ token: 'new', expiresAt: at(48 * MIN + HOUR) });
    expect(store.epoch).toBe(epoch); // the same sign-in: the client is kept
    expect(JSON.parse(window.localStorage.getItem('heatshield.session') ?? '{}')).toMatchObject({ token: 'new' });

    // Past the old token's expiry the session goes on with the new one…
    await vi.advanceTimersByTimeAsync(13 * MIN);
    expect(store.token).toBe('new');
    expect(ended).not.toHaveBeenCalled();
    expect(renew).toHaveBeenCalledTimes(1);
    // …which is renewed in turn at 80 % of its lifetime.
    await vi.advanceTimersByTimeAsync(35 * MIN);
    expect(calls).toEqual([
      { at: 48 * MIN, token: 'old' },
      { at: 96 * MIN, token: 'new' },
    ]);
    expect(store.token).toBe('newer');
  });

  it('retries a failed renewal with backoff and keeps the session when one succeeds', async () => {
    store.start({ token: 'old', expiresAt: at(HOUR) });
    const { renew, calls } = renewer(
      () => ({ kind: 'failed' }),
      () => Promise.reject(new Error('offline')),
      () => ({ kind: 'failed' }),
      () => ({ kind: 'renewed', session: { token: 'new', expiresAt: at(2 * HOUR) } }),
    );
    stop = keepSessionAlive(store, { renew });
    await vi.advanceTimersByTimeAsync(50 * MIN);
    const first = 48 * MIN;
    expect(calls.map((c) => c.at)).toEqual([first, first + 5_000, first + 15_000, first + 35_000]);
    expect(store.token).toBe('new');
  });

  it('counts an unanswered attempt as failed and tries again', async () => {
    store.start({ token: 'old', expiresAt: at(HOUR) });
    const { renew, calls } = renewer(
      () => new Promise<RenewOutcome>(() => undefined),
      () => ({ kind: 'renewed', session: { token: 'new', expiresAt: at(2 * HOUR) } }),
    );
    stop = keepSessionAlive(store, { renew });
    await vi.advanceTimersByTimeAsync(50 * MIN);
    expect(calls.map((c) => c.at)).toEqual([48 * MIN, 48 * MIN + 30_000 + 5_000]);
    expect(store.token).toBe('new');
  });

  it('gives up at expiry: the session ends as expired when no renewal succeeded', async () => {
    store.start({ token: 'old', expiresAt: at(HOUR) });
    const ended = vi.fn();
    store.subscribe((s, reason) => {
      if (!s) ended(reason, Date.now() - T0);
    });
    const { renew, calls } = renewer(() => ({ kind: 'failed' }));
    stop = keepSessionAlive(store, { renew });
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(store.session).not.toBeNull();
    // 48 min, then +5 s, +10 s, +20 s… capped at 5 min, the last one 5 s before expiry.
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.at(-1)?.at).toBe(HOUR - 5_000);
    expect(calls.every((c, i) => i === 0 || c.at > (calls[i - 1]?.at ?? 0))).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.session).toBeNull();
    expect(ended).toHaveBeenCalledWith('expired', HOUR);
    const count = calls.length;
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls.length).toBe(count);
  });

  it('ends the session at once when the server refuses the token', async () => {
    store.start({ token: 'revoked', expiresAt: at(HOUR) });
    const ended = vi.fn();
    store.subscribe((s, reason) => {
      if (!s) ended(reason);
    });
    const { renew } = renewer(() => ({ kind: 'refused' }));
    stop = keepSessionAlive(store, { renew });
    await vi.advanceTimersByTimeAsync(48 * MIN);
    expect(store.session).toBeNull();
    expect(ended).toHaveBeenCalledWith('refused');
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('ignores an answer that arrives after sign-out and a new sign-in', async () => {
    store.start({ token: 'first', expiresAt: at(HOUR) });
    let answer: (o: RenewOutcome) => void = () => undefined;
    const renew = vi.fn(() => new Promise<RenewOutcome>((ok) => (answer = ok)));
    stop = keepSessionAlive(store, { renew });
    await vi.advanceTimersByTimeAsync(48 * MIN);
    expect(renew).toHaveBeenCalledTimes(1);
    store.end('signedOut');
    store.start({ token: 'second', expiresAt: at(10 * HOUR) });
    answer({ kind: 'renewed', session: { token: 'first-renewed', expiresAt: at(2 * HOUR) } });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.token).toBe('second');
  });

  it('does nothing without a session and stops when asked', async () => {
    const { renew } = renewer(() => ({ kind: 'failed' }));
    stop = keepSessionAlive(store, { renew });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(renew).not.toHaveBeenCalled();
    store.start({ token: 't', expiresAt: at(2 * HOUR) });
    stop();
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(renew).not.toHaveBeenCalled();
    expect(store.session).not.toBeNull(); // no longer watched: nothing ends it here
  });
});
