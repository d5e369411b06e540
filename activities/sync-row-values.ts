import type { ParkReason } from '../domain/sync-error-types.js';

/** What an order's or a refund's row says of its sync's state, as both record it. */
export function syncRowValues(
  record: {
    status: string;
    orderName?: string | null;
    waitingFor?: ParkReason | null;
    waitingOn?: string | null;
    error?: { code: string; message: string } | null;
    document?: { id: string; docNumber: string } | null;
  },
  now: Date,
) {
  return {
    status: record.status,
    waitingFor: record.waitingFor ?? null,
    waitingOn: record.waitingOn ?? null,
    lastErrorCode: record.error?.code ?? null,
    lastErrorMessage: record.error?.message ?? null,
    updatedAt: now,
    ...(record.orderName ? { orderName: record.orderName } : {}),
    ...(record.document ? { ledgerDocumentId: record.document.id, ledgerDocNumber: record.document.docNumber, syncedAt: now } : {}),
  };
}
