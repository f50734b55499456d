import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EnvironmentOptionsQuery } from '../bookings/documents';
import { graphql } from '../gql';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { configDrift, driftCount, versionDrift, type DriftRow } from './drift';

const CompareQuery = graphql(`
  query CompareEnvironments($left: ID!, $right: ID!) {
    left: environment(id: $left) {
      id
      name
      tier
      configuration {
        key
        value
        secret
      }
      deployedVersions {
        id
        version
        system {
          id
          code
          name
        }
      }
    }
    right: environment(id: $right) {
      id
      name
      tier
      configuration {
        key
        value
        secret
      }
      deployedVersions {
        id
        version
        system {
          id
          code
          name
        }
      }
    }
  }
`);

const KIND_TEXT = { SAME: 'Same', DIFFERENT: 'Differs', ONLY_LEFT: 'Only left', ONLY_RIGHT: 'Only right' } as const;

function DriftTable({ rows, left, right, what, onlyDrift, testId }: { rows: DriftRow[]; left: string; right: string; what: string; onlyDrift: boolean; testId: string }) {
  const shown = onlyDrift ? rows.filter((r) => r.kind !== 'SAME') : rows;
  if (shown.length === 0) return <Empty title={rows.length === 0 ? `No ${what} on either side` : `No drift in ${what}`} />;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{what === 'configuration' ? 'Key' : 'System'}</th>
            <th scope="col">{left}</th>
            <th scope="col">{right}</th>
            <th scope="col">Drift</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.key} className={r.kind === 'DIFFERENT' ? 'drift-row--differs' : r.kind === 'SAME' ? undefined : 'drift-row--missing'}>
              <th scope="row" className="mono">
                {r.key}
                {r.secret ? <span className="chip chip--secret">secret</span> : null}
              </th>
              <td className="mono">{r.left ?? <span className="muted">—</span>}</td>
              <td className="mono">{r.right ?? <span className="muted">—</span>}</td>
              <td>{KIND_TEXT[r.kind]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Comparison({ left, right, onlyDrift }: { left: string; right: string; onlyDrift: boolean }) {
  const [{ data, error, fetching }, refetch] = useQuery({ query: CompareQuery, variables: { left, right } });
  if (!data && fetching) return <Loading />;
  if (!data) return <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  const config = configDrift(data.left.configuration, data.right.configuration);
  const versions = versionDrift(data.left.deployedVersions, data.right.deployedVersions);
  return (
    <>
      <ErrorBanner error={error} />
      <p data-testid="drift-summary">
        <strong>{driftCount(versions)}</strong> system version{driftCount(versions) === 1 ? '' : 's'} and <strong>{driftCount(config)}</strong> configuration key
        {driftCount(config) === 1 ? '' : 's'} differ between <Link to={`/environments/${data.left.id}`}>{data.left.name}</Link> and{' '}
        <Link to={`/environments/${data.right.id}`}>{data.right.name}</Link>.
      </p>
      <section className="section" aria-labelledby="drift-versions">
        <h2 id="drift-versions">Deployed versions</h2>
        <DriftTable rows={versions} left={data.left.name} right={data.right.name} what="deployed versions" onlyDrift={onlyDrift} testId="drift-versions" />
      </section>
      <section className="section" aria-labelledby="drift-config">
        <h2 id="drift-config">Configuration</h2>
        <p className="muted small">Secret values you may not read are masked and not compared.</p>
        <DriftTable rows={config} left={data.left.name} right={data.right.name} what="configuration" onlyDrift={onlyDrift} testId="drift-config" />
      </section>
    </>
  );
}

/** Drift between two environments: what runs there and how they are configured. */
export function ComparePage() {
  useTitle('Compare environments');
  const [params, setParams] = useSearchParams();
  const left = params.get('left') ?? '';
  const right = params.get('right') ?? '';
  const [onlyDrift, setOnlyDrift] = useState(true);
  const [envs] = useQuery({ query: EnvironmentOptionsQuery });
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
      <ErrorBanner error={envs.error} />
      <div className="filters">
        {select('left', left, 'Left')}
        {select('right', right, 'Right')}
        <label className="checkbox">
          <input type="checkbox" checked={onlyDrift} onChange={(e) => setOnlyDrift(e.target.checked)} /> Only differences
        </label>
      </div>
      {left && right ? (
        left === right ? (
          <Empty title="Choose two different environments" />
        ) : (
          <Comparison left={left} right={right} onlyDrift={onlyDrift} />
        )
      ) : (
        <Empty title="Choose two environments to compare" />
      )}
    </>
  );
}
