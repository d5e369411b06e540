import './support/quiet-runtime.js';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatedProcessEnv } from './support/emulated-process-env.js';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { projectRoot } from '../runtime/project-root.js';
import { createKeyring } from '../security/keyring.js';
import { encryptingDataConverter } from '../security/payload-codec.js';
import { orderSyncWorkflow } from '../workflows/order-sync.js';
import { startEmulatedPlatforms, type EmulatedPlatforms } from './support/emulated-platforms.js';
import { createConnectedRoute } from './support/connected-route.js';
import { isRunning, spawnProcess, type SpawnedProcess } from './support/spawned-process.js';

/**
 * The production entry points as separate processes, as the compose file and `npm run api|worker` start
 * them: compiled by `npm run build`, pointed at the emulators and the test Temporal server by their
 * environment alone, started from another directory, and stopped by a signal to the PID that launched them.
 */
const SHOPIFY_APP = { apiKey: 'prod-shopify-key', apiSecret: 'prod-shopify-secret' };
const QBO_APP = { clientId: 'prod-qbo-client', clientSecret: 'prod-qbo-secret' };
const KEY = Buffer.alloc(32, 9);
const OPERATOR_TOKEN = 'prod-operator-token';
// Relative on purpose: it must land under the project root whatever directory a process starts in.
const DATA_DIR = `.data/prod-test-${randomUUID().slice(0, 8)}`;
const taskQueue = `prod-${randomUUID()}`;
let routeId: string;
let qboIntegrationId: string;

let emulated: EmulatedPlatforms;
let client: Client;
let elsewhere: string;
const running: SpawnedProcess[] = [];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...emulatedProcessEnv({ emulated, shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, key: KEY, dataDir: DATA_DIR }),
    OPERATOR_TOKEN,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TASK_QUEUE: taskQueue,
    ...extra,
  };
}

