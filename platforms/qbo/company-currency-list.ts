import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { qboQueryString } from './query-literal.js';

/**
 * Makes `currency` usable in a multicurrency company before a customer is created in it: QuickBooks keeps a list of
 * the company's currencies (CompanyCurrency) and refuses inactive ones on transactions (Finance.xsd [C]); whether it
 * adds a currency never listed on first use is unconfirmed, so one missing is added (Code is all a create takes).
 * Called only when a customer in a foreign currency is created: a sale to an existing one is in a listed currency.
 */
export async function ensureCompanyCurrency(client: QboClient, currency: string, idempotencyKey: string): Promise<void> {
  const result = await client.query(`select * from CompanyCurrency where Code = ${qboQueryString(currency)}`);
  const listed = ((result.CompanyCurrency ?? []) as QboEntity[])[0];
  if (listed && listed.Active !== false) return;
  if (listed) {
    throw new LedgerRejectedError(
      'currency',
      `${currency} is inactive in QuickBooks' currency list, so no customer or sale can be in it: make ${currency} active in QuickBooks (Settings → Currencies), then retry the order.`,
      `CompanyCurrency ${String(listed.Id)} ${currency} Active false`,
    );
  }
  try {
    await client.create('companycurrency', 'CompanyCurrency', { Code: currency }, { idempotencyKey: `${idempotencyKey}:currency`, subject: `currency ${currency}` });
  } catch (error) {
    // Added meanwhile by another order's customer: listed now, which is all this wanted.
    if (!(error instanceof LedgerRejectedError && error.code === '6240')) throw error;
  }
}
