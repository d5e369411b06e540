import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * A WooCommerce order in another currency than the store's (a multi-currency plugin charged the buyer in euros in a
 * pound store), into a UK QuickBooks company (GBP home): WooCommerce has no store-currency side, so the order's own
 * currency is the sale's, booked as the route books a buyer's currency: in euros at QuickBooks' rate of the day with
 * multicurrency on; with it off, waiting with the setting to turn on.
 */
describe('order sync: a WooCommerce order in euros in a pound store → QuickBooks Online', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce' });
    // The rate QuickBooks downloaded for euros: pounds per euro.
    harness.qbo.control.addCurrency(harness.realmId, { code: 'EUR', rates: [{ asOfDate: '2026-01-01', rate: 0.85 }] });
    // A company that has not turned multicurrency on yet.
    harness.qbo.control.setMultiCurrency(harness.realmId, false);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const receiptsOf = (orderId: number) =>
    harness.salesReceipts().filter((r) => (r.record as { PrivateNote: string }).PrivateNote.includes(`(id ${orderId})`)).map((r) => r.record as Record<string, any>);
  const inEuros = (email: string) =>
    harness.woo.control.createOrder({
      currency: 'EUR',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [{ name: 'Mug', sku: 'MUG-1', quantity: 1, price: '10.00' }],
      customer: { email, firstName: 'Chloé', lastName: 'Dubois' },
    });

  it('multicurrency off, foreignCurrency park: waits naming the setting, with nothing to book in pounds instead', async () => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { foreignCurrency: 'park' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const order = inEuros('hugo@example.fr');
    await harness.startSync(String(order.id));
    const waiting = await eventually(async () => {
      const row = await harness.orderRow(String(order.id));
      return row?.lastErrorCode === 'LedgerRejected' && row.waitingFor === 'fix' ? row : undefined;
    }, 'the order to wait');
    expect(waiting.lastErrorMessage).toBe(
      `Order #${order.number as string} is in EUR (12.00 EUR), but QuickBooks Online #1 books only in GBP: nothing was booked. ` +
        'Turn on Multicurrency in QuickBooks: Settings → Account and settings → Advanced → Currency, then retry the order.',
    );
    expect(receiptsOf(order.id as number)).toEqual([]);
  });

  it('multicurrency on: books in euros at the company\'s rate, under a customer in euros', async () => {
    // The bookkeeper turns multicurrency on (QuickBooks never turns it off again).
    harness.qbo.control.setMultiCurrency(harness.realmId, true);
    const order = inEuros('chloe@example.fr');
    const result = await harness.syncResultOf(String(order.id));
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    const receipts = receiptsOf(order.id as number);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ CurrencyRef: { value: 'EUR' }, TotalAmt: 12, ExchangeRate: 0.85, HomeTotalAmt: 10.2 });
    const customer = (harness.qbo.control.list(harness.realmId, 'Customer') as Array<Record<string, any>>).find((c) => c.Id === receipts[0]!.CustomerRef.value)!;
    expect(customer).toMatchObject({ CurrencyRef: { value: 'EUR' } });
  });
});
