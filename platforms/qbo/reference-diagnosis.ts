import type { LedgerSale } from '../../domain/accounting-target.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient } from './qbo-client.js';
import { ledgerRejection } from './qbo-error-translation.js';
import { queryAll } from './query-pages.js';
import { qboQueryString } from './query-literal.js';
import { SHIPPING_ITEM_ID } from './sales-receipt-payload.js';

/** US pseudo tax codes that are not TaxCode rows. */
const PSEUDO_TAX_CODES = new Set(['TAX', 'NON']);

async function findProblem(client: QboClient, entity: string, label: string, nameField: string, ids: string[]): Promise<string | null> {
  if (ids.length === 0) return null;
  const rows = await queryAll(client, entity, `Id IN (${ids.map(qboQueryString).join(', ')}) AND Active IN (true, false)`);
  for (const id of ids) {
    const row = rows.find((candidate) => String(candidate.Id) === id);
    if (!row) return `the ${label} with id ${id} does not exist`;
    if (row.Active === false) return `the ${label} '${String(row[nameField] ?? id)}' is inactive`;
  }
  return null;
}

/** The accounts a document names (a deposit's bank and line accounts, a refund receipt's refund-from account). */
export function diagnoseAccountReferences(client: QboClient, accountIds: string[]): Promise<string | null> {
  return findProblem(client, 'Account', 'account', 'Name', [...new Set(accountIds)]);
}

/**
 * QBO's 610/2500 faults do not say which reference is bad; look the receipt's references up so a
 * bookkeeper reads "the item 'Widget' is inactive". A sales receipt and a refund receipt name the same
 * lists (a refund receipt also its refund-from account: `accountIds`). Null when nothing looks wrong.
 */
export async function diagnoseReceiptReferences(client: QboClient, receipt: LedgerSale, accountIds: string[] = []): Promise<string | null> {
  const itemIds = [...new Set(receipt.lines.map((line) => line.itemId).filter((id) => id !== SHIPPING_ITEM_ID))];
  const taxCodeIds = [
    ...new Set(
      [...receipt.lines.map((line) => line.taxCodeId), receipt.shipping?.taxCodeId ?? null, receipt.saleTaxCodeId ?? null].filter(
        (id): id is string => id !== null && !PSEUDO_TAX_CODES.has(id),
      ),
    ),
  ];
  return (
    (await findProblem(client, 'Item', 'item', 'Name', itemIds)) ??
    (await findProblem(client, 'TaxCode', 'tax code', 'Name', taxCodeIds)) ??
    (await findProblem(client, 'Customer', 'customer', 'DisplayName', [receipt.customerId])) ??
    (await diagnoseAccountReferences(client, accountIds))
  );
}

/**
 * A 610 (inactive or deleted) or 2500 (does not exist) refusal of `subject`, restated with the reference `diagnose`
 * finds ("QuickBooks Online rejected refund receipt 1001-R1: the item 'Mug' is inactive (code 610)"); the refusal as
 * it was when the lookup finds nothing or fails itself, and any other error unchanged.
 */
export async function namingTheReference(error: unknown, subject: string, diagnose: () => Promise<string | null>): Promise<unknown> {
  if (!(error instanceof LedgerRejectedError) || (error.code !== '610' && error.code !== '2500')) return error;
  const reason = await diagnose().catch(() => null);
  return reason ? ledgerRejection(error.code, subject, reason, error.detail) : error;
}
