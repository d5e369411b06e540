import { proxyActivities } from '@temporalio/workflow';
import type { OrderSyncActivities } from '../activities/order-sync-activities.js';
import { DatabaseRejectedType } from '../activities/database-failures.js';
import type { OrderSyncTiming } from './order-sync-timing.js';

/** Our own database: the order's row and reports to the health workflow. Never a platform call. */
export type BookkeepingActivities = Pick<OrderSyncActivities, 'recordOrderSyncState' | 'reportConnectionProblem'>;
/** Calls to the shop and the ledger. */
export type PlatformActivities = Pick<
  OrderSyncActivities,
  'fetchOrder' | 'findLedgerDocument' | 'mapOrderLines' | 'ensureLedgerCustomer' | 'createLedgerSalesReceipt'
>;

/**
 * Bounded: about five minutes of retries, then the workflow waits the outage out on a timer (cheap in
 * history). A permanent database error (constraint, missing route) is not retried at all.
 */
export function bookkeepingActivities(): BookkeepingActivities {
  return proxyActivities<BookkeepingActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 12, nonRetryableErrorTypes: [DatabaseRejectedType] },
  });
}

/**
 * Platform calls wait out throttling within the activity (heartbeating), so only real failures spend the
 * 8 attempts. Start-to-close covers the whole activity, throttle waits included; the heartbeat timeout
 * lets a killed worker's activity be retried within seconds.
 */
export function platformActivities(timing: Pick<OrderSyncTiming, 'platformRetryInitialMs'>): PlatformActivities {
  return proxyActivities<PlatformActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: timing.platformRetryInitialMs, backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
  });
}
