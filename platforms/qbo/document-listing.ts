import type { LedgerDateRange, LedgerSaleListing } from '../../domain/accounting-target.js';
import { normalizeAmount } from '../../domain/money.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { qboQueryString } from './query-literal.js';
import { queryAll } from './query-pages.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every document of `entity` (SalesReceipt, Deposit) dated within the range, both days included: `TxnDate >= 'from'
 * AND TxnDate <= 'to'`, read 1,000 at a time with STARTPOSITION (QBO's largest page), so a busy month is never cut
 * at the first page.
 */
export async function listDocumentsBetween(client: QboClient, entity: 'SalesReceipt' | 'Deposit', range: LedgerDateRange, kind: string): Promise<LedgerSaleListing[]> {
  if (!DAY.test(range.from) || !DAY.test(range.to)) throw new Error(`not a YYYY-MM-DD range: ${range.from}..${range.to}`);
  const documents = await queryAll(client, entity, `TxnDate >= ${qboQueryString(range.from)} AND TxnDate <= ${qboQueryString(range.to)}`);
  return documents.map((document) => listingOf(document, kind));
}

function listingOf(receipt: QboEntity, kind: string): LedgerSaleListing {
  const currency = receipt.CurrencyRef && typeof receipt.CurrencyRef === 'object' ? (receipt.CurrencyRef as { value?: unknown }).value : undefined;
  return {
    id: String(receipt.Id),
    docNumber: String(receipt.DocNumber ?? ''),
    date: String(receipt.TxnDate ?? ''),
    // QuickBooks writes amounts as JSON numbers in the document's currency; without one, six decimals keep them exact.
    total: normalizeAmount(Number(receipt.TotalAmt ?? 0), typeof currency === 'string' ? currency : 'XXX6'),
    currency: typeof currency === 'string' ? currency : null,
    kind,
    marker: typeof receipt.PrivateNote === 'string' ? receipt.PrivateNote : null,
  };
}
