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
import { CommandCentrePage } from './command-centre/CommandCentrePage';
import { PlanEditorPage } from './plans/PlanEditorPage';
import { PlansPage } from './plans/PlansPage';
import { ApprovalQueuePage } from './bookings/ApprovalQueuePage';
import { BlackoutsPage } from './bookings/BlackoutsPage';
import { BookingsPage } from './bookings/BookingsPage';
import { BookingMatrixPage } from './bookings/BookingMatrixPage';
import { IdleBookingsPage } from './bookings/IdleBookingsPage';
import { RequestBookingPage } from './bookings/RequestBookingPage';
import { UtilizationPage } from './bookings/UtilizationPage';
import { ComparePage } from './environments/ComparePage';
import { GatesPage } from './gates/GatesPage';
import { ReportsPage } from './reports/ReportsPage';
import { NotificationsPage } from './notifications/NotificationsPage';
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
      {/* The command centre fills the screen (a wall display): no navigation around it. */}
      <Route
        path="/plans/:id/command-centre"
        element={
          <RequireAuth>
            <CommandCentrePage />
          </RequireAuth>
        }
      />
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
                <Route path="environments/utilization" element={<UtilizationPage />} />
                <Route path="environments/compare" element={<ComparePage />} />
                <Route path="bookings" element={<BookingsPage />} />
                <Route
                  path="bookings/request"
                  element={
                    <Allowed permission="REQUEST_BOOKINGS">
                      <RequestBookingPage />
                    </Allowed>
                  }
                />
                <Route
                  path="bookings/approvals"
                  element={
                    <Allowed permission="DECIDE_BOOKINGS">
                      <ApprovalQueuePage />
                    </Allowed>
                  }
                />
                {/* Environment managers' views (in their navigation); the data is readable by all. */}
                <Route path="bookings/matrix" element={<BookingMatrixPage />} />
                <Route path="bookings/idle" element={<IdleBookingsPage />} />
                <Route path="blackouts" element={<BlackoutsPage />} />
                <Route
                  path="gates"
                  element={
                    <Allowed permission="RECORD_RESULTS">
                      <GatesPage />
                    </Allowed>
                  }
                />
                <Route path="reports" element={<ReportsPage />} />
                <Route path="notifications" element={<NotificationsPage />} />
                <Route path="environments/:id" element={<EnvironmentPage />} />
                <Route path="systems" element={<SystemListPage />} />
                <Route path="plans" element={<PlansPage />} />
                <Route path="plans/:id" element={<PlanEditorPage />} />
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
