import { useRef } from 'react';
import { useElementWidth } from './useElementWidth';

export interface Segment {
  key: string;
  label: string;
  value: number;
  /** A CSS colour; the label and value are always written too. */
  color: string;
}

export interface StackedRow {
  id: string;
  label: string;
  segments: Segment[];
}

/** The widths of stacked segments on `width` px, for a scale whose whole is `max`. */
export function stackWidths(values: readonly number[], max: number, width: number): { x: number; w: number }[] {
  const scale = max > 0 ? width / max : 0;
  let x = 0;
  return values.map((v) => {
    const w = Math.max(0, v) * scale;
    const out = { x, w };
    x += w;
    return out;
  });
}

/**
 * Horizontal stacked bars (plain SVG): one row per item, segments in order, the numbers
 * written in each segment wide enough to hold them and in the row's accessible name.
 */
export function StackedBarChart({
  rows,
  max,
  unit = '',
  label,
  testId,
}: {
  rows: readonly StackedRow[];
  /** The whole of the scale; by default the largest row total. */
  max?: number;
  unit?: string;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref, 800);
  const labelW = Math.min(220, width * 0.3);
  const chartW = Math.max(120, width - labelW - 60);
  const rowH = 28;
  const whole = max ?? Math.max(1, ...rows.map((r) => r.segments.reduce((s, x) => s + x.value, 0)));
  const legend = rows[0]?.segments ?? [];
  return (
    <div ref={ref} data-testid={testId}>
      <svg width={width} height={rows.length * rowH + 4} className="chart" role="img" aria-label={label}>
        {rows.map((r, i) => {
          const y = i * rowH + 2;
          const widths = stackWidths(
            r.segments.map((s) => s.value),
            whole,
            chartW,
          );
          const total = r.segments.reduce((s, x) => s + x.value, 0);
          return (
            <g key={r.id} data-testid="chart-row">
              <title>{`${r.label}: ${r.segments.map((s) => `${s.label} ${s.value}${unit}`).join(', ')}`}</title>
              <text x={0} y={y + rowH * 0.62} className="chart-bar-label">
                {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
              </text>
              <rect x={labelW} y={y + 4} width={chartW} height={rowH - 8} fill="#f1f3f6" rx={3} />
              {r.segments.map((s, j) => {
                const g = widths[j];
                if (!g || g.w <= 0) return null;
                return (
                  <g key={s.key}>
                    <rect x={labelW + g.x} y={y + 4} width={g.w} height={rowH - 8} fill={s.color} data-segment={s.key} />
                    {g.w > 22 ? (
                      <text x={labelW + g.x + g.w / 2} y={y + rowH * 0.62} textAnchor="middle" className="chart-seg-value">
                        {s.value}
                      </text>
                    ) : null}
                  </g>
                );
              })}
              <text x={labelW + chartW + 6} y={y + rowH * 0.62} className="chart-value">
                {Math.round(total * 10) / 10}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
      {legend.length > 1 ? (
        <ul className="legend" aria-label="Legend">
          {legend.map((s) => (
            <li key={s.key}>
              <span className="bk-swatch" style={{ background: s.color, borderColor: s.color }} /> {s.label}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
