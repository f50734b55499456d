import { useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { useCan } from '../auth/viewer';
import { graphql } from '../gql';
import type { Criticality } from '../gql/graphql';
import { Field } from '../ui/Field';
import { humanize } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Pager, useCursorPager } from '../ui/Pager';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';

const CRITICALITIES: readonly Criticality[] = ['TIER_1', 'TIER_2', 'TIER_3', 'TIER_4'];
const PAGE_SIZE = 50;

const SystemsQuery = graphql(`
  query Systems($filter: SystemFilter, $first: Int!, $after: String) {
    systems(filter: $filter, first: $first, after: $after, orderBy: { field: CODE }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        code
        name
        description
        owner
        criticality
        environments {
          id
          name
          tier
        }
        impacts {
          id
          kind
          release {
            id
            key
            status
          }
        }
      }
    }
  }
`);

const CreateSystemMutation = graphql(`
  mutation CreateSystem($input: CreateSystemInput!) {
    createSystem(input: $input) {
      system {
        id
        code
        name
      }
    }
  }
`);

export function SystemListPage() {
  useTitle('Systems');
  const canManage = useCan('MANAGE_SYSTEMS');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="Systems"
        subtitle="Applications and services of the portfolio, where they are hosted and which releases touch them."
        actions={
          canManage && !creating ? (
            <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
              New system
            </button>
          ) : null
        }
      />
      {creating ? (
        <NewSystemForm
          onCreated={(code) => {
            setCreated(code);
            setCreating(false);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {created ? <Notice tone="success">System {created} created.</Notice> : null}
      <form className="filters" role="search" aria-label="Filter systems" onSubmit={(e) => e.preventDefault()}>
        <label className="field field--inline">
          <span className="field__label">Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Code or name" />
        </label>
      </form>
      <SystemTable key={search.trim()} search={search.trim()} />
    </>
  );
}

function SystemTable({ search }: { search: string }) {
  const pager = useCursorPager();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: SystemsQuery,
    variables: { filter: search ? { search } : null, first: PAGE_SIZE, after: pager.after },
  });
  if (!data && fetching) return <Loading label="Loading systems" />;
  if (!data) return <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  const { nodes, totalCount, pageInfo } = data.systems;
  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      {nodes.length === 0 ? (
        <Empty title="No systems match" />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="systems-table">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Criticality</th>
                <th scope="col">Owner</th>
                <th scope="col">Hosted on</th>
                <th scope="col">Releases</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="mono">
                    {s.code}
                  </th>
                  <td>
                    {s.name}
                    {s.description ? <div className="small muted">{s.description}</div> : null}
                  </td>
                  <td>
                    <span className={`crit crit--${s.criticality.toLowerCase()}`}>{humanize(s.criticality)}</span>
                  </td>
                  <td>{s.owner ?? '—'}</td>
                  <td className="chips">
                    {s.environments.map((e) => (
                      <span key={e.id} className="chip">
                        {e.name}
                      </span>
                    ))}
                  </td>
                  <td className="small">
                    {s.impacts.length === 0
                      ? '—'
                      : s.impacts
                          .map((i) => i.release?.key)
                          .filter(Boolean)
                          .join(', ')}
                  </td>
                </tr>
              ))}
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
    </>
  );
}

const FIELDS = ['code', 'name', 'description', 'owner', 'criticality'];

function NewSystemForm({ onCreated, onCancel }: { onCreated: (code: string) => void; onCancel: () => void }) {
  const [form, setForm] = useState({ code: '', name: '', description: '', owner: '', criticality: 'TIER_3' as Criticality });
  const [{ fetching, error }, create] = useMutation(CreateSystemMutation);
  const errors = fieldErrors(error);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await create({
      input: {
        code: form.code.trim(),
        name: form.name.trim(),
        criticality: form.criticality,
        ...(form.description.trim() ? { description: form.description.trim() } : {}),
        ...(form.owner.trim() ? { owner: form.owner.trim() } : {}),
      },
    });
    if (result.data) onCreated(result.data.createSystem.system.code);
  }

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New system">
      <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      <Field label="Code" error={errors.code} hint="Short and unique, e.g. PAY-GW">
        <input value={form.code} onChange={set('code')} required autoFocus />
      </Field>
      <Field label="Name" error={errors.name}>
        <input value={form.name} onChange={set('name')} required />
      </Field>
      <Field label="Owner" error={errors.owner}>
        <input value={form.owner} onChange={set('owner')} placeholder="Team or person" />
      </Field>
      <Field label="Criticality" error={errors.criticality}>
        <select value={form.criticality} onChange={set('criticality')}>
          {CRITICALITIES.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-grid__full">
        <Field label="Description" error={errors.description}>
          <textarea rows={2} value={form.description} onChange={set('description')} />
        </Field>
      </div>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching}>
          Create system
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
