import { useState, type SyntheticEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems, hasCode } from '../api/errors';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import type { EnvironmentStatus } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { Field } from '../ui/Field';
import { formatDateTime, humanize } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { SystemOptionsQuery } from '../systems/options';
import { configChanges, configProblems, type ConfigRow } from './config';

const ENV_STATUSES: readonly EnvironmentStatus[] = ['AVAILABLE', 'MAINTENANCE', 'DOWN'];
const HISTORY_LIMIT = 50;
/** Secrets are masked on screen (a wall display is not private) until a reader asks to see them. */
const MASK = '••••••';

const EnvironmentQuery = graphql(`
  query Environment($id: ID!, $historyLimit: Int!) {
    environment(id: $id) {
      id
      name
      tier
      status
      description
      url
      capacity
      updatedAt
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
      configuration {
        key
        value
        secret
        updatedAt
      }
      configurationHistory(limit: $historyLimit) {
        key
        oldValue
        newValue
        secret
        changedAt
        changedBy
      }
      deployedVersions {
        id
        version
        deployedAt
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
    deployments(filter: { environmentId: $id }, first: 25) {
      totalCount
      nodes {
        id
        version
        status
        deployedAt
        deployedByName
        notes
        system {
          id
          code
        }
        package {
          id
          name
        }
        release {
          id
          key
        }
      }
    }
  }
`);

const SetEnvironmentSystemsMutation = graphql(`
  mutation SetEnvironmentSystems($input: SetEnvironmentSystemsInput!) {
    setEnvironmentSystems(input: $input) {
      environment {
        id
        updatedAt
        systems {
          id
          code
          name
        }
      }
    }
  }
`);

const UpdateEnvironmentMutation = graphql(`
  mutation UpdateEnvironment($input: UpdateEnvironmentInput!) {
    updateEnvironment(input: $input) {
      environment {
        id
        status
        description
        url
        updatedAt
      }
    }
  }
`);

const ConfigureEnvironmentMutation = graphql(`
  mutation ConfigureEnvironment($input: ConfigureEnvironmentInput!, $historyLimit: Int!) {
    configureEnvironment(input: $input) {
      environment {
        id
        updatedAt
        configuration {
          key
          value
          secret
          updatedAt
        }
        configurationHistory(limit: $historyLimit) {
          key
          oldValue
          newValue
          secret
          changedAt
          changedBy
        }
      }
    }
  }
`);

