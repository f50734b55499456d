import type { BlockedStep, BlockerKind, Role } from '../gql/graphql';
import { ROLE_LABELS } from '../auth/permissions';
import { Badge } from '../ui/Badge';
import { humanize } from '../ui/format';

export interface BlockerRow {
  kind: BlockerKind;
  blocks: BlockedStep;
  description: string;
  action: string;
  subjectType: string;
  subjectId: string;
  owner?: { team?: string | null; role?: Role | null; user?: { displayName: string } | null } | null;
}

const KIND_LABEL: Record<BlockerKind, string> = {
  UNMET_CRITERION: 'Unmet criterion',
  PENDING_APPROVAL: 'Pending approval',
  GATE_FAILED: 'Gate failed',
  GATE_WITHOUT_CRITERIA: 'Gate without criteria',
  UNFINISHED_DEPENDENCY: 'Unfinished dependency',
  OPEN_PROJECT_RELEASE: 'Open project release',
  BLACKOUT: 'Blackout',
  BOOKING_CONFLICT: 'Booking conflict',
};

export function ownerLabel(owner: BlockerRow['owner']): string {
  if (!owner) return 'unassigned';
  if (owner.user) return owner.user.displayName;
  if (owner.team) return `team ${owner.team}`;
  if (owner.role) return `any ${ROLE_LABELS[owner.role].toLowerCase()}`;
  return 'unassigned';
}

function List({ rows }: { rows: BlockerRow[] }) {
  return (
    <ul className="blockers">
      {rows.map((b, i) => (
        <li key={`${b.subjectId}-${b.kind}-${i}`} className="blocker">
          <Badge value={b.kind === 'GATE_FAILED' || b.kind === 'BLACKOUT' ? 'FAILED' : 'GO_LIVE'} label={KIND_LABEL[b.kind]} />
          <div>
            <div>{b.description}</div>
            <div className="small muted">
              To clear: {b.action} · Owner: <strong>{ownerLabel(b.owner)}</strong>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** "Why is it blocked?": what stops the release from leaving its phase, and from going live. */
export function BlockersSection({ blockers, status }: { blockers: readonly BlockerRow[]; status: string }) {
  const advance = blockers.filter((b) => b.blocks === 'ADVANCE');
  const goLive = blockers.filter((b) => b.blocks === 'GO_LIVE');
  const closed = ['RELEASED', 'CANCELLED', 'ROLLED_BACK'].includes(status);
  return (
    <section className="section" aria-labelledby="blockers-title">
      <h2 id="blockers-title">Blockers</h2>
      {blockers.length === 0 ? (
        <p className="banner banner--success" role="status" data-testid="no-blockers">
          {closed ? `Nothing blocks this ${humanize(status).toLowerCase()} release.` : 'Nothing blocks the next phase or the go-live.'}
        </p>
      ) : (
        <div className="grid-2" data-testid="blockers">
          <div>
            <h3 className="h4">Stops the next phase ({advance.length})</h3>
            {advance.length ? <List rows={advance} /> : <p className="muted">Nothing.</p>}
          </div>
          <div>
            <h3 className="h4">Stops the go-live ({goLive.length})</h3>
            {goLive.length ? <List rows={goLive} /> : <p className="muted">Nothing.</p>}
          </div>
        </div>
      )}
    </section>
  );
}
