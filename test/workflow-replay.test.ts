import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { loadFixtures } from './support/history-fixtures.js';
import { testDataConverter } from './support/test-data-converter.js';

/**
 * Histories recorded from earlier versions of the workflows (test/histories/*.json) must replay on
 * today's code: a change that would break running workflows needs `patched()`.
 */
describe('recorded workflow histories', () => {
  it('replay without non-determinism on the current workflow code', async () => {
    const fixtures = await loadFixtures();
    const types = new Set(fixtures.map((f) => f.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
    expect(types).toEqual(new Set(['orderSyncWorkflow', 'integrationHealthWorkflow', 'orderPollWorkflow', 'refundSyncWorkflow', 'refundDiscoveryWorkflow', 'fullResyncWorkflow', 'payoutSyncWorkflow', 'customerSyncWorkflow']));
    // Recorded from runs into each ledger, not only QuickBooks Online (the workflows are the same for all).
    const names = fixtures.map((f) => f.name);
    expect(names.filter((name) => name.startsWith('order-sync-xero-')).length).toBeGreaterThanOrEqual(3);
    expect(names.filter((name) => name.startsWith('order-sync-qbd-')).length).toBeGreaterThanOrEqual(3);
    const results = Worker.runReplayHistories(
      // With the payload codec workers run with: fixtures recorded before encryption hold plain payloads, which pass through.
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter },
      fixtures.map((f) => ({ workflowId: f.name, history: f.history })),
    );
    const errors: string[] = [];
    let count = 0;
    for await (const result of results) {
      count++;
      if (result.error) errors.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(errors).toEqual([]);
    expect(count).toBe(fixtures.length);
  });
});
