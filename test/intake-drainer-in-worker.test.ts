import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { webhookEvents } from '../db/schema.js';
import { runIntakeDrainer } from '../runtime/intake-drainer-runner.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { signWithTestSecret, startApiTestContext, workflowExists, type ApiTestContext } from './api-test-app.js';
import { eventually } from './support/sync-harness.js';

/**
 * INTAKE_DRAINER=worker: the API records order webhooks and answers, and never starts a sync itself; the drainer in
 * another process (here: another database pool, as the worker would open) is woken by the database's notification.
 * Its poll is set to ten minutes, so a sync that starts within the test was started by the notification.
 */
describe('order webhooks started by a drainer outside the API', () => {
  let ctx: ApiTestContext;
  let workerDatabase: Pick<OpenDatabase, 'db' | 'listen'> & { close(): Promise<void> };
  let drainer: Awaited<ReturnType<typeof runIntakeDrainer>> | null = null;
  const log = { info: () => {}, warn: () => {}, error: () => {} };

  beforeAll(async () => {
    ctx = await startApiTestContext(inject('temporalAddress'), () => ({ drainIntake: false }));
    // PGlite is one process's database: there the "other process" shares it; on PostgreSQL it is a pool of its own.
    workerDatabase = ctx.database.url ? await openDatabase({ url: ctx.database.url }) : { ...ctx.database, close: async () => {} };
  });

  afterAll(async () => {
    await drainer?.stop();
    await workerDatabase?.close();
    await ctx?.close();
  });

  const deliver = (orderId: string, eventId: string) => {
    const body = JSON.stringify({ id: Number(orderId), name: `#${orderId}`, line_items: [{ id: 1, sku: 'MUG-1' }] });
    return ctx.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': ctx.shop,
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': eventId,
        'x-shopify-hmac-sha256': signWithTestSecret(body),
      },
      payload: body,
    });
  };
  const outcomeOf = async (eventId: string) => (await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventId)))[0]?.outcome;

  it('the API only records; the drainer, woken by the database, starts the sync once', async () => {
    const first = String(7_100_000 + Math.floor(Math.random() * 100_000));
    const firstEvent = randomUUID();
    const answered = await deliver(first, firstEvent);
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toEqual({ status: 'accepted', orderId: first });
    ctx.startedWorkflowIds.add(orderSyncWorkflowId(ctx.routeId, first));

    // Nothing in the API starts it: it waits, queued, for a drainer (the "waiting" view of GET /intake).
    const intake = await ctx.app.inject({ method: 'GET', url: '/intake', headers: { authorization: 'Bearer operator-token-for-tests' } });
    expect(intake.json()).toMatchObject({ queued: 1 });
    expect(await outcomeOf(firstEvent)).toBe('queued');
    expect(await workflowExists(ctx.client, orderSyncWorkflowId(ctx.routeId, first))).toBe(false);

    // The worker's drainer starts: it takes over what the API left (the replay on start)...
    drainer = await runIntakeDrainer(workerDatabase, { db: workerDatabase.db, temporal: ctx.client, taskQueue: ctx.taskQueue, log }, { pollIntervalMs: 600_000 });
    await eventually(async () => ((await outcomeOf(firstEvent)) === 'started' ? true : undefined), 'the queued event to be started');
    expect(await workflowExists(ctx.client, orderSyncWorkflowId(ctx.routeId, first))).toBe(true);

    // ...and, idle with a ten-minute poll, is woken by the next delivery's notification.
    const second = String(Number(first) + 1);
    const secondEvent = randomUUID();
    ctx.startedWorkflowIds.add(orderSyncWorkflowId(ctx.routeId, second));
    expect((await deliver(second, secondEvent)).json()).toEqual({ status: 'accepted', orderId: second });
    await eventually(async () => ((await outcomeOf(secondEvent)) === 'started' ? true : undefined), 'the new event to be started by the notification');
    expect(await workflowExists(ctx.client, orderSyncWorkflowId(ctx.routeId, second))).toBe(true);

    // A redelivery of a started event is a duplicate and wakes nothing to start twice.
    expect((await deliver(second, secondEvent)).json()).toEqual({ status: 'duplicate' });
  });
});
