import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import { shirtsAndMugSale } from './support/shopify-gbp-sale.js';
import { SHOPIFY_APP, SyncHarness } from './support/sync-harness.js';

/**
 * A Shopify refund of an amount alone (the admin's refund with no items: no refund line items, no shipping, one
 * REFUND transaction) becomes one QuickBooks Online refund receipt, from the signed refunds/create webhook: one line
 * for the amount on the sale's item, its VAT the sale's share; redelivered, it is a duplicate; nobody is told the
 * order "changed after booking". (WooCommerce: test/refund-sync-woocommerce.test.ts.)
 */
describe('refunds of an amount alone: Shopify → QuickBooks Online refund receipt', () => {
  let harness: SyncHarness;
  const told: Array<{ orderId: string; change: BookedOrderChangeRecord }> = [];
  beforeAll(async () => {
    harness = await SyncHarness.start({ bookedOrderChanges: () => ({ bookedOrderChanged: async (event) => void told.push(event) }) });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });


  it("books one refund receipt of one line on the sale's item at the sale's VAT; the webhook again is a duplicate; no change after booking", async () => {
    // Two shirts at 20.00 and a mug at 8.00, 20 % VAT on top: 57.60.
    const order = shirtsAndMugSale(harness.shopify.control, '#7201');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');

    // The merchant refunds 12.00 and no items.
    const refund = harness.shopify.control.refundOrder(order.id, { amount: '12.00', note: 'Goodwill' });
    expect([refund.lines, refund.shipping, refund.total]).toEqual([[], null, '12.00']);
    const result = await harness.refundResultOf(order.id, refund.id);
    expect(result.outcome, result.message).toBe('created');
    expect(result.message).toContain(`Refund ${refund.id} of order #7201 (12.00 GBP) was booked in QuickBooks Online #1 as refund receipt 7201-R1`);

    const [receipt, ...others] = harness.refundReceipts().filter((r) => r.docNumber === '7201-R1').map((r) => r.record as Record<string, any>);
    expect(others).toEqual([]);
    // All of the sale is at 20 % VAT: 12.00 is 10.00 and 2.00 VAT, on the item of the sale's largest line (the shirts).
    const items = receipt!.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(items.map((l: any) => [l.Description, l.SalesItemLineDetail.ItemRef.value, l.SalesItemLineDetail.Qty, l.Amount])).toEqual([
      ['Refund of order #7201 (amount only)', harness.ledgerId('Item', 'Red T-shirt'), 1, 10],
    ]);
    expect([receipt!.TxnTaxDetail?.TotalTax, receipt!.TotalAmt]).toEqual([2, 12]);
    expect(await harness.refundRow(order.id, refund.id)).toMatchObject({ status: 'synced', refundTotal: '12.00', ledgerDocNumber: '7201-R1' });

    // refunds/create delivered again under its own event id: a duplicate, nothing booked twice.
    const event = harness.shopify.control.webhookEvents().find((e) => e.topic === 'REFUNDS_CREATE' && JSON.parse(e.body).id === Number(refund.id))!;
    const again = await fetch(`${harness.apiOrigin}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'refunds/create',
        'x-shopify-shop-domain': harness.shop,
        'x-shopify-webhook-id': `again-${event.eventId}`,
        'x-shopify-event-id': event.eventId,
        'x-shopify-api-version': '2026-10',
        'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_APP.apiSecret).update(event.body).digest('base64'),
      },
      body: event.body,
    });
    expect([again.status, ((await again.json()) as { status: string }).status]).toEqual([200, 'duplicate']);
    expect(harness.refundReceipts().filter((r) => r.docNumber === '7201-R1')).toHaveLength(1);

    // The orders/updated sent with the refund: the order is as booked (no units came back), nobody is told.
    const update = harness.shopify.control.webhookEvents().filter((e) => e.topic === 'ORDERS_UPDATED' && e.body.includes(order.id)).at(-1)!;
    expect(JSON.parse(update.body)).toMatchObject({ financial_status: 'partially_refunded', total_price: '57.60' });
    expect(await harness.intakeOutcomeOf(update.eventId)).toBe('already_synced');
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', changedAfterBooking: null });
    expect(told.filter((e) => e.orderId === order.id)).toEqual([]);
    // The sale's receipt is left as booked.
    expect(harness.salesReceipts().filter((r) => r.docNumber === '7201').map((r) => (r.record as any).TotalAmt)).toEqual([57.6]);
  });
});
