import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { PlatformUnavailableError } from '../domain/platform-errors.js';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { deletePayoutPollSchedule, payoutPollScheduleId } from '../runtime/payout-poll-schedule.js';
import { chooseQboPayoutAccounts, qboDepositsOf, mugOrder, payoutSteps, vaseOrder } from './support/payout-steps.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * What the chaos run (`npm run chaos`) noticed about payouts besides the false difference across payouts: a skipped
 * payout started again by every poll, a payout left waiting for its re-check after its last order booked, and a
 * payout found already deposited on a re-run that did not count what it cleared.
 */
describe('payouts: polls, order bookings and re-runs', () => {
  let harness: SyncHarness;
  /** Payout numbers whose deposit QuickBooks writes but whose answer is lost on the way back. */
  const loseAnswer = new Set<string>();
  const decorateTarget = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookPayout') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<NonNullable<AccountingTarget['bookPayout']>>) => {
          const booked = await object.bookPayout!(...args);
          if (loseAnswer.delete(args[0].docNumber)) throw new PlatformUnavailableError(null, 'QuickBooks Online did not answer', 'connection reset after the write');
          return booked;
        };
      },
    });
  /** Payout ids by what their sync went through, for the replay check. */
  const replayed: Record<string, string> = {};
  // Re-checks far off (10 minutes): whatever happens sooner was woken, not timed.
  const { payoutResult, payoutRow, syncUntil, twoOrdersOneRefunded } = payoutSteps(() => harness, { ordersRecheckMs: 10 * 60_000 });

  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget });
    // Only the polls a test asks for: none of the route's schedule (every 6 hours).
    await deletePayoutPollSchedule(harness.client, harness.routeId);
    await chooseQboPayoutAccounts(harness);
    harness.qbo.control.addItem(harness.realmId, { name: 'Vase', sku: null });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const depositsOf = (payoutId: string) => qboDepositsOf(harness, payoutId);
  /** Asks for a poll of every payout since 2020 and waits until it has started the payout syncs it starts. */
  async function pollAndWait(): Promise<void> {
    const poll = await harness.operator('POST', `/routes/${harness.routeId}/payouts/poll`, { since: '2020-01-01T00:00:00Z' });
    expect(poll.status).toBe(202);
    await harness.handle(payoutPollScheduleId(harness.routeId)).result();
  }

  it('a skipped payout (taken from the bank) is not started again by later polls; a re-run by hand still runs it', async () => {
    const withdrawal = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'ADJUSTMENT', amount: '-5.00', adjustmentReason: 'Reserve' }] });
    await pollAndWait();
    const skipped = await eventually(async () => {
      const row = await payoutRow(withdrawal.id);
      return row?.status === 'skipped' && row;
    }, 'the withdrawal to be skipped');
    expect(skipped.attempts).toBe(1);
    expect(skipped.lastError.message).toContain('Book this one by hand.');

    for (let poll = 0; poll < 3; poll++) await pollAndWait();
    // Whatever run a poll might have started has ended by now: the latest run's result is in.
    expect((await payoutResult(withdrawal.id)).outcome).toBe('skipped');
    expect(await payoutRow(withdrawal.id)).toMatchObject({ status: 'skipped', attempts: 1 });

    const rerun = await harness.operator('POST', `/routes/${harness.routeId}/payouts/${withdrawal.id}/sync`);
    expect(rerun.status).toBe(202);
    const again = await eventually(async () => {
      const row = await payoutRow(withdrawal.id);
      return row?.attempts === 2 && row.status === 'skipped' && row;
    }, 'the re-run by hand to skip it again');
    expect(again.lastError.message).toContain('Book this one by hand.');
    expect(depositsOf(withdrawal.id)).toEqual([]);
    // The poll by hand made the route's schedule (every 6 hours): not wanted in the tests below.
    expect(await deletePayoutPollSchedule(harness.client, harness.routeId)).toBe(true);
  });

  it("a payout found already deposited on a re-run counts what it cleared: a later payout paying back a refund of its orders books", async () => {
    const { a, b } = await twoOrdersOneRefunded('#8801', '#8802');
    const first = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: a.id },
        { type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: b.id },
      ],
    });
    // QuickBooks writes the deposit and the answer is lost; the run stops (a worker lost, stopped by hand) before it
    // tries again (a minute later here), so it never records the deposit.
    loseAnswer.add(`PO-${first.id}`);
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: first.id, timing: { ordersRecheckMs: 10 * 60_000, platformRetryInitialMs: 60_000 } });
    await eventually(async () => !loseAnswer.has(`PO-${first.id}`) && depositsOf(first.id).length === 1, 'the deposit to be written');
    await harness.handle(payoutSyncWorkflowId(harness.routeId, first.id)).terminate('the run stopped');
    expect((await payoutRow(first.id)).status).not.toBe('synced');

    // Re-run by hand: it finds the deposit and writes nothing.
    expect((await harness.operator('POST', `/routes/${harness.routeId}/payouts/${first.id}/sync`)).status).toBe(202);
    const found = await payoutResult(first.id);
    expect(found.outcome).toBe('already_synced');
    expect(depositsOf(first.id)).toHaveLength(1);
    replayed['payout-sync-found-after-lost-run'] = first.id;

    // The next payout pays back #8802's refund (9.60) and charges a new order.
    const c = mugOrder(harness, '#8803');
    expect((await harness.syncResultOf(c.id)).outcome).toBe('created');
    const later = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'REFUND', amount: '-9.60', orderId: b.id },
        { type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: c.id },
      ],
    });
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: later.id, timing: { ordersRecheckMs: 10 * 60_000 } });
    const ended = await eventually(async () => {
      const row = await payoutRow(later.id);
      return (row?.status === 'synced' || row?.status === 'waiting' || row?.status === 'waiting_for_payout') && row;
    }, 'the later payout to book or park');
    expect(ended.lastError).toBeNull();
    expect(ended.status).toBe('synced');
    const [deposit, ...more] = depositsOf(later.id);
    expect(more).toEqual([]);
    // 48.00 charged − 9.60 paid back − 1.20 fees.
    expect(deposit!.TotalAmt).toBe(37.2);
  });

  it('a payout waiting for an order deposits once right after the order is booked, not at its re-check', async () => {
    const vase = vaseOrder(harness, '#8701');
    await eventually(async () => (await harness.orderRow(vase.id))?.status === 'waiting', 'the vase order to wait for its SKU');
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '36.00', fee: '0.90', orderId: vase.id }] });
    const waiting = await syncUntil(payout.id, 'waiting_for_orders');
    expect(waiting.lastError.message).toBe(`Payout ${payout.id} waits for #8701 to be booked first.`);

    // Mapping the SKU books the order (it resumes by itself); nobody retries the payout.
    const vaseItem = harness.qbo.control.list(harness.realmId, 'Item').find((item) => item.Name === 'Vase')!;
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/VASE-1`, { ledgerItemId: String(vaseItem.Id) })).status).toBe(200);
    expect((await harness.syncResultOf(vase.id)).outcome).toBe('created');
    const synced = await eventually(async () => {
      const row = await payoutRow(payout.id);
      return row?.status === 'synced' && row;
    }, 'the payout to deposit once its order is booked');
    expect(synced.ledgerDocNumber).toBe(`PO-${payout.id}`);
    const [deposit, ...more] = depositsOf(payout.id);
    expect(more).toEqual([]);
    expect(deposit!.TotalAmt).toBe(35.1);
    replayed['payout-sync-woken-by-order'] = payout.id;
  });

  it('the histories of these payout syncs replay deterministically', async () => {
    expect(Object.keys(replayed).sort()).toEqual(['payout-sync-found-after-lost-run', 'payout-sync-woken-by-order']);
    const runs = Object.entries(replayed).map(([fixtureName, payoutId]) => ({ workflowId: payoutSyncWorkflowId(harness.routeId, payoutId), fixtureName }));
    expect(await replayErrors(harness.client, runs)).toEqual([]);
  });
});
