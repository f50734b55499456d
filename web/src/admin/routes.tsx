import { Navigate, Route, Routes } from 'react-router';
import { Allowed } from '../auth/Allowed';
import { ApiTokensPage } from './ApiTokensPage';
import { UsersPage } from './UsersPage';
import { WebhooksPage } from './WebhooksPage';

export function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="users" replace />} />
      <Route
        path="users"
        element={
          <Allowed permission="MANAGE_USERS">
            <UsersPage />
          </Allowed>
        }
      />
      <Route
        path="api-tokens"
        element={
          <Allowed permission="MANAGE_API_TOKENS">
            <ApiTokensPage />
          </Allowed>
        }
      />
      <Route
        path="webhooks"
        element={
          <Allowed permission="MANAGE_WEBHOOKS">
            <WebhooksPage />
          </Allowed>
        }
      />
    </Routes>
  );
}
