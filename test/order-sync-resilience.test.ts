import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '@temporalio/activity';
import { and, eq } from 'drizzle-orm';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { orderSyncs, webhookEvents } from '../db/schema.js';
import type { RequestIdMode } from '../emulators/qbo/options.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/** Holds the ledger write's activity after the write, so the test can take the worker down at that moment. */
class WriteThenHang {
  armed = false;
  written = false;
  decorate = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookSale') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<AccountingTarget['bookSale']>) => {
          const created = await object.bookSale(...args);
          if (this.armed) {
            this.written = true;
            // Never completes: only the worker going away ends this attempt.
            await Context.current().cancelled;
          }
          return created;
        };
      },
    });
}

/**
 * What QuickBooks does with a repeated requestid, and whether the company lets a document number be used
 * twice, are not confirmed (emulators/qbo/FIDELITY-limits.md): no order may be booked twice under any of them.
 */
const LEDGER_VARIANTS: { requestIdMode: RequestIdMode; duplicateDocNumbersAllowed: boolean }[] = [
  { requestIdMode: 'replay-all', duplicateDocNumbersAllowed: false },
  { requestIdMode: 'replay-success', duplicateDocNumbersAllowed: false },
  { requestIdMode: 'ignore', duplicateDocNumbersAllowed: false },
  { requestIdMode: 'replay-all', duplicateDocNumbersAllowed: true },
  { requestIdMode: 'ignore', duplicateDocNumbersAllowed: true },
];

describe.each(LEDGER_VARIANTS)('order sync: duplicates, throttling and crashes (requestid $requestIdMode, duplicate numbers allowed: $duplicateDocNumbersAllowed)', (variant) => {
  let harness: SyncHarness;
  const hang = new WriteThenHang();
  beforeAll(async () => {
    harness = await SyncHarness.start({
      decorateTarget: hang.decorate,
      qboRequestIdMode: variant.requestIdMode,
      qboDuplicateDocNumbersAllowed: variant.duplicateDocNumbersAllowed,
      // Short waits the tests set, so five variants do not spend minutes idle: a 429 without Retry-After is waited
      // out for 100 ms (not the harness's 1 s), and a failed platform call is retried after 100 ms, 200 ms, 400 ms…
      // (not 1 s, 2 s, 4 s…). The same throttles, faults and retries happen; only the pauses between them are shorter.
      qboDefaultRetryAfterMs: 100,
      orderSyncTiming: { platformRetryInitialMs: 100 },
    });
    // Five harnesses in one file: on a busy machine one start can take longer than the default hook timeout.
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('the same orders/create webhook delivered three times books one sales receipt', async () => {
    const order = harness.shopify.control.createOrder({ name: '#3001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const event = await eventually(
      async () => harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_CREATE' && e.body.includes(order.id)),
      'the orders/create event',
    );
    harness.shopify.control.redeliverWebhook(event.eventId, { times: 2 });
    await harness.shopify.control.webhooksIdle();

    const deliveries = harness.shopify.control.webhookDeliveries({ eventId: event.eventId });
    expect(deliveries.length).toBe(3);
    expect(deliveries.every((d) => d.state === 'delivered' && d.attempts.at(-1)?.status === 200)).toBe(true);
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '3001')).toHaveLength(1);
    const recorded = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.eventId));
    expect(recorded).toHaveLength(1);
  });

  it('a 429 storm at the ledger and a drained Shopify bucket end in one receipt and no failure', async () => {
    const order = harness.shopify.control.createOrder({ name: '#3002', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
    harness.shopify.control.setBucket({ currentlyAvailable: 0 });
    harness.qbo.control.throttleNext(5);
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    const throttled = harness.qbo.control.requestLog().filter((r) => r.outcome === 'throttled');
    expect(throttled.length).toBeGreaterThanOrEqual(5);
    expect(harness.salesReceipts().filter((r) => r.docNumber === '3002')).toHaveLength(1);
    const [row] = await harness.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, harness.routeId), eq(orderSyncs.orderId, order.id)));
    // Never parked, never shown as failed: one attempt, no error recorded.
    expect(row).toMatchObject({ status: 'synced', attempts: 1, lastErrorCode: null });
  });

  it('503s and answers lost after the write are retried with backoff and book one receipt', async () => {
    const order = harness.shopify.control.createOrder({ name: '#3004', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    // The first calls fail outright, the next ones are carried out but their answers never arrive.
    harness.qbo.control.injectFaults({ failNext: 1, failStatus: 503, dropNext: 2 });
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    const outcomes = harness.qbo.control.requestLog().map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'fault-injected')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'dropped')).toHaveLength(2);
    expect(harness.salesReceipts().filter((r) => r.docNumber === '3004')).toHaveLength(1);
    const [row] = await harness.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, harness.routeId), eq(orderSyncs.orderId, order.id)));
    expect(row).toMatchObject({ status: 'synced', attempts: 1 });
  });

  it('a retry after the bookkeeper fixed the ledger is not answered with the old fault, and books once', async () => {
    const mug = harness.ledgerId('Item', 'Mug');
    harness.qbo.control.setItemActive(harness.realmId, mug, false);
    const order = harness.shopify.control.createOrder({ name: '#3006', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const failed = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.lastErrorCode === 'LedgerRejected' ? row : undefined;
    }, 'the ledger to refuse the inactive item');
    expect(failed.lastErrorMessage).toContain("the item 'Mug' is inactive");
    harness.qbo.control.setItemActive(harness.realmId, mug, true);
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/retry`)).status).toBe(202);
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '3006')).toHaveLength(1);
  });

  it('20 order syncs that all need a fresh ledger token at once cause exactly one refresh', async () => {
    // The saved access token is about to expire: every sync wants a refresh before its first call.
    const { credentials } = await harness.credentials.load(harness.qboIntegrationId);
    await harness.credentials.save(harness.qboIntegrationId, { ...credentials!, accessTokenExpiresAt: new Date(Date.now() + 1_000).toISOString() });
    const refreshesBefore = harness.qbo.control.refreshCount(harness.realmId);
    const orders = Array.from({ length: 20 }, (_, i) =>
      harness.shopify.control.createOrder({ name: `#35${String(i).padStart(2, '0')}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }),
    );
    const results = await Promise.all(orders.map((order) => harness.syncResultOf(order.id)));
    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    expect(harness.qbo.control.refreshCount(harness.realmId) - refreshesBefore).toBe(1);
    expect(new Set(harness.salesReceipts().map((r) => r.docNumber)).size).toBe(harness.salesReceipts().length);
  });

  it('a worker killed between the ledger write and the activity completing still leaves exactly one receipt', async () => {
    hang.armed = true;
    const order = harness.shopify.control.createOrder({ name: '#3003', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    await eventually(async () => hang.written, 'the ledger write to happen');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '3003')).toHaveLength(1);

    await harness.stopWorker();
    hang.armed = false;
    await harness.startWorker();

    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '3003')).toHaveLength(1);
  });
});
