import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { orderSyncs } from '../db/schema.js';
import { reconnectedSignal, retrySignal } from '../workflows/order-sync.js';
import { conflict, notFound } from './api-error.js';

/** Statuses of an order whose workflow is parked and listens for a resume signal. */
const PARKED = new Set(['waiting', 'failed', 'halted']);

export type ParkedOrderSignal = 'reconnected' | 'retry';

export async function findOrderRow(db: Database, routeId: string, orderId: string) {
  return (await db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId))))[0];
}

/**
 * Resumes one parked order: its workflow repeats the step it stopped at. 404 when the order or its sync is
 * gone, 409 when it is not waiting. Shared by the API's POST .../retry, .../reconnected and the console's Retry.
 */
export async function resumeParkedOrder(temporal: Client, db: Database, routeId: string, orderId: string, which: ParkedOrderSignal) {
  const row = await findOrderRow(db, routeId, orderId);
  if (!row) throw notFound(`Order ${orderId} has never been synced on route "${routeId}".`);
  const label = row.orderName ?? orderId;
  if (!PARKED.has(row.status)) throw conflict(`Order ${label} is not waiting (it is ${row.status}); there is nothing to resume.`);
  const signal = which === 'reconnected' ? reconnectedSignal : retrySignal;
  try {
    await temporal.workflow.getHandle(row.workflowId).signal(signal);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw notFound(`The sync of order ${label} is no longer running; start a new one with POST /routes/${routeId}/orders/${orderId}/sync.`);
    }
    throw error;
  }
  return { workflowId: row.workflowId, signal: signal.name };
}

/** Clears a booked order's change once a person adjusted the ledger (409 when nothing is outstanding). */
export async function markChangeHandled(db: Database, routeId: string, orderId: string) {
  const row = await findOrderRow(db, routeId, orderId);
  if (!row) throw notFound(`Order ${orderId} has never been synced on route "${routeId}".`);
  if (!row.changedAfterBooking) throw conflict(`Order ${row.orderName ?? orderId} has no change outstanding since it was booked.`);
  const [updated] = await db
    .update(orderSyncs)
    .set({ changedAfterBooking: null, updatedAt: new Date() })
    .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)))
    .returning();
  return { before: row, after: updated! };
}
