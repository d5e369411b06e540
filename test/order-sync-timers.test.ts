import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORDER_SYNC_TIMING, orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { DEFAULT_DIGEST_WINDOW_MS } from '../workflows/integration-health.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { timerDurationsMs } from './support/workflow-history.js';

/**
 * The workflow's waits, run with durations the test sets through the input: never waited for in real
 * time, never assumed. Activities hand throttling to the workflow at once here (patience 0).
 */
describe('order sync: timers', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ throttlePatienceMs: 0 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const mugOrder = (name: string, sku = 'MUG-1') => harness.shopify.control.createOrder({ name, lineItems: [{ title: 'Mug', sku, quantity: 1, unitPrice: '8.00' }] });

  it('an order waiting for a fix re-checks by itself after the waiting re-check (6 hours by default)', async () => {
    const order = mugOrder('#4201', 'RECHECK-1');
    const { workflowId } = await harness.startTimedSync(order.id, { recheckWaitingMs: 400 });
    const handle = harness.handle(workflowId);
    // No signal is sent: only the timer brings it back to try again.
    await eventually(async () => ((await harness.orderRow(order.id))?.attempts ?? 0) >= 3, 'the parked order to re-check twice by itself');
    expect((await handle.query(orderSyncStatusQuery)).lastError?.code).toBe('SkuNotFound');
    expect(await timerDurationsMs(handle)).toContain(400);
    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/RECHECK-1`, { ledgerItemId: harness.ledgerId('Item', 'Mug') });
    expect(saved.status).toBe(200);
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
  });

  it('an order that failed on an outage re-checks by itself after the failed re-check (15 minutes by default) and books', async () => {
    const order = mugOrder('#4202');
    harness.qbo.control.injectFaults({ failNext: 10_000, failStatus: 503 });
    const { workflowId } = await harness.startTimedSync(order.id, { platformRetryInitialMs: 10, recheckFailedMs: 700 });
    const handle = harness.handle(workflowId);
    await eventually(async () => (await harness.orderRow(order.id))?.status === 'failed', 'the order to show Failed after its attempts', 90_000);
    expect(await harness.orderRow(order.id)).toMatchObject({ waitingFor: 'retry', lastErrorCode: 'PlatformUnavailable' });
    harness.qbo.control.clearFaults();
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    expect(await timerDurationsMs(handle)).toContain(700);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
  });

  it('a throttle that outlasts the step waits the throttle pause (1 minute by default) and never shows as a failure', async () => {
    const order = mugOrder('#4203');
    harness.qbo.control.throttleNext(3);
    harness.shopify.control.setBucket({ currentlyAvailable: 0 });
    const { workflowId } = await harness.startTimedSync(order.id, { throttleWaitMs: 250 });
    const handle = harness.handle(workflowId);
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    const waits = (await timerDurationsMs(handle)).filter((ms) => ms === 250);
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect((await handle.query(orderSyncStatusQuery)).attempts).toBe(1);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 1, lastErrorCode: null });
  });

  it('the default timings are the ones the README tells operators', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const said = (pattern: RegExp) => {
      const match = readme.match(pattern);
      expect(match, `README should say ${pattern}`).toBeTruthy();
      const [, amount, unit] = match!;
      return Number(amount) * (unit!.startsWith('hour') ? 3_600_000 : 60_000);
    };
    expect(DEFAULT_ORDER_SYNC_TIMING.recheckWaitingMs).toBe(said(/waiting orders every \*\*(\d+) (hours?)\*\*/));
    expect(DEFAULT_ORDER_SYNC_TIMING.recheckFailedMs).toBe(said(/failed ones every \*\*(\d+) (minutes?)\*\*/));
    expect(DEFAULT_ORDER_SYNC_TIMING.throttleWaitMs).toBe(said(/pauses the order \*\*(\d+) (minutes?)\*\*/));
    expect(DEFAULT_DIGEST_WINDOW_MS).toBe(said(/more orders are waiting"\) after (\d+) (minutes?)/));
  });
});
