import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeSubject } from 'wonka';
import type { Operation, OperationResult } from 'urql';
import { describe, expect, it } from 'vitest';
import { opName, renderSignedIn } from '../test/utils';
import { NotificationBell } from './NotificationBell';
import { NotificationsPage } from './NotificationsPage';
import { NotificationsProvider } from './NotificationsProvider';

function notification(id: string, title: string, readAt: string | null = null) {
  return {
    __typename: 'Notification',
    id,
    kind: 'BOOKING_APPROVED',
    title,
    body: `${title}, with a comment`,
    createdAt: '2026-11-23T10:00:00Z',
    readAt,
    subjectType: 'Booking',
    subjectId: `bkg_${id}`,
    release: { id: 'rel_1', key: 'PR-3656' },
  };
}

/** A fake server: its unread count and list come from `store`, live events from `push`. */
function setup(list = [notification('n1', 'STAGING approved')], plans: Record<string, string> = {}) {
  const store = { list, plans, askedPlansOf: [] as unknown[] };
  const unread = () => store.list.filter((n) => !n.readAt).length;
  const live = makeSubject<OperationResult>();
  let subscription: Operation | null = null;
  const utils = renderSignedIn(
    <NotificationsProvider>
      <NotificationBell />
      <NotificationsPage />
    </NotificationsProvider>,
    {
      roles: ['PROJECT_MANAGER'],
      path: '/notifications',
      answer: (op) => {
        switch (opName(op)) {
          case 'UnreadNotificationCount':
            return { data: { unreadNotificationCount: unread() } };
          case 'MyNotifications':
            return {
              data: {
                myNotifications: {
                  totalCount: store.list.length,
                  pageInfo: { hasNextPage: false, endCursor: null },
                  nodes: op.variables?.unreadOnly ? store.list.filter((n) => !n.readAt) : store.list,
                },
              },
            };
          case 'NotificationActivityPlans': {
            const ids = (op.variables as { ids: string[] }).ids;
            store.askedPlansOf.push(ids);
            return {
              data: { nodes: ids.map((id) => (store.plans[id] ? { __typename: 'Activity', id, plan: { __typename: 'DeploymentPlan', id: store.plans[id] } } : null)) },
            };
          }
          case 'MarkNotificationsRead': {
            const ids = (op.variables?.input as { ids?: string[] }).ids;
            for (const n of store.list) if (!ids || ids.includes(n.id)) n.readAt = '2026-11-23T11:00:00Z';
            return { data: { markNotificationsRead: { marked: 1 } } };
          }
          default:
            return null;
        }
      },
      subscribe: (op) => {
        subscription = op;
        return live.source;
      },
    },
  );
  const push = (event: { notification: unknown; resyncRequired: boolean }) =>
    act(() => {
      if (subscription) live.next({ operation: subscription, data: { notifications: event }, stale: false, hasNext: true } as OperationResult);
    });
  return { ...utils, store, push };
}

describe('notifications', () => {
  it('count up on the bell and appear in the list as they arrive, without a reload', async () => {
    const { store, push, operations } = setup();
    expect(await screen.findByRole('link', { name: 'Notifications, 1 unread' })).toBeInTheDocument();
    expect(await screen.findByRole('listitem', { name: 'STAGING approved' })).toBeInTheDocument();

    // The server creates one and tells the subscription: the count and the list are read again.
    const arrived = notification('n2', 'UAT1 approved');
    store.list.unshift(arrived);
    const before = operations.filter((o) => opName(o) === 'UnreadNotificationCount').length;
    push({ notification: arrived, resyncRequired: false });
    expect(await screen.findByRole('link', { name: 'Notifications, 2 unread' })).toBeInTheDocument();
    expect(await screen.findByRole('listitem', { name: 'UAT1 approved' })).toBeInTheDocument();
    // The count is the server's, read again (not counted up locally).
    expect(operations.filter((o) => opName(o) === 'UnreadNotificationCount').length).toBeGreaterThan(before);
  });

  it('read everything again when the server says some were missed', async () => {
    const { store, push } = setup();
    await screen.findByRole('link', { name: 'Notifications, 1 unread' });
    store.list.unshift(notification('n3', 'Missed while away'), notification('n4', 'Also missed'));
    push({ notification: null, resyncRequired: true });
    expect(await screen.findByRole('link', { name: 'Notifications, 3 unread' })).toBeInTheDocument();
    expect(await screen.findByRole('listitem', { name: 'Missed while away' })).toBeInTheDocument();
  });

  it("lead from an activity to its plan's command centre, read once for the page", async () => {
    const { store } = setup(
      [
        { ...notification('n6', 'Deploy payments is due'), kind: 'ACTIVITY_DUE', subjectType: 'Activity', subjectId: 'act_7' },
        { ...notification('n7', 'Smoke test is due'), kind: 'ACTIVITY_DUE', subjectType: 'Activity', subjectId: 'act_gone' },
        notification('n8', 'STAGING approved'),
      ],
      { act_7: 'pln_7' },
    );
    const item = await screen.findByRole('listitem', { name: 'Deploy payments is due' });
    const link = await within(item).findByRole('link', { name: 'Open the command centre' });
    expect(link).toHaveAttribute('href', '/plans/pln_7/command-centre');
    // An activity the server no longer knows keeps the link to its release's plans.
    const gone = screen.getByRole('listitem', { name: 'Smoke test is due' });
    expect(within(gone).getByRole('link', { name: 'Open the plans of PR-3656' })).toHaveAttribute('href', '/releases/rel_1#plans-title');
    expect(store.askedPlansOf).toEqual([['act_7', 'act_gone']]);
    await userEvent.click(link);
    expect(screen.getByTestId('location')).toHaveTextContent('/plans/pln_7/command-centre');
  });

  it('do not look up plans when no notification is about an activity', async () => {
    const { store } = setup();
    await screen.findByRole('listitem', { name: 'STAGING approved' });
    expect(store.askedPlansOf).toEqual([]);
  });

  it('mark one or all read, and link to the subject', async () => {
    const { store } = setup();
    store.list.unshift(notification('n5', 'Gate due'));
    const item = await screen.findByRole('listitem', { name: 'STAGING approved' });
    expect(within(item).getByRole('link', { name: 'Open the booking timeline' })).toHaveAttribute('href', '/bookings');
    await userEvent.click(within(item).getByRole('button', { name: 'Mark “STAGING approved” read' }));
    expect(await screen.findByRole('link', { name: 'Notifications, 1 unread' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(await screen.findByRole('link', { name: 'Notifications, none unread' })).toBeInTheDocument();
    expect(store.list.every((n) => n.readAt)).toBe(true);
    expect(screen.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
  });
});
