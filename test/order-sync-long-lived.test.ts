import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { orderSyncStatusQuery, retrySignal, stepFailureOf, WorkerLostType, type OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';
import { waitsOnTimer } from './support/workflow-history.js';
import { RouteIdKey } from '../workflows/search-attributes.js';

/** Orders that wait for weeks, park twice, or are signalled at odd moments stay small and correct. */
describe('order sync: long-lived runs', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const mugOrder = (name: string, sku: string) => harness.shopify.control.createOrder({ name, lineItems: [{ title: 'Mug', sku, quantity: 1, unitPrice: '8.00' }] });
  const mapSku = async (sku: string) =>
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/${encodeURIComponent(sku)}`, { ledgerItemId: harness.ledgerId('Item', 'Mug') })).status).toBe(200);

  it('an order re-checked again and again continues as new before its history grows large, keeping its attempts, and books once mapped', async () => {
    const order = mugOrder('#4101', 'LONG-1');
    // The test server suggests continue-as-new at 120 events; each re-check of a parked order costs about 25.
    const { workflowId, runId } = await harness.startTimedSync(order.id, { recheckWaitingMs: 150 });
    const handle = harness.handle(workflowId);
    const continued = await eventually(async () => {
      const described = await handle.describe();
      return described.runId !== runId && (await handle.query(orderSyncStatusQuery)).state === 'waiting_for_fix' ? described : undefined;
    }, 'the parked order to continue as new', 90_000);
    // Operators still find it by its search attributes.
    expect(continued.typedSearchAttributes.get(RouteIdKey)).toBe(harness.routeId);

    const firstRun = (await harness.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    expect(firstRun.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(firstRun.length).toBeLessThan(200);

    await mapSku('LONG-1');
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '4101')).toHaveLength(1);
    const row = await harness.orderRow(order.id);
    // Every re-check was an attempt, across runs: the new run carried the count.
    expect(row).toMatchObject({ status: 'synced', lastErrorCode: null });
    expect(row!.attempts).toBeGreaterThanOrEqual(5);
    expect(
      await replayErrors(harness.client, [
        { workflowId, runId, fixtureName: 'order-sync-parked-continued-as-new' },
        { workflowId, runId: continued.runId, fixtureName: 'order-sync-continued-run' },
      ]),
    ).toEqual([]);
    // The operator's row counts the attempts the workflow counts: continuing as new is no attempt of its own.
    expect(row!.attempts).toBe((await handle.query(orderSyncStatusQuery)).attempts);
  });

  it('a second park in the same run waits: resumed after a reconnect, an unknown SKU then waits for its mapping instead of looping', async () => {
    const order = mugOrder('#4102', 'SECOND-PARK');
    harness.qbo.control.revokeGrant(harness.realmId);
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    await eventually(async () => (await handle.query(orderSyncStatusQuery)).state === 'waiting_for_reconnect', 'the order to wait for a reconnect');
    // The row the API reads says so too (the workflow's state comes first, its row write right after).
    await eventually(async () => ((await harness.orderRow(order.id))?.status === 'waiting' ? true : undefined), "the order's row to say waiting");

    harness.qbo.control.authorizeAs(harness.realmId);
    await harness.connect(harness.qboIntegrationId, { realmId: harness.realmId });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/reconnected`)).status).toBeLessThan(300);

    const parked = await eventually(async () => {
      const status = await handle.query(orderSyncStatusQuery);
      return status.state === 'waiting_for_fix' && (await waitsOnTimer(handle)) ? status : undefined;
    }, 'the order to wait on its SKU');
    expect(parked).toMatchObject({ attempts: 2, waitingOn: 'sku:SECOND-PARK' });
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'waiting', attempts: 2, waitingOn: 'sku:SECOND-PARK' });

    await mapSku('SECOND-PARK');
    expect((await handle.result()).outcome).toBe('created');
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 3 });
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-reconnected-then-sku-parked' }])).toEqual([]);
  });

  it('a retry signal sent while the order is still syncing does not skip its later wait', async () => {
    const order = mugOrder('#4103', 'EARLY-RETRY');
    await harness.stopWorker();
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    await handle.signal(retrySignal);
    await harness.startWorker();

    const parked = await eventually(async () => {
      const status = await handle.query(orderSyncStatusQuery);
      return status.state === 'waiting_for_fix' && (await waitsOnTimer(handle)) ? status : undefined;
    }, 'the order to wait on its SKU');
    expect(parked.attempts).toBe(1);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'waiting', attempts: 1 });
    await mapSku('EARLY-RETRY');
    expect((await handle.result()).outcome).toBe('created');
  });

  it('an activity that timed out because its worker died is a worker loss, not an unexpected failure', () => {
    const timeout = new TimeoutFailure('activity Heartbeat timeout', undefined, TimeoutType.HEARTBEAT);
    const failure = stepFailureOf(new ActivityFailure('Activity task timed out', 'createLedgerSalesReceipt', '12', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'worker-1', timeout));
    expect(failure?.code).toBe(WorkerLostType);
    const rejected = stepFailureOf(
      new ActivityFailure('failed', 'mapOrderLines', '3', RetryState.NON_RETRYABLE_FAILURE, 'worker-1', ApplicationFailure.create({ type: 'SkuNotFound', message: 'm' })),
    );
    expect(rejected?.code).toBe('SkuNotFound');
  });
});
