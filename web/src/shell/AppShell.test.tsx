import { screen, within } from '@testing-library/react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue, never } from 'wonka';
import { describe, expect, it } from 'vitest';
import { AuthProvider } from '../auth/AuthProvider';
import { SessionStore } from '../auth/session';
import { ViewerContext } from '../auth/viewer';
import { viewer } from '../test/utils';
import { AppShell } from './AppShell';

/** A client that answers the bell's unread count with 4 and never sends a live event. */
const client = {
  executeQuery: (op: { kind: string }) => fromValue({ operation: op, stale: false, hasNext: false, data: { unreadNotificationCount: 4 } }),
  executeSubscription: () => never,
  executeMutation: () => never,
} as unknown as Client;

function renderShell(roles: Parameters<typeof viewer>[0]) {
  return render(
    <MemoryRouter initialEntries={['/releases']}>
      <AuthProvider store={new SessionStore(null)}>
        <Provider value={client}>
        <ViewerContext.Provider value={viewer(roles, 'Ada Admin')}>
          <AppShell>
            <p>page</p>
          </AppShell>
        </ViewerContext.Provider>
        </Provider>
      </AuthProvider>
    </MemoryRouter>,
  );
}

describe('the shell', () => {
  it('shows the user, their roles, sign-out and the navigation of their roles', () => {
    renderShell(['ADMIN', 'RELEASE_MANAGER']);
    expect(screen.getByTestId('current-user')).toHaveTextContent('Ada Admin');
    expect(screen.getByTestId('current-roles')).toHaveTextContent('AdminRelease manager');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'API tokens' })).toHaveAttribute('href', '/admin/api-tokens');
    expect(within(nav).getByRole('link', { name: 'Releases' })).toHaveAttribute('aria-current', 'page');
  });

  it('hides what a viewer cannot use', () => {
    renderShell(['VIEWER']);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Users' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'New release' })).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Audit trail' })).toBeNull();
  });

  it('offers a skip link to the content for keyboard users', () => {
    renderShell(['VIEWER']);
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main');
  });

  it('has a bell with the unread count that opens the notifications', async () => {
    renderShell(['VIEWER']);
    const bell = await screen.findByRole('link', { name: 'Notifications, 4 unread' });
    expect(bell).toHaveAttribute('href', '/notifications');
    expect(bell).toHaveTextContent('4');
  });
});
