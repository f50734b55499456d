// The npm graphql-ws client as a real graphql-transport-ws peer of a running Heatshield
// server (started with --demo, HEATSHIELD_WS_INIT_TIMEOUT=1 and HEATSHIELD_WS_KEEPALIVE=1),
// plus raw sockets for the protocol violations a well-behaved client never commits.
// Usage: node ws.mjs http://127.0.0.1:8080
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.argv[2] ?? process.env.HEATSHIELD_URL;
if (!base) {
  console.error('usage: node ws.mjs <server base url>');
  process.exit(2);
}
const wsUrl = `${base.replace(/^http/, 'ws')}/graphql`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function http(query, variables = {}, token) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function login(email) {
  const data = await http(
    'mutation($e: String!) { login(input: {email: $e, password: "heatshield-demo"}) { token } }',
    { e: email },
  );
  return data.login.token;
}

const viewer = await login('vera.viewer@heatshield.demo');
const releaseManager = await login('rita.release@heatshield.demo');
const implementer = await login('ian.implementer@heatshield.demo');

function client(token, options = {}) {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    // Non-lazy clients here expect their connection to fail; the checks assert how.
    onNonLazyError: () => {},
    ...options,
  });
}

/** Subscribes with a sink; resolves the messages, the error or the completion as they come. */
function watch(c, payload) {
  const seen = { next: [], error: undefined, complete: false };
  const waiters = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const dispose = c.subscribe(payload, {
    next: (value) => {
      seen.next.push(value);
      wake();
    },
    error: (error) => {
      seen.error = error;
      wake();
    },
    complete: () => {
      seen.complete = true;
      wake();
    },
  });
  const until = async (condition, what, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen)}`);
      await new Promise((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  };
  return { seen, dispose, until };
}

/** A raw socket speaking graphql-transport-ws by hand; resolves its close code. */
function raw(frames, { waitBeforeSend = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const received = [];
    socket.on('open', async () => {
      await sleep(waitBeforeSend);
      for (const frame of frames) {
        socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        await sleep(50);
      }
    });
    socket.on('message', (data) => received.push(JSON.parse(data.toString())));
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), received }));
    socket.on('error', reject);
    setTimeout(() => reject(new Error('the server did not close the socket')), 5000);
  });
}

const checks = [];
const check = (name, run) => checks.push({ name, run });

check('the server accepts the subprotocol and acknowledges connection_init', async () => {
  let acknowledged = false;
  const c = client(viewer, { lazy: false, on: { connected: () => (acknowledged = true) } });
  for (let i = 0; i < 50 && !acknowledged; i += 1) await sleep(20);
  assert.ok(acknowledged, 'connection_ack');
  await c.dispose();
});

check('a subscription receives events, and completing it stops them', async () => {
  const c = client(viewer);
  const events = watch(c, { query: 'subscription { releaseEvents { action release { key } } }' });
  await sleep(300);
  await http(
    'mutation { createRelease(input: {key: "PR-WS-1", name: "graphql-ws peer", kind: PROJECT, plannedStart: "2027-02-01", plannedGoLive: "2027-03-01"}) { release { id } } }',
    {},
    releaseManager,
  );
  await events.until(() => events.seen.next.length > 0, 'the release.create event');
  assert.deepEqual(events.seen.next[0].data.releaseEvents, {
    action: 'release.create',
    release: { key: 'PR-WS-1' },
  });
  events.dispose(); // sends `complete`
  await sleep(200);
  await http(
    'mutation { createRelease(input: {key: "PR-WS-2", name: "after complete", kind: PROJECT, plannedStart: "2027-02-01", plannedGoLive: "2027-03-01"}) { release { id } } }',
    {},
    releaseManager,
  );
  await sleep(300);
  assert.equal(events.seen.next.length, 1, 'nothing after complete');
  await c.dispose();
});

check('queries and mutations over the socket answer once and complete', async () => {
  const c = client(viewer);
  const answer = watch(c, { query: '{ me { name roles } }' });
  await answer.until(() => answer.seen.complete, 'complete');
  assert.deepEqual(answer.seen.next[0].data.me.roles, ['VIEWER']);
  await c.dispose();
});

check('an invalid operation gets an `error` message with codes; the socket stays open', async () => {
  let closed = false;
  // Keep the socket between operations, to show the error did not close it.
  const c = client(viewer, { lazyCloseTimeout: 2000, on: { closed: () => (closed = true) } });
  const bad = watch(c, { query: 'subscription { nope }' });
  await bad.until(() => bad.seen.error, 'the error');
  assert.ok(Array.isArray(bad.seen.error), 'a list of GraphQL errors');
  assert.equal(bad.seen.error[0].extensions.code, 'VALIDATION');
  const good = watch(c, { query: '{ me { name } }' });
  await good.until(() => good.seen.complete, 'the next operation on the same socket');
  assert.equal(closed, false);
  await c.dispose();
});

check('past the role check, an unknown plan gets NOT_FOUND', async () => {
  const c = client(viewer);
  const missing = watch(c, {
    query: 'subscription { goLiveStatus(planId: "pln_0190000000007000800000000000abcd") { kind } }',
  });
  await missing.until(() => missing.seen.error, 'the error');
  assert.equal(missing.seen.error[0].extensions.code, 'NOT_FOUND');
  await c.dispose();
});

check('goLiveStatus sends a snapshot first, then a delta per change', async () => {
  const release = await http('{ releaseByKey(key: "PR-3603") { id } }', {}, viewer);
  const created = await http(
    'mutation($r: ID!) { createDeploymentPlan(input: {releaseId: $r, name: "graphql-ws peer", windowStart: "2027-03-06T18:00:00Z", windowEnd: "2027-03-07T06:00:00Z"}) { plan { id } } }',
    { r: release.releaseByKey.id },
    implementer,
  );
  const plan = created.createDeploymentPlan.plan.id;
  const added = await http(
    'mutation($p: ID!) { addActivity(input: {planId: $p, title: "Stop batch", kind: MANUAL, plannedDurationMinutes: 15}) { activity { id } } }',
    { p: plan },
    implementer,
  );
  const activity = added.addActivity.activity.id;
  await http('mutation($p: ID!) { approveDeploymentPlan(input: {id: $p}) { plan { mode } } }', { p: plan }, implementer);
  const c = client(viewer);
  const live = watch(c, {
    query: 'subscription($p: ID!) { goLiveStatus(planId: $p) { kind planMode activities { id status } } }',
    variables: { p: plan },
  });
  await live.until(() => live.seen.next.length >= 1, 'the snapshot');
  assert.equal(live.seen.next[0].data.goLiveStatus.kind, 'SNAPSHOT');
  assert.equal(live.seen.next[0].data.goLiveStatus.planMode, 'APPROVED');
  await http('mutation($p: ID!) { startRehearsal(input: {planId: $p}) { run { id } } }', { p: plan }, implementer);
  await live.until(() => live.seen.next.length >= 2, 'the new run');
  await http(
    'mutation($a: ID!) { updateActivityStatus(input: {activityId: $a, action: START}) { status } }',
    { a: activity },
    implementer,
  );
  await live.until(() => live.seen.next.length >= 3, 'the delta');
  assert.deepEqual(live.seen.next[2].data.goLiveStatus, {
    kind: 'DELTA',
    planMode: 'REHEARSAL',
    activities: [{ id: activity, status: 'IN_PROGRESS' }],
  });
  await c.dispose();
});

check('ping is answered with pong, and the server pings (keep-alive)', async () => {
  let pongs = 0;
  let serverPings = 0;
  const c = client(viewer, {
    lazy: false,
    keepAlive: 100,
    on: {
      pong: (received) => received && (pongs += 1),
      ping: (received) => received && (serverPings += 1),
    },
  });
  await sleep(1600);
  assert.ok(pongs >= 2, `pongs: ${pongs}`);
  assert.ok(serverPings >= 1, `server pings: ${serverPings}`);
  await c.dispose();
});

check('bad credentials close the connection with 4403', async () => {
  let closeCode;
  const c = client('not-a-token', { lazy: false, on: { closed: (event) => (closeCode = event.code) } });
  for (let i = 0; i < 100 && closeCode === undefined; i += 1) await sleep(20);
  assert.equal(closeCode, 4403);
  await c.dispose();
  let anonymous;
  const a = client(undefined, { lazy: false, on: { closed: (event) => (anonymous = event.code) } });
  for (let i = 0; i < 100 && anonymous === undefined; i += 1) await sleep(20);
  assert.equal(anonymous, 4403, 'no credentials at all');
  await a.dispose();
});

check('a duplicate subscription id closes the connection with 4409', async () => {
  let closeCode;
  const c = client(viewer, { generateID: () => 'same-id', on: { closed: (event) => (closeCode = event.code) } });
  const first = watch(c, { query: 'subscription { releaseEvents { action } }' });
  await sleep(200);
  const second = watch(c, { query: 'subscription { releaseEvents { action } }' });
  await first.until(() => first.seen.error || second.seen.error, 'the close');
  for (let i = 0; i < 50 && closeCode === undefined; i += 1) await sleep(20);
  assert.equal(closeCode, 4409);
  await c.dispose();
});

check('4400: a message that is not part of the protocol', async () => {
  const { code } = await raw([{ type: 'connection_init', payload: { Authorization: `Bearer ${viewer}` } }, '{not json']);
  assert.equal(code, 4400);
  const unknown = await raw([{ type: 'connection_init', payload: { Authorization: `Bearer ${viewer}` } }, { type: 'teleport' }]);
  assert.equal(unknown.code, 4400);
});

check('4401: subscribe before the connection is acknowledged', async () => {
  const { code } = await raw([{ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } }]);
  assert.equal(code, 4401);
});

check('4408: no connection_init in time', async () => {
  const started = Date.now();
  const { code } = await raw([]);
  assert.equal(code, 4408);
  assert.ok(Date.now() - started < 4000);
});

check('4429: connection_init twice', async () => {
  const init = { type: 'connection_init', payload: { Authorization: `Bearer ${viewer}` } };
  const { code, received } = await raw([init, init]);
  assert.equal(received[0].type, 'connection_ack');
  assert.equal(code, 4429);
});

let failed = 0;
for (const { name, run } of checks) {
  try {
    await run();
    console.log(`ok    ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL  ${name}\n      ${error?.stack ?? error}`);
  }
}
console.log(`graphql-ws conformance: ${checks.length - failed} passed, ${failed} failed (of ${checks.length})`);
process.exit(failed > 0 ? 1 : 0);
