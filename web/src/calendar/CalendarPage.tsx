import { useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { ReleaseKind } from '../gql/graphql';
import { isMilestoneOverdue } from '../releases/health';
import { formatDay, humanize, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading, Notice } from '../ui/states';
import { useElementWidth, useRootFontSize } from '../ui/useElementWidth';
import { useNow } from '../ui/useNow';
import { useTitle } from '../ui/useTitle';
import {
  addDays,
  barFor,
  lastDay,
  layoutRows,
  instantX,
  makeScale,
  pointFor,
  spanFor,
  shiftWindow,
  ticksFor,
  windowFor,
  ZOOM_ORDER,
  ZOOMS,
  type Window,
  type Zoom,
} from './geometry';

const CalendarQuery = graphql(`
  query Calendar($filter: ReleaseFilter!, $blackouts: BlackoutFilter!) {
    releases(filter: $filter, first: 100, orderBy: { field: PLANNED_START }) {
      totalCount
      pageInfo {
        hasNextPage
      }
      nodes {
        id
        key
        name
        kind
        status
        plannedStart
        plannedGoLive
        actualGoLive
        parent {
          id
          key
        }
        phases {
          id
          name
          position
          plannedStart
          plannedEnd
          actualStart
          actualEnd
        }
        milestones {
          id
          name
          plannedDate
          actualAt
        }
        gates {
          id
          name
          status
          dueAt
        }
      }
    }
    blackouts(filter: $blackouts) {
      id
      name
      startsAt
      endsAt
      timeZone
      localStartsAt
      localEndsAt
      orgWide
      environments {
        id
        name
      }
      systems {
        id
        code
      }
    }
  }
`);

const KINDS_SHOWN: readonly ReleaseKind[] = ['ENTERPRISE', 'PROJECT', 'INDEPENDENT', 'EMERGENCY'];
const PHASE_COLOURS = ['#64748b', '#2563eb', '#7c3aed', '#0891b2', '#d97706', '#dc2626', '#059669', '#db2777'];

function isZoom(v: string | null): v is Zoom {
  return v !== null && (ZOOM_ORDER as readonly string[]).includes(v);
}

/** The consolidated release calendar: enterprise and project releases with phases and milestones. */
export function CalendarPage() {
  useTitle('Release calendar');
  const [params, setParams] = useSearchParams();
  const zoomParam = params.get('zoom');
  const zoom: Zoom = isZoom(zoomParam) ? zoomParam : 'quarter';
  const fromParam = params.get('from');
  const anchor = fromParam && /^\d{4}-\d{2}-\d{2}$/.test(fromParam) ? fromParam : todayIso();
  const win = windowFor(zoom, anchor);

  function go(next: { zoom?: Zoom; window?: Window }) {
    const n = new URLSearchParams(params);
    if (next.zoom) n.set('zoom', next.zoom);
    if (next.window) n.set('from', next.window.from);
    setParams(n, { replace: true });
  }

  const zoomIndex = ZOOM_ORDER.indexOf(zoom);

  return (
    <>
      <PageHeader
        title="Release calendar"
        subtitle="Enterprise and project releases with their phases, milestones and gates, and the blackout periods. Zoom from weeks to a year to publish the next twelve months."
        actions={
          <button type="button" className="btn" onClick={() => window.print()}>
            Print / publish
          </button>
        }
      />
      <div className="toolbar" role="toolbar" aria-label="Calendar controls">
        <div className="button-row" role="group" aria-label="Zoom">
          {ZOOM_ORDER.map((z) => (
            <button
              key={z}
              type="button"
              className={z === zoom ? 'btn btn--primary' : 'btn'}
              aria-pressed={z === zoom}
              onClick={() => go({ zoom: z, window: windowFor(z, win.from) })}
            >
              {ZOOMS[z].label}
            </button>
          ))}
          <button
            type="button"
            className="btn"
            aria-label="Zoom in"
            disabled={zoomIndex === 0}
            onClick={() => {
              const z = ZOOM_ORDER[zoomIndex - 1];
              if (z) go({ zoom: z, window: windowFor(z, win.from) });
            }}
          >
            +
          </button>
          <button
            type="button"
            className="btn"
            aria-label="Zoom out"
            disabled={zoomIndex === ZOOM_ORDER.length - 1}
            onClick={() => {
              const z = ZOOM_ORDER[zoomIndex + 1];
              if (z) go({ zoom: z, window: windowFor(z, win.from) });
            }}
          >
            −
          </button>
        </div>
        <div className="button-row" role="group" aria-label="Move in time">
          <button type="button" className="btn" onClick={() => go({ window: shiftWindow(zoom, win, -1) })}>
            ← Earlier
          </button>
          <button type="button" className="btn" onClick={() => go({ window: windowFor(zoom, todayIso()) })}>
            Today
          </button>
          <button type="button" className="btn" onClick={() => go({ window: shiftWindow(zoom, win, 1) })}>
            Later →
          </button>
          <button type="button" className="btn" onClick={() => go({ zoom: 'year', window: windowFor('year', todayIso()) })}>
            Next 12 months
          </button>
        </div>
        <span className="muted" aria-live="polite">
          {formatDay(win.from)} – {formatDay(lastDay(win))}
        </span>
      </div>
      <CalendarChart window={win} zoom={zoom} />
    </>
  );
}

function CalendarChart({ window: win, zoom }: { window: Window; zoom: Zoom }) {
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CalendarQuery,
    variables: {
      filter: { plannedFrom: win.from, plannedTo: lastDay(win), kind: [...KINDS_SHOWN] },
      blackouts: { from: `${win.from}T00:00:00Z`, to: `${win.to}T00:00:00Z` },
    },
  });
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box, 1100);
  const navigate = useNavigate();
  const today = todayIso();
  const now = useNow();

  // Sizes follow the root font size, so the chart stays legible on a wall display.
  const rem = useRootFontSize();
  const ROW_H = Math.round(rem * 2.3);
  const HEAD_H = Math.round(rem * 2.8);
  const charW = rem * 0.5;
  const labelW = width < 700 ? 150 : Math.min(Math.round(rem * 19), Math.round(width * 0.3));
  const chartW = Math.max(200, width - labelW - 8);
  const scale = makeScale(win, chartW);
  const ticks = ticksFor(scale, ZOOMS[zoom].tick);
  const releases = data?.releases.nodes ?? [];
  const rows = layoutRows(releases);
  const height = HEAD_H + Math.max(1, rows.length) * ROW_H + 4;
  // Narrow months: the first tick drops its year (the window's dates are in the toolbar).
  const first = ticks[0];
  const second = ticks[1];
  if (first && second && second.x - first.x < rem * 4.5 && !first.day.endsWith('-01-01')) {
    first.label = first.label.replace(/ \d{4}$/, '');
  }
  const todayX = pointFor(scale, today);
  const blackouts = data?.blackouts ?? [];

  return (
    <div ref={box} className="calendar" data-testid="calendar">
      {!data && fetching ? <Loading label="Loading the calendar" /> : null}
      {!data && !fetching ? <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data && error ? <ErrorState error={error} /> : null}
      {data?.releases.pageInfo.hasNextPage ? (
        <Notice tone="warning">
          Showing the first 100 of {data.releases.totalCount} releases in this window; zoom in to see the rest.
        </Notice>
      ) : null}
      {data && rows.length === 0 ? <Empty title="No releases planned in this window" /> : null}
      {data && rows.length > 0 ? (
        <svg
          className="calendar__svg"
          width={width}
          height={height}
          role="img"
          aria-label={`Release calendar from ${formatDay(win.from)} to ${formatDay(lastDay(win))}: ${rows.length} releases`}
        >
          <defs>
            <clipPath id="cal-label-clip">
              <rect x={0} y={0} width={labelW - 10} height={height} />
            </clipPath>
          </defs>
          <g transform={`translate(${labelW},0)`}>
            {ticks.map((t) => (
              <g key={t.day}>
                <line x1={t.x} x2={t.x} y1={HEAD_H - 6} y2={height} className={t.major ? 'cal-grid cal-grid--major' : 'cal-grid'} />
                <text x={t.x + 4} y={HEAD_H - 10} className="cal-tick">
                  {t.label}
                </text>
              </g>
            ))}
          </g>
          {rows.map(({ release: r, depth }, i) => {
            const y = HEAD_H + i * ROW_H;
            const span = barFor(scale, r.plannedStart, r.plannedGoLive);
            const goLiveX = pointFor(scale, r.plannedGoLive);
            const href = `/releases/${r.id}`;
            return (
              <g key={r.id} className={`cal-row cal-row--${r.kind.toLowerCase()}`} data-key={r.key}>
                {i % 2 === 1 ? <rect x={0} y={y} width={width} height={ROW_H} className="cal-stripe" /> : null}
                <a
                  href={href}
                  onClick={(e) => {
                    e.preventDefault();
                    void navigate(href);
                  }}
                >
                  <title>{`${r.key} ${r.name} — ${humanize(r.status)}, ${formatDay(r.plannedStart)} to ${formatDay(r.plannedGoLive)}`}</title>
                  <text x={8 + depth * 16} y={y + ROW_H / 2 + rem * 0.3} clipPath="url(#cal-label-clip)" className={depth === 0 ? 'cal-label cal-label--top' : 'cal-label'}>
                    <tspan className="cal-key">{r.key}</tspan>
                    <tspan dx={6}>{truncate(r.name, Math.floor((labelW - 24 - depth * 16 - r.key.length * charW * 1.05) / (depth === 0 ? charW * 1.1 : charW)))}</tspan>
                  </text>
                </a>
                <g transform={`translate(${labelW},0)`}>
                  {span ? (
                    <rect
                      x={span.x}
                      y={y + ROW_H * 0.17}
                      width={span.width}
                      height={ROW_H * 0.66}
                      rx={4}
                      className={`cal-span cal-span--${r.status.toLowerCase()}`}
                    />
                  ) : null}
                  {[...r.phases]
                    .sort((a, b) => a.position - b.position)
                    .map((p, pi) => {
                      const b = barFor(scale, p.plannedStart, p.plannedEnd);
                      if (!b) return null;
                      return (
                        <rect
                          key={p.id}
                          x={b.x}
                          y={y + ROW_H * 0.3}
                          width={b.width}
                          height={ROW_H * 0.4}
                          className="cal-phase"
                          fill={PHASE_COLOURS[pi % PHASE_COLOURS.length]}
                          opacity={p.actualEnd ? 0.55 : 0.9}
                        >
                          <title>{`${r.key} · ${p.name}: ${formatDay(p.plannedStart)} – ${formatDay(p.plannedEnd)}${p.actualEnd ? ' (done)' : p.actualStart ? ' (running)' : ''}`}</title>
                        </rect>
                      );
                    })}
                  {r.milestones.map((m) => {
                    const mx = pointFor(scale, m.plannedDate);
                    if (mx === null) return null;
                    const state = m.actualAt ? 'reached' : isMilestoneOverdue(m, today) ? 'overdue' : 'open';
                    const s = Math.round(rem * 0.4);
                    return (
                      <path
                        key={m.id}
                        d={`M${mx} ${y + ROW_H / 2 - s} L${mx + s} ${y + ROW_H / 2} L${mx} ${y + ROW_H / 2 + s} L${mx - s} ${y + ROW_H / 2} Z`}
                        className={`cal-milestone cal-milestone--${state}`}
                      >
                        <title>{`${m.name}: ${formatDay(m.plannedDate)} — ${state}`}</title>
                      </path>
                    );
                  })}
                  {r.gates.map((g) => {
                    if (!g.dueAt) return null;
                    const gx = instantX(scale, g.dueAt);
                    if (gx === null) return null;
                    const overdue = g.status === 'PENDING' && Date.parse(g.dueAt) < now;
                    const s = Math.round(rem * 0.32);
                    const top = y + ROW_H - s * 2 - 2;
                    return (
                      <rect
                        key={g.id}
                        x={gx - s}
                        y={top}
                        width={s * 2}
                        height={s * 2}
                        className={`cal-gate cal-gate--${overdue ? 'overdue' : g.status.toLowerCase()}`}
                        data-testid="cal-gate"
                      >
                        <title>{`Gate ${g.name}: due ${formatDay(g.dueAt)} — ${overdue ? 'overdue' : humanize(g.status).toLowerCase()}`}</title>
                      </rect>
                    );
                  })}
                  {goLiveX !== null ? (
                    <path d={`M${goLiveX} ${y + 2} l${rem * 0.33} 0 l${-rem * 0.33} ${rem * 0.5} l${-rem * 0.33} ${-rem * 0.5} z`} className="cal-golive">
                      <title>{`${r.key} go-live ${formatDay(r.plannedGoLive)}`}</title>
                    </path>
                  ) : null}
                </g>
              </g>
            );
          })}
          <g transform={`translate(${labelW},0)`} className="cal-blackouts">
            {blackouts.map((b, bi) => {
              const band = spanFor(scale, b.startsAt, b.endsAt);
              if (!band) return null;
              const scope = b.orgWide
                ? 'org-wide'
                : [...b.environments.map((e) => e.name), ...b.systems.map((x) => x.code)].join(', ');
              return (
                <g key={b.id} data-testid="cal-blackout">
                  <rect x={band.x} y={HEAD_H - 6} width={band.width} height={height - HEAD_H + 6} className={b.orgWide ? 'cal-blackout' : 'cal-blackout cal-blackout--scoped'}>
                    <title>{`Blackout “${b.name}” (${scope}): ${b.localStartsAt.slice(0, 16).replace('T', ' ')} – ${b.localEndsAt.slice(0, 16).replace('T', ' ')} ${b.timeZone}`}</title>
                  </rect>
                  {band.width > rem * 3 ? (
                    <text x={band.x + 4} y={HEAD_H + rem * 0.1 + (bi % 2) * rem} className="cal-blackout-label">
                      {truncate(b.name, Math.floor(band.width / charW) - 1)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
          {todayX !== null ? (
            <g transform={`translate(${labelW},0)`}>
              <line x1={todayX} x2={todayX} y1={HEAD_H - 6} y2={height} className="cal-today" />
              <text x={todayX + 3} y={HEAD_H - 10 - rem} className="cal-today-label">
                today
              </text>
            </g>
          ) : null}
        </svg>
      ) : null}
      <Legend />
      <p className="muted small print-hide">
        Releases shown: those whose planned window overlaps {formatDay(win.from)} – {formatDay(addDays(win.to, -1))}.{' '}
        <Link to="/releases">Release list</Link>
      </p>
    </div>
  );
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, Math.max(1, n - 1))}…` : s;
}

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <svg width="28" height="12" aria-hidden="true">
          <rect x="1" y="1" width="26" height="10" rx="3" className="cal-span cal-span--planned" />
        </svg>
        Planned window (start → go-live)
      </li>
      <li>
        <svg width="28" height="12" aria-hidden="true">
          <rect x="1" y="2" width="26" height="8" fill={PHASE_COLOURS[1]} />
        </svg>
        Phase (faded when done)
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <path d="M7 1 L13 7 L7 13 L1 7 Z" className="cal-milestone cal-milestone--open" />
        </svg>
        Milestone open
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <path d="M7 1 L13 7 L7 13 L1 7 Z" className="cal-milestone cal-milestone--reached" />
        </svg>
        reached
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <path d="M7 1 L13 7 L7 13 L1 7 Z" className="cal-milestone cal-milestone--overdue" />
        </svg>
        overdue
      </li>
      <li>
        <svg width="12" height="10" aria-hidden="true">
          <path d="M6 1 l5 0 l-5 8 l-5 -8 z" className="cal-golive" />
        </svg>
        Go-live
      </li>
      <li>
        <svg width="12" height="12" aria-hidden="true">
          <rect x="1" y="1" width="10" height="10" className="cal-gate cal-gate--pending" />
        </svg>
        Gate due (pending)
      </li>
      <li>
        <svg width="12" height="12" aria-hidden="true">
          <rect x="1" y="1" width="10" height="10" className="cal-gate cal-gate--passed" />
        </svg>
        passed / waived
      </li>
      <li>
        <svg width="12" height="12" aria-hidden="true">
          <rect x="1" y="1" width="10" height="10" className="cal-gate cal-gate--failed" />
        </svg>
        failed or overdue
      </li>
      <li>
        <svg width="28" height="12" aria-hidden="true">
          <rect x="1" y="0" width="26" height="12" className="cal-blackout" />
        </svg>
        Blackout (org-wide; lighter: some environments or systems)
      </li>
    </ul>
  );
}
