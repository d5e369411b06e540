import { expect } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../../runtime/payout-sync-starter.js';
import type { PayoutSyncTiming } from '../../workflows/payout-sync.js';
import { eventually, type SyncHarness } from './sync-harness.js';

/**
 * What the payout tests do with a route's payouts, whatever the ledger: start a payout's sync, read its row as the
 * API lists it, wait for its result. `harness` is read when called (tests start it in beforeAll).
 */
export function payoutSteps(harness: () => SyncHarness, timing: Partial<PayoutSyncTiming>) {
  const payoutResult = (payoutId: string) => harness().handle(payoutSyncWorkflowId(harness().routeId, payoutId)).result();
  const payoutRow = async (payoutId: string) => (await harness().operator('GET', `/routes/${harness().routeId}/payouts`)).body.payouts.find((p: any) => p.payoutId === payoutId);
  /** Starts the payout's sync (re-checks shortened) and waits until the API lists it in `status`. */
  async function syncUntil(payoutId: string, status: string): Promise<any> {
    await startPayoutSync(harness().client, harness().db, harness().taskQueue, { routeId: harness().routeId, payoutId, timing });
    return eventually(async () => {
      const row = await payoutRow(payoutId);
      return row?.status === status && row;
    }, `payout ${payoutId} to be ${status}`);
  }
  /**
   * Chooses the route's payout accounts by name, after the API refused a name one character over the ledger's limit
   * (`ledger`: its integration's name and its limit); the API echoes the choice, the adjustment account unset.
   */
  async function choosePayoutAccounts(accounts: { clearingAccount: string; payoutBankAccount: string; payoutFeeAccount: string }, ledger: { name: string; nameMax: number }) {
    const options = (ledgerOptions: Record<string, string>) => harness().operator('PUT', `/routes/${harness().routeId}/ledger-options`, { ledgerOptions });
    const tooLong = await options({ clearingAccount: 'x'.repeat(ledger.nameMax + 1) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain(`clearingAccount for ${ledger.name} takes a name of 1 to ${ledger.nameMax} characters`);
    const chosen = await options(accounts);
    expect(chosen.status).toBe(200);
    expect(chosen.body.ledgerOptions).toMatchObject({ ...accounts, payoutAdjustmentAccount: '' });
  }
  /**
   * With the route's fee account unset, a payout of a new mug order (48.00, fee 1.20) parks saying which account to
   * choose (`ledger`: how the message names the ledger); then the account is chosen again and the payout books.
   * Returns the payout, for the test to check what was written.
   */
  async function payoutParkedWithoutFeeAccount(orderName: string, ledger: string, feeAccount: string) {
    const unset = await harness().operator('PUT', `/routes/${harness().routeId}/ledger-options`, { ledgerOptions: { payoutFeeAccount: null } });
    expect(unset.body.ledgerOptions.payoutFeeAccount).toBe('');
    const sale = mugOrder(harness(), orderName);
    expect((await harness().syncResultOf(sale.id)).outcome).toBe('created');
    const payout = harness().shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: sale.id }] });
    const parked = await syncUntil(payout.id, 'waiting');
    expect(parked.lastError).toEqual({
      code: 'LedgerSettingMissing',
      message: `No account is chosen for payment processing fees in ${ledger}: choose one for the route (PUT /routes/<route>/ledger-options {"payoutFeeAccount": "<account name>"}), then retry.`,
    });
    return {
      payout,
      async chooseAndBook() {
        await harness().operator('PUT', `/routes/${harness().routeId}/ledger-options`, { ledgerOptions: { payoutFeeAccount: feeAccount } });
        expect((await payoutResult(payout.id)).outcome).toBe('created');
      },
    };
  }
  /** Two mug orders booked, and one mug of the second refunded (9.60, not restocked) and booked. */
  async function twoOrdersOneRefunded(first: string, second: string) {
    const a = mugOrder(harness(), first);
    const b = mugOrder(harness(), second);
    expect((await harness().syncResultOf(a.id)).outcome).toBe('created');
    expect((await harness().syncResultOf(b.id)).outcome).toBe('created');
    const refund = harness().shopify.control.refundOrder(b.id, { lines: [{ lineItemId: b.lineItems[0]!.id, quantity: 1, restockType: 'NO_RESTOCK' }] });
    expect(refund.total).toBe('9.60');
    expect((await harness().refundResultOf(b.id, refund.id)).outcome).toBe('created');
    return { a, b, refund };
  }
  return { payoutResult, payoutRow, syncUntil, choosePayoutAccounts, payoutParkedWithoutFeeAccount, twoOrdersOneRefunded };
}

/** The QuickBooks Online deposits booked for this payout (by the payout id in their private note). */
export function qboDepositsOf(harness: SyncHarness, payoutId: string): Array<Record<string, any>> {
  return harness.qbo.control
    .documents(harness.realmId, 'Deposit')
    .map((d) => d.record as Record<string, any>)
    .filter((d) => d.PrivateNote.includes(`payout ${payoutId},`));
}

/** Adds "Shopify Clearing" and "Shopify Fees" to the QuickBooks Online company and chooses them for the route, with Checking as its bank. */
export async function chooseQboPayoutAccounts(harness: SyncHarness): Promise<void> {
  harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Clearing', type: 'Other Current Asset' });
  harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Fees', type: 'Expense' });
  const chosen = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, {
    ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' },
  });
  expect(chosen.status).toBe(200);
}

/** A paid GBP order of one kind of line with 20 % VAT, bought by Ada Lovelace. */
function orderOf(harness: SyncHarness, name: string, line: { title: string; sku: string; quantity: number; unitPrice: string; vat: string }) {
  const { vat, ...sold } = line;
  return harness.shopify.control.createOrder({
    name,
    currency: 'GBP',
    taxesIncluded: false,
    customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    lineItems: [{ ...sold, taxLines: [{ title: 'VAT', rate: 0.2, amount: vat }] }],
  });
}

/** Five mugs at 8.00 with 20 % VAT: 48.00 GBP. */
export function mugOrder(harness: SyncHarness, name: string) {
  return orderOf(harness, name, { title: 'Mug', sku: 'MUG-1', quantity: 5, unitPrice: '8.00', vat: '8.00' });
}

/** One vase (SKU VASE-1, which the test ledgers lack until a test adds it): 36.00 GBP. */
export function vaseOrder(harness: SyncHarness, name: string) {
  return orderOf(harness, name, { title: 'Vase', sku: 'VASE-1', quantity: 1, unitPrice: '30.00', vat: '6.00' });
}
