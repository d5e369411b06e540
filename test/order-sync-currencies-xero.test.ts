import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Orders in other currencies into a Xero organisation (GBP base): a currency must be set up in the organisation
 * (GET /Currencies) before a document can be in it; the rate goes on the invoice and its payment as Xero counts it
 * (units of the invoice's currency per pound); a contact takes any currency, so a customer paying in a second one
 * stays one contact; and Xero keeps two decimals whatever the currency, so dinars to the fils are refused up front.
 */
describe('order sync: currencies into Xero (GBP base)', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const xero = () => harness.xero.emulator.control;
  const invoiceOf = (number: string) => {
    const found = harness.xeroInvoices().filter((invoice) => invoice.InvoiceNumber === number);
    expect(found).toHaveLength(1);
    return found[0] as Record<string, any>;
  };
  const routeOptions = async (ledgerOptions: Record<string, string | null>) => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  };
  const waitingRow = (orderId: string) =>
    eventually(async () => {
      const row = await harness.orderRow(orderId);
      // A ledger's refusal: Failed, waiting for a fix and retried every 15 minutes.
      return row?.lastErrorCode === 'LedgerRejected' && row.waitingFor === 'fix' ? row : undefined;
    }, `order ${orderId} to wait`);
  /** A pound shop's order that a buyer paid in euros: £20 at 1.15, €23.00. */
  const paidInEuros = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      presentmentCurrency: 'EUR',
      presentmentRate: 1.15,
      email: 'chloe@example.fr',
      customer: { firstName: 'Chloé', lastName: 'Dubois', email: 'chloe@example.fr' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '10.00' }],
    });

  it("the buyer's euros wait until the organisation has euros, or book as pounds with the euros noted; in euros with the rate once it has them; one contact", async () => {
    const inPounds = paidInEuros('#9201');
    expect((await harness.syncResultOf(inPounds.id)).outcome).toBe('created');
    expect(invoiceOf('9201')).toMatchObject({ CurrencyCode: 'GBP', CurrencyRate: 1, Total: 20 });

    await routeOptions({ saleCurrency: 'presentment' });
    const inEuros = paidInEuros('#9202');
    const waiting = await waitingRow(inEuros.id);
    expect(waiting.lastErrorMessage).toContain('Order #9202 is in EUR (23.00 EUR), but Xero #1 books only in GBP: nothing was booked.');
    expect(waiting.lastErrorMessage).toContain('Add the currency in Xero: Accounting → Advanced → Currencies');

    // This route takes pounds instead, the euros and the rate on a line of text of the invoice (Xero has no private note).
    await routeOptions({ foreignCurrency: 'home-currency' });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${inEuros.id}/retry`)).status).toBeLessThan(300);
    expect((await harness.syncResultOf(inEuros.id)).outcome).toBe('created');
    const converted = invoiceOf('9202');
    expect(converted).toMatchObject({ CurrencyCode: 'GBP', Total: 20 });
    expect(converted.LineItems.at(-1)).toMatchObject({ Description: "Paid 23.00 EUR; booked as 20.00 GBP at 0.869565 GBP per EUR (the shop's rate).", LineAmount: 0 });

    // The organisation adds euros: the next such order books in euros.
    xero().addCurrency(harness.xero.tenantId, { code: 'EUR' });
    await routeOptions({ foreignCurrency: null });
    const booked = paidInEuros('#9203');
    const result: OrderSyncResult = await harness.syncResultOf(booked.id);
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    // Xero counts euros per pound: 23.00 / 20.00.
    const invoice = invoiceOf('9203');
    expect(invoice).toMatchObject({ CurrencyCode: 'EUR', CurrencyRate: 1.15, Total: 23, Status: 'PAID', AmountDue: 0 });
    const payment = harness.xeroPayments().find((p) => (p.Invoice as { InvoiceID?: unknown })?.InvoiceID === invoice.InvoiceID)!;
    expect(payment).toMatchObject({ Amount: 23, CurrencyRate: 1.15, BankAmount: 20 });
    // One contact for both currencies: Xero contacts are not tied to one.
    expect(invoice.Contact.ContactID).toBe(invoiceOf('9201').Contact.ContactID);
    expect(xero().contacts(harness.xero.tenantId).filter((contact) => contact.EmailAddress === 'chloe@example.fr')).toHaveLength(1);
  });

  it("a refund of a sale booked in the buyer's euros is one credit note in euros at the sale's rate, paid out at it", async () => {
    // Euros are set up by the test before; this route books what the buyer paid.
    await routeOptions({ saleCurrency: 'presentment', foreignCurrency: null });
    // £17.39 mug and £3.00 shipping at 1.15: €20.00 and €3.45, so the sale's rate is 23.45 / 20.39; the mug's own would be 20.00 / 17.39.
    const sold = harness.shopify.control.createOrder({
      name: '#9206',
      currency: 'GBP',
      presentmentCurrency: 'EUR',
      presentmentRate: 1.15,
      email: 'chloe@example.fr',
      customer: { firstName: 'Chloé', lastName: 'Dubois', email: 'chloe@example.fr' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '17.39', taxable: false, taxLines: [] }],
      shippingLines: [{ title: 'Colissimo', price: '3.00', taxLines: [] }],
    });
    expect((await harness.syncResultOf(sold.id)).outcome).toBe('created');
    const invoice = invoiceOf('9206');
    expect(invoice).toMatchObject({ CurrencyCode: 'EUR', Total: 23.45, CurrencyRate: 1.150073 });

    const refund = harness.shopify.control.refundOrder(sold.id, { lines: [{ lineItemId: sold.lineItems[0]!.id, quantity: 1, restockType: 'RETURN' }], shipping: false, note: null });
    const result = await harness.refundResultOf(sold.id, refund.id);
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    const notes = harness.xero.emulator.control.creditNotes(harness.xero.tenantId).filter((note) => note.CreditNoteNumber === '9206-R1') as Array<Record<string, any>>;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ CurrencyCode: 'EUR', CurrencyRate: 1.150073, Total: 20, Status: 'PAID' });
    expect(notes[0]!.Contact.ContactID).toBe(invoice.Contact.ContactID);
    const payment = harness.xeroPayments().find((p) => (p.CreditNote as { CreditNoteID?: unknown } | undefined)?.CreditNoteID === notes[0]!.CreditNoteID)!;
    expect(payment).toMatchObject({ Amount: 20, CurrencyRate: 1.150073 });
    expect(await harness.refundRow(sold.id, refund.id)).toMatchObject({ status: 'synced', refundTotal: '17.39' });
    await routeOptions({ saleCurrency: null });
  });

  it('a yen order books whole yen; a dinar order with fils waits: Xero keeps two decimals', async () => {
    await routeOptions({ saleCurrency: null });
    xero().addCurrency(harness.xero.tenantId, { code: 'JPY', rate: 190 });
    xero().addCurrency(harness.xero.tenantId, { code: 'KWD', rate: 0.38 });
    const yen = harness.shopify.control.createOrder({ name: '#9204', currency: 'JPY', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '1234' }] });
    expect((await harness.syncResultOf(yen.id)).outcome).toBe('created');
    expect(invoiceOf('9204')).toMatchObject({ CurrencyCode: 'JPY', CurrencyRate: 190, Total: 3702 });

    const dinars = harness.shopify.control.createOrder({ name: '#9205', currency: 'KWD', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '1.235' }] });
    const waiting = await waitingRow(dinars.id);
    expect(waiting.lastErrorMessage).toContain('Xero keeps amounts to 2 decimals, but the order to book as 9205 has KWD amounts to 3 (1.235 KWD)');
    expect(harness.xeroInvoices().filter((invoice) => invoice.InvoiceNumber === '9205')).toEqual([]);
  });
});
