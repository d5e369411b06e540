import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * The document a sale becomes in Xero is the route's choice (`ledgerOptions.saleDocument`), the deployment's
 * XERO_SALE_DOCUMENT its default: two routes of one shop into one organisation book each order their own way.
 */
/** What a route into Xero books with for the currency options it leaves alone (README › Currencies). */
/** The route's other options at their defaults: currencies as the shop books them, no payout accounts chosen. */
const OTHER_DEFAULTS = { saleCurrency: 'shop', foreignCurrency: 'park', clearingAccount: '', payoutBankAccount: '', payoutFeeAccount: '', payoutAdjustmentAccount: '' };

describe('order sync: two routes into one Xero organisation, one per document kind', () => {
  let harness: SyncHarness;
  let receivingRouteId: string;
  let firstOrderId: string;
  beforeAll(async () => {
    // The deployment's default (no XERO_SALE_DOCUMENT): an invoice and its payment.
    harness = await SyncHarness.start({ ledger: 'xero' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const tenant = () => harness.xero.tenantId;
  const invoicesNumbered = (number: string) => harness.xeroInvoices().filter((invoice) => invoice.InvoiceNumber === number);
  const received = (number: string) =>
    harness.xero.emulator.control.bankTransactions(tenant()).filter((transaction) => String(transaction.Reference).startsWith(`${number} `));
  const paid = (invoice: Record<string, unknown>) => harness.xeroPayments().filter((payment) => (payment.Invoice as { InvoiceID?: unknown })?.InvoiceID === invoice.InvoiceID);
  const mugOrder = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      taxesIncluded: false,
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '3.20' }] }],
    });
  const newRoute = (ledgerOptions: Record<string, string>) => ({
    sourceIntegrationId: harness.shopifyIntegrationId,
    targetIntegrationId: harness.xeroIntegrationId,
    documentNumberPrefix: 'R-',
    ledgerOptions,
  });

  it('a value Xero does not offer is a 400 naming the allowed values; an unknown option names the ones it takes', async () => {
    const wrongValue = await harness.operator('POST', '/routes', newRoute({ saleDocument: 'bill' }));
    expect(wrongValue.status).toBe(400);
    expect(wrongValue.body.error.message).toContain('"invoice-and-payment", "receive-money"');
    expect(wrongValue.body.error.message).toContain('Xero #1');

    const unknown = await harness.operator('POST', '/routes', newRoute({ paperSize: 'A4' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/no option "paperSize".*"saleDocument"/);

    const onExisting = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { saleDocument: 'credit-note' } });
    expect(onExisting.status).toBe(400);
    expect(onExisting.body.error.message).toContain('"invoice-and-payment", "receive-money"');

    // Nothing was created or changed by the refusals: the route reads the deployment's default.
    const { body } = await harness.operator('GET', '/routes');
    expect(body.routes.map((route: { id: string; ledgerOptions: unknown }) => [route.id, route.ledgerOptions])).toEqual([
      [harness.routeId, { saleDocument: 'invoice-and-payment', ...OTHER_DEFAULTS }],
    ]);
  });

  it('each order is booked once in each route, as its route says: an invoice with its payment, and money received', async () => {
    const created = await harness.operator('POST', '/routes', newRoute({ saleDocument: 'receive-money' }));
    expect(created.status).toBe(201);
    expect(created.body.ledgerOptions).toEqual({ saleDocument: 'receive-money', ...OTHER_DEFAULTS });
    receivingRouteId = created.body.id;

    const order = mugOrder('#3001');
    firstOrderId = order.id;
    const [byInvoice, byReceipt] = await Promise.all([harness.syncResultOf(order.id), harness.syncResultOf(order.id, receivingRouteId)]);
    expect(byInvoice).toMatchObject({ outcome: 'created', message: expect.stringMatching(/as invoice 3001 /) });
    expect(byReceipt).toMatchObject({ outcome: 'created', message: expect.stringMatching(/as receive-money transaction R-3001 /) });

    expect(invoicesNumbered('3001')).toHaveLength(1);
    expect(invoicesNumbered('3001')[0]).toMatchObject({ Total: 19.2, Status: 'PAID' });
    expect(paid(invoicesNumbered('3001')[0]!).map((payment) => payment.Amount)).toEqual([19.2]);
    expect(received('R-3001')).toHaveLength(1);
    expect(received('R-3001')[0]).toMatchObject({ Type: 'RECEIVE', Total: 19.2 });
    // Neither route booked the other's kind.
    expect(invoicesNumbered('R-3001')).toHaveLength(0);
    expect(received('3001')).toHaveLength(0);

    // Run again, each finds its own document and writes nothing.
    for (const routeId of [harness.routeId, receivingRouteId]) {
      const again = (await harness.handle((await harness.startSync(order.id, routeId)).workflowId).result()) as OrderSyncResult;
      expect(again.outcome).toBe('already_synced');
    }
    expect(invoicesNumbered('3001')).toHaveLength(1);
    expect(received('R-3001')).toHaveLength(1);
    expect(await harness.orderRow(order.id, receivingRouteId)).toMatchObject({ status: 'synced', ledgerDocNumber: 'R-3001' });
  });

  it('switching a route to money received books new orders that way; an order booked as an invoice before is not booked again', async () => {
    const switched = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { saleDocument: 'receive-money' } });
    expect(switched.status).toBe(200);
    expect(switched.body.ledgerOptions).toEqual({ saleDocument: 'receive-money', ...OTHER_DEFAULTS });

    const again = (await harness.handle((await harness.startSync(firstOrderId)).workflowId).result()) as OrderSyncResult;
    expect(again.outcome).toBe('already_synced');
    expect(received('3001')).toHaveLength(0);
    expect(invoicesNumbered('3001')).toHaveLength(1);

    const next = mugOrder('#3002');
    const [mainResult, otherResult] = await Promise.all([harness.syncResultOf(next.id), harness.syncResultOf(next.id, receivingRouteId)]);
    expect(mainResult.outcome).toBe('created');
    expect(otherResult.outcome).toBe('created');
    expect(received('3002')).toHaveLength(1);
    expect(invoicesNumbered('3002')).toHaveLength(0);
    expect(received('R-3002')).toHaveLength(1);

    // null hands the choice back to the deployment's default.
    const reset = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { saleDocument: null } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.ledgerOptions).toEqual({ saleDocument: 'invoice-and-payment', ...OTHER_DEFAULTS });
  });
});
