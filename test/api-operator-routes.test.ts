import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { orderSyncs, syncRoutes, truncatedFields } from '../db/schema.js';
import { orderSyncWorkflowId, startOrderSync } from '../runtime/order-sync-starter.js';
import { Type } from 'typebox';
import { buildApi, operatorTokenHook } from '../api/app.js';
import { bigOrderId, OPERATOR_TOKEN, startApiTestContext, verifyWithTestSecret, workflowExists, type ApiTestContext } from './api-test-app.js';
import { testDataConverter } from './support/test-data-converter.js';

let ctx: ApiTestContext;

beforeAll(async () => {
  ctx = await startApiTestContext(inject('temporalAddress'));
});

afterAll(async () => {
  await ctx?.close();
});

const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };

function operator(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return ctx.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
}

/** A workflow started (and left queued: no worker) plus the row a parked order would have. */
async function parkedOrder(fields: { waitingFor: string; waitingOn: string | null; status?: string; routeId?: string }) {
  const orderId = bigOrderId();
  const routeId = fields.routeId ?? ctx.routeId;
  const started = await startOrderSync(ctx.client, ctx.database.db, ctx.taskQueue, { routeId, orderId, orderName: `#${orderId.slice(-4)}` });
  ctx.startedWorkflowIds.add(started.workflowId);
  // The start wrote the Pending row; park it as the workflow's activity would.
  await ctx.database.db
    .update(orderSyncs)
    .set({
      status: fields.status ?? 'waiting',
      waitingFor: fields.waitingFor,
      waitingOn: fields.waitingOn,
      lastErrorCode: 'SkuNotFound',
      lastErrorMessage: 'No ledger item for SKU',
    })
    .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)));
  return { orderId, workflowId: started.workflowId };
}

async function signalsOf(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => (event.workflowExecutionSignaledEventAttributes?.signalName ? [event.workflowExecutionSignaledEventAttributes.signalName] : []));
}

describe('public routes', () => {
  it('answers /healthz without a token', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document listing every route, operator routes marked as bearer-protected', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/webhooks/shopify',
        '/routes/{routeId}/orders',
        '/routes/{routeId}/orders/{orderId}',
        '/routes/{routeId}/orders/{orderId}/sync',
        '/routes/{routeId}/orders/{orderId}/reconnected',
        '/routes/{routeId}/orders/{orderId}/retry',
        '/routes/{routeId}/sku-mappings',
        '/routes/{routeId}/sku-mappings/{sku}',
        '/routes/{routeId}/tax-mappings',
        '/routes/{routeId}/tax-mappings/{taxKey}',
        '/routes/{routeId}/replay',
        '/routes',
        '/routes/{routeId}',
        '/routes/{routeId}/orders/{orderId}/change-handled',
      ]),
    );
    expect(spec.components.securitySchemes.operatorToken).toEqual({ type: 'http', scheme: 'bearer' });
    expect(spec.paths['/routes/{routeId}/replay'].post.security).toEqual([{ operatorToken: [] }]);
    expect(spec.paths['/webhooks/shopify'].post.security).toBeUndefined();
  });
});

describe('operator authentication', () => {
  it('refuses a request without a bearer token with 401 and says what to send', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: `/routes/${ctx.routeId}/orders` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') } });
  });

  it('refuses a wrong token with 401', async () => {
    for (const token of ['nope', `${OPERATOR_TOKEN}x`, OPERATOR_TOKEN.slice(0, -1)]) {
      const response = await ctx.app.inject({ method: 'GET', url: `/routes/${ctx.routeId}/orders`, headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.message).toBe('The operator token is not valid.');
    }
  });
});

