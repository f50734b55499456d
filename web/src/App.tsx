import { Navigate, Route, Routes, Link } from 'react-router';
import { AdminRoutes } from './admin/routes';
import { RequireAuth } from './auth/RequireAuth';
import { SignInPage } from './auth/SignInPage';
import { Allowed } from './auth/Allowed';
import { useViewer } from './auth/viewer';
import { AuditPage } from './audit/AuditPage';
import { CalendarPage } from './calendar/CalendarPage';
import { EnvironmentListPage } from './environments/EnvironmentListPage';
import { EnvironmentPage } from './environments/EnvironmentPage';
import { WhatRunsWherePage } from './environments/WhatRunsWherePage';
import { NewReleasePage } from './releases/NewReleasePage';
import { FromTemplatePage } from './releases/FromTemplatePage';
import { ReleaseListPage } from './releases/ReleaseListPage';
import { ReleasePage } from './releases/ReleasePage';
import { AppShell } from './shell/AppShell';
import { homeFor } from './shell/navigation';
import { SystemListPage } from './systems/SystemListPage';
import { PageHeader } from './ui/PageHeader';

function Home() {
  return <Navigate to={homeFor(useViewer().permissions)} replace />;
}

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<SignInPage />} />
      <Route
        path="*"
        element={
          <RequireAuth>
            <AppShell>
              <Routes>
                <Route index element={<Home />} />
                <Route path="releases" element={<ReleaseListPage />} />
                <Route
                  path="releases/new"
                  element={
                    <Allowed permission="MANAGE_RELEASES">
                      <NewReleasePage />
                    </Allowed>
                  }
                />
                <Route
                  path="releases/from-template"
                  element={
                    <Allowed permission="MANAGE_RELEASES">
                      <FromTemplatePage />
                    </Allowed>
                  }
                />
                <Route path="releases/:id" element={<ReleasePage />} />
                <Route path="calendar" element={<CalendarPage />} />
                <Route path="environments" element={<EnvironmentListPage />} />
                <Route path="environments/what-runs-where" element={<WhatRunsWherePage />} />
                <Route path="environments/:id" element={<EnvironmentPage />} />
                <Route path="systems" element={<SystemListPage />} />
                <Route
                  path="audit"
                  element={
                    <Allowed permission="READ_AUDIT">
                      <AuditPage />
                    </Allowed>
                  }
                />
                <Route path="admin/*" element={<AdminRoutes />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </AppShell>
          </RequireAuth>
        }
      />
    </Routes>
  );
}
