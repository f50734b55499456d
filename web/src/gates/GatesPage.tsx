import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { GateFieldsFragment } from '../gql/graphql';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { GateCard } from './GateCard';
import { pendingCriteria } from './rules';

const GatesQueueQuery = graphql(`
  query GatesQueue {
    gates(statuses: [PENDING]) {
      ...GateFields
      release {
        id
        key
        name
        status
      }
    }
  }
`);

/**
 * Open gates that still wait for a result (a metric or manual criterion not met), in the
 * server's order: the soonest due first, so overdue gates lead.
 */
export function awaitingResults<T extends GateFieldsFragment>(gates: readonly T[]): T[] {
  return gates.filter((g) => g.status === 'PENDING' && pendingCriteria(g.criteria).some((c) => c.kind !== 'APPROVAL'));
}

/** Test managers' work: open gates whose criteria wait for results, the soonest due first. */
export function GatesPage() {
  useTitle('Gates awaiting results');
  const [showAll, setShowAll] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({ query: GatesQueueQuery });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const pending = data?.gates ?? [];
  const items = showAll ? pending : awaitingResults(pending);
  return (
    <>
      <PageHeader
        title="Gates awaiting results"
        subtitle="Open gates, the soonest due first, whose metric or manual criteria still need a result. Record test pass rates, defect counts and checks here; a gate passes by itself once every criterion is met."
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
          {items.map((gate) => (
            <GateCard
              key={gate.id}
              gate={gate}
              onChanged={reload}
              context={
                gate.release ? (
                  <>
                    <Link to={`/releases/${gate.release.id}`}>{gate.release.key}</Link> {gate.release.name}
                  </>
                ) : null
              }
            />
          ))}
        </div>
      )}
    </>
  );
}
