import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { PlatformUnavailableError } from '../domain/platform-errors.js';
import { refundSyncWorkflowId } from '../runtime/refund-sync-starter.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SHOPIFY_APP, SyncHarness } from './support/sync-harness.js';

/**
 * A refund or a cancellation after booking becomes the ledger's refund document (a QuickBooks Online refund
 * receipt), once, through its own workflow per order and refund: from the signed Shopify webhook to the ledger.
 */
describe('refunds and cancellations after booking: Shopify → QuickBooks Online refund receipts', () => {
  let harness: SyncHarness;
  /** Refund numbers whose first booking answer is lost after QuickBooks wrote the receipt. */
  const loseFirstAnswer = new Set<string>();
  const decorateTarget = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookRefund') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<NonNullable<AccountingTarget['bookRefund']>>) => {
          const booked = await object.bookRefund!(...args);
          if (loseFirstAnswer.delete(args[0].docNumber)) throw new PlatformUnavailableError(null, 'QuickBooks Online did not answer', 'connection reset after the write');
          return booked;
        };
      },
    });
  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const refundReceiptsNumbered = (docNumber: string) => harness.refundReceipts().filter((r) => r.docNumber === docNumber).map((r) => r.record as Record<string, any>);
  const itemLines = (receipt: Record<string, any>) =>
    receipt.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail' && l.SalesItemLineDetail.ItemRef.value !== 'SHIPPING_ITEM_ID').map((l: any) => [l.SalesItemLineDetail.ItemRef.value, l.SalesItemLineDetail.Qty, l.Amount]);
  const shippingAmount = (receipt: Record<string, any>) => receipt.Line.find((l: any) => l.SalesItemLineDetail?.ItemRef?.value === 'SHIPPING_ITEM_ID')?.Amount ?? null;

  function bookedOrder(name: string) {
    return harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      taxesIncluded: false,
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', discount: '4.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '7.20' }] },
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.60' }] },
      ],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });
  }

  it('a partial refund of one line and the shipping becomes one refund receipt with those lines and the shop’s refunded total', async () => {
    const order = bookedOrder('#7001');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const tee = order.lineItems.find((line) => line.sku === 'TS-RED-M')!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: tee.id, quantity: 1, restockType: 'RETURN' }], shipping: true, note: 'Wrong size' });
    // One of two shirts: 20.00 less half the 4.00 discount, half the 7.20 VAT; shipping 4.50 untaxed.
    expect(refund.total).toBe('26.10');

    const result = await harness.refundResultOf(order.id, refund.id);
    expect(result.outcome).toBe('created');
    expect(result.message).toBe(
      `Refund ${refund.id} of order #7001 (26.10 GBP) was booked in QuickBooks Online #1 as refund receipt 7001-R1 (id ${result.ledgerDocument!.id}), against 7001.`,
    );
    const [receipt, ...others] = refundReceiptsNumbered('7001-R1');
    expect(others).toEqual([]);
    expect(itemLines(receipt!)).toEqual([[harness.ledgerId('Item', 'Red T-shirt'), 1, 18]]);
    expect(shippingAmount(receipt!)).toBe(4.5);
    expect(receipt!.TotalAmt).toBe(26.1);
    // Paid out of where the sale's money went (Undeposited Funds), marked as ours for this order and refund.
    const saleReceipt = harness.salesReceipts().find((r) => r.docNumber === '7001')!.record as Record<string, any>;
    expect([receipt!.DepositToAccountRef.value, saleReceipt.DepositToAccountRef.value]).toEqual(['9004', '9004']);
    expect(receipt!.PrivateNote).toBe(`Shopify #1 order #7001 (id ${order.id}) refund ${refund.id}, booked by ledgerbridge.\nCustomer note: Wrong size`);
    // The sale's receipt is left as booked.
    expect(harness.salesReceipts().filter((r) => r.docNumber === '7001').map((r) => (r.record as any).TotalAmt)).toEqual([57.3]);
    expect(await harness.refundRow(order.id, refund.id)).toMatchObject({ status: 'synced', orderName: '#7001', refundTotal: '26.10', refundCurrency: 'GBP', ledgerDocNumber: '7001-R1', lastErrorCode: null });

    // What an operator sees through the API, next to the order's sync.
    const listed = await harness.operator('GET', `/routes/${harness.routeId}/orders/${order.id}/refunds`);
    expect(listed.status).toBe(200);
    expect(listed.body.refunds).toEqual([expect.objectContaining({ refundId: refund.id, status: 'synced', ledgerDocNumber: '7001-R1', refundTotal: '26.10', refundCurrency: 'GBP' })]);
    // The route's list of refunds says the same, in the OpenAPI schema's fields.
    const routeRefunds = await harness.operator('GET', `/routes/${harness.routeId}/refunds`);
    expect(routeRefunds.body.refunds.find((r: { refundId: string }) => r.refundId === refund.id)).toMatchObject({ refundTotal: '26.10', refundCurrency: 'GBP' });
  });

  it('the refunds/create webhook delivered three times (and once more under a new event id) books one refund receipt', async () => {
    const order = bookedOrder('#7002');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const mug = order.lineItems.find((line) => line.sku === 'MUG-1')!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: mug.id, quantity: 1, restockType: 'NO_RESTOCK' }] });
    const event = harness.shopify.control.webhookEvents().find((e) => e.topic === 'REFUNDS_CREATE' && JSON.parse(e.body).id === Number(refund.id))!;
    harness.shopify.control.redeliverWebhook(event.eventId, { times: 2 });
    await harness.shopify.control.webhooksIdle();
    expect((await harness.refundResultOf(order.id, refund.id)).outcome).toBe('created');
    const handle = harness.handle(refundSyncWorkflowId(harness.routeId, order.id, refund.id));
    const firstRun = (await handle.describe()).runId;

    // A late copy under its own event id: the refund is booked, so it starts nothing (no new run) and writes nothing.
    const lateEventId = randomUUID();
    const late = await fetch(`${harness.apiOrigin}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'refunds/create',
        'x-shopify-shop-domain': harness.shop,
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': lateEventId,
        'x-shopify-api-version': '2026-10',
        'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_APP.apiSecret).update(event.body).digest('base64'),
      },
      body: event.body,
    });
    expect(late.status).toBe(200);
    expect(await harness.intakeOutcomeOf(lateEventId)).toBe('already_synced');
    expect((await handle.describe()).runId).toBe(firstRun);
    expect((await harness.refundRow(order.id, refund.id))?.status).toBe('synced');
    const receipts = refundReceiptsNumbered('7002-R1');
    expect(receipts).toHaveLength(1);
    expect(itemLines(receipts[0]!)).toEqual([[harness.ledgerId('Item', 'Mug'), 1, 8]]);
    expect(receipts[0]!.Line[0].Description).toBe('Mug (not restocked)');
    expect(receipts[0]!.TotalAmt).toBe(9.6);
  });

  it('a cancellation of a booked order becomes its full reversal, never an edit of the sales receipt', async () => {
    const order = bookedOrder('#7003');
    const sale = await harness.syncResultOf(order.id);
    expect(sale.outcome).toBe('created');
    harness.shopify.control.cancelOrder(order.id);

    const result = await harness.refundResultOf(order.id, 'cancellation');
    expect(result.outcome).toBe('created');
    expect(result.message).toContain('The cancellation of order #7003 (57.30 GBP) was booked in QuickBooks Online #1 as refund receipt 7003-C');
    const [reversal, ...others] = refundReceiptsNumbered('7003-C');
    expect(others).toEqual([]);
    expect(itemLines(reversal!)).toEqual([
      [harness.ledgerId('Item', 'Red T-shirt'), 2, 36],
      [harness.ledgerId('Item', 'Mug'), 1, 8],
    ]);
    expect(shippingAmount(reversal!)).toBe(4.5);
    expect(reversal!.TotalAmt).toBe(57.3);
    const saleReceipts = harness.salesReceipts().filter((r) => r.docNumber === '7003');
    expect(saleReceipts.map((r) => [(r.record as any).TotalAmt, (r.record as any).SyncToken])).toEqual([[57.3, '0']]);
  });

  it('a refund that arrives before its sale is booked waits, then books right after the sale', async () => {
    const order = harness.shopify.control.createOrder({ name: '#7004', lineItems: [{ title: 'Mug', sku: 'MUG-74', quantity: 2, unitPrice: '8.00' }] });
    await eventually(async () => (await harness.orderRow(order.id))?.waitingOn === 'sku:MUG-74' || undefined, 'the order to wait for its SKU');
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }] });
    await eventually(async () => (await harness.refundRow(order.id, refund.id))?.status === 'waiting_for_sale' || undefined, 'the refund to wait for the sale');
    expect(refundReceiptsNumbered('7004-R1')).toEqual([]);

    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/MUG-74`, { ledgerItemId: harness.ledgerId('Item', 'Mug') });
    expect(saved.status).toBe(200);
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const result = await harness.refundResultOf(order.id, refund.id);
    expect(result.outcome).toBe('created');
    const receipts = refundReceiptsNumbered('7004-R1');
    expect(receipts.map((r) => r.TotalAmt)).toEqual([8]);
    expect(harness.salesReceipts().filter((r) => r.docNumber === '7004')).toHaveLength(1);
  });

  it('a booking whose answer QuickBooks lost after writing is looked up on the retry: still one refund receipt', async () => {
    const order = bookedOrder('#7005');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    loseFirstAnswer.add('7005-R1');
    const mug = order.lineItems.find((line) => line.sku === 'MUG-1')!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: mug.id, quantity: 1 }] });
    const result = await harness.refundResultOf(order.id, refund.id);
    expect(loseFirstAnswer.has('7005-R1')).toBe(false);
    expect(result.outcome).toBe('created');
    expect(refundReceiptsNumbered('7005-R1').map((r) => r.TotalAmt)).toEqual([9.6]);
  });

  it('the histories of these refund bookings replay deterministically', async () => {
    const rows = (await harness.operator('GET', `/routes/${harness.routeId}/refunds`)).body.refunds as Array<{ orderId: string; refundId: string; orderName: string }>;
    const names: Record<string, string> = {
      '#7001': 'refund-sync-partial-refund-with-shipping',
      '#7002': 'refund-sync-redelivered-already-synced',
      '#7003': 'refund-sync-cancellation-reversal',
      '#7004': 'refund-sync-waited-for-sale',
      '#7005': 'refund-sync-lost-answer-found-on-retry',
    };
    expect(rows.map((row) => row.orderName).sort()).toEqual(Object.keys(names));
    const runs = rows.map((row) => ({ workflowId: refundSyncWorkflowId(harness.routeId, row.orderId, row.refundId), fixtureName: names[row.orderName]! }));
    expect(await replayErrors(harness.client, runs)).toEqual([]);
  });
});
