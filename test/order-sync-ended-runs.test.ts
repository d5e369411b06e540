import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { syncRoutes } from '../db/schema.js';
import { markEndedOrderSyncs, WorkflowEndedCode } from '../runtime/ended-order-syncs.js';
import { orderSyncStatusQuery, retrySignal } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/** Syncs that end without booking are visible as such; our own database refusing a write is not retried forever. */
describe('order sync: runs that end', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const parkedOrder = async (name: string, sku: string) => {
    const order = harness.shopify.control.createOrder({ name, lineItems: [{ title: 'Mug', sku, quantity: 1, unitPrice: '8.00' }] });
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    await eventually(async () => (await harness.orderRow(order.id))?.status === 'waiting', `order ${name} to wait`);
    return { order, handle };
  };

  it('a sync terminated by hand is shown Failed with the reason, not Waiting forever', async () => {
    const { order, handle } = await parkedOrder('#4601', 'ENDED-1');
    await handle.terminate('operator cleanup');
    const marked = await eventually(async () => (await markEndedOrderSyncs(harness.client, harness.db, { integrationId: harness.qboIntegrationId })) || undefined, 'the ended run to be found');
    expect(marked).toBe(1);
    const row = await harness.orderRow(order.id);
    expect(row).toMatchObject({ status: 'failed', lastErrorCode: WorkflowEndedCode, waitingOn: null });
    expect(row!.lastErrorMessage).toContain('was terminated before the order was booked');
    // Marked once: a second sweep leaves it alone.
    expect(await markEndedOrderSyncs(harness.client, harness.db, { integrationId: harness.qboIntegrationId })).toBe(0);
  });

  it('when its route is deleted while it waits, the sync ends on the database refusal instead of retrying the write forever', async () => {
    const { handle } = await parkedOrder('#4602', 'ENDED-2');
    expect((await handle.query(orderSyncStatusQuery)).state).toBe('waiting_for_fix');
    await harness.db.delete(syncRoutes).where(eq(syncRoutes.id, harness.routeId));
    await handle.signal(retrySignal);
    const error = await handle.result().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (error as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    const cause = (activityFailure as ActivityFailure).cause as ApplicationFailure;
    expect(cause.type).toBe('DatabaseRejected');
    expect(cause.nonRetryable).toBe(true);
  });
});
