import type { orderSyncs } from '../db/schema.js';

/** An order_syncs row as the API shows it. */
export function orderSyncRowView(row: typeof orderSyncs.$inferSelect) {
  return {
    routeId: row.routeId,
    orderId: row.orderId,
    orderName: row.orderName,
    workflowId: row.workflowId,
    status: row.status,
    waitingFor: row.waitingFor,
    waitingOn: row.waitingOn,
    lastError: row.lastErrorCode ? { code: row.lastErrorCode, message: row.lastErrorMessage ?? '' } : null,
    customerNotice: row.customerNotice ?? null,
    ledgerDocument: row.ledgerDocumentId || row.ledgerDocNumber ? { id: row.ledgerDocumentId, docNumber: row.ledgerDocNumber } : null,
    attempts: row.attempts,
    firstSeenAt: row.firstSeenAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    syncedAt: row.syncedAt?.toISOString() ?? null,
    changedAfterBooking: row.changedAfterBooking ?? null,
  };
}
