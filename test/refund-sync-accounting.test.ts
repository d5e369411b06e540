import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEvents } from '../db/schema.js';
import type { BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import { refundSyncWorkflowId } from '../runtime/refund-sync-starter.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * What a refund does besides its own document, on a ledger that books refunds (QuickBooks Online): the
 * orders/updated Shopify sends with it is not a "changed after booking", and a cancellation's reversal and the
 * shop's refunds together never give back more than the sale.
 */
describe('refunds after booking: no spurious change reports, never money given back twice', () => {
  let harness: SyncHarness;
  /** Refund bookings whose histories become replay fixtures (test/histories, RECORD_HISTORIES=1). */
  const recorded: { workflowId: string; fixtureName: string }[] = [];
  const record = (orderId: string, refundId: string, fixtureName: string, routeId = harness.routeId) =>
    recorded.push({ workflowId: refundSyncWorkflowId(routeId, orderId, refundId), fixtureName });
  const told: Array<{ orderId: string; change: BookedOrderChangeRecord }> = [];
  beforeAll(async () => {
    harness = await SyncHarness.start({ bookedOrderChanges: () => ({ bookedOrderChanged: async (event) => void told.push(event) }) });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const refundReceiptTotals = (saleDocNumber: string) => harness.refundReceiptTotals(saleDocNumber);

  function bookedOrder(name: string) {
    return harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '8.00' }] },
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.60' }] },
      ],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });
  }

  /** The intake's outcome for the orders/updated Shopify sent with the order's latest change. */
  async function lastUpdateOutcome(orderId: string): Promise<string> {
    const update = harness.shopify.control.webhookEvents().filter((e) => e.topic === 'ORDERS_UPDATED' && e.body.includes(orderId)).at(-1)!;
    return eventually(async () => {
      const [row] = await harness.db.select({ outcome: webhookEvents.outcome }).from(webhookEvents).where(eq(webhookEvents.eventId, update.eventId));
      return row && row.outcome !== 'queued' && row.outcome !== 'processing' ? row.outcome : undefined;
    }, 'the orders/updated sent with the refund to be handled');
  }

  it('a refund lowers the order’s current total and Shopify says so in orders/updated: the refund is booked, nobody is told to book it by hand', async () => {
    const order = bookedOrder('#7101');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const tee = order.lineItems.find((line) => line.sku === 'TS-RED-M')!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: tee.id, quantity: 1 }], shipping: true });
    expect(refund.total).toBe('28.50');
    const updated = JSON.parse(harness.shopify.control.webhookEvents().filter((e) => e.topic === 'ORDERS_UPDATED' && e.body.includes(order.id)).at(-1)!.body);
    // Shopify's current total leaves the returned shirt out (24.00 with its tax): 38.10 of 62.10.
    expect([updated.total_price, updated.current_total_price, updated.financial_status]).toEqual(['62.10', '38.10', 'partially_refunded']);

    expect((await harness.refundResultOf(order.id, refund.id)).outcome).toBe('created');
    expect(await lastUpdateOutcome(order.id)).toBe('already_synced');
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', bookedOrderTotal: '62.10', bookedSaleTotal: '62.10', changedAfterBooking: null });
    expect(told.filter((event) => event.orderId === order.id)).toEqual([]);
    expect(refundReceiptTotals('7101')).toEqual([['7101-R1', 28.5]]);

    // An edit is still a change: the order's lines replaced by three mugs.
    harness.shopify.control.updateOrder(order.id, { lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '8.00' }] });
    expect(await lastUpdateOutcome(order.id)).toBe('changed_after_booking');
    expect(told.filter((event) => event.orderId === order.id).map((event) => event.change.kind)).toEqual(['total_changed']);
  });

  it('a refund Shopify reports only after the cancellation’s reversal was booked gives nothing back again', async () => {
    const order = bookedOrder('#7102');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    harness.shopify.control.cancelOrder(order.id);
    const reversal = await harness.refundResultOf(order.id, 'cancellation');
    expect(reversal.outcome).toBe('created');

    // The shop's own refund of the cancelled order, seen after the reversal gave everything back.
    const refund = harness.shopify.control.refundOrder(order.id, { lines: order.lineItems.map((line) => ({ lineItemId: line.id, quantity: line.quantity })), shipping: true });
    const result = await harness.refundResultOf(order.id, refund.id);
    expect(result.outcome).toBe('skipped');
    expect(result.message).toBe(
      `Refund ${refund.id} of order #7102 was not booked: the reversal of its cancellation (7102-C) gave it back already ` +
        '(Shopify #1 reported this refund only after the reversal was worked out); booking it too would give the money back twice.',
    );
    expect(refundReceiptTotals('7102')).toEqual([['7102-C', 62.1]]);
    expect(await harness.refundRow(order.id, refund.id)).toMatchObject({ status: 'skipped', ledgerDocNumber: null });
    record(order.id, refund.id, 'refund-sync-covered-by-cancellation-reversal');
  });

  it('a refund booked before the cancellation is left out of the reversal: together they give back the sale, once', async () => {
    const order = bookedOrder('#7103');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const mug = order.lineItems.find((line) => line.sku === 'MUG-1')!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: mug.id, quantity: 1 }] });
    expect((await harness.refundResultOf(order.id, refund.id)).outcome).toBe('created');
    harness.shopify.control.cancelOrder(order.id);
    expect((await harness.refundResultOf(order.id, 'cancellation')).outcome).toBe('created');
    expect(refundReceiptTotals('7103')).toEqual([
      ['7103-C', 52.5],
      ['7103-R1', 9.6],
    ]);
    expect(await harness.refundRow(order.id, 'cancellation')).toMatchObject({ accountedRefundIds: [refund.id] });
  });

  it('the histories of these refund bookings replay deterministically', async () => {
    expect(recorded.map((run) => run.fixtureName)).toEqual(['refund-sync-covered-by-cancellation-reversal']);
    expect(await replayErrors(harness.client, recorded)).toEqual([]);
  });
});
