/**
 * The signed-in session (bearer token and its expiry), kept in localStorage so a reload keeps
 * the user signed in, and observable so the client and the shell react when it ends.
 */
export interface Session {
  token: string;
  expiresAt: string;
}

export type EndReason = 'signedOut' | 'expired' | 'refused';

type Listener = (session: Session | null, reason?: EndReason) => void;

const STORAGE_KEY = 'heatshield.session';

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.token === 'string' && typeof v.expiresAt === 'string';
}

export function isExpired(session: Session, now: Date = new Date()): boolean {
  const t = Date.parse(session.expiresAt);
  return Number.isNaN(t) || t <= now.getTime();
}

export class SessionStore {
  private current: Session | null;
  private listeners = new Set<Listener>();
  private generation = 0;

  constructor(private readonly storage: Storage | null = safeLocalStorage()) {
    this.current = this.load();
  }

  private load(): Session | null {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      if (!isSession(parsed) || isExpired(parsed)) {
        this.storage?.removeItem(STORAGE_KEY);
        return null;
      }
      return parsed;
    } catch {
      return null;
    }
  }

  get session(): Session | null {
    return this.current;
  }

  /** The bearer token, or null when there is no session or it has expired. */
  get token(): string | null {
    if (this.current && isExpired(this.current)) return null;
    return this.current?.token ?? null;
  }

  /**
   * Which sign-in this is: changes when a session starts or ends, not when it is renewed, so
   * the client (and its cache and WebSocket) lives as long as the sign-in.
   */
  get epoch(): number {
    return this.generation;
  }

  start(session: Session): void {
    this.generation += 1;
    this.current = session;
    this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    this.emit(session);
  }

  /**
   * A renewed token (and expiry) for the same sign-in. Ignored when the session has ended or
   * another sign-in has started since `epoch` (a renewal answered too late).
   */
  renew(session: Session, epoch: number = this.generation): boolean {
    if (this.current === null || epoch !== this.generation) return false;
    this.current = session;
    this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    this.emit(session);
    return true;
  }

  end(reason: EndReason): void {
    if (this.current === null) return;
    this.generation += 1;
    this.current = null;
    this.storage?.removeItem(STORAGE_KEY);
    this.emit(null, reason);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(session: Session | null, reason?: EndReason): void {
    for (const l of [...this.listeners]) l(session, reason);
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}
