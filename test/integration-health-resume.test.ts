import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncs } from '../db/schema.js';
import { parkedOrderResumeProgressQuery } from '../workflows/parked-order-resume.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

describe('integration health: resuming a large backlog', () => {
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
});
