import { useState, type SyntheticEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useLiveStatus } from '../api/liveStatus';
import { mayDecidePlan, mayOperateActivity } from '../auth/permissions';
import { useCan, useViewer } from '../auth/viewer';
import type { IssueSeverity } from '../gql/graphql';
import { PlanModeBadge } from '../plans/PlanModeBadge';
import { RunControls } from '../plans/RunControls';
import { Badge } from '../ui/Badge';
import { formatMinutes, formatTime, humanize } from '../ui/format';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useNow } from '../ui/useNow';
import { useTitle } from '../ui/useTitle';
import { ActivityControls } from './ActivityControls';
import {
  applyUpdate,
  byLane,
  criticalTitles,
  isOverdue,
  LANES,
  outlook,
  spareMinutes,
  type Board,
  type LiveActivity,
  type RunIssue,
} from './board';
import { CommandCentrePlanQuery, GoLiveSubscription, RaiseRunIssueMutation, ResolveRunIssueMutation } from './documents';
import { RunTimeline } from './RunTimeline';

const OUTLOOK_TEXT = {
  ON_TRACK: 'On track',
  TIGHT: 'Tight',
  AT_RISK: 'At risk',
  FINISHED: 'Finished',
} as const;

function Clock() {
  const now = useNow(1000);
  return (
    <span className="cc-clock" aria-label="Current time">
      {new Date(now).toLocaleTimeString('en-GB')}
    </span>
  );
}

