import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import { markEndedOrderSyncs } from '../runtime/ended-order-syncs.js';
import { checkHealthUpdate } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';
import { HoldGate } from './support/hold-gate.js';
import { testDataConverter } from './support/test-data-converter.js';

/**
 * Holds the health workflow's after-check sweep (the real one runs once let go): the workflow is busy there, not
 * in its loop, while the test acts. Its check verdicts stay the real ones.
 */
class SweepGate extends HoldGate {
  activity = ({ client, db }: { client: Client; db: Database }) => ({
    markEndedOrderSyncs: async (input: { integrationId: string }): Promise<{ marked: number }> => {
      await this.pass();
      return { marked: await markEndedOrderSyncs(client, db, input) };
    },
  });
}

/**
 * A confirmed account switch writes Disconnected to the integration itself and then tells the health workflow to
 * pause. When that pause is handled together with the operator's resume (the workflow was busy, or slow under
 * load), the workflow never recorded Disconnected: the check after the resume must still bring the row back.
 */
describe('an account switch resumed before the health workflow handled its pause', () => {
  let h: HealthHarness;
  const gate = new SweepGate();
  beforeAll(async () => {
    h = await HealthHarness.start({ replaceActivities: gate.activity });
  });
  afterAll(async () => {
    gate.open();
    await h?.close();
  });

  it('turns Connected once the check after the resume passes', async () => {
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'connected');

    // The health workflow is busy (in its sweep after a check: the connect's or this one's) when the switch and
    // the resume come in.
    gate.hold();
    const enteredBefore = gate.entered;
    const checking = h.healthHandle(qbo.id).executeUpdate(checkHealthUpdate);
    await eventually(async () => gate.entered > enteredBefore, 'a sweep after a check to start');

    const { refused, confirmed } = await h.switchToAnotherQboCompany(qbo.id, 'Someone Else Ltd');
    expect(refused.status).toBe(409);
    expect(confirmed.status).toBe(200);
    expect((await h.row(qbo.id)).status).toBe('disconnected');
    expect((await h.api('POST', `/integrations/${qbo.id}/resume`)).statusCode).toBe(202);
    // Both signals are in before the workflow gets back to its loop.
    await eventually(async () => {
      const { events } = await h.healthHandle(qbo.id).fetchHistory();
      const signals = (events ?? []).map((event) => event.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
      return signals.includes('pause') && signals.includes('resume');
    }, 'the pause and the resume to reach the health workflow');

    gate.open();
    expect((await checking).status).toBe('connected');
    const resumed = await eventually(async () => {
      const row = await h.row(qbo.id);
      return row.status === 'connected' ? row : undefined;
    }, 'Connected after the resume', 20_000);
    expect(resumed.statusReason).toBeNull();
    const detail = (await h.api('GET', `/integrations/${qbo.id}`)).json();
    expect(detail.status).toBe('connected');
    expect(detail.transitions[0]).toMatchObject({ from: 'disconnected', to: 'connected' });
    expect((await h.health(qbo.id)).paused).toBe(false);

    // Its history (with the patch marker) replays on today's code; main's run of it is a fixture in test/histories.
    const replays = Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter }, [
      { workflowId: h.healthHandle(qbo.id).workflowId, history: await h.healthHandle(qbo.id).fetchHistory() },
    ]);
    for await (const result of replays) expect(result.error, `replay of ${result.runId}`).toBeUndefined();
  });
});
