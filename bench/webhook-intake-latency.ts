// Webhook acknowledgement under load: what a shop feels when it sends a burst of orders. Signed orders/create
// deliveries with new ids, open loop (sent on schedule from a worker thread of their own, whatever the answers; latency
// from when each was due), at each rate for a few seconds, over loopback to the API running as its own process while the
// worker books the orders on the same machine. Reports acknowledgement p50/p99 at the top rate against our 250 ms
// target (Shopify gives up after 5 s), then waits for the intake to drain to zero and every order to be booked exactly
// once. The API and the worker are separate processes on PostgreSQL (production's shape: DATABASE_URL, default the local
// server, in which a fresh database is created and dropped); with BENCH_INTAKE_DATABASE=pglite, one process on PGlite
// (the `npm start` demo's shape, where the intake's write waits behind the worker's in one single-threaded database).
// `npx tsx bench/webhook-intake-latency.ts [--size small|full] [--seconds S]` (rates: BENCH_INTAKE_RATES, default 20,100,200;
// small: 200 only, for 1 s)
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startEmulatedPlatforms } from '../test/support/emulated-platforms.js';
import { startLedgerbridgeChild, type LedgerbridgeChild } from '../test/support/ledgerbridge-child.js';
import type { ChildConfig } from '../test/support/ledgerbridge-process.js';
import { benchArgs } from './bench-size.js';
import { ms, quantile, report } from './bench-figures.js';
import { startBenchTemporal } from './bench-temporal.js';
import { createBenchDatabase } from './bench-database.js';
import { sendOpenLoop } from './open-loop.js';

const args = benchArgs(['seconds']);
const RATES = (process.env.BENCH_INTAKE_RATES ?? (args.size === 'small' ? '200' : '20,100,200')).split(',').map(Number);
const SECONDS = args.number('seconds', { small: 1, full: 5 });
/** Shopify counts a delivery failed after 5 s; our target leaves room for a slow network. */
const SHOPIFY_TIMEOUT_MS = 5_000;
const TARGET_P99_MS = 250;
/** Bounded time: a delivery not answered by then is an error, and the drain has this long. */
const DELIVERY_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 20 * 60_000);
const OPERATOR_TOKEN = 'bench-operator-token';
/**
 * The worker runs at a lower CPU priority than the API, as the compose file deploys it (`cpu_shares`): sharing 2
 * cores, a busy worker otherwise takes the CPU an acknowledgement waits for. BENCH_WORKER_NICE=0 to compare.
 */
const WORKER_NICE = Number(process.env.BENCH_WORKER_NICE ?? 10);
/**
 * Which process starts the syncs of acknowledged deliveries (INTAKE_DRAINER): the worker, as the compose file deploys
 * it, so the API answers Shopify and does nothing else. BENCH_INTAKE_DRAINER=api to compare. PGlite: always the API.
 */
const INTAKE_DRAINER = process.env.BENCH_INTAKE_DRAINER === 'api' ? 'api' : 'worker';
const WARMUP_ORDERS = 10;
const SHOPIFY_APP = { apiKey: 'bench-shopify-key', apiSecret: 'bench-shopify-secret' };
const QBO_APP = { clientId: 'bench-qbo-client', clientSecret: 'bench-qbo-secret' };

const temporal = await startBenchTemporal('intake');
const server = temporal.server;
const dir = temporal.dir;
const bundlePath = temporal.bundlePath;
const platforms = await startEmulatedPlatforms({
  shopifyApp: SHOPIFY_APP,
  qboApp: QBO_APP,
  shopName: 'Bench Shop',
  // Both platforms' limits lifted: the worker books as fast as it can, so it is as busy as it gets.
  shopifyBucket: { maximumAvailable: 1e9, restoreRate: 1e9 },
});
platforms.qbo.control.authorizeAs(platforms.realmId);
const children: LedgerbridgeChild[] = [];
let database: { url: string; drop(): Promise<void> } | null = null;

