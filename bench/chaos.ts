// `npm run chaos [-- --orders 200 --faults 200 --seed 1]`: a backlog of orders booked through the production entry
// points (runtime/api-main.ts and runtime/worker-main.ts as separate processes on PostgreSQL, a Temporal dev server on
// a SQLite file, the Shopify and QuickBooks emulators in this process) while faults are injected at moments drawn from
// a seeded PRNG, so a run can be repeated: worker and API SIGKILLs, a Temporal restart on its file, ledger answers
// dropped after the write, 429 storms, the ledger grant revoked and reconnected through the product's connect route,
// triplicate and late webhook deliveries. A share of the orders is refunded (chaos-money.ts) and the booked ones are
// paid out through Shopify Payments payouts the product polls for, with refund webhooks redelivered and ledger answers
// dropped after refund receipt and deposit writes too. Prints faults by kind, orders, refunds and payouts booked,
// duplicates, lost, the clearing account left for paid-out orders and drain time, and exits non-zero on any
// duplicate, loss or unexplained parked payout. Loopback only; bounded in count and time (--drain-timeout-s).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatedProcessEnv } from '../test/support/emulated-process-env.js';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { keepCommerceWebhooks } from '../activities/commerce-webhook-keeper.js';
import { CredentialStore } from '../db/credential-store.js';
import { openDatabase } from '../db/database.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { projectRoot } from '../runtime/project-root.js';
import { workflowsPath } from '../runtime/workflows-path.js';
import { failureConverterPath } from '../security/failure-converter-path.js';
import { freePort, startDevServer, type RunningDevServer } from '../scripts/temporal-dev-server.js';
import { TestBrowser } from '../test/support/browser.js';
import { createConnectedRoute } from '../test/support/connected-route.js';
import { startEmulatedPlatforms } from '../test/support/emulated-platforms.js';
import { spawnProcess, type SpawnedProcess } from '../test/support/spawned-process.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { CHAOS_ORDER_LINE, ChaosMoney } from './chaos-money.js';
import { seededRandom } from './seeded-random.js';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '200' },
    faults: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    'drain-timeout-s': { type: 'string', default: '900' },
    'refund-share': { type: 'string', default: '0.35' },
  },
});
const ORDERS = Number(args.orders);
const FAULTS = Number(args.faults);
const SEED = Number(args.seed);
const DRAIN_TIMEOUT_MS = Number(args['drain-timeout-s']) * 1000;
const SHOPIFY_APP = { apiKey: 'chaos-shopify-key', apiSecret: 'chaos-shopify-secret' };
const QBO_APP = { clientId: 'chaos-qbo-client', clientSecret: 'chaos-qbo-secret' };
const KEY = Buffer.alloc(32, 5);
const OPERATOR_TOKEN = 'chaos-operator-token';
const random = seededRandom(SEED);
const between = (low: number, high: number) => low + random() * (high - low);

type FaultKind =
  | 'worker SIGKILL'
  | 'API SIGKILL'
  | 'Temporal restart'
  | 'ledger answer dropped after write'
  | '429 storm'
  | 'token revoked + reconnected'
  | 'triplicate webhook'
  | 'late webhook'
  | 'ledger answer dropped after refund receipt write'
  | 'ledger answer dropped after deposit write'
  | 'triplicate refunds/create webhook'
  | 'late refunds/create webhook';

/** How the faults are shared out: process deaths and restarts are few and heavy, platform faults many and light. */
function faultPlan(total: number): FaultKind[] {
  const few = (share: number, min: number) => Math.max(min, Math.round(total * share));
  const fixed: [FaultKind, number][] = [
    ['worker SIGKILL', few(0.06, 3)],
    ['API SIGKILL', few(0.02, 1)],
    ['Temporal restart', few(0.005, 1)],
    ['token revoked + reconnected', 1],
    ['ledger answer dropped after write', few(0.3, 1)],
    ['429 storm', few(0.15, 1)],
    ['triplicate webhook', few(0.14, 1)],
    ['ledger answer dropped after refund receipt write', few(0.05, 1)],
    ['ledger answer dropped after deposit write', few(0.04, 1)],
    ['triplicate refunds/create webhook', few(0.06, 1)],
    ['late refunds/create webhook', few(0.06, 1)],
  ];
  const plan = fixed.flatMap(([kind, n]) => Array<FaultKind>(n).fill(kind));
  while (plan.length < total) plan.push('late webhook');
  return plan;
}

// The schedule: orders arrive over the first 60% of the chaos window, faults over all of it and half as long again,
// while the booked orders are refunded and paid out.
const WINDOW_MS = Math.max(30_000, ORDERS * 400);
const orderTimes = Array.from({ length: ORDERS }, (_, i) => (i * WINDOW_MS * 0.6) / ORDERS);
const faults = faultPlan(FAULTS)
  .map((kind) => ({ kind, at: between(2_000, WINDOW_MS * 1.5) }))
  .sort((a, b) => a.at - b.at);

