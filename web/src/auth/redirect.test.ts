import { describe, expect, it } from 'vitest';
import { nextFromSearch, safeNext, signInPathFor } from './redirect';

describe('return to the page after signing in', () => {
  it('remembers path, query and hash', () => {
    expect(signInPathFor({ pathname: '/releases', search: '?kind=PROJECT', hash: '#x' })).toBe(
      '/login?next=%2Freleases%3Fkind%3DPROJECT%23x',
    );
  });

  it('says why the session ended', () => {
    expect(signInPathFor({ pathname: '/systems' }, 'refused')).toBe('/login?next=%2Fsystems&reason=refused');
  });

  it('does not remember the start page or the sign-in page itself', () => {
    expect(signInPathFor({ pathname: '/' })).toBe('/login');
    expect(signInPathFor({ pathname: '/login', search: '?next=%2Fx' })).toBe('/login');
    expect(signInPathFor(null, 'expired')).toBe('/login?reason=expired');
  });

  it('round-trips through the query string', () => {
    const url = new URL(signInPathFor({ pathname: '/calendar', search: '?zoom=year' }), 'http://x');
    expect(nextFromSearch(url.search)).toBe('/calendar?zoom=year');
  });

  it('never leaves the site', () => {
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('javascript:alert(1)')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext('/releases/rel_1')).toBe('/releases/rel_1');
  });
});
