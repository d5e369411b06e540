import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { qbdPayoutTestCompany } from './support/qbd-test-company.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * A pound shop's payouts into a QuickBooks Desktop company in dollars with Multiple Currencies off. QuickBooks Desktop
 * takes a deposit's amounts as its home currency's (it names none), so a payout of pounds would land as dollars. Under
 * either `foreignCurrency` choice the payout waits, saying which setting to turn on, and nothing is deposited: the
 * home-currency choice books orders at the shop's rate between their two totals, and a payout has no such rate.
 */
describe('payouts in pounds into a dollar QuickBooks Desktop company with multiple currencies off', () => {
  let harness: SyncHarness;
  const recheck = { ordersRecheckMs: 3_600_000, recheckWaitingMs: 3_600_000, recheckFailedMs: 3_600_000 };

  beforeAll(async () => {
    harness = await SyncHarness.start({ shopCurrency: 'GBP', qbd: qbdPayoutTestCompany() });
    harness.qbd!.connector.start();
    const chosen = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, {
      ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees', foreignCurrency: 'home-currency' },
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const company = () => harness.qbd!.company.company;
  const payoutRow = async (payoutId: string) => (await harness.operator('GET', `/routes/${harness.routeId}/payouts`)).body.payouts.find((p: any) => p.payoutId === payoutId);
  /** Five mugs at £8.00, paid in dollars at 1.25 ($50.00). */
  const paidInDollars = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      presentmentCurrency: 'USD',
      presentmentRate: 1.25,
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 5, unitPrice: '8.00', taxable: false, taxLines: [] }],
    });
  const payoutOf = (orderId: string) => harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '40.00', fee: '1.20', orderId }] });
  const waitingPayout = async (payoutId: string) => {
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId, timing: recheck });
    return eventually(async () => {
      const row = await payoutRow(payoutId);
      // A ledger's refusal: the row says failed, parked for a fix (as an order's does), and re-checks on its own.
      return row?.status === 'failed' && row.lastError?.code === 'LedgerRejected' && row;
    }, `payout ${payoutId} to park on the ledger's currency`);
  };
  const setting = 'Turn on multiple currencies in QuickBooks Desktop: Edit → Preferences → Multiple Currencies → Company Preferences, then retry the payout.';

  it('foreignCurrency home-currency: the order books in dollars, its payout of pounds waits naming the setting, and nothing is deposited', async () => {
    const order = paidInDollars('#9601');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(company().salesReceipts.find((r) => r.refNumber === '9601')).toMatchObject({ totalAmount: '50.00', depositTo: { fullName: 'Shopify Clearing' } });

    const payout = payoutOf(order.id);
    const waiting = await waitingPayout(payout.id);
    expect(waiting.lastError).toEqual({
      code: 'LedgerRejected',
      message:
        `Payout ${payout.id} is in GBP (38.80 GBP), but QuickBooks Desktop #1 books only in USD: nothing was booked. ${setting} ` +
        `The route's foreignCurrency "home-currency" books orders at the shop's rate, but a payout has no rate of its own to book it in USD: deposit it by hand if multiple currencies stay off.`,
    });
    expect(company().deposits).toEqual([]);
    // Nothing pulled the route's hard stop: the pounds were never compared with the dollars in clearing.
    expect((await harness.operator('GET', `/routes/${harness.routeId}/halt`)).body.halted).toBe(false);
    await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).terminate('test over');
  });

  it('foreignCurrency park: the order waits naming the setting, and so does its payout, without waiting on the order', async () => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { foreignCurrency: 'park' } });
    expect(set.status).toBe(200);
    const order = paidInDollars('#9602');
    await harness.startSync(order.id);
    const parked = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.lastErrorCode === 'LedgerRejected' && row;
    }, 'the order to wait');
    expect(parked.lastErrorMessage).toContain('Order #9602 is in GBP (40.00 GBP), but QuickBooks Desktop #1 books only in USD: nothing was booked.');

    const payout = payoutOf(order.id);
    const waiting = await waitingPayout(payout.id);
    expect(waiting.lastError).toEqual({ code: 'LedgerRejected', message: `Payout ${payout.id} is in GBP (38.80 GBP), but QuickBooks Desktop #1 books only in USD: nothing was booked. ${setting}` });
    expect(company().deposits).toEqual([]);
    await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).terminate('test over');
  });
});