const dir = await mkdtemp(join(tmpdir(), 'ledgerbridge-chaos-'));
const temporalPort = await freePort();
const temporalFile = join(dir, 'temporal.sqlite');
const startTemporal = () => startDevServer({ dbFile: temporalFile, port: temporalPort, searchAttributes: allSearchAttributeKeys, readinessTimeoutMs: 120_000 });
let temporal: RunningDevServer = await startTemporal();
const bundlePath = join(dir, 'bundle.js');
await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } })).code);
// The ledger's least forgiving variants: it books a used DocNumber again and ignores requestid, so only the
// product's own checks stand between a retried write and a second receipt.
const emulated = await startEmulatedPlatforms({
  shopifyApp: SHOPIFY_APP,
  qboApp: QBO_APP,
  shopName: 'Chaos Shop',
  qboDuplicateDocNumbersAllowed: true,
  qboRequestIdMode: 'ignore',
  shopifyBucket: { maximumAvailable: 1e9, restoreRate: 1e9 },
});
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `ledgerbridge_chaos_${Date.now().toString(36)}`;
const databaseUrl = await createDatabase(serverUrl, databaseName);
const apiPort = await freePort();
const apiOrigin = `http://127.0.0.1:${apiPort}`;
const taskQueue = `chaos-${randomUUID()}`;
const counts = new Map<FaultKind, number>();
const extras = { throttled: 0, redeliveries: 0, parkedForReconnect: 0 };
let api: SpawnedProcess | null = null;
let worker: SpawnedProcess | null = null;
let client: Client | null = null;
const killAll = () => {
  api?.killGroup();
  worker?.killGroup();
};
process.once('exit', killAll);
// Stopped by a person (Ctrl-C) or a timeout: leave no process behind; the temporary files and database stay.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    void temporal.stop().finally(() => process.exit(130));
  });
}

