import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { refundSyncs, webhookEvents } from '../db/schema.js';
import type { BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import type { SquarespaceOrderInput } from '../emulators/squarespace/index.js';
import { deleteOrderPollSchedule, keepOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { redeliverAtOnce } from './support/webhook-replay.js';

const POLL_INTERVAL_MS = 2_000;

/**
 * A Squarespace refund after booking: the site says only "REFUNDED" (order.update), its Transactions document lists
 * the refund with its amount and no lines. Each refund becomes one QuickBooks Online refund receipt for its amount,
 * once; nobody is told the order "changed after booking". A refund Squarespace cannot show (made at the gateway)
 * still is.
 */
describe('refunds after booking: Squarespace → QuickBooks Online refund receipts', () => {
  let harness: SyncHarness;
  const told: Array<{ orderId: string; change: BookedOrderChangeRecord }> = [];
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'squarespace', bookedOrderChanges: () => ({ bookedOrderChanged: async (event) => void told.push(event) }) });
  }, 120_000);
  afterAll(async () => {
    if (harness) await deleteOrderPollSchedule(harness.client, harness.squarespaceIntegrationId).catch(() => {});
    await harness?.close();
  });

  const place = (input: Partial<SquarespaceOrderInput> = {}) =>
    harness.squarespace.control.createOrder({
      currency: 'GBP',
      taxRate: { name: 'VAT', rate: '0.2' },
      lines: [
        { productName: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' },
      ],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      ...input,
    });
  /** A booked order: its id and its sales receipt's number. */
  const booked = async (input: Partial<SquarespaceOrderInput> = {}) => {
    const order = place(input);
    const orderId = order.id as string;
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    return { orderId, docNumber: (await harness.orderRow(orderId))!.ledgerDocNumber! };
  };
  const refundsOf = (orderId: string, docNumber: string) => ({ receipts: harness.refundReceiptTotals(docNumber), told: told.filter((event) => event.orderId === orderId) });
  /** Every intake event of the order, once the drainer has handled it. */
  const eventsOf = (orderId: string) =>
    eventually(async () => {
      const rows = await harness.db
        .select({ eventId: webhookEvents.eventId, topic: webhookEvents.topic, outcome: webhookEvents.outcome })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.orderId, orderId), like(webhookEvents.eventId, `%${harness.squarespaceIntegrationId}%`)));
      return rows.every((row) => row.outcome !== 'queued' && row.outcome !== 'processing') ? rows : undefined;
    }, `the events of order ${orderId} to be handled`);
  const refundNotificationsOf = (orderId: string) =>
    harness.squarespace.control.webhooks.deliveries.filter((d) => {
      const body = JSON.parse(d.body) as { topic: string; data: { orderId?: string; update?: string } };
      return body.topic === 'order.update' && body.data.orderId === orderId && body.data.update === 'REFUNDED';
    });

  it('a partial then a full refund each become one refund receipt for its amount; the notification delivered again is a duplicate; nobody is told the order changed', async () => {
    const { orderId, docNumber } = await booked();
    // 2 × 20.00 + 8.00, VAT 20 %: 57.60. A shirt's 24.00 refunded in Squarespace first.
    const partial = harness.squarespace.control.refundOrder(orderId, '24.00')!.refund!;
    expect((await harness.refundResultOf(orderId, partial.id)).outcome).toBe('created');
    expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 24]], told: [] });
    expect(await harness.refundRow(orderId, partial.id)).toMatchObject({ status: 'synced', refundTotal: '24.00', ledgerDocNumber: `${docNumber}-R1` });

    // Squarespace delivers at least once: the same notification again (and again at once) is one event, nothing booked twice.
    const [notification] = refundNotificationsOf(orderId);
    expect(await redeliverAtOnce(notification!, 3)).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);

    // The rest refunded: the order is fully refunded, its second refund a second receipt.
    const rest = harness.squarespace.control.refundOrder(orderId, '33.60')!.refund!;
    expect((await harness.refundResultOf(orderId, rest.id)).outcome).toBe('created');
    expect(refundsOf(orderId, docNumber)).toEqual({
      receipts: [
        [`${docNumber}-R1`, 24],
        [`${docNumber}-R2`, 33.6],
      ],
      told: [],
    });
    // The first notification once more: both refunds are known by their ids.
    expect(await redeliverAtOnce(notification!, 1)).toEqual([[200, 'duplicate']]);
    const events = await eventsOf(orderId);
    for (const refund of [partial, rest]) expect(events.filter((e) => e.eventId.endsWith(`/refund/${orderId}/${refund.id}`))).toHaveLength(1);
    expect(events.map((e) => e.outcome)).not.toContain('changed_after_booking');
    expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
    expect(harness.salesReceipts().filter((r) => r.docNumber === docNumber)).toHaveLength(1);
  });

  it('a refund made at the gateway, which no Squarespace transaction lists, books nothing and is reported as a change after booking', async () => {
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 2, price: '8.00' }] });
    // 19.20 sold; 5.00 refunded in Stripe's dashboard, which the order shows [U] but its transactions never do [C].
    harness.squarespace.control.refundOrder(orderId, '5.00', 'shown');
    const change = await eventually(async () => (await harness.orderRow(orderId))?.changedAfterBooking ?? undefined, 'the change to be recorded');
    expect(change).toMatchObject({ kind: 'total_changed', bookedTotal: '19.20', shopTotal: '14.20' });
    expect(change.message).toContain('adjust the receipt (or book a refund) in QuickBooks Online #1');
    await eventually(async () => told.some((event) => event.orderId === orderId) || undefined, 'the bookkeeper to be told');
    expect(harness.refundReceiptTotals(docNumber)).toEqual([]);
    expect(await harness.db.select().from(refundSyncs).where(eq(refundSyncs.orderId, orderId))).toEqual([]);
  });

  it('a REFUNDED notification that never arrives: polling finds the refund in the order it lists and books it once', async () => {
    await keepOrderPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, orderPollIntervalMs: POLL_INTERVAL_MS }, harness.squarespaceIntegrationId, false);
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 5, price: '8.00' }] });
    harness.squarespace.control.dropNextWebhooks(1);
    const refund = harness.squarespace.control.refundOrder(orderId, '9.60')!.refund!;
    await harness.squarespace.control.webhooks.idle();
    expect(refundNotificationsOf(orderId).map((d) => d.status)).toEqual([null]);

    const [polled] = await harness.intakeEventsOnceThere(orderId, 'refunds/polled', 'the poll to hand the refund over', POLL_INTERVAL_MS + 15_000);
    expect(polled).toMatchObject({ eventId: `squarespace/${harness.squarespaceIntegrationId}/refund/${orderId}/${refund.id}`, integrationId: harness.squarespaceIntegrationId });
    expect((await harness.refundResultOf(orderId, refund.id)).outcome).toBe('created');
    expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 9.6]], told: [] });

    // Two more polls list the order again (the overlap) and hand nothing over: one event for the refund, one receipt.
    await harness.pollsAfter(harness.squarespaceIntegrationId, Date.now(), POLL_INTERVAL_MS);
    const events = await eventsOf(orderId);
    expect(events.filter((e) => e.eventId.includes('/refund/'))).toHaveLength(1);
    expect(events.map((e) => e.outcome)).not.toContain('changed_after_booking');
    expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 9.6]], told: [] });
    expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
  });
});
