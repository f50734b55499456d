import { useSearchParams } from 'react-router';
import { addDaysIso, formatDay, todayIso } from '../ui/format';

/** A range of whole days relative to today, offered as a toolbar button. */
export interface DayRange {
  readonly key: string;
  readonly label: string;
  /** Days from today to the start (negative: in the past). */
  readonly from: number;
  readonly to: number;
}

/** The range chosen in the URL (`?range=`), else `fallback`, with its bounds as UTC midnights. */
export function useDayRange(ranges: readonly DayRange[], fallback: DayRange) {
  const [params, setParams] = useSearchParams();
  const range = ranges.find((r) => r.key === params.get('range')) ?? fallback;
  const today = todayIso();
  return {
    range,
    from: `${addDaysIso(today, range.from)}T00:00:00Z`,
    to: `${addDaysIso(today, range.to)}T00:00:00Z`,
    pick: (key: string) => {
      setParams({ range: key }, { replace: true });
    },
  };
}

/** The range buttons and the days they cover. */
export function DayRangeToolbar({
  ranges,
  range,
  from,
  to,
  pick,
}: {
  ranges: readonly DayRange[];
  range: DayRange;
  from: string;
  to: string;
  pick: (key: string) => void;
}) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Range">
      <div className="button-row">
        {ranges.map((r) => (
          <button
            key={r.key}
            type="button"
            className={r.key === range.key ? 'btn btn--primary' : 'btn'}
            aria-pressed={r.key === range.key}
            onClick={() => {
              pick(r.key);
            }}
          >
            {r.label}
          </button>
        ))}
      </div>
      <span className="muted small">
        {formatDay(from)} – {formatDay(to)}
      </span>
    </div>
  );
}