try {
  const seed = await openDatabase({ url: databaseUrl });
  const route = await createConnectedRoute(seed.db, emulated, KEY, 'chaos').finally(() => seed.close());
  const childEnv: NodeJS.ProcessEnv = {
    ...emulatedProcessEnv({ emulated, shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, key: KEY, dataDir: join(dir, 'data') }),
    MAIL_OUTBOX_DIR: join(dir, 'outbox'),
    OPERATOR_TOKEN,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TASK_QUEUE: taskQueue,
    PORT: String(apiPort),
    WORKFLOW_BUNDLE_PATH: bundlePath,
    RESUME_RATE_PER_SECOND: '20',
  };
  const startApi = async () => {
    api = spawnProcess(process.execPath, ['--import', 'tsx', join(projectRoot, 'runtime', 'api-main.ts')], { cwd: projectRoot, env: childEnv });
    await api.waitForLine(/listening on http/, 120_000);
  };
  const startWorker = async () => {
    worker = spawnProcess(process.execPath, ['--import', 'tsx', join(projectRoot, 'runtime', 'worker-main.ts')], { cwd: projectRoot, env: childEnv });
    await worker.waitForLine(/running \(pid/, 120_000);
  };
  await Promise.all([startApi(), startWorker()]);
  emulated.qbo.control.setThrottleRetryAfter(1);
  client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
  // The shop sends its webhooks to the API the way the product subscribes on connect (webhookSubscriptionCreate).
  const subscriber = await openDatabase({ url: databaseUrl });
  await keepCommerceWebhooks(
    {
      db: subscriber.db,
      platforms: new PlatformRegistry([emulated.shopifyPlatform, emulated.qboPlatform]),
      credentials: new CredentialStore(subscriber.db, secretBoxFromKey(KEY)),
      publicBaseUrl: apiOrigin,
    },
    route.shopifyIntegrationId,
  ).finally(() => subscriber.close());
  // Payouts go through a clearing account: chosen before the first order, so every sale of the backlog is booked to it.
  const money = new ChaosMoney(emulated, { origin: apiOrigin, operatorToken: OPERATOR_TOKEN, routeId: route.routeId }, SEED, Number(args['refund-share']));
  await money.configurePayouts();
  /** One payout round at a time (it reads the API, which may be restarting). */
  let payoutRound: Promise<void> | null = null;
  let nextPayoutRound = 0;
  const payoutsDue = (final: boolean) => {
    if (payoutRound || performance.now() < nextPayoutRound) return;
    nextPayoutRound = performance.now() + 3_000;
    payoutRound = money.payoutRound(final).catch((error: Error) => console.error(`[chaos] payout round failed: ${error.message}`)).finally(() => (payoutRound = null));
  };

  const eventIds: string[] = [];
  /** Restarts are serialised: a fault that meets a process already down waits for it to be up again. */
  let restarting: Promise<void> = Promise.resolve();
  const restart = (work: () => Promise<void>) => (restarting = restarting.then(work, work));
  const pending: Promise<unknown>[] = [];
  const inject = async (kind: FaultKind) => {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    switch (kind) {
      case 'worker SIGKILL':
        return restart(async () => {
          worker!.child.kill('SIGKILL');
          await worker!.exited;
          await sleep(between(200, 3_000));
          await startWorker();
        });
      case 'API SIGKILL':
        return restart(async () => {
          api!.child.kill('SIGKILL');
          await api!.exited;
          await sleep(between(200, 2_000));
          await startApi();
        });
      case 'Temporal restart':
        return restart(async () => {
          await temporal.stop();
          await sleep(between(500, 3_000));
          temporal = await startTemporal();
        });
      case 'ledger answer dropped after write':
        emulated.qbo.control.injectFaults({ dropNext: emulated.qbo.control.faults.dropNext + 1 });
        return;
      case '429 storm': {
        // Each 429 pauses every request to the company for its Retry-After (60 s when absent, as Intuit sends
        // none): a short one keeps the run bounded while still spending attempts and pausing the shared limiter.
        const answers = Math.round(between(2, 8));
        extras.throttled += answers;
        emulated.qbo.control.throttleNext(emulated.qbo.control.faults.throttleNext + answers);
        return;
      }
      case 'token revoked + reconnected':
        emulated.qbo.control.revokeGrant(emulated.realmId);
        // The operator reconnects a little later through the product's connect route and QuickBooks' consent page.
        pending.push(sleep(between(3_000, 10_000)).then(() => reconnect(route.qboIntegrationId)));
        return;
      case 'triplicate webhook':
      case 'late webhook': {
        const eventId = eventIds[Math.floor(random() * eventIds.length)];
        if (!eventId) return;
        const late = kind === 'late webhook';
        const times = late ? 1 : 2;
        extras.redeliveries += times;
        emulated.shopify.control.redeliverWebhook(eventId, { times, sameWebhookId: random() < 0.5, delayMs: late ? between(5_000, 40_000) : 0 });
        return;
      }
      case 'ledger answer dropped after refund receipt write':
        emulated.qbo.control.dropNextWrites('RefundReceipt', 1);
        return;
      case 'ledger answer dropped after deposit write':
        emulated.qbo.control.dropNextWrites('Deposit', 1);
        return;
      case 'triplicate refunds/create webhook':
      case 'late refunds/create webhook': {
        // Drawn now, so the schedule stays the seed's; applied once the shop has refunded something.
        const pick = random();
        const late = kind === 'late refunds/create webhook';
        const delayMs = late ? between(5_000, 40_000) : 0;
        const sameWebhookId = random() < 0.5;
        for (let waited = 0; money.refundEventIds.length === 0 && waited < 120; waited++) await sleep(500);
        const eventId = money.refundEventIds[Math.floor(pick * money.refundEventIds.length)];
        if (!eventId) return;
        extras.redeliveries += late ? 1 : 2;
        emulated.shopify.control.redeliverWebhook(eventId, { times: late ? 1 : 2, sameWebhookId, delayMs });
        return;
      }
    }
  };

  console.error(`[chaos] seed ${SEED}: ${ORDERS} orders and ${faults.length} faults over ${(WINDOW_MS / 1000).toFixed(0)} s`);
  const started = performance.now();
  let nextOrder = 0;
  let nextFault = 0;
  while (nextOrder < ORDERS || nextFault < faults.length) {
    const now = performance.now() - started;
    while (nextOrder < ORDERS && orderTimes[nextOrder]! <= now) {
      const order = emulated.shopify.control.createOrder({ shop: emulated.shop, name: `#C${10_000 + nextOrder}`, lineItems: [CHAOS_ORDER_LINE] });
      eventIds.push(emulated.shopify.control.webhookEvents(emulated.shop).at(-1)!.eventId);
      money.orderCreated(order, now);
      nextOrder++;
    }
    while (nextFault < faults.length && faults[nextFault]!.at <= now) {
      const fault = faults[nextFault++]!;
      // Restarts block only the restart chain; the backlog and the other faults go on meanwhile.
      pending.push(inject(fault.kind).catch((error: Error) => console.error(`[chaos] ${fault.kind} failed: ${error.message}`)));
    }
    money.refundsDue(now);
    payoutsDue(false);
    await sleep(50);
  }
  console.error(`[chaos] every order created; ${receipts().distinct} booked so far; waiting for the last restarts and the reconnect`);
  await Promise.all(pending);
  await restarting;
  const lastFault = performance.now();
  console.error(`[chaos] all faults injected after ${((lastFault - started) / 1000).toFixed(0)} s; draining`);

  // Drained: every order booked, no delivery left to send, no order sync still running.
  const deadline = lastFault + DRAIN_TIMEOUT_MS;
  let drained = false;
  let nextProgress = 0;
  while (performance.now() < deadline) {
    if (performance.now() > nextProgress) {
      nextProgress = performance.now() + 15_000;
      console.error(`[chaos] ${((performance.now() - lastFault) / 1000).toFixed(0)} s: ${receipts().distinct} / ${ORDERS} booked, ${money.refundsCreated} refunds, ${emulated.qbo.control.documents(emulated.realmId, 'Deposit').length} deposits`);
    }
    money.refundsDue(performance.now() - started);
    payoutsDue(true);
    if (receipts().distinct >= ORDERS && emulated.shopify.control.webhookDeliveries().every((d) => d.state === 'delivered' || d.state === 'failed') && (await money.settled(ORDERS))) {
      const running = await client.workflow
        .count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running" AND (WorkflowType = "orderSyncWorkflow" OR WorkflowType = "refundSyncWorkflow")`)
        .catch(() => null);
      if (running?.count === 0) {
        drained = true;
        break;
      }
    }
    await sleep(500);
  }
  const drainSeconds = (performance.now() - lastFault) / 1000;
  const booked = receipts();
  const duplicates = booked.total - booked.distinct;
  const lost = ORDERS - booked.distinct;

  console.log(`\nchaos run, seed ${SEED}: API and worker as separate processes (runtime/api-main.ts, runtime/worker-main.ts), PostgreSQL, Temporal dev server on SQLite`);
  console.log(`${'fault'.padEnd(50)}injected`);
  for (const [kind] of new Map(faultPlan(FAULTS).map((k) => [k, 0]))) console.log(`${kind.padEnd(50)}${String(counts.get(kind) ?? 0).padStart(8)}`);
  console.log(`${'total'.padEnd(50)}${String([...counts.values()].reduce((a, b) => a + b, 0)).padStart(8)}`);
  console.log(`(429 answers forced: ${extras.throttled}; extra webhook deliveries: ${extras.redeliveries}; ledger requests: ${emulated.qbo.control.requestCount(emulated.realmId)})`);
  console.log(`orders booked      ${booked.distinct} / ${ORDERS}`);
  console.log(`duplicates         ${duplicates}`);
  console.log(`lost               ${lost}`);
  console.log(`drain time         ${drained ? `${drainSeconds.toFixed(1)} s after the last fault` : `not drained within ${DRAIN_TIMEOUT_MS / 1000} s`}`);
  await payoutRound;
  const moneyCheck = await money.check();
  for (const line of moneyCheck.lines) console.log(line);
  const failures = [duplicates > 0 && `${duplicates} duplicate receipts`, lost > 0 && `${lost} orders not booked`, ...moneyCheck.failures, !drained && 'not drained'].filter(Boolean);
  console.log(failures.length ? `CHAOS FAILED: ${failures.join('; ')}` : 'every order, refund and payout booked exactly once; clearing at zero for the paid-out orders');
  process.exitCode = failures.length ? 1 : 0;
} finally {
  killAll();
  await client?.connection.close().catch(() => {});
  await emulated.close();
  await temporal.stop();
  await dropDatabase(serverUrl, databaseName).catch((error: Error) => console.error(`[chaos] could not drop ${databaseName}: ${error.message}`));
  await rm(dir, { recursive: true, force: true });
}

/** The operator reconnects QuickBooks: the product's connect route, QuickBooks' consent page, the callback. Retried while the API is down. */
async function reconnect(integrationId: string): Promise<void> {
  const operator = new TestBrowser(apiOrigin, { authorization: `Bearer ${OPERATOR_TOKEN}` });
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const page = await operator.open(`${apiOrigin}/integrations/${integrationId}/connect`);
      if (page.status === 200) return;
      console.error(`[chaos] reconnect answered ${page.status}: ${page.body.slice(0, 200)}`);
    } catch {
      // the API is restarting
    }
    await sleep(1_000);
  }
  throw new Error('the reconnect never succeeded');
}

function receipts(): { total: number; distinct: number } {
  const numbers = emulated.qbo.control.documents(emulated.realmId, 'SalesReceipt').map((receipt) => String(receipt.docNumber));
  return { total: numbers.length, distinct: new Set(numbers).size };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function createDatabase(url: string, name: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end({ timeout: 5 });
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

async function dropDatabase(url: string, name: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
}
