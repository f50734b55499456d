import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { fakeServer, LocationProbe } from '../test/utils';
import { AuthProvider } from './AuthProvider';
import { RequireAuth } from './RequireAuth';
import { SessionStore } from './session';
import { SignInPage } from './SignInPage';
import { useViewer } from './viewer';

const future = '2999-01-01T00:00:00Z';
const me = { me: { kind: 'USER', name: 'Rita', roles: ['RELEASE_MANAGER'], permissions: ['READ', 'MANAGE_RELEASES', 'CONTROL_RELEASES'], user: { id: 'usr_1', email: 'r@x', displayName: 'Rita Release', __typename: 'User' }, __typename: 'Me' } };

function Page({ name }: { name: string }) {
  const v = useViewer();
  return (
    <p>
      {name} for {v.name} ({v.roles.join(',')})
    </p>
  );
}

function renderApp(store: SessionStore, path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider store={store} url="http://localhost/graphql">
        <Routes>
          <Route path="/login" element={<SignInPage />} />
          <Route
            path="*"
            element={
              <RequireAuth>
                <Routes>
                  <Route path="/systems" element={<Page name="Systems" />} />
                  <Route path="/releases" element={<Page name="Releases" />} />
                </Routes>
              </RequireAuth>
            }
          />
        </Routes>
        <LocationProbe />
      </AuthProvider>
    </MemoryRouter>,
  );
}

