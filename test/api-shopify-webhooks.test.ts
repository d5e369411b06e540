import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { orderSyncs, webhookEvents } from '../db/schema.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { bigOrderId, signWithTestSecret, startApiTestContext, workflowExists, type ApiTestContext } from './api-test-app.js';
import { testDataConverter } from './support/test-data-converter.js';
import { eventually } from './support/sync-harness.js';

let ctx: ApiTestContext;

beforeAll(async () => {
  ctx = await startApiTestContext(inject('temporalAddress'));
});

afterAll(async () => {
  await ctx?.close();
});

/** An order payload as Shopify sends it: the id as a bare JSON number, nested ids, odd spacing, non-ASCII text. */
function orderPayload(orderId: string, name = '#1001'): string {
  return `{"id": ${orderId},  "name":"${name}", "note": "Café – \\"gift\\"",
    "admin_graphql_api_id":"gid://shopify/Order/${orderId}",
    "customer": {"id": 1234567890123456789, "email":"ann@example.com"},
    "line_items":[{"id":99, "sku":"ABC-1"}]}`;
}

interface Delivery {
  body: string;
  topic?: string;
  shop?: string;
  eventId?: string | null;
  webhookId?: string;
  signature?: string | null;
}

function deliver({ body, topic = 'orders/create', shop = ctx.shop, eventId = randomUUID(), webhookId = randomUUID(), signature }: Delivery) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': shop,
    'x-shopify-webhook-id': webhookId,
    'x-shopify-api-version': '2025-07',
  };
  if (eventId) headers['x-shopify-event-id'] = eventId;
  const hmac = signature === undefined ? signWithTestSecret(body) : signature;
  if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac;
  return ctx.app.inject({ method: 'POST', url: '/webhooks/shopify', headers, payload: body });
}

/** The event's outcome once the intake has handled it (anything but queued or processing). */
function handledOutcome(eventId: string): Promise<string> {
  return eventually(async () => {
    const [event] = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
    return event && !['queued', 'processing'].includes(event.outcome) ? event.outcome : undefined;
  }, `event ${eventId} to be handled`);
}

function track(orderId: string): string {
  const workflowId = orderSyncWorkflowId(ctx.routeId, orderId);
  ctx.startedWorkflowIds.add(workflowId);
  return workflowId;
}

