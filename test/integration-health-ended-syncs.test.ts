import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowEndedCode } from '../runtime/ended-order-syncs.js';
import { orderSyncs } from '../db/schema.js';
import { and, eq } from 'drizzle-orm';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import { timerDurationsMs } from './support/workflow-history.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/** The health check interval this test runs at: the sweep must follow it, not the 5-minute default. */
const CHECK_INTERVAL_MS = 1_500;

describe('integration health: syncs that ended without booking', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start({ checkIntervalMs: CHECK_INTERVAL_MS });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("the ledger's health workflow finds a terminated order sync on its next scheduled check and shows the order Failed", async () => {
    const shopify = await h.createIntegration('shopify');
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'QuickBooks connected');
    const routeId = await h.createRoute(shopify.id, qbo.id);

    // An order that waits on a SKU nobody maps; then someone terminates its sync in Temporal UI.
    const order = h.shopify.control.createOrder({ name: '#4701', lineItems: [{ title: 'Lamp', sku: 'NOBODY-MAPS-THIS', quantity: 1, unitPrice: '30.00' }] });
    const { workflowId } = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id });
    const row = async () => (await h.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, order.id))))[0];
    await eventually(async () => (await row())?.status === 'waiting', 'the order to wait on its SKU');
    await h.client.workflow.getHandle(workflowId).terminate('cleaned up by hand');
    const terminatedAt = Date.now();

    // Nobody asks for a check: only the health workflow's own schedule can find it.
    const marked = await eventually(async () => {
      const current = await row();
      return current?.lastErrorCode === WorkflowEndedCode ? current : undefined;
    }, 'the ended sync to be shown Failed', 30_000);
    expect(marked).toMatchObject({ status: 'failed', waitingOn: null });
    expect(marked.lastErrorMessage).toContain('was terminated before the order was booked');

    // It was the scheduled check of QuickBooks' health workflow: the sweep runs after each check, checks come
    // every CHECK_INTERVAL_MS (the workflow's own timers say so), and the one that marked it began after the termination.
    const events = (await h.healthHandle(qbo.id).fetchHistory()).events ?? [];
    const sweeps = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'markEndedOrderSyncs');
    expect(sweeps.length).toBeGreaterThanOrEqual(2);
    const sweptAfter = sweeps.filter((e) => Number(e.eventTime!.seconds) * 1000 + Math.round((e.eventTime!.nanos ?? 0) / 1e6) >= terminatedAt - 1_000);
    expect(sweptAfter.length).toBeGreaterThanOrEqual(1);
    const timers = await timerDurationsMs(h.healthHandle(qbo.id));
    expect(timers.length).toBeGreaterThanOrEqual(2);
    for (const timer of timers) expect(timer).toBeLessThanOrEqual(CHECK_INTERVAL_MS);
  });
});
