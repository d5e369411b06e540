// `npx tsx bench/webhook-intake-latency.ts`: what a shop feels when it sends a burst of orders. Signed
// orders/create deliveries with new ids, open loop (sent on schedule whatever the answers), at 20, 100 and
// 200 deliveries/s for BENCH_INTAKE_SECONDS (5) each, over loopback to the API running as its own process
// while the worker books the orders on the same machine. Prints acknowledgement p50/p99 against Shopify's
// 5 s timeout and our 250 ms target, then waits for the intake to drain to zero and every order to be booked
// exactly once. With DATABASE_URL the API and the worker are separate processes on PostgreSQL (production's
// shape); without it, one process on PGlite (the `npm start` shape).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../scripts/temporal-dev-server.js';
import { workflowsPath } from '../runtime/workflows-path.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { startEmulatedPlatforms } from '../test/support/emulated-platforms.js';
import { orderCreatedBody, signedDelivery, startLedgerbridgeChild, type LedgerbridgeChild } from '../test/support/ledgerbridge-child.js';
import type { ChildConfig } from '../test/support/ledgerbridge-process.js';

const RATES = (process.env.BENCH_INTAKE_RATES ?? '20,100,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_INTAKE_SECONDS ?? 5);
/** Shopify counts a delivery failed after 5 s; our target leaves room for a slow network. */
const SHOPIFY_TIMEOUT_MS = 5_000;
const TARGET_P99_MS = 250;
/** Bounded time: a delivery not answered by then is an error, and the drain has this long. */
const DELIVERY_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 20 * 60_000);
const OPERATOR_TOKEN = 'bench-operator-token';
const SHOPIFY_APP = { apiKey: 'bench-shopify-key', apiSecret: 'bench-shopify-secret' };
const QBO_APP = { clientId: 'bench-qbo-client', clientSecret: 'bench-qbo-secret' };

const server = await startDevServer({ searchAttributes: allSearchAttributeKeys, readinessTimeoutMs: 120_000 });
const dir = await mkdtemp(join(tmpdir(), 'ledgerbridge-intake-bench-'));
const bundlePath = join(dir, 'bundle.js');
await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } })).code);
const platforms = await startEmulatedPlatforms({
  shopifyApp: SHOPIFY_APP,
  qboApp: QBO_APP,
  shopName: 'Bench Shop',
  // Both platforms' limits lifted: the worker books as fast as it can, so it is as busy as it gets.
  shopifyBucket: { maximumAvailable: 1e9, restoreRate: 1e9 },
});
platforms.qbo.control.authorizeAs(platforms.realmId);
const children: LedgerbridgeChild[] = [];
let databaseName: string | null = null;

