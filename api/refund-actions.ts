import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { refundSyncs } from '../db/schema.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';
import { conflict, notFound } from './api-error.js';

/** Statuses of a refund whose workflow is parked (or waits for its sale) and listens for the retry signal. */
export const PARKED_REFUND_STATUSES: readonly string[] = ['waiting', 'failed', 'waiting_for_sale'];

/**
 * Resumes one parked refund now: its workflow repeats the step it stopped at. 404 when the refund or its workflow
 * is gone, 409 when it is not waiting. Shared by the API's POST …/refunds/:refundId/retry and the console's Retry.
 */
export async function retryParkedRefund(temporal: Client, db: Database, routeId: string, orderId: string, refundId: string) {
  const [row] = await db.select().from(refundSyncs).where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId), eq(refundSyncs.refundId, refundId)));
  if (!row) throw notFound(`Refund ${refundId} of order ${orderId} is not known on route "${routeId}".`);
  if (!PARKED_REFUND_STATUSES.includes(row.status)) throw conflict(`Refund ${refundId} of order ${row.orderName ?? orderId} is not waiting (it is ${row.status}).`);
  try {
    await temporal.workflow.getHandle(row.workflowId).signal(refundRetrySignal);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`The booking of refund ${refundId} is no longer running.`);
    throw error;
  }
  return { workflowId: row.workflowId, signal: refundRetrySignal.name };
}
