import { useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { ROLE_LABELS } from '../auth/permissions';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { CopyButton } from '../ui/CopyButton';
import { Field } from '../ui/Field';
import { addDaysIso, formatDateTime, todayIso } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { RolePicker } from './RolePicker';

const ApiTokensQuery = graphql(`
  query ApiTokens($includeInactive: Boolean!) {
    apiTokens(includeInactive: $includeInactive) {
      id
      name
      prefix
      roles
      createdAt
      expiresAt
      lastUsedAt
      revokedAt
      active
      createdBy {
        id
        displayName
      }
    }
  }
`);

const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      apiToken {
        id
        name
        prefix
        roles
        expiresAt
      }
    }
  }
`);

const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($input: RevokeApiTokenInput!) {
    revokeApiToken(input: $input) {
      apiToken {
        id
        active
        revokedAt
      }
    }
  }
`);

export function ApiTokensPage() {
  useTitle('API tokens');
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ name: string; secret: string } | null>(null);
  const [includeInactive, setIncludeInactive] = useState(false);
  const [{ data, error, fetching }, refetch] = useQuery({ query: ApiTokensQuery, variables: { includeInactive } });
  const [revoking, revoke] = useMutation(RevokeApiTokenMutation);

  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="Named, expiring, revocable credentials for CI pipelines, test runners and deployment tools."
        actions={
          !creating ? (
            <button
              type="button"
              className="btn btn--primary"
              onClick={() => {
                setIssued(null);
                setCreating(true);
              }}
            >
              New API token
            </button>
          ) : null
        }
      />
      {issued ? <SecretOnce issued={issued} onDismiss={() => setIssued(null)} /> : null}
      {creating ? (
        <NewTokenForm
          onCreated={(t) => {
            setIssued(t);
            setCreating(false);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
        Show revoked and expired tokens
      </label>
      <ErrorBanner error={revoking.error} />
      {!data && fetching ? <Loading label="Loading API tokens" /> : null}
      {!data && !fetching ? <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} /> : null}
      {data && data.apiTokens.length === 0 ? <Empty title="No API tokens yet" /> : null}
      {data && data.apiTokens.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Roles</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.apiTokens.map((t) => (
                <tr key={t.id} className={t.active ? undefined : 'row--inactive'}>
                  <th scope="row">
                    {t.name}
                    {t.createdBy ? <div className="small muted">by {t.createdBy.displayName}</div> : null}
                  </th>
                  <td className="mono">{t.prefix}…</td>
                  <td className="chips">
                    {t.roles.map((r) => (
                      <span key={r} className="chip">
                        {ROLE_LABELS[r]}
                      </span>
                    ))}
                  </td>
                  <td className="nowrap">{formatDateTime(t.createdAt)}</td>
                  <td className="nowrap">{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</td>
                  <td className="nowrap">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</td>
                  <td>{t.active ? 'Active' : t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt)}` : 'Expired'}</td>
                  <td>
                    {t.active ? (
                      <button
                        type="button"
                        className="btn btn--small btn--danger"
                        disabled={revoking.fetching}
                        aria-label={`Revoke ${t.name}`}
                        onClick={() => {
                          if (window.confirm(`Revoke "${t.name}"? Tools using it are refused at once.`)) {
                            void revoke({ input: { id: t.id } });
                          }
                        }}
                      >
                        Revoke
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** The secret, shown this once: it lives only in this component's state and is never stored. */
function SecretOnce({ issued, onDismiss }: { issued: { name: string; secret: string }; onDismiss: () => void }) {
  return (
    <section className="card secret-once" role="status" aria-labelledby="secret-title" data-testid="token-secret">
      <h2 id="secret-title">Token “{issued.name}” created</h2>
      <p>
        Copy the secret now: <strong>it will not be shown again</strong>. Tools send it as{' '}
        <code>Authorization: Bearer &lt;secret&gt;</code>.
      </p>
      <div className="secret-once__value">
        <code data-testid="token-secret-value">{issued.secret}</code>
        <CopyButton text={issued.secret} />
      </div>
      <button type="button" className="btn" onClick={onDismiss}>
        I have stored it
      </button>
    </section>
  );
}

const FIELDS = ['name', 'roles', 'expiresAt'];

function NewTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (t: { name: string; secret: string }) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [expires, setExpires] = useState(addDaysIso(todayIso(), 90));
  const [{ fetching, error }, create] = useMutation(CreateApiTokenMutation);
  const errors = fieldErrors(error);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await create({
      input: { name: name.trim(), roles, expiresAt: `${expires}T00:00:00Z` },
    });
    const payload = result.data?.createApiToken;
    if (payload) onCreated({ name: payload.apiToken.name, secret: payload.secret });
  }

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New API token">
      <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      <Field label="Name" error={errors.name} hint="The tool that uses it, e.g. Jenkins">
        <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus autoComplete="off" />
      </Field>
      <Field label="Expires on" error={errors.expiresAt} hint="At most two years ahead">
        <input
          type="date"
          value={expires}
          min={addDaysIso(todayIso(), 1)}
          max={addDaysIso(todayIso(), 730)}
          onChange={(e) => setExpires(e.target.value)}
          required
        />
      </Field>
      <div className="form-grid__full">
        <RolePicker value={roles} onChange={setRoles} error={errors.roles} legend="Roles the token carries" />
      </div>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching || roles.length === 0}>
          Create token
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
