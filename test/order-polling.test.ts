import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createOrderPollActivities, type OrderPollPageResult } from '../activities/order-poll-activities.js';
import { recordIntegrationStatus } from '../db/integration-status-log.js';
import { orderPollCursors, webhookEvents } from '../db/schema.js';
import { PlatformUnavailableError } from '../domain/platform-errors.js';
import { PlatformRegistry } from '../platforms/registry.js';
import type { ShopifyPlatform } from '../platforms/shopify/index.js';
import { ShopifyCommerceSource } from '../platforms/shopify/shopify-commerce-source.js';
import { deleteOrderPollSchedule, keepOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { orderPollWorkflow } from '../workflows/order-poll.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/** Short enough for a test, long enough that a poll and a booking each fit in one. */
const POLL_INTERVAL_MS = 2_000;

/**
 * Reconciliation polling under webhooks, end to end: the shop's webhook is lost at the emulator, and the store's
 * poll schedule (a real Temporal Schedule on the dev server) hands the order to the same intake the webhook uses.
 */
describe('reconciliation polling: an order whose webhook never arrived', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
    await keepOrderPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, orderPollIntervalMs: POLL_INTERVAL_MS }, harness.shopifyIntegrationId, false);
  });
  afterAll(async () => {
    if (harness) await deleteOrderPollSchedule(harness.client, harness.shopifyIntegrationId);
    await harness?.close();
  });

  const mugs = (quantity: number) => [{ title: 'Mug', sku: 'MUG-1', quantity, unitPrice: '8.00' }];
  const receiptsNumbered = (docNumber: string) => harness.salesReceipts().filter((r) => r.docNumber === docNumber);
  /** What the order intake recorded for the order: webhook deliveries and polls alike. */
  const intakeOf = (orderId: string) => harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId));
  const cursorOf = async (integrationId: string) => (await harness.db.select().from(orderPollCursors).where(eq(orderPollCursors.integrationId, integrationId)))[0];

  /** Drops the shop's next webhook events through the emulator's control API, as a test or demo would. */
  async function dropNextWebhooks(count: number) {
    const response = await fetch(`${harness.shopify.origin}/_emulator/webhooks/drop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count }),
    });
    expect(response.status).toBe(200);
  }

  it('is booked within one polling interval, once; its webhook arriving late afterwards books nothing more', async () => {
    await dropNextWebhooks(1);
    const order = harness.shopify.control.createOrder({ name: '#7001', lineItems: mugs(1) });
    const createdAt = Date.now();
    const lost = harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_CREATE' && e.body.includes(order.id))!;
    expect(harness.shopify.control.webhookDeliveries({ eventId: lost.eventId }).map((d) => d.state)).toEqual(['dropped']);

    // The poll hands it to the intake within the interval (plus the run itself), and the sync books it.
    const [polled] = await eventually(async () => {
      const events = (await intakeOf(order.id)).filter((e) => e.topic === 'orders/polled');
      return events.length > 0 ? events : undefined;
    }, 'the poll to hand the order over', POLL_INTERVAL_MS + 10_000);
    // One interval at most until the next scheduled run, plus the run itself (a workflow task, a Shopify call, a write).
    expect(polled!.receivedAt.getTime() - createdAt).toBeLessThan(POLL_INTERVAL_MS + 4_000);
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(receiptsNumbered('7001')).toHaveLength(1);

    // Shopify delivers the lost event after all: one intake event more, judged already booked; still one receipt.
    harness.shopify.control.redeliverWebhook(lost.eventId);
    const late = await eventually(async () => {
      const [event] = (await intakeOf(order.id)).filter((e) => e.eventId === lost.eventId);
      return event && !['queued', 'processing'].includes(event.outcome) ? event : undefined;
    }, 'the late webhook to be handled');
    expect(late.outcome).toBe('already_synced');

    // Later polls list the order again (the overlap) and hand nothing over: it is known at that change.
    const bookedAt = new Date();
    await eventually(async () => ((await cursorOf(harness.shopifyIntegrationId))?.lastPolledAt ?? new Date(0)) > new Date(bookedAt.getTime() + POLL_INTERVAL_MS), 'two more polls');
    expect((await intakeOf(order.id)).map((e) => e.topic).sort()).toEqual(['orders/create', 'orders/polled']);
    expect(receiptsNumbered('7001')).toHaveLength(1);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', changedAfterBooking: null });
  });

  it('an order cancelled after booking, whose orders/updated webhook is lost, follows the changed-after-booking path: no second booking', async () => {
    const order = harness.shopify.control.createOrder({ name: '#7002', lineItems: mugs(2) });
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');

    await dropNextWebhooks(1);
    harness.shopify.control.updateOrder(order.id, { cancelledAt: new Date().toISOString() });
    const change = await eventually(async () => {
      const recorded = (await harness.orderRow(order.id))?.changedAfterBooking;
      return recorded?.kind === 'cancelled' ? recorded : undefined;
    }, 'the cancellation, found by polling, to be recorded', POLL_INTERVAL_MS + 20_000);
    expect(change.message).toContain('Order #7002 was cancelled in the shop after it was booked');
    // (A poll may also have met the order before its orders/create webhook was handled: that one started nothing new.)
    const polled = (await intakeOf(order.id)).filter((e) => e.topic === 'orders/polled' && e.outcome === 'changed_after_booking');
    expect(polled).toHaveLength(1);
    expect(receiptsNumbered('7002')).toHaveLength(1);
  });

  it('never moves the cursor past an order not handed over: a page that fails leaves it where it was', async () => {
    // The emulator's second shop, connected as its own integration, polled here page by page (no schedule).
    const second = await harness.addSecondShopRoute('B-');
    const shopify = harness.platforms.get('shopify') as ShopifyPlatform;
    const pagesOfTwo = new PlatformRegistry([{ ...shopify, createSource: (connection) => new ShopifyCommerceSource(shopify.shopify, connection, { updatedOrdersPageSize: 2 }) }]);
    const poll = createOrderPollActivities({ db: harness.db, platforms: pagesOfTwo, credentials: harness.credentials });

    await dropNextWebhooks(4);
    // Last changed an hour before the shop was connected here: not polling's to book (a webhook then would have gone nowhere).
    const before = harness.shopify.control.createOrder({ shop: second.shop, createdAt: new Date(Date.now() - 3_600_000).toISOString(), lineItems: mugs(1) });
    const [a, b, c] = [1, 2, 3].map(() => harness.shopify.control.createOrder({ shop: second.shop, lineItems: mugs(1) }));
    const first = await poll.pollOrdersPage({ integrationId: second.integrationId });
    expect(first).toMatchObject({ status: 'polled', listed: 2, handedOver: 2, nextPageCursor: expect.any(String) });
    expect((await cursorOf(second.integrationId))?.handedOverUntil).toEqual(new Date(b!.updatedAt));

    harness.shopify.control.faults.update({ failNext: 1, failStatus: 503 });
    const polled = first as Extract<OrderPollPageResult, { status: 'polled' }>;
    const failed = await poll.pollOrdersPage({ integrationId: second.integrationId, since: polled.since, pageCursor: polled.nextPageCursor }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PlatformUnavailableError);
    const after = await cursorOf(second.integrationId);
    expect(after?.handedOverUntil).toEqual(new Date(b!.updatedAt));
    expect(after?.lastError).toContain('Shopify is having trouble answering');
    expect(await intakeOf(c!.id)).toEqual([]);

    // The next poll starts before the cursor again (the overlap): a and b are known by now, c is handed over.
    for (const order of [a!, b!]) expect((await harness.syncResultOf(order.id, second.routeId)).outcome).toBe('created');
    let page = await poll.pollOrdersPage({ integrationId: second.integrationId });
    let handedOver = page.status === 'polled' ? page.handedOver : 0;
    while (page.status === 'polled' && page.nextPageCursor) {
      page = await poll.pollOrdersPage({ integrationId: second.integrationId, since: page.since, pageCursor: page.nextPageCursor });
      handedOver += page.status === 'polled' ? page.handedOver : 0;
    }
    expect(handedOver).toBe(1);
    expect(await cursorOf(second.integrationId)).toMatchObject({ handedOverUntil: new Date(c!.updatedAt), lastError: null, ordersHandedOver: 3 });
    for (const order of [a!, b!, c!]) expect((await harness.syncResultOf(order.id, second.routeId)).outcome).toBe('created');
    const numbers = [a!, b!, c!].map((order) => `B-${order.name.replace('#', '')}`);
    expect(numbers.map((number) => receiptsNumbered(number).length)).toEqual([1, 1, 1]);

    // The workflow a schedule runs, run once more by hand: it lists the three again (the overlap) and hands over none.
    const workflowId = `order-poll-by-hand/${second.integrationId}`;
    const result = await harness.client.workflow.execute(orderPollWorkflow, { workflowId, taskQueue: harness.taskQueue, args: [{ integrationId: second.integrationId }] });
    expect(result).toEqual({ pages: 1, listed: 3, handedOver: 0, more: false });
    expect(await intakeOf(before.id)).toEqual([]);
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-poll-nothing-new' }])).toEqual([]);

    // A paused integration, or one whose credentials were refused, is not asked at all (its schedule is paused too).
    await recordIntegrationStatus(harness.db, second.integrationId, { status: 'disconnected', reason: 'paused', cause: 'paused by an operator', check: null });
    expect(await poll.pollOrdersPage({ integrationId: second.integrationId })).toEqual({ status: 'not_polled', reason: 'Shopify #2 is paused' });
    await recordIntegrationStatus(harness.db, second.integrationId, { status: 'reconnect_required', reason: 'revoked', cause: 'test_call', check: 'test_call' });
    expect(await poll.pollOrdersPage({ integrationId: second.integrationId })).toEqual({ status: 'not_polled', reason: 'Shopify #2 needs to be reconnected' });
  });
});
