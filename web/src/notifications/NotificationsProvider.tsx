import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { useQuery, useSubscription } from 'urql';
import { NotificationsSubscription, UnreadNotificationCountQuery } from './documents';

export interface NotificationsState {
  /** The unread count from the server; null until it has answered. */
  unread: number | null;
  /** Grows with each live event (a new notification, or a resync): lists refetch on it. */
  version: number;
  /** Ask the server again (after marking read, for instance). */
  refresh: () => void;
}

const NotificationsContext = createContext<NotificationsState>({ unread: null, version: 0, refresh: () => undefined });

export function useNotifications(): NotificationsState {
  return useContext(NotificationsContext);
}

/**
 * The signed-in user's notifications, kept live: the unread count is read from the server
 * (`unreadNotificationCount`) and read again whenever the `notifications` subscription brings
 * a notification or says notifications were missed (`resyncRequired`), so the count is the
 * server's, never a local guess.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [{ data }, refetch] = useQuery({ query: UnreadNotificationCountQuery });
  // Each event (a notification, or a resync) bumps the version; the count is then read again.
  const [{ data: version = 0 }] = useSubscription({ query: NotificationsSubscription }, (events: number | undefined) => (events ?? 0) + 1);
  const refetchRef = useRef(refetch);
  useEffect(() => {
    refetchRef.current = refetch;
  }, [refetch]);
  useEffect(() => {
    if (version > 0) refetchRef.current({ requestPolicy: 'network-only' });
  }, [version]);
  const value: NotificationsState = {
    unread: data?.unreadNotificationCount ?? null,
    version,
    refresh: () => refetchRef.current({ requestPolicy: 'network-only' }),
  };
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}
