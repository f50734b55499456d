import { useState, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import type { ActivityAction, Decision } from '../gql/graphql';
import { ErrorBanner } from '../ui/states';
import type { LiveActivity } from './board';
import { DecideActivityMutation, UpdateActivityStatusMutation } from './documents';

interface Choice {
  label: string;
  action?: ActivityAction;
  decision?: Decision;
  /** Asks for a note first (fail, skip, block, no-go). */
  note?: string;
  tone?: 'primary' | 'danger';
}

/** Who is looking: may they move this activity, may they decide the plan's checkpoints? */
export interface Authority {
  /** Its owner, an implementation manager or an admin (`mayOperateActivity`). */
  mayOperate: boolean;
  /** The plan's accountable person (`mayDecidePlan`). */
  mayDecide: boolean;
}

/**
 * What this viewer can do to an activity in its status: nothing they would be refused (the
 * server has the last word). Go/no-go and checkpoints are decided by the accountable; every
 * other move (start, complete, fail, block, skip, retry) belongs to those who may operate it.
 */
export function choicesFor(a: Pick<LiveActivity, 'kind' | 'status'>, { mayOperate, mayDecide }: Authority): Choice[] {
  const decided = a.kind === 'CHECKPOINT' || a.kind === 'GO_NO_GO';
  const out: Choice[] = [];
  if (decided) {
    if (mayDecide && (a.status === 'READY' || a.status === 'IN_PROGRESS')) {
      out.push({ label: a.kind === 'GO_NO_GO' ? 'Go' : 'Pass', decision: 'GO', tone: 'primary' });
      out.push({ label: a.kind === 'GO_NO_GO' ? 'No-go' : 'Stop', decision: 'NO_GO', note: 'Why no-go?', tone: 'danger' });
    }
  } else if (mayOperate) {
    if (a.status === 'READY') out.push({ label: 'Start', action: 'START', tone: 'primary' });
    if (a.status === 'IN_PROGRESS') {
      out.push({ label: 'Complete', action: 'COMPLETE', tone: 'primary' });
      out.push({ label: 'Fail', action: 'FAIL', note: 'What failed?', tone: 'danger' });
    }
  }
  if (!mayOperate) return out;
  if (a.status === 'BLOCKED') out.push({ label: 'Unblock', action: 'UNBLOCK' });
  if (a.status === 'PENDING' || a.status === 'READY') out.push({ label: 'Block', action: 'BLOCK', note: 'What blocks it?' });
  if (['PENDING', 'READY', 'FAILED', 'BLOCKED'].includes(a.status)) out.push({ label: 'Skip', action: 'SKIP', note: 'Why skip it?' });
  if (a.status === 'FAILED') out.push({ label: 'Retry', action: 'RESET' });
  return out;
}

/** The buttons that move one activity of the run; notes are asked for inline. */
export function ActivityControls({ activity, authority }: { activity: LiveActivity; authority: Authority }) {
  const [status, update] = useMutation(UpdateActivityStatusMutation);
  const [decision, decide] = useMutation(DecideActivityMutation);
  const [asking, setAsking] = useState<Choice | null>(null);
  const [note, setNote] = useState('');
  const choices = choicesFor(activity, authority);
  const busy = status.fetching || decision.fetching;

  async function run(choice: Choice, text?: string) {
    const trimmed = text?.trim();
    const r = choice.decision
      ? await decide({ input: { activityId: activity.id, decision: choice.decision, ...(trimmed ? { note: trimmed } : {}) } })
      : await update({ input: { activityId: activity.id, action: choice.action ?? 'START', ...(trimmed ? { note: trimmed } : {}) } });
    if (!r.error) {
      setAsking(null);
      setNote('');
    }
  }
  function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (asking) void run(asking, note);
  }

  if (choices.length === 0 && !status.error && !decision.error) return null;
  return (
    <div className="cc-controls">
      <ErrorBanner error={status.error ?? decision.error} />
      {asking ? (
        <form className="inline-form" onSubmit={submit} aria-label={`${asking.label} ${activity.title}`}>
          <div className="field">
            <label className="field__label" htmlFor={`note-${activity.id}`}>
              {asking.note}
            </label>
            <input id={`note-${activity.id}`} value={note} onChange={(e) => setNote(e.target.value)} required autoFocus />
          </div>
          <button type="submit" className={`btn btn--small btn--${asking.tone ?? 'primary'}`} disabled={busy || !note.trim()}>
            {asking.label}
          </button>
          <button type="button" className="btn btn--small" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="button-row">
          {choices.map((c) => (
            <button
              key={c.label}
              type="button"
              className={`btn btn--small${c.tone ? ` btn--${c.tone}` : ''}`}
              disabled={busy}
              aria-label={`${c.label} ${activity.title}`}
              onClick={() => (c.note ? setAsking(c) : void run(c))}
            >
              {c.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
