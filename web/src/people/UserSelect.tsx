import { useQuery } from 'urql';
import { graphql } from '../gql';

export const ActiveUsersQuery = graphql(`
  query ActiveUsers {
    users(first: 100, filter: { active: true }) {
      nodes {
        id
        displayName
        email
        roles
      }
    }
  }
`);

/** A `<select>` of active users (by name); "" means nobody. Pass id/aria props through a Field. */
export function UserSelect({
  value,
  onChange,
  emptyLabel = 'Nobody',
  required = false,
  ...rest
}: {
  value: string;
  onChange: (id: string) => void;
  emptyLabel?: string;
  required?: boolean;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  const [{ data, error }] = useQuery({ query: ActiveUsersQuery });
  const users = [...(data?.users.nodes ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} required={required} {...rest}>
      <option value="">{error ? 'Users could not be loaded' : data ? emptyLabel : 'Loading…'}</option>
      {users.map((u) => (
        <option key={u.id} value={u.id}>
          {u.displayName}
        </option>
      ))}
    </select>
  );
}
