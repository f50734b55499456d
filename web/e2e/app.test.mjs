// End-to-end tests of the web app against a real server with the demo data.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asRole, fillSignIn, gql, launch, navLabels, newPage, noPageErrors, shot, signIn, USERS } from './browser.mjs';

/** The navigation each role must see (from the permission matrix of the root README). */
const COMMON = [
  'Releases',
  'Release calendar',
  'Environments',
  'What runs where',
  'Bookings',
  'Blackouts',
  'Utilization',
  'Compare environments',
  'Deployment plans',
  'Systems',
  'Reports',
];
/** COMMON with `extra` inserted after the item named in each pair. */
function nav(...extra) {
  const out = [...COMMON];
  for (const [after, label] of extra) out.splice(out.indexOf(after) + 1, 0, label);
  return out;
}
const NEW = [['Releases', 'New release'], ['New release', 'New from template']];
const REQUEST = ['Bookings', 'Request environment'];
const DECIDE = ['Request environment', 'Booking approvals'];
const MATRIX = ['Booking approvals', 'Booking matrix'];
const IDLE = ['Booking matrix', 'Idle bookings'];
const GATES = ['Release calendar', 'Gate results'];
const AUDIT = ['Reports', 'Audit trail'];
const EXPECTED_NAV = {
  ADMIN: [...nav(...NEW, GATES, REQUEST, DECIDE, MATRIX, IDLE, AUDIT), 'Users', 'API tokens', 'Webhooks'],
  RELEASE_MANAGER: nav(...NEW, GATES, REQUEST, AUDIT),
  ENVIRONMENT_MANAGER: nav(REQUEST, DECIDE, MATRIX, IDLE),
  TEST_MANAGER: nav(GATES, REQUEST),
  IMPLEMENTATION_MANAGER: nav(REQUEST),
  PORTFOLIO_MANAGER: nav(REQUEST, AUDIT),
  SERVICE_MANAGER: nav(REQUEST, AUDIT),
  PROJECT_MANAGER: nav(...NEW, REQUEST),
  VIEWER: COMMON,
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe('navigation by role', () => {
  for (const role of Object.keys(EXPECTED_NAV)) {
    test(`${role} sees their navigation, name and roles`, async () => {
      const page = await newPage(browser);
      try {
        await signIn(page, role);
        assert.deepEqual(await navLabels(page), EXPECTED_NAV[role]);
        const roles = await page.getByTestId('current-roles').textContent();
        assert.ok(roles && roles.length > 0, 'roles are shown');
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        if (role === 'VIEWER') {
          // A page the role may not use explains itself instead of failing.
          await page.goto('/admin/users');
          await page.getByRole('heading', { name: 'Not available for your roles' }).waitFor();
          await shot(page, 'signin-viewer-forbidden');
        }
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(/\/login$/);
        noPageErrors(page);
      } finally {
        await page.context().close();
      }
    });
  }
});

describe('sign-in', () => {
  test('a wrong password shows the server message and stays on sign-in', async () => {
    const page = await newPage(browser);
    try {
      await page.goto('/login');
      await shot(page, 'signin');
      await page.getByLabel('Email').fill(USERS.VIEWER);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      assert.match(page.url(), /\/login/);
    } finally {
      await page.context().close();
    }
  });

  test('a refused session returns to sign-in and then to the page the user was on', async () => {
    const page = await newPage(browser);
    try {
      await signIn(page, 'VIEWER', '/environments');
      await page.waitForURL(/\/environments$/);
      // Revoke the token behind the app's back (as a password change or an admin would).
      const token = await page.evaluate(() => JSON.parse(localStorage.getItem('heatshield.session')).token);
      const out = await gql('mutation { logout { signedOut } }', {}, token);
      assert.equal(out.body.data.logout.signedOut, true);
      // The next request is refused: the app goes to sign-in, remembering the page.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Systems' }).click();
      await page.waitForURL(/\/login\?next=%2Fsystems&reason=refused/);
      await page.getByText('no longer accepts your session').waitFor();
      await fillSignIn(page, USERS.VIEWER);
      await page.waitForURL(/\/systems$/);
      await page.getByTestId('systems-table').waitFor();
    } finally {
      await page.context().close();
    }
  });
});

describe('refused tokens', () => {
  test('a stored token the server refuses sends the user to sign-in and back', async () => {
    const page = await newPage(browser);
    try {
      await page.goto('/login');
      // A stored session whose token the server does not accept (bad signature).
      await page.evaluate(() =>
        localStorage.setItem(
          'heatshield.session',
          JSON.stringify({ token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad', expiresAt: '2999-01-01T00:00:00Z' }),
        ),
      );
      // (POST answers HTTP 401, GET answers 200 with code UNAUTHENTICATED: the client handles both.)
      await page.goto('/calendar?zoom=year');
      await page.waitForURL(/\/login\?next=%2Fcalendar%3Fzoom%3Dyear&reason=refused/);
      await fillSignIn(page, USERS.TEST_MANAGER);
      await page.waitForURL(/\/calendar\?zoom=year$/);
      await page.locator('.calendar__svg').waitFor();
    } finally {
      await page.context().close();
    }
  });
});

describe('release manager', () => {
  let page;
  before(async () => {
    page = await newPage(browser);
    await signIn(page, 'RELEASE_MANAGER', '/releases');
  });
  after(async () => {
    await page.context().close();
  });

  test('sees the release list with health and opens a release page', async () => {
    await page.goto('/releases');
    const table = page.getByTestId('release-table');
    await table.waitFor();
    await shot(page, 'releases-list');
    // Filter to enterprise releases and open the first one.
    await page.getByLabel('Kind').selectOption('ENTERPRISE');
    await page.waitForURL(/kind=ENTERPRISE/);
    const first = table.locator('tbody tr th a').first();
    await first.waitFor();
    const key = (await first.textContent()).trim();
    assert.match(key, /^ER-/);
    await first.click();
    await page.getByRole('heading', { name: /Phases — planned vs actual/ }).waitFor();
    for (const h of ['Milestones', 'Packages and deployments', 'Impacted systems', 'Dependencies', 'Project releases', 'History']) {
      await page.getByRole('heading', { name: h, exact: true }).waitFor();
    }
    await page.getByTestId('packages-table').or(page.getByText('No packages in this release yet')).first().waitFor();
    await page.getByTestId('audit-table').or(page.getByText('No recorded changes yet')).first().waitFor();
    await shot(page, 'release-page');
    noPageErrors(page);
  });

  test('creates a release (with a per-field error from the server first) and moves it to PLANNED', async () => {
    await page.goto('/releases/new');
    const key = `PR-E2E${Date.now() % 100000}`;
    // A key the server refuses: the message appears beside the Key field.
    await page.getByLabel('Key').fill('bad key');
    await page.getByLabel('Name', { exact: true }).fill('End-to-end test release');
    await page.getByRole('button', { name: 'Create release' }).click();
    const keyError = page.locator('.field--invalid').filter({ has: page.getByLabel('Key') }).locator('.field__error');
    await keyError.waitFor();
    await shot(page, 'release-new-validation');
    await page.getByLabel('Key').fill(key);
    await page.getByRole('button', { name: 'Create release' }).click();
    await page.waitForURL(/\/releases\/rel_/);
    await page.getByRole('heading', { name: new RegExp(key) }).waitFor();
    assert.equal(await page.locator('.page-header .badge').first().textContent(), 'Draft');

    await page.getByRole('button', { name: 'Move to Planned' }).click();
    await page.getByText(`${key} is now planned.`).waitFor();
    assert.equal(await page.locator('.page-header .badge').first().textContent(), 'Planned');
    // The history (audit trail) shows the transition.
    await page.getByTestId('audit-table').getByText('release.transition').first().waitFor();
    await shot(page, 'release-transitioned');

    // Edit it, then delete it (it has not started).
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit release' });
    await form.getByLabel('Risk').selectOption('HIGH');
    await form.getByRole('button', { name: 'Save release' }).click();
    await page.locator('.page-header').getByText('High risk').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL(/\/releases$/);
    noPageErrors(page);
  });

  test('records a milestone as reached and a phase as started', async () => {
    await page.goto('/releases?q=PR-3603');
    await page.getByTestId('release-table').getByRole('link', { name: 'PR-3603' }).click();
    const reach = page.getByRole('button', { name: /^Mark .* reached$/ }).first();
    const label = await reach.getAttribute('aria-label');
    const milestone = label.replace(/^Mark /, '').replace(/ reached$/, '');
    await reach.click();
    await page.getByRole('button', { name: `Reopen ${milestone}` }).waitFor();
    const start = page.getByRole('button', { name: /^Start .* now$/ }).first();
    const phase = (await start.getAttribute('aria-label')).replace(/^Start /, '').replace(/ now$/, '');
    await start.click();
    await page.getByRole('button', { name: `Finish ${phase} now` }).waitFor();
    noPageErrors(page);
  });

  test('sees other people\'s changes live', async () => {
    await page.goto('/releases?status=DRAFT');
    await page.getByTestId('release-table').or(page.getByText('No releases match')).first().waitFor();
    const login = await gql('mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }', {
      e: USERS.ADMIN,
      p: 'heatshield-demo',
    });
    const key = `LIVE-${Date.now() % 100000}`;
    const created = await gql(
      'mutation($i: CreateReleaseInput!) { createRelease(input: $i) { release { id } } }',
      { i: { key, name: 'Created elsewhere', kind: 'INDEPENDENT', plannedStart: '2027-05-03', plannedGoLive: '2027-06-28' } },
      login.body.data.login.token,
    );
    assert.ok(created.body.data, JSON.stringify(created.body));
    // No reload: the releaseEvents subscription refreshes the list.
    await page.getByTestId('release-table').getByRole('link', { name: key }).waitFor({ timeout: 10_000 });
  });

  test('sees the consolidated calendar and zooms out to twelve months', async () => {
    await page.goto('/calendar');
    await page.locator('.calendar__svg').waitFor();
    assert.ok((await page.locator('.cal-row').count()) > 0, 'rows are drawn');
    assert.ok((await page.locator('.cal-phase').count()) > 0, 'phases are drawn');
    await shot(page, 'calendar-quarter');
    await page.getByRole('button', { name: 'Next 12 months' }).click();
    await page.waitForURL(/zoom=year/);
    await page.locator('.calendar__svg').waitFor();
    // Gates due and the blackouts (the demo's year-end freeze) are on the year view.
    assert.ok((await page.getByTestId('cal-gate').count()) > 0, 'gates are drawn');
    assert.ok((await page.getByTestId('cal-blackout').count()) > 0, 'blackouts are drawn');
    await shot(page, 'calendar-year');
    await page.getByRole('button', { name: '6 weeks' }).click();
    await page.waitForURL(/zoom=weeks/);
    noPageErrors(page);
  });

  test('sees systems, creates one, and sees the audit trail', async () => {
    await page.goto('/systems');
    await page.getByTestId('systems-table').waitFor();
    await shot(page, 'systems');
    await page.getByRole('button', { name: 'New system' }).click();
    const form = page.getByRole('form', { name: 'New system' });
    const code = `E2E-${Date.now() % 100000}`;
    await form.getByLabel('Code').fill(code);
    await form.getByLabel('Name').fill('End-to-end system');
    await form.getByLabel('Criticality').selectOption('TIER_2');
    await form.getByRole('button', { name: 'Create system' }).click();
    await page.getByText(`System ${code} created.`).waitFor();
    await page.getByRole('searchbox').fill(code);
    await page.getByTestId('systems-table').getByText('End-to-end system').waitFor();
    await page.goto('/audit');
    await page.getByTestId('audit-table').waitFor();
    await shot(page, 'audit');
  });
});

describe('project manager', () => {
  test('adds a package to a project release and changes its version and status', async () => {
    const page = await newPage(browser);
    try {
      await signIn(page, 'PROJECT_MANAGER', '/releases?kind=PROJECT&status=PLANNED');
      const first = page.getByTestId('release-table').locator('tbody tr th a').first();
      await first.click();
      await page.getByRole('button', { name: 'Add package' }).click();
      const form = page.getByRole('form', { name: 'New package' });
      const system = form.getByLabel('System');
      await system.locator('option').nth(1).waitFor({ state: 'attached' });
      await system.selectOption({ index: 1 });
      const name = `E2E package ${Date.now() % 100000}`;
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Version').fill('1.0.0');
      await form.getByRole('button', { name: 'Add package' }).click();
      await page.getByText(`Package ${name} added.`).waitFor();
      const row = page.getByTestId('packages-table').locator('tr', { hasText: name });
      await row.waitFor();
      await row.getByRole('button', { name: `Edit ${name}` }).click();
      const edit = page.getByRole('form', { name: `Edit ${name}` });
      await edit.getByLabel('Version').fill('1.0.1');
      await edit.getByLabel('Status').selectOption('READY');
      await edit.getByRole('button', { name: 'Save' }).click();
      await row.getByText('1.0.1').waitFor();
      await row.getByText('Ready').waitFor();
      await shot(page, 'release-packages');
      noPageErrors(page);
    } finally {
      await page.context().close();
    }
  });
});

describe('implementation manager', () => {
  test('records a deployment of a package and sees it in what runs where', async () => {
    await asRole(browser, 'IMPLEMENTATION_MANAGER', '/releases?q=PR-3656', async (page) => {
      await page.getByTestId('release-table').getByRole('link', { name: 'PR-3656' }).click();
      const row = page.getByTestId('packages-table').locator('tbody tr').first();
      const name = (await row.locator('th').first().innerText()).split('\n')[0].trim();
      await row.getByRole('button', { name: `Record a deployment of ${name}` }).click();
      const form = page.getByRole('form', { name: `Record a deployment of ${name}` });
      const env = form.getByLabel('Environment');
      await env.locator('option').nth(1).waitFor({ state: 'attached' });
      const envName = (await env.locator('option').nth(1).textContent()).replace(/ \(.*\)$/, '');
      await env.selectOption({ index: 1 });
      const version = `9.${Date.now() % 1000}.0-e2e`;
      await form.getByLabel('Version').fill(version);
      await form.getByRole('button', { name: 'Record' }).click();
      await row.locator('.deployments li', { hasText: version }).getByText(envName).waitFor();
      await page.goto('/environments/what-runs-where');
      await page.getByTestId('wrw-grid').getByText(version).waitFor();
    });
  });
});

describe('environment manager', () => {
  test('edits an environment configuration and sees it in the history', async () => {
    await asRole(browser, 'ENVIRONMENT_MANAGER', '/environments', async (page) => {
      await page.getByTestId('environment-card').first().waitFor();
      await shot(page, 'environments');
      await page.getByRole('link', { name: 'UAT1', exact: true }).click();
      await page.getByTestId('config-table').waitFor();
      const value = `e2e-${Date.now()}`;
      await page.getByRole('button', { name: 'Edit configuration' }).click();
      await page.getByRole('button', { name: 'Add entry' }).click();
      const key = `e2e.marker.${Date.now()}`;
      await page.getByLabel('New key', { exact: true }).fill(key);
      await page.getByLabel(`Value of ${key}`).fill(value);
      await page.getByRole('button', { name: 'Save configuration' }).click();
      await page.getByText(/Saved 1 change/).waitFor();
      const history = page.getByTestId('config-history');
      await history.locator('tr', { hasText: key }).getByText(value).waitFor();
      await page.getByTestId('config-table').getByText(value).waitFor();
      // Status can be changed too.
      await page.getByLabel('Status', { exact: true }).selectOption('MAINTENANCE');
      await page.getByRole('button', { name: 'Save status' }).click();
      await page.locator('.page-header .badge', { hasText: 'Maintenance' }).waitFor();
      await shot(page, 'environment-page');
      await page.goto('/environments/what-runs-where');
      await page.getByTestId('wrw-grid').waitFor();
      await shot(page, 'what-runs-where');
    });
  });

  test('a viewer sees secrets masked and no edit controls', async () => {
    const page = await newPage(browser);
    try {
      await signIn(page, 'VIEWER', '/environments');
      await page.getByRole('link', { name: 'UAT1', exact: true }).click();
      await page.getByTestId('config-table').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Edit configuration' }).count(), 0);
      const secretRow = page.getByTestId('config-table').locator('tr', { hasText: 'secret' }).first();
      assert.match(await secretRow.textContent(), /••••/);
    } finally {
      await page.context().close();
    }
  });
});

describe('admin', () => {
  test('creates an API token and sees the secret exactly once', async () => {
    const page = await newPage(browser);
    try {
      await signIn(page, 'ADMIN', '/admin/api-tokens');
      await page.getByRole('button', { name: 'New API token' }).click();
      const name = `E2E pipeline ${Date.now() % 100000}`;
      const form = page.getByRole('form', { name: 'New API token' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Implementation manager').check();
      await form.getByRole('button', { name: 'Create token' }).click();
      const secret = (await page.getByTestId('token-secret-value').textContent()).trim();
      assert.ok(secret.length > 20, 'a secret is shown');
      await page.getByRole('button', { name: 'Copy' }).waitFor();
      await page.getByTestId('tokens-table').getByText(name).waitFor();
      await shot(page, 'api-token-created');
      // The secret works as a bearer token…
      const me = await gql('{ me { kind roles } }', {}, secret);
      assert.deepEqual(me.body.data.me, { kind: 'API_TOKEN', roles: ['IMPLEMENTATION_MANAGER'] });
      // …and is not shown again.
      await page.reload();
      await page.getByTestId('tokens-table').getByText(name).waitFor();
      assert.equal(await page.getByTestId('token-secret').count(), 0);
      assert.equal(await page.getByText(secret).count(), 0);
      // Revoke it.
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: `Revoke ${name}` }).click();
      await page.getByTestId('tokens-table').getByText(name).waitFor({ state: 'detached' });
      const refused = await gql('{ me { kind } }', {}, secret);
      assert.equal(refused.status, 401);
      noPageErrors(page);
    } finally {
      await page.context().close();
    }
  });

  test('manages users and roles', async () => {
    await asRole(browser, 'ADMIN', '/admin/users', async (page) => {
      await page.getByTestId('users-table').waitFor();
      await page.getByRole('button', { name: 'New user' }).click();
      const email = `e2e.${Date.now() % 100000}@heatshield.demo`;
      const form = page.getByRole('form', { name: 'New user' });
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Display name').fill('E2E Person');
      await form.getByLabel('Initial password').fill('e2e-password-123');
      await form.getByLabel('Test manager').check();
      await form.getByRole('button', { name: 'Create user' }).click();
      await page.getByText(`User ${email} created.`).waitFor();
      await page.getByRole('searchbox').fill(email);
      const row = page.getByTestId('users-table').locator('tr', { hasText: email });
      await row.waitFor();
      await row.getByRole('button', { name: `Change roles of ${email}` }).click();
      await row.getByLabel('Viewer').check();
      await row.getByRole('button', { name: 'Save roles' }).click();
      await row.locator('.chip', { hasText: 'Viewer' }).waitFor();
      page.once('dialog', (d) => void d.accept());
      await row.getByRole('button', { name: `Deactivate ${email}` }).click();
      await row.getByText('Deactivated').waitFor();
      await page.getByRole('searchbox').fill('');
      await shot(page, 'users');
    });
  });
});

describe('small screens and keyboards', () => {
  test('the navigation folds behind a menu button on a phone-sized screen', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'VIEWER', '/releases');
      const nav = page.getByRole('navigation', { name: 'Main' });
      assert.equal(await nav.isVisible(), false);
      await page.getByRole('button', { name: 'Menu' }).click();
      await nav.getByRole('link', { name: 'Systems' }).click();
      await page.waitForURL(/\/systems$/);
      assert.equal(await nav.isVisible(), false);
      await shot(page, 'phone-systems');
    } finally {
      await page.context().close();
    }
  });

  test('signs in and reaches a release with the keyboard alone', async () => {
    const page = await newPage(browser);
    try {
      await page.goto('/releases');
      await page.waitForURL(/\/login/);
      // The email field has focus; type, tab to the password, Enter submits.
      await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
      await page.keyboard.type(USERS.RELEASE_MANAGER);
      await page.keyboard.press('Tab');
      await page.keyboard.type('heatshield-demo');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/releases$/);
      await page.getByTestId('release-table').waitFor();
      // The first Tab reaches the skip link, which moves to the content.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      await page.keyboard.press('Enter');
      const link = page.getByTestId('release-table').locator('tbody a').first();
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/releases\/rel_/);
    } finally {
      await page.context().close();
    }
  });
});

describe('wall display', () => {
  test('the calendar and release list fill a 4K screen', async () => {
    const page = await newPage(browser, { width: 3840, height: 2160 });
    try {
      await signIn(page, 'PORTFOLIO_MANAGER', '/calendar?zoom=year');
      await page.locator('.calendar__svg').waitFor();
      const width = await page.locator('.calendar__svg').evaluate((el) => el.getBoundingClientRect().width);
      assert.ok(width > 3000, `calendar uses the screen (${width}px)`);
      await shot(page, 'wall-calendar');
    } finally {
      await page.context().close();
    }
  });
});
