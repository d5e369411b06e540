import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { qbdTestCompany } from './support/qbd-test-company.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Orders a buyer paid in euros in a dollar shop, into a QuickBooks Desktop company (USD home) through the Web
 * Connector, under the route's `saleCurrency: presentment`: with multiple currencies off the route's
 * `foreignCurrency` decides (wait naming the setting, or book dollars with the euros in the memo); once on, the
 * euros book under a customer in euros (a QuickBooks Desktop customer has one currency, so the same person is a
 * second customer, named with the currency) with the shop's rate as the receipt's ExchangeRate.
 */
describe('order sync: currencies into QuickBooks Desktop through the Web Connector', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    const qbd = qbdTestCompany([
      { name: 'MUG-1', price: '20.00', description: 'Mug' },
      { name: 'Shipping', price: '0.00' },
    ]);
    harness = await SyncHarness.start({ qbd: { ...qbd, company: { ...qbd.company, multiCurrencyOn: false } } });
    harness.qbd!.connector.start();
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { saleCurrency: 'presentment' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const company = () => harness.qbd!.company.company;
  const receiptOf = (ref: string) => {
    const found = company().salesReceipts.filter((r) => r.refNumber === ref);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const customerOf = (ref: string) => company().customers.find((c) => c.listId === receiptOf(ref).customer?.listId)!;
  const routeOptions = async (ledgerOptions: Record<string, string | null>) => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  };
  /** $20 mug and $5 shipping, paid €18.00 and €4.50 at 0.9. */
  const paidInEuros = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'USD',
      presentmentCurrency: 'EUR',
      presentmentRate: 0.9,
      email: 'chloe@example.fr',
      customer: { firstName: 'Chloé', lastName: 'Dubois', email: 'chloe@example.fr' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '20.00', taxable: false, taxLines: [] }],
      shippingLines: [{ title: 'Colissimo', price: '5.00', taxLines: [] }],
    });

  it('multiple currencies off: the euros wait naming the setting; under foreignCurrency home-currency they book as dollars with the euros in the memo', async () => {
    const order = paidInEuros('#4301');
    await harness.startSync(order.id);
    const waiting = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.lastErrorCode === 'LedgerRejected' && row.waitingFor === 'fix' ? row : undefined;
    }, 'the order to wait');
    expect(waiting.lastErrorMessage).toBe(
      'Order #4301 is in EUR (22.50 EUR), but QuickBooks Desktop #1 books only in USD: nothing was booked. ' +
        'Turn on multiple currencies in QuickBooks Desktop: Edit → Preferences → Multiple Currencies → Company Preferences, then retry the order. ' +
        'Or set the route\'s foreignCurrency option to "home-currency" to book the shop\'s USD amounts with the rate in the memo.',
    );
    expect(company().salesReceipts.filter((r) => r.refNumber === '4301')).toEqual([]);

    await routeOptions({ foreignCurrency: 'home-currency' });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/retry`)).status).toBeLessThan(300);
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const receipt = receiptOf('4301');
    expect(receipt).toMatchObject({ totalAmount: '25.00' });
    expect(receipt.currency).toBeUndefined();
    expect(receipt.memo!.split('\n')[1]).toBe("Paid 22.50 EUR; booked as 25.00 USD at 1.111111 USD per EUR (the shop's rate).");
    expect(customerOf('4301')).toMatchObject({ name: 'Chloé Dubois' });
    expect(customerOf('4301').currencyCode).toBeUndefined();
  });

  /** A pound shop's order (the shop's currency, into this dollar company): £16 mug and £4 shipping, or paid in dollars at 1.25. */
  const inPounds = (name: string, paidInDollars: boolean) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      ...(paidInDollars ? { presentmentCurrency: 'USD', presentmentRate: 1.25 } : {}),
      email: 'oliver@example.co.uk',
      customer: { firstName: 'Oliver', lastName: 'Twist', email: 'oliver@example.co.uk' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '16.00', taxable: false, taxLines: [] }],
      shippingLines: [{ title: 'Royal Mail', price: '4.00', taxLines: [] }],
    });
  const waitingRow = (orderId: string, message: (text: string) => boolean) =>
    eventually(async () => {
      const row = await harness.orderRow(orderId);
      return row?.lastErrorCode === 'LedgerRejected' && row.waitingFor === 'fix' && message(row.lastErrorMessage ?? '') ? row : undefined;
    }, `order ${orderId} to wait`);

  it("multiple currencies off, a pound shop: its pounds never book as dollars; they wait naming the setting, or book as the buyer's dollars with the rate in the memo", async () => {
    await routeOptions({ saleCurrency: null, foreignCurrency: null });
    const pounds = inPounds('#4311', false);
    await harness.startSync(pounds.id);
    const waiting = await waitingRow(pounds.id, () => true);
    expect(waiting.lastErrorMessage).toBe(
      'Order #4311 is in GBP (20.00 GBP), but QuickBooks Desktop #1 books only in USD: nothing was booked. ' +
        'Turn on multiple currencies in QuickBooks Desktop: Edit → Preferences → Multiple Currencies → Company Preferences, then retry the order.',
    );
    // Under home-currency the shop has no dollar amounts for it, and the order says so rather than guess a rate.
    await routeOptions({ foreignCurrency: 'home-currency' });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${pounds.id}/retry`)).status).toBeLessThan(300);
    const still = await waitingRow(pounds.id, (text) => text.includes('home-currency amounts'));
    expect(still.lastErrorMessage).toContain('The route books home-currency amounts instead where the shop gives them, but #4311 has none in USD.');
    expect(company().salesReceipts.filter((r) => r.refNumber === '4311')).toEqual([]);
    expect(company().customers.filter((c) => c.email === 'oliver@example.co.uk')).toEqual([]);

    // Paid in dollars by its buyer: parked by default, naming the option; under home-currency the dollars book.
    await routeOptions({ foreignCurrency: null });
    const paidInDollars = inPounds('#4312', true);
    await harness.startSync(paidInDollars.id);
    expect((await waitingRow(paidInDollars.id, () => true)).lastErrorMessage).toContain(
      'Or set the route\'s foreignCurrency option to "home-currency" to book the shop\'s USD amounts with the rate in the memo.',
    );
    await routeOptions({ foreignCurrency: 'home-currency' });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${paidInDollars.id}/retry`)).status).toBeLessThan(300);
    expect((await harness.syncResultOf(paidInDollars.id)).outcome).toBe('created');
    const receipt = receiptOf('4312');
    expect(receipt).toMatchObject({ totalAmount: '25.00' });
    expect(receipt.currency).toBeUndefined();
    expect(receipt.lines.map((line) => line.amount)).toEqual(['20.00', '5.00']);
    expect(receipt.memo!.split('\n')[1]).toBe("Paid 20.00 GBP; booked as 25.00 USD at 1.250000 USD per GBP (the shop's rate).");
    await routeOptions({ saleCurrency: 'presentment', foreignCurrency: null });
  });

  it('multiple currencies on: the euros book in euros at the shop\'s rate, under a second customer in euros; a refund in euros at the sale\'s rate', async () => {
    // The bookkeeper turns Multiple Currencies on (QuickBooks Desktop never turns it off again).
    company().currencies.multiCurrencyOn = true;
    await routeOptions({ foreignCurrency: null });
    const order = paidInEuros('#4302');
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    const receipt = receiptOf('4302');
    expect(receipt).toMatchObject({ totalAmount: '22.50', currency: { fullName: 'Euro', exchangeRate: '1.111111', totalInHome: '25.00' } });
    expect(receipt.lines.map((line) => line.amount)).toEqual(['18.00', '4.50']);
    // The same person bought in dollars before: her euro customer is another record, named with its currency.
    expect(customerOf('4302')).toMatchObject({ name: 'Chloé Dubois (EUR)', currencyCode: 'EUR', email: 'chloe@example.fr' });
    expect(company().customers.filter((c) => c.email === 'chloe@example.fr').map((c) => [c.name, c.currencyCode ?? 'USD'])).toEqual([
      ['Chloé Dubois', 'USD'],
      ['Chloé Dubois (EUR)', 'EUR'],
    ]);

    // Her next euro order goes to the same euro customer.
    const again = paidInEuros('#4303');
    expect((await harness.syncResultOf(again.id)).outcome).toBe('created');
    expect(receiptOf('4303').customer?.listId).toBe(receiptOf('4302').customer?.listId);

    // Its mug given back: one credit memo in euros at the sale's rate, to the euro customer, and its refund at it too.
    const refund = harness.shopify.control.refundOrder(again.id, { lines: [{ lineItemId: again.lineItems[0]!.id, quantity: 1, restockType: 'RETURN' }], shipping: false, note: null });
    const refunded = await harness.refundResultOf(again.id, refund.id);
    expect(refunded.outcome, JSON.stringify(refunded)).toBe('created');
    const memos = company().creditMemos.filter((m) => m.refNumber === '4303-R1');
    expect(memos).toHaveLength(1);
    expect(memos[0]).toMatchObject({ totalAmount: '18.00', creditRemaining: '0.00', customer: { listId: receiptOf('4303').customer?.listId }, currency: { fullName: 'Euro', exchangeRate: '1.111111' } });
    expect(company().arRefunds.filter((r) => r.applied.some((a) => a.txnId === memos[0]!.txnId)).map((r) => r.totalAmount)).toEqual(['18.00']);
  });
});