describe('signing in and coming back', () => {
  it('sends a visitor without a session to sign-in, remembering the page', async () => {
    fakeServer(() => ({ body: { data: null } }));
    renderApp(new SessionStore(window.localStorage), '/releases?kind=PROJECT');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Freleases%3Fkind%3DPROJECT'));
    expect(screen.getByRole('heading', { name: 'Sign in to Heatshield' })).toBeInTheDocument();
  });

  it('signs in and returns to the remembered page, sending the token from then on', async () => {
    const server = fakeServer((req) =>
      req.operationName === 'Login'
        ? { body: { data: { login: { token: 'tok-1', expiresAt: future, user: { id: 'usr_1', displayName: 'Rita Release', roles: ['RELEASE_MANAGER'], __typename: 'User' }, __typename: 'LoginPayload' } } } }
        : { body: { data: me } },
    );
    const store = new SessionStore(window.localStorage);
    renderApp(store, '/login?next=%2Fsystems');
    await userEvent.type(screen.getByLabelText('Email'), 'rita.release@heatshield.demo');
    await userEvent.type(screen.getByLabelText('Password'), 'heatshield-demo');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Systems for Rita Release (RELEASE_MANAGER)');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/systems$/);
    expect(store.token).toBe('tok-1');
    const meRequest = server.seen.find((r) => r.operationName === 'Me');
    expect(meRequest?.headers.authorization).toBe('Bearer tok-1');
    expect(server.seen.find((r) => r.operationName === 'Login')?.headers.authorization).toBeUndefined();
  });

  it('shows the server message for a wrong password and stays on sign-in', async () => {
    fakeServer(() => ({
      body: { data: null, errors: [{ message: 'wrong email or password', extensions: { code: 'UNAUTHENTICATED' } }] },
    }));
    const store = new SessionStore(window.localStorage);
    renderApp(store, '/login');
    await userEvent.type(screen.getByLabelText('Email'), 'x@y.z');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('wrong email or password');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/login$/);
    expect(store.session).toBeNull();
  });

  it('shows RATE_LIMITED with when to try again', async () => {
    fakeServer(() => ({
      body: { errors: [{ message: 'too many failed sign-ins', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 540 } }] },
    }));
    renderApp(new SessionStore(window.localStorage), '/login');
    await userEvent.type(screen.getByLabelText('Email'), 'x@y.z');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts: too many failed sign-ins (try again in 9 min)');
  });

  it('goes back to sign-in when the server refuses the token (HTTP 401) and returns afterwards', async () => {
    let refused = true;
    fakeServer((req) => {
      if (req.operationName === 'Login') {
        refused = false;
        return { body: { data: { login: { token: 'tok-2', expiresAt: future, user: { id: 'usr_1', displayName: 'Rita Release', roles: ['RELEASE_MANAGER'], __typename: 'User' }, __typename: 'LoginPayload' } } } };
      }
      return refused
        ? { status: 401, body: { errors: [{ message: 'the session has expired', extensions: { code: 'UNAUTHENTICATED' } }] } }
        : { body: { data: me } };
    });
    const store = new SessionStore(window.localStorage);
    store.start({ token: 'revoked', expiresAt: future });
    renderApp(store, '/systems');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fsystems&reason=refused'));
    expect(store.session).toBeNull();
    expect(screen.getByText(/no longer accepts your session/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Email'), 'rita.release@heatshield.demo');
    await userEvent.type(screen.getByLabelText('Password'), 'heatshield-demo');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Systems for Rita Release (RELEASE_MANAGER)');
  });

  it('renews the session before it expires, keeping the page and its client', async () => {
    const server = fakeServer((req) =>
      req.operationName === 'RenewSession'
        ? { body: { data: { renewSession: { token: 'tok-new', expiresAt: future, user: { id: 'usr_1', email: 'r@x', displayName: 'Rita Release', roles: ['RELEASE_MANAGER'], __typename: 'User' }, __typename: 'LoginPayload' } } } }
        : { body: { data: me } },
    );
    const store = new SessionStore(window.localStorage);
    store.start({ token: 'tok-old', expiresAt: new Date(Date.now() + 600).toISOString() });
    renderApp(store, '/releases');
    await screen.findByText(/Releases for Rita Release/);
    await waitFor(() => expect(store.token).toBe('tok-new'));
    const renewal = server.seen.find((r) => r.operationName === 'RenewSession');
    expect(renewal?.headers.authorization).toBe('Bearer tok-old');
    expect(renewal?.method).toBe('POST');
    // Past the old token's expiry the page is still there, and the client (its cache) was kept.
    await act(() => new Promise((r) => setTimeout(r, 700)));
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/releases$/);
    expect(screen.getByText(/Releases for Rita Release/)).toBeInTheDocument();
    expect(server.seen.filter((r) => r.operationName === 'Me')).toHaveLength(1);
    expect(server.seen.filter((r) => r.operationName === 'RenewSession')).toHaveLength(1);
  });

  it('ends the session when the server refuses the renewal', async () => {
    fakeServer((req) =>
      req.operationName === 'RenewSession'
        ? { status: 401, body: { errors: [{ message: 'the session was revoked', extensions: { code: 'UNAUTHENTICATED' } }] } }
        : { body: { data: me } },
    );
    const store = new SessionStore(window.localStorage);
    store.start({ token: 'tok-old', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    renderApp(store, '/releases');
    await screen.findByText(/Releases for Rita Release/);
    // A minute-long session is renewed after half of it; no need to wait: renew a short one.
    act(() => {
      store.renew({ token: 'tok-old', expiresAt: new Date(Date.now() + 400).toISOString() });
    });
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Freleases&reason=refused'));
    expect(store.session).toBeNull();
  });

  it('ends an expired session by itself and remembers the page', async () => {
    fakeServer((req) =>
      req.operationName === 'RenewSession'
        ? { body: { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL' } }] } }
        : { body: { data: me } },
    );
    const store = new SessionStore(window.localStorage);
    store.start({ token: 'short', expiresAt: new Date(Date.now() + 300).toISOString() });
    renderApp(store, '/releases');
    await screen.findByText(/Releases for Rita Release/);
    await act(() => new Promise((r) => setTimeout(r, 500)));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Freleases&reason=expired'));
    expect(screen.getByText(/session expired/)).toBeInTheDocument();
  });
});
