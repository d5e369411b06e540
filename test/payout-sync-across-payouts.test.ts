import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseQboPayoutAccounts, qboDepositsOf, payoutSteps, vaseOrder } from './support/payout-steps.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * An order charged in one payout and refunded in a later one (the everyday case) when the later payout is checked
 * first: the earlier one still waits for another of its orders, or the same poll found both. The later payout's
 * clearing check is short of the order's charge only because that charge is in the earlier payout: it waits for
 * it, then books, instead of parking on a clearing "difference" (or halting the route when that is 50.00 or more).
 */
describe('payouts: a refund paid back in a later payout than its charge', () => {
  let harness: SyncHarness;
  const { payoutResult, syncUntil, twoOrdersOneRefunded } = payoutSteps(() => harness, { ordersRecheckMs: 10 * 60_000 });

  beforeAll(async () => {
    harness = await SyncHarness.start();
    await chooseQboPayoutAccounts(harness);
    harness.qbo.control.addItem(harness.realmId, { name: 'Vase', sku: null });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const depositsOf = (payoutId: string) => qboDepositsOf(harness, payoutId);

  it('waits for the earlier payout that charged the order, is woken when it is booked, and deposits once; neither parks on a clearing difference', async () => {
    const { a, b } = await twoOrdersOneRefunded('#8601', '#8602');
    const vase = vaseOrder(harness, '#8603');
    await eventually(async () => (await harness.orderRow(vase.id))?.status === 'waiting', 'the vase order to wait for its SKU');
    // The earlier payout charges #8602 and the vase, which is not booked yet: it waits for the vase.
    const earlier = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: b.id },
        { type: 'CHARGE', amount: '36.00', fee: '0.90', orderId: vase.id },
      ],
    });
    await syncUntil(earlier.id, 'waiting_for_orders');
    // The later one charges #8601 and pays back #8602's refund (9.60).
    const later = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: a.id },
        { type: 'REFUND', amount: '-9.60', orderId: b.id },
      ],
    });
    const waiting = await syncUntil(later.id, 'waiting_for_payout');
    expect(waiting.lastError.message).toBe(`Payout ${later.id} waits for earlier payout ${earlier.id} to be booked first: it may pay out charges of its orders.`);
    expect(depositsOf(later.id)).toEqual([]);
    expect((await harness.operator('GET', `/routes/${harness.routeId}/halt`)).body.halted).toBe(false);

    // The vase is mapped and booked, the earlier payout retried: it deposits and wakes the later one, long before
    // its re-check (10 minutes here).
    const vaseItem = harness.qbo.control.list(harness.realmId, 'Item').find((item) => item.Name === 'Vase')!;
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/VASE-1`, { ledgerItemId: String(vaseItem.Id) })).status).toBe(200);
    expect((await harness.syncResultOf(vase.id)).outcome).toBe('created');
    expect((await harness.operator('POST', `/routes/${harness.routeId}/payouts/${earlier.id}/retry`)).status).toBe(202);
    expect((await payoutResult(earlier.id)).outcome).toBe('created');
    expect((await payoutResult(later.id)).outcome).toBe('created');

    const [first, ...moreFirst] = depositsOf(earlier.id);
    const [second, ...moreSecond] = depositsOf(later.id);
    expect([moreFirst, moreSecond]).toEqual([[], []]);
    expect(first!.TotalAmt).toBe(81.9);
    // 48.00 charged − 9.60 paid back − 1.20 fees.
    expect(second!.Line.map((l: any) => [l.Description, l.Amount])).toEqual([
      ['Order #8601: payment', 48],
      ['Order #8602: refund', -9.6],
      [`Payment processing fees, payout ${later.id}`, -1.2],
    ]);
    expect(second!.TotalAmt).toBe(37.2);
  });
});