function LiveIndicator() {
  const status = useLiveStatus();
  const text = status === 'connected' ? 'Live' : status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  return (
    <span className={`cc-live cc-live--${status}`} role="status" aria-live="polite" data-testid="cc-live">
      <span className="cc-live__dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function ActivityCard({ a, now, operate, mayDecide }: { a: LiveActivity; now: number; operate: boolean; mayDecide: boolean }) {
  const viewer = useViewer();
  const mayOperate = mayOperateActivity(viewer, a);
  const overdue = isOverdue(a, now);
  const decided = a.kind === 'CHECKPOINT' || a.kind === 'GO_NO_GO';
  return (
    <li
      className={`cc-card cc-card--${a.status.toLowerCase()}${a.critical ? ' cc-card--critical' : ''}${overdue ? ' cc-card--overdue' : ''}`}
      data-testid="cc-activity"
      data-status={a.status}
      aria-label={a.title}
    >
      <div className="cc-card__head">
        <strong className="cc-card__title">{a.title}</strong>
        <span className="cc-card__status">{humanize(a.status)}</span>
      </div>
      <div className="cc-card__meta">
        {decided ? <span className="cc-tag cc-tag--decision">{a.kind === 'GO_NO_GO' ? 'Go/no-go' : 'Checkpoint'}</span> : null}
        {a.kind === 'AUTOMATED' ? <span className="cc-tag">Automated</span> : null}
        {a.critical ? <span className="cc-tag cc-tag--critical">Critical path</span> : null}
        {overdue ? <span className="cc-tag cc-tag--overdue">Overdue</span> : null}
        <span>{a.ownerName ?? a.ownerTeam ?? 'No owner'}</span>
        <span>
          planned {formatTime(a.plannedStart)}–{formatTime(a.plannedFinish)}
        </span>
        {a.startedAt ? <span>started {formatTime(a.startedAt)}</span> : null}
        {a.finishedAt ? <span>finished {formatTime(a.finishedAt)}</span> : !a.startedAt ? <span>expected {formatTime(a.projectedStart)}</span> : null}
      </div>
      {a.decision ? (
        <div className="cc-card__note">
          {a.decision === 'GO' ? 'GO' : 'NO-GO'} by {a.decidedBy ?? '—'}
        </div>
      ) : null}
      {a.note ? <div className="cc-card__note">{a.note}</div> : null}
      {operate && (mayOperate || mayDecide) ? <ActivityControls activity={a} authority={{ mayOperate, mayDecide }} /> : null}
    </li>
  );
}

function RaiseIssueForm({ planId, activities, onDone }: { planId: string; activities: readonly LiveActivity[]; onDone: () => void }) {
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<IssueSeverity>('MEDIUM');
  const [activityId, setActivityId] = useState('');
  const [{ fetching, error }, raise] = useMutation(RaiseRunIssueMutation);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const r = await raise({ input: { planId, title: title.trim(), severity, ...(activityId ? { activityId } : {}) } });
    if (!r.error) onDone();
  }
  return (
    <form className="cc-issue-form" onSubmit={(e) => void submit(e)} aria-label="Raise an issue">
      <ErrorBanner error={error} />
      <div className="field">
        <label className="field__label" htmlFor="issue-title">
          Issue
        </label>
        <input id="issue-title" value={title} onChange={(e) => setTitle(e.target.value)} required autoFocus />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="issue-severity">
          Severity
        </label>
        <select id="issue-severity" value={severity} onChange={(e) => setSeverity(e.target.value as IssueSeverity)}>
          {(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const).map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="issue-activity">
          Activity
        </label>
        <select id="issue-activity" value={activityId} onChange={(e) => setActivityId(e.target.value)}>
          <option value="">The whole run</option>
          {activities.map((a) => (
            <option key={a.id} value={a.id}>
              {a.title}
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn--small btn--primary" disabled={fetching || !title.trim()}>
          Raise issue
        </button>
        <button type="button" className="btn btn--small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function IssueItem({ issue, titles, operate }: { issue: RunIssue; titles: Map<string, string>; operate: boolean }) {
  const [{ fetching, error }, resolve] = useMutation(ResolveRunIssueMutation);
  return (
    <li className={`cc-issue cc-issue--${issue.severity.toLowerCase()}${issue.resolved ? ' cc-issue--resolved' : ''}`} data-testid="cc-issue">
      <div className="cc-card__head">
        <strong>{issue.title}</strong>
        <span className="cc-card__status">{issue.resolved ? 'Resolved' : humanize(issue.severity)}</span>
      </div>
      <div className="cc-card__meta">
        <span>
          {issue.raisedBy} · {formatTime(issue.raisedAt)}
        </span>
        {issue.activityId ? <span>{titles.get(issue.activityId) ?? ''}</span> : null}
        {issue.resolution ? <span>{issue.resolution}</span> : null}
      </div>
      <ErrorBanner error={error} />
      {operate && !issue.resolved ? (
        <button
          type="button"
          className="btn btn--small"
          disabled={fetching}
          aria-label={`Resolve ${issue.title}`}
          onClick={() => void resolve({ input: { id: issue.id } })}
        >
          Resolve
        </button>
      ) : null}
    </li>
  );
}

/**
 * The go-live command centre: a wall display of one plan's run, kept live by the
 * `goLiveStatus` subscription (a snapshot, then deltas; after a reconnect a fresh snapshot).
 * With `?view=wall` the operating controls are hidden.
 */
export function CommandCentrePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const wall = params.get('view') === 'wall';
  const viewer = useViewer();
  const canOperate = useCan('OPERATE_ACTIVITIES');
  const operate = canOperate && !wall;
  const now = useNow(15_000);
  const [raising, setRaising] = useState(false);
  const [{ data: planData, error: planError, fetching: planFetching }, refetchPlan] = useQuery({
    query: CommandCentrePlanQuery,
    variables: { id },
  });
  const [{ data: board, error: liveError }] = useSubscription(
    { query: GoLiveSubscription, variables: { planId: id } },
    (prev: Board | null | undefined, data) => applyUpdate(prev ?? null, data.goLiveStatus),
  );
  const plan = planData?.deploymentPlan;
  useTitle(plan ? `Command centre · ${plan.name}` : 'Command centre');

  if (!plan) {
    if (planFetching) return <Loading label="Opening the command centre" fullPage />;
    return <ErrorState error={planError} fullPage onRetry={() => refetchPlan({ requestPolicy: 'network-only' })} />;
  }
  const accountable = plan.raci.find((r) => r.role === 'ACCOUNTABLE');
  const mayDecide = mayDecidePlan(viewer, plan.raci);
  const windowMinutes = (Date.parse(plan.windowEnd) - Date.parse(plan.windowStart)) / 60_000;
  const look = board ? outlook(board, windowMinutes) : 'ON_TRACK';
  const spare = board ? spareMinutes(board) : 0;
  const lanes = board ? byLane(board.activities) : null;
  const titles = new Map((board?.activities ?? []).map((a) => [a.id, a.title]));
  const decisions = (board?.activities ?? []).filter((a) => a.kind === 'CHECKPOINT' || a.kind === 'GO_NO_GO');
  const openIssues = (board?.issues ?? []).filter((i) => !i.resolved);
  const critical = board ? criticalTitles(board) : [];

  return (
    <div className={`cc cc--${look.toLowerCase()}`} data-testid="command-centre" data-outlook={look}>
      <header className="cc-head">
        <div className="cc-head__title">
          <Link to={`/plans/${plan.id}`} className="cc-back">
            ← Plan
          </Link>
          <h1>{plan.name}</h1>
          {plan.release ? (
            <span className="cc-release">
              <Link to={`/releases/${plan.release.id}`}>{plan.release.key}</Link> {plan.release.name}
            </span>
          ) : null}
          <PlanModeBadge mode={board?.planMode ?? plan.mode} />
          {board?.run ? <Badge value={board.run.kind === 'EXECUTION' ? 'GO_LIVE' : 'PLANNED'} label={humanize(board.run.kind)} /> : null}
        </div>
        <div className="cc-head__right">
          <LiveIndicator />
          <Clock />
          <button
            type="button"
            className="btn btn--small cc-btn"
            aria-pressed={wall}
            onClick={() => {
              const n = new URLSearchParams(params);
              if (wall) n.delete('view');
              else n.set('view', 'wall');
              setParams(n, { replace: true });
              if (!wall && typeof document.documentElement.requestFullscreen === 'function') {
                document.documentElement.requestFullscreen().catch(() => undefined);
              }
            }}
          >
            {wall ? 'Leave wall display' : 'Wall display'}
          </button>
        </div>
      </header>
      <ErrorBanner error={liveError} />
      {!board ? (
        <Loading label="Waiting for the live status" />
      ) : (
        <>
          <section className="cc-tiles" aria-label="Summary">
            <div className="cc-tile cc-tile--progress">
              <p className="cc-tile__label">Progress</p>
              <p className="cc-tile__value" data-testid="cc-progress">
                {Math.round(board.progress * 100)}%
              </p>
              <div className="cc-progress" role="progressbar" aria-label="Progress of the run" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(board.progress * 100)}>
                <div className="cc-progress__bar" style={{ width: `${Math.round(board.progress * 100)}%` }} />
              </div>
              <p className="cc-tile__sub" data-testid="cc-done">
                {board.counts.done + board.counts.skipped} of {board.counts.total} activities done
              </p>
            </div>
            <div className={`cc-tile cc-tile--outlook cc-tile--${look.toLowerCase()}`} data-testid="cc-outlook">
              <p className="cc-tile__label">Projected finish</p>
              <p className="cc-tile__value">{formatTime(board.projectedFinish)}</p>
              <p className="cc-tile__sub">
                <strong>{OUTLOOK_TEXT[look]}</strong>
                {look === 'FINISHED' ? null : spare >= 0 ? ` · ${formatMinutes(spare)} to spare` : ` · ${formatMinutes(-spare)} past the window`}
              </p>
            </div>
            <div className="cc-tile">
              <p className="cc-tile__label">Window ends</p>
              <p className="cc-tile__value">{formatTime(board.deadline)}</p>
              <p className="cc-tile__sub">planned finish {formatTime(board.plannedFinish)}</p>
            </div>
            <div className="cc-tile">
              <p className="cc-tile__label">Activities</p>
              <ul className="cc-counts">
                <li>
                  <b>{board.counts.inProgress}</b> in progress
                </li>
                <li>
                  <b>{board.counts.ready}</b> ready
                </li>
                <li>
                  <b>{board.counts.pending}</b> waiting
                </li>
                <li className={board.counts.failed + board.counts.blocked > 0 ? 'cc-counts--bad' : undefined}>
                  <b>{board.counts.failed + board.counts.blocked}</b> failed or blocked
                </li>
              </ul>
            </div>
            <div className={`cc-tile${openIssues.length > 0 ? ' cc-tile--at_risk' : ''}`}>
              <p className="cc-tile__label">Open issues</p>
              <p className="cc-tile__value" data-testid="cc-open-issues">
                {openIssues.length}
              </p>
            </div>
          </section>

          {!board.run ? (
            <div className="cc-norun">
              <Empty title="No run in progress">
                The board comes alive when a rehearsal or the execution starts.
              </Empty>
            </div>
          ) : null}
          {!wall ? <RunControls planId={plan.id} mode={board.planMode} releaseStatus={plan.release?.status} onChanged={() => refetchPlan({ requestPolicy: 'network-only' })} /> : null}

          <RunTimeline activities={board.activities} windowStart={board.run?.startedAt ?? plan.windowStart} deadline={board.deadline} projectedFinish={board.projectedFinish} now={now} />

          <div className="cc-main">
            <section className="cc-lanes" aria-label="Activities by state">
              {lanes
                ? LANES.filter(({ lane }) => lane !== 'ATTENTION' || lanes.ATTENTION.length > 0).map(({ lane, title }) => (
                    <div key={lane} className={`cc-lane cc-lane--${lane.toLowerCase()}`} data-testid={`cc-lane-${lane.toLowerCase()}`}>
                      <h2>
                        {title} <span className="cc-lane__count">{lanes[lane].length}</span>
                      </h2>
                      <ul className="cc-cards">
                        {lanes[lane].map((a) => (
                          <ActivityCard key={a.id} a={a} now={now} operate={operate} mayDecide={mayDecide} />
                        ))}
                      </ul>
                    </div>
                  ))
                : null}
            </section>
            <aside className="cc-side">
              <section aria-labelledby="cc-decisions">
                <h2 id="cc-decisions">Checkpoints and go/no-go</h2>
                {decisions.length === 0 ? (
                  <p className="cc-muted">None in this plan.</p>
                ) : (
                  <ul className="cc-decisions">
                    {decisions.map((d) => (
                      <li key={d.id} className={`cc-decision cc-decision--${(d.decision ?? d.status).toLowerCase()}`}>
                        <span>{d.title}</span>
                        <strong>{d.decision ? (d.decision === 'GO' ? 'GO' : 'NO-GO') : humanize(d.status)}</strong>
                      </li>
                    ))}
                  </ul>
                )}
                {accountable ? (
                  <p className="cc-muted">Decided by {accountable.user?.displayName ?? accountable.team}</p>
                ) : (
                  <p className="cc-muted">No accountable person named on the plan: nobody can decide.</p>
                )}
              </section>
              <section aria-labelledby="cc-critical">
                <h2 id="cc-critical">Critical path</h2>
                {critical.length === 0 ? (
                  <p className="cc-muted">—</p>
                ) : (
                  <ol className="cc-critical" data-testid="cc-critical">
                    {critical.map((t, i) => (
                      <li key={`${t}-${i}`}>{t}</li>
                    ))}
                  </ol>
                )}
              </section>
              <section aria-labelledby="cc-issues">
                <div className="cc-side__head">
                  <h2 id="cc-issues">Issues</h2>
                  {operate && board.run && !raising ? (
                    <button type="button" className="btn btn--small cc-btn" onClick={() => setRaising(true)}>
                      Raise issue
                    </button>
                  ) : null}
                </div>
                {raising ? <RaiseIssueForm planId={plan.id} activities={board.activities} onDone={() => setRaising(false)} /> : null}
                {board.issues.length === 0 ? (
                  <p className="cc-muted">No issues raised.</p>
                ) : (
                  <ul className="cc-issues">
                    {board.issues.map((i) => (
                      <IssueItem key={i.id} issue={i} titles={titles} operate={operate} />
                    ))}
                  </ul>
                )}
              </section>
            </aside>
          </div>
        </>
      )}
    </div>
  );
}
