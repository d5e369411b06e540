import type { refundSyncs } from '../db/schema.js';

/** A refund_syncs row as the API (and the console's order page) shows it. */
export function refundSyncRowView(row: typeof refundSyncs.$inferSelect) {
  return {
    routeId: row.routeId,
    orderId: row.orderId,
    refundId: row.refundId,
    orderName: row.orderName,
    workflowId: row.workflowId,
    status: row.status,
    waitingOn: row.waitingOn,
    lastError: row.lastErrorCode ? { code: row.lastErrorCode, message: row.lastErrorMessage ?? '' } : null,
    refundTotal: row.refundTotal,
    refundCurrency: row.refundCurrency,
    ledgerDocNumber: row.ledgerDocNumber,
    ledgerDocumentId: row.ledgerDocumentId,
    attempts: row.attempts,
    updatedAt: row.updatedAt.toISOString(),
    syncedAt: row.syncedAt?.toISOString() ?? null,
  };
}

export type RefundSyncView = ReturnType<typeof refundSyncRowView>;
