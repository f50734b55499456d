import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { problems, type Problem } from '../api/errors';

export function Loading({ label = 'Loading', fullPage = false }: { label?: string; fullPage?: boolean }) {
  return (
    <div className={fullPage ? 'state state--page' : 'state'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty" role="status">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

const CODE_TITLES: Record<Problem['code'], string> = {
  UNAUTHENTICATED: 'Not signed in',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  VALIDATION: 'Check the input',
  CONFLICT: 'Conflict',
  GATE_BLOCKED: 'Blocked by a gate',
  INVALID_TRANSITION: 'Not possible now',
  RATE_LIMITED: 'Too many attempts',
  INTERNAL: 'Server error',
  NETWORK: 'Connection problem',
  UNKNOWN: 'Error',
};

/** The server's messages for an error, titled by code. Renders nothing without an error. */
export function ErrorBanner({
  error,
  problems: given,
}: {
  error?: CombinedError | null | undefined;
  problems?: Problem[];
}) {
  const list = given ?? problems(error);
  if (list.length === 0) return null;
  return (
    <div className="banner banner--error" role="alert">
      {list.map((p, i) => (
        <div key={i} className="banner__item" data-code={p.code}>
          <strong>{CODE_TITLES[p.code]}:</strong> {p.message}
          {p.retryAfterSeconds ? ` (try again in ${Math.ceil(p.retryAfterSeconds / 60)} min)` : null}
          {p.unmet && p.unmet.length > 0 ? (
            <ul className="banner__list" aria-label="Unmet criteria">
              {p.unmet.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** A failed screen: the server's message and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  fullPage = false,
}: {
  error: CombinedError | null | undefined;
  onRetry?: () => void;
  fullPage?: boolean;
}) {
  return (
    <div className={fullPage ? 'state state--page' : 'state'}>
      <ErrorBanner
        error={error}
        problems={error ? undefined : [{ code: 'UNKNOWN', message: 'Nothing was returned.' }]}
      />
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`banner banner--${tone}`} role="status">
      {children}
    </div>
  );
}
