import { render } from '@testing-library/react';
import { Kind } from 'graphql';
import type { ReactElement } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { Client, CombinedError, Provider, type Operation, type OperationResult } from 'urql';
import { fromValue, never, type Source } from 'wonka';
import { vi } from 'vitest';
import { ViewerContext, type Viewer } from '../auth/viewer';
import type { Role } from '../gql/graphql';
import { permissionsOf } from './permissions';

export interface SeenRequest {
  operationName: string | undefined;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
  method: string;
}

/**
 * Replaces `fetch` with a fake GraphQL server: `answer` gets each request (GET or POST) and
 * returns the HTTP status and JSON body.
 */
export function fakeServer(answer: (req: SeenRequest) => { status?: number; body: unknown }) {
  const seen: SeenRequest[] = [];
  const fn = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    let payload: Record<string, unknown>;
    if (method === 'GET') {
      payload = {
        operationName: url.searchParams.get('operationName') ?? undefined,
        query: url.searchParams.get('query'),
        variables: JSON.parse(url.searchParams.get('variables') ?? '{}') as unknown,
      };
    } else {
      payload = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>;
    }
    const query = typeof payload.query === 'string' ? payload.query : '';
    const operationName =
      (payload.operationName as string | undefined) ?? /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const req: SeenRequest = {
      operationName,
      variables: (payload.variables as Record<string, unknown> | undefined) ?? {},
      headers,
      method,
    };
    seen.push(req);
    const { status = 200, body } = answer(req);
    return Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );
  });
  vi.stubGlobal('fetch', fn);
  return { seen, fn };
}

/** Shows the router's current location, for asserting redirects. */
export function LocationProbe() {
  const l = useLocation();
  return <div data-testid="location">{`${l.pathname}${l.search}`}</div>;
}

export function viewer(roles: Role[], name = 'Test Person'): Viewer {
  return { name, kind: 'USER', roles, permissions: permissionsOf(roles), userId: 'usr_1', email: 'test@heatshield.demo' };
}

type Answer = Partial<OperationResult> & { data?: unknown; error?: CombinedError };

/**
 * Renders a signed-in screen with a fake urql client: `answer` returns each operation's result.
 */
export function renderSignedIn(
  ui: ReactElement,
  {
    roles = ['VIEWER'] as Role[],
    answer = () => ({}),
    path = '/',
    subscribe,
    userId,
  }: {
    roles?: Role[];
    answer?: (op: Operation) => Answer | null;
    path?: string;
    /** The results of each subscription (e.g. a wonka subject's source); none by default. */
    subscribe?: (op: Operation) => Source<OperationResult>;
    userId?: string;
  } = {},
) {
  const operations: Operation[] = [];
  const client = {
    executeQuery: (op: Operation) => {
      operations.push(op);
      const a = answer(op);
      return a ? fromValue({ operation: op, stale: false, hasNext: false, ...a }) : never;
    },
    executeMutation: (op: Operation) => {
      operations.push(op);
      const a = answer(op);
      return a ? fromValue({ operation: op, stale: false, hasNext: false, ...a }) : never;
    },
    executeSubscription: (op: Operation) => {
      operations.push(op);
      return subscribe ? subscribe(op) : never;
    },
  } as unknown as Client;
  const utils = render(
    <Provider value={client}>
      <MemoryRouter initialEntries={[path]}>
        <ViewerContext.Provider value={{ ...viewer(roles), ...(userId ? { userId } : {}) }}>
          {ui}
          <LocationProbe />
        </ViewerContext.Provider>
      </MemoryRouter>
    </Provider>,
  );
  return { ...utils, operations };
}

export function opName(op: Operation): string | undefined {
  for (const d of op.query.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) return d.name?.value;
  }
  return undefined;
}
