import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { activityLog } from '../activities/activity-log.js';
import type { OrderSyncActivities, OrderSyncRecord } from '../activities/order-sync-activities.js';
import type { Database } from '../db/database.js';
import { refundSyncs } from '../db/schema.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';

/**
 * Refunds that arrived before their order's sale was booked wait for it (workflows/refund-sync.ts). Once the order's
 * row says it is booked (or skipped), this tells them at once instead of leaving them to their next re-check. Best
 * effort: a refund not told looks again on its own timer.
 */
export function notifyWaitingRefunds(activities: OrderSyncActivities, deps: { db: Database; client: Client }): OrderSyncActivities {
  const record = activities.recordOrderSyncState;
  return {
    ...activities,
    async recordOrderSyncState(state: OrderSyncRecord) {
      const result = await record(state);
      if (state.status === 'synced' || state.status === 'skipped') {
        const waiting = await deps.db
          .select({ workflowId: refundSyncs.workflowId })
          .from(refundSyncs)
          .where(and(eq(refundSyncs.routeId, state.routeId), eq(refundSyncs.orderId, state.orderId), eq(refundSyncs.status, 'waiting_for_sale')))
          .catch(() => []);
        for (const { workflowId } of waiting) {
          await deps.client.workflow
            .getHandle(workflowId)
            .signal(refundRetrySignal)
            .catch((error: unknown) => activityLog('warn', `Could not tell refund ${workflowId} that its sale is booked; it looks again by itself`, { error: String(error) }));
        }
      }
      return result;
    },
  };
}
