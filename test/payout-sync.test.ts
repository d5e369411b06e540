import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { deletePayoutPollSchedule, keepPayoutPollSchedule } from '../runtime/payout-poll-schedule.js';
import { replayErrors } from './support/replay-check.js';
import { mugOrder, payoutSteps, vaseOrder } from './support/payout-steps.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Payouts through a clearing account: sales receipts deposit to the route's "Shopify Clearing", and each Shopify
 * Payments payout becomes one QuickBooks Online deposit of its net into the bank, with fees, refunds and adjustments
 * as their own lines, once; the payout parks while an order of it is not booked, or when it would leave money in clearing.
 */
describe('payouts: Shopify Payments → one QuickBooks Online deposit from the clearing account', () => {
  let harness: SyncHarness;
  let clearingId: string;
  let feesId: string;
  const fast = { ordersRecheckMs: 60_000, recheckWaitingMs: 60_000 };
  const { payoutResult, payoutRow, syncUntil, choosePayoutAccounts, payoutParkedWithoutFeeAccount, twoOrdersOneRefunded } = payoutSteps(() => harness, fast);
  /** Payout ids by what their sync went through, for the replay check. */
  const replayed: Record<string, string> = {};

  beforeAll(async () => {
    harness = await SyncHarness.start();
    clearingId = String(harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Clearing', type: 'Other Current Asset' }).Id);
    feesId = String(harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Fees', type: 'Expense' }).Id);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const deposits = () => harness.qbo.control.documents(harness.realmId, 'Deposit').map((d) => d.record as Record<string, any>);
  const lines = (deposit: Record<string, any>) => deposit.Line.map((l: any) => [l.Description, l.Amount, l.DepositLineDetail.AccountRef.value]);
  const order = (name: string) => mugOrder(harness, name);

  it('books new sales to the clearing account the route chose; a receipt booked before keeps Undeposited Funds', async () => {
    const before = order('#8000');
    expect((await harness.syncResultOf(before.id)).outcome).toBe('created');
    await choosePayoutAccounts({ clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' }, { name: 'QuickBooks Online #1', nameMax: 100 });
    const after = order('#8001');
    expect((await harness.syncResultOf(after.id)).outcome).toBe('created');
    // A re-run of the earlier order finds its receipt and leaves it where it was booked.
    await harness.startSync(before.id);
    expect((await harness.syncResultOf(before.id)).outcome).toBe('already_synced');
    const receipt = (docNumber: string) => harness.salesReceipts().filter((r) => r.docNumber === docNumber).map((r) => (r.record as any).DepositToAccountRef.value);
    expect(receipt('8000')).toEqual(['9004']);
    expect(receipt('8001')).toEqual([clearingId]);
  });

  it('a payout with fees, a refund and an adjustment deposits its net once, and a replay writes no second deposit', async () => {
    const { a, b } = await twoOrdersOneRefunded('#8101', '#8102');

    const payout = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'CHARGE', amount: '48.00', fee: '1.64', orderId: a.id },
        { type: 'CHARGE', amount: '48.00', fee: '1.64', orderId: b.id },
        { type: 'REFUND', amount: '-9.60', orderId: b.id },
        { type: 'ADJUSTMENT', amount: '-2.00', adjustmentReason: 'Currency conversion' },
      ],
    });
    const poll = await harness.operator('POST', `/routes/${harness.routeId}/payouts/poll`, {});
    expect(poll.status).toBe(202);
    const result = await eventually(async () => (await payoutRow(payout.id)) && payoutResult(payout.id), 'the payout sync');
    expect(result.outcome).toBe('created');
    const booked = deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`));
    expect(booked).toHaveLength(1);
    const deposit = booked[0]!;
    // 96.00 charged − 9.60 refunded − 3.28 fees − 2.00 adjustment = 81.12, into Checking.
    expect(deposit.TotalAmt).toBe(81.12);
    expect(deposit.DepositToAccountRef.value).toBe('9035');
    expect(lines(deposit)).toEqual([
      ['Order #8101: payment', 48, clearingId],
      ['Order #8102: payment', 48, clearingId],
      ['Order #8102: refund', -9.6, clearingId],
      [`Payment processing fees, payout ${payout.id}`, -3.28, feesId],
      ['adjustment (Currency conversion)', -2, feesId],
    ]);
    expect(await payoutRow(payout.id)).toMatchObject({ status: 'synced', net: '81.12', currency: 'GBP', ledgerDocNumber: `PO-${payout.id}` });

    // Run again (a poll from an earlier date, a re-run by hand): it finds the deposit and writes nothing.
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: payout.id });
    const again = await payoutResult(payout.id);
    expect(again.outcome).toBe('already_synced');
    expect(again.message).toContain('nothing new was written');
    expect(deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`))).toHaveLength(1);
    replayed['payout-sync-already-synced'] = payout.id;
  });

  it('a payout whose order is not booked yet waits for it, then deposits once it is', async () => {
    harness.qbo.control.addItem(harness.realmId, { name: 'Vase', sku: null });
    const vase = vaseOrder(harness, '#8201');
    await eventually(async () => (await harness.orderRow(vase.id))?.status === 'waiting', 'the order to wait for a SKU mapping');
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '36.00', fee: '0.90', orderId: vase.id }] });
    const waiting = await syncUntil(payout.id, 'waiting_for_orders');
    expect(waiting.lastError.message).toBe(`Payout ${payout.id} waits for #8201 to be booked first.`);
    expect(deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`))).toHaveLength(0);

    const vaseItem = harness.qbo.control.list(harness.realmId, 'Item').find((item) => item.Name === 'Vase')!;
    const mapped = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/VASE-1`, { ledgerItemId: String(vaseItem.Id) });
    expect(mapped.status).toBe(200);
    expect((await harness.syncResultOf(vase.id)).outcome).toBe('created');
    await harness.operator('POST', `/routes/${harness.routeId}/payouts/${payout.id}/retry`);
    const result = await payoutResult(payout.id);
    expect(result.outcome).toBe('created');
    const [deposit] = deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`));
    expect(deposit!.TotalAmt).toBe(35.1);
    replayed['payout-sync-waited-for-order'] = payout.id;
  });

  it('a payout that would leave money in the clearing account parks with the difference and the order that explains it', async () => {
    const short = order('#8301');
    expect((await harness.syncResultOf(short.id)).outcome).toBe('created');
    // The shop paid out 45.00 of the order's 48.00 (say 3.00 was paid by gift card): 3.00 would stay in clearing.
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '45.00', fee: '1.50', orderId: short.id }] });
    const parked = await syncUntil(payout.id, 'waiting');
    expect(parked.lastError).toEqual({
      code: 'ClearingMismatch',
      message:
        `Payout ${payout.id} was not booked: it would leave 3.00 GBP in the clearing account for its orders. #8301 3.00 (booked 48.00, paid out 45.00). ` +
        'Correct the ledger (or book what is missing), then retry the payout.',
    });
    expect(deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`))).toHaveLength(0);
    await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).terminate('test over');
    replayed['payout-sync-clearing-mismatch-parked'] = payout.id;
  });

  it('a payout that would leave more than 50.00 in clearing also stops the route: orders wait as halted until an operator releases it', async () => {
    const sale = order('#8351');
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    // 120.00 paid out for an order booked at 48.00: 72.00 more than clearing holds for it.
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '120.00', fee: '1.50', orderId: sale.id }] });
    const parked = await syncUntil(payout.id, 'waiting');
    expect(parked.lastError.code).toBe('ClearingMismatch');
    const halt = await harness.operator('GET', `/routes/${harness.routeId}/halt`);
    expect(halt.body).toMatchObject({ halted: true, halt: { reason: 'clearing_drift', detail: { payoutId: payout.id, currency: 'GBP', difference: '-72.00' } } });
    expect(halt.body.halt.message).toContain(`Payout ${payout.id} would leave -72.00 GBP in the clearing account of QuickBooks Online #1`);

    // While halted, a new order posts nothing; released, it books once.
    const waiting = order('#8352');
    await eventually(async () => (await harness.orderRow(waiting.id))?.status === 'halted', 'the order to wait as halted');
    expect((await harness.operator('POST', `/routes/${harness.routeId}/release`)).status).toBe(200);
    await eventually(async () => (await harness.orderRow(waiting.id))?.status === 'synced', 'the order to book after the release');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '8352')).toHaveLength(1);
    await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).terminate('test over');
  });

  it('a payout parks saying which account to choose when the route has none for its fees, and goes on once it is chosen', async () => {
    const { payout, chooseAndBook } = await payoutParkedWithoutFeeAccount('#8401', 'QuickBooks Online', 'Shopify Fees');
    await chooseAndBook();
    const [deposit] = deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`));
    expect(lines(deposit!)).toEqual([
      ['Order #8401: payment', 48, clearingId],
      [`Payment processing fees, payout ${payout.id}`, -1.2, feesId],
    ]);
  });

  it("the route's payout poll schedule finds a new payout and deposits it, with nobody asking", async () => {
    const sale = order('#8501');
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: sale.id }] });
    // The earlier test's poll by hand made the route's schedule (every 6 hours): made again here, every second.
    expect(await deletePayoutPollSchedule(harness.client, harness.routeId)).toBe(true);
    expect(await keepPayoutPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, everyMs: 1_000 }, harness.routeId)).toBe(true);
    expect(await keepPayoutPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, everyMs: 1_000 }, harness.routeId)).toBe(false);
    try {
      expect((await eventually(async () => (await payoutRow(payout.id))?.status === 'synced' && payoutRow(payout.id), 'the scheduled poll to book the payout')).ledgerDocNumber).toBe(`PO-${payout.id}`);
      expect(deposits().filter((d) => d.PrivateNote.includes(`payout ${payout.id},`))).toHaveLength(1);
    } finally {
      expect(await deletePayoutPollSchedule(harness.client, harness.routeId)).toBe(true);
    }
  });

  it('the histories of these payout syncs replay deterministically', async () => {
    expect(Object.keys(replayed).sort()).toEqual(['payout-sync-already-synced', 'payout-sync-clearing-mismatch-parked', 'payout-sync-waited-for-order']);
    const runs = Object.entries(replayed).map(([fixtureName, payoutId]) => ({ workflowId: payoutSyncWorkflowId(harness.routeId, payoutId), fixtureName }));
    expect(await replayErrors(harness.client, runs)).toEqual([]);
  });
});
