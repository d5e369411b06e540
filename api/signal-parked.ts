import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';

/** Sends `signal` to each parked sync (few: refunds, payouts); one that ended meanwhile is passed over. Answers how many heard it. */
export async function signalParkedSyncs(temporal: Client, workflowIds: string[], signal: SignalDefinition<[]>): Promise<number> {
  let told = 0;
  for (const workflowId of workflowIds) {
    try {
      await temporal.workflow.getHandle(workflowId).signal(signal);
      told++;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return told;
}
