// The go-live: an implementation manager builds, approves and executes a deployment plan while
// a second browser (a wall display) shows the command centre updating live, through a dropped
// connection, without a reload.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { gql, launch, newPage, noPageErrors, PASSWORD, SHOTS, shot, signIn, USERS } from './browser.mjs';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

async function token(role) {
  const out = await gql('mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }', { e: USERS[role], p: PASSWORD });
  return out.body.data.login.token;
}

/** A release already in GO_LIVE (its gates have nothing to block), made through the API. */
async function releaseInGoLive() {
  const t = await token('RELEASE_MANAGER');
  const key = `GL-${Date.now() % 100000}`;
  const today = new Date().toISOString().slice(0, 10);
  const created = await gql(
    'mutation($i: CreateReleaseInput!) { createRelease(input: $i) { release { id } } }',
    { i: { key, name: 'Payments go-live', kind: 'INDEPENDENT', plannedStart: today, plannedGoLive: today } },
    t,
  );
  const id = created.body.data.createRelease.release.id;
  // The walk-through runs on any day, inside the year-end freeze too: the release manager
  // overrides it, as on a real emergency go-live (the reason is ignored outside a blackout).
  const overrideBlackoutReason = 'E2E command-centre walk-through';
  for (const to of ['PLANNED', 'IN_PROGRESS', 'GO_LIVE']) {
    const i = to === 'GO_LIVE' ? { id, to, overrideBlackoutReason } : { id, to };
    const moved = await gql('mutation($i: TransitionReleaseInput!) { transitionRelease(input: $i) { release { status } } }', { i }, t);
    assert.equal(moved.body.data?.transitionRelease.release.status, to, JSON.stringify(moved.body));
  }
  return { id, key };
}

