import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { orderSyncs, syncRoutes } from '../db/schema.js';
import { orderSyncWorkflow } from '../workflows/order-sync.js';
import { IntegrationIdsKey, OrderIdKey, RouteIdKey, SyncStateKey } from '../workflows/search-attributes.js';

/** Business identity: one workflow per route and order, so a duplicate trigger can never start a second sync. */
export function orderSyncWorkflowId(routeId: string, orderId: string): string {
  return `order-sync/${routeId}/${orderId}`;
}

export interface StartedOrderSync {
  workflowId: string;
  /** The run that handles the order: a new one, or the one already running. */
  runId: string;
}

/**
 * Starts (or joins) the order's sync. A running sync is reused; a finished one may run again, and that
 * run finds the ledger document and writes nothing (replays, re-runs by hand).
 */
export async function startOrderSync(
  client: Client,
  db: Database,
  taskQueue: string,
  input: { routeId: string; orderId: string; orderName?: string | null },
): Promise<StartedOrderSync> {
  const [route] = await db.select().from(syncRoutes).where(eq(syncRoutes.id, input.routeId));
  if (!route) throw new Error(`Unknown sync route ${input.routeId}`);
  const workflowId = orderSyncWorkflowId(input.routeId, input.orderId);
  // Pending from the moment we hear of the order: if no worker runs for days, operators still see it waiting.
  await db
    .insert(orderSyncs)
    .values({ routeId: input.routeId, orderId: input.orderId, orderName: input.orderName ?? null, workflowId, status: 'pending' })
    .onConflictDoNothing();
  const handle = await client.workflow.start(orderSyncWorkflow, {
    workflowId,
    taskQueue,
    args: [{ routeId: input.routeId, orderId: input.orderId, orderName: input.orderName ?? null }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: RouteIdKey, value: input.routeId },
      { key: IntegrationIdsKey, value: [route.sourceIntegrationId, route.targetIntegrationId] },
      { key: OrderIdKey, value: input.orderId },
      { key: SyncStateKey, value: 'syncing' },
    ],
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}
