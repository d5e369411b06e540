import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QBD_TEST_SHOP_CURRENCY, qbdRefundTestCompany } from './support/qbd-test-company.js';
import { refundSyncWorkflowId } from '../runtime/refund-sync-starter.js';
import { replayErrors } from './support/replay-check.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * Refunds and cancellations after booking into QuickBooks Desktop, through the Web Connector queue: a credit memo
 * numbered after the sale and its refund out of Undeposited Funds (where the sales receipt went), each request run
 * by the company emulator against Intuit's qbXML 16.0 schema.
 */
describe('refunds and cancellations after booking: Shopify → QuickBooks Desktop credit memos', () => {
  let harness: SyncHarness;
  /** Refund bookings whose histories become replay fixtures (test/histories, RECORD_HISTORIES=1). */
  const recorded: { workflowId: string; fixtureName: string }[] = [];
  const record = (orderId: string, refundId: string, fixtureName: string, routeId = harness.routeId) =>
    recorded.push({ workflowId: refundSyncWorkflowId(routeId, orderId, refundId), fixtureName });
  beforeAll(async () => {
    harness = await SyncHarness.start({
      shopCurrency: QBD_TEST_SHOP_CURRENCY,
      qbd: qbdRefundTestCompany(),
    });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const company = () => harness.qbd!.company.company;
  const memos = (ref: string) => company().creditMemos.filter((m) => m.refNumber === ref);
  const refundsOf = (memoTxnId: string) => company().arRefunds.filter((r) => r.applied.some((a) => a.txnId === memoTxnId));

  function order(name: string) {
    return harness.shopify.control.createOrder({
      name,
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', discount: '4.00' },
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' },
      ],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });
  }

  it('a partial refund with shipping becomes one credit memo with those lines, refunded out of Undeposited Funds', async () => {
    const sold = order('#4101');
    expect((await harness.syncResultOf(sold.id)).outcome).toBe('created');
    const tee = sold.lineItems.find((line) => line.sku === 'TS-RED-M')!;
    const refund = harness.shopify.control.refundOrder(sold.id, { lines: [{ lineItemId: tee.id, quantity: 1 }], shipping: true });
    expect(refund.total).toBe('22.50');

    const result = await harness.refundResultOf(sold.id, refund.id);
    expect(result.outcome).toBe('created');
    expect(result.message).toBe(`Refund ${refund.id} of order #4101 (22.50 USD) was booked in QuickBooks Desktop #1 as credit memo 4101-R1 (id ${result.ledgerDocument!.id}), against 4101.`);
    const [memo, ...others] = memos('4101-R1');
    expect(others).toEqual([]);
    expect(memo!.lines.map((l) => [l.itemName, l.quantity, l.amount])).toEqual([
      ['TS-RED-M', '1', '18.00'],
      ['Shipping', undefined, '4.50'],
    ]);
    expect(memo).toMatchObject({ totalAmount: '22.50', creditRemaining: '0.00', customer: { fullName: 'Ada Lovelace' } });
    expect(memo!.memo).toContain(`order #4101 (id ${sold.id}) refund ${refund.id}, booked by ledgerbridge.`);
    const [paidBack, ...more] = refundsOf(memo!.txnId);
    expect(more).toEqual([]);
    expect(paidBack).toMatchObject({ totalAmount: '22.50', refNumber: '4101-R1', customer: { fullName: 'Ada Lovelace' } });
    // The sale's receipt is left as booked.
    expect(company().salesReceipts.filter((r) => r.refNumber === '4101').map((r) => r.totalAmount)).toEqual(['48.50']);
    record(sold.id, refund.id, 'refund-sync-qbd-credit-memo');
  });

  it('a credit memo whose answer was lost is found by its number: one credit memo, refunded once; a cancellation reverses the rest', async () => {
    const sold = order('#4102');
    expect((await harness.syncResultOf(sold.id)).outcome).toBe('created');
    harness.qbd!.connector.loseAnswerOf('CreditMemoAdd');
    const mug = sold.lineItems.find((line) => line.sku === 'MUG-1')!;
    const refund = harness.shopify.control.refundOrder(sold.id, { lines: [{ lineItemId: mug.id, quantity: 1 }] });
    expect((await harness.refundResultOf(sold.id, refund.id)).outcome).toBe('created');
    expect(memos('4102-R1').map((m) => [m.totalAmount, m.creditRemaining])).toEqual([['8.00', '0.00']]);
    expect(refundsOf(memos('4102-R1')[0]!.txnId).map((r) => r.totalAmount)).toEqual(['8.00']);

    harness.shopify.control.cancelOrder(sold.id);
    const reversal = await harness.refundResultOf(sold.id, 'cancellation');
    expect(reversal.outcome).toBe('created');
    expect(reversal.message).toContain('The cancellation of order #4102 (40.50 USD) was booked in QuickBooks Desktop #1 as credit memo 4102-C');
    expect(memos('4102-C').map((m) => [m.totalAmount, m.creditRemaining, m.lines.map((l) => [l.itemName, l.amount])])).toEqual([
      ['40.50', '0.00', [['TS-RED-M', '36.00'], ['Shipping', '4.50']]],
    ]);
    record(sold.id, refund.id, 'refund-sync-qbd-lost-answer-found-by-number');
  });

  it('the histories of these refund bookings replay deterministically', async () => {
    expect(recorded.map((run) => run.fixtureName)).toEqual(['refund-sync-qbd-credit-memo', 'refund-sync-qbd-lost-answer-found-by-number']);
    expect(await replayErrors(harness.client, recorded)).toEqual([]);
  });
});
