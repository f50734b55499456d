import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Permission } from '../gql/graphql';
import { PageHeader } from '../ui/PageHeader';
import { ErrorBanner } from '../ui/states';
import { canAny } from './permissions';
import { useViewer } from './viewer';

/**
 * A page for principals holding one of the permissions; others get an explanation (the server
 * refuses anyway).
 */
export function Allowed({ permission, children }: { permission: Permission | readonly Permission[]; children: ReactNode }) {
  const { permissions } = useViewer();
  const wanted = typeof permission === 'string' ? [permission] : permission;
  if (canAny(permissions, wanted)) return <>{children}</>;
  return (
    <>
      <PageHeader title="Not available for your roles" />
      <ErrorBanner problems={[{ code: 'FORBIDDEN', message: 'Your roles do not give access to this page.' }]} />
      <Link to="/">Go to the start page</Link>
    </>
  );
}