try {
  database = process.env.BENCH_INTAKE_DATABASE === 'pglite' ? null : await createBenchDatabase('ledgerbridge_intake_bench');
  const databaseUrl = database?.url ?? null;
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
    timeWebhooks: true,
    ...(databaseUrl ? { intakeDrainer: INTAKE_DRAINER } : {}),
  };
  const api = await startLedgerbridgeChild(base, { stderr: (line) => process.stderr.write(line) });
  children.push(api);
  if (databaseUrl) children.push(await startLedgerbridgeChild({ ...base, runWorker: true, runApi: false }, { stderr: (line) => process.stderr.write(line), nice: WORKER_NICE }));

  // Warm-up, not measured: a process that has just started is still compiling the workflow bundle and its code paths.
  let orderNumber = 100_000;
  const warmup = Array.from({ length: WARMUP_ORDERS }, () =>
    platforms.shopify.control.createOrder({ name: `#${++orderNumber}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }),
  );
  await sendOpenLoop({ origin: api.origin, apiSecret: SHOPIFY_APP.apiSecret, shop: platforms.shop, orders: warmup, ratePerSecond: 5, timeoutMs: DELIVERY_TIMEOUT_MS });
  await waitFor(async () => receiptCounts().size >= WARMUP_ORDERS);
  await apiTimings(api.origin);
  const results = [];
  for (const rate of RATES) {
    const count = Math.round(rate * SECONDS);
    const orders = Array.from({ length: count }, () =>
      platforms.shopify.control.createOrder({ name: `#${++orderNumber}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }),
    );
    const result = { rate, ...(await openLoop(api.origin, orders, rate)) };
    results.push(result);
    console.error(`[bench] ${rate}/s: ${result.sent} sent, answered p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms from due, ${result.errors} errors`);
  }
  const lastSent = performance.now();
  const totalOrders = WARMUP_ORDERS + results.reduce((sum, r) => sum + r.sent, 0);

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

  const top = results.find((r) => r.rate === Math.max(...RATES))!;
  const shape = databaseUrl ? 'API and worker as separate processes, PostgreSQL' : 'API and worker in one process, PGlite';
  report(
    'webhook-intake-latency',
    args.size,
    [
      {
        name: `webhook acknowledgement p50 / p99 at ${top.rate} deliveries/s`,
        shown: `${ms(top.p50)} / ${ms(top.p99)}`,
        target: `p99 ≤ ${TARGET_P99_MS} ms`,
        pass: top.p99 <= TARGET_P99_MS,
        note: `open loop, from when each was due to when the API wrote its answer (the sender's lateness in sending, p99 ${ms(top.sendLag.p99)}, counts), ${top.sent} deliveries over ${SECONDS} s, ${shape}, worker booking meanwhile${WORKER_NICE && databaseUrl ? ` at nice ${WORKER_NICE}` : ''}${databaseUrl ? `, syncs started by the ${INTAKE_DRAINER}` : ''}`,
      },
      { name: 'deliveries not answered 200', shown: String(results.reduce((n, r) => n + r.errors, 0)), target: '= 0', pass: results.every((r) => r.errors === 0) },
      { name: 'orders not booked, or booked twice', shown: `${missing} / ${duplicates}`, target: '= 0 / 0', pass: missing === 0 && duplicates === 0 },
    ],
    [
      ...results.map((r) => ({
        name: `${r.rate}/s: answered p50 / p99 / max from due`,
        shown: `${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}; p99 = ${(r.p99 / SHOPIFY_TIMEOUT_MS).toFixed(3)} of Shopify's 5 s`,
      })),
      // The bench's sender shares the machine: how late it sent (counted above) and how late it read the answers
      // (not counted above; counted in the sender's own view below).
      ...results.map((r) => ({
        name: `${r.rate}/s: sender late to send p50 / p99 / max; to read the answer p50 / p99`,
        shown: `${ms(r.sendLag.p50)} / ${ms(r.sendLag.p99)} / ${ms(r.sendLag.max)}; ${ms(r.readLag.p50)} / ${ms(r.readLag.p99)}`,
      })),
      ...results.map((r) => ({
        name: `${r.rate}/s: as the sender saw it, from due p50 / p99; from its send p50 / p99`,
        shown: `${ms(r.client.p50)} / ${ms(r.client.p99)}; ${ms(r.fromSend.p50)} / ${ms(r.fromSend.p99)}`,
      })),
      ...results.map((r) => ({
        name: `${r.rate}/s in the API: due → read p50 / p99; read → answered p50 / p99`,
        shown: `${ms(r.arrival.p50)} / ${ms(r.arrival.p99)}; ${ms(r.server.p50)} / ${ms(r.server.p99)}`,
      })),
      { name: 'intake drained to zero after the last delivery', shown: `${drainedSeconds.toFixed(1)} s` },
      { name: 'orders booked after the last delivery', shown: `${counts.size} / ${totalOrders} in ${bookedSeconds.toFixed(1)} s (${(totalOrders / bookedSeconds).toFixed(1)} orders/s)` },
    ],
  );
} finally {
  for (const child of children) await child.stop();
  await platforms.close();
  await database?.drop();
  await temporal.close();
}

/**
 * One delivery per order at `rate`/s on schedule, from the sender thread. Each delivery's acknowledgement runs from
 * when it was due to when the API wrote its answer (the API's clock, as Shopify would wait for it); a delivery the API
 * did not answer counts with the time the sender gave up on it.
 */
async function openLoop(origin: string, orders: { id: string; name: string; updatedAt: string }[], rate: number) {
  const sent = await sendOpenLoop({ origin, apiSecret: SHOPIFY_APP.apiSecret, shop: platforms.shop, orders, ratePerSecond: rate, timeoutMs: DELIVERY_TIMEOUT_MS });
  const api = await apiTimings(origin);
  const answeredAt = new Map(api.index.map((index, i) => [index, api.answeredMs[i]!]));
  const acknowledged = sent.latenciesMs.map((latency, i) => answeredAt.get(i) ?? latency);
  const readLags = sent.latenciesMs.flatMap((latency, i) => (answeredAt.has(i) ? [latency - answeredAt.get(i)!] : []));
  const ack = summary(acknowledged);
  return {
    sent: orders.length,
    ...ack,
    errors: sent.errors,
    client: summary(sent.latenciesMs),
    fromSend: summary(sent.latenciesMs.map((latency, i) => latency - sent.sendLagsMs[i]!)),
    sendLag: summary(sent.sendLagsMs),
    readLag: summary(readLags),
    arrival: summary(api.arrivalMs),
    server: summary(api.serverMs),
  };
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
}

/**
 * The API's own view of the deliveries since the last call (GET /bench/webhook-timings): per delivery, its place in
 * the schedule, how long after it was due it reached the API (the sender, the network and the API's accept queue: on
 * a loaded machine, waiting for a CPU), how long the API took to answer once it read it (HMAC, parse, the intake
 * write), and from due to the answer written.
 */
async function apiTimings(origin: string) {
  return (await (await fetch(`${origin}/bench/webhook-timings`)).json()) as { index: number[]; arrivalMs: number[]; serverMs: number[]; answeredMs: number[] };
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

