import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import type { ReleaseFilter, ReleaseKind, ReleaseOrderBy, ReleaseStatus } from '../gql/graphql';
import { Badge, RiskBadge } from '../ui/Badge';
import { formatDay, humanize, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Pager, useCursorPager } from '../ui/Pager';
import { Progress } from '../ui/Progress';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { isGoLiveOverdue, overdueMilestones, phaseProgress } from './health';
import { useReleaseEvents } from './live';
import { ACTIVE_STATUSES, isReleaseKind, isReleaseStatus, RELEASE_KINDS, RELEASE_STATUSES } from './options';

const ReleasesQuery = graphql(`
  query Releases($filter: ReleaseFilter, $orderBy: ReleaseOrderBy, $first: Int!, $after: String) {
    releases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        key
        name
        kind
        status
        risk
        plannedStart
        plannedGoLive
        actualGoLive
        parent {
          id
          key
        }
        owner {
          id
          displayName
        }
        phases {
          id
          name
          position
          plannedStart
          plannedEnd
          actualStart
          actualEnd
        }
        milestones {
          id
          name
          plannedDate
          actualAt
        }
      }
    }
  }
`);

const PAGE_SIZE = 25;

const ORDERS: Record<string, { label: string; orderBy: ReleaseOrderBy }> = {
  golive: { label: 'Planned go-live', orderBy: { field: 'PLANNED_GO_LIVE', direction: 'ASC' } },
  start: { label: 'Planned start', orderBy: { field: 'PLANNED_START', direction: 'ASC' } },
  key: { label: 'Key', orderBy: { field: 'KEY', direction: 'ASC' } },
  name: { label: 'Name', orderBy: { field: 'NAME', direction: 'ASC' } },
  newest: { label: 'Newest first', orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
};

export function orderFromParams(params: URLSearchParams): ReleaseOrderBy {
  return ORDERS[params.get('sort') ?? '']?.orderBy ?? { field: 'PLANNED_GO_LIVE', direction: 'ASC' };
}

/** Filters live in the URL, so a filtered list can be shared and survives signing in again. */
export function filterFromParams(params: URLSearchParams): ReleaseFilter {
  const filter: ReleaseFilter = {};
  const status = params.get('status');
  if (status === 'ACTIVE') filter.status = [...ACTIVE_STATUSES];
  else if (isReleaseStatus(status)) filter.status = [status];
  const kind = params.get('kind');
  if (isReleaseKind(kind)) filter.kind = [kind];
  const q = params.get('q')?.trim();
  if (q) filter.search = q;
  if (params.get('top') === '1') filter.topLevel = true;
  return filter;
}

export function ReleaseListPage() {
  useTitle('Releases');
  const [params, setParams] = useSearchParams();
  const canCreate = useCan('MANAGE_RELEASES');
  const [search, setSearch] = useState(params.get('q') ?? '');

  // Apply the search box a moment after typing stops.
  useEffect(() => {
    const t = window.setTimeout(() => {
      if ((params.get('q') ?? '') !== search) update('q', search.trim() || null);
    }, 300);
    return () => window.clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  function update(name: string, value: string | null) {
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (value) n.set(name, value);
        else n.delete(name);
        return n;
      },
      { replace: true },
    );
  }

  const filter = filterFromParams(params);
  const orderBy = orderFromParams(params);
  const filterKey = JSON.stringify([filter, orderBy]);

  return (
    <>
      <PageHeader
        title="Releases"
        subtitle="Every release with its health: status, risk, schedule, phase progress and overdue milestones."
        actions={
          canCreate ? (
            <Link className="btn btn--primary" to="/releases/new">
              New release
            </Link>
          ) : null
        }
      />
      <form className="filters" role="search" aria-label="Filter releases" onSubmit={(e) => e.preventDefault()}>
        <label className="field field--inline">
          <span className="field__label">Search</span>
          <input
            type="search"
            placeholder="Key or name"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="field field--inline">
          <span className="field__label">Status</span>
          <select value={params.get('status') ?? ''} onChange={(e) => update('status', e.target.value || null)}>
            <option value="">Any status</option>
            <option value="ACTIVE">Active (planned, in progress, go-live)</option>
            {RELEASE_STATUSES.map((s: ReleaseStatus) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--inline">
          <span className="field__label">Kind</span>
          <select value={params.get('kind') ?? ''} onChange={(e) => update('kind', e.target.value || null)}>
            <option value="">Any kind</option>
            {RELEASE_KINDS.map((k: ReleaseKind) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--inline">
          <span className="field__label">Sort by</span>
          <select value={params.get('sort') ?? 'golive'} onChange={(e) => update('sort', e.target.value === 'golive' ? null : e.target.value)}>
            {Object.entries(ORDERS).map(([value, o]) => (
              <option key={value} value={value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={params.get('top') === '1'}
            onChange={(e) => update('top', e.target.checked ? '1' : null)}
          />
          Top-level only
        </label>
      </form>
      <ReleaseTable key={filterKey} filter={filter} orderBy={orderBy} />
    </>
  );
}

function ReleaseTable({ filter, orderBy }: { filter: ReleaseFilter; orderBy: ReleaseOrderBy }) {
  const pager = useCursorPager();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: ReleasesQuery,
    variables: { filter, orderBy, first: PAGE_SIZE, after: pager.after },
  });
  const today = todayIso();
  useReleaseEvents(null, () => refetch({ requestPolicy: 'network-only' }), 1000);

  if (!data && fetching) return <Loading label="Loading releases" />;
  if (!data) return <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  const { nodes, totalCount, pageInfo } = data.releases;

  return (
    <section aria-label="Release list">
      {error ? <ErrorState error={error} /> : null}
      {nodes.length === 0 ? (
        <Empty title="No releases match">Change the filters, or create a release.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="release-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Risk</th>
                <th scope="col">Planned start</th>
                <th scope="col">Planned go-live</th>
                <th scope="col">Phases</th>
                <th scope="col">Milestones</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((r) => {
                const progress = phaseProgress(r.phases, r.status);
                const overdue = overdueMilestones(r.milestones, today);
                const late = isGoLiveOverdue(r, today);
                return (
                  <tr key={r.id} className={overdue.length > 0 || late ? 'row--attention' : undefined}>
                    <th scope="row" className="nowrap">
                      <Link to={`/releases/${r.id}`}>{r.key}</Link>
                    </th>
                    <td>
                      {r.name}
                      {r.parent ? <div className="muted small">in {r.parent.key}</div> : null}
                    </td>
                    <td>{humanize(r.kind)}</td>
                    <td>
                      <Badge value={r.status} />
                    </td>
                    <td>
                      <RiskBadge risk={r.risk} />
                    </td>
                    <td>{formatDay(r.plannedStart)}</td>
                    <td className={late ? 'text-danger' : undefined}>
                      {formatDay(r.plannedGoLive)}
                      {late ? <div className="small">past go-live</div> : null}
                    </td>
                    <td className="cell-progress">
                      <Progress value={progress.done} max={progress.total} label={`${progress.done} of ${progress.total} phases done`} />
                      <span className="small muted">
                        {progress.done}/{progress.total}
                        {progress.current ? ` · ${progress.current}` : ''}
                      </span>
                    </td>
                    <td>
                      {overdue.length > 0 ? (
                        <span className="badge badge--danger" title={overdue.map((m) => `${m.name} (${formatDay(m.plannedDate)})`).join(', ')}>
                          {overdue.length} overdue
                        </span>
                      ) : (
                        <span className="muted small">
                          {r.milestones.filter((m) => m.actualAt).length}/{r.milestones.length} reached
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={pager.page}
        pageSize={PAGE_SIZE}
        total={totalCount}
        hasPrevious={pager.hasPrevious}
        hasNext={pageInfo.hasNextPage}
        onPrevious={pager.previous}
        onNext={() => pager.next(pageInfo.endCursor)}
      />
    </section>
  );
}
