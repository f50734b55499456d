import { Client, fetchExchange, subscriptionExchange, type Exchange } from 'urql';
import { authExchange } from '@urql/exchange-auth';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createCacheExchange } from './cache';
import { isSessionRefused } from './errors';
import { resetLiveStatus, retryDelayMs, setLiveStatus } from './liveStatus';

export interface ClientOptions {
  /** The GraphQL endpoint, `/graphql` on the app's own origin by default. */
  url?: string;
  /** The current bearer token, or null when signed out. */
  getToken: () => string | null;
  /** Called once when the server refuses the token (HTTP 401 / UNAUTHENTICATED). */
  onSessionRefused: () => void;
  /** Called before a request when the session is known to have expired locally. */
  isSessionExpired?: () => boolean;
}

/** `ws(s)://<host>/graphql` for an http(s) URL, relative or absolute. */
export function websocketUrl(httpUrl: string, base: string = window.location.href): string {
  const u = new URL(httpUrl, base);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/**
 * The bearer-token exchange: adds `Authorization: Bearer <token>` and, when a request that
 * carried a token is refused, ends the session (the shell then goes to sign-in and comes back).
 * Sign-in itself has no token, so its UNAUTHENTICATED "wrong password" is shown on the form.
 */
export function bearerAuthExchange(options: ClientOptions): Exchange {
  return authExchange((utils) =>
    Promise.resolve({
      addAuthToOperation(operation) {
        const token = options.getToken();
        return token ? utils.appendHeaders(operation, { Authorization: `Bearer ${token}` }) : operation;
      },
      willAuthError() {
        return options.isSessionExpired?.() ?? false;
      },
      didAuthError(error, operation) {
        const headers = operation.context.fetchOptions;
        const sentToken =
          typeof headers === 'object' &&
          'Authorization' in ((headers.headers as Record<string, string> | undefined) ?? {});
        return sentToken && isSessionRefused(error);
      },
      refreshAuth() {
        // Bearer tokens cannot be refreshed: the person signs in again.
        options.onSessionRefused();
        return Promise.resolve();
      },
    }),
  );
}

/**
 * Subscriptions over graphql-ws (`graphql-transport-ws`), token in `connection_init`. The
 * socket is opened lazily, on the first subscription, and closed with the client.
 */
function wsExchange(
  options: ClientOptions,
  url: string,
): { exchange: Exchange; dispose: () => void; tokenChanged: () => void } {
  let ws: WsClient | null = null;
  let socket: WebSocket | null = null;
  /** The token sent in the current (or last) connection_init. */
  let sentToken: string | null = null;
  const get = (): WsClient => {
    ws ??= createWsClient({
      url: websocketUrl(url),
      lazy: true,
      // A wall display must come back by itself after any network drop: retry for ever, with
      // backoff; active subscriptions are subscribed again (the server then sends a snapshot).
      // A refusal is final, unless the session was renewed since: the server refuses the old
      // token at its expiry, and the next connection sends the new one.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (e) => !isRefusal(e) || tokenRenewedSince(sentToken, options.getToken()),
      retryWait: (retries) => new Promise((ok) => setTimeout(ok, retryDelayMs(retries))),
      keepAlive: 10_000,
      on: {
        connecting: () => setLiveStatus('connecting'),
        opened: (s) => {
          socket = s as WebSocket;
        },
        connected: () => setLiveStatus('connected'),
        closed: () => {
          socket = null;
          setLiveStatus('closed');
        },
      },
      // Read on every (re)connect, so a renewed token is used from the next connection on.
      connectionParams: () => {
        const token = options.getToken();
        sentToken = token;
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
    });
    return ws;
  };
  const exchange = subscriptionExchange({
    forwardSubscription(request) {
      const input = { ...request, query: request.query ?? '' };
      return {
        subscribe(sink) {
          const unsubscribe = get().subscribe(input, sink);
          return { unsubscribe };
        },
      };
    },
  });
  return {
    exchange,
    dispose: () => {
      void ws?.dispose();
      resetLiveStatus();
      ws = null;
    },
    tokenChanged: () => {
      // Reconnect now with the renewed token rather than be cut off when the old one expires;
      // 4205 is not a refusal, so graphql-ws reconnects and subscribes again by itself.
      if (socket?.readyState === WebSocket.OPEN && tokenRenewedSince(sentToken, options.getToken())) {
        socket.close(4205, 'Session renewed');
      }
    },
  };
}

/** True when there is a token and it is not the one the socket was opened with. */
export function tokenRenewedSince(sent: string | null, current: string | null): boolean {
  return current !== null && sent !== null && current !== sent;
}

/** Close codes of a refused connection (bad request, unauthorized, forbidden): no retry. */
function isRefusal(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : null;
  return code === 4400 || code === 4401 || code === 4403;
}

export interface HeatshieldClient {
  client: Client;
  dispose: () => void;
  /** The session's token was renewed: an open subscription socket reconnects with it. */
  tokenChanged: () => void;
}

export function createHeatshieldClient(options: ClientOptions): HeatshieldClient {
  const url = options.url ?? '/graphql';
  const ws = wsExchange(options, url);
  const client = new Client({
    url,
    // Queries go out as GET (the server answers them), mutations as POST.
    preferGetMethod: 'within-url-limit',
    requestPolicy: 'cache-and-network',
    exchanges: [createCacheExchange(), bearerAuthExchange(options), fetchExchange, ws.exchange],
  });
  return { client, dispose: ws.dispose, tokenChanged: ws.tokenChanged };
}
