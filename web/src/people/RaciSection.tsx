import { useState, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { graphql } from '../gql';
import type { RaciRole, RaciSubject } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { Field } from '../ui/Field';
import { humanize } from '../ui/format';
import { Empty, ErrorBanner } from '../ui/states';
import { UserSelect } from './UserSelect';

const AssignRaciMutation = graphql(`
  mutation AssignRaci($input: AssignRaciInput!) {
    assignRaci(input: $input) {
      assignment {
        id
        role
        subjectType
        subjectId
        team
        user {
          id
          displayName
        }
      }
    }
  }
`);

const RemoveRaciMutation = graphql(`
  mutation RemoveRaci($input: DeleteByIdInput!) {
    removeRaci(input: $input) {
      deletedId
    }
  }
`);

export const RACI_ROLES: readonly RaciRole[] = ['RESPONSIBLE', 'ACCOUNTABLE', 'CONSULTED', 'INFORMED'];
const RACI_TONE: Record<RaciRole, string> = {
  ACCOUNTABLE: 'ROLLED_BACK',
  RESPONSIBLE: 'IN_PROGRESS',
  CONSULTED: 'PLANNED',
  INFORMED: 'DRAFT',
};

export interface RaciRow {
  id: string;
  role: RaciRole;
  team?: string | null;
  user?: { id: string; displayName: string } | null;
}

/** Orders assignments A, R, C, I, then by name. */
export function sortRaci<T extends RaciRow>(rows: readonly T[]): T[] {
  const order: Record<RaciRole, number> = { ACCOUNTABLE: 0, RESPONSIBLE: 1, CONSULTED: 2, INFORMED: 3 };
  const name = (r: RaciRow) => r.user?.displayName ?? r.team ?? '';
  return [...rows].sort((a, b) => order[a.role] - order[b.role] || name(a).localeCompare(name(b)));
}

function AssignForm({ subjectType, subjectId, onDone }: { subjectType: RaciSubject; subjectId: string; onDone: () => void }) {
  const [who, setWho] = useState<'user' | 'team'>('user');
  const [userId, setUserId] = useState('');
  const [team, setTeam] = useState('');
  const [role, setRole] = useState<RaciRole>('RESPONSIBLE');
  const [{ fetching, error }, assign] = useMutation(AssignRaciMutation);
  const errors = fieldErrors(error);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await assign({
      input: { subjectType, subjectId, role, ...(who === 'user' ? { userId } : { team: team.trim() }) },
    });
    if (!result.error) onDone();
  }
  return (
    <form className="inline-form card" onSubmit={(e) => void submit(e)} aria-label="Assign a stakeholder">
      <ErrorBanner problems={formLevelProblems(error, ['userId', 'team', 'role'])} />
      <Field label="Stakeholder">
        <select value={who} onChange={(e) => setWho(e.target.value as 'user' | 'team')}>
          <option value="user">A person</option>
          <option value="team">A team</option>
        </select>
      </Field>
      {who === 'user' ? (
        <Field label="Person" error={errors.userId}>
          <UserSelect value={userId} onChange={setUserId} emptyLabel="Choose…" required />
        </Field>
      ) : (
        <Field label="Team" error={errors.team}>
          <input value={team} onChange={(e) => setTeam(e.target.value)} required />
        </Field>
      )}
      <Field label="RACI role" error={errors.role}>
        <select value={role} onChange={(e) => setRole(e.target.value as RaciRole)}>
          {RACI_ROLES.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </select>
      </Field>
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={fetching || (who === 'user' ? !userId : !team.trim())}>
          Assign
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RemoveButton({ row, onDone }: { row: RaciRow; onDone: () => void }) {
  const [{ fetching, error }, remove] = useMutation(RemoveRaciMutation);
  const name = row.user?.displayName ?? row.team ?? '';
  return (
    <>
      <button
        type="button"
        className="btn btn--small btn--ghost"
        disabled={fetching}
        aria-label={`Remove ${name} as ${humanize(row.role).toLowerCase()}`}
        onClick={() => void remove({ input: { id: row.id } }).then((r) => !r.error && onDone())}
      >
        Remove
      </button>
      <ErrorBanner error={error} />
    </>
  );
}

/**
 * The stakeholders of a release, gate, deployment plan or activity: who is responsible,
 * accountable (exactly one; the server refuses a second with CONFLICT), consulted, informed.
 */
export function RaciSection({
  title = 'RACI',
  subjectType,
  subjectId,
  rows,
  canManage,
  onChanged,
  hint,
}: {
  title?: string;
  subjectType: RaciSubject;
  subjectId: string;
  rows: readonly RaciRow[];
  canManage: boolean;
  onChanged: () => void;
  hint?: string;
}) {
  const [adding, setAdding] = useState(false);
  const headingId = `raci-${subjectId}`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="section__head">
        <h2 id={headingId}>{title}</h2>
        {canManage && !adding ? (
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            Assign stakeholder
          </button>
        ) : null}
      </div>
      {hint ? <p className="muted small">{hint}</p> : null}
      {adding ? (
        <AssignForm
          subjectType={subjectType}
          subjectId={subjectId}
          onDone={() => {
            setAdding(false);
            onChanged();
          }}
        />
      ) : null}
      {rows.length === 0 ? (
        <Empty title="No stakeholders yet" />
      ) : (
        <ul className="list raci" data-testid="raci-list">
          {sortRaci(rows).map((r) => (
            <li key={r.id}>
              <Badge value={RACI_TONE[r.role]} label={humanize(r.role)} /> <strong>{r.user?.displayName ?? r.team}</strong>
              {r.team && !r.user ? <span className="muted small"> (team)</span> : null}
              {canManage ? <RemoveButton row={r} onDone={onChanged} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
