import { activityLog } from '../activities/activity-log.js';
import type { OrderSyncActivities, OrderSyncRecord } from '../activities/order-sync-activities.js';
import { orderOutcomes } from '../observability/metrics.js';

/**
 * Every state an order's row takes passes through recordOrderSyncState: count the outcomes there
 * (synced, parked by reason, failed by error code) and log each change with its order and workflow.
 */
export function observeOrderOutcomes(activities: OrderSyncActivities): OrderSyncActivities {
  const record = activities.recordOrderSyncState;
  return {
    ...activities,
    async recordOrderSyncState(state: OrderSyncRecord) {
      const result = await record(state);
      const outcome = outcomeOf(state);
      if (outcome) orderOutcomes.inc(outcome);
      activityLog(state.status === 'failed' ? 'warn' : 'info', `Order ${state.orderName ?? state.orderId} is ${state.status}`, {
        routeId: state.routeId,
        orderId: state.orderId,
        orderWorkflowId: state.workflowId,
        status: state.status,
        ...(state.waitingFor ? { waitingFor: state.waitingFor, waitingOn: state.waitingOn } : {}),
        ...(state.error ? { errorCode: state.error.code } : {}),
        ...(state.document ? { ledgerDocNumber: state.document.docNumber } : {}),
      });
      return result;
    },
  };
}

function outcomeOf(state: OrderSyncRecord): { outcome: string; reason: string } | null {
  switch (state.status) {
    case 'synced':
      return { outcome: 'synced', reason: '' };
    case 'waiting':
      return { outcome: 'parked', reason: state.waitingFor ?? 'unknown' };
    case 'halted':
      return { outcome: 'parked', reason: 'halted' };
    case 'failed':
      return { outcome: 'failed', reason: state.error?.code ?? 'unknown' };
    default:
      return null;
  }
}
