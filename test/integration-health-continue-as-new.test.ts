import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { integrationHealthWorkflowId } from '../runtime/integration-health-starter.js';
import { checkHealthUpdate } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';
import { historyFromFixture, historyToFixture } from './support/history-fixtures.js';
import { testDataConverter } from './support/test-data-converter.js';

const FIXTURE = fileURLToPath(new URL('./histories/integration-health-continue-as-new.json', import.meta.url));
const FIXTURE_WORKFLOW_ID = 'integration-health/qbo-fixture';

describe('integration health: continue-as-new and replay', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    // Checks every second: the test server suggests continue-as-new at 120 events, reached within seconds. (Every
    // 200 ms, as the server now fires timers on time, the checks kept the machine busy and the test took longer.)
    h = await HealthHarness.start({ checkIntervalMs: 1_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('continues as new before its history grows large, carrying its state, and replays deterministically', async () => {
    const qbo = await h.createIntegration('qbo');
    const workflowId = integrationHealthWorkflowId(qbo.id);
    const firstRunId = (await h.healthHandle(qbo.id).describe()).runId;
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.health(qbo.id)).status === 'connected', 'connected');
    // Messages of every kind in the first run, so the replay covers their handlers.
    const outcome = await h.healthHandle(qbo.id).executeUpdate(checkHealthUpdate);
    expect(outcome.results).toHaveLength(4);
    await h.api('POST', `/integrations/${qbo.id}/pause`);
    await eventually(async () => (await h.health(qbo.id)).status === 'disconnected', 'paused');
    await h.api('POST', `/integrations/${qbo.id}/resume`);

    const secondRunId = await eventually(async () => {
      const runId = (await h.healthHandle(qbo.id).describe()).runId;
      return runId !== firstRunId && runId;
    }, 'a new run');
    const firstRun = await h.client.workflow.getHandle(workflowId, firstRunId).fetchHistory();
    const events = firstRun.events ?? [];
    expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(secondRunId);
    expect(events.length).toBeLessThan(200);

    // The new run knows what the old one knew and still answers.
    await eventually(async () => (await h.health(qbo.id)).status === 'connected', 'connected after continue-as-new');
    const again = await h.healthHandle(qbo.id).executeUpdate(checkHealthUpdate);
    expect(again.status).toBe('connected');
    expect((await h.row(qbo.id)).status).toBe('connected');

    if (!existsSync(FIXTURE)) await writeFile(FIXTURE, historyToFixture(firstRun));
    const fixture = historyFromFixture(await readFile(FIXTURE, 'utf8'));
    const secondRun = await h.client.workflow.getHandle(workflowId, secondRunId).fetchHistory();
    const replays = Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter }, [
      { workflowId, history: firstRun },
      { workflowId, history: secondRun },
      { workflowId: FIXTURE_WORKFLOW_ID, history: fixture },
    ]);
    let replayed = 0;
    for await (const result of replays) {
      expect(result.error, `replay of ${result.workflowId} ${result.runId}`).toBeUndefined();
      replayed++;
    }
    expect(replayed).toBe(3);
  });
});
