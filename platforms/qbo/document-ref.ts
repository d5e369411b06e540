import type { LedgerDocumentRef } from '../../domain/accounting-target.js';
import { fromCents, toCents } from '../../domain/money.js';
import type { QboEntity } from './qbo-client.js';

/** A sales form QBO answered (sales receipt, refund receipt) as the engine's reference; our marker opens its private note. */
export function qboDocumentRef(document: QboEntity, kind: string): LedgerDocumentRef {
  return {
    id: String(document.Id),
    docNumber: String(document.DocNumber ?? ''),
    total: fromCents(toCents(Number(document.TotalAmt ?? 0))),
    kind,
    marker: typeof document.PrivateNote === 'string' ? document.PrivateNote : null,
  };
}
