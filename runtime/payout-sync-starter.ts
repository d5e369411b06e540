import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { payoutSyncs, syncRoutes } from '../db/schema.js';
import { payoutSyncWorkflow, type PayoutSyncTiming } from '../workflows/payout-sync.js';
import { syncStartOptions } from './sync-start-options.js';

/** Business identity: one workflow per route and payout. */
export function payoutSyncWorkflowId(routeId: string, payoutId: string): string {
  return `payout-sync/${routeId}/${payoutId}`;
}

/**
 * Starts (or joins) the booking of one payout. A running one is reused; a finished one may run again, and that run
 * finds the payout's deposit and writes nothing.
 */
export async function startPayoutSync(
  client: Client,
  db: Database,
  taskQueue: string,
  input: { routeId: string; payoutId: string; timing?: Partial<PayoutSyncTiming> },
): Promise<{ workflowId: string; runId: string }> {
  const [route] = await db.select().from(syncRoutes).where(eq(syncRoutes.id, input.routeId));
  if (!route) throw new Error(`Unknown sync route ${input.routeId}`);
  const workflowId = payoutSyncWorkflowId(input.routeId, input.payoutId);
  await db.insert(payoutSyncs).values({ routeId: input.routeId, payoutId: input.payoutId, workflowId, status: 'pending' }).onConflictDoNothing();
  const handle = await client.workflow.start(payoutSyncWorkflow, {
    workflowId,
    taskQueue,
    args: [{ routeId: input.routeId, payoutId: input.payoutId, ...(input.timing ? { timing: input.timing } : {}) }],
    // Filterable in the Temporal UI like orders: OrderId "payout:<id>".
    ...syncStartOptions(route, `payout:${input.payoutId}`),
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}
