import type { Client } from '@temporalio/client';
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { orderSyncs, syncRoutes } from '../db/schema.js';
import { mappingSavedSignal, reconnectedSignal, retrySignal } from '../workflows/order-sync.js';

export type ResumeSignal = 'reconnected' | 'retry' | 'mappingSaved';

export interface ResumeSelection {
  routeId?: string;
  /** Orders of every route that reads from or writes to this integration. */
  integrationId?: string;
  /** Only orders waiting on this ("sku:ABC-1", "tax:VAT@20", an integration id). */
  waitingOn?: string;
  /** Only orders waiting for this kind of help. */
  waitingFor?: 'reconnect' | 'fix' | 'retry';
}

export interface ResumeReport {
  resumed: number;
  /** Orders whose workflow had ended or could not be signalled, with the reason. */
  failed: { orderId: string; workflowId: string; reason: string }[];
}

/**
 * Signals parked orders to go on, at most `perSecond` a second, so that a backlog after a long outage
 * does not turn into a 429 storm at the platforms.
 */
export async function resumeParkedOrders(
  client: Client,
  db: Database,
  selection: ResumeSelection,
  signal: ResumeSignal,
  perSecond: number,
): Promise<ResumeReport> {
  const conditions: SQL[] = [inArray(orderSyncs.status, ['waiting', 'failed'])];
  if (selection.routeId) conditions.push(eq(orderSyncs.routeId, selection.routeId));
  if (selection.waitingOn) conditions.push(eq(orderSyncs.waitingOn, selection.waitingOn));
  if (selection.waitingFor) conditions.push(eq(orderSyncs.waitingFor, selection.waitingFor));
  if (selection.integrationId) {
    const routes = await db
      .select({ id: syncRoutes.id })
      .from(syncRoutes)
      .where(or(eq(syncRoutes.sourceIntegrationId, selection.integrationId), eq(syncRoutes.targetIntegrationId, selection.integrationId)));
    if (routes.length === 0) return { resumed: 0, failed: [] };
    conditions.push(inArray(orderSyncs.routeId, routes.map((r) => r.id)));
  }
  const parked = await db.select({ orderId: orderSyncs.orderId, workflowId: orderSyncs.workflowId }).from(orderSyncs).where(and(...conditions));

  const report: ResumeReport = { resumed: 0, failed: [] };
  const gapMs = 1000 / Math.max(perSecond, 0.001);
  const startedAt = Date.now();
  for (const [index, order] of parked.entries()) {
    const due = startedAt + index * gapMs;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    try {
      const handle = client.workflow.getHandle(order.workflowId);
      if (signal === 'mappingSaved') await handle.signal(mappingSavedSignal, { waitingOn: selection.waitingOn ?? '' });
      else await handle.signal(signal === 'reconnected' ? reconnectedSignal : retrySignal);
      report.resumed++;
    } catch (error) {
      report.failed.push({ orderId: order.orderId, workflowId: order.workflowId, reason: (error as Error).message });
    }
  }
  return report;
}
