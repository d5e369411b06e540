import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderPollActivities } from '../activities/order-poll-activities.js';
import { webhookEvents } from '../db/schema.js';
import type { BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import { deleteOrderPollSchedule, keepOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { refundSyncWorkflowId } from '../runtime/refund-sync-starter.js';
import { shirtsAndMugSale } from './support/shopify-gbp-sale.js';
import { SyncHarness } from './support/sync-harness.js';

/** Short enough for a test, long enough that a poll and a booking each fit in one. */
const POLL_INTERVAL_MS = 2_000;

/**
 * A Shopify refund found by both of its ways in: polling (its refunds/create lost) and the refunds/create webhook,
 * which carries its own X-Shopify-Event-Id and so is a second intake event for the same refund. Whichever comes
 * second runs the refund's booking again, which finds its refund receipt: one receipt, the refund's row synced,
 * nobody told the order changed, nothing waiting.
 */
describe('a Shopify refund found by a poll and by its late refunds/create webhook', () => {
  let harness: SyncHarness;
  const told: Array<{ orderId: string; change: BookedOrderChangeRecord }> = [];
  beforeAll(async () => {
    harness = await SyncHarness.start({ bookedOrderChanges: () => ({ bookedOrderChanged: async (event) => void told.push(event) }) });
    await keepOrderPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, orderPollIntervalMs: POLL_INTERVAL_MS }, harness.shopifyIntegrationId, false);
  }, 120_000);
  afterAll(async () => {
    if (harness) await deleteOrderPollSchedule(harness.client, harness.shopifyIntegrationId);
    await harness?.close();
  });

  const intakeOf = (orderId: string) => harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId));
  const refundEventOf = (refundId: string) => harness.shopify.control.webhookEvents().find((e) => e.topic === 'REFUNDS_CREATE' && JSON.parse(e.body).id === Number(refundId))!;
  const refundWebhooksSent = () => harness.shopify.control.webhookDeliveries().filter((d) => d.topic === 'REFUNDS_CREATE').length;

  const saleOf = (name: string, shop?: string) => shirtsAndMugSale(harness.shopify.control, name, shop);

  it('booked by the poll, then its refunds/create arrives: answered 200, the booked refund is left alone', async () => {
    const order = saleOf('#7301');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');

    // Both webhooks of the refund are lost: refunds/create and the orders/updated with the lower total.
    harness.shopify.control.dropWebhooks(2);
    const mug = order.lineItems.find((line) => line.sku === 'MUG-1')!;
    const refund = harness.shopify.control.refundOrder(order.id, { lines: [{ lineItemId: mug.id, quantity: 1, restockType: 'RETURN' }] });
    const lost = refundEventOf(refund.id);
    expect(harness.shopify.control.webhookDeliveries({ eventId: lost.eventId }).map((d) => d.state)).toEqual(['dropped']);

    const [polled] = await harness.intakeEventsOnceThere(order.id, 'refunds/polled', 'the poll to hand the refund over', POLL_INTERVAL_MS + 10_000);
    expect(polled!.eventId).toBe(`shopify/${harness.shopifyIntegrationId}/refund/${order.id}/${refund.id}`);
    const booked = await harness.refundResultOf(order.id, refund.id);
    expect(booked.outcome, booked.message).toBe('created');
    expect(harness.refundReceiptTotals('7301')).toEqual([['7301-R1', 9.6]]);
    const handle = harness.handle(refundSyncWorkflowId(harness.routeId, order.id, refund.id));
    const pollsRun = (await handle.describe()).runId;

    // Shopify delivers refunds/create after all, signed as it signs every delivery, under its own event id.
    const sentBefore = refundWebhooksSent();
    harness.shopify.control.redeliverWebhook(lost.eventId);
    await harness.shopify.control.webhooksIdle();
    const late = harness.shopify.control.webhookDeliveries({ eventId: lost.eventId }).filter((d) => d.kind === 'redelivery');
    expect(late.map((d) => [d.state, d.attempts.map((a) => a.status)])).toEqual([['delivered', [200]]]);
    expect(refundWebhooksSent()).toBe(sentBefore + 1);
    // The refund is booked: the late copy starts nothing (no new run, its row never back to "syncing").
    expect(await harness.intakeOutcomeOf(lost.eventId)).toBe('already_synced');
    expect((await handle.describe()).runId).toBe(pollsRun);
    expect(harness.refundReceiptTotals('7301')).toEqual([['7301-R1', 9.6]]);
    expect(await harness.refundRow(order.id, refund.id)).toMatchObject({ status: 'synced', ledgerDocNumber: '7301-R1', refundTotal: '9.60', lastErrorCode: null, waitingFor: null });

    // The orders/updated lost with it comes late too: its lower total is the refund's, nobody is told.
    const lostUpdate = harness.shopify.control.webhookEvents().filter((e) => e.topic === 'ORDERS_UPDATED' && JSON.parse(e.body).id === Number(order.id)).at(-1)!;
    expect(harness.shopify.control.webhookDeliveries({ eventId: lostUpdate.eventId }).map((d) => d.state)).toEqual(['dropped']);
    harness.shopify.control.redeliverWebhook(lostUpdate.eventId);
    expect(await harness.intakeOutcomeOf(lostUpdate.eventId)).toBe('already_synced');
    await harness.pollsAfter(harness.shopifyIntegrationId, Date.now(), POLL_INTERVAL_MS);
    expect((await intakeOf(order.id)).map((e) => e.outcome)).not.toContain('changed_after_booking');
    expect(told).toEqual([]);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', changedAfterBooking: null });
    expect(harness.refundReceiptTotals('7301')).toEqual([['7301-R1', 9.6]]);
    expect(harness.salesReceipts().filter((r) => r.docNumber === '7301')).toHaveLength(1);
  });

  it('booked from its refunds/create, then a poll lists the order: the refund is known and nothing is handed over for it', async () => {
    // The emulator's second shop, polled by hand, so the webhook surely comes first.
    const second = await harness.addSecondShopRoute('B-');
    const poll = createOrderPollActivities({ db: harness.db, platforms: harness.platforms, credentials: harness.credentials });
    const order = saleOf('#7302', second.shop);
    expect((await harness.syncResultOf(order.id, second.routeId)).outcome).toBe('created');
    await harness.shopify.control.webhooksIdle();
    await poll.pollOrdersPage({ integrationId: second.integrationId });

    // refunds/create arrives; the orders/updated sent with it is lost, so the poll has a change to look at.
    harness.shopify.control.dropWebhooks(2);
    const mug = order.lineItems.find((line) => line.sku === 'MUG-1')!;
    const refund = harness.shopify.control.refundOrder(order.id, { shop: second.shop, lines: [{ lineItemId: mug.id, quantity: 1, restockType: 'RETURN' }] });
    harness.shopify.control.redeliverWebhook(refundEventOf(refund.id).eventId);
    const booked = await harness.refundResultOf(order.id, refund.id, second.routeId);
    expect(booked.outcome, booked.message).toBe('created');

    const page = await poll.pollOrdersPage({ integrationId: second.integrationId });
    expect(page).toMatchObject({ status: 'polled', handedOver: 1 });
    const [update] = await harness.intakeEventsOnceThere(order.id, 'orders/polled', 'the poll to hand the order over');
    expect(await harness.intakeOutcomeOf(update!.eventId)).toBe('already_synced');
    expect((await intakeOf(order.id)).filter((e) => e.topic === 'refunds/polled')).toEqual([]);
    expect(harness.refundReceiptTotals('B-7302')).toEqual([['B-7302-R1', 9.6]]);
    expect(await harness.refundRow(order.id, refund.id, second.routeId)).toMatchObject({ status: 'synced', ledgerDocNumber: 'B-7302-R1', lastErrorCode: null });
    expect(told).toEqual([]);
    expect(await harness.orderRow(order.id, second.routeId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
  });
});
