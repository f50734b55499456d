import { useState, type SyntheticEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { CombinedError } from 'urql';
import { ErrorBanner, Notice } from '../ui/states';
import { useAuth } from './AuthProvider';
import { nextFromSearch } from './redirect';

const REASONS: Record<string, string> = {
  expired: 'Your session expired. Sign in again to go back to where you were.',
  refused: 'The server no longer accepts your session. Sign in again to go back to where you were.',
};

export function SignInPage() {
  const { session, signIn } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);

  const params = new URLSearchParams(location.search);
  const reason = params.get('reason');
  const next = nextFromSearch(location.search);

  if (session && !busy) return <Navigate to={next} replace />;

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const err = await signIn(email.trim(), password);
    setBusy(false);
    if (err) setError(err);
    else void navigate(next, { replace: true });
  }

  return (
    <div className="signin">
      <form className="signin__card card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="signin__brand">
          <svg viewBox="0 0 16 16" width="36" height="36" aria-hidden="true">
            <path d="M8 1 14 4v4c0 3.5-2.6 6.2-6 7-3.4-.8-6-3.5-6-7V4z" fill="currentColor" />
          </svg>
          <div>
            <h1 id="signin-title">Sign in to Heatshield</h1>
            <p className="muted">Enterprise release management</p>
          </div>
        </div>
        {reason && REASONS[reason] ? <Notice tone="warning">{REASONS[reason]}</Notice> : null}
        <ErrorBanner error={error} />
        <label className="field">
          <span className="field__label">Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field__label">Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
