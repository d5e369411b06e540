import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPayoutSync } from '../runtime/payout-sync-starter.js';
import { mugOrder, payoutSteps } from './support/payout-steps.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * QuickBooks Online payouts go only into a bank account in the payout's currency. The company (home GBP, multicurrency
 * on) has a dollar bank account, "Chase USD": QuickBooks refuses pounds into it, and may take dollars into the pound
 * Checking at a rate of its own (emulator variant `foreignDepositToHomeAccount`, unconfirmed). Either way the payout
 * waits, naming the bank account, both currencies and the route option, with nothing deposited; pointed at a bank
 * account in its currency it books once, by itself.
 */
describe('payouts into QuickBooks Online: only into a bank account in the payout’s currency', () => {
  let harness: SyncHarness;
  const { payoutResult, payoutRow, syncUntil } = payoutSteps(() => harness, { ordersRecheckMs: 3_600_000, recheckWaitingMs: 3_600_000, recheckFailedMs: 3_600_000 });

  beforeAll(async () => {
    harness = await SyncHarness.start();
    harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Clearing', type: 'Other Current Asset' });
    harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Fees', type: 'Expense' });
    harness.qbo.control.addAccount(harness.realmId, { name: 'Chase USD', type: 'Bank', currency: 'USD' });
    await routeOptions({ clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Chase USD', payoutFeeAccount: 'Shopify Fees' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function routeOptions(ledgerOptions: Record<string, string | null>) {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  }
  const depositsOf = (payoutId: string) =>
    harness.qbo.control
      .documents(harness.realmId, 'Deposit')
      .map((d) => d.record as Record<string, any>)
      .filter((d) => d.PrivateNote.includes(`payout ${payoutId},`));
  const bankId = (name: string) => String(harness.qbo.control.list(harness.realmId, 'Account').find((a) => a.Name === name)!.Id);
  const waitsForBank = async (payoutId: string) => {
    const row = await syncUntil(payoutId, 'waiting');
    expect(row.lastError.code).toBe('LedgerSettingMissing');
    expect(row.waitingOn).toBe('route-option:payoutBankAccount');
    return row;
  };

  it('a payout of pounds waits while the route deposits to a dollar account, naming both currencies and the setting; chosen a pound account, it books once in pounds', async () => {
    const order = mugOrder(harness, '#8601');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: order.id }] });

    const waiting = await waitsForBank(payout.id);
    expect(waiting.lastError).toEqual({
      code: 'LedgerSettingMissing',
      message:
        `Payout ${payout.id} is in GBP (46.80 GBP), but the bank account chosen for this route's payouts in QuickBooks Online, "Chase USD", is in USD: ` +
        `a deposit is in its bank account's currency, so nothing was booked. Choose a bank account in GBP for the route's payouts ` +
        `(PUT /routes/<route>/ledger-options {"payoutBankAccount": "<account name>"}; create one in QuickBooks Online with the currency GBP if there is none), and the payout goes on by itself.`,
    });
    expect(depositsOf(payout.id)).toEqual([]);

    // The operator points the route at the pound Checking account and retries, as the console's Retry does.
    await routeOptions({ payoutBankAccount: 'Checking' });
    await harness.operator('POST', `/routes/${harness.routeId}/payouts/${payout.id}/retry`);
    expect((await payoutResult(payout.id)).outcome).toBe('created');
    const [deposit, ...others] = depositsOf(payout.id);
    expect(others).toEqual([]);
    expect(deposit).toMatchObject({ CurrencyRef: { value: 'GBP' }, TotalAmt: 46.8, DepositToAccountRef: { value: bankId('Checking') } });
    expect(await payoutRow(payout.id)).toMatchObject({ status: 'synced', net: '46.80', currency: 'GBP' });

    // Run again: found, nothing written twice.
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: payout.id });
    expect((await payoutResult(payout.id)).outcome).toBe('already_synced');
    expect(depositsOf(payout.id)).toHaveLength(1);
  });

  for (const variant of ['converted', 'refused'] as const) {
    it(`a payout of dollars waits while the route deposits to the pound Checking (QuickBooks would have ${variant} it), and books in dollars into the dollar account`, async () => {
      harness.qbo.control.setForeignDepositToHomeAccount(harness.realmId, variant);
      await routeOptions({ payoutBankAccount: 'Checking', saleCurrency: 'presentment' });
      // Paid in dollars and booked in them (48.00 GBP at the shop's 1.25: 60.00 USD): a dollar payout clears it.
      const order = harness.shopify.control.createOrder({
        name: variant === 'converted' ? '#8611' : '#8612',
        currency: 'GBP',
        presentmentCurrency: 'USD',
        presentmentRate: 1.25,
        taxesIncluded: false,
        customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
        lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 5, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '8.00' }] }],
      });
      expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
      const payout = harness.shopify.control.createPayout({ currency: 'USD', transactions: [{ type: 'CHARGE', amount: '60.00', fee: '1.50', orderId: order.id }] });

      const waiting = await waitsForBank(payout.id);
      expect(waiting.lastError.message).toContain(`Payout ${payout.id} is in USD (58.50 USD), but the bank account chosen for this route's payouts in QuickBooks Online, "Checking", is in GBP`);
      expect(depositsOf(payout.id)).toEqual([]);

      // Choosing the dollar account resumes the waiting payout by itself.
      await routeOptions({ payoutBankAccount: 'Chase USD' });
      expect((await payoutResult(payout.id)).outcome).toBe('created');
      expect(depositsOf(payout.id)).toMatchObject([{ CurrencyRef: { value: 'USD' }, TotalAmt: 58.5, DepositToAccountRef: { value: bankId('Chase USD') } }]);
      await routeOptions({ saleCurrency: null });
    });
  }
});
