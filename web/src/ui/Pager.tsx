import { useCallback, useState } from 'react';

/**
 * Cursor paging over a Relay connection: a stack of `after` cursors so "Previous" works with
 * forward-only cursors. `reset` goes back to the first page (call it when filters change).
 */
export function useCursorPager() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const after = stack[stack.length - 1] ?? null;
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setStack((s) => [...s, endCursor]);
  }, []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return { after, page: stack.length, next, previous, reset, hasPrevious: stack.length > 1 };
}

export function Pager({
  page,
  pageSize,
  total,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  page: number;
  pageSize: number;
  total: number | undefined;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const from = (page - 1) * pageSize + 1;
  const to = total === undefined ? undefined : Math.min(page * pageSize, total);
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted">
        {total === 0 ? 'None' : total === undefined ? `Page ${page}` : `${from}–${to ?? ''} of ${total}`}
      </span>
      <button type="button" className="btn" onClick={onPrevious} disabled={!hasPrevious}>
        Previous
      </button>
      <button type="button" className="btn" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
    </nav>
  );
}
