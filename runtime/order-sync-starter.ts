import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { integrations, orderSyncs, syncRoutes } from '../db/schema.js';
import { orderSyncWorkflow, type OrderSyncInput } from '../workflows/order-sync.js';
import { syncStartOptions } from './sync-start-options.js';

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
  input: { routeId: string; orderId: string; orderName?: string | null; timing?: OrderSyncInput['timing'] },
): Promise<StartedOrderSync> {
  // The ledger's name comes along for the run's summary in Temporal UI: one query per start, as before.
  const [found] = await db
    .select({ route: syncRoutes, ledgerName: integrations.displayName })
    .from(syncRoutes)
    .leftJoin(integrations, eq(integrations.id, syncRoutes.targetIntegrationId))
    .where(eq(syncRoutes.id, input.routeId));
  if (!found) throw new Error(`Unknown sync route ${input.routeId}`);
  const { route } = found;
  const workflowId = orderSyncWorkflowId(input.routeId, input.orderId);
  // Pending from the moment we hear of the order: if no worker runs for days, operators still see it waiting.
  await db
    .insert(orderSyncs)
    .values({ routeId: input.routeId, orderId: input.orderId, orderName: input.orderName ?? null, workflowId, status: 'pending' })
    .onConflictDoNothing();
  const handle = await client.workflow.start(orderSyncWorkflow, {
    workflowId,
    taskQueue,
    args: [{ routeId: input.routeId, orderId: input.orderId, orderName: input.orderName ?? null, ...(input.timing ? { timing: input.timing } : {}) }],
    ...syncStartOptions(route, input.orderId),
    // Temporal UI's workflow list shows this as the run's summary.
    staticSummary: orderSyncSummary(input.orderName ?? null, input.orderId, found.ledgerName ?? route.targetIntegrationId),
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}

/** "Order #1001 → QuickBooks Online #1": what a workflow list row is about, in the sync log's words. */
export function orderSyncSummary(orderName: string | null, orderId: string, ledgerName: string): string {
  return `Order ${orderName ?? orderId} → ${ledgerName}`;
}
