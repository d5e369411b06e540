import { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { inject } from 'vitest';
import { recordFixtureIfAsked } from './history-fixtures.js';
import { testDataConverter } from './test-data-converter.js';

/**
 * Replays the finished histories of these workflows against today's workflow bundle and returns the
 * errors found (none means deterministic). Saves them as fixtures when RECORD_HISTORIES is set.
 */
export async function replayErrors(client: Client, runs: { workflowId: string; fixtureName: string; runId?: string }[]): Promise<string[]> {
  const histories = [];
  for (const run of runs) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    await recordFixtureIfAsked(run.fixtureName, history);
    histories.push({ workflowId: run.workflowId, history });
  }
  const errors: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter }, histories)) {
    replayed++;
    if (result.error) errors.push(`${result.workflowId}: ${result.error.message}`);
  }
  if (replayed !== runs.length) errors.push(`replayed ${replayed} of ${runs.length} histories`);
  return errors;
}
