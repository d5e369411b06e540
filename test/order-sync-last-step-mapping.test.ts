import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { DeactivateBeforeWrite } from './support/deactivate-before-write.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/** A mapping saved while an order waits at its last step (the ledger refused the receipt) resumes it. */
describe('order sync: a mapping saved while the receipt is refused', () => {
  let harness: SyncHarness;
  const ledger = new DeactivateBeforeWrite();
  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget: ledger.decorate });
    ledger.harness = harness;
  });
  afterAll(async () => {
    await harness?.close();
  });

  const refusedAtReceipt = async (orderId: string) => {
    const { workflowId } = await harness.startSync(orderId);
    const handle = harness.handle(workflowId);
    const parked = await eventually(async () => {
      const status = await handle.query(orderSyncStatusQuery);
      const row = await harness.orderRow(orderId);
      return status.state === 'waiting_for_fix' && row?.lastErrorCode === 'LedgerRejected' ? { status, row } : undefined;
    }, 'the receipt to be refused');
    expect(parked.row.waitingOn).toMatch(/^ledger:/);
    return handle;
  };

  it('an item made inactive: mapping the SKU to another item resumes the order, booked once with the new item', async () => {
    const oldItem = harness.qbo.control.addItem(harness.realmId, { name: 'Old Vase', sku: 'VASE-1', type: 'NonInventory', unitPrice: 20 });
    const newItem = harness.qbo.control.addItem(harness.realmId, { name: 'Vase (2027)', sku: 'VASE-2027', type: 'NonInventory', unitPrice: 20 });
    const order = harness.shopify.control.createOrder({ name: '#4801', lineItems: [{ title: 'Vase', sku: 'VASE-1', quantity: 1, unitPrice: '20.00' }] });
    ledger.arm('4801', 'Item', String(oldItem.Id));
    const handle = await refusedAtReceipt(order.id);

    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/VASE-1`, { ledgerItemId: String(newItem.Id) });
    expect(saved.status).toBe(200);
    expect(saved.body.resumed).toBe(1);

    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    const receipts = harness.salesReceipts().filter((r) => r.docNumber === '4801');
    expect(receipts).toHaveLength(1);
    const line = (receipts[0]!.record as any).Line.find((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(line.SalesItemLineDetail.ItemRef.value).toBe(String(newItem.Id));
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 2, lastErrorCode: null });
  });

  it('a tax code made inactive: mapping the tax to another code resumes the order, booked once with the new code', async () => {
    const oldCode = harness.qbo.control.addTaxCode(harness.realmId, { name: 'NV Sales Tax (old)', rates: [{ name: 'NV State old', ratePercent: 6.85 }] });
    const newCode = harness.qbo.control.addTaxCode(harness.realmId, { name: 'NV Sales Tax', rates: [{ name: 'NV State', ratePercent: 6.85 }] });
    const taxKey = 'NV State Tax@6.85';
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/tax-mappings/${encodeURIComponent(taxKey)}`, { ledgerTaxCodeId: String(oldCode.Id) })).status).toBe(200);
    const order = harness.shopify.control.createOrder({
      name: '#4802',
      taxesIncluded: false,
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '10.00', taxLines: [{ title: 'NV State Tax', rate: 0.0685, amount: '1.37' }] }],
    });
    ledger.arm('4802', 'TaxCode', String(oldCode.Id));
    const handle = await refusedAtReceipt(order.id);

    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/tax-mappings/${encodeURIComponent(taxKey)}`, { ledgerTaxCodeId: String(newCode.Id) });
    expect(saved.status).toBe(200);
    expect(saved.body.resumed).toBe(1);

    expect((await handle.result()).outcome).toBe('created');
    const receipts = harness.salesReceipts().filter((r) => r.docNumber === '4802');
    expect(receipts).toHaveLength(1);
    const line = (receipts[0]!.record as any).Line.find((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(line.SalesItemLineDetail.TaxCodeRef.value).toBe(String(newCode.Id));
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 2, lastErrorCode: null });
  });

  it("a mapping of another SKU leaves orders waiting on their own mapping alone", async () => {
    const order = harness.shopify.control.createOrder({ name: '#4803', lineItems: [{ title: 'Kite', sku: 'KITE-UNMAPPED', quantity: 1, unitPrice: '5.00' }] });
    const { workflowId } = await harness.startSync(order.id);
    await eventually(async () => ((await harness.orderRow(order.id))?.waitingOn === 'sku:KITE-UNMAPPED' ? true : undefined), 'the order to wait on its SKU');
    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/OTHER-SKU`, { ledgerItemId: harness.ledgerId('Item', 'Mug') });
    expect(saved.body.resumed).toBe(0);
    expect((await harness.handle(workflowId).query(orderSyncStatusQuery)).attempts).toBe(1);
  });
});
