import { Fragment, useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { graphql } from '../gql';
import { Badge } from '../ui/Badge';
import { CopyButton } from '../ui/CopyButton';
import { Field } from '../ui/Field';
import { formatDateTime, humanize } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';

const WebhooksQuery = graphql(`
  query Webhooks {
    webhooks {
      id
      name
      url
      kinds
      active
      createdAt
      deliveries(first: 20) {
        totalCount
        nodes {
          id
          kind
          status
          attempts
          nextAttemptAt
          lastStatusCode
          lastError
          createdAt
          deliveredAt
        }
      }
    }
    notificationKinds
  }
`);

const CreateWebhookMutation = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      webhook {
        id
        name
      }
      secret
    }
  }
`);

const UpdateWebhookMutation = graphql(`
  mutation UpdateWebhook($input: UpdateWebhookInput!) {
    updateWebhook(input: $input) {
      webhook {
        id
        active
        url
        kinds
      }
    }
  }
`);

const DeleteWebhookMutation = graphql(`
  mutation DeleteWebhook($input: DeleteByIdInput!) {
    deleteWebhook(input: $input) {
      deletedId
    }
  }
`);

const DELIVERY_TONE: Record<string, string> = { DELIVERED: 'SUCCEEDED', FAILED: 'FAILED', PENDING: 'PLANNED' };

function NewWebhookForm({ kinds, onCreated, onCancel }: { kinds: readonly string[]; onCreated: (name: string, secret: string) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('https://');
  const [chosen, setChosen] = useState<string[]>([]);
  const [{ fetching, error }, create] = useMutation(CreateWebhookMutation);
  const errors = fieldErrors(error);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const r = await create({ input: { name: name.trim(), url: url.trim(), kinds: chosen } });
    if (r.data) onCreated(r.data.createWebhook.webhook.name, r.data.createWebhook.secret);
  }
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New webhook">
      <div className="form-grid__full">
        <ErrorBanner problems={formLevelProblems(error, ['name', 'url', 'kinds'])} />
      </div>
      <Field label="Name" error={errors.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      </Field>
      <Field label="URL" error={errors.url} hint="Receives a signed POST per notification">
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
      </Field>
      <fieldset className="role-picker form-grid__full">
        <legend className="field__label">Notification kinds (none: all)</legend>
        {kinds.map((k) => (
          <label key={k} className="checkbox">
            <input type="checkbox" checked={chosen.includes(k)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, k] : c.filter((x) => x !== k)))} />
            {humanize(k)}
          </label>
        ))}
        {errors.kinds ? <span className="field__error">{errors.kinds}</span> : null}
      </fieldset>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching || !name.trim()}>
          Create webhook
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Outbound webhooks: where notifications are delivered, and the log of each delivery. */
export function WebhooksPage() {
  useTitle('Webhooks');
  const [{ data, error, fetching }, refetch] = useQuery({ query: WebhooksQuery });
  const [update, updateWebhook] = useMutation(UpdateWebhookMutation);
  const [del, deleteWebhook] = useMutation(DeleteWebhookMutation);
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<{ name: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const hooks = data?.webhooks ?? [];
  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Notifications sent to other tools as signed HTTP POSTs, retried on failure and logged."
        actions={
          !adding ? (
            <button type="button" className="btn btn--primary" onClick={() => setAdding(true)}>
              New webhook
            </button>
          ) : null
        }
      />
      {issued ? (
        <section className="card secret-once" role="status" aria-labelledby="wh-secret" data-testid="webhook-secret">
          <h2 id="wh-secret">Webhook “{issued.name}” created</h2>
          <p>
            Copy the signing secret now: <strong>it will not be shown again</strong>. Deliveries carry{' '}
            <code>X-Heatshield-Signature: t=&lt;time&gt;,v1=&lt;HMAC-SHA256&gt;</code>.
          </p>
          <div className="secret-once__value">
            <code data-testid="webhook-secret-value">{issued.secret}</code>
            <CopyButton text={issued.secret} />
          </div>
          <button type="button" className="btn" onClick={() => setIssued(null)}>
            I have stored it
          </button>
        </section>
      ) : null}
      {adding ? (
        <NewWebhookForm
          kinds={data?.notificationKinds ?? []}
          onCancel={() => setAdding(false)}
          onCreated={(name, secret) => {
            setAdding(false);
            setIssued({ name, secret });
            reload();
          }}
        />
      ) : null}
      <ErrorBanner error={update.error ?? del.error} />
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={reload} />
      ) : hooks.length === 0 ? (
        <Empty title="No webhooks yet">Add one to send notifications to chat, ITSM or CI tools.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="webhooks-table">
            <thead>
              <tr>
                <th scope="col">Webhook</th>
                <th scope="col">Kinds</th>
                <th scope="col">State</th>
                <th scope="col">Deliveries</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {hooks.map((h) => (
                <Fragment key={h.id}>
                  <tr className={h.active ? undefined : 'row--inactive'}>
                    <th scope="row">
                      {h.name}
                      <div className="muted small mono">{h.url}</div>
                    </th>
                    <td>{h.kinds.length === 0 ? 'All' : h.kinds.map((k) => humanize(k)).join(', ')}</td>
                    <td>{h.active ? <Badge value="SUCCEEDED" label="Active" /> : <Badge value="CANCELLED" label="Paused" />}</td>
                    <td>
                      <button type="button" className="btn btn--small" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                        {h.deliveries.totalCount} deliveries
                      </button>
                    </td>
                    <td>
                      <div className="button-row">
                        <button
                          type="button"
                          className="btn btn--small"
                          aria-label={`${h.active ? 'Pause' : 'Resume'} ${h.name}`}
                          disabled={update.fetching}
                          onClick={() => void updateWebhook({ input: { id: h.id, active: !h.active } })}
                        >
                          {h.active ? 'Pause' : 'Resume'}
                        </button>
                        <button
                          type="button"
                          className="btn btn--small btn--danger"
                          aria-label={`Delete ${h.name}`}
                          disabled={del.fetching}
                          onClick={() => {
                            if (window.confirm(`Delete the webhook “${h.name}”?`)) {
                              void deleteWebhook({ input: { id: h.id } }).then((r) => {
                                if (!r.error) reload();
                              });
                            }
                          }}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                  {open === h.id ? (
                    <tr>
                      <td colSpan={5}>
                        {h.deliveries.nodes.length === 0 ? (
                          <Notice>Nothing delivered yet.</Notice>
                        ) : (
                          <table className="table" data-testid="deliveries-table" aria-label={`Deliveries of ${h.name}`}>
                            <thead>
                              <tr>
                                <th scope="col">Kind</th>
                                <th scope="col">Status</th>
                                <th scope="col">Attempts</th>
                                <th scope="col">Last answer</th>
                                <th scope="col">Created</th>
                                <th scope="col">Delivered / next try</th>
                              </tr>
                            </thead>
                            <tbody>
                              {h.deliveries.nodes.map((d) => (
                                <tr key={d.id}>
                                  <td>{humanize(d.kind)}</td>
                                  <td>
                                    <Badge value={DELIVERY_TONE[d.status] ?? d.status} label={humanize(d.status)} />
                                  </td>
                                  <td>{d.attempts}</td>
                                  <td>
                                    {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : ''} {d.lastError ? <span className="text-danger small">{d.lastError}</span> : null}
                                  </td>
                                  <td>{formatDateTime(d.createdAt)}</td>
                                  <td>{d.deliveredAt ? formatDateTime(d.deliveredAt) : d.nextAttemptAt ? `retry ${formatDateTime(d.nextAttemptAt)}` : '—'}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        )}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
