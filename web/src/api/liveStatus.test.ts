import { afterEach, describe, expect, it } from 'vitest';
import { getLiveStatus, resetLiveStatus, retryDelayMs, setLiveStatus } from './liveStatus';

afterEach(() => resetLiveStatus());

describe('the live connection status', () => {
  it('connects, then says it is reconnecting after a drop, and live again', () => {
    expect(getLiveStatus()).toBe('idle');
    setLiveStatus('connecting');
    expect(getLiveStatus()).toBe('connecting');
    setLiveStatus('connected');
    expect(getLiveStatus()).toBe('connected');
    setLiveStatus('closed');
    expect(getLiveStatus()).toBe('reconnecting');
    setLiveStatus('connecting');
    expect(getLiveStatus()).toBe('reconnecting');
    setLiveStatus('connected');
    expect(getLiveStatus()).toBe('connected');
  });

  it('backs off exponentially up to 10 s, with bounded jitter', () => {
    expect(retryDelayMs(0, () => 0)).toBe(500);
    expect(retryDelayMs(1, () => 0)).toBe(1000);
    expect(retryDelayMs(3, () => 0)).toBe(4000);
    expect(retryDelayMs(20, () => 0)).toBe(10_000);
    expect(retryDelayMs(20, () => 1)).toBe(12_000);
  });
});
