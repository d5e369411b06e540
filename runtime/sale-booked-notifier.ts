import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { activityLog } from '../activities/activity-log.js';
import type { OrderSyncActivities, OrderSyncRecord } from '../activities/order-sync-activities.js';
import type { Database } from '../db/database.js';
import { payoutSyncs, refundSyncs } from '../db/schema.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';

/** A sync waiting for an order to be booked, and the signal that wakes it. */
interface Waiter {
  workflowId: string;
  signal: SignalDefinition;
  what: 'refund' | 'payout';
}

/**
 * Syncs that wait for an order's sale to be booked: refunds that arrived before it (`waiting_for_sale`,
 * workflows/refund-sync.ts) and payouts that pay it out (`waiting_for_orders`, workflows/payout-sync.ts, their row's
 * waitingOn "order:<id> …"). Once the order's row says it is booked (or skipped, which they then report), this wakes
 * them at once instead of leaving them to their next re-check (5 minutes for payouts). Best effort: one not told
 * looks again on its own timer; a payout woken while another of its orders is still not booked waits again.
 */
export function notifyWaitingOnOrder(activities: OrderSyncActivities, deps: { db: Database; client: Client }): OrderSyncActivities {
  const record = activities.recordOrderSyncState;
  return {
    ...activities,
    async recordOrderSyncState(state: OrderSyncRecord) {
      const result = await record(state);
      if (state.status === 'synced' || state.status === 'skipped') {
        const waiters = [...(await waitingRefunds(deps.db, state)), ...(await waitingPayouts(deps.db, state))];
        for (const { workflowId, signal, what } of waiters) {
          await deps.client.workflow
            .getHandle(workflowId)
            .signal(signal)
            .catch((error: unknown) => activityLog('warn', `Could not tell ${what} ${workflowId} that its order is booked; it looks again by itself`, { error: String(error) }));
        }
      }
      return result;
    },
  };
}

async function waitingRefunds(db: Database, state: OrderSyncRecord): Promise<Waiter[]> {
  const rows = await db
    .select({ workflowId: refundSyncs.workflowId })
    .from(refundSyncs)
    .where(and(eq(refundSyncs.routeId, state.routeId), eq(refundSyncs.orderId, state.orderId), eq(refundSyncs.status, 'waiting_for_sale')))
    .catch(() => []);
  return rows.map(({ workflowId }) => ({ workflowId, signal: refundRetrySignal, what: 'refund' }));
}

async function waitingPayouts(db: Database, state: OrderSyncRecord): Promise<Waiter[]> {
  const rows = await db
    .select({ workflowId: payoutSyncs.workflowId, waitingOn: payoutSyncs.waitingOn })
    .from(payoutSyncs)
    .where(and(eq(payoutSyncs.routeId, state.routeId), eq(payoutSyncs.status, 'waiting_for_orders')))
    .catch(() => []);
  return rows
    .filter((row) => (row.waitingOn ?? '').split(' ').includes(`order:${state.orderId}`))
    .map(({ workflowId }) => ({ workflowId, signal: payoutRetrySignal, what: 'payout' }));
}
