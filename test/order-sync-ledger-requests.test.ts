import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taxMappings } from '../db/schema.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { SyncHarness } from './support/sync-harness.js';

// What an order spends of the company's 500 requests/minute: a returning customer's order only looks its
// number up and books; what the caches do not know is asked for once.
describe('order sync: ledger requests per order', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const sync = async (orderId: string) => {
    harness.qbo.control.clearRequestLog();
    const result: OrderSyncResult = await harness.handle((await harness.startSync(orderId)).workflowId).result();
    expect(result.outcome).toBe('created');
    return harness.qbo.control.requestLog().map((r) => `${r.method} ${r.url.split('?')[0]!.split('/').at(-1)}`);
  };

  it("a returning customer's order costs two requests: the number's lookup and the booking", async () => {
    const customer = harness.shopify.control.createCustomer({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    const first = harness.shopify.control.createOrder({ name: '#7001', customerId: customer.id, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    expect((await sync(first.id)).length).toBeGreaterThan(2);
    const again = harness.shopify.control.createOrder({ name: '#7002', customerId: customer.id, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
    expect(await sync(again.id)).toEqual(['POST query', 'POST salesreceipt']);
    expect(harness.salesReceipts().filter((r) => r.docNumber === '7002')).toHaveLength(1);
  });

  it('a SKU the cache does not know costs one lookup, and is known afterwards', async () => {
    const customer = harness.shopify.control.createCustomer({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    const order = harness.shopify.control.createOrder({ name: '#7003', customerId: customer.id, lineItems: [{ title: 'Red tee', sku: 'TS-RED-M', quantity: 1, unitPrice: '20.00' }] });
    expect(await sync(order.id)).toEqual(['POST query', 'POST query', 'POST salesreceipt']);
    const next = harness.shopify.control.createOrder({ name: '#7004', customerId: customer.id, lineItems: [{ title: 'Red tee', sku: 'TS-RED-M', quantity: 1, unitPrice: '20.00' }] });
    expect(await sync(next.id)).toEqual(['POST query', 'POST salesreceipt']);
  });

  it('a tax mapping to a code added to the ledger since the list was read refreshes the list', async () => {
    const added = harness.qbo.control.addTaxCode(harness.realmId, { name: 'Reduced', rates: [{ name: 'Reduced 5%', ratePercent: 5 }] });
    const order = harness.shopify.control.createOrder({
      name: '#7005',
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'Reduced', rate: 0.05, amount: '0.40' }] }],
    });
    await harness.db.insert(taxMappings).values({ routeId: harness.routeId, taxKey: 'Reduced@5', ledgerTaxCodeId: String(added.Id) });
    const requests = await sync(order.id);
    // The tax code list (codes and rates) was read again; the order booked with the new code.
    expect(requests.filter((r) => r === 'POST query').length).toBeGreaterThanOrEqual(3);
    const receipt = harness.salesReceipts().find((r) => r.docNumber === '7005')!;
    expect(JSON.stringify(receipt.record)).toContain(`"TaxCodeRef":{"value":"${String(added.Id)}"}`);
  });
});
