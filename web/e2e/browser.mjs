import assert from 'node:assert/strict';
// Browser helpers for the end-to-end tests: Debian's Chromium driven by playwright-core.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.HEATSHIELD_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const PASSWORD = 'heatshield-demo';
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
mkdirSync(SHOTS, { recursive: true });

export const USERS = {
  ADMIN: 'ada.admin@heatshield.demo',
  RELEASE_MANAGER: 'rita.release@heatshield.demo',
  ENVIRONMENT_MANAGER: 'eric.environments@heatshield.demo',
  TEST_MANAGER: 'tess.tester@heatshield.demo',
  IMPLEMENTATION_MANAGER: 'ian.implementer@heatshield.demo',
  PORTFOLIO_MANAGER: 'paula.portfolio@heatshield.demo',
  SERVICE_MANAGER: 'sam.service@heatshield.demo',
  PROJECT_MANAGER: 'pete.project@heatshield.demo',
  VIEWER: 'vera.viewer@heatshield.demo',
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context (own storage, so own session) with a laptop-sized viewport. */
export async function newPage(browser, viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, baseURL: BASE_URL });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

/** The page threw no uncaught errors (console errors are kept for the report, not failed on). */
export function noPageErrors(page) {
  assert.deepEqual(page.problems.filter((p) => p.startsWith('page error')), []);
}

/**
 * Runs `body` on a fresh page signed in as `role` at `path`, checks it threw no errors, and
 * closes it whatever happened.
 */
export async function asRole(browser, role, path, body) {
  const page = await newPage(browser);
  try {
    await signIn(page, role, path);
    await body(page);
    noPageErrors(page);
  } finally {
    await page.context().close();
  }
}

/** Signs in through the form; resolves once the shell shows the user. */
export async function signIn(page, role, path = '/') {
  await page.goto(path);
  await page.waitForURL(/\/login/);
  await fillSignIn(page, USERS[role]);
  await page.getByTestId('current-user').waitFor();
}

export async function fillSignIn(page, email) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function navLabels(page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link').first().waitFor();
  return nav.getByRole('link').allTextContents();
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A GraphQL call with a bearer token (or none), for set-up and for checks behind the UI. */
export async function gql(query, variables = {}, token) {
  const res = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}
