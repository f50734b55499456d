// Release governance: a release from a template, blocked at its SIT gate until a test manager
// records the results; portfolio reports; admin webhooks.
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

/** Clicks "Advance phase" until the server refuses with GATE_BLOCKED (at most `max` times). */
async function advanceUntilBlocked(page, max = 6) {
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Advance phase' }) });
  for (let i = 0; i < max; i++) {
    const button = section.getByRole('button').first();
    const label = await button.textContent();
    await button.click();
    const outcome = await Promise.race([
      section.locator('[data-code="GATE_BLOCKED"]').waitFor().then(() => 'blocked'),
      section.getByText(`${label}: done.`).waitFor().then(() => 'done'),
    ]);
    if (outcome === 'blocked') return label;
    await section.getByRole('button').first().filter({ hasNotText: label }).waitFor();
  }
  throw new Error('never blocked by a gate');
}

describe('release governance', () => {
  test('a release from a template is held at its gate until the test manager records results', async () => {
    const rm = await newPage(browser);
    const tm = await newPage(browser);
    try {
      await signIn(rm, 'RELEASE_MANAGER', '/releases/from-template');
      const form = rm.getByRole('form', { name: 'New release from a template' });
      const key = `PR-T${Date.now() % 100000}`;
      await form.getByLabel('Key').fill(key);
      await form.getByLabel('Name').fill('Template-made release');
      await form.getByLabel('Kind').selectOption('INDEPENDENT');
      await form.getByLabel('Start day').fill(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10));
      await rm.getByTestId('template-phases').waitFor();
      await shot(rm, 'release-from-template');
      await form.getByRole('button', { name: 'Create release' }).click();
      await rm.waitForURL(/\/releases\/rel_/);
      await rm.getByRole('heading', { name: new RegExp(key) }).waitFor();
      // The template brought phases, gates and their criteria.
      await rm.getByRole('article', { name: 'Gate SIT exit' }).waitFor();
      await rm.getByRole('button', { name: 'Move to Planned' }).click();
      await rm.getByText(`${key} is now planned.`).waitFor();
      await rm.getByRole('button', { name: 'Move to In progress' }).click();
      await rm.getByText(`${key} is now in progress.`).waitFor();

      const blockedAt = await advanceUntilBlocked(rm);
      assert.match(blockedAt, /Finish SIT/);
      const advance = rm.locator('section', { has: rm.getByRole('heading', { name: 'Advance phase' }) });
      await advance.getByRole('list', { name: 'Unmet criteria' }).getByText(/Test pass rate/).waitFor();
      // "Why is it blocked": the blockers name the criteria and who clears them.
      await rm.getByTestId('blockers').getByText(/Test pass rate/).first().waitFor();
      await shot(rm, 'release-gate-blocked');

      // The test manager's queue has the gate; a failing value first, then passing ones.
      await signIn(tm, 'TEST_MANAGER', '/gates');
      const gate = tm.getByTestId('gates-queue').getByRole('article', { name: 'Gate SIT exit' }).filter({ hasText: key });
      await gate.waitFor();
      const record = async (criterion, value) => {
        await gate.getByRole('button', { name: `Record a result for ${criterion}` }).click();
        const f = gate.getByRole('form', { name: `Record a result for ${criterion}` });
        await f.getByLabel(/^Value/).fill(String(value));
        await f.getByLabel('Source').fill('Xray');
        await f.getByRole('button', { name: 'Save result' }).click();
        await f.waitFor({ state: 'detached' });
      };
      await record('Test pass rate', 91.5);
      await gate.getByText('Not met').first().waitFor();
      await shot(tm, 'gates-awaiting-results');
      await record('Test pass rate', 97.2);
      await record('Open critical defects', 0);
      // Every criterion met: the gate passes by itself and leaves the queue.
      await gate.waitFor({ state: 'detached' });
      noPageErrors(tm);

      await rm.reload();
      await rm.getByRole('article', { name: 'Gate SIT exit' }).getByText('Passed').first().waitFor();
      const again = rm.locator('section', { has: rm.getByRole('heading', { name: 'Advance phase' }) });
      const label = await again.getByRole('button').first().textContent();
      assert.match(label, /Finish SIT/);
      await again.getByRole('button').first().click();
      await again.getByText(`${label}: done.`).waitFor();
      await rm.getByRole('heading', { name: 'Planned vs actual' }).or(rm.getByRole('heading', { name: /planned vs actual/i })).first().waitFor();
      await shot(rm, 'release-page-governance');
      noPageErrors(rm);
    } finally {
      await rm.context().close();
      await tm.context().close();
    }
  });

  test('a portfolio manager reads the release reports', async () => {
    await asRole(browser, 'PORTFOLIO_MANAGER', '/reports', async (page) => {
      await page.getByTestId('work-chart').locator('[data-testid="chart-row"]').first().waitFor();
      await page.getByTestId('gates-chart').locator('[data-testid="chart-row"]').first().waitFor();
      const completed = Number(await page.getByTestId('total-completed').textContent());
      assert.ok(completed > 0, 'the demo releases have completed work');
      await shot(page, 'reports');
    });
  });

  test('an admin creates a webhook, sees its secret once and its delivery log', async () => {
    await asRole(browser, 'ADMIN', '/admin/webhooks', async (page) => {
      await page.getByRole('button', { name: 'New webhook' }).click();
      const form = page.getByRole('form', { name: 'New webhook' });
      const name = `E2E chat ${Date.now() % 100000}`;
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('URL').fill('http://127.0.0.1:9/hook');
      await form.getByRole('button', { name: 'Create webhook' }).click();
      const secret = (await page.getByTestId('webhook-secret-value').textContent()).trim();
      assert.ok(secret.length > 10);
      const row = page.getByTestId('webhooks-table').locator('tr', { hasText: name });
      await row.getByText('Active').waitFor();
      await row.getByRole('button', { name: /deliveries/ }).click();
      await page.getByRole('table', { name: `Deliveries of ${name}` }).or(page.getByText('Nothing delivered yet.')).first().waitFor();
      await row.getByRole('button', { name: `Pause ${name}` }).click();
      await row.getByText('Paused').waitFor();
      await shot(page, 'webhooks');
      await page.reload();
      assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
    });
  });
});
