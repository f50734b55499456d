import { ALL_ROLES, ROLE_LABELS } from '../auth/permissions';
import type { Role } from '../gql/graphql';

export function RolePicker({
  value,
  onChange,
  legend = 'Roles',
  error,
}: {
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
  legend?: string;
  error?: string | undefined;
}) {
  return (
    <fieldset className={error ? 'role-picker field--invalid' : 'role-picker'}>
      <legend className="field__label">{legend}</legend>
      {ALL_ROLES.map((r) => (
        <label key={r} className="checkbox">
          <input
            type="checkbox"
            name="role"
            value={r}
            checked={value.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))}
          />
          {ROLE_LABELS[r]}
        </label>
      ))}
      {error ? (
        <span className="field__error" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}
