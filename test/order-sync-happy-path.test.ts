import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { orderSyncs } from '../db/schema.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';

describe('order sync: Shopify → QuickBooks Online', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('books a paid order as one sales receipt with lines, tax, discount, shipping and customer', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#1001',
      currency: 'GBP',
      taxesIncluded: false,
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', discount: '4.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '7.20' }] },
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.60' }] },
      ],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });

    const { workflowId } = await harness.startSync(order.id);
    const result: OrderSyncResult = await harness.handle(workflowId).result();

    expect(result.outcome).toBe('created');
    expect(result.message).toContain('#1001');
    const receipts = harness.salesReceipts();
    expect(receipts).toHaveLength(1);
    const receipt = receipts[0]!.record as Record<string, any>;
    expect(receipt.DocNumber).toBe('1001');
    const itemLines = receipt.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail' && l.SalesItemLineDetail.ItemRef.value !== 'SHIPPING_ITEM_ID');
    expect(itemLines.map((l: any) => [l.SalesItemLineDetail.Qty, l.Amount])).toEqual([
      // The discount comes off its line, so QuickBooks taxes what the shop taxed.
      [2, 36],
      [1, 8],
    ]);
    expect(receipt.Line.some((l: any) => l.DetailType === 'DiscountLineDetail')).toBe(false);
    expect(receipt.TotalAmt).toBe(57.3);
    expect(receipt.Line.some((l: any) => l.SalesItemLineDetail?.ItemRef?.value === 'SHIPPING_ITEM_ID' && l.Amount === 4.5)).toBe(true);
    const customers = harness.qbo.control.documents(harness.realmId, 'Customer');
    expect(customers.map((c) => (c.record as any).DisplayName)).toEqual(['Ada Lovelace']);

    const [row] = await harness.db.select().from(orderSyncs).where(eq(orderSyncs.orderId, order.id));
    expect(row).toMatchObject({ status: 'synced', orderName: '#1001', ledgerDocNumber: '1001', attempts: 1, lastErrorCode: null });
    expect(row!.ledgerDocumentId).toBe(result.ledgerDocument!.id);

    const status = await harness.handle(workflowId).query(orderSyncStatusQuery);
    expect(status.state).toBe('synced');
  });

  it('a re-run started by hand later writes nothing new and says so', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#1002',
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '8.00' }],
    });
    const first = await harness.handle((await harness.startSync(order.id)).workflowId).result();
    expect(first.outcome).toBe('created');
    const again: OrderSyncResult = await harness.handle((await harness.startSync(order.id)).workflowId).result();
    expect(again.outcome).toBe('already_synced');
    expect(again.message).toMatch(/already in QuickBooks Online #1.*nothing new was written/);
    expect(again.ledgerDocument).toEqual(first.ledgerDocument);
    expect(harness.salesReceipts().filter((r) => (r.record as any).DocNumber === '1002')).toHaveLength(1);
  });

  it('the histories of these syncs replay deterministically', async () => {
    const rows = await harness.db.select().from(orderSyncs).where(eq(orderSyncs.routeId, harness.routeId));
    const names: Record<string, string> = { '#1001': 'order-sync-created', '#1002': 'order-sync-already-synced' };
    const runs = rows.map((r) => ({ workflowId: orderSyncWorkflowId(harness.routeId, r.orderId), fixtureName: names[r.orderName!]! }));
    expect(runs).toHaveLength(2);
    expect(await replayErrors(harness.client, runs)).toEqual([]);
  });
});
