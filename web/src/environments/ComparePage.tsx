import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useCan } from '../auth/viewer';
import { EnvironmentOptionsQuery } from '../bookings/documents';
import { graphql } from '../gql';
import type { CompareEnvironmentsQuery } from '../gql/graphql';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { configValue, differing, DRIFT_TEXT, driftRowClass, systemCell } from './drift';

const CompareQuery = graphql(`
  query CompareEnvironments($left: ID!, $right: ID!, $onlyDifferences: Boolean!) {
    compareEnvironments(leftId: $left, rightId: $right, onlyDifferences: $onlyDifferences) {
      differences
      left {
        id
        name
        tier
      }
      right {
        id
        name
        tier
      }
      systems {
        system {
          id
          code
          name
        }
        state
        hostedLeft
        hostedRight
        left {
          id
          version
          deployedAt
        }
        right {
          id
          version
          deployedAt
        }
      }
      configuration {
        key
        state
        left {
          key
          value
          secret
        }
        right {
          key
          value
          secret
        }
      }
    }
  }
`);

type Comparison = CompareEnvironmentsQuery['compareEnvironments'];
type SystemRow = Comparison['systems'][number];

function Cell({ children, muted }: { children: string | null; muted?: boolean }) {
  if (children === null) return <span className="muted">—</span>;
  return <span className={muted ? 'muted small' : undefined}>{children}</span>;
}

function SystemSide({ row, side }: { row: SystemRow; side: 'left' | 'right' }) {
  const d = row[side];
  const cell = systemCell(d, side === 'left' ? row.hostedLeft : row.hostedRight);
  return (
    <td className="mono">
      <Cell muted={cell.muted}>{cell.text}</Cell>
      {d ? <div className="muted small">{formatDateTime(d.deployedAt)}</div> : null}
    </td>
  );
}

/** The two environments side by side, one row per system or key. */
function DriftTable({ testId, subject, c, children }: { testId: string; subject: string; c: Comparison; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{subject}</th>
            <th scope="col">{c.left.name}</th>
            <th scope="col">{c.right.name}</th>
            <th scope="col">Drift</th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function SystemsTable({ c, all }: { c: Comparison; all: boolean }) {
  if (c.systems.length === 0) {
    return <Empty title={all ? 'Neither environment hosts or runs a system' : 'No drift in deployed versions'} />;
  }
  return (
    <DriftTable testId="drift-versions" subject="System" c={c}>
      {c.systems.map((r) => (
        <tr key={r.system.id} className={driftRowClass(r.state)} data-state={r.state}>
          <th scope="row">
            <span className="mono">{r.system.code}</span> <span className="muted small">{r.system.name}</span>
          </th>
          <SystemSide row={r} side="left" />
          <SystemSide row={r} side="right" />
          <td>{DRIFT_TEXT[r.state]}</td>
        </tr>
      ))}
    </DriftTable>
  );
}

function ConfigTable({ c, all, reveal }: { c: Comparison; all: boolean; reveal: boolean }) {
  if (c.configuration.length === 0) {
    return <Empty title={all ? 'No configuration on either side' : 'No drift in configuration'} />;
  }
  return (
    <DriftTable testId="drift-config" subject="Key" c={c}>
      {c.configuration.map((r) => (
        <tr key={r.key} className={driftRowClass(r.state)} data-state={r.state}>
          <th scope="row" className="mono">
            {r.key}
            {r.left?.secret || r.right?.secret ? <span className="chip chip--secret">secret</span> : null}
          </th>
          <td className="mono">
            <Cell>{configValue(r.left, reveal)}</Cell>
          </td>
          <td className="mono">
            <Cell>{configValue(r.right, reveal)}</Cell>
          </td>
          <td>{DRIFT_TEXT[r.state]}</td>
        </tr>
      ))}
    </DriftTable>
  );
}

function ComparisonView({ left, right, all }: { left: string; right: string; all: boolean }) {
  const canReadSecrets = useCan('READ_SECRETS');
  const [reveal, setReveal] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: CompareQuery,
    variables: { left, right, onlyDifferences: !all },
  });
  if (!data && fetching) return <Loading label="Comparing" />;
  if (!data) return <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  const c = data.compareEnvironments;
  const versions = differing(c.systems);
  const keys = differing(c.configuration);
  const hasSecrets = c.configuration.some((r) => r.left?.secret || r.right?.secret);
  return (
    <>
      <ErrorBanner error={error} />
      <p data-testid="drift-summary">
        {c.differences === 0 ? (
          <>
            Nothing differs between <Link to={`/environments/${c.left.id}`}>{c.left.name}</Link> and{' '}
            <Link to={`/environments/${c.right.id}`}>{c.right.name}</Link>.
          </>
        ) : (
          <>
            <strong>{versions}</strong> system{versions === 1 ? '' : 's'} and <strong>{keys}</strong> configuration key{keys === 1 ? '' : 's'} differ
            between <Link to={`/environments/${c.left.id}`}>{c.left.name}</Link> and <Link to={`/environments/${c.right.id}`}>{c.right.name}</Link>.
          </>
        )}
      </p>
      <section className="section" aria-labelledby="drift-versions">
        <h2 id="drift-versions">Deployed versions</h2>
        <SystemsTable c={c} all={all} />
      </section>
      <section className="section" aria-labelledby="drift-config">
        <h2 id="drift-config">Configuration</h2>
        <p className="muted small">
          Secret values are compared on the server; you see them masked unless your role may read them.
        </p>
        {canReadSecrets && hasSecrets ? (
          <label className="checkbox">
            <input type="checkbox" checked={reveal} onChange={(e) => setReveal(e.target.checked)} /> Show secret values
          </label>
        ) : null}
        <ConfigTable c={c} all={all} reveal={reveal} />
      </section>
    </>
  );
}

/** Drift between two environments, as the server compares them: versions and configuration. */
export function ComparePage() {
  useTitle('Compare environments');
  const [params, setParams] = useSearchParams();
  const left = params.get('left') ?? '';
  const right = params.get('right') ?? '';
  const all = params.get('all') === '1';
  const [envs, refetchEnvs] = useQuery({ query: EnvironmentOptionsQuery });
  const options = envs.data?.environments.nodes ?? [];
  const set = (k: string, v: string) => {
    const n = new URLSearchParams(params);
    if (v) n.set(k, v);
    else n.delete(k);
    setParams(n, { replace: true });
  };
  const select = (k: 'left' | 'right', value: string, label: string) => (
    <div className="field field--inline">
      <label className="field__label" htmlFor={`cmp-${k}`}>
        {label}
      </label>
      <select id={`cmp-${k}`} value={value} onChange={(e) => set(k, e.target.value)}>
        <option value="">{envs.data ? 'Choose an environment' : 'Loading…'}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.tier})
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <PageHeader title="Compare environments" subtitle="Drift between two environments: the versions deployed and the configuration." />
      {!envs.data && envs.error ? <ErrorState error={envs.error} onRetry={() => refetchEnvs({ requestPolicy: 'network-only' })} /> : null}
      <div className="filters">
        {select('left', left, 'Left')}
        {select('right', right, 'Right')}
        <label className="checkbox">
          <input type="checkbox" checked={all} onChange={(e) => set('all', e.target.checked ? '1' : '')} /> Show matching too
        </label>
      </div>
      {left && right ? (
        left === right ? (
          <Empty title="Choose two different environments" />
        ) : (
          <ComparisonView left={left} right={right} all={all} />
        )
      ) : (
        <Empty title="Choose two environments to compare" />
      )}
    </>
  );
}
