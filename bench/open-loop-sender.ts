// Worker thread of the webhook benches: sends signed Shopify deliveries on a fixed schedule, whatever the answers
// (open loop), from an event loop of its own, so the emulators and the worker the parent process runs cannot delay
// a send. Latency runs from when each delivery was due: a late send counts against the figure, and how late the
// sender itself was is reported beside it (every delivery is signed before the clock starts, so that lateness is the
// thread's own scheduling, not its work).
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { orderCreatedBody, signedDeliveryRequest } from '../test/support/ledgerbridge-child.js';

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
  /** Per delivery: ms from when it was due to when the sender handed it to the network (its own lag, not the API's). */
  sendLagsMs: number[];
  errors: number;
}

const job = workerData as OpenLoopJob;
const latenciesMs: number[] = new Array(job.orders.length);
const sendLagsMs: number[] = new Array(job.orders.length);
let errors = 0;
const start = performance.now() + 200;
const deliveries = job.orders.map((order, i) => {
  const due = start + (i * 1000) / job.ratePerSecond;
  const delivery = { body: orderCreatedBody(order, '8.00'), topic: 'orders/create', shop: job.shop, eventId: randomUUID() };
  return { due, request: signedDeliveryRequest(job.origin, job.apiSecret, delivery, { epochMs: performance.timeOrigin + due, index: i }) };
});
await Promise.all(
  deliveries.map(async ({ due, request }, i) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    sendLagsMs[i] = performance.now() - due;
    try {
      const response = await fetch(request.url, { ...request.init, signal: AbortSignal.timeout(job.timeoutMs) });
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
    } catch {
      errors++;
    }
    latenciesMs[i] = performance.now() - due;
  }),
);
parentPort!.postMessage({ latenciesMs, sendLagsMs, errors } satisfies OpenLoopResult);
