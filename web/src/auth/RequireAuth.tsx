import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { ErrorState, Loading } from '../ui/states';
import { useAuth } from './AuthProvider';
import { SIGN_IN_PATH, signInPathFor } from './redirect';
import { ViewerContext, type Viewer } from './viewer';

export const MeQuery = graphql(`
  query Me {
    me {
      kind
      name
      roles
      permissions
      user {
        id
        email
        displayName
      }
    }
  }
`);

/**
 * Guards the signed-in part of the app: without a session it goes to sign-in (remembering the
 * page), and when the session ends — expired or refused by the server — it goes there too and
 * comes back here afterwards. Provides the viewer (name and effective roles from `me`).
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session, endReason } = useAuth();
  const location = useLocation();

  if (!session) {
    // Signing out starts afresh; a session that expired or was refused comes back here.
    const to = endReason === 'signedOut' ? SIGN_IN_PATH : signInPathFor(location, endReason ?? undefined);
    return <Navigate to={to} replace />;
  }
  return <ViewerGate>{children}</ViewerGate>;
}

function ViewerGate({ children }: { children: ReactNode }) {
  const [{ data, error, fetching }, refetch] = useQuery({ query: MeQuery });
  if (!data && fetching) return <Loading label="Signing you in" fullPage />;
  if (!data) {
    return (
      <ErrorState
        error={error}
        fullPage
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const me = data.me;
  const viewer: Viewer = {
    name: me.user?.displayName ?? me.name,
    kind: me.kind,
    roles: me.roles,
    permissions: me.permissions,
    userId: me.user?.id ?? null,
    email: me.user?.email ?? null,
  };
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}
