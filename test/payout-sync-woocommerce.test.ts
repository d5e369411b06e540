import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPayoutSync } from '../runtime/payout-sync-starter.js';
import { deletePayoutPollSchedule } from '../runtime/payout-poll-schedule.js';
import { RECONCILIATION_AUDIT_ID_PREFIX } from '../workflows/reconciliation-audit.js';
import { payoutSteps } from './support/payout-steps.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * WooCommerce payouts: a store with WooPayments has deposits (payments/deposits and their transactions); each paid
 * deposit becomes one QuickBooks Online deposit of its net from the route's clearing account, once. A store without
 * WooPayments has no payouts to read: its payouts are skipped with the reason, and polls find none, without errors.
 */
describe('payouts: WooCommerce (WooPayments deposits) → one QuickBooks Online deposit from the clearing account', () => {
  let harness: SyncHarness;
  let clearingId: string;
  let feesId: string;
  const fast = { ordersRecheckMs: 60_000, recheckWaitingMs: 60_000 };
  const { payoutResult, payoutRow, syncUntil, choosePayoutAccounts } = payoutSteps(() => harness, fast);

  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce' });
    clearingId = String(harness.qbo.control.addAccount(harness.realmId, { name: 'WooPayments Clearing', type: 'Other Current Asset' }).Id);
    feesId = String(harness.qbo.control.addAccount(harness.realmId, { name: 'WooPayments Fees', type: 'Expense' }).Id);
  }, 120_000);
  afterAll(async () => {
    if (harness) await deletePayoutPollSchedule(harness.client, harness.routeId).catch(() => false);
    await harness?.close();
  });

  const deposits = () => harness.qbo.control.documents(harness.realmId, 'Deposit').map((d) => d.record as Record<string, any>);
  const depositsOf = (payoutId: string) => deposits().filter((d) => d.PrivateNote.includes(`payout ${payoutId},`));
  const lines = (deposit: Record<string, any>) => deposit.Line.map((l: any) => [l.Description, l.Amount, l.DepositLineDetail.AccountRef.value]);
  /** A paid GBP order of one mug (8.00 + 20 % VAT = 9.60), booked. */
  async function bookedMug() {
    const order = harness.woo.control.createOrder({
      currency: 'GBP',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [{ name: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    });
    expect((await harness.syncResultOf(String(order.id))).outcome).toBe('created');
    return { id: order.id as number, number: order.number as string };
  }

  it('a store without WooPayments: a poll finds no payouts and ends, and a payout asked for by id is skipped saying why', async () => {
    await choosePayoutAccounts({ clearingAccount: 'WooPayments Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'WooPayments Fees' }, { name: 'QuickBooks Online #1', nameMax: 100 });
    const poll = await harness.operator('POST', `/routes/${harness.routeId}/payouts/poll`, {});
    expect(poll.status).toBe(202);
    expect(await harness.handle(poll.body.workflowId).result()).toEqual({ started: [] });

    const skipped = await syncUntil('po_1QxYzAbC', 'skipped');
    expect(skipped.lastError.message).toBe('Payout po_1QxYzAbC was not booked: this store has no WooPayments deposits; book payouts by hand or from your processor.');
    expect((await payoutResult('po_1QxYzAbC')).outcome).toBe('skipped');
    expect(deposits()).toHaveLength(0);

    // The reconciliation audit still checks the orders, and says why it leaves payouts out.
    const today = new Date().toISOString().slice(0, 10);
    const audit = await harness.operator('POST', `/routes/${harness.routeId}/audits`, { from: today, to: today });
    expect(audit.status).toBe(202);
    await harness.handle(`${RECONCILIATION_AUDIT_ID_PREFIX}${harness.routeId}/${audit.body.auditId}`).result();
    const report = (await harness.operator('GET', `/routes/${harness.routeId}/audits/${audit.body.auditId}`)).body;
    expect(report.status).toBe('done');
    expect(report.report.payouts).toEqual({ checked: false, note: 'Payouts are not compared: this store has no WooPayments deposits; book payouts by hand or from your processor.' });
  });

  it('a paid deposit of two orders with their fees and an adjustment books one deposit of its net; a re-run writes nothing', async () => {
    const a = await bookedMug();
    const b = await bookedMug();
    const receipt = (number: string) => harness.salesReceipts().filter((r) => r.docNumber === number).map((r) => (r.record as any).DepositToAccountRef.value);
    expect(receipt(a.number)).toEqual([clearingId]);

    const deposit = harness.woo.control.createDeposit({
      currency: 'GBP',
      transactions: [
        { type: 'charge', amount: '9.60', fee: '0.48', orderId: a.id, orderNumber: a.number },
        { type: 'charge', amount: '9.60', fee: '0.48', orderId: b.id, orderNumber: b.number },
        { type: 'adjustment', amount: '-0.50' },
      ],
    });
    const payoutId = String(deposit.id);
    const poll = await harness.operator('POST', `/routes/${harness.routeId}/payouts/poll`, {});
    expect(poll.status).toBe(202);
    const result = await eventually(async () => (await payoutRow(payoutId)) && payoutResult(payoutId), 'the payout sync');
    expect(result.outcome).toBe('created');
    expect(depositsOf(payoutId)).toHaveLength(1);
    const booked = depositsOf(payoutId)[0]!;
    // 19.20 charged − 0.96 fees − 0.50 adjustment = 17.74, into Checking.
    expect(booked.TotalAmt).toBe(17.74);
    expect(booked.DepositToAccountRef.value).toBe('9035');
    expect(lines(booked)).toEqual([
      [`Order #${a.number}: payment`, 9.6, clearingId],
      [`Order #${b.number}: payment`, 9.6, clearingId],
      [`Payment processing fees, payout ${payoutId}`, -0.96, feesId],
      ['adjustment', -0.5, feesId],
    ]);
    expect(await payoutRow(payoutId)).toMatchObject({ status: 'synced', net: '17.74', currency: 'GBP' });

    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId });
    const again = await payoutResult(payoutId);
    expect(again.outcome).toBe('already_synced');
    expect(again.message).toContain('nothing new was written');
    expect(depositsOf(payoutId)).toHaveLength(1);
  });

  it('a deposit paying back a refund of an amount alone that was booked books one deposit whose refund line matches it; clearing comes to zero for the order', async () => {
    const sale = await bookedMug();
    // Half the mug given back in wp-admin as an amount alone: booked as refund receipt -R1, out of the clearing account.
    const refund = harness.woo.control.refundOrder(sale.id, '4.80', 'Chipped')!;
    expect((await harness.refundResultOf(String(sale.id), String(refund.id))).outcome).toBe('created');
    const [refundReceipt] = harness.refundReceipts().filter((r) => r.docNumber === `${sale.number}-R1`).map((r) => r.record as Record<string, any>);
    expect([refundReceipt!.TotalAmt, refundReceipt!.DepositToAccountRef.value]).toEqual([4.8, clearingId]);

    const deposit = harness.woo.control.createDeposit({
      currency: 'GBP',
      transactions: [
        { type: 'charge', amount: '9.60', fee: '0.48', orderId: sale.id, orderNumber: sale.number },
        { type: 'refund', amount: '-4.80', orderId: sale.id, orderNumber: sale.number },
      ],
    });
    const payoutId = String(deposit.id);
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId, timing: fast });
    const settled = await eventually(async () => {
      const row = await payoutRow(payoutId);
      return (row?.status === 'synced' || row?.status === 'waiting') && row;
    }, `payout ${payoutId} to be booked or parked`);
    expect([settled.status, settled.lastError]).toEqual(['synced', null]);
    expect(depositsOf(payoutId)).toHaveLength(1);
    const booked = depositsOf(payoutId)[0]!;
    // 9.60 charged − 4.80 paid back − 0.48 fees = 4.32, into Checking.
    expect(booked.TotalAmt).toBe(4.32);
    expect(lines(booked)).toEqual([
      [`Order #${sale.number}: payment`, 9.6, clearingId],
      [`Order #${sale.number}: refund`, -4.8, clearingId],
      [`Payment processing fees, payout ${payoutId}`, -0.48, feesId],
    ]);
    // The order's money through clearing, as the ledger holds it: in with the sale, out with the refund receipt,
    // out with the deposit's lines of the order. Nothing is left.
    const saleIn = harness.salesReceipts().filter((r) => r.docNumber === sale.number).map((r) => Math.round((r.record as any).TotalAmt * 100));
    const depositedOut = booked.Line.filter((l: any) => l.DepositLineDetail.AccountRef.value === clearingId).reduce((sum: number, l: any) => sum + Math.round(l.Amount * 100), 0);
    expect(saleIn[0]! - Math.round(refundReceipt!.TotalAmt * 100) - depositedOut).toBe(0);
    expect(await payoutRow(payoutId)).toMatchObject({ status: 'synced', net: '4.32' });
  });

  it('a deposit paying back a refund ledgerbridge did not book parks with the difference rather than booking a wrong deposit', async () => {
    const sale = await bookedMug();
    const deposit = harness.woo.control.createDeposit({
      currency: 'GBP',
      transactions: [
        { type: 'charge', amount: '9.60', fee: '0.48', orderId: sale.id, orderNumber: sale.number },
        { type: 'refund', amount: '-4.80', orderId: sale.id, orderNumber: sale.number },
      ],
    });
    const payoutId = String(deposit.id);
    const parked = await syncUntil(payoutId, 'waiting');
    expect(parked.lastError.code).toBe('ClearingMismatch');
    expect(parked.lastError.message).toContain(`#${sale.number} 4.80 (booked 9.60, paid out 9.60, refunds paid back 4.80 but booked 0.00)`);
    expect(depositsOf(payoutId)).toHaveLength(0);
  });
});
