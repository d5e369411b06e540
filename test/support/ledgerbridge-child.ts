import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ChildConfig } from './ledgerbridge-process.js';

const script = fileURLToPath(new URL('./ledgerbridge-process.ts', import.meta.url));

/** A ledgerbridge process started by a test or the bench (test/support/ledgerbridge-process.ts). */
export interface LedgerbridgeChild {
  origin: string;
  process: ChildProcess;
  /** SIGKILL: no shutdown hook runs, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not gone within a few seconds. */
  stop(): Promise<void>;
}

export async function startLedgerbridgeChild(config: ChildConfig, options: { stderr?: (line: string) => void; nice?: number } = {}): Promise<LedgerbridgeChild> {
  // Benches: BENCH_API_CPU_PROF_DIR=<dir> writes a CPU profile of each API process there when it stops.
  const profileDir = config.runApi === false ? undefined : process.env.BENCH_API_CPU_PROF_DIR;
  const nodeArgs = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', script];
  // `nice` before node starts, so every thread of the process (V8, libuv, the Temporal core's) runs at that priority.
  const [command, args] = options.nice ? ['nice', ['-n', String(options.nice), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    env: { ...process.env, LEDGERBRIDGE_PROCESS: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.stderr?.(chunk.toString());
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /READY (\S+)/.exec(stdout);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ledgerbridge process exited (${code}) before it was ready:\n${stderr.slice(-4000)}`)));
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    origin,
    process: child,
    kill: () => signal('SIGKILL'),
    stop: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

/** A Shopify webhook delivery as Shopify sends it, signed with the app secret. */
export function signedDelivery(
  origin: string,
  apiSecret: string,
  delivery: { body: string; topic: string; shop: string; eventId: string },
  init: { signal?: AbortSignal; dispatcher?: unknown } = {},
): Promise<Response> {
  const request = signedDeliveryRequest(origin, apiSecret, delivery);
  return fetch(request.url, { ...request.init, ...(init as RequestInit) });
}

/**
 * The request of a signed delivery, ready to send: benches sign every delivery before the clock starts, so the
 * signing is not counted as lateness. `due`: when it is due (ms since the epoch) and its place in the schedule, so
 * the API can tell how late it reached it.
 */
export function signedDeliveryRequest(
  origin: string,
  apiSecret: string,
  delivery: { body: string; topic: string; shop: string; eventId: string },
  due?: { epochMs: number; index: number },
): { url: string; init: { method: 'POST'; headers: Record<string, string>; body: string } } {
  return {
    url: `${origin}/webhooks/shopify`,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': delivery.topic,
        'x-shopify-shop-domain': delivery.shop,
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': delivery.eventId,
        'x-shopify-api-version': '2026-01',
        'x-shopify-hmac-sha256': createHmac('sha256', apiSecret).update(delivery.body, 'utf8').digest('base64'),
        ...(due ? { 'x-bench-due-ms': String(due.epochMs), 'x-bench-index': String(due.index) } : {}),
      },
      body: delivery.body,
    },
  };
}

/** The orders/create payload of an order, as much of it as ledgerbridge reads (the id as a bare JSON number). */
export function orderCreatedBody(order: { id: string; name: string; updatedAt: string }, total: string): string {
  return `{"id": ${order.id}, "name": ${JSON.stringify(order.name)}, "admin_graphql_api_id": "gid://shopify/Order/${order.id}", "updated_at": ${JSON.stringify(order.updatedAt)}, "total_price": "${total}"}`;
}
