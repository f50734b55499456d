import { createContext, useContext } from 'react';
import type { Permission, PrincipalKind, Role } from '../gql/graphql';
import { can } from './permissions';

export interface Viewer {
  name: string;
  kind: PrincipalKind;
  roles: Role[];
  /** What the server says the caller may do (`me { permissions }`). */
  permissions: Permission[];
  userId: string | null;
  email: string | null;
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const v = useContext(ViewerContext);
  if (!v) throw new Error('useViewer outside a signed-in page');
  return v;
}

/** Does the server let the signed-in principal do this? */
export function useCan(permission: Permission): boolean {
  return can(useViewer().permissions, permission);
}
