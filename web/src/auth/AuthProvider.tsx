import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { print } from 'graphql';
import { Provider as UrqlProvider, type CombinedError } from 'urql';
import { createHeatshieldClient } from '../api/client';
import { isSessionRefused } from '../api/errors';
import { graphql } from '../gql';
import { keepSessionAlive, type RenewOutcome } from './renewal';
import { isExpired, SessionStore, type EndReason, type Session } from './session';

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      user {
        id
        displayName
        roles
      }
    }
  }
`);

const RenewSessionMutation = graphql(`
  mutation RenewSession {
    renewSession {
      token
      expiresAt
      user {
        id
        email
        displayName
        roles
      }
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      signedOut
    }
  }
`);

/** `logout` with the given token, outside the client (whose session has already ended). */
async function revokeToken(url: string, token: string): Promise<void> {
  try {
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(LogoutMutation) }),
    });
  } catch {
    // Offline: the token expires on its own.
  }
}

export interface AuthContextValue {
  session: Session | null;
  /** Why the last session ended, until the next sign-in. */
  endReason: EndReason | null;
  signIn: (email: string, password: string) => Promise<CombinedError | null>;
  signOut: () => Promise<void>;
  store: SessionStore;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside <AuthProvider>');
  return ctx;
}

const defaultStore = new SessionStore();

/**
 * Holds the session and the GraphQL client. A new client (and so an empty cache) is made for
 * every session, so nothing one user saw is shown to the next.
 */
export function AuthProvider({
  children,
  store = defaultStore,
  url,
}: {
  children: ReactNode;
  store?: SessionStore;
  url?: string;
}) {
  const [session, setSession] = useState<Session | null>(store.session);
  const [epoch, setEpoch] = useState(store.epoch);
  const [endReason, setEndReason] = useState<EndReason | null>(null);

  useEffect(
    () =>
      store.subscribe((s, reason) => {
        setSession(s);
        setEpoch(store.epoch);
        setEndReason(s ? null : (reason ?? null));
      }),
    [store],
  );

  const heatshield = useMemo(
    () =>
      createHeatshieldClient({
        ...(url ? { url } : {}),
        getToken: () => store.token,
        onSessionRefused: () => store.end('refused'),
        isSessionExpired: () => store.session !== null && isExpired(store.session),
      }),
    // A new client per sign-in (not per renewed token): the cache belongs to one session.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [epoch, store, url],
  );
  useEffect(() => () => heatshield.dispose(), [heatshield]);

  // Renew the session before it expires while the app is open; end it at its expiry when it
  // could not be renewed (even while the user is idle). The client sends the current token.
  const clientRef = useRef(heatshield.client);
  useEffect(() => {
    clientRef.current = heatshield.client;
  }, [heatshield]);
  useEffect(
    () =>
      keepSessionAlive(store, {
        renew: async (): Promise<RenewOutcome> => {
          const result = await clientRef.current.mutation(RenewSessionMutation, {}).toPromise();
          const renewed = result.data?.renewSession;
          if (renewed) return { kind: 'renewed', session: { token: renewed.token, expiresAt: renewed.expiresAt } };
          return isSessionRefused(result.error) ? { kind: 'refused' } : { kind: 'failed' };
        },
      }),
    [store],
  );

  // A renewed token: the subscription socket reconnects with it (its old token would be
  // refused at its own expiry).
  const token = session?.token ?? null;
  useEffect(() => {
    if (token) heatshield.tokenChanged();
  }, [token, heatshield]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const result = await heatshield.client
        .mutation(LoginMutation, { input: { email, password } })
        .toPromise();
      if (result.error) return result.error;
      const login = result.data?.login;
      if (login) store.start({ token: login.token, expiresAt: login.expiresAt });
      return null;
    },
    [heatshield, store],
  );

  const signOut = useCallback(async () => {
    // Sign out locally first, so no answer still in flight can be taken for a refused session,
    // then revoke the token on the server (whatever it answers, the session is over here).
    const ended = store.token;
    store.end('signedOut');
    if (ended) await revokeToken(url ?? '/graphql', ended);
  }, [store, url]);

  const value = useMemo<AuthContextValue>(
    () => ({ session, endReason, signIn, signOut, store }),
    [session, endReason, signIn, signOut, store],
  );

  return (
    <AuthContext.Provider value={value}>
      <UrqlProvider value={heatshield.client}>{children}</UrqlProvider>
    </AuthContext.Provider>
  );
}