try {
  const databaseUrl = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
  const base: ChildConfig = {
    ...(databaseUrl ? { databaseUrl } : { pgliteDir: join(dir, 'pglite') }),
    clientTemporalAddress: server.address,
    workerTemporalAddress: server.address,
    workflowBundlePath: bundlePath,
    taskQueue: `intake-bench-${randomUUID()}`,
    operatorToken: OPERATOR_TOKEN,
    runWorker: !databaseUrl,
    shopifyApp: SHOPIFY_APP,
    qboApp: QBO_APP,
    shop: platforms.shop,
    shopifyOrigin: platforms.shopify.origin,
    realmId: platforms.realmId,
    qboUrls: platforms.qbo.urls,
    routeId: 'bench',
  };
  const api = await startLedgerbridgeChild(base, { stderr: (line) => process.stderr.write(line) });
  children.push(api);
  if (databaseUrl) children.push(await startLedgerbridgeChild({ ...base, runWorker: true, runApi: false }, { stderr: (line) => process.stderr.write(line) }));

  const results = [];
  let orderNumber = 100_000;
  for (const rate of RATES) {
    const count = Math.round(rate * SECONDS);
    const orders = Array.from({ length: count }, () =>
      platforms.shopify.control.createOrder({ name: `#${++orderNumber}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }),
    );
    const result = { rate, ...(await openLoop(api.origin, orders, rate)) };
    results.push(result);
    console.error(`[bench] ${rate}/s: ${result.sent} sent, p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, ${result.errors} errors`);
  }
  const lastSent = performance.now();
  const totalOrders = results.reduce((sum, r) => sum + r.sent, 0);

  // The intake drains to zero (every sync started), then every order is booked once.
  const intakeDrainedAfter = await waitFor(async () => {
    const intake = (await (await fetch(`${api.origin}/intake`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).json()) as { queued: number; processing: number };
    return intake.queued + intake.processing === 0;
  });
  const drainedSeconds = (intakeDrainedAfter - lastSent) / 1000;
  console.error(`[bench] intake drained ${drainedSeconds.toFixed(1)} s after the last delivery; waiting for ${totalOrders} orders to be booked`);
  await waitFor(async () => receiptCounts().size >= totalOrders);
  const bookedSeconds = (performance.now() - lastSent) / 1000;
  const counts = receiptCounts();
  const duplicates = [...counts.values()].filter((n) => n > 1).length;
  const missing = totalOrders - counts.size;

  console.log(`\nwebhook acknowledgement, open loop, ${SECONDS} s per rate (${databaseUrl ? 'API and worker as separate processes, PostgreSQL' : 'API and worker in one process, PGlite'})`);
  console.log('rate/s  sent  p50 ms  p99 ms  max ms  errors  p99 / 250 ms target  p99 / 5 s Shopify timeout');
  for (const r of results) {
    console.log(
      `${String(r.rate).padStart(6)}  ${String(r.sent).padStart(4)}  ${r.p50.toFixed(0).padStart(6)}  ${r.p99.toFixed(0).padStart(6)}  ${r.max.toFixed(0).padStart(6)}  ${String(r.errors).padStart(6)}  ${(r.p99 / TARGET_P99_MS).toFixed(2).padStart(19)}  ${(r.p99 / SHOPIFY_TIMEOUT_MS).toFixed(3).padStart(25)}`,
    );
  }
  console.log(`intake drained to zero     ${drainedSeconds.toFixed(1)} s after the last delivery`);
  console.log(`orders booked              ${counts.size} / ${totalOrders} in ${bookedSeconds.toFixed(1)} s after the last delivery (${(totalOrders / bookedSeconds).toFixed(1)} orders/s)`);
  console.log(`duplicates / missing       ${duplicates} / ${missing}`);

  const top = results.find((r) => r.rate === Math.max(...RATES))!;
  const failures = [
    duplicates > 0 && 'duplicate receipts',
    missing > 0 && 'orders not booked',
    results.some((r) => r.errors > 0) && 'deliveries not answered 200',
    top.p99 > TARGET_P99_MS && `p99 at ${top.rate}/s above ${TARGET_P99_MS} ms`,
  ].filter(Boolean);
  console.log(failures.length ? `BOUNDS FAILED: ${failures.join('; ')}` : `bounds: ok (every order booked once, p99 at ${top.rate}/s ≤ ${TARGET_P99_MS} ms)`);
  process.exitCode = failures.length ? 1 : 0;
} finally {
  for (const child of children) await child.stop();
  await platforms.close();
  await server.stop();
  if (databaseName && process.env.DATABASE_URL) await dropDatabase(process.env.DATABASE_URL, databaseName);
  await rm(dir, { recursive: true, force: true });
}

/** Sends one delivery per order at `rate`/s on schedule; latency runs from when each was due, so a late send counts against us. */
async function openLoop(origin: string, orders: { id: string; name: string; updatedAt: string }[], rate: number) {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 50;
  await Promise.all(
    orders.map(async (order, i) => {
      const due = start + (i * 1000) / rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      try {
        const response = await signedDelivery(
          origin,
          SHOPIFY_APP.apiSecret,
          { body: orderCreatedBody(order, '8.00'), topic: 'orders/create', shop: platforms.shop, eventId: randomUUID() },
          { signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) },
        );
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - due);
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { sent: orders.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1)!, errors };
}

function receiptCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const receipt of platforms.qbo.control.documents(platforms.realmId, 'SalesReceipt')) {
    const number = String(receipt.docNumber);
    counts.set(number, (counts.get(number) ?? 0) + 1);
  }
  return counts;
}

async function waitFor(check: () => Promise<boolean>): Promise<number> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the backlog to drain');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return performance.now();
}

async function freshDatabase(serverUrl: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  databaseName = `ledgerbridge_bench_${Date.now().toString(36)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${databaseName}"`);
  await admin.end({ timeout: 5 });
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
}
