import type { PlanItemKind, Timeliness } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { formatDateTime, formatDay } from '../ui/format';
import { Empty } from '../ui/states';

export interface PlannedVsActualRow {
  kind: PlanItemKind;
  name: string;
  planned: string;
  actual?: string | null;
  slipDays?: number | null;
  timeliness: Timeliness;
}

const KIND_LABEL: Record<PlanItemKind, string> = {
  PHASE_START: 'starts',
  PHASE_END: 'ends',
  MILESTONE: 'milestone',
  GO_LIVE: 'go-live',
};

const TONE: Record<Timeliness, { value: string; label: string }> = {
  ON_TIME: { value: 'SUCCEEDED', label: 'On time' },
  EARLY: { value: 'READY', label: 'Early' },
  LATE: { value: 'GO_LIVE', label: 'Late' },
  UPCOMING: { value: 'DRAFT', label: 'Upcoming' },
  OVERDUE: { value: 'FAILED', label: 'Overdue' },
};

/** Every phase start and end, milestone and the go-live: planned day, actual moment, slip. */
export function PlannedVsActualSection({ rows }: { rows: readonly PlannedVsActualRow[] }) {
  const late = rows.filter((r) => r.timeliness === 'LATE' || r.timeliness === 'OVERDUE').length;
  return (
    <section className="section" aria-labelledby="pva-title">
      <div className="section__head">
        <h2 id="pva-title">Planned vs actual</h2>
        <span className="muted small">{late ? `${late} late or overdue` : 'nothing late'}</span>
      </div>
      {rows.length === 0 ? (
        <Empty title="Nothing planned yet" />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="planned-vs-actual">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Planned</th>
                <th scope="col">Actual</th>
                <th scope="col">Slip</th>
                <th scope="col">Timeliness</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.kind}-${r.name}-${i}`} className={r.timeliness === 'OVERDUE' ? 'row--attention' : undefined}>
                  <th scope="row">
                    {r.name} <span className="muted small">{KIND_LABEL[r.kind]}</span>
                  </th>
                  <td>{formatDay(r.planned)}</td>
                  <td>{formatDateTime(r.actual)}</td>
                  <td>
                    {r.slipDays === null || r.slipDays === undefined
                      ? '—'
                      : r.slipDays === 0
                        ? '0 d'
                        : r.slipDays > 0
                          ? <span className="text-danger">+{r.slipDays} d</span>
                          : <span className="text-success">{r.slipDays} d</span>}
                  </td>
                  <td>
                    <Badge value={TONE[r.timeliness].value} label={TONE[r.timeliness].label} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
