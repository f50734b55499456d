import { useSyncExternalStore } from 'react';

/**
 * The state of the subscription WebSocket, for screens that must say whether they are live
 * (the command centre on a wall display). graphql-ws reconnects by itself; this only reports.
 */
export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

let status: LiveStatus = 'idle';
let everConnected = false;
const listeners = new Set<() => void>();

export function setLiveStatus(next: 'connecting' | 'connected' | 'closed'): void {
  let value: LiveStatus;
  if (next === 'connected') {
    everConnected = true;
    value = 'connected';
  } else if (next === 'connecting') {
    value = everConnected ? 'reconnecting' : 'connecting';
  } else {
    value = everConnected ? 'reconnecting' : 'idle';
  }
  if (value === status) return;
  status = value;
  for (const l of listeners) l();
}

/** Back to the start (a new session's client). */
export function resetLiveStatus(): void {
  everConnected = false;
  status = 'idle';
  for (const l of listeners) l();
}

export function getLiveStatus(): LiveStatus {
  return status;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribe, getLiveStatus, getLiveStatus);
}

/**
 * Delay before reconnect attempt `n` (0-based): 0.5 s, 1 s, 2 s, 4 s… capped at 10 s, with up
 * to 20 % jitter so a room of wall displays does not reconnect in step.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}
