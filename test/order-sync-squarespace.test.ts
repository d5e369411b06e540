import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { integrations, orderSyncs, squarespaceWebhookSubscriptions, webhookEvents } from '../db/schema.js';
import type { SquarespaceOrderInput } from '../emulators/squarespace/index.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { deleteOrderPollSchedule, keepOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { SQUARESPACE_USER_AGENT } from '../platforms/squarespace/index.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { redeliverAtOnce } from './support/webhook-replay.js';

/** How long the product waits out a 429 here, and the site's cool-down: Squarespace's minute, shortened. */
const COOL_DOWN_MS = 1_500;
const POLL_INTERVAL_MS = 2_000;

/** Orders of a Squarespace site booked into QuickBooks Online, through the product: OAuth, notifications, Temporal, the emulators. */
describe('order sync: Squarespace → QuickBooks Online', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'squarespace', squarespace: { coolDownMs: COOL_DOWN_MS, rateLimit: { requests: 300, windowMs: 60_000, coolDownMs: COOL_DOWN_MS } } });
  }, 120_000);
  afterAll(async () => {
    if (harness) await deleteOrderPollSchedule(harness.client, harness.squarespaceIntegrationId).catch(() => {});
    await harness?.close();
  });

  const receiptsNumbered = (number: string) => harness.salesReceipts().filter((r) => (r.record as { DocNumber?: string }).DocNumber === number);
  const numberOf = (order: Record<string, unknown>) => order.orderNumber as string;
  const deliveriesOf = (orderId: string) => harness.squarespace.control.webhooks.deliveries.filter((d) => (JSON.parse(d.body) as { data: { orderId?: string } }).data.orderId === orderId);
  const place = (input: Partial<SquarespaceOrderInput> = {}) =>
    harness.squarespace.control.createOrder({
      currency: 'GBP',
      taxRate: { name: 'VAT', rate: '0.2' },
      lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      ...input,
    });

  it('connecting "Squarespace #1" by OAuth learns its website, keeps 30-minute tokens and subscribes the three topics to /webhooks/squarespace', async () => {
    const [row] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.squarespaceIntegrationId));
    expect(row).toMatchObject({ displayName: 'Squarespace #1', platform: 'squarespace', account: { websiteId: harness.squarespace.control.site.websiteId } });
    const { credentials } = await harness.credentials.load(harness.squarespaceIntegrationId);
    const lifetime = Date.parse(credentials!.accessTokenExpiresAt!) - Date.now();
    expect(lifetime).toBeGreaterThan(25 * 60_000);
    expect(lifetime).toBeLessThan(31 * 60_000);
    expect(credentials!.refreshToken).toEqual(expect.any(String));
    const subscriptions = [...harness.squarespace.control.site.subscriptions.values()];
    expect(subscriptions.map((s) => [s.endpointUrl, s.topics])).toEqual([[`${harness.apiOrigin}/webhooks/squarespace`, ['order.create', 'order.update', 'extension.uninstall']]]);
    // Its secret is kept, sealed: never as Squarespace showed it.
    const [kept] = await harness.db.select().from(squarespaceWebhookSubscriptions);
    expect(kept).toMatchObject({ subscriptionId: subscriptions[0]!.id, integrationId: harness.squarespaceIntegrationId });
    expect(kept!.secret).not.toContain(subscriptions[0]!.secret);
  });

  it("books a new order from its notification as one sales receipt at the site's total, with discount, shipping and VAT; every request carried our User-Agent", async () => {
    const order = place({
      lines: [
        { productName: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' },
      ],
      discount: { name: 'Spring sale', promoCode: 'SAVE4', amount: '4.00' },
      shipping: { method: 'Royal Mail', amount: '4.50' },
    });
    const result = await harness.syncResultOf(order.id as string);
    expect(result.outcome).toBe('created');
    const [receipt] = receiptsNumbered(numberOf(order));
    expect((receipt!.record as { TotalAmt: number }).TotalAmt).toBe(Number((order.grandTotal as { value: string }).value));
    expect((receipt!.record as any).Line.some((l: any) => l.SalesItemLineDetail?.ItemRef?.value === 'SHIPPING_ITEM_ID' && l.Amount === 4.5)).toBe(true);
    expect(await harness.orderRow(order.id as string)).toMatchObject({ status: 'synced', orderName: `#${numberOf(order)}` });
    const requests = harness.squarespace.control.requests;
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => r.userAgent))).toEqual(new Set([SQUARESPACE_USER_AGENT]));
  });

  it('the same notification delivered again (and again at once) is one event and one receipt', async () => {
    const order = place();
    await harness.syncResultOf(order.id as string);
    const [delivery] = deliveriesOf(order.id as string);
    expect(await redeliverAtOnce(delivery!, 3)).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    expect(receiptsNumbered(numberOf(order))).toHaveLength(1);
    const events = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, order.id as string));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ integrationId: harness.squarespaceIntegrationId, shop: null, topic: 'order.create' });
  });

  it('a notification whose signature does not match (or was keyed with the hex text) is refused with 401 and nothing is recorded', async () => {
    const order = place();
    await harness.syncResultOf(order.id as string);
    const [delivery] = deliveriesOf(order.id as string);
    const before = await harness.db.select().from(webhookEvents).where(like(webhookEvents.eventId, `squarespace/${harness.squarespaceIntegrationId}/%`));
    const forged = delivery!.body.replace(/"id":"[0-9a-f]{24}"/, '"id":"0123456789abcdef01234567"');
    const answer = await fetch(delivery!.url, { method: 'POST', headers: delivery!.headers, body: forged });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    const { createHmac } = await import('node:crypto');
    const secret = [...harness.squarespace.control.site.subscriptions.values()][0]!.secret;
    const keyedWithText = createHmac('sha256', secret).update(delivery!.body).digest('hex');
    expect((await fetch(delivery!.url, { method: 'POST', headers: { ...delivery!.headers, 'squarespace-signature': keyedWithText }, body: delivery!.body })).status).toBe(401);
    const after = await harness.db.select().from(webhookEvents).where(like(webhookEvents.eventId, `squarespace/${harness.squarespaceIntegrationId}/%`));
    expect(after).toHaveLength(before.length);
  });

  it('an expired 30-minute access token is refreshed on the way: the order books and the new pair is stored', async () => {
    const { credentials: before } = await harness.credentials.load(harness.squarespaceIntegrationId);
    harness.squarespace.control.expireAccessTokens();
    const order = place();
    expect((await harness.syncResultOf(order.id as string)).outcome).toBe('created');
    const { credentials: after } = await harness.credentials.load(harness.squarespaceIntegrationId);
    expect(after!.accessToken).not.toBe(before!.accessToken);
    expect(after!.refreshToken).not.toBe(before!.refreshToken);
  });

  it('a 429 with its cool-down is waited out, not counted as a failure: one receipt', async () => {
    const order = place({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 3, price: '8.00' }] });
    harness.squarespace.control.throttle();
    expect((await harness.syncResultOf(order.id as string)).outcome).toBe('created');
    expect(harness.squarespace.control.requests.some((r) => r.status === 429)).toBe(true);
    expect(receiptsNumbered(numberOf(order))).toHaveLength(1);
    const [row] = await harness.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, harness.routeId), eq(orderSyncs.orderId, order.id as string)));
    expect(row).toMatchObject({ status: 'synced', attempts: 1, lastErrorCode: null });
  });

  it('with the grant revoked in Squarespace the order waits for a reconnect of "Squarespace #1"; after reconnecting it books one receipt', async () => {
    harness.squarespace.control.revokeTokens();
    const order = place();
    const orderId = order.id as string;
    const handle = harness.handle(orderSyncWorkflowId(harness.routeId, orderId));
    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_reconnect' ? s : undefined;
    }, 'the order to wait for a reconnect');
    expect(status.lastError?.code).toBe('CredentialsInvalid');
    expect(status.lastError?.message).toMatch(/no longer accepts ledgerbridge's access.*Reconnect/);
    const integration = await eventually(async () => {
      const [found] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.squarespaceIntegrationId));
      return found?.status === 'reconnect_required' ? found : undefined;
    }, 'Squarespace #1 to need a reconnect');
    expect(integration.statusReason).toMatch(/Reconnect/);
    expect(receiptsNumbered(numberOf(order))).toHaveLength(0);

    // The row the API reads says so too (the workflow's state comes first, its row write right after).
    await eventually(async () => ((await harness.orderRow(orderId))?.status === 'waiting' ? true : undefined), "the order's row to say waiting");
    await harness.connectSquarespace();
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${orderId}/reconnected`)).status).toBeLessThan(300);
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    expect(receiptsNumbered(numberOf(order))).toHaveLength(1);
    // The subscription (whose secret we hold) still delivers: the next order books.
    expect(harness.squarespace.control.site.subscriptions.size).toBe(1);
    const next = place();
    expect((await harness.syncResultOf(next.id as string)).outcome).toBe('created');
  });

  it('an unknown SKU and a line without one park the order with what to map; once mapped it books once', async () => {
    const order = place({
      lines: [
        { productName: 'Poster', sku: 'POSTER-A2', quantity: 1, price: '15.00' },
        { productName: 'Gift wrap', sku: null, quantity: 1, price: '2.00' },
      ],
    });
    const orderId = order.id as string;
    const handle = harness.handle(orderSyncWorkflowId(harness.routeId, orderId));
    const waiting = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_fix' && s.lastError?.code === 'SkuNotFound' ? s : undefined;
    }, 'the order to wait on its SKUs');
    expect(waiting.lastError?.message).toMatch(/POSTER-A2/);
    expect(receiptsNumbered(numberOf(order))).toHaveLength(0);
    for (const key of ['POSTER-A2', 'title:Gift wrap']) {
      const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/${encodeURIComponent(key)}`, { ledgerItemId: harness.ledgerId('Item', 'Mug') });
      expect(saved.status).toBe(200);
    }
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    const receipts = receiptsNumbered(numberOf(order));
    expect(receipts).toHaveLength(1);
    expect((receipts[0]!.record as { TotalAmt: number }).TotalAmt).toBe(Number((order.grandTotal as { value: string }).value));
  });

  it('extension.uninstall is verified, recorded once, and leaves the order that follows waiting for a reconnect', async () => {
    harness.squarespace.control.uninstall();
    await harness.squarespace.control.webhooks.idle();
    const uninstall = harness.squarespace.control.webhooks.deliveries.find((d) => d.topic === 'extension.uninstall')!;
    expect(uninstall.status).toBe(200);
    const [recorded] = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.topic, 'extension.uninstall'));
    expect(recorded).toMatchObject({ integrationId: harness.squarespaceIntegrationId, outcome: 'app_uninstalled' });
    const again = await fetch(uninstall.url, { method: 'POST', headers: uninstall.headers, body: uninstall.body });
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
    const order = place();
    const handle = harness.handle(orderSyncWorkflowId(harness.routeId, order.id as string));
    await eventually(async () => ((await handle.query(orderSyncStatusQuery)).state === 'waiting_for_reconnect' ? true : undefined), 'the order to wait for a reconnect');
    // The row the API reads says so too (the workflow's state comes first, its row write right after).
    await eventually(async () => ((await harness.orderRow(order.id as string))?.status === 'waiting' ? true : undefined), "the order's row to say waiting");
    await harness.connectSquarespace();
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id as string}/reconnected`)).status).toBeLessThan(300);
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
  });

  it("the health check's webhook keeper re-creates a subscription Squarespace removed and deletes one whose secret nobody here holds", async () => {
    const site = harness.squarespace.control.site;
    const [old] = [...site.subscriptions.values()];
    harness.squarespace.control.removeSubscription(old!.id);
    // One to our address made elsewhere (an earlier install): its notifications could not be checked.
    const stray = site.createSubscription(`${harness.apiOrigin}/webhooks/squarespace`, ['order.create']);
    const repair = await harness.subscribeWebhooks(harness.squarespaceIntegrationId);
    expect(repair?.topics.map((t) => [t.topic, t.state])).toEqual([
      ['order.create', 'replaced'],
      ['order.update', 'replaced'],
      ['extension.uninstall', 'replaced'],
    ]);
    const now = [...site.subscriptions.values()];
    expect(now.map((s) => s.id)).not.toContain(stray.id);
    expect(now).toHaveLength(1);
    const kept = await harness.db.select().from(squarespaceWebhookSubscriptions);
    expect(kept.map((k) => k.subscriptionId)).toEqual([now[0]!.id]);
    // Its new secret checks the next notification.
    const order = place();
    expect((await harness.syncResultOf(order.id as string)).outcome).toBe('created');
    expect((await harness.subscribeWebhooks(harness.squarespaceIntegrationId))?.topics.every((t) => t.state === 'ok')).toBe(true);
  });

  it('an order whose notification was dropped is booked by the poll within one interval, once', async () => {
    await keepOrderPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, orderPollIntervalMs: POLL_INTERVAL_MS }, harness.squarespaceIntegrationId, false);
    harness.squarespace.control.dropNextWebhooks(1);
    const order = place({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 4, price: '8.00' }] });
    const orderId = order.id as string;
    const [polled] = await eventually(async () => {
      const events = (await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId))).filter((e) => e.topic === 'orders/polled');
      return events.length > 0 ? events : undefined;
    }, 'the poll to hand the order over', POLL_INTERVAL_MS + 15_000);
    expect(polled).toMatchObject({ integrationId: harness.squarespaceIntegrationId });
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    expect(receiptsNumbered(numberOf(order))).toHaveLength(1);
    // No notification ever came for it.
    expect((await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId))).map((e) => e.topic)).toEqual(['orders/polled']);
  });
});
