// `npm run bench`: how fast orders go from the shop to the ledger, end to end (Temporal, Postgres/PGlite,
// emulators), against two yardsticks measured in the same run:
//  - the same steps run without Temporal, in this process (what durability costs);
//  - QuickBooks' own limit of 10 requests/s per company (how close to the cap we run without failing).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../scripts/temporal-dev-server.js';
import { workflowsPath } from '../runtime/workflows-path.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { SyncHarness } from '../test/support/sync-harness.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { createOrderSyncActivities } from '../activities/order-sync-activities.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100);
const LIMITED_ORDERS = Number(process.env.BENCH_LIMITED_ORDERS ?? 30);
/** Durable orchestration (history writes, task round trips on a dev server) may cost this much at most. */
const MIN_ENGINE_RATIO = 0.1;

const server = await startDevServer({ searchAttributes: allSearchAttributeKeys, readinessTimeoutMs: 120_000 });
const dir = await mkdtemp(join(tmpdir(), 'ledgerbridge-bench-'));
const bundlePath = join(dir, 'bundle.js');
await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } })).code);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

try {
  const unlimited = await run(ORDERS, undefined);
  const direct = await directPipelineBaseline(ORDERS);
  const limited = await run(LIMITED_ORDERS, { perSecond: 10, perMinute: 500 });

  const rows: [string, string][] = [
    ['orders (no platform limits)', String(ORDERS)],
    ['  engine throughput', `${unlimited.perSecond.toFixed(1)} orders/s`],
    ['  latency p50 / p95', `${unlimited.p50.toFixed(0)} ms / ${unlimited.p95.toFixed(0)} ms`],
    ['  ledger requests per order', (unlimited.requests / ORDERS).toFixed(1)],
    ['  same steps without Temporal (same run)', `${direct.toFixed(1)} orders/s`],
    ['  engine / without Temporal', `${(unlimited.perSecond / direct).toFixed(2)}`],
    ['orders (QuickBooks 10 req/s, Shopify Standard)', String(LIMITED_ORDERS)],
    ['  throughput', `${limited.perSecond.toFixed(2)} orders/s`],
    ['  ledger request rate / 10 req/s cap', `${(limited.requests / limited.seconds / 10).toFixed(2)}`],
    ['  throttled (429) answers', String(limited.throttled)],
    ['  failed or parked orders', String(limited.notCreated + unlimited.notCreated)],
    ['  duplicate receipts', String(limited.duplicates + unlimited.duplicates)],
    ['peak RSS of this process', `${(peakRss / 1024 / 1024).toFixed(0)} MiB`],
  ];
  for (const [name, value] of rows) console.log(`${name.padEnd(40)} ${value}`);
  // Bounds: correctness is absolute; speed is relative to the same machine's raw client.
  const failures = [
    limited.notCreated + unlimited.notCreated > 0 && 'some orders did not sync',
    limited.duplicates + unlimited.duplicates > 0 && 'duplicate receipts',
    unlimited.perSecond / direct < MIN_ENGINE_RATIO && `engine below ${MIN_ENGINE_RATIO} × the same steps without Temporal`,
  ].filter(Boolean);
  console.log(failures.length ? `BOUNDS FAILED: ${failures.join('; ')}` : `bounds: ok (no loss, no duplicates, engine ≥ ${MIN_ENGINE_RATIO} × without Temporal)`);
  process.exitCode = failures.length ? 1 : 0;
} finally {
  clearInterval(sampler);
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

async function run(count: number, qboRateLimits: { perSecond: number; perMinute: number } | undefined) {
  const harness = await SyncHarness.start({
    temporalAddress: server.address,
    workflowBundlePath: bundlePath,
    // Either QuickBooks' real limits and Shopify's Standard bucket, or both lifted to see the engine alone.
    ...(qboRateLimits ? { qboRateLimits } : { shopifyBucket: { maximumAvailable: 1e9, restoreRate: 1e9 } }),
  });
  try {
    const orders = Array.from({ length: count }, (_, i) =>
      harness.shopify.control.createOrder({ name: `#B${i + 1}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1 + (i % 3), unitPrice: '8.00' }] }),
    );
    harness.qbo.control.clearRequestLog();
    const started = performance.now();
    const latencies = await Promise.all(
      orders.map(async (order) => {
        const t0 = performance.now();
        const { workflowId } = await harness.startSync(order.id);
        const result: OrderSyncResult = await harness.handle(workflowId).result();
        return { ms: performance.now() - t0, created: result.outcome === 'created' };
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const log = harness.qbo.control.requestLog();
    const receipts = harness.salesReceipts();
    const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
    return {
      seconds,
      perSecond: count / seconds,
      p50: sorted[Math.floor(sorted.length * 0.5)]!,
      p95: sorted[Math.floor(sorted.length * 0.95)]!,
      requests: log.length,
      throttled: log.filter((r) => r.outcome === 'throttled').length,
      notCreated: latencies.filter((l) => !l.created).length,
      duplicates: receipts.length - new Set(receipts.map((r) => r.docNumber)).size,
    };
  } finally {
    await harness.close();
  }
}

/**
 * The same steps without Temporal: the activity functions called in a row, all orders at once, in this
 * process. Engine ÷ this = what durability costs on this machine.
 */
async function directPipelineBaseline(count: number): Promise<number> {
  const harness = await SyncHarness.start({
    temporalAddress: server.address,
    workflowBundlePath: bundlePath,
    shopifyBucket: { maximumAvailable: 1e9, restoreRate: 1e9 },
  });
  try {
    const steps = createOrderSyncActivities({ db: harness.db, connections: harness.connections(), connectionProblems: { connectionFailed: async () => {} } });
    const orders = Array.from({ length: count }, (_, i) =>
      harness.shopify.control.createOrder({ name: `#D${i + 1}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1 + (i % 3), unitPrice: '8.00' }] }),
    );
    const routeId = harness.routeId;
    const started = performance.now();
    await Promise.all(
      orders.map(async ({ id: orderId }) => {
        const row = { routeId, orderId, workflowId: `direct/${orderId}` };
        await steps.recordOrderSyncState({ ...row, status: 'syncing', newAttempt: true });
        const order = await steps.fetchOrder({ routeId, orderId });
        const { docNumber, existing } = await steps.findLedgerDocument({ routeId, orderName: order.name });
        if (existing) throw new Error(`baseline order ${order.name} already booked`);
        const lines = await steps.mapOrderLines({ routeId, order });
        const { customerId } = await steps.ensureLedgerCustomer({ routeId, order });
        const document = await steps.createLedgerSalesReceipt({ routeId, order, docNumber, lines, customerId });
        await steps.recordOrderSyncState({ ...row, status: 'synced', document });
      }),
    );
    const perSecond = count / ((performance.now() - started) / 1000);
    if (harness.salesReceipts().length !== count) throw new Error('baseline did not book every order once');
    return perSecond;
  } finally {
    await harness.close();
  }
}
