import { useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { useCan } from '../auth/viewer';
import { Field } from '../ui/Field';
import { formatDateTime, fromLocalInput } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { BlackoutsQuery, CreateBlackoutMutation, DeleteBlackoutMutation, EnvironmentOptionsQuery } from './documents';

const FIELDS = ['name', 'description', 'startsAt', 'endsAt', 'timeZone', 'environmentIds'];

function NewBlackoutForm({ onDone }: { onDone: (name: string | null) => void }) {
  const [envs] = useQuery({ query: EnvironmentOptionsQuery });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [environmentIds, setEnvironmentIds] = useState<string[]>([]);
  const [{ fetching, error }, create] = useMutation(CreateBlackoutMutation);
  const errors = fieldErrors(error);
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const s = fromLocalInput(start);
    const en = fromLocalInput(end);
    if (!s || !en) return;
    const r = await create({
      input: { name: name.trim(), description: description.trim() || null, startsAt: s, endsAt: en, timeZone, environmentIds },
    });
    if (!r.error) onDone(name.trim());
  }
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New blackout">
      <div className="form-grid__full">
        <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      </div>
      <Field label="Name" error={errors.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      </Field>
      <Field label="Description" error={errors.description}>
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Field label="Starts" error={errors.startsAt} hint="Your local time">
        <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
      </Field>
      <Field label="Ends" error={errors.endsAt}>
        <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
      </Field>
      <Field label="Time zone" error={errors.timeZone} hint="IANA name it is shown in, e.g. Europe/London">
        <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required />
      </Field>
      <fieldset className="role-picker form-grid__full">
        <legend className="field__label">Environments (none: org-wide)</legend>
        {(envs.data?.environments.nodes ?? []).map((env) => (
          <label key={env.id} className="checkbox">
            <input
              type="checkbox"
              checked={environmentIds.includes(env.id)}
              onChange={(e) => setEnvironmentIds((ids) => (e.target.checked ? [...ids, env.id] : ids.filter((x) => x !== env.id)))}
            />
            {env.name}
          </label>
        ))}
        {errors.environmentIds ? <span className="field__error">{errors.environmentIds}</span> : null}
      </fieldset>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching}>
          Create blackout
        </button>
        <button type="button" className="btn" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Blackout periods (org-wide or for some environments and systems), current and ahead. */
export function BlackoutsPage() {
  useTitle('Blackouts');
  const canManage = useCan('MANAGE_BLACKOUTS');
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [showPast, setShowPast] = useState(false);
  const [from] = useState(() => new Date(Date.now() - 86_400_000).toISOString());
  const [{ data, error, fetching }, refetch] = useQuery({ query: BlackoutsQuery, variables: { filter: showPast ? {} : { from } } });
  const [del, deleteBlackout] = useMutation(DeleteBlackoutMutation);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const list = data?.blackouts ?? [];
  return (
    <>
      <PageHeader
        title="Blackouts"
        subtitle="Periods when go-lives and bookings are blocked, everywhere or for some environments and systems, unless a role may override."
        actions={
          canManage && !adding ? (
            <button type="button" className="btn btn--primary" onClick={() => setAdding(true)}>
              New blackout
            </button>
          ) : null
        }
      />
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {adding ? (
        <NewBlackoutForm
          onDone={(name) => {
            setAdding(false);
            if (name) {
              setNotice(`Blackout ${name} created.`);
              reload();
            }
          }}
        />
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={showPast} onChange={(e) => setShowPast(e.target.checked)} /> Show past blackouts
      </label>
      <ErrorBanner error={del.error} />
      {!data && fetching ? (
        <Loading />
      ) : !data ? (
        <ErrorState error={error} onRetry={reload} />
      ) : list.length === 0 ? (
        <Empty title="No blackouts">Nothing is blacked out{showPast ? '' : ' from now on'}.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="blackouts-table">
            <thead>
              <tr>
                <th scope="col">Blackout</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Applies to</th>
                <th scope="col">By</th>
                {canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    {b.name}
                    {b.description ? <div className="muted small">{b.description}</div> : null}
                  </th>
                  <td>
                    {formatDateTime(b.startsAt)}
                    <div className="muted small">
                      {b.localStartsAt.slice(0, 16).replace('T', ' ')} {b.timeZone}
                    </div>
                  </td>
                  <td>
                    {formatDateTime(b.endsAt)}
                    <div className="muted small">
                      {b.localEndsAt.slice(0, 16).replace('T', ' ')} {b.timeZone}
                    </div>
                  </td>
                  <td>
                    {b.orgWide ? (
                      <strong>Everywhere</strong>
                    ) : (
                      <span className="chips">
                        {b.environments.map((e) => (
                          <span key={e.id} className="chip">
                            {e.name}
                          </span>
                        ))}
                        {b.systems.map((s) => (
                          <span key={s.id} className="chip">
                            {s.code}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td>{b.createdByName}</td>
                  {canManage ? (
                    <td>
                      <button
                        type="button"
                        className="btn btn--small btn--danger"
                        aria-label={`Delete ${b.name}`}
                        disabled={del.fetching}
                        onClick={() => {
                          if (window.confirm(`Delete the blackout “${b.name}”?`)) {
                            void deleteBlackout({ input: { id: b.id } }).then((r) => {
                              if (!r.error) {
                                setNotice(`Blackout ${b.name} deleted.`);
                                reload();
                              }
                            });
                          }
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
