import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { useCan } from '../auth/viewer';
import type { GateFieldsFragment } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { Field } from '../ui/Field';
import { formatDateTime, humanize } from '../ui/format';
import { ErrorBanner } from '../ui/states';
import {
  DecideApprovalMutation,
  RecordResultMutation,
  ReopenGateMutation,
  RequestApprovalMutation,
  VetoGateMutation,
  WaiveGateMutation,
} from './fragments';
import { criterionRule, formatNumber, isGateOverdue, meets } from './rules';

type Criterion = GateFieldsFragment['criteria'][number];

const STATE_BADGE: Record<string, { value: string; label: string }> = {
  PENDING: { value: 'DRAFT', label: 'Pending' },
  MET: { value: 'SUCCEEDED', label: 'Met' },
  NOT_MET: { value: 'FAILED', label: 'Not met' },
};

const GATE_BADGE: Record<string, string> = { PENDING: 'PLANNED', PASSED: 'SUCCEEDED', FAILED: 'FAILED', WAIVED: 'GO_LIVE' };

export function GateStatusBadge({ status }: { status: string }) {
  return <Badge value={GATE_BADGE[status] ?? status} label={humanize(status)} />;
}

/** Records a value (METRIC) or a verdict (MANUAL) for a criterion. */
function RecordResultForm({ criterion, onDone }: { criterion: Criterion; onDone: () => void }) {
  const [value, setValue] = useState('');
  const [passed, setPassed] = useState<'yes' | 'no'>('yes');
  const [source, setSource] = useState('manual entry');
  const [link, setLink] = useState('');
  const [note, setNote] = useState('');
  const [{ fetching, error }, record] = useMutation(RecordResultMutation);
  const errors = fieldErrors(error);
  const metric = criterion.kind === 'METRIC';
  const numeric = value.trim() === '' ? null : Number(value);
  const preview =
    metric && numeric !== null && Number.isFinite(numeric) && criterion.comparator && criterion.threshold !== null
      ? meets(numeric, criterion.comparator, criterion.threshold)
      : null;

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await record({
      input: {
        criterionId: criterion.id,
        source: source.trim(),
        ...(metric ? { value: numeric } : { passed: passed === 'yes' }),
        ...(link.trim() ? { link: link.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    });
    if (!result.error) onDone();
  }

  return (
    <form className="stack-form inline-form" onSubmit={(e) => void submit(e)} aria-label={`Record a result for ${criterion.name}`}>
      <ErrorBanner problems={formLevelProblems(error, ['value', 'passed', 'source', 'link', 'note'])} />
      {metric ? (
        <Field
          label={`Value${criterion.unit ? ` (${criterion.unit})` : ''}`}
          error={errors.value}
          hint={preview === null ? undefined : preview ? 'meets the threshold' : 'below the threshold'}
        >
          <input type="number" step="any" inputMode="decimal" required value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        </Field>
      ) : (
        <Field label="Verdict" error={errors.passed}>
          <select value={passed} onChange={(e) => setPassed(e.target.value as 'yes' | 'no')} autoFocus>
            <option value="yes">Passed</option>
            <option value="no">Not passed</option>
          </select>
        </Field>
      )}
      <Field label="Source" error={errors.source} hint="e.g. Jenkins, Xray, manual check">
        <input required value={source} onChange={(e) => setSource(e.target.value)} />
      </Field>
      <Field label="Link" error={errors.link}>
        <input type="url" value={link} onChange={(e) => setLink(e.target.value)} placeholder="https://" />
      </Field>
      <Field label="Note" error={errors.note}>
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={fetching || (metric && numeric === null) || !source.trim()}>
          Save result
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Approves or rejects an approval criterion, with a comment. */
function ApprovalForm({ criterion, onDone }: { criterion: Criterion; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [{ fetching, error }, decide] = useMutation(DecideApprovalMutation);
  async function go(decision: 'APPROVE' | 'REJECT') {
    const result = await decide({ input: { criterionId: criterion.id, decision, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
    if (!result.error) onDone();
  }
  return (
    <div className="stack-form" role="group" aria-label={`Decide ${criterion.name}`}>
      <ErrorBanner error={error} />
      <Field label="Comment">
        <input value={comment} onChange={(e) => setComment(e.target.value)} autoFocus />
      </Field>
      <div className="button-row">
        <button type="button" className="btn btn--primary" disabled={fetching} onClick={() => void go('APPROVE')}>
          Approve
        </button>
        <button type="button" className="btn btn--danger" disabled={fetching} onClick={() => void go('REJECT')}>
          Reject
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function CriterionRow({ criterion, open, onChanged }: { criterion: Criterion; open: boolean; onChanged?: (() => void) | undefined }) {
  const canRecord = useCan('RECORD_RESULTS');
  const canDecide = useCan('DECIDE_GATES');
  const [mode, setMode] = useState<'idle' | 'record' | 'decide'>('idle');
  const latest = criterion.results[0];
  const state = STATE_BADGE[criterion.state] ?? { value: criterion.state, label: humanize(criterion.state) };
  const approvals = criterion.approvals.filter((a) => a.decision === 'APPROVE').length;
  const done = () => {
    setMode('idle');
    onChanged?.();
  };
  return (
    <li className={`criterion criterion--${criterion.state.toLowerCase()}`} data-testid="criterion">
      <div className="criterion__head">
        <Badge value={state.value} label={state.label} />
        <strong>{criterion.name}</strong>
        <span className="chip">{humanize(criterion.kind)}</span>
        <span className="muted small">{criterionRule(criterion)}</span>
      </div>
      <div className="criterion__body small">
        {criterion.kind === 'METRIC' ? (
          <span>
            Last value:{' '}
            <strong>
              {criterion.lastValue === null
                ? 'none yet'
                : `${formatNumber(criterion.lastValue)}${criterion.unit ? ` ${criterion.unit}` : ''}`}
            </strong>
          </span>
        ) : null}
        {criterion.kind === 'APPROVAL' ? (
          <span>
            Approvals: <strong>{approvals}</strong> of {criterion.quorum}
          </span>
        ) : null}
        {latest ? (
          <span className="muted">
            {' '}
            · {latest.passed ? 'passed' : 'not passed'} from {latest.source}, by {latest.recordedBy}, {formatDateTime(latest.recordedAt)}
            {latest.link ? (
              <>
                {' '}
                · <a href={latest.link}>link</a>
              </>
            ) : null}
            {latest.note ? ` · “${latest.note}”` : null}
          </span>
        ) : null}
      </div>
      {criterion.approvals.length > 0 ? (
        <ul className="approvals small">
          {criterion.approvals.map((a) => (
            <li key={a.id}>
              <Badge value={a.decision === 'APPROVE' ? 'SUCCEEDED' : 'FAILED'} label={a.decision === 'APPROVE' ? 'Approved' : 'Rejected'} />{' '}
              {a.approverName}, {formatDateTime(a.decidedAt)}
              {a.comment ? ` — “${a.comment}”` : null}
            </li>
          ))}
        </ul>
      ) : null}
      {open && mode === 'idle' ? (
        <div className="button-row">
          {canRecord && criterion.kind !== 'APPROVAL' ? (
            <button type="button" className="btn btn--small" onClick={() => setMode('record')} aria-label={`Record a result for ${criterion.name}`}>
              Record result
            </button>
          ) : null}
          {canDecide && criterion.kind === 'APPROVAL' ? (
            <button type="button" className="btn btn--small" onClick={() => setMode('decide')} aria-label={`Approve or reject ${criterion.name}`}>
              Approve / reject
            </button>
          ) : null}
        </div>
      ) : null}
      {mode === 'record' ? <RecordResultForm criterion={criterion} onDone={done} /> : null}
      {mode === 'decide' ? <ApprovalForm criterion={criterion} onDone={done} /> : null}
    </li>
  );
}

/** Waive (accountable) or veto (release manager) with a reason. */
function CloseGateForm({ gate, kind, onDone }: { gate: GateFieldsFragment; kind: 'waive' | 'veto'; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [waive, doWaive] = useMutation(WaiveGateMutation);
  const [veto, doVeto] = useMutation(VetoGateMutation);
  const state = kind === 'waive' ? waive : veto;
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const input = { id: gate.id, reason: reason.trim() };
    const result = kind === 'waive' ? await doWaive({ input }) : await doVeto({ input });
    if (!result.error) onDone();
  }
  return (
    <form className="reason-form" onSubmit={(e) => void submit(e)} aria-label={`${kind === 'waive' ? 'Waive' : 'Veto'} ${gate.name}`}>
      <ErrorBanner error={state.error} />
      <Field label={kind === 'waive' ? 'Why it may be waived (kept in the audit trail)' : 'Why it fails (kept in the audit trail)'}>
        <textarea required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </Field>
      <div className="button-row">
        <button type="submit" className="btn btn--danger" disabled={state.fetching || !reason.trim()}>
          {kind === 'waive' ? 'Waive gate' : 'Veto gate'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * A gate with its criteria, results and approvals, and what the viewer may do with it:
 * record results (test managers), approve (per the gate's rules), waive (its accountable),
 * veto and reopen (release managers). The server decides; its messages are shown.
 */
export function GateCard({
  gate,
  context,
  onChanged,
  headingLevel = 3,
}: {
  gate: GateFieldsFragment;
  /** Shown above the name, e.g. the release key. */
  context?: ReactNode;
  onChanged?: () => void;
  headingLevel?: 2 | 3;
}) {
  const canDecide = useCan('DECIDE_GATES');
  const canControl = useCan('CONTROL_RELEASES');
  const [closing, setClosing] = useState<'waive' | 'veto' | null>(null);
  const [request, doRequest] = useMutation(RequestApprovalMutation);
  const [reopen, doReopen] = useMutation(ReopenGateMutation);
  const open = gate.status === 'PENDING';
  const overdue = isGateOverdue(gate);
  const hasApprovals = gate.criteria.some((c) => c.kind === 'APPROVAL');
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const accountable = gate.raci.find((r) => r.role === 'ACCOUNTABLE');
  const changed = () => onChanged?.();

  return (
    <article className={overdue ? 'card gate gate--overdue' : 'card gate'} aria-label={`Gate ${gate.name}`} data-testid="gate-card">
      <header className="gate__head">
        <div>
          {context ? <div className="small muted">{context}</div> : null}
          <H className="gate__title">{gate.name}</H>
          <div className="small muted">
            closes {gate.phase ? <strong>{gate.phase.name}</strong> : 'its phase'}
            {gate.dueAt ? <> · due {formatDateTime(gate.dueAt)}</> : null}
            {overdue ? <strong className="text-danger"> · overdue</strong> : null}
            {accountable ? <> · accountable: {accountable.user?.displayName ?? accountable.team}</> : null}
          </div>
        </div>
        <GateStatusBadge status={gate.status} />
      </header>
      {gate.description ? <p className="small">{gate.description}</p> : null}
      {!open && gate.decidedBy ? (
        <p className="small">
          {humanize(gate.status)} by {gate.decidedBy}
          {gate.decidedAt ? `, ${formatDateTime(gate.decidedAt)}` : ''}
          {gate.decisionReason ? ` — “${gate.decisionReason}”` : ''}
        </p>
      ) : null}
      {gate.criteria.length === 0 ? (
        <p className="muted small">No criteria: this gate blocks until criteria are added or it is waived.</p>
      ) : (
        <ul className="criteria">
          {gate.criteria.map((c) => (
            <CriterionRow key={c.id} criterion={c} open={open} onChanged={changed} />
          ))}
        </ul>
      )}
      {gate.approvalRequestedAt ? <p className="small muted">Approvals requested {formatDateTime(gate.approvalRequestedAt)}.</p> : null}
      <div className="button-row gate__actions">
        {open && canDecide && hasApprovals && !gate.approvalRequestedAt ? (
          <button
            type="button"
            className="btn btn--small"
            disabled={request.fetching}
            onClick={() => void doRequest({ input: { id: gate.id } }).then((r) => !r.error && changed())}
          >
            Request approvals
          </button>
        ) : null}
        {open && canDecide && closing === null ? (
          <button type="button" className="btn btn--small" onClick={() => setClosing('waive')} aria-label={`Waive ${gate.name}`}>
            Waive…
          </button>
        ) : null}
        {open && canControl && closing === null ? (
          <button type="button" className="btn btn--small btn--danger" onClick={() => setClosing('veto')} aria-label={`Veto ${gate.name}`}>
            Veto…
          </button>
        ) : null}
        {!open && canControl ? (
          <button
            type="button"
            className="btn btn--small"
            disabled={reopen.fetching}
            onClick={() => void doReopen({ input: { id: gate.id } }).then((r) => !r.error && changed())}
            aria-label={`Reopen ${gate.name}`}
          >
            Reopen
          </button>
        ) : null}
      </div>
      <ErrorBanner error={request.error ?? reopen.error} />
      {closing ? (
        <CloseGateForm
          gate={gate}
          kind={closing}
          onDone={() => {
            setClosing(null);
            changed();
          }}
        />
      ) : null}
    </article>
  );
}
