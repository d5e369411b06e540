import type { LedgerDocumentRef, LedgerSale, LedgerTaxCode, LedgerTaxSetup } from '../domain/accounting-target.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { fromMinor, toMinor } from '../domain/money.js';
import { SyncErrorType } from '../domain/sync-error-types.js';
import { DEFAULT_TAX_ROUNDING, type TaxRounding } from '../domain/tax-rounding.js';
import { syncFailure } from './sync-failures.js';

/** What an order parked on a ledger total waits on: a person correcting that document (or its tax code). */
export function ledgerTotalWait(docNumber: string): string {
  return `ledger-total:${docNumber}`;
}

export function totalsAgree(document: LedgerDocumentRef, order: CommerceOrder): boolean {
  return toMinor(document.total, order.currency) === toMinor(order.total, order.currency);
}

/** What a message calls the document: the ledger's own word for it ("sales receipt", "invoice"). */
function documentWord(document: LedgerDocumentRef): string {
  return document.kind ?? 'document';
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The tax codes the sale used, by name and rate, for the bookkeeper to check. */
function codesUsed(sale: Pick<LedgerSale, 'lines' | 'shipping' | 'saleTaxCodeId'>, codes: LedgerTaxCode[]): string {
  const ids = new Set([...sale.lines.map((l) => l.taxCodeId), sale.shipping?.taxCodeId ?? null, sale.saleTaxCodeId ?? null].filter((id): id is string => !!id));
  const named = [...ids].map((id) => {
    const code = codes.find((c) => c.id === id);
    return code ? `"${code.name}" (${code.ratePercent} %)` : `id ${id}`;
  });
  return named.join(', ');
}

/** Lines the shop charged tax on, shipping included: each may round its tax differently from the ledger. */
function taxedLineCount(sale: Pick<LedgerSale, 'lines' | 'shipping'>, currency: string): number {
  const lines = [...sale.lines, ...(sale.shipping ? [sale.shipping] : [])];
  return lines.filter((line) => line.taxable === true || (line.tax !== undefined && toMinor(line.tax, currency) !== 0)).length;
}

/**
 * A difference no larger than one minor unit (a cent, a yen) per taxed line, on a taxed sale, is how per-line rounding (the shop) and
 * per-rate rounding (QuickBooks) part: the bookkeeper sets the receipt's tax to the shop's, nothing to remap.
 */
function roundingCheck(order: CommerceOrder, document: LedgerDocumentRef, sale: Pick<LedgerSale, 'lines' | 'shipping'>, ledgerName: string, rounding: TaxRounding): string | null {
  const currency = order.currency;
  const difference = Math.abs(toMinor(document.total, currency) - toMinor(order.total, currency));
  const taxed = taxedLineCount(sale, currency);
  if (toMinor(order.totalTax, currency) === 0 || taxed === 0 || difference > taxed) return null;
  // A ledger that rounds each line (Xero) parts from the shop's figure only where a line's gross is one no net makes up.
  const how = rounding === 'per-line' ? `${ledgerName} rounds each line's tax on its net` : `the shop rounds tax on each line, ${ledgerName} once per rate`;
  return (
    `a difference of ${fromMinor(difference, currency)} ${order.currency}, as rounding makes it (${how}, ` +
    `and ${ledgerName} did not keep the shop's tax of ${order.totalTax} ${order.currency}); set the ${documentWord(document)}'s tax to ${order.totalTax}`
  );
}

/**
 * The ledger's total is not what the shop charged: the document exists, so the order waits for a person
 * rather than being called synced. Retrying looks at the same document again; nothing is booked twice.
 */
export function ledgerTotalMismatch(input: {
  order: CommerceOrder;
  document: LedgerDocumentRef;
  sale: Pick<LedgerSale, 'lines' | 'shipping' | 'saleTaxCodeId'>;
  taxSetup: LedgerTaxSetup;
  taxCodes: LedgerTaxCode[];
  ledgerName: string;
  integrationId: string;
  /** How the ledger rounds tax (AccountingPlatform.taxRounding); once per rate when not said. */
  taxRounding?: TaxRounding;
}) {
  const { order, document, ledgerName } = input;
  const codes = codesUsed(input.sale, input.taxCodes);
  const rounding = roundingCheck(order, document, input.sale, ledgerName, input.taxRounding ?? DEFAULT_TAX_ROUNDING);
  const check = rounding
    ? rounding
    : input.taxSetup.mode === 'ledger-computed'
      ? `${ledgerName} works out the sales tax itself (automated sales tax); check the customer's address and the items' tax categories`
      : codes
        ? `check tax code ${codes} against the shop's tax (${order.totalTax} ${order.currency})`
        : `check the tax settings of ${ledgerName}; the shop charged ${order.totalTax} ${order.currency} of tax`;
  return syncFailure(
    SyncErrorType.LedgerTotalMismatch,
    `${ledgerName} computed ${document.total}, the shop charged ${order.total} for order ${order.name}: ${check}. ` +
      `${capitalized(documentWord(document))} ${document.docNumber} (id ${document.id}) is in ${ledgerName} already: correct it there so its total is ${order.total}, ` +
      `then retry the order; it will not be booked twice.`,
    {
      detail: `ledger total ${document.total} ≠ shop total ${order.total} (${order.currency})${rounding ? ', within rounding' : ''}; tax setup ${input.taxSetup.mode} (${input.taxSetup.country}); codes ${codes || 'none'}`,
      integrationId: input.integrationId,
      waitingOn: ledgerTotalWait(document.docNumber),
    },
  );
}

/**
 * The same wait for a document found rather than just created (a retry, a lost answer, a crash after the write).
 * `refund` names the refund (or the cancellation's reversal) the document gives money back for, when it is one.
 */
export function storedTotalMismatch(
  integration: { id: string; displayName: string },
  order: { name: string; total: string },
  document: LedgerDocumentRef,
  refund?: { what: string },
) {
  const ledgerName = integration.displayName;
  const forWhat = refund ? `${refund.what} of order ${order.name}, but the shop gave back` : `order ${order.name}, but the shop charged`;
  return syncFailure(
    SyncErrorType.LedgerTotalMismatch,
    `${ledgerName} has ${document.total} on ${documentWord(document)} ${document.docNumber} (id ${document.id}) for ${forWhat} ${order.total}: ` +
      `check its tax codes, correct it in ${ledgerName} so its total is ${order.total}, then retry the ${refund ? 'refund' : 'order'}; it will not be booked twice.`,
    {
      detail: `ledger total ${document.total} ≠ shop total ${order.total} (found on lookup)`,
      integrationId: integration.id,
      waitingOn: ledgerTotalWait(document.docNumber),
    },
  );
}
