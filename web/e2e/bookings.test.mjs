// Environment bookings: a project manager requests an environment (seeing conflicts and the
// next free slot first), an environment manager approves it; a conflicting request cannot be
// approved and the conflict names the bookings in the way. Blackouts, utilization and drift.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asRole, launch, newPage, noPageErrors, shot, signIn } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function selectByText(select, text) {
  const option = select.locator('option', { hasText: text }).first();
  await option.waitFor({ state: 'attached' });
  await select.selectOption({ label: (await option.textContent()).trim() });
}

describe('environment bookings', () => {
  test('a project manager requests an environment and an environment manager approves it', async () => {
    const pm = await newPage(browser);
    const em = await newPage(browser);
    try {
      await signIn(pm, 'PROJECT_MANAGER', '/bookings/request');
      const form = pm.getByRole('form', { name: 'Request an environment' });
      await selectByText(form.getByLabel('Environment'), 'STAGING');
      await selectByText(form.getByLabel('Release'), 'PR-3656');
      const purpose = `E2E staging rehearsal ${Date.now() % 100000}`;
      await form.getByLabel('Purpose').fill(purpose);
      // Before submitting: what overlaps, and the next free slot.
      const preflight = pm.getByTestId('preflight');
      await preflight.getByTestId('next-free-slot').waitFor();
      const useSlot = preflight.getByRole('button', { name: 'Use this slot' });
      if (await useSlot.count()) await useSlot.click();
      await preflight.getByTestId('preflight-clear').waitFor();
      await shot(pm, 'booking-request');
      await form.getByRole('button', { name: 'Send request' }).click();
      await pm.getByTestId('created-bookings').getByText('Requested').waitFor();
      noPageErrors(pm);
      // The bell's unread count, as the server first answers it.
      const bell = pm.getByTestId('notification-bell');
      await pm.waitForFunction(() => document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread') !== '');
      const unreadBefore = Number(await bell.getAttribute('data-unread'));

      await signIn(em, 'ENVIRONMENT_MANAGER', '/bookings/approvals');
      const queue = em.getByTestId('approval-queue');
      const mine = queue.getByRole('listitem', { name: 'STAGING for PR-3656' }).filter({ hasText: purpose });
      await mine.waitFor();
      // The demo's conflicting request cannot be approved: the conflict names what is in the way.
      const conflicting = queue.getByRole('listitem', { name: 'UAT1 for PR-3603' });
      await conflicting.getByRole('button', { name: 'Approve UAT1 for PR-3603' }).click();
      await conflicting.getByRole('button', { name: 'Confirm approval' }).click();
      await conflicting.locator('[data-code="CONFLICT"]').waitFor();
      await conflicting.getByTestId('conflicting-bookings').getByText('PR-3602').first().waitFor();
      await shot(em, 'booking-approvals-conflict');

      await mine.getByRole('button', { name: 'Approve STAGING for PR-3656' }).click();
      await mine.getByLabel('Comment (optional)').fill('Enjoy staging');
      await mine.getByRole('button', { name: 'Confirm approval' }).click();
      await em.getByText('Approved STAGING for PR-3656.').waitFor();
      await queue.getByText(purpose).waitFor({ state: 'detached' });

      // The environment manager's matrix shows the release holding the environment.
      await em.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Booking matrix' }).click();
      await em.getByRole('button', { name: 'Next 90 days' }).click();
      const pair = em.getByTestId('booking-matrix').locator('td[data-env="STAGING"][data-release="PR-3656"]');
      await pair.getByText(/approved/).waitFor();
      await shot(em, 'booking-matrix');
      // Idle bookings: approved, in use, and no deployment of their release there.
      await em.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Idle bookings' }).click();
      await em.locator('[data-testid="idle-bookings"], .state--empty').first().waitFor();
      assert.equal(await em.getByRole('alert').count(), 0);
      await shot(em, 'idle-bookings');

      // The requester's bell counts the approval live (the notifications subscription), without
      // a reload; the notifications page shows it with a link to the timeline; read it.
      await pm.waitForFunction(
        (before) => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread')) > before,
        unreadBefore,
      );
      assert.match(await bell.getAttribute('aria-label'), /^Notifications, \d+ unread$/);
      await bell.click();
      await pm.waitForURL(/\/notifications$/);
      const approved = pm.getByTestId('notifications').getByRole('listitem', { name: 'Booking of STAGING for PR-3656 approved' }).first();
      await approved.waitFor();
      assert.equal(await approved.getAttribute('data-read'), 'false');
      assert.match(await approved.textContent(), /Enjoy staging/);
      await approved.getByRole('link', { name: 'Open the booking timeline' }).waitFor();
      await shot(pm, 'notifications');
      await approved.getByRole('button', { name: 'Mark “Booking of STAGING for PR-3656 approved” read' }).click();
      await pm.waitForFunction(
        (before) => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-unread')) === before,
        unreadBefore,
      );
      await pm.getByRole('button', { name: 'Mark all read' }).click();
      await pm.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
      // Everything above happened in the page first opened.
      assert.equal(await pm.evaluate(() => performance.getEntriesByType('navigation').length), 1);

      // The project manager's timeline shows it approved, live.
      await pm.goto('/bookings?span=3m');
      await pm.getByTestId('booking-timeline').locator('[data-testid="bk-booking"][data-status="APPROVED"]', { hasText: 'PR-3656' }).first().waitFor();
      await pm.getByTestId('bk-lane').first().waitFor();
      await shot(pm, 'booking-timeline');
      // Keyboard: focus the booking, Enter shows its details; the requester cancels it.
      const bar = pm.getByTestId('bk-lane').filter({ hasText: 'STAGING' }).locator('[data-testid="bk-booking"][data-status="APPROVED"]').last();
      await bar.focus();
      await pm.keyboard.press('Enter');
      const details = pm.getByTestId('booking-details');
      await details.getByText(purpose).waitFor();
      await details.getByRole('button', { name: 'Cancel booking…' }).click();
      await details.getByLabel('Reason (optional)').fill('Staging no longer needed');
      await details.getByRole('button', { name: 'Cancel booking', exact: true }).click();
      await details.waitFor({ state: 'detached' });
      noPageErrors(em);
    } finally {
      await pm.context().close();
      await em.context().close();
    }
  });

  test('an environment manager creates a blackout and reads utilization and drift', async () => {
    await asRole(browser, 'ENVIRONMENT_MANAGER', '/blackouts', async (page) => {
      await page.getByTestId('blackouts-table').waitFor();
      await page.getByRole('button', { name: 'New blackout' }).click();
      const form = page.getByRole('form', { name: 'New blackout' });
      const name = `E2E freeze ${Date.now() % 100000}`;
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Starts').fill('2027-03-01T18:00');
      await form.getByLabel('Ends').fill('2027-03-02T06:00');
      await form.getByLabel('Time zone').fill('Europe/London');
      await form.getByLabel('PROD', { exact: true }).check();
      await form.getByRole('button', { name: 'Create blackout' }).click();
      await page.getByText(`Blackout ${name} created.`).waitFor();
      const row = page.getByTestId('blackouts-table').locator('tr', { hasText: name });
      await row.getByText('PROD').waitFor();
      await shot(page, 'blackouts');

      await page.goto('/environments/utilization?range=past30');
      await page.getByTestId('utilization-chart').locator('[data-testid="chart-row"]').first().waitFor();
      await shot(page, 'utilization');

      await page.goto('/environments/compare');
      await selectByText(page.getByLabel('Left'), 'UAT1');
      await selectByText(page.getByLabel('Right'), 'UAT2');
      await page.getByTestId('drift-summary').waitFor();
      assert.match(await page.getByTestId('drift-summary').textContent(), /differ between UAT1 and UAT2/);
      // The server sends only what differs by default…
      const rows = page.locator('[data-testid="drift-versions"] tbody tr, [data-testid="drift-config"] tbody tr');
      await rows.first().waitFor();
      assert.equal(await page.locator('tbody tr[data-state="SAME"]').count(), 0);
      // …and the matching rows too when asked (the choice is kept in the URL).
      // (click, not check(): the box follows the URL, which React Router updates a moment later)
      await page.getByLabel('Show matching too').click();
      await page.waitForURL(/all=1/);
      // The matching rows come once the page has re-rendered from the URL; then the box shows it.
      await page.locator('tbody tr[data-state="SAME"]').first().waitFor();
      assert.equal(await page.getByLabel('Show matching too').isChecked(), true);
      await shot(page, 'environment-drift');
    });
  });
});
