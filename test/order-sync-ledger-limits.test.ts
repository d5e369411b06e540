import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { orderSyncs } from '../db/schema.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { SyncHarness } from './support/sync-harness.js';

/** QuickBooks Online's real limits (10 requests a second, 500 a minute per company), not a harness's generous ones. */
describe("order sync: a burst at the ledger's real limits", () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qboRateLimits: { perSecond: 10, perMinute: 500 } });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('40 orders at once: every one is booked once, none ever shown Failed or counted as more than one attempt', async () => {
    const orders = Array.from({ length: 40 }, (_, i) =>
      harness.shopify.control.createOrder({ name: `#47${String(i).padStart(2, '0')}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1 + (i % 3), unitPrice: '8.00' }] }),
    );
    const started = await Promise.all(orders.map((order) => harness.startSync(order.id)));
    const results = (await Promise.all(started.map(({ workflowId }) => harness.handle(workflowId).result()))) as OrderSyncResult[];
    expect(results.map((r) => r.outcome)).toEqual(Array(40).fill('created'));
    const docNumbers = harness.salesReceipts().map((r) => r.docNumber);
    expect(new Set(docNumbers).size).toBe(docNumbers.length);
    expect(docNumbers).toHaveLength(40);
    const rows = await harness.db.select().from(orderSyncs).where(eq(orderSyncs.routeId, harness.routeId));
    expect(rows.map((r) => [r.status, r.attempts, r.lastErrorCode])).toEqual(Array(40).fill(['synced', 1, null]));
  }, 300_000);
});
