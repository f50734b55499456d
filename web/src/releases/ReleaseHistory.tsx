import { useQuery } from 'urql';
import { graphql } from '../gql';
import { AuditTable } from '../audit/AuditTable';
import { ErrorState, Loading } from '../ui/states';

const ReleaseHistoryQuery = graphql(`
  query ReleaseHistory($releaseId: ID!, $first: Int!) {
    auditEvents(filter: { releaseId: $releaseId }, first: $first) {
      totalCount
      nodes {
        id
        occurredAt
        action
        entityType
        entityId
        actorName
        requestId
        before
        after
      }
    }
  }
`);

/** The release's history from the audit trail (roles that may read it). */
export function ReleaseHistory({ releaseId }: { releaseId: string }) {
  const [{ data, error, fetching }, refetch] = useQuery({
    query: ReleaseHistoryQuery,
    variables: { releaseId, first: 50 },
  });
  return (
    <section className="section" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {!data && fetching ? (
        <Loading label="Loading history" />
      ) : !data ? (
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : (
        <>
          <AuditTable events={data.auditEvents.nodes} />
          {data.auditEvents.totalCount > data.auditEvents.nodes.length ? (
            <p className="muted small">
              Showing the latest {data.auditEvents.nodes.length} of {data.auditEvents.totalCount} events.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
