import { formatDateTime } from '../ui/format';
import { Empty } from '../ui/states';
import { diffSnapshots, show } from './diff';

export interface AuditEventRow {
  id: string;
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: string;
  actorName: string;
  requestId?: string | null;
  before?: unknown;
  after?: unknown;
}

const MAX_CHANGES = 6;

function createdName(after: unknown): string {
  if (typeof after !== 'object' || after === null) return '';
  const a = after as Record<string, unknown>;
  const name = a.key ?? a.name ?? a.code;
  return typeof name === 'string' ? name : '';
}

export function AuditTable({ events }: { events: readonly AuditEventRow[] }) {
  if (events.length === 0) return <Empty title="No recorded changes yet" />;
  return (
    <div className="table-wrap">
      <table className="table audit" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">What changed</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const changes = diffSnapshots(e.before, e.after);
            const created = e.before === null || e.before === undefined;
            return (
              <tr key={e.id}>
                <td className="nowrap">{formatDateTime(e.occurredAt)}</td>
                <td>{e.actorName}</td>
                <td>
                  <code>{e.action}</code>
                  <div className="small muted">{e.entityType}</div>
                </td>
                <td>
                  {changes.length === 0 ? (
                    <span className="muted">—</span>
                  ) : created ? (
                    <span className="muted small">created {createdName(e.after)}</span>
                  ) : (
                    <ul className="changes">
                      {changes.slice(0, MAX_CHANGES).map((c) => (
                        <li key={c.field}>
                          <strong>{c.field}</strong>: <del>{show(c.before)}</del> → <ins>{show(c.after)}</ins>
                        </li>
                      ))}
                      {changes.length > MAX_CHANGES ? (
                        <li className="muted">and {changes.length - MAX_CHANGES} more</li>
                      ) : null}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
