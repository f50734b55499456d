/**
 * Where to go after signing in. The page the user was on travels in `?next=` so a refused
 * session can bring them back; only same-origin paths are accepted (no open redirects).
 */
export const SIGN_IN_PATH = '/login';

export interface LocationLike {
  pathname: string;
  search?: string;
  hash?: string;
}

export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next) return fallback;
  // Absolute paths only; "//host" and "/\host" would leave the site.
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next === SIGN_IN_PATH || next.startsWith(`${SIGN_IN_PATH}?`)) return fallback;
  return next;
}

/** The sign-in URL that returns to `location` afterwards. */
export function signInPathFor(location: LocationLike | null, reason?: string): string {
  const params = new URLSearchParams();
  if (location && location.pathname !== SIGN_IN_PATH) {
    const here = `${location.pathname}${location.search ?? ''}${location.hash ?? ''}`;
    if (here !== '/') params.set('next', here);
  }
  if (reason) params.set('reason', reason);
  const q = params.toString();
  return q ? `${SIGN_IN_PATH}?${q}` : SIGN_IN_PATH;
}

/** `next` from the sign-in page's query string, made safe. */
export function nextFromSearch(search: string): string {
  return safeNext(new URLSearchParams(search).get('next'));
}
