import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { EntitySyncOutcome } from '../activities/entity-sync-activities.js';
import { entitySyncs, orderSyncs } from '../db/schema.js';
import { startEntitySync } from '../runtime/entity-sync-starter.js';
import { entitySyncStatusQuery } from '../workflows/entity-sync.js';
import { parkedOrderResumeProgressQuery, parkedOrderResumeWorkflow } from '../workflows/parked-order-resume.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

describe('integration health: resuming parked syncs after a reconnect', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('"Check now" answers while the parked orders are still being resumed, and the resume reports its progress', async () => {
    const shopify = await h.createIntegration('shopify');
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'QuickBooks connected');
    const routeId = await h.createRoute(shopify.id, qbo.id);
    // 600 orders parked on the ledger's connection (their syncs are long gone): 12 s to resume at 50 a second.
    const total = 600;
    await h.db.insert(orderSyncs).values(
      Array.from({ length: total }, (_, i) => ({
        routeId,
        orderId: `gone-${i}`,
        workflowId: `order-sync/${routeId}/gone-${i}`,
        status: 'waiting' as const,
        waitingFor: 'reconnect' as const,
        waitingOn: qbo.id,
      })),
    );

    await h.clickConnect(qbo.id);
    const resume = await eventually(async () => {
      for await (const run of h.client.workflow.list({ query: `WorkflowType = 'parkedOrderResumeWorkflow'` })) {
        if (run.workflowId.startsWith(`parked-order-resume/${qbo.id}/`)) return h.client.workflow.getHandle(run.workflowId);
      }
      return undefined;
    }, 'the resume workflow to start');

    const check = await h.api('POST', `/integrations/${qbo.id}/check`);
    expect(check.statusCode).toBe(200);
    const during = await resume.query(parkedOrderResumeProgressQuery);
    expect(during.finished).toBe(false);
    expect(during.total).toBe(total);

    const done = await eventually(async () => {
      const progress = await resume.query(parkedOrderResumeProgressQuery);
      return progress.finished ? progress : undefined;
    }, 'the resume to finish', 90_000);
    expect(done).toEqual({ total, done: total, failed: total, finished: true });
    expect((await h.health(qbo.id)).lastResume).toMatchObject({ resumed: total });
  });

  it('a product sync parked on a revoked ledger connection resumes when the ledger is reconnected, and creates its item once', async () => {
    const { qbo, routeId } = await h.connectedShopAndLedger();
    h.qbo.control.revokeGrant(h.realmId);
    expect(((await h.api('POST', `/integrations/${qbo.id}/check`)).json() as { status: string }).status).toBe('reconnect_required');

    const lantern = h.shopify.control.createProduct({ shop: h.shop, title: 'Storm lantern', variants: [{ sku: 'LANTERN-1', price: '34.00' }] });
    const { workflowId } = await startEntitySync(h.client, h.db, h.taskQueue, { routeId, entity: 'products', sourceId: lantern.id });
    const handle = h.client.workflow.getHandle(workflowId);
    const rowOf = async () => (await h.db.select().from(entitySyncs).where(and(eq(entitySyncs.routeId, routeId), eq(entitySyncs.sourceId, lantern.id))))[0];
    // The row is written after the workflow's state: wait for both.
    await eventually(async () => ((await handle.query(entitySyncStatusQuery)).state === 'waiting_for_reconnect' && (await rowOf())?.status === 'waiting' ? true : undefined), 'the product to wait for a reconnect');
    expect(await rowOf()).toMatchObject({ status: 'waiting', waitingFor: 'reconnect', waitingOn: qbo.id });

    // Reconnecting is all it takes: no retry, and long before the re-check timer (hours by default).
    await h.clickConnect(qbo.id);
    await eventually(async () => (await rowOf())?.status === 'synced', 'the product to sync after the reconnect, with no retry');
    const outcome = (await handle.result()) as EntitySyncOutcome;
    expect(outcome.state).toBe('synced');
    expect(outcome.message).toMatch(/^Product Storm lantern: LANTERN-1 created as item "Storm lantern"/);
    const items = h.qbo.control.list(h.realmId, 'Item').filter((item) => (item as { Sku?: string }).Sku === 'LANTERN-1');
    expect(items).toHaveLength(1);
    expect(await rowOf()).toMatchObject({ status: 'synced', attempts: 2 });
  });

  it('the resume after a reconnect pages through the parked orders, then the parked customer and product syncs', async () => {
    const { qbo, routeId } = await h.connectedShopAndLedger();
    // Syncs long gone (their signals fail and are counted): 3 orders, then 5 customers and products, 2 per batch.
    await h.db.insert(orderSyncs).values(
      Array.from({ length: 3 }, (_, i) => ({ routeId, orderId: `o-${i}`, workflowId: `order-sync/${routeId}/o-${i}`, status: 'waiting' as const, waitingFor: 'reconnect' as const, waitingOn: qbo.id })),
    );
    await h.db.insert(entitySyncs).values(
      Array.from({ length: 5 }, (_, i) => {
        const entity = i < 2 ? 'customers' : 'products';
        return { routeId, entity, sourceId: `e-${i}`, workflowId: `${entity}-gone/${routeId}/e-${i}`, status: 'waiting', waitingFor: 'reconnect', waitingOn: qbo.id };
      }),
    );
    // Not parked on this integration: left alone.
    await h.db.insert(entitySyncs).values({ routeId, entity: 'products', sourceId: 'other', workflowId: `product-sync/${routeId}/other`, status: 'failed', waitingFor: 'fix', waitingOn: 'sku:X' });

    const progress = await h.client.workflow.execute(parkedOrderResumeWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: `parked-order-resume/${qbo.id}/paging-test`,
      args: [{ selection: { integrationId: qbo.id, waitingOn: qbo.id, includeEntitySyncs: true }, signal: 'reconnected', perSecond: 100, batchSize: 2 }],
    });
    expect(progress).toEqual({ total: 8, done: 8, failed: 8, finished: true });
  });
});
