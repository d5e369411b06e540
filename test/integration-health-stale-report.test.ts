import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConnectionProblem } from '../activities/order-sync-activities.js';
import { createConnectionProblemSink } from '../runtime/integration-health-problem-sink.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, HealthHarness } from './integration-health-harness.js';
import { testDataConverter } from './support/test-data-converter.js';

/**
 * Takes the order syncs' connection-problem reports while closed (the sync goes on waiting for its reconnect as
 * usual) so the test can deliver one later, late on purpose; while open they go to the health workflow as in production.
 */
class ReportInterceptor {
  readonly taken: ConnectionProblem[] = [];
  closed = false;

  activity = (send: (problem: ConnectionProblem) => Promise<void>) => ({
    reportConnectionProblem: async (problem: ConnectionProblem): Promise<void> => {
      if (this.closed) this.taken.push(problem);
      else await send(problem);
    },
  });
}

describe('integration health: a connection problem reported after the reconnect', () => {
  let h: HealthHarness;
  const reports = new ReportInterceptor();
  beforeAll(async () => {
    h = await HealthHarness.start({
      replaceActivities: () => reports.activity((problem) => createConnectionProblemSink(h.runtime).connectionFailed(problem)),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /**
   * The health workflow's run that received this signal (it continues as new every 120 events in tests). The same
   * scenario on the code before grant generations gave test/histories/integration-health-late-report-after-reconnect.json.
   */
  async function runWithSignal(integrationId: string, signalName: string) {
    const workflowId = h.healthHandle(integrationId).workflowId;
    for await (const execution of h.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      const history = await h.client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
      if (history.events?.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === signalName)) return history;
    }
    throw new Error(`no run of ${workflowId} received ${signalName}`);
  }

  it('from the revoked grant leaves the reconnected integration Connected without an email; one from the current grant still flips it', async () => {
    const { qbo, routeId } = await h.connectedShopAndLedger();
    h.smtp.clear();

    // The grant is revoked; an order meets it and parks, but its report is held back.
    reports.closed = true;
    h.qbo.control.revokeGrant(h.realmId);
    const late = h.shopify.control.createOrder({ shop: h.shop, name: '#8101', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const lateSync = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: late.id });
    const lateHandle = h.client.workflow.getHandle(lateSync.workflowId);
    await eventually(async () => ((await lateHandle.query(orderSyncStatusQuery)).state === 'waiting_for_reconnect' ? true : undefined), 'the order to wait for a reconnect');
    await eventually(async () => reports.taken.length === 1, 'its report to be taken');
    const [stale] = reports.taken;

    // A check finds the revoked grant (one incident email); the operator reconnects (all-clear).
    const revoked = (await h.api('POST', `/integrations/${qbo.id}/check`)).json() as HealthCheckOutcome;
    expect(revoked.status).toBe('reconnect_required');
    await h.smtp.waitForMessages(1);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'Connected after the reconnect');
    await h.smtp.waitForMessages(2);
    h.smtp.clear();

    // Only now does the parked order's report of the old grant arrive.
    const reconnected = await h.row(qbo.id);
    expect(stale!.grantGeneration).toBeTypeOf('number');
    expect(stale!.grantGeneration).toBeLessThan(reconnected.grantGeneration);
    // The reconnect resumed the parked order; it books under the new grant before its report comes in.
    expect(((await lateHandle.result()) as OrderSyncResult).outcome).toBe('created');
    const checkBefore = (await h.health(qbo.id)).lastCheck?.checkedAt;
    // QuickBooks has a hiccup just then: a check made for the late report would meet it and show Error, with an email.
    h.qbo.control.injectFaults({ failNext: 1, failStatus: 503 });
    reports.closed = false;
    await createConnectionProblemSink(h.runtime).connectionFailed(stale!);

    // Ignored, and the workflow says so: no check for it, still Connected, no email.
    const ignored = await eventually(async () => {
      const view = await h.health(qbo.id);
      return view.ignoredReports.count === 1 ? view : undefined;
    }, 'the late report to be ignored');
    expect(ignored.ignoredReports.last).toMatchObject({ orderId: late.id, orderName: '#8101', grantGeneration: stale!.grantGeneration, currentGeneration: reconnected.grantGeneration });
    expect(ignored.grantGeneration).toBe(reconnected.grantGeneration);
    expect(ignored.status).toBe('connected');
    expect(ignored.incident).toBeNull();
    expect(ignored.lastCheck?.checkedAt).toBe(checkBefore);
    expect((await h.row(qbo.id)).status).toBe('connected');
    expect((await h.api('GET', `/integrations/${qbo.id}`)).json().status).toBe('connected');
    expect(h.smtp.messages).toHaveLength(0);
    // Nobody called QuickBooks for it: the hiccup is still waiting for a call.
    expect(h.qbo.control.faults.failNext).toBe(1);
    h.qbo.control.clearFaults();
    const lateReportRun = await runWithSignal(qbo.id, 'connectionProblem');

    // The new grant is revoked too: an order's report of the current grant still turns it Reconnect required, with the email.
    h.qbo.control.revokeGrant(h.realmId);
    const current = h.shopify.control.createOrder({ shop: h.shop, name: '#8102', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: current.id });
    await eventually(async () => (await h.row(qbo.id)).status === 'reconnect_required', 'Reconnect required after the current grant failed');
    const detail = (await h.api('GET', `/integrations/${qbo.id}`)).json();
    expect(detail.transitions[0]).toMatchObject({ from: 'connected', to: 'reconnect_required', cause: 'order #8102 failed to sync (CredentialsInvalid)' });
    const [incident] = await h.smtp.waitForMessages(1);
    expect(incident!.parsed.text).toContain('Order #8102');
    expect(incident!.parsed.text).toContain(`${h.baseUrl}/integrations/${qbo.id}/connect`);
    expect((await h.health(qbo.id)).ignoredReports.count).toBe(1);

    // The run that ignored the late report replays on today's code (its patch marker included).
    const replays = Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter }, [
      { workflowId: h.healthHandle(qbo.id).workflowId, history: lateReportRun },
    ]);
    for await (const result of replays) expect(result.error, `replay of ${result.runId}`).toBeUndefined();
  });
});
