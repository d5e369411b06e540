import type { LedgerDocumentRef, LedgerRefund, LedgerTaxSetup } from '../../domain/accounting-target.js';
import type { StatedTaxRates } from './stated-line-tax.js';

/**
 * How a refund of a booked sale becomes a Xero document, and how a booked one is found again by its number: a
 * credit note and its refund payment where sales are invoices, spend money where sales are receive money.
 * Never an edit of the sale's document.
 */
export interface XeroRefundBooking {
  /** What the bookkeeper sees it called: "credit note". */
  readonly kind: string;
  /** `total`: what the shop gave back; a document found with another total is not finished (paid out) here. */
  find(docNumber: string, total?: string): Promise<LedgerDocumentRef | null>;
  /**
   * Looks the number up first and books only when it is absent; the Idempotency-Key comes from `idempotencyKey`.
   * With `rates`, a line states its own tax where Xero's rounding would be a cent off it (stated-line-tax.ts).
   */
  book(refund: LedgerRefund, setup: LedgerTaxSetup, idempotencyKey: string, rates: StatedTaxRates): Promise<LedgerDocumentRef>;
}

export const CREDIT_NOTE = 'credit note';
export const SPEND_MONEY = 'spend-money transaction';
