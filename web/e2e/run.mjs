// `npm run test:browser`: runs the end-to-end tests against HEATSHIELD_URL, or, when it is not
// set, against a server started here (../target/debug/heatshield, demo data, a temporary
// directory), which is stopped and removed afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '..');
const root = resolve(web, '..');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitHealthy(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server at ${url} did not become healthy`);
}

let server = null;
let dir = null;
let url = process.env.HEATSHIELD_URL;

if (!url) {
  const bin = join(root, 'target', 'debug', 'heatshield');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`cargo build --bin heatshield\` at the repository root`);
  if (!existsSync(join(web, 'dist', 'index.html'))) throw new Error('web/dist is missing: run `npm run build`');
  dir = mkdtempSync(join(tmpdir(), 'heatshield-e2e-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const log = openSync(join(dir, 'server.log'), 'w');
  server = spawn(bin, ['--data-dir', dir, 'serve', '--demo', '--bind', `127.0.0.1:${port}`, '--web-dir', join(web, 'dist')], {
    stdio: ['ignore', log, log],
  });
  await waitHealthy(url, 60_000);
}

const stop = () => {
  if (server) server.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
};

// Every e2e/*.test.mjs, one file after the other (they share the server and its demo data);
// `node e2e/run.mjs golive` runs only the files whose name contains "golive".
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => join(here, f));
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, HEATSHIELD_URL: url },
});
child.on('exit', (code) => {
  stop();
  process.exit(code ?? 1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
