import type { Client } from '@temporalio/client';
import { and, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { orderSyncs } from '../db/schema.js';

/** Error code on an order row whose sync workflow ended without booking it (terminated, failed, timed out). */
export const WorkflowEndedCode = 'WorkflowEnded';

const ENDED = ['Terminated', 'Failed', 'TimedOut', 'Canceled'] as const;
const WORDS: Record<string, string> = { TERMINATED: 'was terminated', FAILED: 'failed', TIMED_OUT: 'timed out', CANCELLED: 'was cancelled' };

/**
 * Finds order syncs of this integration whose workflow ended without booking the order (someone terminated
 * it, it failed, it timed out) and marks their rows Failed with the reason, so none says Syncing or Waiting
 * forever. Answers how many rows it marked.
 */
export async function markEndedOrderSyncs(client: Client, db: Database, input: { integrationId: string }): Promise<number> {
  const statuses = ENDED.map((s) => `ExecutionStatus = '${s}'`).join(' OR ');
  const query = `WorkflowType = 'orderSyncWorkflow' AND IntegrationIds = '${input.integrationId.replace(/'/g, "''")}' AND (${statuses})`;
  const seen = new Set<string>();
  let marked = 0;
  for await (const ended of client.workflow.list({ query, pageSize: 200 })) {
    if (seen.has(ended.workflowId)) continue;
    seen.add(ended.workflowId);
    // A later run (re-started by hand, or continued) may be the one that counts.
    const latest = await client.workflow.getHandle(ended.workflowId).describe();
    const word = WORDS[latest.status.name];
    if (!word) continue;
    const updated = await db
      .update(orderSyncs)
      .set({
        status: 'failed',
        lastErrorCode: WorkflowEndedCode,
        lastErrorMessage: `The sync of this order ${word} before the order was booked; nothing more will happen on its own. Start its sync again.`,
        waitingFor: null,
        waitingOn: null,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(orderSyncs.workflowId, ended.workflowId),
          inArray(orderSyncs.status, ['pending', 'syncing', 'waiting', 'failed', 'halted']),
          or(isNull(orderSyncs.lastErrorCode), ne(orderSyncs.lastErrorCode, WorkflowEndedCode)),
        ),
      )
      .returning({ orderId: orderSyncs.orderId });
    marked += updated.length;
  }
  return marked;
}
