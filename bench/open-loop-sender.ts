// Worker thread of the webhook benches: sends signed Shopify deliveries on a fixed schedule, whatever the answers
// (open loop), from an event loop of its own, so the emulators and the worker the parent process runs cannot delay
// a send. Latency runs from when each delivery was due: a late send counts against the system under test.
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { orderCreatedBody, signedDelivery } from '../test/support/ledgerbridge-child.js';

export interface OpenLoopJob {
  origin: string;
  apiSecret: string;
  shop: string;
  orders: { id: string; name: string; updatedAt: string }[];
  ratePerSecond: number;
  timeoutMs: number;
}

export interface OpenLoopResult {
  /** Per delivery, in schedule order: ms from when it was due to its answer (or its failure). */
  latenciesMs: number[];
  errors: number;
  /** How late the sender itself started sends, at worst (its own lag, not the API's). */
  maxSendLagMs: number;
}

const job = workerData as OpenLoopJob;
const latenciesMs: number[] = new Array(job.orders.length);
let errors = 0;
let maxSendLagMs = 0;
const start = performance.now() + 50;
await Promise.all(
  job.orders.map(async (order, i) => {
    const due = start + (i * 1000) / job.ratePerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    try {
      const response = await signedDelivery(
        job.origin,
        job.apiSecret,
        { body: orderCreatedBody(order, '8.00'), topic: 'orders/create', shop: job.shop, eventId: randomUUID() },
        { signal: AbortSignal.timeout(job.timeoutMs), dueEpochMs: performance.timeOrigin + due },
      );
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
    } catch {
      errors++;
    }
    latenciesMs[i] = performance.now() - due;
  }),
);
parentPort!.postMessage({ latenciesMs, errors, maxSendLagMs } satisfies OpenLoopResult);
