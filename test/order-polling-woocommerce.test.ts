import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { webhookEvents } from '../db/schema.js';
import { deleteOrderPollSchedule, keepOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/** Short enough for a test, long enough that a poll and a booking each fit in one. */
const POLL_INTERVAL_MS = 2_000;

/**
 * WooCommerce never retries a failed delivery: a webhook lost on the way is polling's to catch. The store's poll
 * schedule (a real Temporal Schedule) reads `modified_after` through the official client and hands the order to
 * the intake the webhook would have used.
 */
describe('reconciliation polling: a WooCommerce order whose webhook was lost', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce' });
    await keepOrderPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, orderPollIntervalMs: POLL_INTERVAL_MS }, harness.wooIntegrationId, false);
  }, 120_000);
  afterAll(async () => {
    if (harness) await deleteOrderPollSchedule(harness.client, harness.wooIntegrationId);
    await harness?.close();
  });

  it('is booked within one polling interval, once, and the API shows where polling stands', async () => {
    const dropped = await fetch(`${harness.woo.origin}/_emulator/webhooks/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 1 }) });
    expect(dropped.status).toBe(200);
    const order = harness.woo.control.createOrder({
      currency: 'GBP',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [{ name: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    });
    const createdAt = Date.now();
    const orderId = String(order.id);
    // The delivery is attempted (WordPress sends it a moment after the save) and lost: nothing reaches us.
    const deliveries = await eventually(async () => {
      const found = harness.woo.control.webhooks.deliveries.filter((d) => (JSON.parse(d.body) as { id: number }).id === order.id);
      return found.length > 0 ? found : undefined;
    }, 'the delivery attempt');
    expect(deliveries.map((d) => d.status)).toEqual([null]);

    const [polled] = await eventually(async () => {
      const events = (await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId))).filter((e) => e.topic === 'orders/polled');
      return events.length > 0 ? events : undefined;
    }, 'the poll to hand the order over', POLL_INTERVAL_MS + 10_000);
    expect(polled!.receivedAt.getTime() - createdAt).toBeLessThan(POLL_INTERVAL_MS + 4_000);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === String(order.number))).toHaveLength(1);

    // Two more polls list it again (the overlap) and hand nothing over: still one receipt, one intake event.
    const bookedAt = Date.now();
    const polling = await eventually(async () => {
      const view = await harness.operator('GET', `/integrations/${harness.wooIntegrationId}/polling`);
      return view.body.lastPolledAt && Date.parse(view.body.lastPolledAt) > bookedAt + POLL_INTERVAL_MS ? view : undefined;
    }, 'two more polls');
    expect(polling.body).toMatchObject({ integrationId: harness.wooIntegrationId, lastError: null, schedule: { paused: false, everySeconds: 2 } });
    expect(Date.parse(polling.body.handedOverUntil)).toBeGreaterThan(0);
    expect((await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId))).map((e) => e.topic)).toEqual(['orders/polled']);
    expect(harness.salesReceipts().filter((r) => r.docNumber === String(order.number))).toHaveLength(1);
  });

  it('a refund whose order.updated was lost is found by the poll: its refund receipt is booked once, and nobody is told the order changed', async () => {
    const order = harness.woo.control.createOrder({
      currency: 'GBP',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [{ name: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' }],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    });
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const docNumber = order.number as string;
    // WooCommerce's dates have whole seconds: the refund is a change only from the second after the one booked.
    const bookedAt = Date.parse((await harness.orderRow(orderId))!.shopUpdatedAt!.toISOString());
    await eventually(async () => Math.floor(Date.now() / 1000) > Math.floor(bookedAt / 1000) || undefined, 'the next second');

    const dropped = await fetch(`${harness.woo.origin}/_emulator/webhooks/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 1 }) });
    expect(dropped.status).toBe(200);
    const tee = (order.line_items as Array<{ id: number }>)[0]!;
    const refund = harness.woo.control.refundOrder(order.id as number, '24.00', 'Wrong size', [{ id: tee.id, quantity: 1, refund_total: '20.00', refund_tax: '4.00' }])!;
    const refundId = String(refund.id);
    const lost = await eventually(async () => {
      const found = harness.woo.control.webhooks.deliveries.filter((d) => d.topic === 'order.updated' && ((JSON.parse(d.body) as { refunds?: Array<{ id: number }> }).refunds ?? []).some((r) => r.id === refund.id));
      return found.length > 0 ? found : undefined;
    }, 'the delivery attempt of the refund');
    expect(lost.map((d) => d.status)).toEqual([null]);

    const [polled] = await harness.intakeEventsOnceThere(orderId, 'refunds/polled', 'the poll to hand the refund over', POLL_INTERVAL_MS + 10_000);
    // The id its webhook would have used: had it come after all, it would have been a duplicate.
    expect(polled!.eventId).toBe(`woocommerce/${harness.wooIntegrationId}/refund/${orderId}/${refundId}`);
    expect((await harness.refundResultOf(orderId, refundId)).outcome).toBe('created');
    expect(harness.refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 24]]);

    // More polls list the order again: still one event for the refund, one receipt, no change reported.
    await harness.pollsAfter(harness.wooIntegrationId, Date.now(), POLL_INTERVAL_MS);
    const events = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId));
    expect(events.filter((e) => e.topic === 'refunds/polled')).toHaveLength(1);
    expect(events.map((e) => e.outcome)).not.toContain('changed_after_booking');
    expect(harness.refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 24]]);
    expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
  });
});