describe('mappings', () => {
  it('saves a SKU mapping whose SKU holds a slash and spaces, and lists it', async () => {
    const sku = 'Shirt/Blue L 100%';
    const response = await operator('PUT', `/routes/${ctx.routeId}/sku-mappings/${encodeURIComponent(sku)}`, { ledgerItemId: '41' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      mapping: { routeId: ctx.routeId, sku, ledgerItemId: '41', createdAt: expect.any(String) },
      resumed: 0,
    });

    const replaced = await operator('PUT', `/routes/${ctx.routeId}/sku-mappings/${encodeURIComponent(sku)}`, { ledgerItemId: '42' });
    expect(replaced.json().mapping.ledgerItemId).toBe('42');

    const listed = await operator('GET', `/routes/${ctx.routeId}/sku-mappings`);
    expect(listed.json().mappings.filter((m: { sku: string }) => m.sku === sku)).toEqual([expect.objectContaining({ sku, ledgerItemId: '42' })]);
  });

  it('resumes exactly the orders waiting on the saved SKU', async () => {
    const sku = `WIDGET-${Date.now()}`;
    const waiting = await parkedOrder({ waitingFor: 'fix', waitingOn: `sku:${sku}` });
    await parkedOrder({ waitingFor: 'fix', waitingOn: `sku:OTHER-${Date.now()}` });

    const response = await operator('PUT', `/routes/${ctx.routeId}/sku-mappings/${encodeURIComponent(sku)}`, { ledgerItemId: '77' });

    expect(response.statusCode).toBe(200);
    expect(response.json().resumed).toBe(1);
    await vi.waitFor(async () => expect(await signalsOf(ctx.client, waiting.workflowId)).toEqual(['mappingSaved']), { timeout: 10_000, interval: 100 });
  });

  it('saves a combined tax key, "+" and "@" included', async () => {
    const taxKey = 'CA State Tax@6+LA County Tax@1.25';
    const waiting = await parkedOrder({ waitingFor: 'fix', waitingOn: `tax:${taxKey}` });
    const response = await operator('PUT', `/routes/${ctx.routeId}/tax-mappings/${encodeURIComponent(taxKey)}`, { ledgerTaxCodeId: 'TAX-9' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ mapping: { taxKey, ledgerTaxCodeId: 'TAX-9' }, resumed: 1 });
    expect((await operator('GET', `/routes/${ctx.routeId}/tax-mappings`)).json().mappings).toEqual([expect.objectContaining({ taxKey })]);
    await vi.waitFor(async () => expect(await signalsOf(ctx.client, waiting.workflowId)).toEqual(['mappingSaved']), { timeout: 10_000, interval: 100 });
  });

  it('answers a body without ledgerItemId with a readable 400', async () => {
    const response = await operator('PUT', `/routes/${ctx.routeId}/sku-mappings/ABC`, { itemId: '1' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
    expect(response.json().error.message).toContain('ledgerItemId');
  });

  it('answers 404 for a mapping on an unknown route', async () => {
    const response = await operator('PUT', `/routes/no-such-route/sku-mappings/ABC`, { ledgerItemId: '1' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('There is no sync route "no-such-route".');
  });
});

describe('orders', () => {
  it('answers 404 with a clear message for an order never seen', async () => {
    const response = await operator('GET', `/routes/${ctx.routeId}/orders/123456`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: `Order 123456 has never been synced on route "${ctx.routeId}".` } });
  });

  it('shows the stored row and the full text of truncated fields', async () => {
    const orderId = bigOrderId();
    const workflowId = orderSyncWorkflowId(ctx.routeId, orderId);
    await ctx.database.db.insert(orderSyncs).values({
      routeId: ctx.routeId, orderId, orderName: '#88', workflowId, status: 'synced', ledgerDocumentId: '145', ledgerDocNumber: 'SHOP-88', attempts: 1,
    });
    await ctx.database.db.insert(truncatedFields).values({ routeId: ctx.routeId, orderId, field: 'privateNote', fullText: 'x'.repeat(5000), limit: 4000 });

    const response = await operator('GET', `/routes/${ctx.routeId}/orders/${orderId}`);

    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.order).toMatchObject({ orderId, orderName: '#88', status: 'synced', ledgerDocument: { id: '145', docNumber: 'SHOP-88' }, lastError: null });
    expect(body.workflow).toBeNull();
    expect(body.truncatedFields).toEqual([{ field: 'privateNote', fullText: 'x'.repeat(5000), limit: 4000, recordedAt: expect.any(String) }]);
  });

  it('shows a running sync that no worker has picked up yet, without hanging', async () => {
    const { orderId, workflowId } = await parkedOrder({ waitingFor: 'fix', waitingOn: 'sku:NOPE' });
    const response = await operator('GET', `/routes/${ctx.routeId}/orders/${orderId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().workflow).toMatchObject({ workflowId, status: 'RUNNING', live: null, liveUnavailableReason: expect.any(String) });
  });

  it('lists orders by status', async () => {
    const { orderId } = await parkedOrder({ waitingFor: 'retry', waitingOn: null, status: 'failed' });
    const response = await operator('GET', `/routes/${ctx.routeId}/orders?status=failed`);
    expect(response.statusCode).toBe(200);
    const orders = response.json().orders as { orderId: string; status: string }[];
    expect(orders.map((o) => o.orderId)).toContain(orderId);
    expect(orders.every((o) => o.status === 'failed')).toBe(true);
    expect((await operator('GET', `/routes/${ctx.routeId}/orders?status=lost`)).statusCode).toBe(400);
  });

  it('starts a sync by hand with 202', async () => {
    const orderId = bigOrderId();
    const workflowId = orderSyncWorkflowId(ctx.routeId, orderId);
    ctx.startedWorkflowIds.add(workflowId);
    const response = await operator('POST', `/routes/${ctx.routeId}/orders/${orderId}/sync`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ workflowId, runId: expect.any(String) });
    expect(await workflowExists(ctx.client, workflowId)).toBe(true);
  });

  it('signals retry to a parked order', async () => {
    const { orderId, workflowId } = await parkedOrder({ waitingFor: 'retry', waitingOn: null, status: 'failed' });
    const response = await operator('POST', `/routes/${ctx.routeId}/orders/${orderId}/retry`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ workflowId, signal: 'retry' });
    expect(await signalsOf(ctx.client, workflowId)).toEqual(['retry']);
  });

  it('answers 409 when the order is not waiting, 404 when unknown or its sync has gone', async () => {
    const syncedId = bigOrderId();
    await ctx.database.db.insert(orderSyncs).values({ routeId: ctx.routeId, orderId: syncedId, orderName: '#9', workflowId: orderSyncWorkflowId(ctx.routeId, syncedId), status: 'synced' });
    const synced = await operator('POST', `/routes/${ctx.routeId}/orders/${syncedId}/reconnected`);
    expect(synced.statusCode).toBe(409);
    expect(synced.json().error.message).toBe('Order #9 is not waiting (it is synced); there is nothing to resume.');

    expect((await operator('POST', `/routes/${ctx.routeId}/orders/${bigOrderId()}/reconnected`)).statusCode).toBe(404);

    const goneId = bigOrderId();
    await ctx.database.db.insert(orderSyncs).values({ routeId: ctx.routeId, orderId: goneId, workflowId: orderSyncWorkflowId(ctx.routeId, goneId), status: 'waiting', waitingFor: 'reconnect' });
    const gone = await operator('POST', `/routes/${ctx.routeId}/orders/${goneId}/reconnected`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toContain('no longer running');
  });
});

describe('replay', () => {
  // A route of its own, so that orders parked by other tests do not count.
  let replayRouteId: string;
  beforeAll(async () => {
    replayRouteId = `${ctx.routeId}-replay`;
    const [route] = await ctx.database.db.select().from(syncRoutes).where(eq(syncRoutes.id, ctx.routeId));
    await ctx.database.db.insert(syncRoutes).values({ ...route!, id: replayRouteId });
  });

  it('queues the parked orders of the route in a resume workflow of their own, answers its id and logs it', async () => {
    await parkedOrder({ waitingFor: 'reconnect', waitingOn: 'qbo-x', routeId: replayRouteId });
    await parkedOrder({ waitingFor: 'fix', waitingOn: 'sku:Z', routeId: replayRouteId });
    const goneId = bigOrderId();
    await ctx.database.db
      .insert(orderSyncs)
      .values({ routeId: replayRouteId, orderId: goneId, workflowId: orderSyncWorkflowId(replayRouteId, goneId), status: 'waiting', waitingFor: 'reconnect' });

    const response = await operator('POST', `/routes/${replayRouteId}/replay`, { waitingFor: 'reconnect' });

    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ queued: 2, resumeId: expect.any(String) });
    // The signalling itself runs in parkedOrderResumeWorkflow (no worker here; see order-sync-replay-progress.test.ts).
    const resume = ctx.client.workflow.getHandle(`parked-order-resume/${response.json().resumeId}`);
    expect((await resume.describe()).type).toBe('parkedOrderResumeWorkflow');
    const started = (await resume.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    // Encrypted in history: read it as an operator would, through the codec.
    const [plain] = await testDataConverter.payloadCodecs![0]!.decode([started.input!.payloads![0]!]);
    const input = JSON.parse(Buffer.from(plain!.data!).toString());
    expect(input).toMatchObject({ selection: { routeId: replayRouteId, waitingFor: 'reconnect' }, signal: 'reconnected' });
    const log = ctx.logs.find((line) => line.msg === 'parked orders resuming' && line.reason === 'replay requested');
    expect(log).toMatchObject({ queued: 2, resumeId: response.json().resumeId });
  });

  it('takes a POST without a body as "every parked order", and refuses an unknown waitingFor', async () => {
    const response = await operator('POST', `/routes/${replayRouteId}/replay`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ queued: 3, resumeId: expect.any(String) });
    const invalid = await operator('POST', `/routes/${replayRouteId}/replay`, { waitingFor: 'luck' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toContain('waitingFor');
  });
});

describe('plugins from other parts of the engine', () => {
  it('share the error shape, the OpenAPI document and the operator token', async () => {
    const app = await buildApi({
      db: ctx.database.db,
      temporal: ctx.client,
      taskQueue: ctx.taskQueue,
      operatorToken: OPERATOR_TOKEN,
      verifyShopifyWebhook: verifyWithTestSecret,
      plugins: [
        async (plugin) => {
          plugin.get(
            '/integrations/probe',
            { preHandler: operatorTokenHook(OPERATOR_TOKEN), schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
            async () => ({ ok: true }),
          );
          plugin.get('/integrations/broken', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => {
            throw new Error('connection to db-primary:5432 refused');
          });
        },
      ],
    });
    try {
      expect((await app.inject({ method: 'GET', url: '/integrations/probe' })).json().error.code).toBe('unauthorized');
      expect((await app.inject({ method: 'GET', url: '/integrations/probe', headers: auth })).json()).toEqual({ ok: true });
      expect(Object.keys((await app.inject({ method: 'GET', url: '/openapi.json' })).json().paths)).toContain('/integrations/probe');
      const broken = await app.inject({ method: 'GET', url: '/integrations/broken' });
      expect(broken.statusCode).toBe(500);
      expect(broken.json().error.code).toBe('internal_error');
      expect(broken.body).not.toContain('db-primary');
    } finally {
      await app.close();
    }
  });
});
