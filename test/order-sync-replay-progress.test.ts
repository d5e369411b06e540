import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

describe('order sync: a bulk replay runs as its own workflow', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('survives an API restart and reports its progress (done / total); every parked order books once', async () => {
    harness.qbo.control.revokeGrant(harness.realmId);
    const orders = Array.from({ length: 4 }, (_, i) =>
      harness.shopify.control.createOrder({ name: `#45${i}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }),
    );
    await Promise.all(orders.map((order) => harness.startSync(order.id)));
    await eventually(async () => (await Promise.all(orders.map((o) => harness.orderRow(o.id)))).every((r) => r?.status === 'waiting'), 'all four orders to wait');
    harness.qbo.control.authorizeAs(harness.realmId);
    await harness.connect(harness.qboIntegrationId, { realmId: harness.realmId });

    const replay = await harness.operator('POST', `/routes/${harness.routeId}/replay`, { waitingFor: 'reconnect' });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ queued: 4, resumeId: expect.any(String) });
    // The process that answered goes away at once; the replay does not depend on it.
    await harness.restartApi();

    const progress = await eventually(async () => {
      const answer = await harness.operator('GET', `/replays/${replay.body.resumeId}`);
      return answer.status === 200 && answer.body.finished ? answer.body : undefined;
    }, 'the replay to finish');
    expect(progress).toEqual({ total: 4, done: 4, failed: 0, finished: true });
    const results = await Promise.all(orders.map((order) => harness.handle(orderSyncWorkflowId(harness.routeId, order.id)).result()));
    expect(results.map((r) => r.outcome)).toEqual(Array(4).fill('created'));
    expect((await harness.operator('GET', '/replays/route-unknown')).status).toBe(404);
  });
});
