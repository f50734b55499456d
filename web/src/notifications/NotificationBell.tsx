import { NavLink } from 'react-router';
import { useNotifications } from './NotificationsProvider';
import { bellBadge, bellLabel } from './rules';

/** The bell in the top bar: the unread count, live; opens the notifications page. */
export function NotificationBell() {
  const { unread } = useNotifications();
  const badge = bellBadge(unread);
  return (
    <NavLink to="/notifications" className="bell" aria-label={bellLabel(unread)} data-testid="notification-bell" data-unread={unread ?? ''}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
          fill="currentColor"
        />
      </svg>
      {badge ? (
        <span className="bell__badge" aria-hidden="true">
          {badge}
        </span>
      ) : null}
    </NavLink>
  );
}
