import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHeatshieldClient, tokenRenewedSince, type HeatshieldClient } from './client';
import { graphql } from '../gql';

const Notifications = graphql(`
  subscription ClientTestNotifications {
    notifications {
      __typename
    }
  }
`);

/** Just enough of a WebSocket for graphql-ws: the test plays the server. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  protocol: string;
  sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  constructor(
    readonly url: string,
    protocol: string,
  ) {
    this.protocol = protocol;
    FakeSocket.all.push(this);
  }
  send(data: string) {
    const message = JSON.parse(data) as Record<string, unknown>;
    this.sent.push(message);
    if (message.type === 'connection_init') this.onmessage?.({ data: JSON.stringify({ type: 'connection_ack' }) });
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  close(code = 1000, reason = '') {
    this.closedWith = code;
    this.serverClose(code, reason);
  }
  serverClose(code: number, reason: string) {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason });
  }
  init(): Record<string, unknown> | undefined {
    return this.sent.find((m) => m.type === 'connection_init')?.payload as Record<string, unknown> | undefined;
  }
}

describe('the subscription socket and a renewed session', () => {
  let token: string | null;
  let heatshield: HeatshieldClient;

  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    token = 'tok-old';
    heatshield = createHeatshieldClient({
      url: 'http://localhost/graphql',
      getToken: () => token,
      onSessionRefused: () => undefined,
    });
  });

  afterEach(() => {
    heatshield.dispose();
    vi.unstubAllGlobals();
  });

  /** Subscribes and opens the socket the client makes; returns it once it has sent its init. */
  async function connected(index: number): Promise<FakeSocket> {
    await vi.waitFor(() => expect(FakeSocket.all[index]).toBeDefined());
    const socket = FakeSocket.all[index];
    if (!socket) throw new Error('no socket');
    socket.open();
    await vi.waitFor(() => expect(socket.init()).toBeDefined());
    return socket;
  }

  it('reconnects with the renewed token when told, and only when the token changed', async () => {
    const sub = heatshield.client.subscription(Notifications, {}).subscribe(() => undefined);
    const first = await connected(0);
    expect(first.init()).toEqual({ Authorization: 'Bearer tok-old' });

    heatshield.tokenChanged(); // same token: nothing to do
    expect(first.closedWith).toBeNull();

    token = 'tok-new';
    heatshield.tokenChanged();
    expect(first.closedWith).toBe(4205);
    const second = await connected(1);
    expect(second.init()).toEqual({ Authorization: 'Bearer tok-new' });
    await vi.waitFor(() => expect(second.sent.some((m) => m.type === 'subscribe')).toBe(true));
    sub.unsubscribe();
  });

  it('comes back after the server refuses the old token at its expiry, if the session was renewed', async () => {
    const sub = heatshield.client.subscription(Notifications, {}).subscribe(() => undefined);
    const first = await connected(0);
    token = 'tok-new';
    first.serverClose(4403, 'Forbidden: the session ended or its roles changed');
    const second = await connected(1);
    expect(second.init()).toEqual({ Authorization: 'Bearer tok-new' });

    // The same token refused again: final, no third socket.
    second.serverClose(4403, 'Forbidden');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(FakeSocket.all).toHaveLength(2);
    sub.unsubscribe();
  });

  it('knows a renewed token', () => {
    expect(tokenRenewedSince('a', 'b')).toBe(true);
    expect(tokenRenewedSince('a', 'a')).toBe(false);
    expect(tokenRenewedSince('a', null)).toBe(false);
    expect(tokenRenewedSince(null, 'b')).toBe(false);
  });
});
