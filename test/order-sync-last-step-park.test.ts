import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { DeactivateBeforeWrite } from './support/deactivate-before-write.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';

describe('order sync: parked at the last step', () => {
  let harness: SyncHarness;
  const ledger = new DeactivateBeforeWrite();
  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget: ledger.decorate });
    ledger.harness = harness;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refused by the ledger at the receipt, then fixed in the ledger and retried: the lines are mapped again and the shop edit made meanwhile is booked', async () => {
    const oldItem = harness.qbo.control.addItem(harness.realmId, { name: 'Fresh Mug', sku: 'FRESH-1', type: 'NonInventory', unitPrice: 8 });
    const order = harness.shopify.control.createOrder({ name: '#4401', lineItems: [{ title: 'Fresh Mug', sku: 'FRESH-1', quantity: 1, unitPrice: '8.00' }] });
    ledger.arm('4401', 'Item', String(oldItem.Id));
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    const parked = await eventually(async () => {
      const status = await handle.query(orderSyncStatusQuery);
      return status.state === 'waiting_for_fix' && (await harness.orderRow(order.id))?.status === 'failed' ? status : undefined;
    }, 'the receipt to be refused');
    expect(parked.lastError?.code).toBe('LedgerRejected');
    expect(parked.lastError?.message).toContain('Fresh Mug');

    // Meanwhile: the bookkeeper replaces the item in the ledger, the customer adds two mugs in the shop.
    const newItem = harness.qbo.control.addItem(harness.realmId, { name: 'Fresh Mug 2', sku: 'FRESH-1', type: 'NonInventory', unitPrice: 8 });
    harness.shopify.control.updateOrder(order.id, { lineItems: [{ title: 'Fresh Mug', sku: 'FRESH-1', quantity: 3, unitPrice: '8.00' }] });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/retry`)).status).toBeLessThan(300);

    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    const receipts = harness.salesReceipts().filter((r) => r.docNumber === '4401');
    expect(receipts).toHaveLength(1);
    const receipt = receipts[0]!.record as any;
    const line = receipt.Line.find((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(line.SalesItemLineDetail.ItemRef.value).toBe(String(newItem.Id));
    expect(Number(receipt.TotalAmt)).toBe(24);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 2, lastErrorCode: null });
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-receipt-refused-then-rebooked' }])).toEqual([]);
  });
});