async function addActivity(page, { title, kind, duration, after: deps = [], set }) {
  await page.getByRole('button', { name: 'Add activity' }).first().click();
  const form = page.getByRole('form', { name: 'New activity' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Kind').selectOption(kind);
  if (set) await form.getByLabel('Activity set').selectOption({ label: set });
  await form.getByLabel('Duration (minutes)').fill(String(duration));
  for (const d of deps) await form.getByLabel(d, { exact: true }).check();
  await form.getByRole('button', { name: 'Add activity' }).click();
  await page.getByTestId('activities-table').getByRole('rowheader', { name: new RegExp(`^${title}`) }).waitFor();
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('go-live', () => {
  test('a plan is built, approved and executed while the command centre follows live', async () => {
    const release = await releaseInGoLive();
    const ops = await newPage(browser);
    const wall = await newPage(browser, { width: 1920, height: 1080 });
    try {
      // The implementation manager creates the runbook from the release page.
      await signIn(ops, 'IMPLEMENTATION_MANAGER', `/releases/${release.id}`);
      await ops.getByRole('button', { name: 'New deployment plan' }).click();
      const planForm = ops.getByRole('form', { name: 'New deployment plan' });
      const [start, end] = await ops.evaluate(() => {
        const pad = (n) => String(n).padStart(2, '0');
        const local = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
        const now = Date.now();
        return [local(new Date(now - 5 * 60_000)), local(new Date(now + 3 * 3600_000))];
      });
      await planForm.getByLabel('Plan name').fill('Payments cut-over');
      await planForm.getByLabel('Change window starts').fill(start);
      await planForm.getByLabel('Change window ends').fill(end);
      await planForm.getByRole('button', { name: 'Create plan' }).click();
      await ops.waitForURL(/\/plans\/[^/]+$/);
      const planUrl = new URL(ops.url()).pathname;

      await ops.getByRole('button', { name: 'Add set' }).click();
      await ops.getByRole('form', { name: 'New activity set' }).getByLabel('Set name').fill('Cut-over');
      await ops.getByRole('form', { name: 'New activity set' }).getByRole('button', { name: 'Add set' }).click();
      await ops.getByText('Set added.').waitFor();
      await addActivity(ops, { title: 'Deploy payments', kind: 'MANUAL', duration: 20, set: 'Cut-over' });
      await ops.getByRole('heading', { name: 'Cut-over', level: 3 }).waitFor();
      // The set is renamed from the keyboard (Enter saves), keeping its activity…
      await ops.getByRole('button', { name: 'Rename set Cut-over' }).press('Enter');
      const renameForm = ops.getByRole('form', { name: 'Rename set Cut-over' });
      await renameForm.getByLabel('Set name').fill('Payments cut-over');
      await renameForm.getByLabel('Set name').press('Enter');
      await ops.getByText('Set renamed to “Payments cut-over”.').waitFor();
      const renamed = ops.locator('.plan-set').filter({ has: ops.getByRole('heading', { name: 'Payments cut-over', level: 3 }) });
      await renamed.getByRole('rowheader', { name: /^Deploy payments/ }).waitFor();
      // …and a set added by mistake is deleted after a confirmation.
      await ops.getByRole('button', { name: 'Add set' }).click();
      await ops.getByRole('form', { name: 'New activity set' }).getByLabel('Set name').fill('Spare');
      await ops.getByRole('form', { name: 'New activity set' }).getByRole('button', { name: 'Add set' }).click();
      await ops.getByRole('heading', { name: 'Spare', level: 3 }).waitFor();
      let question = '';
      ops.once('dialog', (d) => {
        question = d.message();
        void d.accept();
      });
      await ops.getByRole('button', { name: 'Delete set Spare' }).click();
      await ops.getByText('Set “Spare” deleted').waitFor();
      assert.match(question, /Delete the set “Spare”\? It has no activities\./);
      await ops.getByRole('heading', { name: 'Spare', level: 3 }).waitFor({ state: 'detached' });
      await addActivity(ops, { title: 'Go-live decision', kind: 'GO_NO_GO', duration: 10, after: ['Deploy payments'] });
      await addActivity(ops, { title: 'Smoke test', kind: 'MANUAL', duration: 15, after: ['Go-live decision'] });
      // A dependency cycle is refused by the server, with its message.
      await ops.getByRole('button', { name: 'Edit Deploy payments' }).click();
      const edit = ops.getByRole('form', { name: 'Edit Deploy payments' });
      await edit.getByLabel('Smoke test', { exact: true }).check();
      await edit.getByRole('button', { name: 'Save activity' }).click();
      await edit.getByRole('alert').first().waitFor();
      await edit.getByRole('button', { name: 'Cancel' }).click();

      // The implementation manager names themself accountable for the plan in the editor (plan
      // builders name a plan's stakeholders): the accountable decides the go/no-go.
      await ops.getByRole('button', { name: 'Assign stakeholder' }).click();
      const assign = ops.getByRole('form', { name: 'Assign a stakeholder' });
      const person = assign.getByLabel('Person');
      const ian = person.locator('option', { hasText: 'Ian Implementer' }).first();
      await ian.waitFor({ state: 'attached' });
      await person.selectOption({ label: (await ian.textContent()).trim() });
      await assign.getByLabel('RACI role').selectOption('ACCOUNTABLE');
      await assign.getByRole('button', { name: 'Assign' }).click();
      await assign.waitFor({ state: 'detached' });
      await ops.getByTestId('raci-list').getByRole('listitem').filter({ hasText: 'Ian Implementer' }).getByText('Accountable').waitFor();
      await shot(ops, 'plan-editor');

      await ops.getByRole('button', { name: 'Approve plan' }).click();
      await ops.getByText('Plan approved').waitFor();
      await ops.getByRole('button', { name: 'Start execution' }).click();
      await ops.getByText('Execution started.').waitFor();

      // The wall display opens the command centre; its WebSocket goes through a route the
      // test can cut, like a network drop.
      const sockets = [];
      await wall.context().routeWebSocket(/\/graphql$/, (ws) => {
        ws.connectToServer();
        sockets.push(ws);
      });
      await signIn(wall, 'VIEWER', '/plans');
      await wall.goto(`${planUrl}/command-centre?view=wall`);
      const board = wall.getByTestId('command-centre');
      await board.waitFor();
      await wall.getByTestId('cc-live').getByText('Live').waitFor();
      await wall.getByTestId('cc-lane-next').getByRole('listitem', { name: 'Deploy payments' }).waitFor();
      assert.equal((await wall.getByTestId('cc-progress').textContent()).trim(), '0%');
      assert.equal(await wall.getByRole('button', { name: /^Start / }).count(), 0, 'the wall shows no controls');

      // A project manager who neither owns an activity nor decides sees the board, no controls.
      const pm = await newPage(browser);
      try {
        await signIn(pm, 'PROJECT_MANAGER', '/plans');
        await pm.goto(`${planUrl}/command-centre`);
        await pm.getByTestId('cc-lane-next').getByRole('listitem', { name: 'Deploy payments' }).waitFor();
        assert.equal(await pm.getByTestId('cc-activity').getByRole('button').count(), 0, 'no activity controls for others');
      } finally {
        await pm.context().close();
      }

      // The operator works the run in their own command centre.
      await ops.getByRole('link', { name: 'Open command centre' }).click();
      await ops.getByTestId('command-centre').waitFor();
      await ops.getByRole('button', { name: 'Start Deploy payments' }).click();
      await wall.getByTestId('cc-lane-now').getByRole('listitem', { name: 'Deploy payments' }).waitFor();
      await ops.getByRole('button', { name: 'Complete Deploy payments' }).click();
      await wall.getByTestId('cc-lane-done').getByRole('listitem', { name: 'Deploy payments' }).waitFor();
      await wall.getByTestId('cc-done').getByText('1 of 3 activities done').waitFor();
      assert.notEqual((await wall.getByTestId('cc-progress').textContent()).trim(), '0%');

      await ops.getByRole('button', { name: 'Raise issue' }).click();
      await ops.getByRole('form', { name: 'Raise an issue' }).getByLabel('Issue').fill('Card scheme latency above 300 ms');
      await ops.getByRole('form', { name: 'Raise an issue' }).getByLabel('Severity').selectOption('HIGH');
      await ops.getByRole('form', { name: 'Raise an issue' }).getByRole('button', { name: 'Raise issue' }).click();
      await wall.getByTestId('cc-issue').getByText('Card scheme latency above 300 ms').waitFor();
      assert.equal((await wall.getByTestId('cc-open-issues').textContent()).trim(), '1');
      await wall.getByTestId('cc-lane-next').getByRole('listitem', { name: 'Go-live decision' }).waitFor();
      await shot(wall, 'command-centre');
      // `make -C web docs-shot` refreshes the committed picture of the README.
      if (process.env.UPDATE_DOCS === '1') {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(join(SHOTS, 'command-centre.png'), join(DOCS, 'command-centre.png'));
      }

      // The network drops: the wall says so, comes back by itself and catches up.
      assert.ok(sockets.length > 0, 'the wall display uses a WebSocket');
      await sockets.at(-1).close({ code: 1012, reason: 'network drop' });
      await wall.getByTestId('cc-live').getByText('Reconnecting…').waitFor();
      await wall.getByTestId('cc-live').getByText('Live').waitFor({ timeout: 20_000 });
      assert.ok(sockets.length > 1, 'a new connection was opened');

      // A no-go needs a reason; the go moves the run on.
      await ops.getByRole('button', { name: 'No-go Go-live decision' }).click();
      await ops.getByRole('form', { name: 'No-go Go-live decision' }).getByRole('button', { name: 'No-go' }).waitFor();
      await ops.getByRole('form', { name: 'No-go Go-live decision' }).getByRole('button', { name: 'Cancel' }).click();
      await ops.getByRole('button', { name: 'Go Go-live decision', exact: true }).click();
      await wall.getByTestId('cc-lane-done').getByRole('listitem', { name: 'Go-live decision' }).waitFor();
      await ops.getByRole('button', { name: 'Resolve Card scheme latency above 300 ms' }).click();
      await ops.getByRole('button', { name: 'Start Smoke test' }).click();
      await ops.getByRole('button', { name: 'Complete Smoke test' }).click();
      await wall.getByTestId('cc-done').getByText('3 of 3 activities done').waitFor();
      await wall.getByTestId('cc-progress').getByText('100%').waitFor();
      await wall.locator('[data-outlook="FINISHED"]').waitFor();
      assert.equal((await wall.getByTestId('cc-open-issues').textContent()).trim(), '0');
      await shot(wall, 'command-centre-finished');
      await wall.setViewportSize({ width: 3840, height: 2160 });
      await shot(wall, 'command-centre-4k');
      // No reload happened on the wall: the page is the one first opened.
      assert.equal(await wall.evaluate(() => performance.getEntriesByType('navigation').length), 1);
      noPageErrors(wall);
      noPageErrors(ops);

      // The plan page shows the run completed.
      await ops.goto(planUrl);
      await ops.getByTestId('runs-table').getByText('Completed').waitFor();
    } finally {
      await ops.context().close();
      await wall.context().close();
    }
  });
});
