import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPayoutSync } from '../runtime/payout-sync-starter.js';
import { mugOrder, payoutSteps } from './support/payout-steps.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * Xero payouts go only into a bank account in the payout's currency. The organisation (base GBP) has a dollar bank
 * account: a transfer of pounds from the pound clearing account into it is refused by Xero, or converted at a rate
 * nobody chose (emulator variant `crossCurrencyTransfers`, unconfirmed). Under both the payout waits before anything
 * is written (not even its fees), naming the bank account, both currencies and the route option; pointed at a bank
 * account in pounds and retried, it books once.
 */
describe('payouts into Xero: only into a bank account in the payout’s currency', () => {
  let harness: SyncHarness;
  const { payoutResult, payoutRow, syncUntil } = payoutSteps(() => harness, { ordersRecheckMs: 3_600_000, recheckWaitingMs: 3_600_000, recheckFailedMs: 3_600_000 });

  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero' });
    const control = harness.xero.emulator.control;
    control.addAccount(harness.xero.tenantId, { code: '091', name: 'Shopify Clearing', type: 'BANK' });
    control.addAccount(harness.xero.tenantId, { code: '410', name: 'Shopify Fees', type: 'EXPENSE' });
    control.addCurrency(harness.xero.tenantId, { code: 'USD', rate: 1.25 });
    control.addAccount(harness.xero.tenantId, { code: '092', name: 'Dollar Account', type: 'BANK', currencyCode: 'USD' });
    await routeOptions({ clearingAccount: 'Shopify Clearing', payoutFeeAccount: 'Shopify Fees' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  async function routeOptions(ledgerOptions: Record<string, string | null>) {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  }
  const control = () => harness.xero.emulator.control;
  const transfersOf = (payoutId: string) => control().bankTransfers(harness.xero.tenantId).filter((t) => String(t.Reference).startsWith(`PO-${payoutId} `));
  const feesOf = (payoutId: string) => control().bankTransactions(harness.xero.tenantId).filter((t) => String(t.Reference).startsWith(`PO-${payoutId}-SPEND `));

  for (const [variant, orderName] of [['refused', '#9601'], ['converted', '#9602']] as const) {
    it(`a payout of pounds waits while the route pays out to a dollar account (Xero would have ${variant} the transfer), and books once into a pound account`, async () => {
      control().setCurrencyVariants(harness.xero.tenantId, { crossCurrencyTransfers: variant });
      await routeOptions({ payoutBankAccount: 'Dollar Account' });
      const order = mugOrder(harness, orderName);
      expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
      const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: order.id }] });

      const waiting = await syncUntil(payout.id, 'waiting');
      expect(waiting.lastError).toEqual({
        code: 'LedgerSettingMissing',
        message:
          `Payout ${payout.id} is in GBP (46.80 GBP), but the bank account chosen for this route's payouts in Xero, "Dollar Account", is in USD: ` +
          `Xero transfers a payout only between bank accounts in its currency, so nothing was booked. Choose a bank account in GBP for the route's payouts ` +
          `(PUT /routes/<route>/ledger-options {"payoutBankAccount": "<account name>"}; create one in Xero with the currency GBP if there is none), and the payout goes on by itself.`,
      });
      expect(waiting.waitingOn).toBe('route-option:payoutBankAccount');
      // Nothing written: no transfer, and not its fees either.
      expect(transfersOf(payout.id)).toEqual([]);
      expect(feesOf(payout.id)).toEqual([]);

      // The operator points the route at the pound bank account and retries, as the console's Retry does.
      await routeOptions({ payoutBankAccount: 'Business Bank Account' });
      await harness.operator('POST', `/routes/${harness.routeId}/payouts/${payout.id}/retry`);
      expect((await payoutResult(payout.id)).outcome).toBe('created');
      expect(transfersOf(payout.id)).toMatchObject([{ Amount: 46.8, FromBankAccount: { Code: '091' }, ToBankAccount: { Code: '090' } }]);
      expect(feesOf(payout.id)).toMatchObject([{ CurrencyCode: 'GBP', Total: 1.2 }]);
      expect(await payoutRow(payout.id)).toMatchObject({ status: 'synced', net: '46.80', currency: 'GBP' });

      // Run again: found, nothing written twice.
      await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: payout.id });
      expect((await payoutResult(payout.id)).outcome).toBe('already_synced');
      expect(transfersOf(payout.id)).toHaveLength(1);
      expect(feesOf(payout.id)).toHaveLength(1);
    });
  }
});
