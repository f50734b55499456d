import { useState, type SyntheticEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { ROLE_LABELS } from '../auth/permissions';
import { useViewer } from '../auth/viewer';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { Field } from '../ui/Field';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Pager, useCursorPager } from '../ui/Pager';
import { Empty, ErrorBanner, ErrorState, Loading, Notice } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { RolePicker } from './RolePicker';

const PAGE_SIZE = 50;

const UsersQuery = graphql(`
  query Users($filter: UserFilter, $first: Int!, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        email
        displayName
        roles
        active
        sso
        createdAt
      }
    }
  }
`);

const CreateUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        email
        displayName
        roles
        active
        sso
        createdAt
      }
    }
  }
`);

const UpdateUserMutation = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      user {
        id
        displayName
        roles
        active
      }
    }
  }
`);

export function UsersPage() {
  useTitle('Users');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="Users and roles"
        subtitle="Who may sign in and what they may do. Role changes and deactivation take effect on the user's next request."
        actions={
          !creating ? (
            <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
              New user
            </button>
          ) : null
        }
      />
      {creating ? (
        <NewUserForm
          onCreated={(email) => {
            setCreated(email);
            setCreating(false);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {created ? <Notice tone="success">User {created} created.</Notice> : null}
      <form className="filters" role="search" aria-label="Filter users" onSubmit={(e) => e.preventDefault()}>
        <label className="field field--inline">
          <span className="field__label">Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Email or name" />
        </label>
      </form>
      <UserTable key={search.trim()} search={search.trim()} />
    </>
  );
}

function UserTable({ search }: { search: string }) {
  const pager = useCursorPager();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: UsersQuery,
    variables: { filter: search ? { search } : null, first: PAGE_SIZE, after: pager.after },
  });
  if (!data && fetching) return <Loading label="Loading users" />;
  if (!data) return <ErrorState error={error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
  const { nodes, totalCount, pageInfo } = data.users;
  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      {nodes.length === 0 ? (
        <Empty title="No users match" />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((u) => (
                <UserRow key={u.id} user={u} />
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

function UserRow({
  user,
}: {
  user: { id: string; email: string; displayName: string; roles: Role[]; active: boolean; sso: boolean; createdAt: string };
}) {
  const viewer = useViewer();
  const [editing, setEditing] = useState(false);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [{ fetching, error }, update] = useMutation(UpdateUserMutation);
  const isMe = viewer.userId === user.id;

  async function saveRoles(e: SyntheticEvent) {
    e.preventDefault();
    const r = await update({ input: { id: user.id, roles } });
    if (!r.error) setEditing(false);
  }

  return (
    <tr className={user.active ? undefined : 'row--inactive'}>
      <th scope="row">
        {user.displayName}
        <div className="small muted">{user.email}</div>
      </th>
      <td>
        {editing ? (
          <form onSubmit={(e) => void saveRoles(e)} aria-label={`Roles of ${user.email}`}>
            <RolePicker value={roles} onChange={setRoles} error={fieldErrors(error).roles} />
            <div className="button-row">
              <button type="submit" className="btn btn--primary btn--small" disabled={fetching || roles.length === 0}>
                Save roles
              </button>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => {
                  setRoles(user.roles);
                  setEditing(false);
                }}
              >
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <span className="chips">
            {user.roles.map((r) => (
              <span key={r} className="chip">
                {ROLE_LABELS[r]}
              </span>
            ))}
          </span>
        )}
      </td>
      <td>
        {user.active ? 'Active' : <strong>Deactivated</strong>}
        {user.sso ? <div className="small muted">single sign-on</div> : null}
      </td>
      <td className="nowrap">{formatDateTime(user.createdAt)}</td>
      <td>
        <div className="button-row">
          {!editing ? (
            <button type="button" className="btn btn--small" onClick={() => setEditing(true)} aria-label={`Change roles of ${user.email}`}>
              Roles
            </button>
          ) : null}
          {!isMe ? (
            <button
              type="button"
              className={user.active ? 'btn btn--small btn--danger' : 'btn btn--small'}
              disabled={fetching}
              aria-label={`${user.active ? 'Deactivate' : 'Reactivate'} ${user.email}`}
              onClick={() => {
                if (!user.active || window.confirm(`Deactivate ${user.email}? Their sessions end at once.`)) {
                  void update({ input: { id: user.id, active: !user.active } });
                }
              }}
            >
              {user.active ? 'Deactivate' : 'Reactivate'}
            </button>
          ) : null}
        </div>
        <ErrorBanner problems={formLevelProblems(error, ['roles'])} />
      </td>
    </tr>
  );
}

const FIELDS = ['email', 'displayName', 'password', 'roles'];

function NewUserForm({ onCreated, onCancel }: { onCreated: (email: string) => void; onCancel: () => void }) {
  const [form, setForm] = useState({ email: '', displayName: '', password: '' });
  const [roles, setRoles] = useState<Role[]>(['VIEWER']);
  const [{ fetching, error }, create] = useMutation(CreateUserMutation);
  const errors = fieldErrors(error);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    const result = await create({
      input: {
        email: form.email.trim(),
        displayName: form.displayName.trim(),
        roles,
        ...(form.password ? { password: form.password } : {}),
      },
    });
    if (result.data) onCreated(result.data.createUser.user.email);
  }

  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} aria-label="New user">
      <ErrorBanner problems={formLevelProblems(error, FIELDS)} />
      <Field label="Email" error={errors.email}>
        <input type="email" value={form.email} onChange={set('email')} required autoFocus autoComplete="off" />
      </Field>
      <Field label="Display name" error={errors.displayName}>
        <input value={form.displayName} onChange={set('displayName')} required autoComplete="off" />
      </Field>
      <Field label="Initial password" error={errors.password} hint="Leave empty for users who sign in through single sign-on">
        <input type="password" value={form.password} onChange={set('password')} autoComplete="new-password" />
      </Field>
      <div className="form-grid__full">
        <RolePicker value={roles} onChange={setRoles} error={errors.roles} />
      </div>
      <div className="button-row form-grid__full">
        <button type="submit" className="btn btn--primary" disabled={fetching || roles.length === 0}>
          Create user
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
