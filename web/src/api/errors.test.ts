import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { errorCodes, fieldErrors, formLevelProblems, hasCode, isSessionRefused, problems } from './errors';

function gqlError(message: string, extensions: Record<string, unknown>, response?: unknown) {
  return new CombinedError({ graphQLErrors: [{ message, extensions }], response });
}

describe('error codes', () => {
  it('reads extensions.code, never the message', () => {
    const e = gqlError('the token is not valid', { code: 'UNAUTHENTICATED' });
    expect(errorCodes(e)).toEqual(['UNAUTHENTICATED']);
    expect(hasCode(e, 'UNAUTHENTICATED')).toBe(true);
    // A message that merely mentions a code does not count.
    const misleading = gqlError('UNAUTHENTICATED users may not…', { code: 'FORBIDDEN' });
    expect(hasCode(misleading, 'UNAUTHENTICATED')).toBe(false);
  });

  it('maps unknown or missing codes to UNKNOWN and keeps the server message', () => {
    const e = gqlError('Unknown field "x"', {});
    expect(problems(e)).toEqual([{ message: 'Unknown field "x"', code: 'UNKNOWN' }]);
  });

  it('reports network failures and HTTP statuses', () => {
    const e = new CombinedError({ networkError: new Error('Failed to fetch') });
    expect(problems(e)[0]?.code).toBe('NETWORK');
    expect(problems(e)[0]?.message).toMatch(/could not be reached/);
  });

  it('keeps the unmet criteria of GATE_BLOCKED and what is in the way of a CONFLICT', () => {
    const blocked = gqlError('leaving phase UAT is blocked', { code: 'GATE_BLOCKED', unmet: ['UAT sign-off: Business sign-off (PENDING)'] });
    expect(problems(blocked)[0]).toMatchObject({ code: 'GATE_BLOCKED', unmet: ['UAT sign-off: Business sign-off (PENDING)'] });
    const conflict = gqlError('SIT1 is fully booked', { code: 'CONFLICT', conflicting: ['bkg_1', 'bkg_2'] });
    expect(problems(conflict)[0]?.conflicting).toEqual(['bkg_1', 'bkg_2']);
    // Malformed extensions are ignored rather than trusted.
    expect(problems(gqlError('x', { code: 'CONFLICT', conflicting: [1, 2] }))[0]?.conflicting).toBeUndefined();
  });

  it('keeps retryAfterSeconds of RATE_LIMITED', () => {
    const e = gqlError('too many attempts', { code: 'RATE_LIMITED', retryAfterSeconds: 600 });
    expect(problems(e)[0]).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 600 });
  });
});

describe('refused sessions', () => {
  it('is an HTTP 401', () => {
    const e = new CombinedError({ networkError: new Error('Unauthorized'), response: { status: 401 } });
    expect(isSessionRefused(e)).toBe(true);
  });
  it('is an UNAUTHENTICATED error in a 200 answer', () => {
    expect(isSessionRefused(gqlError('expired', { code: 'UNAUTHENTICATED' }, { status: 200 }))).toBe(true);
  });
  it('is not FORBIDDEN (signed in, not allowed)', () => {
    expect(isSessionRefused(gqlError('no', { code: 'FORBIDDEN' }, { status: 200 }))).toBe(false);
    expect(isSessionRefused(null)).toBe(false);
  });
});

describe('validation errors by field', () => {
  const e = new CombinedError({
    graphQLErrors: [
      { message: 'key: must be upper-case letters, digits, dots and dashes', extensions: { code: 'VALIDATION', field: 'key' } },
      { message: 'plannedGoLive: is before plannedStart', extensions: { code: 'VALIDATION', field: 'plannedGoLive' } },
      { message: 'release PR-1 already exists', extensions: { code: 'CONFLICT' } },
    ],
  });

  it('groups messages by extensions.field without the field prefix', () => {
    expect(fieldErrors(e)).toEqual({
      key: 'must be upper-case letters, digits, dots and dashes',
      plannedGoLive: 'is before plannedStart',
    });
  });

  it('leaves the rest for the top of the form', () => {
    expect(formLevelProblems(e, ['key', 'plannedGoLive']).map((p) => p.code)).toEqual(['CONFLICT']);
    // A field the form does not show is reported at the top too.
    expect(formLevelProblems(e, ['key']).map((p) => p.field ?? p.code)).toEqual(['plannedGoLive', 'CONFLICT']);
  });
});
