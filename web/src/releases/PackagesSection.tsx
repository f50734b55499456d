import { useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { graphql } from '../gql';
import { SystemOptionsQuery } from '../systems/options';
import type { PackageKind, PackageStatus } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { Field } from '../ui/Field';
import { formatDateTime, humanize } from '../ui/format';
import { Empty, ErrorBanner, Notice } from '../ui/states';

export const PACKAGE_STATUSES: readonly PackageStatus[] = ['PLANNED', 'IN_PROGRESS', 'READY', 'DEPLOYED', 'CANCELLED'];
const PACKAGE_KINDS: readonly PackageKind[] = ['DEPLOYMENT', 'WORK'];


const CreatePackageMutation = graphql(`
  mutation CreatePackage($input: CreatePackageInput!) {
    createPackage(input: $input) {
      package {
        id
        name
        version
        kind
        status
        jiraKey
        changeRequestId
      }
    }
  }
`);

const UpdatePackageMutation = graphql(`
  mutation UpdatePackage($input: UpdatePackageInput!) {
    updatePackage(input: $input) {
      package {
        id
        version
        status
        updatedAt
      }
    }
  }
`);

const RecordDeploymentMutation = graphql(`
  mutation RecordDeployment($input: RecordDeploymentInput!) {
    recordDeployment(input: $input) {
      deployment {
        id
        version
        status
        deployedAt
        deployedByName
      }
    }
  }
`);

const HostingEnvironmentsQuery = graphql(`
  query HostingEnvironments($systemId: ID!) {
    environments(filter: { systemId: $systemId }, first: 100, orderBy: { field: TIER }) {
      nodes {
        id
        name
        tier
        status
      }
    }
  }
`);

interface PackageRow {
  id: string;
  name: string;
  version: string;
  kind: PackageKind;
  status: PackageStatus;
  jiraKey?: string | null;
  changeRequestId?: string | null;
  system?: { id: string; code: string; name: string } | null;
  deployments: readonly {
    id: string;
    version: string;
    status: string;
    deployedAt: string;
    deployedByName: string;
    environment?: { id: string; name: string; tier: string } | null;
  }[];
}

/** Packages of a release with where they were deployed; project/release managers manage them. */
export function PackagesSection({
  release,
  canManage,
  canDeploy = false,
}: {
  release: { id: string; packages: readonly PackageRow[] };
  canManage: boolean;
  /** May record deployments (environment and implementation managers, admins). */
  canDeploy?: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <section className="section" aria-labelledby="packages-title">
      <div className="section__head">
        <h2 id="packages-title">Packages and deployments</h2>
        {canManage && !adding ? (
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            Add package
          </button>
        ) : null}
      </div>
      {adding ? (
        <NewPackageForm
          releaseId={release.id}
          onCreated={(name) => {
            setAdded(name);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
      {added && !adding ? <Notice tone="success">Package {added} added.</Notice> : null}
      {release.packages.length === 0 ? (
        <Empty title="No packages in this release yet" />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="packages-table">
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">System</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">References</th>
                <th scope="col">Deployments</th>
                {canManage || canDeploy ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {release.packages.map((p) => (
                <PackageRowView key={p.id} pkg={p} canManage={canManage} canDeploy={canDeploy} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PackageRowView({ pkg, canManage, canDeploy }: { pkg: PackageRow; canManage: boolean; canDeploy: boolean }) {
  const [editing, setEditing] = useState(false);
  const [deploying, setDeploying] = useState(false);
  const [version, setVersion] = useState(pkg.version);
  const [status, setStatus] = useState<PackageStatus>(pkg.status);
  const [{ fetching, error }, update] = useMutation(UpdatePackageMutation);
  const errors = fieldErrors(error);

  async function save(e: SyntheticEvent) {
    e.preventDefault();
    const result = await update({ input: { id: pkg.id, version: version.trim(), status } });
    if (!result.error) setEditing(false);
  }

  return (
    <tr>
      <th scope="row">
        {pkg.name}
        <div className="small muted">{humanize(pkg.kind)}</div>
      </th>
      <td>
        <span className="mono">{pkg.system?.code}</span>
        <div className="small muted">{pkg.system?.name}</div>
      </td>
      {editing ? (
        <td colSpan={2}>
          <form className="inline-form" onSubmit={(e) => void save(e)} aria-label={`Edit ${pkg.name}`}>
            <Field label="Version" error={errors.version}>
              <input value={version} onChange={(e) => setVersion(e.target.value)} required />
            </Field>
            <Field label="Status" error={errors.status}>
              <select value={status} onChange={(e) => setStatus(e.target.value as PackageStatus)}>
                {PACKAGE_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {humanize(s)}
                  </option>
                ))}
              </select>
            </Field>
            <div className="button-row">
              <button type="submit" className="btn btn--primary" disabled={fetching}>
                Save
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setEditing(false);
                  setVersion(pkg.version);
                  setStatus(pkg.status);
                }}
              >
                Cancel
              </button>
            </div>
            <ErrorBanner problems={formLevelProblems(error, ['version', 'status'])} />
          </form>
        </td>
      ) : (
        <>
          <td className="mono">{pkg.version}</td>
          <td>
            <Badge value={pkg.status} />
          </td>
        </>
      )}
      <td className="small">
        {pkg.jiraKey ? <div>Jira {pkg.jiraKey}</div> : null}
        {pkg.changeRequestId ? <div>CR {pkg.changeRequestId}</div> : null}
        {!pkg.jiraKey && !pkg.changeRequestId ? <span className="muted">—</span> : null}
      </td>
      <td>
        {pkg.deployments.length === 0 ? (
          <span className="muted small">not deployed</span>
        ) : (
          <ul className="deployments">
            {pkg.deployments.map((d) => (
              <li key={d.id} title={`by ${d.deployedByName}`}>
                <span className="chip">{d.environment?.name ?? '?'}</span> <span className="mono">{d.version}</span>{' '}
                {d.status !== 'SUCCEEDED' ? <Badge value={d.status} /> : null}{' '}
                <span className="small muted">{formatDateTime(d.deployedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      {canManage || canDeploy ? (
        <td>
          <div className="button-row">
            {canManage && !editing ? (
              <button type="button" className="btn btn--small" onClick={() => setEditing(true)} aria-label={`Edit ${pkg.name}`}>
                Edit
              </button>
            ) : null}
            {canDeploy && !deploying && pkg.system ? (
              <button
                type="button"
                className="btn btn--small"
                onClick={() => setDeploying(true)}
                aria-label={`Record a deployment of ${pkg.name}`}
              >
                Deployed…
              </button>
            ) : null}
          </div>
          {deploying && pkg.system ? (
            <RecordDeploymentForm pkg={{ ...pkg, system: pkg.system }} onDone={() => setDeploying(false)} />
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

const FORM_FIELDS = ['systemId', 'name', 'version', 'kind', 'status', 'jiraKey', 'changeRequestId'];

function NewPackageForm({
  releaseId,
  onCreated,
  onCancel,
}: {
  releaseId: string;
  onCreated: (name: string) => void;
  onCancel: () => void;
}) {
  const [{ data: systems, error: systemsError }] = useQuery({ query: SystemOptionsQuery });
  const [{ fetching, error }, create] = useMutation(CreatePackageMutation);
  const [form, setForm] = useState({
    systemId: '',
    name: '',
    version: '',
    kind: 'DEPLOYMENT' as PackageKind,
    jiraKey: '',
    changeRequestId: '',
  });
  const errors = fieldErrors(error);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await create({
      input: {
        releaseId,
        systemId: form.systemId,
        name: form.name.trim(),
        version: form.version.trim(),
        kind: form.kind,
        ...(form.jiraKey.trim() ? { jiraKey: form.jiraKey.trim() } : {}),
        ...(form.changeRequestId.trim() ? { changeRequestId: form.changeRequestId.trim() } : {}),
      },
    });
    if (!result.error && result.data) {
      onCreated(result.data.createPackage.package.name);
    }
  }

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New package">
      <ErrorBanner error={systemsError} />
      <Field label="System" error={errors.systemId}>
        <select value={form.systemId} onChange={set('systemId')} required>
          <option value="">Choose a system</option>
          {systems?.systems.nodes.map((s) => (
            <option key={s.id} value={s.id}>
              {s.code} — {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Name" error={errors.name}>
        <input value={form.name} onChange={set('name')} required />
      </Field>
      <Field label="Version" error={errors.version}>
        <input value={form.version} onChange={set('version')} required placeholder="7.0.0" />
      </Field>
      <Field label="Kind" error={errors.kind}>
        <select value={form.kind} onChange={set('kind')}>
          {PACKAGE_KINDS.map((k) => (
            <option key={k} value={k}>
              {humanize(k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Jira key" error={errors.jiraKey}>
        <input value={form.jiraKey} onChange={set('jiraKey')} placeholder="PAY-4410" />
      </Field>
      <Field label="Change request" error={errors.changeRequestId}>
        <input value={form.changeRequestId} onChange={set('changeRequestId')} placeholder="CHG0012345" />
      </Field>
      <ErrorBanner problems={formLevelProblems(error, FORM_FIELDS)} />
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching}>
          Add package
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const DEPLOYMENT_OUTCOMES = ['SUCCEEDED', 'FAILED'] as const;

/** Records that this package went onto an environment that hosts its system. */
function RecordDeploymentForm({
  pkg,
  onDone,
}: {
  pkg: { id: string; name: string; version: string; system: { id: string; code: string } };
  onDone: () => void;
}) {
  const [{ data, error: envError }] = useQuery({ query: HostingEnvironmentsQuery, variables: { systemId: pkg.system.id } });
  const [{ fetching, error }, record] = useMutation(RecordDeploymentMutation);
  const [environmentId, setEnvironmentId] = useState('');
  const [version, setVersion] = useState(pkg.version);
  const [status, setStatus] = useState<(typeof DEPLOYMENT_OUTCOMES)[number]>('SUCCEEDED');
  const errors = fieldErrors(error);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await record({
      input: { packageId: pkg.id, environmentId, status, ...(version.trim() && version.trim() !== pkg.version ? { version: version.trim() } : {}) },
    });
    if (!result.error) onDone();
  }

  return (
    <form className="stack-form" onSubmit={(e) => void submit(e)} aria-label={`Record a deployment of ${pkg.name}`}>
      <ErrorBanner error={envError} />
      <Field label="Environment" error={errors.environmentId}>
        <select value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)} required>
          <option value="">Choose ({pkg.system.code} hosts)</option>
          {data?.environments.nodes.map((env) => (
            <option key={env.id} value={env.id}>
              {env.name} ({env.tier})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Version" error={errors.version}>
        <input value={version} onChange={(e) => setVersion(e.target.value)} />
      </Field>
      <Field label="Outcome" error={errors.status}>
        <select value={status} onChange={(e) => setStatus(e.target.value as (typeof DEPLOYMENT_OUTCOMES)[number])}>
          {DEPLOYMENT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {humanize(o)}
            </option>
          ))}
        </select>
      </Field>
      <ErrorBanner problems={formLevelProblems(error, ['environmentId', 'version', 'status'])} />
      <div className="button-row">
        <button type="submit" className="btn btn--primary btn--small" disabled={fetching || !environmentId}>
          Record
        </button>
        <button type="button" className="btn btn--small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
