import { useEffect, useState } from 'react';

/** The current time in ms, refreshed every `intervalMs` (so "overdue" and clocks move on their own). */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}
