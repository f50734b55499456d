import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { EnvironmentTier } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { humanize } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';

export const TIERS: readonly EnvironmentTier[] = ['DEV', 'SIT', 'UAT', 'PERF', 'STAGING', 'PROD'];

const EnvironmentsQuery = graphql(`
  query Environments($filter: EnvironmentFilter) {
    environments(filter: $filter, first: 100, orderBy: { field: TIER }) {
      totalCount
      nodes {
        id
        name
        tier
        status
        description
        url
        capacity
        group {
          id
          name
        }
        owner {
          id
          displayName
        }
        systems {
          id
          code
          name
        }
      }
    }
  }
`);

/** The environment catalogue, by group: tier, status and the systems each hosts. */
export function EnvironmentListPage() {
  useTitle('Environments');
  const [tier, setTier] = useState<EnvironmentTier | ''>('');
  const [search, setSearch] = useState('');
  const [{ data, error, fetching }, refetch] = useQuery({
    query: EnvironmentsQuery,
    variables: {
      filter: { ...(tier ? { tier: [tier] } : {}), ...(search.trim() ? { search: search.trim() } : {}) },
    },
  });

  const groups = new Map<string, NonNullable<typeof data>['environments']['nodes']>();
  for (const env of data?.environments.nodes ?? []) {
    const g = env.group?.name ?? 'Ungrouped';
    groups.set(g, [...(groups.get(g) ?? []), env]);
  }

  return (
    <>
      <PageHeader
        title="Environments"
        subtitle="The environment catalogue: tier, status, group and the systems each environment hosts."
        actions={
          <Link className="btn" to="/environments/what-runs-where">
            What runs where
          </Link>
        }
      />
      <form className="filters" role="search" aria-label="Filter environments" onSubmit={(e) => e.preventDefault()}>
        <label className="field field--inline">
          <span className="field__label">Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name" />
        </label>
        <label className="field field--inline">
          <span className="field__label">Tier</span>
          <select value={tier} onChange={(e) => setTier(e.target.value as EnvironmentTier | '')}>
            <option value="">Any tier</option>
            {TIERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </form>
      {!data && fetching ? <Loading label="Loading environments" /> : null}
      {!data && !fetching ? <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data && error ? <ErrorState error={error} /> : null}
      {data && data.environments.nodes.length === 0 ? <Empty title="No environments match" /> : null}
      {[...groups.entries()].map(([group, envs]) => (
        <section key={group} className="section" aria-label={`Group ${group}`}>
          <h2>{group}</h2>
          <div className="env-grid">
            {envs.map((env) => (
              <article key={env.id} className="card env-card" data-testid="environment-card">
                <header className="env-card__head">
                  <h3>
                    <Link to={`/environments/${env.id}`}>{env.name}</Link>
                  </h3>
                  <span className={`tier tier--${env.tier.toLowerCase()}`}>{env.tier}</span>
                  <Badge value={env.status} />
                </header>
                {env.description ? <p className="small">{env.description}</p> : null}
                <dl className="kv small">
                  <dt>Capacity</dt>
                  <dd>{env.capacity === 1 ? 'exclusive' : `${env.capacity} bookings`}</dd>
                  {env.owner ? (
                    <>
                      <dt>Owner</dt>
                      <dd>{env.owner.displayName}</dd>
                    </>
                  ) : null}
                </dl>
                <div className="chips" aria-label="Hosted systems">
                  {env.systems.length === 0 ? (
                    <span className="muted small">No systems hosted</span>
                  ) : (
                    env.systems.map((s) => (
                      <span key={s.id} className="chip" title={s.name}>
                        {s.code}
                      </span>
                    ))
                  )}
                </div>
                <p className="small muted">{humanize(env.tier)} tier</p>
              </article>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
