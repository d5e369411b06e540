import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { orderSyncs, webhookEvents } from '../db/schema.js';
import { fullResyncWorkflowId, startFullResync, type FullResyncView } from '../runtime/full-resync-starter.js';
import { fullResyncProgressQuery, fullResyncWorkflow } from '../workflows/full-resync.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

const DAY_MS = 86_400_000;

/**
 * Full re-sync of a store, end to end: the real API, Temporal dev server, worker, Shopify and QuickBooks emulators.
 * Orders whose webhooks were lost are booked by the walk; orders already booked are only counted; a second walk
 * right after books nothing and says so.
 */
describe('full re-sync of a store', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    // Two orders a page: every walk here has several pages.
    harness = await SyncHarness.start({ shopifyUpdatedOrdersPageSize: 2 });
  });
  afterAll(async () => harness?.close());

  const mugs = [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }];
  const receiptsNumbered = (name: string) => harness.salesReceipts().filter((r) => r.docNumber === name.replace('#', ''));
  const shopOrders = () => harness.shopify.control.orders(harness.shop);

  async function dropNextWebhooks(count: number) {
    const response = await fetch(`${harness.shopify.origin}/_emulator/webhooks/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count }) });
    expect(response.status).toBe(200);
  }

  /** Orders the shop has that no webhook brought: created while the webhooks were dropped. */
  async function lostOrders(names: string[]) {
    await dropNextWebhooks(names.length);
    return names.map((name) => harness.shopify.control.createOrder({ name, lineItems: mugs }));
  }

  async function resyncToEnd(body: Record<string, unknown> = {}): Promise<FullResyncView> {
    const started = await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/resync`, body);
    expect(started.status).toBe(202);
    return eventually(async () => {
      const view = (await harness.operator('GET', `/integrations/${harness.shopifyIntegrationId}/resync`)).body as FullResyncView;
      return view.state !== 'running' ? view : undefined;
    }, 'the re-sync to finish');
  }

  it('books what is missing at a bounded rate; run again right after, it creates no document and says so', async () => {
    const booked = ['#8001', '#8002'].map((name) => harness.shopify.control.createOrder({ name, lineItems: mugs }));
    for (const order of booked) expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const lost = await lostOrders(['#8003', '#8004', '#8005']);
    expect(await harness.orderRow(lost[0]!.id)).toBeUndefined();

    const first = await resyncToEnd({ perSecond: 4 });
    expect(first).toMatchObject({ state: 'finished', done: 5, total: 5, routeIds: [harness.routeId] });
    expect(first.summary).toBe('5 orders checked, 3 new documents, 2 already booked.');
    for (const order of lost) expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect([...booked, ...lost].map((order) => receiptsNumbered(order.name).length)).toEqual([1, 1, 1, 1, 1]);

    // Rate-bounded: 4 starts a second, so the three syncs began at least a quarter second apart.
    const rows = await harness.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, harness.routeId), inArray(orderSyncs.orderId, lost.map((o) => o.id))));
    const seen = rows.map((row) => row.firstSeenAt.getTime()).sort((a, b) => a - b);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(230);
    expect(seen[2]! - seen[1]!).toBeGreaterThanOrEqual(230);

    const receipts = harness.salesReceipts().length;
    const second = await resyncToEnd();
    expect(second.summary).toBe('5 orders checked, 0 new documents, 5 already booked.');
    expect(second.kinds[0]!.counts).toMatchObject({ checked: 5, started: 0, already_done: 5 });
    expect(harness.salesReceipts()).toHaveLength(receipts);
  });

  it('survives a worker restart mid-walk and continues as new page by page, counting each order once', async () => {
    const lost = await lostOrders(['#8101', '#8102', '#8103', '#8104']);
    const all = shopOrders().length;
    // One page per run: continue-as-new after every page; a start every two seconds leaves time to stop the worker mid-walk.
    await startFullResync({ client: harness.client, taskQueue: harness.taskQueue }, { integrationId: harness.shopifyIntegrationId, perSecond: 0.5, pagesPerRun: 1 });
    const handle = harness.client.workflow.getHandle<typeof fullResyncWorkflow>(fullResyncWorkflowId(harness.shopifyIntegrationId));
    const midWalk = await eventually(async () => {
      const progress = await handle.query(fullResyncProgressQuery);
      return progress.runs >= 2 ? progress : undefined;
    }, 'a second run');
    expect(midWalk.state).toBe('running');
    await harness.stopWorker();
    await harness.startWorker();
    const result = await handle.result();

    expect(result.state).toBe('finished');
    expect(result.runs).toBeGreaterThanOrEqual(Math.ceil(all / 2));
    expect(result.kinds[0]!.counts).toMatchObject({ checked: all, started: 4, already_done: all - 4, in_progress: 0 });
    for (const order of lost) expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(lost.map((order) => receiptsNumbered(order.name).length)).toEqual([1, 1, 1, 1]);
    // The last run (carried over by continue-as-new) replays on today's code: a fixture for later changes of the workflow.
    const { runId } = await handle.describe();
    expect(await replayErrors(harness.client, [{ workflowId: handle.workflowId, runId, fixtureName: 'full-resync-continued-as-new' }])).toEqual([]);
  });

  it("keeps orders placed before the route's start date out (Skipped, saying why); a new date applies to history only through a re-sync", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const settings = await harness.operator('PUT', `/routes/${harness.routeId}/sync-settings`, { ordersFrom: today });
    expect(settings).toMatchObject({ status: 200, body: { ordersFrom: today, entities: { orders: true, customers: true, products: true } } });

    // Its webhook arrives: the intake skips it before any sync starts.
    const old = harness.shopify.control.createOrder({ name: '#8201', createdAt: new Date(Date.now() - 3 * DAY_MS).toISOString(), lineItems: mugs });
    const row = await eventually(async () => (await harness.orderRow(old.id))?.status === 'skipped' && harness.orderRow(old.id), 'the old order to be skipped');
    expect(row).toMatchObject({ lastErrorCode: 'BeforeRouteStartDate' });
    expect(row && row.lastErrorMessage).toContain("before the route's start date");
    const [event] = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, old.id));
    expect(event?.outcome).toBe('skipped');
    await expect(harness.handle(`order-sync/${harness.routeId}/${old.id}`).describe()).rejects.toThrow();

    // A re-sync from five days back lists it again and leaves it out again.
    const from = new Date(Date.now() - 5 * DAY_MS).toISOString().slice(0, 10);
    const walked = await resyncToEnd({ from });
    expect(walked.kinds[0]!.counts).toMatchObject({ before_start_date: 1, started: 0 });
    expect(walked.summary).toContain("1 before the route's start date");

    // Moving the date changes nothing booked or skipped until the operator re-syncs; then the order is booked, once.
    await harness.operator('PUT', `/routes/${harness.routeId}/sync-settings`, { ordersFrom: null });
    expect((await harness.orderRow(old.id))?.status).toBe('skipped');
    const again = await resyncToEnd({ from });
    expect(again.kinds[0]!.counts).toMatchObject({ started: 1, before_start_date: 0 });
    expect((await harness.syncResultOf(old.id)).outcome).toBe('created');
    expect(receiptsNumbered('#8201')).toHaveLength(1);
  });

  it('says where polling stands, and answers 404/409 plainly', async () => {
    const polling = await harness.operator('GET', `/integrations/${harness.shopifyIntegrationId}/polling`);
    expect(polling).toMatchObject({ status: 200, body: { integrationId: harness.shopifyIntegrationId, lastError: null, schedule: null } });
    expect((await harness.operator('GET', `/integrations/${harness.qboIntegrationId}/resync`)).status).toBe(400);
    expect((await harness.operator('POST', '/integrations/nobody/resync', {})).status).toBe(404);

    // No worker while it is asked twice and cancelled: it cannot finish first.
    await harness.stopWorker();
    await startFullResync({ client: harness.client, taskQueue: harness.taskQueue }, { integrationId: harness.shopifyIntegrationId });
    const twice = await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/resync`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('running already');
    const cancel = await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/resync/cancel`);
    expect(cancel.body.cancelled).toBe(true);
    await harness.startWorker();
    const ended = await eventually(async () => {
      const view = (await harness.operator('GET', `/integrations/${harness.shopifyIntegrationId}/resync`)).body as FullResyncView;
      return view.state !== 'running' ? view : undefined;
    }, 'the cancel');
    expect(ended.state).toBe('cancelled');
    expect(ended.summary).toMatch(/^Cancelled: /);
  });
});
