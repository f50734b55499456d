import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { EnvironmentTier } from '../gql/graphql';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { TIERS } from './EnvironmentListPage';

const WhatRunsWhereQuery = graphql(`
  query WhatRunsWhere($filter: WhatRunsWhereFilter, $envFilter: EnvironmentFilter) {
    environments(filter: $envFilter, first: 100) {
      nodes {
        id
        name
        tier
      }
    }
    whatRunsWhere(filter: $filter) {
      id
      version
      deployedAt
      deployedByName
      environment {
        id
        name
        tier
      }
      system {
        id
        code
        name
      }
      release {
        id
        key
      }
    }
  }
`);

const TIER_RANK = new Map(TIERS.map((t, i) => [t, i]));

export interface GridCell {
  version: string;
  deployedAt: string;
  deployedByName: string;
  release?: { id: string; key: string } | null;
}

/** environment × system → latest deployment, with the axes in a stable order. */
export function buildGrid<
  D extends GridCell & {
    environment?: { id: string; name: string; tier: EnvironmentTier } | null;
    system?: { id: string; code: string; name: string } | null;
  },
>(deployments: readonly D[], environments: readonly { id: string; name: string; tier: EnvironmentTier }[] = []) {
  // Every environment is a column, even one with nothing deployed yet.
  const envs = new Map<string, { id: string; name: string; tier: EnvironmentTier }>(environments.map((e) => [e.id, e]));
  const systems = new Map<string, { id: string; code: string; name: string }>();
  const cells = new Map<string, D>();
  for (const d of deployments) {
    if (!d.environment || !d.system) continue;
    envs.set(d.environment.id, d.environment);
    systems.set(d.system.id, d.system);
    cells.set(`${d.environment.id}|${d.system.id}`, d);
  }
  const envList = [...envs.values()].sort(
    (a, b) => (TIER_RANK.get(a.tier) ?? 0) - (TIER_RANK.get(b.tier) ?? 0) || a.name.localeCompare(b.name),
  );
  const systemList = [...systems.values()].sort((a, b) => a.code.localeCompare(b.code));
  return { envs: envList, systems: systemList, cell: (envId: string, sysId: string) => cells.get(`${envId}|${sysId}`) };
}

export function WhatRunsWherePage() {
  useTitle('What runs where');
  const [tiers, setTiers] = useState<EnvironmentTier[]>([]);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: WhatRunsWhereQuery,
    variables: { filter: tiers.length ? { tiers } : null, envFilter: tiers.length ? { tier: tiers } : null },
  });
  const grid = buildGrid(data?.whatRunsWhere ?? [], data?.environments.nodes ?? []);

  function toggle(t: EnvironmentTier) {
    setTiers((cur) => (cur.includes(t) ? cur.filter((x) => x !== t) : [...cur, t]));
  }

  return (
    <>
      <PageHeader
        title="What runs where"
        subtitle="For each environment and system, the version of the latest successful deployment."
      />
      <fieldset className="filters">
        <legend className="field__label">Tiers</legend>
        {TIERS.map((t) => (
          <label key={t} className="checkbox">
            <input type="checkbox" checked={tiers.includes(t)} onChange={() => toggle(t)} /> {t}
          </label>
        ))}
      </fieldset>
      {!data && fetching ? <Loading label="Loading deployments" /> : null}
      {!data && !fetching ? <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data && error ? <ErrorState error={error} /> : null}
      {data && grid.envs.length === 0 ? <Empty title="No environments match" /> : null}
      {data && grid.envs.length > 0 && grid.systems.length === 0 ? <Empty title="Nothing deployed yet" /> : null}
      {grid.envs.length > 0 && grid.systems.length > 0 ? (
        <div className="table-wrap">
          <table className="table grid-table" data-testid="wrw-grid">
            <thead>
              <tr>
                <th scope="col">System</th>
                {grid.envs.map((e) => (
                  <th key={e.id} scope="col">
                    <Link to={`/environments/${e.id}`}>{e.name}</Link>
                    <div className={`tier tier--${e.tier.toLowerCase()}`}>{e.tier}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {grid.systems.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <span className="mono">{s.code}</span>
                    <div className="small muted">{s.name}</div>
                  </th>
                  {grid.envs.map((e) => {
                    const c = grid.cell(e.id, s.id);
                    return (
                      <td key={e.id} className={c ? 'cell-version' : 'cell-empty'}>
                        {c ? (
                          <span title={`${formatDateTime(c.deployedAt)} by ${c.deployedByName}`}>
                            <span className="mono">{c.version}</span>
                            {c.release ? (
                              <div className="small">
                                <Link to={`/releases/${c.release.id}`}>{c.release.key}</Link>
                              </div>
                            ) : null}
                          </span>
                        ) : (
                          <span className="muted" aria-label="nothing deployed">
                            ·
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
