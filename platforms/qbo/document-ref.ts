import type { LedgerDocumentRef } from '../../domain/accounting-target.js';
import { normalizeAmount } from '../../domain/money.js';
import type { QboEntity } from './qbo-client.js';

/** A sales form QBO answered (sales receipt, refund receipt) as the engine's reference; our marker opens its private note. */
export function qboDocumentRef(document: QboEntity, kind: string): LedgerDocumentRef {
  // In the document's own currency (a company without multicurrency may leave CurrencyRef out: two decimals read any).
  const currency = (document.CurrencyRef as { value?: unknown } | undefined)?.value;
  return {
    id: String(document.Id),
    docNumber: String(document.DocNumber ?? ''),
    total: normalizeAmount(Number(document.TotalAmt ?? 0), typeof currency === 'string' && currency !== '' ? currency : 'USD'),
    kind,
    marker: typeof document.PrivateNote === 'string' ? document.PrivateNote : null,
  };
}
