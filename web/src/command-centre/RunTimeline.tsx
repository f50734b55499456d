import { useRef } from 'react';
import { useElementWidth } from '../ui/useElementWidth';
import { formatTime } from '../ui/format';
import type { LiveActivity } from './board';

/** The x of an instant on a [from, to] scale of `width` px. */
export function timeScale(from: number, to: number, width: number) {
  const span = Math.max(1, to - from);
  return (t: number) => ((t - from) / span) * width;
}

/**
 * Planned (thin) against projected or actual (thick) bars of every activity, the change
 * window's end and now. Critical activities are outlined.
 */
export function RunTimeline({
  activities,
  windowStart,
  deadline,
  projectedFinish,
  now,
}: {
  activities: readonly LiveActivity[];
  windowStart: string;
  deadline: string;
  projectedFinish: string;
  now: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref, 900);
  if (activities.length === 0) return null;
  const starts = activities.flatMap((a) => [Date.parse(a.plannedStart), Date.parse(a.projectedStart), a.startedAt ? Date.parse(a.startedAt) : Infinity]);
  const ends = activities.flatMap((a) => [Date.parse(a.plannedFinish), Date.parse(a.projectedFinish)]);
  const from = Math.min(Date.parse(windowStart), ...starts);
  const to = Math.max(Date.parse(deadline), Date.parse(projectedFinish), ...ends) + 10 * 60_000;
  const labelW = Math.min(260, width * 0.28);
  const chartW = Math.max(200, width - labelW - 8);
  const x = timeScale(from, to, chartW);
  const rowH = 26;
  const head = 22;
  const height = head + activities.length * rowH + 18;
  const ticks: number[] = [];
  const step = (to - from) / 6;
  for (let i = 0; i <= 6; i++) ticks.push(from + i * step);
  const deadlineX = x(Date.parse(deadline));
  const nowX = x(now);
  return (
    <div ref={ref} className="cc-timeline">
      <svg width={width} height={height} role="img" aria-label="Timeline of the run: planned against projected">
        <g transform={`translate(${labelW},0)`}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={head - 4} y2={height} className="cc-grid" />
              <text x={x(t) + 3} y={14} className="cc-tick">
                {formatTime(new Date(t).toISOString())}
              </text>
            </g>
          ))}
        </g>
        {activities.map((a, i) => {
          const y = head + i * rowH;
          const ps = x(Date.parse(a.plannedStart));
          const pf = x(Date.parse(a.plannedFinish));
          const as = x(Date.parse(a.startedAt ?? a.projectedStart));
          const af = x(Date.parse(a.finishedAt ?? a.projectedFinish));
          return (
            <g key={a.id} data-testid="cc-bar">
              <text x={4} y={y + rowH * 0.62} className="cc-bar-label">
                {a.title.length > 34 ? `${a.title.slice(0, 33)}…` : a.title}
              </text>
              <g transform={`translate(${labelW},0)`}>
                <rect x={ps} y={y + 4} width={Math.max(2, pf - ps)} height={5} className="cc-bar-planned" />
                <rect
                  x={as}
                  y={y + 10}
                  width={Math.max(3, af - as)}
                  height={rowH - 14}
                  rx={3}
                  className={`cc-bar cc-bar--${a.status.toLowerCase()}${a.critical ? ' cc-bar--critical' : ''}`}
                >
                  <title>{`${a.title}: ${a.status.toLowerCase().replace('_', ' ')}; planned ${formatTime(a.plannedStart)}–${formatTime(a.plannedFinish)}, ${a.finishedAt ? 'actual' : 'projected'} ${formatTime(a.startedAt ?? a.projectedStart)}–${formatTime(a.finishedAt ?? a.projectedFinish)}${a.critical ? ' (critical path)' : ''}`}</title>
                </rect>
              </g>
            </g>
          );
        })}
        <g transform={`translate(${labelW},0)`}>
          <line x1={deadlineX} x2={deadlineX} y1={head - 6} y2={height} className="cc-deadline" />
          <text x={deadlineX - 4} y={height - 6} textAnchor="end" className="cc-deadline-label">
            window ends
          </text>
          {nowX >= 0 && nowX <= chartW ? <line x1={nowX} x2={nowX} y1={head - 6} y2={height} className="cc-now" /> : null}
        </g>
      </svg>
    </div>
  );
}
