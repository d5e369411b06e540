import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { refundSyncs, syncRoutes } from '../db/schema.js';
import { refundSyncWorkflow } from '../workflows/refund-sync.js';
import { syncStartOptions } from './sync-start-options.js';

/** Business identity: one workflow per route, order and refund ("cancellation" for a cancellation's reversal). */
export function refundSyncWorkflowId(routeId: string, orderId: string, refundId: string): string {
  return `refund-sync/${routeId}/${orderId}/${refundId}`;
}

/**
 * Starts (or joins) the booking of one refund. A running one is reused; a finished one may run again, and that run
 * finds the refund's document and writes nothing (a redelivered webhook, a re-run by hand).
 */
export async function startRefundSync(
  client: Client,
  db: Database,
  taskQueue: string,
  input: { routeId: string; orderId: string; refundId: string; orderName?: string | null },
): Promise<{ workflowId: string; runId: string }> {
  const [route] = await db.select().from(syncRoutes).where(eq(syncRoutes.id, input.routeId));
  if (!route) throw new Error(`Unknown sync route ${input.routeId}`);
  const workflowId = refundSyncWorkflowId(input.routeId, input.orderId, input.refundId);
  await db
    .insert(refundSyncs)
    .values({ routeId: input.routeId, orderId: input.orderId, refundId: input.refundId, orderName: input.orderName ?? null, workflowId, status: 'pending' })
    .onConflictDoNothing();
  const handle = await client.workflow.start(refundSyncWorkflow, {
    workflowId,
    taskQueue,
    args: [{ routeId: input.routeId, orderId: input.orderId, refundId: input.refundId, orderName: input.orderName ?? null }],
    ...syncStartOptions(route, input.orderId),
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}