describe('POST /webhooks/shopify', () => {
  it('rejects a wrong signature with 401, logs why, and starts nothing', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    const body = orderPayload(orderId);
    const forged = signWithTestSecret(body.replace('#1001', '#1002'));

    const response = await deliver({ body, signature: forged });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'invalid_signature', message: expect.any(String) } });
    expect(await workflowExists(ctx.client, workflowId)).toBe(false);
    expect(await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.topic, 'orders/create'))).toEqual([]);
    const logged = ctx.logs.find((line) => line.msg === 'shopify webhook rejected: signature check failed');
    expect(logged).toMatchObject({ reason: 'HMAC does not match the body', topic: 'orders/create', shop: ctx.shop });
  });

  it('rejects a delivery without a signature with 401', async () => {
    const orderId = bigOrderId();
    const response = await deliver({ body: orderPayload(orderId), signature: null });
    expect(response.statusCode).toBe(401);
    expect(await workflowExists(ctx.client, track(orderId))).toBe(false);
  });

  it('rejects a signed body that is not JSON with 400 and starts nothing', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    const response = await deliver({ body: `{"id": ${orderId}, "name": "#1001"` });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_body');
    expect(await workflowExists(ctx.client, workflowId)).toBe(false);
    expect(ctx.logs.some((line) => line.msg === 'shopify webhook rejected: body is not JSON')).toBe(true);
  });

  it('rejects an order webhook without an order id with 400', async () => {
    const response = await deliver({ body: '{"name":"#1001","line_items":[{"id":5}]}' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('no order id');
  });

  it('starts one sync for the exact big order id, and answers redeliveries of the same event "duplicate"', async () => {
    const orderId = bigOrderId();
    expect(String(Number(orderId))).not.toBe(orderId); // the id really does not survive JSON.parse
    const workflowId = track(orderId);
    const body = orderPayload(orderId, '#1001');
    const eventId = randomUUID();

    const first = await deliver({ body, eventId });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'accepted', orderId });
    expect(await handledOutcome(eventId)).toBe('started');
    const firstRun = (await ctx.client.workflow.getHandle(workflowId).describe()).runId;
    // No worker runs here: the order still shows, as Pending, where operators look.
    const [row] = await ctx.database.db.select().from(orderSyncs).where(eq(orderSyncs.orderId, orderId));
    expect(row).toMatchObject({ status: 'pending', orderName: '#1001', workflowId });

    // End the first run: if a redelivery started anything, a new run would appear (the id may be reused).
    await ctx.client.workflow.getHandle(workflowId).terminate('test: make any second start visible');

    const second = await deliver({ body, eventId, webhookId: randomUUID() });
    const third = await deliver({ body, eventId });
    expect([second.statusCode, third.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual({ status: 'duplicate' });
    expect(third.json()).toEqual({ status: 'duplicate' });

    const description = await ctx.client.workflow.getHandle(workflowId).describe();
    expect(description.runId).toBe(firstRun);
    expect(description.status.name).toBe('TERMINATED');
    const [input] = (await ctx.client.workflow.getHandle(workflowId).fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    // Stored encrypted (security/payload-codec.ts); the codec opens it.
    expect(Buffer.from(input!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const [plain] = await testDataConverter.payloadCodecs![0]!.decode([input!]);
    expect(JSON.parse(Buffer.from(plain!.data!).toString('utf8'))).toEqual({ routeId: ctx.routeId, orderId, orderName: '#1001' });
    const events = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
    expect(events).toEqual([expect.objectContaining({ integrationId: ctx.shopifyIntegrationId, topic: 'orders/create', outcome: 'started' })]);
  });

  it('joins the running sync when a different event arrives for the same order', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    const [createdEvent, updatedEvent] = [randomUUID(), randomUUID()];

    const created = await deliver({ body: orderPayload(orderId), topic: 'orders/create', eventId: createdEvent });
    expect(created.json().status).toBe('accepted');
    expect(await handledOutcome(createdEvent)).toBe('started');
    const firstRun = (await ctx.client.workflow.getHandle(workflowId).describe()).runId;
    const updated = await deliver({ body: orderPayload(orderId), topic: 'orders/updated', eventId: updatedEvent });
    expect(updated.json().status).toBe('accepted');
    expect(await handledOutcome(updatedEvent)).toBe('started');

    const description = await ctx.client.workflow.getHandle(workflowId).describe();
    expect(description.runId).toBe(firstRun);
    expect(description.status.name).toBe('RUNNING');
  });

  it('falls back to the webhook id when Shopify sends no event id', async () => {
    const orderId = bigOrderId();
    track(orderId);
    const webhookId = randomUUID();
    const first = await deliver({ body: orderPayload(orderId), eventId: null, webhookId });
    expect(first.json().status).toBe('accepted');
    expect(await handledOutcome(webhookId)).toBe('started');
    const again = await deliver({ body: orderPayload(orderId), eventId: null, webhookId });
    expect(again.json()).toEqual({ status: 'duplicate' });
  });

  it('reads the id from admin_graphql_api_id when the payload has no numeric id', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    const eventId = randomUUID();
    const response = await deliver({ body: `{"admin_graphql_api_id":"gid://shopify/Order/${orderId}","name":"#7"}`, eventId });
    expect(response.json()).toEqual({ status: 'accepted', orderId });
    expect(await handledOutcome(eventId)).toBe('started');
    expect(await workflowExists(ctx.client, workflowId)).toBe(true);
  });

  it('acknowledges an order that is already synced without starting anything', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    await ctx.database.db.insert(orderSyncs).values({ routeId: ctx.routeId, orderId, orderName: '#5', workflowId, status: 'synced' });

    const eventId = randomUUID();
    const response = await deliver({ body: orderPayload(orderId, '#5'), topic: 'orders/updated', eventId });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'accepted', orderId });
    expect(await handledOutcome(eventId)).toBe('already_synced');
    expect(await workflowExists(ctx.client, workflowId)).toBe(false);
  });

  it('answers 200 "ignored" for a shop no route reads from, and logs it', async () => {
    const response = await deliver({ body: orderPayload(bigOrderId()), shop: 'stranger.myshopify.com' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ignored' });
    expect(ctx.logs.some((line) => line.msg === 'shopify webhook ignored: no sync route reads from this shop' && line.shop === 'stranger.myshopify.com')).toBe(true);
  });

  it('records app/uninstalled and tells the health work which integration it was', async () => {
    const eventId = randomUUID();
    const response = await deliver({ body: `{"id": 548380009, "domain": "${ctx.shop}"}`, topic: 'app/uninstalled', eventId });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'recorded' });
    expect(ctx.uninstalled).toEqual([ctx.shopifyIntegrationId]);
    const [event] = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
    expect(event).toMatchObject({ topic: 'app/uninstalled', outcome: 'app_uninstalled', integrationId: ctx.shopifyIntegrationId });
  });

  it('refuses a body that is not JSON by content type with 415', async () => {
    const body = 'id=1';
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-shopify-hmac-sha256': signWithTestSecret(body) },
      payload: body,
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  it('keeps other routes on the ordinary JSON parser', async () => {
    const response = await ctx.app.inject({
      method: 'PUT',
      url: `/routes/${ctx.routeId}/sku-mappings/X`,
      headers: { authorization: 'Bearer operator-token-for-tests', 'content-type': 'application/json' },
      payload: '{"ledgerItemId": "7"}',
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('POST /webhooks/shopify: an event is done only once its sync has started', () => {
  const tenMinutesAgo = () => new Date(Date.now() - 10 * 60_000);

  it('a redelivery takes over an event left "processing" by a process that died, and starts the sync', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    const eventId = randomUUID();
    // What a process that died after recording the event, before starting its sync, leaves behind.
    await ctx.database.db
      .insert(webhookEvents)
      .values({ eventId, integrationId: ctx.shopifyIntegrationId, topic: 'orders/create', webhookId: randomUUID(), outcome: 'processing', receivedAt: tenMinutesAgo() });

    const redelivered = await deliver({ body: orderPayload(orderId), eventId });

    expect(redelivered.statusCode).toBe(200);
    expect(redelivered.json()).toEqual({ status: 'accepted', orderId });
    expect(await handledOutcome(eventId)).toBe('started');
    expect(await workflowExists(ctx.client, workflowId)).toBe(true);
  });

  it('a redelivery while another process holds a live claim is a duplicate', async () => {
    const orderId = bigOrderId();
    const eventId = randomUUID();
    await ctx.database.db
      .insert(webhookEvents)
      .values({ eventId, integrationId: ctx.shopifyIntegrationId, topic: 'orders/create', webhookId: randomUUID(), outcome: 'processing', claimedAt: new Date() });

    const redelivered = await deliver({ body: orderPayload(orderId), eventId });

    expect(redelivered.json()).toEqual({ status: 'duplicate' });
    const [event] = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
    expect(event?.outcome).toBe('processing');
  });

  it('an order event recorded but never started (the process died after answering) is started by the intake', async () => {
    const orderId = bigOrderId();
    const workflowId = track(orderId);
    const eventId = randomUUID();
    await ctx.database.db.insert(webhookEvents).values({
      eventId,
      integrationId: ctx.shopifyIntegrationId,
      topic: 'orders/create',
      webhookId: randomUUID(),
      shop: ctx.shop,
      orderId,
      orderReference: { orderName: '#8', currentTotal: '10.00', cancelledAt: null, updatedAt: null },
      outcome: 'queued',
      receivedAt: tenMinutesAgo(),
    });

    expect(await handledOutcome(eventId)).toBe('started');
    const [row] = await ctx.database.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, ctx.routeId), eq(orderSyncs.orderId, orderId)));
    expect(row).toMatchObject({ status: 'pending', orderName: '#8', workflowId });
    expect(await workflowExists(ctx.client, workflowId)).toBe(true);
  });

  it('app/uninstalled left "processing" by a process that died is acted on by the redelivery', async () => {
    const eventId = randomUUID();
    await ctx.database.db
      .insert(webhookEvents)
      .values({ eventId, integrationId: ctx.shopifyIntegrationId, topic: 'app/uninstalled', webhookId: randomUUID(), outcome: 'processing', receivedAt: tenMinutesAgo() });
    const before = ctx.uninstalled.length;

    const response = await deliver({ body: `{"id": 548380009, "domain": "${ctx.shop}"}`, topic: 'app/uninstalled', eventId });

    expect(response.json()).toEqual({ status: 'recorded' });
    expect(ctx.uninstalled.slice(before)).toEqual([ctx.shopifyIntegrationId]);
    const [event] = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
    expect(event?.outcome).toBe('app_uninstalled');
  });
});
