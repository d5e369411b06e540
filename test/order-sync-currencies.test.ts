import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Orders in other currencies than the ledger's, into a US QuickBooks company (USD home): amounts in each currency's
 * own minor units (JPY none, KWD three), and an order whose buyer paid in euros in a dollar shop booked as the
 * route chooses (`saleCurrency`: the shop's dollars, or the buyer's euros with the shop's rate on the receipt; and
 * `foreignCurrency`, with multicurrency off: wait naming the setting, or book dollars with the euros in the memo).
 */
describe('order sync: currencies (US company, USD home)', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qboCompany: 'US' });
    // A company that never turned multicurrency on; the second test turns it on, as the bookkeeper would.
    harness.qbo.control.setMultiCurrency(harness.realmId, false);
    // The stricter variant [U]: a currency never added to the company's list is refused (the product adds it first).
    harness.qbo.control.setUnlistedCurrencies(harness.realmId, 'refused');
  });
  afterAll(async () => {
    await harness?.close();
  });

  const receiptOf = (orderId: string) => {
    const mine = harness.salesReceipts().filter((r) => (r.record as { PrivateNote: string }).PrivateNote.includes(orderId));
    expect(mine).toHaveLength(1);
    return mine[0]!.record as Record<string, any>;
  };
  const customerOf = (receipt: Record<string, any>) =>
    (harness.qbo.control.list(harness.realmId, 'Customer') as Array<Record<string, any>>).find((c) => c.Id === receipt.CustomerRef.value)!;
  const booked = async (orderId: string) => {
    const result: OrderSyncResult = await harness.handle((await harness.startSync(orderId)).workflowId).result();
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    return receiptOf(orderId);
  };
  const routeOptions = async (ledgerOptions: Record<string, string | null>) => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  };
  /** A dollar shop's order that a buyer paid in euros: $20 mug and $5 shipping, €18.00 and €4.50 at 0.9. */
  const paidInEuros = (name: string, email: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'USD',
      presentmentCurrency: 'EUR',
      presentmentRate: 0.9,
      customer: { firstName: 'Chloé', lastName: 'Dubois', email },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '20.00', taxable: false, taxLines: [] }],
      shippingLines: [{ title: 'Colissimo', price: '5.00', taxLines: [] }],
    });

  it('multicurrency off: the shop\'s dollars book as before; the buyer\'s euros wait naming the setting, or book as dollars with the euros in the memo', async () => {
    // The route's default books the shop's amounts: dollars, the home currency.
    const shopAmounts = paidInEuros('#9101', 'chloe@example.fr');
    const inDollars = await booked(shopAmounts.id);
    expect(inDollars).toMatchObject({ CurrencyRef: { value: 'USD' }, TotalAmt: 25 });
    expect(inDollars.PrivateNote).not.toContain('EUR');

    // The route books what the buyer paid: euros, which this company cannot book. The order waits, saying what to turn on.
    await routeOptions({ saleCurrency: 'presentment' });
    const buyerAmounts = paidInEuros('#9102', 'chloe@example.fr');
    await harness.startSync(buyerAmounts.id);
    const waiting = await eventually(async () => {
      const row = await harness.orderRow(buyerAmounts.id);
      // A ledger's refusal: Failed, waiting for a fix and retried every 15 minutes.
      return row?.lastErrorCode === 'LedgerRejected' && row.waitingFor === 'fix' ? row : undefined;
    }, 'the order to wait');
    expect(waiting.lastErrorCode).toBe('LedgerRejected');
    expect(waiting.lastErrorMessage).toContain('Order #9102 is in EUR (22.50 EUR), but QuickBooks Online #1 books only in USD: nothing was booked.');
    expect(waiting.lastErrorMessage).toContain('Turn on Multicurrency in QuickBooks: Settings → Account and settings → Advanced → Currency, then retry the order.');
    expect(waiting.lastErrorMessage).toContain('foreignCurrency option to "home-currency"');
    expect(harness.salesReceipts().filter((r) => (r.record as { PrivateNote: string }).PrivateNote.includes(buyerAmounts.id))).toEqual([]);

    // The operator chooses home-currency amounts for this route instead: dollars, the euros and the rate in the memo.
    await routeOptions({ foreignCurrency: 'home-currency' });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${buyerAmounts.id}/retry`)).status).toBeLessThan(300);
    expect((await harness.syncResultOf(buyerAmounts.id)).outcome).toBe('created');
    const converted = receiptOf(buyerAmounts.id);
    expect(converted).toMatchObject({ CurrencyRef: { value: 'USD' }, TotalAmt: 25 });
    expect(converted.PrivateNote.split('\n')[1]).toBe('Paid 22.50 EUR; booked as 25.00 USD at 1.111111 USD per EUR (the shop\'s rate).');
    expect(customerOf(converted)).toMatchObject({ DisplayName: 'Chloé Dubois', CurrencyRef: { value: 'USD' } });
  });

  it('multicurrency on: the buyer\'s euros book in euros with the shop\'s rate, under the customer in euros', async () => {
    harness.qbo.control.setMultiCurrency(harness.realmId, true);
    await routeOptions({ saleCurrency: 'presentment', foreignCurrency: null });
    const order = paidInEuros('#9103', 'chloe@example.fr');
    const inEuros = await booked(order.id);
    expect(inEuros).toMatchObject({ CurrencyRef: { value: 'EUR' }, TotalAmt: 22.5, ExchangeRate: 1.111111, HomeTotalAmt: 25 });
    expect(inEuros.Line.filter((line: any) => line.DetailType === 'SalesItemLineDetail').map((line: any) => line.Amount)).toEqual([18, 4.5]);
    // The same person paid in dollars before: QuickBooks customers have one currency, so this is a second one.
    expect(customerOf(inEuros)).toMatchObject({ DisplayName: 'Chloé Dubois (EUR)', CurrencyRef: { value: 'EUR' } });
    expect((harness.qbo.control.list(harness.realmId, 'CompanyCurrency') as Array<Record<string, any>>).map((c) => c.Code)).toContain('EUR');

    // Back to the shop's amounts: the same kind of order books in dollars again.
    await routeOptions({ saleCurrency: null });
    const again = paidInEuros('#9104', 'chloe@example.fr');
    expect(await booked(again.id)).toMatchObject({ CurrencyRef: { value: 'USD' }, TotalAmt: 25 });
  });

  it("a refund of a sale booked in the buyer's euros is booked once in euros, at the sale's rate, to the same customer", async () => {
    await routeOptions({ saleCurrency: 'presentment', foreignCurrency: null });
    // $19.99 mug and $5 shipping, paid €17.99 and €4.50: the sale's rate is 24.99 / 22.49; the mug's own would be 19.99 / 17.99.
    const order = harness.shopify.control.createOrder({
      name: '#9107',
      currency: 'USD',
      presentmentCurrency: 'EUR',
      presentmentRate: 0.9,
      customer: { firstName: 'Chloé', lastName: 'Dubois', email: 'chloe@example.fr' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '19.99', taxable: false, taxLines: [] }],
      shippingLines: [{ title: 'Colissimo', price: '5.00', taxLines: [] }],
    });
    const sale = await booked(order.id);
    expect(sale).toMatchObject({ CurrencyRef: { value: 'EUR' }, TotalAmt: 22.49, ExchangeRate: 1.111161 });

    const mug = order.lineItems[0]!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: mug.id, quantity: 1, restockType: 'RETURN' }], shipping: false, note: null });
    const result = await harness.refundResultOf(order.id, refund.id);
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    expect(result.message).toContain('(17.99 EUR)');
    const receipts = harness.refundReceipts().filter((r) => r.docNumber === '9107-R1').map((r) => r.record as Record<string, any>);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ CurrencyRef: { value: 'EUR' }, TotalAmt: 17.99, ExchangeRate: 1.111161, CustomerRef: { value: sale.CustomerRef.value } });
    // What the shop gave back in its own dollars stays on the refund's row, named so (payouts count it), not the euros booked.
    expect(await harness.refundRow(order.id, refund.id)).toMatchObject({ status: 'synced', refundTotal: '19.99', refundCurrency: 'USD', ledgerDocNumber: '9107-R1' });
    await routeOptions({ saleCurrency: null });
  });

  it('a yen order books whole yen: the tax QuickBooks works out is rounded to the yen, as the shop rounded it', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#9105',
      currency: 'JPY',
      customer: { firstName: 'Haruki', lastName: 'Sato', email: 'sato@example.jp' },
      // ¥1,234 at 4 %: ¥49.36, which the shop charges as ¥49.
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '1234', taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '49' }] }],
    });
    const receipt = await booked(order.id);
    expect(receipt).toMatchObject({ CurrencyRef: { value: 'JPY' }, TotalAmt: 1283, TxnTaxDetail: { TotalTax: 49 } });
    const amounts = [receipt.TotalAmt, ...receipt.Line.map((line: any) => line.Amount)];
    expect(amounts.every((amount: number) => Number.isInteger(amount)), JSON.stringify(amounts)).toBe(true);
    expect((await harness.orderRow(order.id))?.status).toBe('synced');
  });

  it('a dinar order books to the fils: three decimals, not rounded to cents', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#9106',
      currency: 'KWD',
      customer: { firstName: 'Noor', lastName: 'Al-Sabah', email: 'noor@example.kw' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '1.235', taxable: false, taxLines: [] }],
      shippingLines: [{ title: 'Aramex', price: '0.500', taxLines: [] }],
    });
    const receipt = await booked(order.id);
    expect(receipt).toMatchObject({ CurrencyRef: { value: 'KWD' }, TotalAmt: 2.97 });
    const mug = receipt.Line.find((line: any) => line.DetailType === 'SalesItemLineDetail' && line.SalesItemLineDetail.ItemRef.value !== 'SHIPPING_ITEM_ID');
    expect(mug).toMatchObject({ Amount: 2.47, SalesItemLineDetail: { Qty: 2, UnitPrice: 1.235 } });
    expect(customerOf(receipt)).toMatchObject({ DisplayName: 'Noor Al-Sabah (KWD)', CurrencyRef: { value: 'KWD' } });
  });
});
