import { useState, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { ROLE_LABELS } from '../auth/permissions';
import { useViewer } from '../auth/viewer';
import { NotificationBell } from '../notifications/NotificationBell';
import { NotificationsProvider } from '../notifications/NotificationsProvider';
import { groupBySection, navigationFor } from './navigation';

/** The signed-in frame: header with who is signed in, role-aware navigation, the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const { signOut } = useAuth();
  const [menuOpen, setMenuOpen] = useState(false);
  const sections = groupBySection(navigationFor(viewer.permissions));

  return (
    <NotificationsProvider>
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="btn btn--ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <NavLink to="/" className="brand" aria-label="Heatshield home">
          <svg viewBox="0 0 16 16" width="22" height="22" aria-hidden="true">
            <path d="M8 1 14 4v4c0 3.5-2.6 6.2-6 7-3.4-.8-6-3.5-6-7V4z" fill="currentColor" />
          </svg>
          Heatshield
        </NavLink>
        <NotificationBell />
        <div className="topbar__user" data-testid="current-user">
          <span className="topbar__name">{viewer.name}</span>
          <span className="topbar__roles" data-testid="current-roles">
            {viewer.roles.map((r) => (
              <span key={r} className="chip">
                {ROLE_LABELS[r]}
              </span>
            ))}
          </span>
          <button type="button" className="btn btn--ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div className="shell__body">
        <nav id="primary-nav" className={menuOpen ? 'sidenav sidenav--open' : 'sidenav'} aria-label="Main">
          {sections.map(([section, items]) => (
            <div key={section} className="sidenav__section">
              <h2 className="sidenav__title">{section}</h2>
              <ul>
                {items.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.end ?? false} onClick={() => setMenuOpen(false)}>
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
    </NotificationsProvider>
  );
}
