import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { GateFieldsFragment } from '../gql/graphql';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { GateCard } from './GateCard';
import { isGateOverdue, pendingCriteria } from './rules';

const GatesQueueQuery = graphql(`
  query GatesQueue {
    releases(filter: { status: [PLANNED, IN_PROGRESS, GO_LIVE] }, first: 100) {
      nodes {
        id
        key
        name
        status
        gates {
          ...GateFields
        }
      }
    }
  }
`);

/** Open gates that still wait for a result, most urgent (overdue, then soonest due) first. */
export function awaitingResults<T extends GateFieldsFragment>(gates: readonly T[], now: Date = new Date()): T[] {
  return gates
    .filter((g) => g.status === 'PENDING' && pendingCriteria(g.criteria).some((c) => c.kind !== 'APPROVAL'))
    .sort((a, b) => {
      const o = Number(isGateOverdue(b, now)) - Number(isGateOverdue(a, now));
      if (o !== 0) return o;
      return (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999');
    });
}

/** Test managers' work: gates of active releases whose criteria wait for results. */
export function GatesPage() {
  useTitle('Gates awaiting results');
  const [showAll, setShowAll] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({ query: GatesQueueQuery });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const releases = data?.releases.nodes ?? [];
  const items = releases.flatMap((r) => {
    const gates = showAll ? r.gates.filter((g) => g.status === 'PENDING') : awaitingResults(r.gates);
    return gates.map((g) => ({ release: r, gate: g }));
  });
  return (
    <>
      <PageHeader
        title="Gates awaiting results"
        subtitle="Open gates of active releases whose metric or manual criteria still need a result. Record test pass rates, defect counts and checks here; a gate passes by itself once every criterion is met."
      />
      <label className="checkbox">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Also show gates waiting only for approvals
      </label>
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={reload} />
      ) : items.length === 0 ? (
        <Empty title="No gate is waiting for results">Every open gate has its results.</Empty>
      ) : (
        <div className="gates" data-testid="gates-queue">
          {items.map(({ release, gate }) => (
            <GateCard
              key={gate.id}
              gate={gate}
              onChanged={reload}
              context={
                <>
                  <Link to={`/releases/${release.id}`}>{release.key}</Link> {release.name}
                </>
              }
            />
          ))}
        </div>
      )}
    </>
  );
}
