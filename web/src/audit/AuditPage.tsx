import { useQuery } from 'urql';
import { graphql } from '../gql';
import { PageHeader } from '../ui/PageHeader';
import { Pager, useCursorPager } from '../ui/Pager';
import { ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { AuditTable } from './AuditTable';

const AuditQuery = graphql(`
  query AuditTrail($first: Int!, $after: String) {
    auditEvents(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
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

const PAGE_SIZE = 50;

/** The whole audit trail, newest first (admins, release, portfolio and service managers). */
export function AuditPage() {
  useTitle('Audit trail');
  const pager = useCursorPager();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: AuditQuery,
    variables: { first: PAGE_SIZE, after: pager.after },
  });
  return (
    <>
      <PageHeader title="Audit trail" subtitle="Every change, who made it and when, newest first." />
      {!data && fetching ? <Loading label="Loading the audit trail" /> : null}
      {!data && !fetching ? <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data ? (
        <>
          {error ? <ErrorState error={error} /> : null}
          <AuditTable events={data.auditEvents.nodes} />
          <Pager
            page={pager.page}
            pageSize={PAGE_SIZE}
            total={data.auditEvents.totalCount}
            hasPrevious={pager.hasPrevious}
            hasNext={data.auditEvents.pageInfo.hasNextPage}
            onPrevious={pager.previous}
            onNext={() => pager.next(data.auditEvents.pageInfo.endCursor)}
          />
        </>
      ) : null}
    </>
  );
}
