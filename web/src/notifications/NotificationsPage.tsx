import { useEffect, useMemo, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import type { NotificationFieldsFragment } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { formatDateTime, humanize } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { Pager, useCursorPager } from '../ui/Pager';
import { Empty, ErrorBanner, ErrorState, Loading } from '../ui/states';
import { useTitle } from '../ui/useTitle';
import { ActivityPlansQuery, MarkNotificationsReadMutation, MyNotificationsQuery } from './documents';
import { useNotifications } from './NotificationsProvider';
import { activityPlansOf, activitySubjectIds, notificationLink, type ActivityPlans } from './rules';

const PAGE_SIZE = 25;

function NotificationItem({ n, onRead, activityPlans }: { n: NotificationFieldsFragment; onRead: () => void; activityPlans: ActivityPlans }) {
  const [{ fetching, error }, mark] = useMutation(MarkNotificationsReadMutation);
  const link = notificationLink(n, activityPlans);
  const unread = !n.readAt;
  return (
    <li className={unread ? 'notification notification--unread' : 'notification'} aria-label={n.title} data-testid="notification" data-kind={n.kind} data-read={unread ? 'false' : 'true'}>
      <div className="notification__head">
        <strong>{n.title}</strong>
        <span className="badges">
          <Badge value={unread ? 'IN_PROGRESS' : 'DRAFT'} label={humanize(n.kind)} />
          {n.release ? <span className="muted small">{n.release.key}</span> : null}
        </span>
      </div>
      <p className="notification__body">{n.body}</p>
      <div className="notification__foot">
        <span className="muted small">
          {formatDateTime(n.createdAt)}
          {n.readAt ? ` · read ${formatDateTime(n.readAt)}` : ''}
        </span>
        <span className="button-row">
          {link ? (
            <Link className="btn btn--small" to={link.to} onClick={() => (unread ? void mark({ input: { ids: [n.id] } }) : undefined)}>
              {link.label}
            </Link>
          ) : null}
          {unread ? (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={fetching}
              aria-label={`Mark “${n.title}” read`}
              onClick={() => void mark({ input: { ids: [n.id] } }).then((r) => !r.error && onRead())}
            >
              Mark read
            </button>
          ) : null}
        </span>
      </div>
      <ErrorBanner error={error} />
    </li>
  );
}

/** The signed-in user's notifications, newest first; live; mark one or all read. */
export function NotificationsPage() {
  useTitle('Notifications');
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === '1';
  const pager = useCursorPager();
  const live = useNotifications();
  const [{ data, error, fetching }, refetch] = useQuery({
    query: MyNotificationsQuery,
    variables: { unreadOnly, first: PAGE_SIZE, after: pager.after },
  });
  const [markAll, markAllRead] = useMutation(MarkNotificationsReadMutation);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const reloadRef = useRef(reload);
  useEffect(() => {
    reloadRef.current = reload;
  });
  // A live event (new notification, or missed ones): show the list as the server has it now.
  const seenVersion = useRef(live.version);
  useEffect(() => {
    if (live.version === seenVersion.current) return;
    seenVersion.current = live.version;
    reloadRef.current();
  }, [live.version]);

  const list = data?.myNotifications;
  // Notifications about activities lead to their plan's command centre: the plans of the
  // activities on this page are read in one request (until then they lead to the release).
  const activityIds = useMemo(() => activitySubjectIds(list?.nodes ?? []), [list]);
  const [plans] = useQuery({ query: ActivityPlansQuery, variables: { ids: activityIds }, pause: activityIds.length === 0 });
  const activityPlans = useMemo(() => activityPlansOf(plans.data?.nodes), [plans.data]);
  const afterRead = () => {
    live.refresh();
    reload();
  };
  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle="What needs you: gates and activities due, decisions on your bookings, missed milestones. New ones arrive live."
        actions={
          <button
            type="button"
            className="btn"
            disabled={markAll.fetching || live.unread === 0}
            onClick={() => void markAllRead({ input: {} }).then((r) => !r.error && afterRead())}
          >
            Mark all read
          </button>
        }
      />
      <ErrorBanner error={markAll.error} />
      <div className="filters">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => {
              const n = new URLSearchParams(params);
              if (e.target.checked) n.set('unread', '1');
              else n.delete('unread');
              pager.reset();
              setParams(n, { replace: true });
            }}
          />{' '}
          Unread only
        </label>
      </div>
      {!list && fetching ? (
        <Loading label="Loading your notifications" />
      ) : !list ? (
        <ErrorState error={error} onRetry={reload} />
      ) : list.nodes.length === 0 ? (
        <Empty title={unreadOnly ? 'Nothing unread' : 'No notifications yet'}>You will be told here when something needs you.</Empty>
      ) : (
        <>
          <ErrorBanner error={error} />
          <ul className="notifications" data-testid="notifications">
            {list.nodes.map((n) => (
              <NotificationItem key={n.id} n={n} onRead={afterRead} activityPlans={activityPlans} />
            ))}
          </ul>
          <Pager
            page={pager.page}
            pageSize={PAGE_SIZE}
            total={list.totalCount}
            hasPrevious={pager.hasPrevious}
            hasNext={list.pageInfo.hasNextPage}
            onPrevious={pager.previous}
            onNext={() => pager.next(list.pageInfo.endCursor)}
          />
        </>
      )}
    </>
  );
}
