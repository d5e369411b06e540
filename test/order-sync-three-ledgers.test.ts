import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * One shop, three routes from it: QuickBooks Online #1, Xero #1 and QuickBooks Desktop #1 (through the Web Connector
 * emulator polling the API). One order, its webhook delivered three times: one document in each ledger.
 */
describe('order sync: one Shopify order into QuickBooks Online, Xero and QuickBooks Desktop', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({
      alsoRouteTo: ['xero', 'qbd'],
      qbd: {
        company: {
          companyName: 'Test Shop LLC',
          companyFilePath: 'C:\\Company\\test.qbw',
          // A US company (dollars) that books the shop's pounds: Multiple Currencies on (off, the order would wait).
          multiCurrencyOn: true,
          items: [
            { name: 'MUG-1', price: '8.00', description: 'Mug' },
            { name: 'Shipping', price: '0.00' },
          ],
        },
        requestWaitMs: 3_000,
        pollIntervalMs: 100,
        noOpDelayMs: 100,
      },
    });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('the order, its webhook delivered three times, is one document at the shop total in each ledger, and Synced on each route', async () => {
    const routes = { qbo: harness.routeId, xero: harness.extraRouteIds.xero!, qbd: harness.extraRouteIds.qbd! };
    const order = harness.shopify.control.createOrder({
      name: '#5001',
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });
    const event = await eventually(
      async () => harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_CREATE' && e.body.includes(order.id)),
      'the orders/create event',
    );
    harness.shopify.control.redeliverWebhook(event.eventId, { times: 2 });
    await harness.shopify.control.webhooksIdle();

    const results = await Promise.all(Object.values(routes).map((routeId) => harness.syncResultOf(order.id, routeId)));
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);

    const receipts = harness.salesReceipts().filter((r) => r.docNumber === '5001');
    expect(receipts).toHaveLength(1);
    expect(Number((receipts[0]!.record as { TotalAmt: unknown }).TotalAmt)).toBe(20.5);

    const invoices = harness.xeroInvoices().filter((invoice) => invoice.InvoiceNumber === '5001');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ Total: 20.5, Status: 'PAID' });
    expect(harness.xeroPayments().filter((p) => (p.Invoice as { InvoiceID?: unknown })?.InvoiceID === invoices[0]!.InvoiceID)).toHaveLength(1);

    const desktopReceipts = harness.qbd!.company.company.salesReceipts.filter((r) => r.refNumber === '5001');
    expect(desktopReceipts).toHaveLength(1);
    expect(desktopReceipts[0]).toMatchObject({ totalAmount: '20.50' });

    for (const routeId of Object.values(routes)) {
      expect(await harness.orderRow(order.id, routeId)).toMatchObject({ status: 'synced', ledgerDocNumber: '5001' });
    }
  });
});