export function EnvironmentPage() {
  const { id = '' } = useParams();
  const canManage = useCan('MANAGE_ENVIRONMENTS');
  const canReadSecrets = useCan('READ_SECRETS');
  const [reveal, setReveal] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: EnvironmentQuery,
    variables: { id, historyLimit: HISTORY_LIMIT },
  });
  useTitle(data?.environment.name ?? 'Environment');

  if (!data && fetching) return <Loading label="Loading the environment" />;
  if (!data) {
    return (
      <>
        <PageHeader title={hasCode(error, 'NOT_FOUND') ? 'Environment not found' : 'Environment'} />
        <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
        <Link to="/environments">Back to environments</Link>
      </>
    );
  }
  const env = data.environment;

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/environments">Environments</Link>
      </nav>
      <PageHeader
        title={env.name}
        subtitle={
          <span className="badges">
            <span className={`tier tier--${env.tier.toLowerCase()}`}>{env.tier}</span>
            <Badge value={env.status} />
            {env.group ? <span>Group: {env.group.name}</span> : null}
            {env.owner ? <span>Owner: {env.owner.displayName}</span> : null}
          </span>
        }
      />
      {error ? <ErrorState error={error} /> : null}
      <div className="grid-2">
        <section className="section card" aria-labelledby="env-details">
          <h2 id="env-details">Details</h2>
          <dl className="kv">
            <dt>Description</dt>
            <dd>{env.description ?? '—'}</dd>
            <dt>URL</dt>
            <dd>{env.url ? <a href={env.url}>{env.url}</a> : '—'}</dd>
            <dt>Capacity</dt>
            <dd>{env.capacity === 1 ? 'exclusive use' : `${env.capacity} concurrent bookings`}</dd>
            <dt>Hosted systems</dt>
            <dd className="chips">
              {env.systems.length === 0
                ? '—'
                : env.systems.map((s) => (
                    <span key={s.id} className="chip" title={s.name}>
                      {s.code}
                    </span>
                  ))}
            </dd>
          </dl>
          {canManage ? <HostedSystemsEditor env={env} /> : null}
          {canManage ? <StatusEditor env={env} /> : null}
        </section>
        <section className="section card" aria-labelledby="env-running">
          <h2 id="env-running">Running here now</h2>
          {env.deployedVersions.length === 0 ? (
            <Empty title="Nothing deployed here yet" />
          ) : (
            <ul className="list">
              {env.deployedVersions.map((d) => (
                <li key={d.id}>
                  <span className="mono">{d.system?.code}</span> <strong className="mono">{d.version}</strong>{' '}
                  {d.release ? <Link to={`/releases/${d.release.id}`}>{d.release.key}</Link> : null}{' '}
                  <span className="small muted">{formatDateTime(d.deployedAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {canReadSecrets && env.configuration.some((c) => c.secret) ? (
        <label className="checkbox">
          <input type="checkbox" checked={reveal} onChange={(e) => setReveal(e.target.checked)} />
          Show secret values
        </label>
      ) : null}
      <ConfigurationSection env={env} canManage={canManage} reveal={reveal} />

      <section className="section" aria-labelledby="env-history">
        <h2 id="env-history">Configuration history</h2>
        {env.configurationHistory.length === 0 ? (
          <Empty title="No configuration changes yet" />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="config-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Key</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {env.configurationHistory.map((c, i) => (
                  <tr key={`${c.key}-${c.changedAt}-${i}`}>
                    <td className="nowrap">{formatDateTime(c.changedAt)}</td>
                    <td>{c.changedBy}</td>
                    <td className="mono">
                      {c.key}
                      {c.secret ? <span className="chip chip--secret">secret</span> : null}
                    </td>
                    <td className="mono">
                      {c.oldValue == null ? (
                        <span className="muted">(created)</span>
                      ) : c.secret && !reveal ? (
                        MASK
                      ) : (
                        c.oldValue
                      )}
                    </td>
                    <td className="mono">
                      {c.newValue == null ? (
                        <span className="muted">(removed)</span>
                      ) : c.secret && !reveal ? (
                        MASK
                      ) : (
                        c.newValue
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="env-deployments">
        <h2 id="env-deployments">Deployments</h2>
        {data.deployments.nodes.length === 0 ? (
          <Empty title="No deployments recorded" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">System</th>
                  <th scope="col">Package</th>
                  <th scope="col">Version</th>
                  <th scope="col">Release</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {data.deployments.nodes.map((d) => (
                  <tr key={d.id}>
                    <td className="nowrap">{formatDateTime(d.deployedAt)}</td>
                    <td className="mono">{d.system?.code}</td>
                    <td>{d.package?.name}</td>
                    <td className="mono">{d.version}</td>
                    <td>{d.release ? <Link to={`/releases/${d.release.id}`}>{d.release.key}</Link> : '—'}</td>
                    <td>
                      <Badge value={d.status} />
                    </td>
                    <td>{d.deployedByName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.deployments.totalCount > data.deployments.nodes.length ? (
              <p className="muted small">
                The latest {data.deployments.nodes.length} of {data.deployments.totalCount} deployments.
              </p>
            ) : null}
          </div>
        )}
      </section>
    </>
  );
}

function HostedSystemsEditor({ env }: { env: { id: string; systems: readonly { id: string }[] } }) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [{ data, error: loadError }] = useQuery({ query: SystemOptionsQuery, pause: !open });
  const [{ fetching, error }, save] = useMutation(SetEnvironmentSystemsMutation);
  if (!open) {
    return (
      <button
        type="button"
        className="btn btn--small"
        onClick={() => {
          setChosen(env.systems.map((s) => s.id));
          setOpen(true);
        }}
      >
        Change hosted systems
      </button>
    );
  }
  return (
    <form
      aria-label="Hosted systems"
      onSubmit={(e) => {
        e.preventDefault();
        void save({ input: { id: env.id, systemIds: chosen } }).then((r) => {
          if (!r.error) setOpen(false);
        });
      }}
    >
      <ErrorBanner error={loadError} />
      <fieldset className="role-picker">
        <legend className="field__label">Hosted systems</legend>
        {data?.systems.nodes.map((s) => (
          <label key={s.id} className="checkbox" title={s.name}>
            <input
              type="checkbox"
              checked={chosen.includes(s.id)}
              onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.id] : c.filter((x) => x !== s.id)))}
            />
            {s.code}
          </label>
        ))}
      </fieldset>
      <ErrorBanner error={error} />
      <div className="button-row">
        <button type="submit" className="btn btn--primary btn--small" disabled={fetching}>
          Save systems
        </button>
        <button type="button" className="btn btn--small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StatusEditor({ env }: { env: { id: string; status: EnvironmentStatus; description?: string | null } }) {
  const [status, setStatus] = useState<EnvironmentStatus>(env.status);
  const [{ fetching, error, data }, update] = useMutation(UpdateEnvironmentMutation);
  const errors = fieldErrors(error);
  return (
    <form
      className="inline-form"
      aria-label="Environment status"
      onSubmit={(e) => {
        e.preventDefault();
        void update({ input: { id: env.id, status } });
      }}
    >
      <Field label="Status" error={errors.status}>
        <select value={status} onChange={(e) => setStatus(e.target.value as EnvironmentStatus)}>
          {ENV_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="btn btn--primary" disabled={fetching || status === env.status}>
        Save status
      </button>
      <ErrorBanner problems={formLevelProblems(error, ['status'])} />
      {data && !error && status === env.status ? <Notice tone="success">Status saved.</Notice> : null}
    </form>
  );
}

function ConfigurationSection({
  env,
  canManage,
  reveal,
}: {
  env: { id: string; configuration: readonly { key: string; value: string; secret: boolean; updatedAt: string }[] };
  canManage: boolean;
  reveal: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [rows, setRows] = useState<ConfigRow[]>([]);
  const [saved, setSaved] = useState<number | null>(null);
  const [localProblems, setLocalProblems] = useState<string[]>([]);
  const [{ fetching, error }, configure] = useMutation(ConfigureEnvironmentMutation);

  function startEditing() {
    setRows(env.configuration.map((c) => ({ key: c.key, value: c.value, secret: c.secret })));
    setSaved(null);
    setEditing(true);
  }

  function setRow(i: number, patch: Partial<ConfigRow>) {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  }

  async function save(e: SyntheticEvent) {
    e.preventDefault();
    const problems = configProblems(rows);
    setLocalProblems(problems);
    if (problems.length) return;
    const entries = configChanges(env.configuration, rows);
    if (entries.length === 0) {
      setEditing(false);
      return;
    }
    const result = await configure({ input: { id: env.id, entries }, historyLimit: HISTORY_LIMIT });
    if (!result.error) {
      setSaved(entries.length);
      setEditing(false);
    }
  }

  return (
    <section className="section" aria-labelledby="env-config">
      <div className="section__head">
        <h2 id="env-config">Configuration</h2>
        {canManage && !editing ? (
          <button type="button" className="btn" onClick={startEditing}>
            Edit configuration
          </button>
        ) : null}
      </div>
      {saved !== null ? (
        <Notice tone="success">
          Saved {saved} change{saved === 1 ? '' : 's'}; the history below records {saved === 1 ? 'it' : 'them'}.
        </Notice>
      ) : null}
      {!editing ? (
        env.configuration.length === 0 ? (
          <Empty title="No configuration yet" />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="config-table">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Value</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {env.configuration.map((c) => {
                  // Secrets arrive masked for roles that may not read them; readers see them on request.
                  const shown = !c.secret || reveal;
                  return (
                    <tr key={c.key}>
                      <th scope="row" className="mono">
                        {c.key}
                        {c.secret ? <span className="chip chip--secret">secret</span> : null}
                      </th>
                      <td className="mono">{shown ? c.value : MASK}</td>
                      <td className="nowrap">{formatDateTime(c.updatedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : (
        <form onSubmit={(e) => void save(e)} aria-label="Edit configuration" className="card">
          <div className="table-wrap">
            <table className="table config-editor">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Value</th>
                  <th scope="col">Secret</th>
                  <th scope="col">Remove</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i} className={r.remove ? 'row--removed' : undefined}>
                    <td>
                      {r.isNew ? (
                        <input aria-label="New key" value={r.key} onChange={(e) => setRow(i, { key: e.target.value })} className="mono" />
                      ) : (
                        <span className="mono">{r.key}</span>
                      )}
                    </td>
                    <td>
                      <input
                        aria-label={`Value of ${r.key || 'new key'}`}
                        className="mono"
                        type={r.secret ? 'password' : 'text'}
                        autoComplete="off"
                        value={r.value}
                        disabled={r.remove}
                        onChange={(e) => setRow(i, { value: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${r.key || 'new key'} is secret`}
                        checked={r.secret}
                        disabled={r.remove}
                        onChange={(e) => setRow(i, { secret: e.target.checked })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Remove ${r.key || 'new key'}`}
                        checked={r.remove ?? false}
                        onChange={(e) => setRow(i, { remove: e.target.checked })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {localProblems.length ? <ErrorBanner problems={localProblems.map((message) => ({ message, code: 'VALIDATION' }))} /> : null}
          <ErrorBanner error={error} />
          <div className="button-row">
            <button type="button" className="btn" onClick={() => setRows((rs) => [...rs, { key: '', value: '', secret: false, isNew: true }])}>
              Add entry
            </button>
            <button type="submit" className="btn btn--primary" disabled={fetching}>
              Save configuration
            </button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
