import type { EndReason, Session, SessionStore } from './session';

/**
 * Keeping a signed-in session alive while the app is open (a wall display left signed in over
 * a go-live weekend): the token is renewed (`renewSession`) some minutes before it expires,
 * a failed renewal is tried again with backoff, and a session that could not be renewed ends
 * at its `expiresAt`, as it always did.
 */

/** What one renewal attempt came to. */
export type RenewOutcome =
  | { kind: 'renewed'; session: Session }
  /** The server no longer accepts the token (revoked, user deactivated): no point retrying. */
  | { kind: 'refused' }
  /** Offline, a server error, rate limited…: try again later. */
  | { kind: 'failed' };

/** Renew at most this long before expiry… */
export const RENEW_LEAD_MS = 10 * 60_000;
/** …or once this share of the remaining lifetime has passed, whichever is earlier. */
export const RENEW_AT_FRACTION = 0.8;
/**
 * But not sooner than this after a (re)schedule, so a server whose tokens live under ten
 * minutes is not asked again and again (half the remaining time when less is left).
 */
export const MIN_RENEW_DELAY_MS = 60_000;
/** An attempt without an answer after this long counts as failed. */
export const RENEW_TIMEOUT_MS = 30_000;
/** The last attempt is made at least this long before expiry. */
export const LAST_ATTEMPT_MARGIN_MS = 5_000;

/** How long from `now` until the session should be renewed (0: now). */
export function renewalDelayMs(expiresAt: number, now: number): number {
  const remaining = expiresAt - now;
  if (!(remaining > 0)) return 0;
  const wanted = Math.min(remaining * RENEW_AT_FRACTION, remaining - RENEW_LEAD_MS);
  const floor = Math.min(MIN_RENEW_DELAY_MS, remaining / 2);
  return Math.max(wanted, floor);
}

/** Delay before retry `n` (1-based) of a failed renewal: 5 s, 10 s, 20 s… capped at 5 min. */
export function renewalRetryDelayMs(attempt: number): number {
  return Math.min(5 * 60_000, 5_000 * 2 ** Math.max(0, attempt - 1));
}

// setTimeout takes at most a signed 32-bit number of milliseconds (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface KeepSessionOptions {
  /** Renews the current token; called with the session being renewed. */
  renew: (session: Session) => Promise<RenewOutcome>;
  now?: () => number;
}

/**
 * Watches the store: for each session, renews it before it expires (retrying with backoff until
 * the last moment) and ends it at its expiry when it could not. Returns a stop function.
 */
export function keepSessionAlive(store: SessionStore, { renew, now = Date.now }: KeepSessionOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Failed attempts for the current token. */
  let failures = 0;
  /** When the next attempt is due (ms since the epoch), for the current token. */
  let dueAt = 0;
  let inFlight = false;
  let stopped = false;

  const clear = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const end = (reason: EndReason) => {
    clear();
    store.end(reason);
  };

  /** Arms the timer for whichever comes first: the next attempt or the expiry. */
  const arm = () => {
    clear();
    const session = store.session;
    if (stopped || !session) return;
    const expiresAt = Date.parse(session.expiresAt);
    const wakeAt = inFlight ? expiresAt : Math.min(dueAt, expiresAt);
    timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(0, wakeAt - now())));
  };

  const tick = () => {
    timer = null;
    const session = store.session;
    if (stopped || !session) return;
    const expiresAt = Date.parse(session.expiresAt);
    const t = now();
    if (Number.isNaN(expiresAt) || t >= expiresAt) {
      end('expired');
      return;
    }
    if (!inFlight && t >= dueAt) {
      attempt(session);
      return;
    }
    arm();
  };

  const attempt = (session: Session) => {
    inFlight = true;
    const epoch = store.epoch;
    arm(); // the expiry still ends the session if the answer never comes
    const settle = (outcome: RenewOutcome) => {
      // Signed out, signed in again or already renewed meanwhile: this answer is stale.
      if (stopped || store.epoch !== epoch || store.session?.token !== session.token) return;
      inFlight = false;
      if (outcome.kind === 'renewed') {
        store.renew(outcome.session, epoch); // the store tells us, and we schedule anew
        return;
      }
      if (outcome.kind === 'refused') {
        end('refused');
        return;
      }
      failures += 1;
      const expiresAt = Date.parse(session.expiresAt);
      const t = now();
      const lastChance = expiresAt - LAST_ATTEMPT_MARGIN_MS;
      // Past the last chance: no more attempts; the timer ends the session at its expiry.
      dueAt = t >= lastChance ? Number.POSITIVE_INFINITY : Math.min(t + renewalRetryDelayMs(failures), lastChance);
      arm();
    };
    // An answer that never comes counts as a failure after a while.
    let settled = false;
    const once = (outcome: RenewOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(giveUp);
      settle(outcome);
    };
    const giveUp = setTimeout(() => once({ kind: 'failed' }), RENEW_TIMEOUT_MS);
    renew(session).then(once, () => once({ kind: 'failed' }));
  };

  const schedule = () => {
    const session = store.session;
    failures = 0;
    inFlight = false;
    if (!session) {
      clear();
      return;
    }
    dueAt = now() + renewalDelayMs(Date.parse(session.expiresAt), now());
    tick();
  };

  const unsubscribe = store.subscribe(() => schedule());
  schedule();
  return () => {
    stopped = true;
    clear();
    unsubscribe();
  };
}