function start(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): SpawnedProcess {
  const spawned = spawnProcess(command, args, options);
  running.push(spawned);
  return spawned;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilGone(pid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs ${timeoutMs} ms after its launcher was stopped`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The route and both integrations, connected, in the database the processes will open (PGlite: one process at a time). */
async function seedDatabase(): Promise<void> {
  await mkdir(join(projectRoot, DATA_DIR), { recursive: true });
  const database = await openDatabase({ pgliteDir: join(projectRoot, DATA_DIR, 'pglite') });
  try {
    ({ routeId, qboIntegrationId } = await createConnectedRoute(database.db, emulated, KEY, 'prod'));
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  elsewhere = await mkdtemp(join(tmpdir(), 'ledgerbridge-elsewhere-'));
  const build = start('npm', ['run', 'build'], { cwd: projectRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  emulated = await startEmulatedPlatforms({ shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, shopName: 'Prod Shop' });
  await seedDatabase();
  // The processes encrypt Temporal payloads under LEDGERBRIDGE_ENCRYPTION_KEY: this client reads them with the same key.
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), dataConverter: encryptingDataConverter(createKeyring(KEY)) });
  const built = await build.exited;
  expect(built.code, build.output()).toBe(0);
}, 600_000);

afterAll(async () => {
  for (const spawned of running) spawned.killGroup();
  await client?.connection.close();
  await emulated?.close();
  await rm(join(projectRoot, DATA_DIR), { recursive: true, force: true });
  if (elsewhere) await rm(elsewhere, { recursive: true, force: true });
});

describe('production processes', () => {
  it('the compiled worker loads the prebuilt bundle, books an order from another directory, logs it and serves metrics', async () => {
    const metricsPort = await freePort();
    const worker = start(process.execPath, [join(projectRoot, 'dist', 'runtime', 'worker-main.js')], { cwd: elsewhere, env: env({ METRICS_PORT: String(metricsPort) }) });
    await worker.waitForLine(/running \(pid \d+.*prebuilt workflow bundle .*dist\/workflow-bundle\.js/, 120_000);

    const order = emulated.shopify.control.createOrder({ shop: emulated.shop, name: '#7001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
    const workflowId = `prod-order-${order.id}`;
    // One 429 on the way: counted, then booked anyway. With a Retry-After of 1 s: without one (the emulator's default,
    // as Intuit sends none) the process waits its 60 s default, a minute of this test spent waiting on nothing it checks.
    emulated.qbo.control.setThrottleRetryAfter(1);
    emulated.qbo.control.throttleNext(1);
    const result = await client.workflow.execute(orderSyncWorkflow, { workflowId, taskQueue, args: [{ routeId, orderId: order.id, orderName: '#7001' }] });
    expect(result.outcome).toBe('created');
    expect(emulated.qbo.control.documents(emulated.realmId, 'SalesReceipt')).toHaveLength(1);

    // Activities log as structured JSON through the activity logger, with the workflow and the order.
    const synced = worker.lines.map((line) => { try { return JSON.parse(line); } catch { return null; } })
      .find((entry) => entry?.status === 'synced');
    expect(synced).toMatchObject({ level: 'info', orderId: order.id, workflowId, orderWorkflowId: workflowId, activityType: 'recordOrderSyncState', taskQueue });

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^ledgerbridge_order_sync_outcomes_total\{outcome="synced",reason=""\} 1$/m);
    const requests = Number(metrics.match(new RegExp(`^ledgerbridge_ledger_requests_total\\{platform="qbo",company="${emulated.realmId}"\\} (\\d+)$`, 'm'))?.[1]);
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(new RegExp(`^ledgerbridge_ledger_throttled_total\\{platform="qbo",company="${emulated.realmId}"\\} 1$`, 'm'));
    expect(metrics).toMatch(/^ledgerbridge_integrations\{platform="qbo",status="connected"\} 1$/m);
    expect(metrics).toMatch(/^ledgerbridge_integrations\{platform="shopify",status="connected"\} 1$/m);
    // The Temporal SDK's own worker metrics, from the same endpoint.
    expect(metrics).toMatch(new RegExp(`^temporal_workflow_completed\\{.*task_queue="${taskQueue}".*\\} 1$`, 'm'));
    expect(metrics).toMatch(/^temporal_activity_execution_latency_bucket\{/m);

    // The relative data directory was taken from the project root, not from where the process started.
    expect(existsSync(join(projectRoot, DATA_DIR, 'pglite'))).toBe(true);
    expect(existsSync(join(elsewhere, DATA_DIR))).toBe(false);

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    await worker.waitForLine(/"message":"stopped"/, 1_000);
  }, 300_000);

  it('`npm run api` reaches the emulators by configuration, times webhooks, and stops gracefully on SIGTERM to npm', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const api = start('npm', ['run', 'api'], { cwd: projectRoot, env: env({ PORT: String(port), METRICS_PORT: String(metricsPort) }) });
    const pid = Number((await api.waitForLine(/listening on http:\/\/127\.0\.0\.1:\d+ \(pid (\d+)/, 120_000))[1]);
    expect(pid).not.toBe(api.child.pid);

    // Connecting the ledger sends the operator to the QuickBooks emulator's consent page.
    const connect = await fetch(`http://127.0.0.1:${port}/integrations/${qboIntegrationId}/connect`, { redirect: 'manual', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(connect.status).toBe(302);
    expect(connect.headers.get('location')).toMatch(new RegExp(`^${emulated.qbo.origin}/connect/oauth2\\?`));

    const orderId = String(7_000_000_000_000 + Math.floor(Math.random() * 1e9));
    const body = JSON.stringify({ id: Number(orderId), name: '#7002', admin_graphql_api_id: `gid://shopify/Order/${orderId}` });
    const delivered = await fetch(`http://127.0.0.1:${port}/webhooks/shopify`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': emulated.shop,
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-api-version': '2025-07',
        'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_APP.apiSecret).update(body).digest('base64'),
      },
    });
    expect(delivered.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^ledgerbridge_webhook_intake_seconds_count\{platform="shopify",status="200"\} 1$/m);

    api.child.kill('SIGTERM');
    await api.waitForLine(/"message":"stopping \(SIGTERM\)"/, 30_000);
    await api.waitForLine(/"message":"stopped"/, 30_000);
    await api.exited;
    await waitUntilGone(pid);
  }, 300_000);

  it('a worker launched with `npx tsx` or `npm run worker` stops gracefully when the launched PID gets SIGTERM, leaving no orphan', async () => {
    const launches: [string, string[], RegExp][] = [
      // npx runs its command through a shell that dies on SIGTERM without passing it on: the worker notices its launcher is gone.
      ['npx', ['tsx', 'runtime/worker-main.ts'], /"message":"stopping \(launcher \d+ .*stopped\)/],
      // `npm run worker` execs node in place of the shell, so npm's forwarded SIGTERM reaches the worker itself.
      ['npm', ['run', 'worker'], /"message":"stopping \(SIGTERM\)/],
    ];
    for (const [command, args, stopping] of launches) {
      const worker = start(command, args, { cwd: projectRoot, env: env({ WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') }) });
      const pid = Number((await worker.waitForLine(/running \(pid (\d+)/, 180_000))[1]);
      expect(pid, command).not.toBe(worker.child.pid);
      worker.child.kill('SIGTERM');
      await worker.waitForLine(stopping, 30_000);
      await worker.waitForLine(/"message":"stopped"/, 30_000);
      await waitUntilGone(pid);
    }
  }, 400_000);
});
