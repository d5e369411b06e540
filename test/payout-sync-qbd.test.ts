import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { depositLines, depositsOfPayout, QBD_TEST_SHOP_CURRENCY, qbdPayoutTestCompany } from './support/qbd-test-company.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Payouts into QuickBooks Desktop through the Web Connector queue: sales receipts deposit to the route's clearing
 * account, and each Shopify Payments payout becomes one `DepositAdd` of its net into the bank, found again by its
 * Memo (qbXML has no idempotency key and a deposit no number). Whether QuickBooks takes a negative deposit line is
 * unconfirmed: the company emulator plays both, and the deposit must come out the same under each.
 */
describe('payouts: Shopify Payments → one QuickBooks Desktop deposit from the clearing account', () => {
  let harness: SyncHarness;
  const replayed: Record<string, string> = {};

  beforeAll(async () => {
    harness = await SyncHarness.start({
      shopCurrency: QBD_TEST_SHOP_CURRENCY,
      qbd: qbdPayoutTestCompany(),
    });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const company = () => harness.qbd!.company.company;
  const depositsOf = (payoutId: string) => depositsOfPayout(company(), payoutId);
  const lines = depositLines;
  const balances = () => ['Shopify Clearing', 'Checking', 'Shopify Fees', 'Undeposited Funds'].map((name) => company().accountBalance(name));
  const payoutResult = (payoutId: string) => harness.handle(payoutSyncWorkflowId(harness.routeId, payoutId)).result();
  const payoutRow = async (payoutId: string) => (await harness.operator('GET', `/routes/${harness.routeId}/payouts`)).body.payouts.find((p: any) => p.payoutId === payoutId);
  const book = (payoutId: string) => startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId });

  function order(name: string) {
    return harness.shopify.control.createOrder({
      name,
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 5, unitPrice: '8.00' }],
    });
  }

  /** Two orders booked (40.00 each), one mug of the second refunded (8.00): what the payouts below pay out. */
  async function twoOrdersAndARefund(first: string, second: string) {
    const a = order(first);
    const b = order(second);
    expect((await harness.syncResultOf(a.id)).outcome).toBe('created');
    expect((await harness.syncResultOf(b.id)).outcome).toBe('created');
    const refund = harness.shopify.control.refundOrder(b.id, { lines: [{ lineItemId: b.lineItems[0]!.id, quantity: 1, restockType: 'NO_RESTOCK' }] });
    expect(refund.total).toBe('8.00');
    expect((await harness.refundResultOf(b.id, refund.id)).outcome).toBe('created');
    return { a, b };
  }

  it('takes account names of up to 159 characters for the route, and books new sales to the clearing account it chose', async () => {
    const tooLong = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { clearingAccount: 'x'.repeat(160) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('clearingAccount for QuickBooks Desktop #1 takes a name of 1 to 159 characters');
    const before = order('#9000');
    expect((await harness.syncResultOf(before.id)).outcome).toBe('created');
    const chosen = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, {
      ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.ledgerOptions).toEqual({
      saleCurrency: 'shop',
      foreignCurrency: 'park',
      clearingAccount: 'Shopify Clearing',
      payoutBankAccount: 'Checking',
      payoutFeeAccount: 'Shopify Fees',
      payoutAdjustmentAccount: '',
    });
    const after = order('#9001');
    expect((await harness.syncResultOf(after.id)).outcome).toBe('created');
    const depositedTo = (ref: string) => company().salesReceipts.filter((r) => r.refNumber === ref).map((r) => r.depositTo?.fullName ?? 'Undeposited Funds');
    expect([depositedTo('9000'), depositedTo('9001')]).toEqual([['Undeposited Funds'], ['Shopify Clearing']]);
    expect(balances()).toEqual(['40.00', '0.00', '0.00', '40.00']);
  });

  it('a payout with fees, a refund and an adjustment deposits its net once; a re-run writes nothing', async () => {
    const start = balances();
    const { a, b } = await twoOrdersAndARefund('#9101', '#9102');
    // The refund was paid out of the clearing account the sale went to.
    expect(company().arRefunds.at(-1)!.refundFrom?.fullName).toBe('Shopify Clearing');
    const payout = harness.shopify.control.createPayout({
      transactions: [
        { type: 'CHARGE', amount: '40.00', fee: '1.40', orderId: a.id },
        { type: 'CHARGE', amount: '40.00', fee: '1.40', orderId: b.id },
        { type: 'REFUND', amount: '-8.00', orderId: b.id },
        { type: 'ADJUSTMENT', amount: '-2.00', adjustmentReason: 'Currency conversion' },
      ],
    });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/payouts/poll`, {})).status).toBe(202);
    const result = await eventually(async () => (await payoutRow(payout.id)) && payoutResult(payout.id), 'the payout sync');
    expect(result.outcome).toBe('created');
    expect(result.message).toContain(`was booked in QuickBooks Desktop #1 as deposit PO-`);

    const [deposit, ...others] = depositsOf(payout.id);
    expect(others).toEqual([]);
    // 80.00 charged − 8.00 refunded − 2.80 fees − 2.00 adjustment = 67.20 into Checking; fees and the adjustment kept back.
    expect(deposit).toMatchObject({ depositTotal: '67.20', depositTo: { fullName: 'Checking' }, txnDate: payout.issuedAt.slice(0, 10) });
    expect(lines(deposit!)).toEqual([
      ['Order #9101: payment', '40.00', 'Shopify Clearing'],
      ['Order #9102: payment, less Order #9102: refund 8.00', '32.00', 'Shopify Clearing'],
    ]);
    expect(deposit!.cashBack).toMatchObject({ amount: '4.80', account: { fullName: 'Shopify Fees' }, memo: `Payment processing fees, payout ${payout.id}; adjustment (Currency conversion)` });
    // Clearing is back where it was; the bank got the net; the fees account the rest.
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(balances().map((b, i) => (cents(b) - cents(start[i]!)) / 100)).toEqual([0, 67.2, 4.8, 0]);
    expect(await payoutRow(payout.id)).toMatchObject({ status: 'synced', net: '67.20', currency: payout.currency, ledgerDocNumber: `PO-${payout.id.slice(-8)}` });

    await book(payout.id);
    const again = await payoutResult(payout.id);
    expect(again.outcome).toBe('already_synced');
    expect(again.message).toContain('nothing new was written');
    expect(depositsOf(payout.id)).toHaveLength(1);
    replayed['payout-sync-qbd-deposit'] = payout.id;
  });

  it('a deposit whose answer was lost is found by its memo when the booking is tried again: one deposit', async () => {
    const sale = order('#9201');
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    const payout = harness.shopify.control.createPayout({ transactions: [{ type: 'CHARGE', amount: '40.00', fee: '1.20', orderId: sale.id }] });
    const adds = () => harness.qbd!.company.processed.filter((p) => p.name === 'DepositAdd').length;
    const addsBefore = adds();
    harness.qbd!.connector.loseAnswerOf('DepositAdd');
    await book(payout.id);
    const result = await payoutResult(payout.id);
    expect(result.outcome).toBe('created');
    // QuickBooks ran the add once; the retry found it by its memo instead of adding it again.
    expect(adds() - addsBefore).toBe(1);
    expect(depositsOf(payout.id).map((d) => [d.depositTotal, d.cashBack?.amount])).toEqual([['38.80', '1.20']]);
    expect(result.ledgerDocument.id).toBe(depositsOf(payout.id)[0]!.txnId);
    replayed['payout-sync-qbd-lost-answer'] = payout.id;
  });

  it('books the same deposit when QuickBooks refuses negative deposit lines, a chargeback included', async () => {
    harness.qbd!.company.negativeDepositLines = 'refuse';
    try {
      const start = balances();
      const { a, b } = await twoOrdersAndARefund('#9301', '#9302');
      const payout = harness.shopify.control.createPayout({
        transactions: [
          { type: 'CHARGE', amount: '40.00', fee: '1.40', orderId: a.id },
          { type: 'CHARGE', amount: '40.00', fee: '1.40', orderId: b.id },
          { type: 'REFUND', amount: '-8.00', orderId: b.id },
          { type: 'DISPUTE_WITHDRAWAL', amount: '-15.00', fee: '15.00', orderId: a.id },
          { type: 'ADJUSTMENT', amount: '0.50', adjustmentReason: 'Reserve released' },
        ],
      });
      await book(payout.id);
      const result = await payoutResult(payout.id);
      expect(result.outcome).toBe('created');
      // No request of the payout was refused: there was no negative line to refuse.
      expect(harness.qbd!.company.processed.filter((p) => p.name === 'DepositAdd' && p.statusCode !== 0)).toEqual([]);
      const [deposit, ...others] = depositsOf(payout.id);
      expect(others).toEqual([]);
      // 80.00 − 8.00 − 15.00 chargeback − 17.80 fees + 0.50 = 39.70.
      expect(deposit!.depositTotal).toBe('39.70');
      expect(deposit!.lines.every((line) => Number(line.amount) > 0)).toBe(true);
      expect(deposit!.cashBack).toMatchObject({ amount: '32.30', account: { fullName: 'Shopify Fees' } });
      const cents = (s: string) => Math.round(Number(s) * 100);
      expect(balances().map((b, i) => (cents(b) - cents(start[i]!)) / 100)).toEqual([0, 39.7, 32.3, 0]);
    } finally {
      harness.qbd!.company.negativeDepositLines = 'accept';
    }
  });

  it('an order waits naming the setting when the clearing account chosen is not in the company file; nothing is booked', async () => {
    await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { clearingAccount: 'Stripe Clearing' } });
    try {
      const sale = order('#9401');
      const row = await eventually(async () => {
        const found = await harness.orderRow(sale.id);
        return found?.status === 'waiting' && found;
      }, 'the order to wait for its clearing account');
      expect(row).toMatchObject({ lastErrorCode: 'LedgerSettingMissing', waitingOn: 'route-option:clearingAccount' });
      expect(row.lastErrorMessage).toBe(
        'QuickBooks Desktop #1 has no active account named "Stripe Clearing" (chosen for this route\'s sales, its clearing account): create it in QuickBooks or choose another account for the route (clearingAccount), then retry.',
      );
      expect(company().salesReceipts.filter((r) => r.refNumber === '9401')).toEqual([]);
      await harness.handle(orderSyncWorkflowId(harness.routeId, sale.id)).terminate('test over');
    } finally {
      await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { clearingAccount: 'Shopify Clearing' } });
    }
  });

  it('a payout that found no Web Connector waits for it, and books at its next visit without anyone asking', async () => {
    const sale = order('#9501');
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    await harness.qbd!.connector.stop();
    try {
      const payout = harness.shopify.control.createPayout({ transactions: [{ type: 'CHARGE', amount: '40.00', fee: '1.20', orderId: sale.id }] });
      await book(payout.id);
      const parked = await eventually(async () => {
        const row = await payoutRow(payout.id);
        return row?.status === 'waiting' && row;
      }, 'the payout to wait for the Web Connector');
      expect(parked.lastError.code).toBe('LedgerNotConnected');
      expect(depositsOf(payout.id)).toEqual([]);
      harness.qbd!.connector.start();
      expect((await payoutResult(payout.id)).outcome).toBe('created');
      expect(depositsOf(payout.id).map((d) => d.depositTotal)).toEqual(['38.80']);
    } finally {
      harness.qbd!.connector.start();
    }
  });

  it('the histories of these payout syncs replay deterministically', async () => {
    const runs = Object.entries(replayed).map(([fixtureName, payoutId]) => ({ workflowId: payoutSyncWorkflowId(harness.routeId, payoutId), fixtureName }));
    expect(runs.map((run) => run.fixtureName)).toEqual(['payout-sync-qbd-deposit', 'payout-sync-qbd-lost-answer']);
    expect(await replayErrors(harness.client, runs)).toEqual([]);
  });
});
